package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/web"
)

// BenchmarkRenderArticle renders an article page with no cache in front:
// every iteration reads the store and executes the templates. It reports
// pages per second.
func BenchmarkRenderArticle(b *testing.B) {
	f := newFixture(b, 20)
	req := httptest.NewRequest(http.MethodGet, articleURL(f.a["lead"]), nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		f.site.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkRenderHome renders the home page with no cache.
func BenchmarkRenderHome(b *testing.B) {
	f := newFixture(b, 20)
	req := httptest.NewRequest(http.MethodGet, "/ky/", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		f.site.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkRenderArticleParallel is BenchmarkRenderArticle on every core.
func BenchmarkRenderArticleParallel(b *testing.B) {
	f := newFixture(b, 20)
	path := articleURL(f.a["lead"])
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for pb.Next() {
			w := httptest.NewRecorder()
			f.site.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Errorf("status %d", w.Code)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pages/s")
}

// memoStore answers the article page's reads from memory, so that
// BenchmarkRenderArticleWebOnly measures the web layer alone (handler,
// Markdown, templates), without the database.
type memoStore struct {
	jarchy.Store
	a       *jarchy.Article
	tr      []*jarchy.Article
	related []*jarchy.Article
}

func (m *memoStore) ArticleBySlug(context.Context, jarchy.Lang, string) (*jarchy.Article, error) {
	return m.a, nil
}
func (m *memoStore) Translations(context.Context, string) ([]*jarchy.Article, error) {
	return m.tr, nil
}
func (m *memoStore) RelatedArticles(context.Context, *jarchy.Article, int) ([]*jarchy.Article, error) {
	return m.related, nil
}

// BenchmarkRenderArticleWebOnly renders the article page with the store
// answered from memory: the cost of the web layer itself.
func BenchmarkRenderArticleWebOnly(b *testing.B) {
	f := newFixture(b, 20)
	lead := f.a["lead"]
	m := &memoStore{Store: f.store}
	var err error
	if m.a, err = f.store.ArticleBySlug(ctx, lead.Lang, lead.Slug); err != nil {
		b.Fatal(err)
	}
	if m.tr, err = f.store.Translations(ctx, lead.TranslationGroup); err != nil {
		b.Fatal(err)
	}
	if m.related, err = f.store.RelatedArticles(ctx, m.a, 4); err != nil {
		b.Fatal(err)
	}
	site := web.New(web.Config{BaseURL: testBase}, m, nil)
	req := httptest.NewRequest(http.MethodGet, articleURL(lead), nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
