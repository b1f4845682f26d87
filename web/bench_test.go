package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
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
