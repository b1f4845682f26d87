-- +goose Up
-- Search at scale (issue 13). search_match is the narrow table that search
-- matches, filters, counts and orders in: each indexed article's language,
-- section, publication time and its lexemes without positions (strip), so
-- a row is about 1 kB instead of search_docs' 1.4 kB and a query reads
-- fewer pages to find its newest matches. search_docs keeps the positional
-- document, read by id only: to rank a pool of matches, and to check
-- phrases (a stripped tsvector cannot tell adjacency). Both are written in
-- the same statement; deleting a search_docs row deletes its match row.
CREATE TABLE search_match (
    article_id   bigint PRIMARY KEY REFERENCES search_docs (article_id) ON DELETE CASCADE,
    lang         text NOT NULL,
    section_id   bigint NOT NULL,
    published_at timestamptz NOT NULL,
    lexemes      tsvector NOT NULL
);
INSERT INTO search_match (article_id, lang, section_id, published_at, lexemes)
    SELECT article_id, lang, section_id, published_at, strip(doc) FROM search_docs ORDER BY article_id;
CREATE INDEX search_match_lexemes ON search_match USING gin (lexemes);
CREATE INDEX search_match_pub ON search_match (published_at DESC, article_id DESC);
DROP INDEX search_docs_doc;
DROP INDEX search_docs_pub;
ANALYZE search_match;
