//go:build scale

package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

func TestScale(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = db.pool.Exec(ctx, `
INSERT INTO sections (slug, position, names) SELECT 's'||i, i, '{"ky":"S"}' FROM generate_series(1,8) i;
INSERT INTO tags (slug, name) SELECT 't'||i, 'T'||i FROM generate_series(1,2000) i;
INSERT INTO authors (slug, name) SELECT 'a'||i, 'A'||i FROM generate_series(1,100) i;
INSERT INTO articles (lang, translation_group, title, slug, lead, body, section_id, status, published_at, updated_at, created_at)
SELECT (ARRAY['ky','ru','en'])[1 + i%3], 'g'||(i/3), 'Title '||i, 'slug-'||i, 'lead', repeat('body ', 400), 1 + i%8,
  CASE WHEN i%10=0 THEN 'draft' ELSE 'published' END, now() - (i||' minutes')::interval, now(), now()
FROM generate_series(1,100000) i;
INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) SELECT id, 1 + (id*7)%2000, 0, lang, status, published_at FROM articles;
INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) SELECT id, 1 + (id*13+5)%2000, 1, lang, status, published_at FROM articles ON CONFLICT DO NOTHING;
INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) SELECT id, 1, 2, lang, status, published_at FROM articles WHERE id % 5 = 0 ON CONFLICT DO NOTHING;
INSERT INTO article_authors (article_id, author_id, position, lang, status, published_at) SELECT id, 1 + id%100, 0, lang, status, published_at FROM articles;`)
	if err == nil {
		_, err = db.pool.Exec(ctx, "VACUUM ANALYZE")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load %v", time.Since(start))
	explain := func(q string, args ...any) {
		rows, err := db.pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			rows.Scan(&line)
			t.Log(line)
		}
	}
	db.pool.Config().ConnConfig.Tracer = nil
	explain(`SELECT count(*) FROM article_tags x JOIN articles a ON a.id = x.article_id WHERE x.tag_id = 1 AND x.lang = 'ky' AND x.status = 'published' AND x.published_at <= now()`)
	explain(`SELECT c.id FROM unnest('{1,506}'::bigint[]) AS tg(id) CROSS JOIN LATERAL (
				SELECT x.article_id AS id FROM article_tags x
				WHERE x.tag_id = tg.id AND x.lang = 'en' AND x.status = 'published' AND x.published_at <= now() AND x.article_id <> 500
				ORDER BY x.published_at DESC NULLS LAST, x.article_id DESC LIMIT 200) c`)
	ra, _ := db.Article(ctx, 500)
	t.Logf("tags of 500: %v section %d", ra.Tags, ra.Section.ID)
	db.RelatedArticles(ctx, ra, 5)
	rst := time.Now()
	db.RelatedArticles(ctx, ra, 5)
	t.Logf("related once %v", time.Since(rst))
	timeIt := func(what string, fn func() error) {
		fn()
		const n = 20
		st := time.Now()
		for range n {
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		t.Logf("%-30s %v/op", what, time.Since(st)/n)
	}
	for _, f := range []jarchy.ArticleFilter{
		{Lang: "ky", PublicOnly: true},
		{Lang: "ky", PublicOnly: true, Offset: 5000},
		{Lang: "ky", PublicOnly: true, SectionID: 3},
		{Lang: "ky", PublicOnly: true, TagID: 1},
		{Lang: "ky", PublicOnly: true, TagID: 77},
		{Lang: "ky", PublicOnly: true, AuthorID: 5},
		{PublicOnly: true, Since: time.Now().Add(-48 * time.Hour), Limit: 100},
	} {
		timeIt(fmtF(f), func() error { _, err := db.Articles(ctx, f); return err })
	}
	a, _ := db.Article(ctx, 500)
	timeIt("related", func() error { _, err := db.RelatedArticles(ctx, a, 5); return err })
	timeIt("byslug", func() error { _, err := db.ArticleBySlug(ctx, "ky", "slug-999"); return err })
	timeIt("translations", func() error { _, err := db.Translations(ctx, "g100"); return err })
	timeIt("save", func() error {
		x := &jarchy.Article{Lang: "ky", Title: "New one", Section: jarchy.Section{Slug: "s1"}, Tags: []jarchy.Tag{{Name: "t5"}}}
		return db.SaveArticle(ctx, x)
	})
}

func fmtF(f jarchy.ArticleFilter) string {
	return "list sec" + itoa(f.SectionID) + " tag" + itoa(f.TagID) + " au" + itoa(f.AuthorID) + " off" + itoa(int64(f.Offset))
}
func itoa(i int64) string { return time.Duration(i).String() }
