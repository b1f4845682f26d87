// Package pagecache is an in-memory cache of rendered public pages. It wraps
// any http.Handler and serves repeated GET and HEAD requests from memory,
// with precompressed gzip and brotli variants, strong ETags, Last-Modified,
// 304 answers and CDN-friendly Cache-Control.
//
// # Invalidation
//
// By topic, as with Fastly's Surrogate-Key and Varnish's xkey. A handler
// names what its answer was built from in a Surrogate-Key response header:
// topics, space-separated ("site a/12 l/section/3"). The cache reads the
// header and removes it: it never reaches a client, stored or not, hit or
// bypassed (a nil *Cache removes it too). InvalidateTopics drops exactly
// the entries whose Surrogate-Key names one of its topics, and every entry
// that had no Surrogate-Key (it may depend on anything); an entry with an
// empty Surrogate-Key depends on nothing a change names. Invalidate drops
// everything at once: it bumps a whole-site generation, and an entry is
// served only while its generation is the current one. The cache knows
// nothing of what topics mean: the jarchy domain computes which topics a
// write touched (jarchy.Change), the stores report each committed write's
// change, and Watch applies them (All: Invalidate; topics:
// InvalidateTopics).
//
// A render reads the generation and the count of topic changes before it
// calls the wrapped handler. Its result is stored under that generation,
// so a render that raced with Invalidate is never served as fresh; and it
// is not stored at all when a topic change that touches it came while it
// rendered (the cache keeps the topics of the last 1024 changes; a render
// older than those is not stored either). Renders of one key run once per
// generation and change count; concurrent requests wait for that render
// (singleflight), and a request that comes after a change renders anew.
// A dropped entry stays, stale, until it is evicted or replaced, so that a
// render with the same bytes keeps its ETag, Last-Modified and compressed
// variants.
//
// Every answer that went through the cache says X-Cache: hit (served from
// a stored entry, also to a request that waited for its render) or
// X-Cache: miss (rendered for this request, or not stored); bypassed
// requests get neither.
//
// # What is cached
//
// Requests: GET and HEAD only (a HEAD miss renders with GET, so the stored
// body is complete). Requests with an Authorization header, or that
// Options.Private marks private (by default: any Cookie header), bypass the
// cache both ways. Request Cache-Control is ignored: clients cannot force
// renders. Conditional and Range headers are removed before the wrapped
// handler runs; a hit always answers 200 or 304 with the full body (Range is
// ignored, as RFC 9110 allows).
//
// Keys are the escaped path, as url.URL.EscapedPath gives it and as
// net/http's ServeMux matches it (so "/x%3Fa=1" and "/x?a=1" are two
// entries, as they are two routes), plus the query parameters the page
// reads (Options.QueryParams: those its route declares), without tracking
// parameters (Options.IgnoreParam; by default utm_*, fbclid, gclid,
// yclid), sorted by name. Other parameters are not part of the key, and on
// a miss the wrapped handler gets the request with the key's query only:
// "/ky/?anything=N" is a hit on "/ky/", and a stored redirect cannot carry
// one reader's utm_source to the next. The host is not part of the key:
// the wrapped handler must not render differently per Host. A request
// whose read parameters do not parse goes straight to the handler.
//
// Responses: 200 is kept until a change drops it. 301 and 404 are kept
// too, but also expire after Options.ShortTTL, so junk URLs age out; other
// statuses are not stored. Never stored: responses with Set-Cookie, with
// Cache-Control private, no-store or no-cache, with Content-Encoding already
// set, with a Vary other than Accept-Encoding, with trailers, or larger than
// Options.MaxEntryBytes.
//
// A Cache-Control set by the handler (say "public, max-age=31536000,
// immutable" for fingerprinted assets) is kept; otherwise 200 gets
// Options.CacheControl and 301/404 get Options.ShortCacheControl.
//
// # Admission
//
// The cache stores a new key only if it earns its place (TinyLFU, see
// admission): a key that misses for the first time is stored when room
// can be made from free space or stale and expired entries; a key that
// missed before also when it is more frequent than the live entry the
// CLOCK hand would evict. So a flood of distinct URLs that render (page
// numbers past the end, search queries, unknown slugs) is answered but
// pushes no live page out. A render that is not stored still serves its
// requester and the requests waiting for it, with the headers a stored
// one gets, compressed with gzip only (when the request takes it).
// Stats.Rejected counts them.
//
// # Variants and validators
//
// Compressible types (text/*, JSON, XML, JavaScript, SVG) of at least
// Options.MinCompressBytes are stored three times: identity, gzip
// (github.com/klauspost/compress; Options.GzipLevel, default 6) and brotli
// (Options.BrotliLevel, default 5), each
// compressed once at fill time and kept only when smaller. Accept-Encoding
// picks the highest q-value, ties going to br, then gzip, then identity;
// such responses carry Vary: Accept-Encoding. Each variant has a strong
// ETag that hashes its bytes. Last-Modified is the handler's, else the
// time this body was first stored: a re-render after an invalidation that
// yields the same bytes keeps ETag, Last-Modified and the compressed
// variants (no recompression). If-None-Match (else If-Modified-Since) is
// answered with 304 for 200 entries.
//
// # Wiring
//
//	site := web.New(cfg, store, media) // its routes declare their parameters
//	c := pagecache.New(pagecache.Options{MaxBytes: 128 << 20, QueryParams: site.QueryParams})
//	// after every committed write: c.InvalidateTopics(topics...) or c.Invalidate()
//	srv := &http.Server{Handler: c.Handler(site)}
//	srv.Serve(ln) // plain net/http: HTTP/2, TLS, any middleware
//	// or hits below net/http, everything else through srv:
//	pagecache.NewFastServer(c, srv).Serve(ln)
//
// Middleware that sets response headers (security headers, say) belongs
// inside c.Handler, so its headers are stored with the page and replayed
// on hits, also by the FastServer. A nil *Cache is the cache turned off:
// Handler returns the handler as is.
//
// # Hit path
//
// A hit reads the generation, hashes the key once to pick one of 32
// RWMutex shards, assigns precomputed header slices directly into the
// response header map and writes one prebuilt body: no allocation
// (BenchmarkHit*; a query string costs its parsing). Eviction is CLOCK
// (second chance) per shard, round-robin over shards, until the bytes of
// all variants fit Options.MaxBytes; the hand takes a stale, dropped or
// expired entry it meets at once, a live one only if not hit since its
// last pass and, for a new key, only if admission agrees. Each shard
// indexes its live entries by topic; an entry leaves the index when it is
// dropped, replaced or evicted, and its topics count in its size.
package pagecache

import (
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jarchy/jarchy"
)

// Options configure a Cache. Zero values take the documented defaults.
type Options struct {
	// MaxBytes bounds the memory held by entries, counting the bodies of
	// all variants plus a per-entry overhead. Default 64 MiB.
	MaxBytes int64
	// MaxEntryBytes is the largest identity body that is stored.
	// Default MaxBytes/16.
	MaxEntryBytes int
	// CacheControl is sent with cached 200 responses whose handler set none.
	// Default "public, max-age=30, stale-while-revalidate=60".
	CacheControl string
	// ShortCacheControl is sent with cached 301 and 404 responses whose
	// handler set none. Default "public, max-age=10".
	ShortCacheControl string
	// ShortTTL is how long 301 and 404 responses stay cached (within one
	// generation). Default 10 s; negative disables caching them.
	ShortTTL time.Duration
	// Private reports whether a request is private to one reader and must
	// bypass the cache. Requests with Authorization always bypass. Default:
	// any request with a Cookie header. PrivateCookies narrows it to named
	// cookies.
	Private func(r *http.Request) bool
	// QueryParams returns the query parameters the page at an escaped path
	// reads (the parameters its route declares). The others are left out of
	// the key, and the handler never sees them on a miss. nil: every
	// parameter is read.
	QueryParams func(escapedPath string) []string
	// IgnoreParam reports whether a query parameter is left out of the key
	// even when read (tracking parameters). Default: utm_*, fbclid, gclid,
	// yclid.
	IgnoreParam func(name string) bool
	// GzipLevel and BrotliLevel are used once per distinct body at fill
	// time (a body unchanged across an invalidation reuses its compressed
	// variants). Defaults 6 and 5, chosen by BenchmarkCompressLevels on the
	// demo edition's pages (bench/README.md): on the 15 KB article gzip 6
	// takes 0.16 ms for 2 % more bytes than gzip 9 (0.37 ms; compress/gzip
	// -9 0.39 ms), and brotli 5 0.73 ms for 1.5 % more than brotli 9
	// (0.89 ms); brotli 4 is no smaller than gzip 6, brotli 11 takes 42 ms.
	GzipLevel   int
	BrotliLevel int
	// MinCompressBytes: bodies shorter than this are stored identity only.
	// Default 256.
	MinCompressBytes int
	// OmitDate suppresses the Date header on hits. RFC 9110 asks an origin
	// with a clock to send Date, so it is off by default.
	OmitDate bool
	// MaxRenders bounds the misses rendered (and compressed) at once;
	// others wait their turn. Hits never wait, so a flood of misses
	// cannot take every core from them. Default GOMAXPROCS-1 (at least
	// 1); negative: no bound.
	MaxRenders int
}

// Cache is a page cache. Create it with New; use Handler to wrap a handler.
// A nil *Cache is valid: its Handler returns next unchanged.
type Cache struct {
	opt    Options
	gen    atomic.Uint64
	shards [numShards]shard
	bytes  atomic.Int64
	hand   atomic.Uint32 // eviction round-robin over shards
	flight flights
	adm    *admission
	log    changeLog
	slots  chan struct{} // render slots (Options.MaxRenders); nil: no bound

	misses, evictions, bypass, rejected, dropped, raced atomic.Int64 // hits are counted per shard
}

// changeRing is how many topic changes the log keeps: a render that
// began more changes ago than this is not stored.
const changeRing = 1024

// changeLog numbers the topic changes (seq) and keeps the topics of the
// last changeRing of them, so that a fill can tell whether a change
// that touches its entry came while it rendered.
type changeLog struct {
	mu   sync.Mutex
	seq  atomic.Uint64        // changes so far; written under mu
	ring [changeRing][]string // topics of change n at n % changeRing
}

// New returns a cache with the options, defaults filled in.
func New(opt Options) *Cache {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = 64 << 20
	}
	if opt.MaxEntryBytes <= 0 {
		opt.MaxEntryBytes = int(opt.MaxBytes / 16)
	}
	if opt.CacheControl == "" {
		opt.CacheControl = "public, max-age=30, stale-while-revalidate=60"
	}
	if opt.ShortCacheControl == "" {
		opt.ShortCacheControl = "public, max-age=10"
	}
	if opt.ShortTTL == 0 {
		opt.ShortTTL = 10 * time.Second
	}
	if opt.Private == nil {
		opt.Private = anyCookie
	}
	if opt.IgnoreParam == nil {
		opt.IgnoreParam = trackingParam
	}
	if opt.GzipLevel == 0 {
		opt.GzipLevel = 6
	}
	if opt.BrotliLevel == 0 {
		opt.BrotliLevel = 5
	}
	if opt.MinCompressBytes <= 0 {
		opt.MinCompressBytes = 256
	}
	if opt.MaxRenders == 0 {
		opt.MaxRenders = max(1, runtime.GOMAXPROCS(0)-1)
	}
	c := &Cache{opt: opt, adm: newAdmission(opt.MaxBytes)}
	if opt.MaxRenders > 0 {
		c.slots = make(chan struct{}, opt.MaxRenders)
	}
	for i := range c.shards {
		c.shards[i].m = make(map[string]*entry)
		c.shards[i].byTopic = make(map[string]entrySet)
	}
	return c
}

// Invalidate makes every cached entry stale at once (a change of
// everything). It is cheap and safe to call from any goroutine.
func (c *Cache) Invalidate() {
	if c != nil {
		c.gen.Add(1)
	}
}

// InvalidateTopics drops the entries built from any of topics (their
// Surrogate-Key names one of them) and every entry that had no
// Surrogate-Key. No topics: nothing changed, nothing is dropped. It is
// safe to call from any goroutine; a render in flight that one of the
// topics touches is not stored.
func (c *Cache) InvalidateTopics(topics ...string) {
	if c == nil {
		return
	}
	ts := make([]string, 0, len(topics))
	for _, t := range topics {
		if t != untagged {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)

	c.log.mu.Lock()
	n := c.log.seq.Load() + 1
	c.log.ring[n%changeRing] = ts
	c.log.seq.Store(n)
	c.log.mu.Unlock()

	dropped := 0
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		dropped += sh.drop(untagged)
		for _, t := range ts {
			dropped += sh.drop(t)
		}
		sh.mu.Unlock()
	}
	c.dropped.Add(int64(dropped))
}

// changedSince reports whether a topic change that touches e came after
// e's render began: e.seq changes had been logged then. An entry without
// a Surrogate-Key is touched by every change; one whose render began
// before the oldest change the log keeps is taken as touched.
func (c *Cache) changedSince(e *entry) bool {
	c.log.mu.Lock()
	defer c.log.mu.Unlock()
	now := c.log.seq.Load()
	switch {
	case now == e.seq:
		return false
	case now-e.seq > changeRing || !e.tagged:
		return true
	}
	for n := e.seq + 1; n <= now; n++ {
		if intersect(e.topics, c.log.ring[n%changeRing]) {
			return true
		}
	}
	return false
}

// intersect reports whether two sorted lists share an element.
func intersect(a, b []string) bool {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// Generation returns the current cache generation (bumped by Invalidate).
func (c *Cache) Generation() uint64 { return c.gen.Load() }

// Subscriber is what Watch needs from a store: jarchy.ChangeFeed has it.
type Subscriber interface {
	Subscribe(fn func(jarchy.Change)) (unsubscribe func())
}

// Watch applies every change the store reports to c: a change of
// everything drops every entry (Invalidate), a change of topics drops the
// entries built from them (InvalidateTopics). Writes of this process
// arrive at once, writes of other processes when the store learns of
// them; a write that touched nothing public is not reported. It returns
// the function that stops watching.
func Watch(store Subscriber, c *Cache) (stop func()) {
	return store.Subscribe(func(ch jarchy.Change) {
		if ch.All {
			c.Invalidate()
			return
		}
		c.InvalidateTopics(ch.Strings()...)
	})
}

// Stats is a snapshot of counters.
type Stats struct {
	Entries    int // held, fresh or stale (kept for reuse until evicted)
	Fresh      int // entries a request would be served from now
	Topics     int // topics in the index, summed over shards
	Bytes      int64
	Hits       int64 // served from memory, including singleflight waiters
	Misses     int64 // renders through the cache (one per singleflight)
	Rejected   int64 // renders not stored: admission kept the entries there
	Raced      int64 // renders not stored: a change touched them while they rendered
	Dropped    int64 // entries dropped by InvalidateTopics
	Bypassed   int64 // requests the cache did not handle
	Evictions  int64
	Generation uint64 // bumped by Invalidate
	Changes    uint64 // InvalidateTopics calls that named a topic
}

// Stats returns the current counters.
func (c *Cache) Stats() Stats {
	s := Stats{
		Bytes:      c.bytes.Load(),
		Misses:     c.misses.Load(),
		Rejected:   c.rejected.Load(),
		Raced:      c.raced.Load(),
		Dropped:    c.dropped.Load(),
		Bypassed:   c.bypass.Load(),
		Evictions:  c.evictions.Load(),
		Generation: c.gen.Load(),
		Changes:    c.log.seq.Load(),
	}
	now := time.Now().UnixNano()
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.RLock()
		s.Entries += len(sh.m)
		s.Topics += len(sh.byTopic)
		for _, e := range sh.m {
			if e.gen == s.Generation && !e.dead.Load() && (e.expires == 0 || now <= e.expires) {
				s.Fresh++
			}
		}
		s.Hits += sh.hits.Load()
		sh.mu.RUnlock()
	}
	return s
}

// anyCookie is the default Private rule: any cookie makes a request private.
func anyCookie(r *http.Request) bool {
	return len(r.Header["Cookie"]) > 0
}

// PrivateCookies returns a Private rule under which only the named cookies
// (a session, say) make a request private; other cookies (a language or
// consent choice the pages do not depend on) are ignored.
func PrivateCookies(names ...string) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		if len(r.Header["Cookie"]) == 0 {
			return false
		}
		for _, n := range names {
			if _, err := r.Cookie(n); err == nil {
				return true
			}
		}
		return false
	}
}

func trackingParam(name string) bool {
	return strings.HasPrefix(name, "utm_") || name == "fbclid" || name == "gclid" || name == "yclid"
}
