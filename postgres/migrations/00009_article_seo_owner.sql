-- +goose Up
-- Search-engine title and description of an article, and the newsroom
-- user who created it (0: an import or the demo).
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN owner_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX articles_owner ON articles (owner_id, status);
