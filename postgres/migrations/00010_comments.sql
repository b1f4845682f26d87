-- +goose Up
-- Reader comments (jarchy.Comment). email_hash is the HMAC-SHA256 of the
-- reader's email under comment_state.secret ('' for none); the email is
-- never stored. text_hash finds a text posted twice on an article. ip is
-- '' once erased. parent_id has no foreign key: a reply outlives a parent
-- that is deleted for good, and an import may name a parent not yet read.
-- edited_at NULL: never edited.
CREATE TABLE comments (
    id          bigserial PRIMARY KEY,
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id   bigint NOT NULL DEFAULT 0,
    name        text NOT NULL,
    email_hash  text NOT NULL DEFAULT '',
    text        text NOT NULL,
    text_hash   text NOT NULL,
    status      text NOT NULL,
    edited_at   timestamptz,
    created_at  timestamptz NOT NULL,
    ip          text NOT NULL DEFAULT '',
    reports     integer NOT NULL DEFAULT 0,
    external_id text UNIQUE
);
CREATE INDEX comments_article ON comments (article_id, status, id);
CREATE INDEX comments_status ON comments (status, id);
CREATE INDEX comments_text ON comments (article_id, text_hash);
CREATE INDEX comments_email ON comments (email_hash, status) WHERE email_hash <> '';
CREATE INDEX comments_ip_time ON comments (created_at) WHERE ip <> '';
CREATE INDEX comments_reported ON comments (id) WHERE reports > 0;

-- Bans by email hash or by IP range (a CIDR prefix, masked).
CREATE TABLE comment_bans (
    id         bigserial PRIMARY KEY,
    email_hash text NOT NULL DEFAULT '',
    ip_range   text NOT NULL DEFAULT '',
    reason     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

-- An article's own comment mode (pre, post, closed); none: the site's.
CREATE TABLE comment_modes (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    mode       text NOT NULL
);

-- The secret of the email hashes (hex, made at first use) and the site's
-- comment settings (jarchy.CommentSettings as JSON; '' for the defaults).
CREATE TABLE comment_state (
    id       integer PRIMARY KEY CHECK (id = 1),
    secret   text NOT NULL DEFAULT '',
    settings text NOT NULL DEFAULT ''
);
INSERT INTO comment_state (id) VALUES (1);
