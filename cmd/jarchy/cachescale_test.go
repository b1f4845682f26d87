package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

// TestCacheScale measures what one write leaves in a full page cache of
// a big site (issue 9: one article edit keeps at least 95 % of the cached
// entries, a draft save all of them). It runs only with JARCHY_SCALE=1.
// The store is the SQLite file JARCHY_SCALE_DB (say, from `jarchy demo
// --articles 100000`; the test saves a few articles in it), else a site of
// JARCHY_SCALE_N generated articles (default 100000) in a temporary
// folder. JARCHY_SCALE_CACHE_MB sizes the cache (default 256).
//
// The cache is filled the way crawlers fill it: homes, listing pages,
// feeds, then article pages in random order until admission refuses new
// keys. Then each write's change (jarchy.ArticleChange, as the stores
// will publish it) is applied and the fresh entries counted before and
// after.
func TestCacheScale(t *testing.T) {
	if os.Getenv("JARCHY_SCALE") != "1" {
		t.Skip("scale measurement: set JARCHY_SCALE=1 (see bench/README.md)")
	}
	ctx := context.Background()
	path := os.Getenv("JARCHY_SCALE_DB")
	generate := path == ""
	if generate {
		path = filepath.Join(t.TempDir(), "jarchy.db")
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if generate {
		n := envInt(t, "JARCHY_SCALE_N", 100_000)
		blobs, err := media.OpenDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer blobs.Close()
		start := time.Now()
		if err := demo.Generate(ctx, st, blobs, n, nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated %d articles in %v", n, time.Since(start).Round(time.Second))
	}
	total, err := st.Articles(ctx, jarchy.ArticleFilter{PublicOnly: true, Limit: 1, Summary: true})
	if err != nil {
		t.Fatal(err)
	}

	site := web.New(web.Config{BaseURL: "https://news.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st, nil)
	defer site.Close()
	cacheMB := envInt(t, "JARCHY_SCALE_CACHE_MB", 256)
	cache := pagecache.New(pagecache.Options{MaxBytes: int64(cacheMB) << 20, QueryParams: site.QueryParams})
	srv := httptest.NewServer(cache.Handler(site))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()
	get := func(p string) (int, []byte) {
		res, err := hc.Get(srv.URL + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		return res.StatusCode, b
	}

	// Fill: the pages a crawler finds first, then articles from the sitemaps.
	start := time.Now()
	var pages []string
	secs, err := st.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range jarchy.Langs {
		pages = append(pages, "/"+string(l)+"/", "/"+string(l)+"/feed/rss.xml")
		for _, s := range secs {
			for n := 1; n <= 5; n++ {
				pages = append(pages, fmt.Sprintf("/%s/%s/?page=%d", l, s.Slug, n))
			}
			pages = append(pages, fmt.Sprintf("/%s/feed/section/%s/rss.xml", l, s.Slug))
		}
	}
	pages = append(pages, "/sitemap.xml", "/sitemaps/pages.xml", "/news-sitemap.xml")
	var articles []string
	for _, l := range jarchy.Langs {
		for n := 1; ; n++ {
			status, body := get(fmt.Sprintf("/sitemaps/%s-%d.xml", l, n))
			if status != http.StatusOK {
				break
			}
			var set struct {
				URLs []struct {
					Loc string `xml:"loc"`
				} `xml:"url"`
			}
			if err := xml.Unmarshal(body, &set); err != nil {
				t.Fatal(err)
			}
			for _, u := range set.URLs {
				if pu, err := url.Parse(u.Loc); err == nil {
					articles = append(articles, pu.EscapedPath())
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(articles), func(i, j int) { articles[i], articles[j] = articles[j], articles[i] })
	runtime.GC()
	var mem0 runtime.MemStats
	runtime.ReadMemStats(&mem0)
	for _, p := range pages {
		get(p)
	}
	var cached []string // article pages in the cache
	for _, p := range articles {
		before := cache.Stats()
		get(p)
		s := cache.Stats()
		if s.Fresh > before.Fresh {
			cached = append(cached, p)
		}
		if s.Rejected > 200 {
			break // full: admission refuses new keys
		}
	}
	s := cache.Stats()
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	t.Logf("site: %d public articles; cache %d MiB filled in %v: %d entries (%d article pages), %d MiB counted, %d topics indexed, %d renders refused when full; the heap grew by %d MiB",
		total.Total, cacheMB, time.Since(start).Round(time.Second), s.Fresh, len(cached), s.Bytes>>20, s.Topics, s.Rejected,
		(int64(mem.HeapInuse)-int64(mem0.HeapInuse))>>20)

	// articleAt loads the article behind a cached article page.
	articleAt := func(p string) *jarchy.Article {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		slug, _ := url.PathUnescape(parts[2])
		a, err := st.ArticleBySlug(ctx, jarchy.Lang(parts[0]), slug)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	measure := func(what string, write func() jarchy.Change) {
		before := cache.Stats()
		t0 := time.Now()
		ch := write()
		cache.InvalidateTopics(ch.Strings()...)
		took := time.Since(t0)
		after := cache.Stats()
		kept := 100 * float64(after.Fresh) / float64(before.Fresh)
		t.Logf("RESULT %s: kept %d of %d entries (%.2f %%), dropped %d; change %d topics; write and drop %v",
			what, after.Fresh, before.Fresh, kept, before.Fresh-after.Fresh, len(ch.Topics), took.Round(time.Microsecond))
		if strings.HasPrefix(what, "draft") && after.Fresh != before.Fresh {
			t.Errorf("%s dropped %d entries", what, before.Fresh-after.Fresh)
		}
		if strings.HasPrefix(what, "body edit") && kept < 95 {
			t.Errorf("%s kept %.2f %% of the cache, want at least 95 %%", what, kept)
		}
	}
	save := func(old, a *jarchy.Article) jarchy.Change {
		if err := st.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		stored, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return jarchy.ArticleChange(old, stored, time.Now())
	}
	edit := func(p string, change func(a *jarchy.Article)) func() jarchy.Change {
		return func() jarchy.Change {
			old := articleAt(p)
			a := *old
			change(&a)
			return save(old, &a)
		}
	}
	for i, p := range cached[:3] {
		measure("body edit of a cached article #"+strconv.Itoa(i+1), edit(p, func(a *jarchy.Article) { a.Body += "\n\nEdited." }))
	}
	measure("draft created", func() jarchy.Change {
		return save(nil, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Scale draft", Body: "Draft.", Section: jarchy.Section{ID: secs[0].ID}})
	})
	measure("draft autosave", func() jarchy.Change {
		old, err := st.ArticleBySlug(ctx, jarchy.Kyrgyz, "scale-draft")
		if err != nil {
			t.Fatal(err)
		}
		a := *old
		a.Body += " More."
		return save(old, &a)
	})
	measure("retag of a cached article", edit(cached[3], func(a *jarchy.Article) { a.Tags = a.Tags[:len(a.Tags)/2] }))
	measure("new public article", func() jarchy.Change {
		return save(nil, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Scale story", Body: "News.", Section: jarchy.Section{ID: secs[0].ID},
			Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)})
	})
}
