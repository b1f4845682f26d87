-- +goose Up
-- Two-letter prefixes and filters in the word index (issue 13). A
-- two-letter prefix ('ка':*) made the GIN index merge the posting lists of
-- every word it starts, up to 15 ms a query at 100,000 articles, and the
-- language and section were checked in the table, row by row, after it.
-- search_match_keys lists, per article, the distinct two-letter
-- beginnings of its lexemes (after chr(1)), its language (after chr(2))
-- and its section (after chr(3)): control characters that no lexeme
-- holds. The word index covers them beside the lexemes, so 'жол' & 'ка':*
-- in Kyrgyz is asked as lexemes @@ 'жол' and keys @@ chr(1)||'ка' &
-- chr(2)||'ky' in one index scan. The keys are an expression of the row,
-- never stored: the table rows stay as narrow. Three-letter beginnings
-- too made a 100,000-article import 9 % slower (about 1,030 articles a
-- second), for a smaller gain: a three-letter prefix starts far fewer
-- words. array_to_tsvector sorts and removes duplicates.
CREATE FUNCTION search_match_keys(lexemes tsvector, lang text, section_id bigint) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT chr(1) || left(l, 2) FROM unnest(tsvector_to_array(lexemes)) l WHERE char_length(l) >= 2)
        || ARRAY[chr(2) || lang, chr(3) || section_id::text])
$$;
DROP INDEX search_match_lexemes;
CREATE INDEX search_match_lexemes ON search_match USING gin (lexemes, search_match_keys(lexemes, lang, section_id));
ANALYZE search_match;
