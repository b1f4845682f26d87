-- +goose Up
-- Search index (issue 3). search_docs holds each PUBLISHED article's
-- fields as a 'simple' tsvector over the pre-analysed index terms (package
-- search), weighted per field (A title, B lead and tags, C authors, D body);
-- the store keeps it in step inside every article write transaction and
-- filters by publication time at query time. search_terms is the vocabulary
-- for the fuzzy fallback (pg_trgm when the server has it); it only grows
-- between reindexes.
CREATE TABLE search_docs (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    doc        tsvector NOT NULL
);
CREATE INDEX search_docs_doc ON search_docs USING gin (doc);

CREATE TABLE search_terms (term text PRIMARY KEY);

-- +goose StatementBegin
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); fuzzy search uses prefixes', SQLERRM;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX search_terms_trgm ON search_terms USING gin (term gin_trgm_ops)';
    END IF;
END
$$;
-- +goose StatementEnd

-- built is false while articles exist that were never indexed (a database
-- from before this migration): `jarchy reindex` fills the index.
CREATE TABLE search_state (
    id    integer PRIMARY KEY CHECK (id = 1),
    built boolean NOT NULL
);
INSERT INTO search_state (id, built) SELECT 1, NOT EXISTS (SELECT 1 FROM articles);
