-- +goose Up
-- Corrections: an article's public correction notes, a JSON array of
-- {"at": RFC 3339, "text": …} (jarchy.Correction), oldest first.
ALTER TABLE articles ADD COLUMN corrections jsonb NOT NULL DEFAULT '[]';
-- Breaking news: the article is in the banner of every page until then;
-- NULL when not flagged.
ALTER TABLE articles ADD COLUMN breaking_until timestamptz;
CREATE INDEX articles_breaking ON articles (breaking_until) WHERE breaking_until IS NOT NULL;

-- The site's Telegram channel (jarchy.Settings.TelegramChannel).
ALTER TABLE settings ADD COLUMN telegram_channel text NOT NULL DEFAULT '';

-- The audit log, appended by the stores inside the transaction of each
-- write it records (jarchy.AuditStore); never changed or deleted.
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   bigint NOT NULL,
    actor_name text NOT NULL,
    kind       text NOT NULL,
    action     text NOT NULL,
    target_id  bigint NOT NULL,
    target     text NOT NULL,
    detail     text NOT NULL
);
CREATE INDEX audit_log_kind ON audit_log (kind, target_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
