-- +goose Up
-- Each article keeps its body rendered and sanitised at save time, with the
-- renderer version (markup.Version) that made it; reads render again only
-- when that version is not current.
ALTER TABLE articles ADD COLUMN body_html text NOT NULL DEFAULT '',
    ADD COLUMN body_html_version integer NOT NULL DEFAULT 0;
