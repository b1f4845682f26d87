-- +goose Up
-- Search at scale (issue 13). search_docs carries what search filters on
-- (language, section, publication time; only published articles have a
-- row), so that a query never looks its matches up in articles, whose rows
-- hold the long texts. search_docs_pub serves date order past the cap.
CREATE TABLE search_docs_new (
    article_id   bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    lang         text NOT NULL,
    section_id   bigint NOT NULL,
    published_at timestamptz NOT NULL,
    doc          tsvector NOT NULL
);
INSERT INTO search_docs_new (article_id, lang, section_id, published_at, doc)
    SELECT d.article_id, a.lang, a.section_id, coalesce(a.published_at, '-infinity'), d.doc
    FROM search_docs d JOIN articles a ON a.id = d.article_id ORDER BY d.article_id;
DROP TABLE search_docs;
ALTER TABLE search_docs_new RENAME TO search_docs;
ALTER TABLE search_docs RENAME CONSTRAINT search_docs_new_pkey TO search_docs_pkey;
ALTER TABLE search_docs RENAME CONSTRAINT search_docs_new_article_id_fkey TO search_docs_article_id_fkey;
CREATE INDEX search_docs_doc ON search_docs USING gin (doc);
CREATE INDEX search_docs_pub ON search_docs (published_at DESC, article_id DESC);
