package pagecache

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

var (
	demoOnce  sync.Once
	demoBody  map[string][]byte
	demoError error
)

// demoPages renders two real pages of the demo edition: the newest Kyrgyz
// article and its section's listing.
func demoPages(tb testing.TB) map[string][]byte {
	tb.Helper()
	demoOnce.Do(func() { demoBody, demoError = renderDemo(tb.TempDir()) })
	if demoError != nil {
		tb.Fatal(demoError)
	}
	return demoBody
}

func renderDemo(dir string) (map[string][]byte, error) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "jarchy.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	blobs, err := media.OpenDir(filepath.Join(dir, "media"))
	if err != nil {
		return nil, err
	}
	defer blobs.Close()
	if err := demo.Seed(ctx, st, blobs); err != nil {
		return nil, err
	}
	list, err := st.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, Limit: 1})
	if err != nil || len(list.Articles) == 0 {
		return nil, fmt.Errorf("no demo article: %v", err)
	}
	a := list.Articles[0]
	site := web.New(web.Config{BaseURL: "https://jarchy.kg"}, st, blobs.FS())
	defer site.Close()
	out := map[string][]byte{}
	for name, path := range map[string]string{
		"article": "/ky/" + a.Section.Slug + "/" + a.Slug,
		"listing": "/ky/" + a.Section.Slug + "/",
	} {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			return nil, fmt.Errorf("%s: status %d", path, w.Code)
		}
		out[name] = w.Body.Bytes()
	}
	return out, nil
}

// BenchmarkCompressLevels compresses a real article page and a real
// listing page of the demo edition with each candidate codec and level: the
// fill cost per variant (ns/op) and the size it buys (bytes/page).
func BenchmarkCompressLevels(b *testing.B) {
	pages := demoPages(b)
	std := map[int]*stdgzip.Writer{}
	codecs := []struct {
		name   string
		levels []int
		fn     func([]byte, int) []byte
	}{
		{"stdgzip", []int{1, 5, 6, 9}, func(p []byte, l int) []byte {
			var out bytes.Buffer
			w := std[l]
			if w == nil {
				w, _ = stdgzip.NewWriterLevel(&out, l)
				std[l] = w
			} else {
				w.Reset(&out)
			}
			w.Write(p)
			w.Close()
			return out.Bytes()
		}},
		{"gzip", []int{1, 3, 5, 6, 7, 9}, gzipBytes},
		{"brotli", []int{1, 3, 4, 5, 6, 7, 9, 11}, brotliBytes},
	}
	for _, page := range []string{"article", "listing"} {
		body := pages[page]
		for _, c := range codecs {
			for _, l := range c.levels {
				b.Run(fmt.Sprintf("%s-%dB/%s-%d", page, len(body), c.name, l), func(b *testing.B) {
					var n int
					for b.Loop() {
						n = len(c.fn(body, l))
					}
					b.ReportMetric(float64(n), "bytes/page")
					b.SetBytes(int64(len(body)))
				})
			}
		}
	}
}
