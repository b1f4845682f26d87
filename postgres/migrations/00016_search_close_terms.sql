-- +goose Up
-- The fuzzy fallback's trigram search (issue 13), as a function that asks
-- the trigram index for the candidates. On a small vocabulary the planner
-- would rather test every term (2.5 ms for 800 terms, a trigram
-- similarity each) than ask the index (0.1 ms); the function's own
-- settings leave it only the index, and end with it. Without pg_trgm
-- there is no such function, and the fallback looks among the terms
-- sharing the first two letters (postgres/search.go, closeTerms).
-- Candidates are only of the lengths searchindex.Close can keep: within
-- min_len..max_len of the term, or 4..max_prefix_len letters long (close
-- to as many first letters of the reader's word).
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE $fn$
            CREATE FUNCTION search_close_terms(q_term text, q_word text, min_len int, max_len int, max_prefix_len int)
            RETURNS SETOF text LANGUAGE sql STABLE PARALLEL SAFE
            SET enable_seqscan = off SET enable_indexscan = off SET enable_indexonlyscan = off
            AS $body$
                SELECT t.term FROM search_terms t
                WHERE (t.term % q_term OR t.term % q_word)
                    AND (char_length(t.term) BETWEEN min_len AND max_len OR char_length(t.term) BETWEEN 4 AND max_prefix_len)
                ORDER BY greatest(similarity(t.term, q_term), similarity(t.term, q_word)) DESC, t.term
                LIMIT 200
            $body$
        $fn$;
    END IF;
END
$$;
-- +goose StatementEnd
