-- +goose Up
-- Migration 00015 built the full-text index again row by row, which leaves
-- it in many segments (nine on a 100,000-article database), and every
-- query merges them all. Merge them into one, as `jarchy reindex` does.
INSERT INTO search_fts (search_fts) VALUES ('optimize');
