-- +goose Up
-- Date-ordered search over very common words walks articles newest first.
CREATE INDEX search_docs_pub ON search_docs (published_at DESC, id DESC);
