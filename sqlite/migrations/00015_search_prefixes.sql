-- +goose Up
-- Search as you type from two letters (issue 13): the full-text index keeps
-- its own index of every term's first two and first three characters
-- (FTS5 prefix indexes), so a word being typed matches from its second
-- letter without a scan of all the terms it starts. The index is built
-- again from its own rows; search_vocab reads it by name.
CREATE VIRTUAL TABLE search_fts_new USING fts5(
    title, lead, body, tags, authors,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);
INSERT INTO search_fts_new (rowid, title, lead, body, tags, authors)
    SELECT rowid, title, lead, body, tags, authors FROM search_fts ORDER BY rowid;
DROP TABLE search_vocab;
DROP TABLE search_fts;
ALTER TABLE search_fts_new RENAME TO search_fts;
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
