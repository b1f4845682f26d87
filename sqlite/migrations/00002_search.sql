-- +goose Up
-- Search index (issue 3). search_fts holds each PUBLISHED article's fields
-- as pre-analysed index terms (package search), keyed by article id; the
-- stores keep it in step inside every article write transaction and filter
-- by publication time at query time. search_terms is the vocabulary of
-- index terms, with a trigram index for the fuzzy fallback; it only grows
-- between reindexes.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, lead, body, tags, authors,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE VIRTUAL TABLE search_trigrams USING fts5(term, tokenize = 'trigram');

-- +goose StatementBegin
CREATE TRIGGER search_terms_added AFTER INSERT ON search_terms BEGIN
    INSERT INTO search_trigrams (term) VALUES (new.term);
END;
-- +goose StatementEnd

-- built is 0 while articles exist that were never indexed (a database
-- from before this migration): `jarchy reindex` fills the index.
CREATE TABLE search_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    built INTEGER NOT NULL
);
INSERT INTO search_state (id, built) SELECT 1, NOT EXISTS (SELECT 1 FROM articles);

-- Document counts per index term, read straight from search_fts.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
