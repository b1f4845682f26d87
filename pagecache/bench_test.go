package pagecache

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
)

// discard is a ResponseWriter that keeps its header map between requests
// (cleared), so the benchmarks count the cache's own allocations.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (w *discard) Header() http.Header         { return w.h }
func (w *discard) WriteHeader(code int)        { w.status = code }
func (w *discard) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func article16k() http.Handler {
	body := []byte(html(16<<10, "bench"))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
}

func benchHit(b *testing.B, ae string) {
	h := New(Options{}).Handler(article16k())
	r := httptest.NewRequest("GET", "/ky/politics/bishkekte-shailoo-otto", nil)
	if ae != "" {
		r.Header.Set("Accept-Encoding", ae)
	}
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, r) // fill
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
	if w.status != 200 {
		b.Fatal(w.status)
	}
	b.SetBytes(int64(w.n / (b.N + 1)))
}

func BenchmarkHit(b *testing.B)       { benchHit(b, "") }
func BenchmarkHitGzip(b *testing.B)   { benchHit(b, "gzip, deflate") }
func BenchmarkHitBrotli(b *testing.B) { benchHit(b, "gzip, deflate, br, zstd") }

func BenchmarkHitNotModified(b *testing.B) {
	h := New(Options{}).Handler(article16k())
	r := httptest.NewRequest("GET", "/ky/a", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, r)
	r.Header.Set("If-None-Match", w.h.Get("Etag"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
	if w.status != 304 {
		b.Fatal(w.status)
	}
}

func BenchmarkHitParallel(b *testing.B) {
	c := New(Options{})
	h := c.Handler(article16k())
	const pages = 64
	for i := 0; i < pages; i++ {
		h.ServeHTTP(&discard{h: http.Header{}}, httptest.NewRequest("GET", "/ky/a/"+strconv.Itoa(i), nil))
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		reqs := make([]*http.Request, pages)
		for i := range reqs {
			reqs[i] = httptest.NewRequest("GET", "/ky/a/"+strconv.Itoa(i), nil)
			reqs[i].Header.Set("Accept-Encoding", "gzip, br")
		}
		w := &discard{h: http.Header{}}
		i := int(next.Add(1))
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, reqs[i%pages])
			i++
		}
	})
}

// BenchmarkMissRender: every request follows an Invalidate, so each one
// renders, hashes, and stores; the body is unchanged, so the compressed
// variants are reused (the common case after a write elsewhere on the site).
func BenchmarkMissRender(b *testing.B) {
	c := New(Options{})
	h := c.Handler(article16k())
	r := httptest.NewRequest("GET", "/ky/a", nil)
	r.Header.Set("Accept-Encoding", "gzip, br")
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Invalidate()
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// BenchmarkMissRenderChanged: the body changes every time, so gzip -9 and
// brotli are computed on each fill.
func BenchmarkMissRenderChanged(b *testing.B) {
	c := New(Options{})
	base := html(16<<10, "bench")
	var n atomic.Int64
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, base)
		io.WriteString(w, strconv.FormatInt(n.Add(1), 10))
	}))
	r := httptest.NewRequest("GET", "/ky/a", nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Invalidate()
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// BenchmarkFastHit: the FastServer's work per hit without the socket:
// parse the request head, look up, gather the response parts.
func BenchmarkFastHit(b *testing.B) {
	c := New(Options{})
	h := c.Handler(article16k())
	h.ServeHTTP(&discard{h: http.Header{}}, httptest.NewRequest("GET", "/ky/politics/bishkekte-shailoo-otto", nil))
	head := []byte("GET /ky/politics/bishkekte-shailoo-otto HTTP/1.1\r\nHost: localhost:8080\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0\r\n" +
		"Accept: text/html,application/xhtml+xml\r\nAccept-Language: ky,ru;q=0.8\r\n" +
		"Accept-Encoding: gzip, deflate, br, zstd\r\nConnection: keep-alive\r\n\r\n")
	fc := new(fastConn)
	var w discard
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fc.q = fastReq{}
		if fc.q.scan(head) != len(head) {
			b.Fatal("not fast")
		}
		key, _ := c.keyOf(fc.q.path, fc.q.query)
		sh := c.shardFor(key)
		e := c.lookup(sh, key, c.gen.Load())
		if e == nil {
			b.Fatal("miss")
		}
		fc.bufs = c.fastResponse(fc.iov[:0], &fc.q, e)
		fc.bufs.WriteTo(&w)
	}
	b.SetBytes(int64(w.n / b.N))
}
