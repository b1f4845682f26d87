-- +goose Up
-- Reader comments (jarchy.Comment). email_hash is the HMAC-SHA256 of the
-- reader's email under comment_state.secret ('' for none); the email is
-- never stored. text_hash finds a text posted twice on an article. ip is
-- '' once erased. parent_id has no foreign key: a reply outlives a parent
-- that is deleted for good, and an import may name a parent not yet read.
-- Times are unix microseconds; edited_at NULL: never edited.
CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id   INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL,
    email_hash  TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    text_hash   TEXT NOT NULL,
    status      TEXT NOT NULL,
    edited_at   INTEGER,
    created_at  INTEGER NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    reports     INTEGER NOT NULL DEFAULT 0,
    external_id TEXT UNIQUE
);
CREATE INDEX comments_article ON comments (article_id, status, id);
CREATE INDEX comments_status ON comments (status, id);
CREATE INDEX comments_text ON comments (article_id, text_hash);
CREATE INDEX comments_email ON comments (email_hash, status) WHERE email_hash <> '';
CREATE INDEX comments_ip_time ON comments (created_at) WHERE ip <> '';
CREATE INDEX comments_reported ON comments (id) WHERE reports > 0;

-- Bans by email hash or by IP range (a CIDR prefix, masked).
CREATE TABLE comment_bans (
    id         INTEGER PRIMARY KEY,
    email_hash TEXT NOT NULL DEFAULT '',
    ip_range   TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

-- An article's own comment mode (pre, post, closed); none: the site's.
CREATE TABLE comment_modes (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    mode       TEXT NOT NULL
);

-- The secret of the email hashes (hex, made at first use) and the site's
-- comment settings (jarchy.CommentSettings as JSON; '' for the defaults).
CREATE TABLE comment_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    secret   TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT ''
);
INSERT INTO comment_state (id) VALUES (1);
