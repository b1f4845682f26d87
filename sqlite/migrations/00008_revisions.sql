-- +goose Up
-- Revisions: a full snapshot of an article (jarchy.EncodeSnapshot, one JSON
-- document, so later fields need no migration) written in the transaction
-- of every save that changed it. No foreign key to articles: the history of
-- a deleted article stays readable. author_id names a user once the
-- newsroom has them (0: unknown).
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    author_id  INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    snapshot   TEXT NOT NULL
);
CREATE INDEX revisions_article ON revisions (article_id, id);
