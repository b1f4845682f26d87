package pagecache

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Handler returns next wrapped by the cache. With a nil *Cache (the
// cache turned off) it only removes the Surrogate-Key header.
func (c *Cache) Handler(next http.Handler) http.Handler {
	if c == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&passWriter{ResponseWriter: w}, r)
		})
	}
	return &handler{c: c, next: next}
}

type handler struct {
	c    *Cache
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := h.c
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		len(r.Header["Authorization"]) > 0 || c.opt.Private(r) {
		c.bypass.Add(1)
		h.next.ServeHTTP(&passWriter{ResponseWriter: w}, r)
		return
	}
	key, ok := c.key(r)
	if !ok {
		c.bypass.Add(1)
		h.next.ServeHTTP(&passWriter{ResponseWriter: w}, r)
		return
	}
	g := c.gen.Load() // before any render: see fill
	sh := c.shardFor(key)
	if e := c.lookup(sh, key, g); e != nil {
		sh.hits.Add(1)
		c.serve(w, r, e, false)
		return
	}
	h.fill(w, r, sh, key, g, c.log.seq.Load())
}

// X-Cache values. Stored entries carry xHit in their prebuilt headers;
// answers rendered for the request say xMiss.
var (
	xHit  = []string{"hit"}
	xMiss = []string{"miss"}
)

// passWriter is the writer of a render the cache does not store: it
// removes the Surrogate-Key header before the response goes out, and
// sets X-Cache when xcache is set.
type passWriter struct {
	http.ResponseWriter
	xcache []string
}

func (p *passWriter) strip() {
	h := p.ResponseWriter.Header()
	delete(h, surrogateKey)
	delete(h, surrogateControl)
	if p.xcache != nil {
		h["X-Cache"] = p.xcache
	}
}

func (p *passWriter) WriteHeader(code int) {
	p.strip()
	p.ResponseWriter.WriteHeader(code)
}

func (p *passWriter) Write(b []byte) (int, error) {
	p.strip()
	return p.ResponseWriter.Write(b)
}

func (p *passWriter) Flush() {
	if f, ok := p.ResponseWriter.(http.Flusher); ok {
		p.strip()
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (p *passWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// key is the cache key of r: see keyOf.
func (c *Cache) key(r *http.Request) (string, bool) {
	return c.keyOf(r.URL.EscapedPath(), r.URL.RawQuery)
}

// keyOf is the cache key of a request for path, which must be escaped as
// url.URL.EscapedPath escapes it (so "/x%3Fa=1" and "/x?a=1" differ, as
// they do for the router), with the raw query rawQuery. The key is the path
// plus, after a '?', the parameters the page reads (Options.QueryParams)
// without tracking ones (Options.IgnoreParam), sorted by name, each name's
// values in their order, re-encoded. An escaped path holds no '?', so the
// key's first '?' starts its query. It is not ok when a parameter the page
// reads is malformed (as url.ParseQuery judges): the handler answers those.
func (c *Cache) keyOf(path, rawQuery string) (string, bool) {
	if rawQuery == "" {
		return path, true
	}
	// The page's parameters are looked up (a route lookup) only once a
	// parameter that is not a tracking one needs them: a hit on a shared
	// link (?utm_source=…, ?fbclid=…) costs none.
	var read []string
	looked := c.opt.QueryParams == nil
	var vals url.Values
	for rest := rawQuery; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if part == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(rawName)
		if !looked && (err != nil || !c.opt.IgnoreParam(name)) {
			looked = true
			if read = c.opt.QueryParams(path); len(read) == 0 {
				return path, true
			}
		}
		switch {
		case err != nil && read != nil:
			continue // not a name the page reads
		case err != nil:
			return "", false
		case c.opt.IgnoreParam(name) || read != nil && !slices.Contains(read, name):
			continue
		case strings.Contains(part, ";"):
			return "", false
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return "", false
		}
		if vals == nil {
			vals = url.Values{}
		}
		vals[name] = append(vals[name], value)
	}
	if len(vals) == 0 {
		return path, true
	}
	return path + "?" + vals.Encode(), true
}

// serve writes a stored entry: headers by direct assignment of precomputed
// slices, one Write of a prebuilt body. rendered marks the answer to the
// request that rendered it (X-Cache: miss); an entry that was not stored
// says miss too.
func (c *Cache) serve(w http.ResponseWriter, r *http.Request, e *entry, rendered bool) {
	v := e.id
	if e.gz != nil || e.br != nil {
		v = e.pick(r.Header["Accept-Encoding"])
	}
	h := w.Header()
	if e.cond && notModified(r.Header["If-None-Match"], headerValue(r.Header, "If-Modified-Since"), e, v) {
		for _, kv := range v.nm {
			h[kv.k] = kv.v
		}
		if rendered || !e.store {
			h["X-Cache"] = xMiss
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for _, kv := range v.header {
		h[kv.k] = kv.v
	}
	if rendered || !e.store {
		h["X-Cache"] = xMiss
	}
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(v.body)
	}
}

type flightKey struct {
	key string
	gen uint64
	seq uint64
}

// flight is one render in progress; res is set before done closes. A nil
// res tells waiters to render for themselves (the response was not
// shareable, or the leader failed).
type flight struct {
	done chan struct{}
	res  *entry
}

type flights struct {
	mu sync.Mutex
	m  map[flightKey]*flight
}

// fill renders a miss once per key, generation and topic change count;
// concurrent requests for the same wait for that render, and a request
// that comes after a change starts a render of its own. The generation g
// and the change count seq were read before the render, so a render
// overlapping an Invalidate is stored under the old generation and never
// served as fresh, and one overlapping a topic change that touches it is
// not stored (insert).
func (h *handler) fill(w http.ResponseWriter, r *http.Request, sh *shard, key string, g, seq uint64) {
	c := h.c
	freq := c.adm.request(keyHash(key))
	fk := flightKey{key, g, seq}
	c.flight.mu.Lock()
	if c.flight.m == nil {
		c.flight.m = make(map[flightKey]*flight)
	}
	if f := c.flight.m[fk]; f != nil {
		c.flight.mu.Unlock()
		select {
		case <-f.done:
		case <-r.Context().Done():
			return
		}
		if f.res != nil {
			sh.hits.Add(1)
			c.serve(w, r, f.res, false)
			return
		}
		c.bypass.Add(1)
		h.next.ServeHTTP(&passWriter{ResponseWriter: w, xcache: xMiss}, r)
		return
	}
	f := &flight{done: make(chan struct{})}
	c.flight.m[fk] = f
	c.flight.mu.Unlock()
	defer func() {
		c.flight.mu.Lock()
		delete(c.flight.m, fk)
		c.flight.mu.Unlock()
		close(f.done)
	}()

	if !c.takeRenderSlot(r.Context()) {
		return // the client left while waiting; waiters render for themselves
	}
	slotHeld := true
	freeSlot := func() {
		if slotHeld {
			slotHeld = false
			c.freeRenderSlot()
		}
	}
	defer freeSlot()
	c.misses.Add(1)
	rec := newRecorder(w, c.opt.MaxEntryBytes)
	defer rec.release()
	h.next.ServeHTTP(rec, renderRequest(r, key))
	if rec.direct {
		return // too large: already streamed to w, not shared
	}
	rec.finish()
	e := c.build(sh, rec, key, g, seq, freq, r.Header["Accept-Encoding"])
	freeSlot() // rendered and compressed: writing to the client needs no slot
	if e == nil {
		rec.writeTo(w, r)
		return
	}
	if e.store && !c.insert(sh, e) {
		e.store = false // waiters get it as rendered: X-Cache: miss
	}
	f.res = e
	c.serve(w, r, e, true)
}

// renderRequest is the request the wrapped handler sees on a miss: always
// GET (so a HEAD miss stores a full body), with the key's query (so the
// response depends on nothing the key leaves out, and a redirect cannot
// carry one reader's tracking parameters to the next), without conditional
// or range headers (so the stored response is complete), and not cancelled
// when the first client goes away (others may be waiting for the render).
func renderRequest(r *http.Request, key string) *http.Request {
	r2 := r.Clone(context.WithoutCancel(r.Context()))
	r2.Method = http.MethodGet
	_, query, _ := strings.Cut(key, "?")
	r2.URL.RawQuery, r2.URL.ForceQuery = query, false
	for _, k := range []string{"If-None-Match", "If-Modified-Since", "If-Match",
		"If-Unmodified-Since", "If-Range", "Range"} {
		delete(r2.Header, k)
	}
	return r2
}

func headerValue(h http.Header, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// takeRenderSlot waits for one of Options.MaxRenders render slots; false
// when ctx ends first.
func (c *Cache) takeRenderSlot(ctx context.Context) bool {
	if c.slots == nil {
		return true
	}
	select {
	case c.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (c *Cache) freeRenderSlot() {
	if c.slots != nil {
		<-c.slots
	}
}
