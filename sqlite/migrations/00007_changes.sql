-- +goose Up
-- The change log: the topics (jarchy.Change.String) of every committed write
-- that touched something public, written in the write's own transaction, so
-- that other processes on this file (through their data_version poller) drop
-- exactly what changed. origin names the store handle that wrote it (its
-- own subscribers heard of it at commit). Writes trim old rows.
-- AUTOINCREMENT: an id is never given twice, even once its row is trimmed,
-- so a reader can tell the rows it missed.
CREATE TABLE changes (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    topics TEXT NOT NULL
);
