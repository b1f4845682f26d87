package web

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/sqlite"
)

// BenchmarkSyndication measures the feed, sitemap and API endpoints
// without a page cache on a SQLite store of syndBenchN articles (a third of
// them with translations in all three languages).
//
//	go test -run '^$' -bench Syndication ./web/
func BenchmarkSyndication(b *testing.B) {
	const syndBenchN = 12000
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "jarchy.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	base := time.Now().UTC().Add(-time.Minute)
	var batch []*jarchy.Article
	for i := range syndBenchN / 3 {
		group := fmt.Sprintf("g%d", i)
		for _, l := range jarchy.Langs {
			if i%3 != 0 && l != jarchy.Kyrgyz {
				group = "" // most stories exist only in Kyrgyz…
			}
			a := &jarchy.Article{Lang: l, TranslationGroup: group, Title: fmt.Sprintf("Макала %s %d", l, i),
				Lead: "Кыскача", Body: "Текст **жаңылык**.", Section: jarchy.Section{Slug: []string{"politics", "economy"}[i%2]},
				Tags: []jarchy.Tag{{Name: fmt.Sprintf("тег %d", i%50)}}, Authors: []jarchy.Author{{Name: fmt.Sprintf("Автор %d", i%20)}},
				Status: jarchy.StatusPublished, PublishedAt: base.Add(-time.Duration(i) * 10 * time.Minute)}
			if l != jarchy.Kyrgyz && group == "" {
				a.Title += " жалгыз" // …or alone in another language
			}
			batch = append(batch, a)
		}
		if len(batch) >= 600 {
			if err := store.SaveArticles(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := store.SaveArticles(ctx, batch); err != nil {
		b.Fatal(err)
	}
	srv := New(Config{BaseURL: "https://jarchy.example"}, store, nil)
	for _, path := range []string{
		"/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/ky-1.xml", "/sitemaps/ky-2.xml", "/news-sitemap.xml",
		"/ky/feed/rss.xml", "/ky/feed/atom.xml", "/ky/feed/feed.json", "/ky/feed/section/politics/rss.xml",
		"/api/v1/articles", "/api/v1/articles?limit=100&lang=ky", "/api/v1/articles/1",
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
				_, _ = io.Copy(io.Discard, rec.Body)
			}
		})
	}
}
