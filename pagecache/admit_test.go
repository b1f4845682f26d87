package pagecache

import (
	"fmt"
	"strings"
	"testing"
)

// checkBytes: the byte count equals the sizes of the stored entries (no
// reservation leaked).
func checkBytes(t *testing.T, c *Cache) {
	t.Helper()
	var sum int64
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.RLock()
		for _, e := range sh.m {
			sum += e.size
		}
		sh.mu.RUnlock()
	}
	if b := c.Stats().Bytes; b != sum {
		t.Errorf("%d bytes counted, entries hold %d", b, sum)
	}
}

// fillToBound asks for new pages once each until the cache refuses one
// (it is full), and returns their paths.
func fillToBound(t *testing.T, c *Cache, cl *client) []string {
	t.Helper()
	var paths []string
	for i := 0; c.Stats().Rejected == 0; i++ {
		if i == 1000 {
			t.Fatal("the cache never filled up")
		}
		paths = append(paths, fmt.Sprintf("/warm%d", i))
		cl.get(paths[len(paths)-1])
	}
	return paths[:len(paths)-1] // the last one was refused
}

// TestFloodKeepsLivePages: once the cache is full, a flood of distinct
// URLs, each asked for once, is rendered and answered but evicts nothing,
// not even pages that were not hit during the flood. Plain CLOCK (or LRU)
// would have replaced every one of them. No timing: the outcome depends
// only on the order of requests.
func TestFloodKeepsLivePages(t *testing.T) {
	const max = 64 << 10
	p := newPage(strings.Repeat("x", 4000))
	p.headers = map[string]string{"Content-Type": "image/x-test"} // identity only: sizes predictable
	c := New(Options{MaxBytes: max})
	cl := serve(t, c, p)
	hot := []string{"/hot0", "/hot1", "/hot2"}
	for _, h := range hot {
		for range 5 {
			cl.get(h)
		}
	}
	warm := fillToBound(t, c, cl)
	before := c.Stats()
	const flood = 2000
	for i := 0; i < flood; i++ {
		q := fmt.Sprintf("page=%d", i)
		r := cl.get("/flood?" + q)
		if r.status != 200 || string(r.body) != p.body+q {
			t.Fatalf("flood request %d: %d, %d bytes: the requester must get its render", i, r.status, len(r.body))
		}
	}
	s := c.Stats()
	if s.Evictions != before.Evictions || s.Rejected != before.Rejected+flood || s.Bytes > max {
		t.Errorf("flood of %d distinct URLs: %d evictions, %d refused, %d bytes (bound %d); want 0 evictions, all refused",
			flood, s.Evictions-before.Evictions, s.Rejected-before.Rejected, s.Bytes, max)
	}
	renders := p.calls.Load()
	for _, path := range append(hot, warm...) {
		cl.get(path)
	}
	if n := p.calls.Load() - renders; n != 0 {
		t.Errorf("%d of %d pages cached before the flood were rendered again after it", n, len(hot)+len(warm))
	}
	checkBytes(t, c)
}

// TestRepeatedKeyAdmitted: once full, a key asked for a second time
// displaces a page asked for once; the first request of a key is answered
// but not stored.
func TestRepeatedKeyAdmitted(t *testing.T) {
	const max = 64 << 10
	p := newPage(strings.Repeat("y", 4000))
	p.headers = map[string]string{"Content-Type": "image/x-test"}
	c := New(Options{MaxBytes: max})
	cl := serve(t, c, p)
	fillToBound(t, c, cl)
	before := c.Stats()
	cl.get("/new")
	cl.get("/new")
	if s := c.Stats(); s.Evictions != before.Evictions+1 || s.Rejected != before.Rejected+1 {
		t.Errorf("second request of a new key: %d evictions, %d refused, want 1 and 1 (the first request)",
			s.Evictions-before.Evictions, s.Rejected-before.Rejected)
	}
	renders := p.calls.Load()
	if cl.get("/new"); p.calls.Load() != renders {
		t.Error("the key asked for twice was not stored")
	}
	checkBytes(t, c)
}

// TestStaleEntriesMakeRoom: after an invalidation every entry is stale,
// and a key asked for the first time takes a stale entry's place.
func TestStaleEntriesMakeRoom(t *testing.T) {
	const max = 64 << 10
	p := newPage(strings.Repeat("z", 4000))
	p.headers = map[string]string{"Content-Type": "image/x-test"}
	c := New(Options{MaxBytes: max})
	cl := serve(t, c, p)
	fillToBound(t, c, cl)
	c.Invalidate()
	before := c.Stats()
	cl.get("/after")
	renders := p.calls.Load()
	cl.get("/after")
	if s := c.Stats(); p.calls.Load() != renders || s.Evictions == before.Evictions || s.Rejected != before.Rejected {
		t.Errorf("first request after an invalidation not stored in place of a stale entry: %+v", s)
	}
	checkBytes(t, c)
}

// TestRefusedAnswerLikeStored: a render the cache does not store is
// answered with the headers a stored one gets (Cache-Control, ETag, Vary,
// Last-Modified) and gzip when the request takes it, with the same gzip
// bytes and ETag as once it is stored; a request that takes only br gets
// identity, not a brotli compression made for one reader.
func TestRefusedAnswerLikeStored(t *testing.T) {
	p := newPage(html(6000, "refused"))
	c := New(Options{MaxBytes: 128 << 10})
	cl := serve(t, c, p)
	fillToBound(t, c, cl)
	before := c.Stats().Rejected
	refused := cl.get("/r", "Accept-Encoding: gzip, br")
	brOnly := cl.get("/s", "Accept-Encoding: br")
	if c.Stats().Rejected != before+2 {
		t.Fatal("first requests were stored")
	}
	stored := cl.get("/r", "Accept-Encoding: gzip") // second request: admitted
	renders := p.calls.Load()
	if cl.get("/r", "Accept-Encoding: gzip"); p.calls.Load() != renders {
		t.Fatal("the second request of a key was not stored")
	}
	if refused.header.Get("Content-Encoding") != "gzip" || string(gunzip(t, refused.body)) != p.body {
		t.Errorf("refused render: Content-Encoding %q, want gzip", refused.header.Get("Content-Encoding"))
	}
	for _, k := range []string{"Content-Encoding", "Etag", "Vary", "Cache-Control", "Content-Length", "Content-Type"} {
		if refused.header.Get(k) != stored.header.Get(k) {
			t.Errorf("%s: refused %q, stored %q", k, refused.header.Get(k), stored.header.Get(k))
		}
	}
	if refused.header.Get("Last-Modified") == "" || refused.header.Get("Etag") == "" {
		t.Errorf("refused render without validators: %v", refused.header)
	}
	if brOnly.header.Get("Content-Encoding") != "" || string(brOnly.body) != p.body ||
		brOnly.header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("br-only request of a refused render: Content-Encoding %q, Vary %q", brOnly.header.Get("Content-Encoding"), brOnly.header.Get("Vary"))
	}
	checkBytes(t, c)
}

// TestMakeRoomReserves: room found for one new key is reserved, so that a
// concurrent fill cannot be told the same room is free (both would be
// stored, and the overshoot evicted live entries without admission).
func TestMakeRoomReserves(t *testing.T) {
	c := New(Options{MaxBytes: 10000})
	if !c.makeRoom(6000, 1) {
		t.Fatal("no room in an empty cache")
	}
	if c.makeRoom(6000, 1) {
		t.Error("the same room was granted twice")
	}
	if s := c.Stats(); s.Bytes != 6000 || s.Evictions != 0 {
		t.Errorf("after one grant: %d bytes counted, %d evictions; want 6000 and 0", s.Bytes, s.Evictions)
	}
	if !c.makeRoom(4000, 1) {
		t.Error("the rest of the room was refused")
	}
}
