-- +goose Up
-- Newsroom accounts. email is stored lower-case (jarchy.User.Normalize) and
-- unique; password_hash is auth's encoded argon2id hash ('' cannot log in).
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    role          text NOT NULL,
    lang          text NOT NULL,
    disabled      boolean NOT NULL DEFAULT false,
    password_hash text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Sessions: only the SHA-256 of a token is kept (jarchy.HashToken).
CREATE TABLE sessions (
    token_hash   text PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
