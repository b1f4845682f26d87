-- +goose Up
-- Initial schema. Times are INTEGER unix microseconds in UTC (sortable,
-- compact, the same precision as PostgreSQL); NULL means "never".

CREATE TABLE site_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO site_state (id, generation) VALUES (1, 0);

CREATE TABLE sections (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE section_names (
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (section_id, lang)
) WITHOUT ROWID;

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    bio  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    external_id       TEXT UNIQUE, -- NULL unless imported
    lang              TEXT NOT NULL,
    translation_group TEXT NOT NULL,
    slug              TEXT NOT NULL,
    section_id        INTEGER NOT NULL REFERENCES sections (id),
    status            TEXT NOT NULL,
    published_at      INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    content_hash      TEXT NOT NULL DEFAULT '',
    -- cover photo: all NULL when there is none
    cover_path        TEXT,
    cover_url         TEXT,
    cover_caption     TEXT,
    cover_credit      TEXT,
    cover_alt         TEXT,
    cover_width       INTEGER,
    cover_height      INTEGER,
    -- the long texts come last: columns after a long value cost overflow-page reads
    title             TEXT NOT NULL,
    lead              TEXT NOT NULL,
    body              TEXT NOT NULL,
    UNIQUE (lang, slug)
);
-- Listings: newest first by publication time, then ID.
CREATE INDEX articles_lang_status_pub ON articles (lang, status, published_at DESC, id DESC);
CREATE INDEX articles_status_pub ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_lang_pub ON articles (lang, published_at DESC, id DESC);
CREATE INDEX articles_section ON articles (section_id, lang, status, published_at DESC, id DESC);
CREATE INDEX articles_group ON articles (translation_group);

-- Old slugs of an article, kept as redirects.
CREATE TABLE article_slugs (
    lang       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (lang, slug)
) WITHOUT ROWID;
CREATE INDEX article_slugs_article ON article_slugs (article_id);

-- Tag and author links carry a copy of the article's lang, status and
-- published_at so that tag and author pages list from one index.
CREATE TABLE article_tags (
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags (id),
    position     INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    status       TEXT NOT NULL,
    published_at INTEGER,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_list ON article_tags (tag_id, lang, status, published_at DESC, article_id DESC);
CREATE INDEX article_tags_any ON article_tags (tag_id, published_at DESC, article_id DESC);

CREATE TABLE article_authors (
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES authors (id),
    position     INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    status       TEXT NOT NULL,
    published_at INTEGER,
    PRIMARY KEY (article_id, author_id)
) WITHOUT ROWID;
CREATE INDEX article_authors_list ON article_authors (author_id, lang, status, published_at DESC, article_id DESC);
CREATE INDEX article_authors_any ON article_authors (author_id, published_at DESC, article_id DESC);

CREATE TABLE pages (
    id         INTEGER PRIMARY KEY,
    lang       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (lang, slug)
);

-- Site settings as JSON documents by key ("site" holds jarchy.Settings).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Room for the search index (issue 3): a later migration adds an FTS5
-- table keyed by article id, kept in step inside the same write transactions.
