-- +goose Up
-- What search filters on, for each indexed article, in small rows: the
-- articles table's rows hold the long texts, so looking thousands of
-- matches up there costs a page read each. Kept in step with search_fts.
CREATE TABLE search_docs (
    id           INTEGER PRIMARY KEY, -- article id = search_fts rowid
    lang         TEXT NOT NULL,
    section_id   INTEGER NOT NULL,
    published_at INTEGER NOT NULL
);
INSERT INTO search_docs (id, lang, section_id, published_at)
    SELECT a.id, a.lang, a.section_id, coalesce(a.published_at, 0) FROM articles a
    WHERE a.id IN (SELECT rowid FROM search_fts);
