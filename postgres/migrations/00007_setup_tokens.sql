-- +goose Up
-- One-time links that create the first admin (jarchy.SetupStore): only the
-- SHA-256 of a token is kept.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
