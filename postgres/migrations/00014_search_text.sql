-- +goose Up
-- The plain text of each indexed article's body that result snippets are
-- taken from (searchindex.SnippetSource), written with its index row, so a
-- search need not turn 20 Markdown bodies into text. Articles indexed
-- before this have none until `jarchy reindex`: their snippets are
-- computed from the body as before.
CREATE TABLE search_text (
    article_id bigint PRIMARY KEY REFERENCES search_docs (article_id) ON DELETE CASCADE,
    snippet    text NOT NULL
);
