-- +goose Up
-- Corrections: an article's public correction notes, a JSON array of
-- {"at": RFC 3339, "text": …} (jarchy.Correction), oldest first.
ALTER TABLE articles ADD COLUMN corrections TEXT NOT NULL DEFAULT '[]';
-- Breaking news: the article is in the banner of every page until then
-- (unix microseconds); NULL when not flagged.
ALTER TABLE articles ADD COLUMN breaking_until INTEGER;
CREATE INDEX articles_breaking ON articles (breaking_until) WHERE breaking_until IS NOT NULL;

-- The audit log, appended by the stores inside the transaction of each
-- write it records (jarchy.AuditStore); never changed or deleted.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    kind       TEXT NOT NULL,
    action     TEXT NOT NULL,
    target_id  INTEGER NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX audit_log_kind ON audit_log (kind, target_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
