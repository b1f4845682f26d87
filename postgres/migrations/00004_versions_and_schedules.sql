-- +goose Up
-- Optimistic saves: an article's version counts its saves; an update names
-- the version it was based on and moves it on, or changes nothing.
ALTER TABLE articles ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- One meaning for "approved, waiting for its time": a published article
-- dated in the future is scheduled, and the scheduler publishes it at its
-- time with a store write (which caches hear of). Its link rows follow, and
-- it leaves the search index until then.
UPDATE articles SET status = 'scheduled' WHERE status = 'published' AND published_at > now();
UPDATE article_tags SET status = 'scheduled' WHERE article_id IN (SELECT id FROM articles WHERE status = 'scheduled');
UPDATE article_authors SET status = 'scheduled' WHERE article_id IN (SELECT id FROM articles WHERE status = 'scheduled');
DELETE FROM search_docs WHERE article_id IN (SELECT id FROM articles WHERE status = 'scheduled');
