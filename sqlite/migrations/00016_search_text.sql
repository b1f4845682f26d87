-- +goose Up
-- The plain text of each indexed article's body that result snippets are
-- taken from (searchindex.SnippetSource), written with its index row, so a
-- search need not turn 20 Markdown bodies into text. Articles indexed
-- before this have none until `jarchy reindex`: their snippets are
-- computed from the body as before.
CREATE TABLE search_text (
    id      INTEGER PRIMARY KEY, -- article id = search_fts rowid
    snippet TEXT NOT NULL
);

-- Migration 00015 built the full-text index again row by row, which leaves
-- it in many segments (nine on a 100,000-article database), and every
-- query merges them all. Merge them into one, as `jarchy reindex` does.
INSERT INTO search_fts (search_fts) VALUES ('optimize');

-- Date order past the cap walks search_docs newest first and filters each
-- row: an index that holds the filters spares reading the rows.
CREATE INDEX search_docs_filters ON search_docs (published_at DESC, id DESC, lang, section_id);
DROP INDEX search_docs_pub;
