package pagecache

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/testwait"
)

// topicSite is a test handler whose pages declare their topics: keys maps
// a path to its Surrogate-Key lines (absent: no header). It counts
// renders per path.
type topicSite struct {
	mu    sync.Mutex
	keys  map[string][]string
	calls map[string]int
	body  map[string]string
}

func newTopicSite(keys map[string][]string) *topicSite {
	return &topicSite{keys: keys, calls: map[string]int{}, body: map[string]string{}}
}

func (s *topicSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls[r.URL.Path]++
	lines, tagged := s.keys[r.URL.Path]
	body := s.body[r.URL.Path]
	s.mu.Unlock()
	if tagged {
		w.Header()["Surrogate-Key"] = lines
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, html(2000, r.URL.Path+body))
}

// renders returns how often each path rendered since the last call.
func (s *topicSite) renders() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = map[string]int{}
	return out
}

// fetch gets every path once and reports what X-Cache said for each; no
// answer may carry Surrogate-Key.
func fetch(t *testing.T, cl *client, paths []string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, p := range paths {
		r := cl.get(p)
		if r.status != 200 {
			t.Fatalf("%s: status %d", p, r.status)
		}
		if v, ok := r.header["Surrogate-Key"]; ok {
			t.Errorf("%s: Surrogate-Key %q sent to the client", p, v)
		}
		got[p] = r.header.Get("X-Cache")
	}
	return got
}

func wantMap[V comparable](t *testing.T, what string, got, want map[string]V) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s %s: %v, want %v", what, k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s: %v, want none", what, k, g)
		}
	}
}

// TestInvalidateTopics: a change drops exactly the entries whose
// Surrogate-Key names one of its topics, plus those without a
// Surrogate-Key; an empty Surrogate-Key is dropped by no topic.
func TestInvalidateTopics(t *testing.T) {
	site := newTopicSite(map[string][]string{
		"/home":   {"site l/lang/ky a/1 a/2"},
		"/a1":     {"site a/1", "g/g-1"}, // two header lines
		"/a2":     {"site  a/2\ta/3 "},   // any white space separates
		"/search": {"site search"},
		"/static": {""}, // built from nothing in the store
		// "/unknown" sends no Surrogate-Key: it may depend on anything.
	})
	paths := []string{"/home", "/a1", "/a2", "/search", "/static", "/unknown"}
	c := New(Options{})
	cl := serve(t, c, site)

	all := func(v string) map[string]string {
		m := map[string]string{}
		for _, p := range paths {
			m[p] = v
		}
		return m
	}
	wantMap(t, "first fetch", fetch(t, cl, paths), all("miss"))
	wantMap(t, "second fetch", fetch(t, cl, paths), all("hit"))
	site.renders()

	steps := []struct {
		topics  []string
		renders map[string]int
	}{
		{[]string{"a/3"}, map[string]int{"/a2": 1, "/unknown": 1}},
		{[]string{"a/1", "search"}, map[string]int{"/home": 1, "/a1": 1, "/search": 1, "/unknown": 1}},
		{[]string{"g/g-1"}, map[string]int{"/a1": 1, "/unknown": 1}},
		{[]string{"nobody/reads/this"}, map[string]int{"/unknown": 1}},
		{nil, map[string]int{}},          // nothing changed: nothing dropped
		{[]string{""}, map[string]int{}}, // not a topic
		{[]string{"site"}, map[string]int{"/home": 1, "/a1": 1, "/a2": 1, "/search": 1, "/unknown": 1}},
	}
	for _, s := range steps {
		c.InvalidateTopics(s.topics...)
		want := all("hit")
		for p := range s.renders {
			want[p] = "miss"
		}
		wantMap(t, fmt.Sprintf("after %q: X-Cache", s.topics), fetch(t, cl, paths), want)
		wantMap(t, fmt.Sprintf("after %q: renders", s.topics), site.renders(), s.renders)
	}
	// Invalidate is everything, the empty Surrogate-Key included.
	c.Invalidate()
	wantMap(t, "after Invalidate", fetch(t, cl, paths), all("miss"))
	checkIndex(t, c)
	if s := c.Stats(); s.Changes != 5 || s.Dropped != 14 || s.Fresh != 6 {
		t.Errorf("stats: %d changes, %d dropped, %d fresh; want 5, 14, 6", s.Changes, s.Dropped, s.Fresh)
	}
}

// TestTopicDropKeepsValidators: an entry a topic dropped is kept, stale,
// so that a render with the same bytes keeps its ETag and Last-Modified
// (as after Invalidate).
func TestTopicDropKeepsValidators(t *testing.T) {
	site := newTopicSite(map[string][]string{"/a": {"a/1"}})
	c := New(Options{})
	cl := serve(t, c, site)
	r1 := cl.get("/a")
	time.Sleep(1100 * time.Millisecond) // Last-Modified has one-second steps
	c.InvalidateTopics("a/1")
	r2 := cl.get("/a")
	if r2.header.Get("X-Cache") != "miss" {
		t.Fatal("not dropped")
	}
	for _, k := range []string{"Etag", "Last-Modified"} {
		if r1.header.Get(k) != r2.header.Get(k) {
			t.Errorf("%s changed across a drop of the same bytes: %q, %q", k, r1.header.Get(k), r2.header.Get(k))
		}
	}
}

// TestTopicRace: a render in flight when a change that touches its
// topics comes is answered but not stored, and a request that comes after
// the change does not wait for it; a change of other topics does not
// keep it out.
func TestTopicRace(t *testing.T) {
	for _, c := range []struct {
		name   string
		topics []string
		stored bool
	}{
		{"touched", []string{"a/1"}, false},
		{"touched, untagged", nil, false},
		{"other topic", []string{"a/2"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var calls atomic.Int64
			var body atomic.Value
			body.Store("old")
			started, release := make(chan struct{}), make(chan struct{})
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b := body.Load().(string) // read the "store"
				if calls.Add(1) == 1 {
					close(started)
					testwait.Recv(t, release, "the test to release the first render")
				}
				if c.topics != nil {
					w.Header().Set("Surrogate-Key", "site a/1")
				}
				io.WriteString(w, b)
			})
			cache := New(Options{MaxRenders: 2}) // a second render runs while the first is held
			cl := serve(t, cache, h)
			first := make(chan resp)
			go func() { first <- cl.get("/r") }()
			testwait.Recv(t, started, "the first render to start")
			body.Store("new") // a write commits...
			topics := c.topics
			if topics == nil {
				topics = []string{"a/7"}
			}
			cache.InvalidateTopics(topics...) // ...and its change comes while the old render runs
			// A request after the change renders for itself, at once.
			if r := cl.get("/r"); string(r.body) != "new" || r.header.Get("X-Cache") != "miss" {
				t.Errorf("request after the change: %q, X-Cache %q", r.body, r.header.Get("X-Cache"))
			}
			close(release)
			if r := testwait.Recv(t, first, "the first render's answer"); string(r.body) != "old" || r.header.Get("X-Cache") != "miss" {
				t.Fatalf("first render: %q, X-Cache %q", r.body, r.header.Get("X-Cache"))
			}
			want := "new"
			if c.stored {
				want = "old" // the old render was as good: no topic of it changed
			}
			if r := cl.get("/r"); string(r.body) != want || r.header.Get("X-Cache") != "hit" {
				t.Errorf("then: %q, X-Cache %q; want %q, hit", r.body, r.header.Get("X-Cache"), want)
			}
			if s := cache.Stats(); (s.Raced == 1) == c.stored {
				t.Errorf("raced renders: %d", s.Raced)
			}
		})
	}
}

// TestTopicRaceBeyondLog: a render that began before more changes than
// the log keeps is not stored, whatever they touched.
func TestTopicRaceBeyondLog(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(started)
			testwait.Recv(t, release, "the test to release the render")
		}
		w.Header().Set("Surrogate-Key", "a/1")
		io.WriteString(w, "x")
	})
	c := New(Options{})
	cl := serve(t, c, h)
	done := make(chan resp)
	go func() { done <- cl.get("/r") }()
	testwait.Recv(t, started, "the render to start")
	for i := range changeRing + 1 {
		c.InvalidateTopics(fmt.Sprintf("a/%d", 1000+i))
	}
	close(release)
	testwait.Recv(t, done, "the answer")
	if r := cl.get("/r"); r.header.Get("X-Cache") != "miss" || calls.Load() != 2 {
		t.Errorf("stored past the log: X-Cache %q, %d renders", r.header.Get("X-Cache"), calls.Load())
	}
	// As many changes as the log keeps, none touching the entry: fresh;
	// one more: the log no longer reaches back, so it is taken as touched.
	c2 := New(Options{})
	e := &entry{seq: c2.log.seq.Load(), topics: []string{"a/1"}, tagged: true}
	for i := range changeRing {
		c2.InvalidateTopics(fmt.Sprintf("a/%d", 1000+i))
	}
	if c2.changedSince(e) {
		t.Error("changes the log still holds, none touching the entry, kept it out")
	}
	c2.InvalidateTopics("a/5000")
	if !c2.changedSince(e) {
		t.Error("a render older than the log was taken as fresh")
	}
}

// TestTopicIndexFollowsEvictions: entries evicted, replaced, expired or
// dropped leave the topic index; the index holds exactly the live
// entries under each of their topics.
func TestTopicIndexFollowsEvictions(t *testing.T) {
	var n atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/p")
		w.Header().Set("Surrogate-Key", "site a/"+id+" l/"+id+" x/"+fmt.Sprint(n.Add(1)))
		w.Header().Set("Content-Type", "image/x-test") // identity only
		io.WriteString(w, strings.Repeat("x", 3000))
	})
	c := New(Options{MaxBytes: 64 << 10})
	cl := serve(t, c, h)
	for round := range 6 {
		for i := range 200 {
			p := fmt.Sprintf("/p%d", i%60)
			cl.get(p)
			cl.get(p)
			if i%37 == 0 {
				c.InvalidateTopics(fmt.Sprintf("a/%d", i%60))
			}
		}
		if round == 3 {
			c.Invalidate()
		}
		checkIndex(t, c)
	}
	s := c.Stats()
	if s.Evictions == 0 {
		t.Fatal("nothing evicted: the test proves nothing")
	}
	// Every live entry has 4 topics, 3 of its own and "site"; no dead or
	// evicted entry leaves a topic behind.
	if max := 3*s.Entries + numShards; s.Topics > max {
		t.Errorf("%d topics indexed for %d entries: the index leaks", s.Topics, s.Entries)
	}
}

// checkIndex verifies the topic index against the entries.
func checkIndex(t *testing.T, c *Cache) {
	t.Helper()
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.RLock()
		for topic, set := range sh.byTopic {
			if set.len() == 0 || set.one != nil && set.many != nil {
				t.Errorf("shard %d: set for %q: %+v", i, topic, set)
			}
			for _, e := range set.all() {
				switch {
				case sh.m[e.key] != e:
					t.Errorf("shard %d: %q indexes %s, which is not stored", i, topic, e.key)
				case e.dead.Load():
					t.Errorf("shard %d: %q indexes %s, which was dropped", i, topic, e.key)
				case topic == untagged && e.tagged, topic != untagged && !slices.Contains(e.topics, topic):
					t.Errorf("shard %d: %q indexes %s, whose topics are %q", i, topic, e.key, e.topics)
				}
			}
		}
		for _, e := range sh.m {
			if e.dead.Load() {
				continue
			}
			ts := e.topics
			if !e.tagged {
				ts = []string{untagged}
			}
			for _, topic := range ts {
				if !sh.byTopic[topic].has(e) {
					t.Errorf("shard %d: %s not indexed under %q", i, e.key, topic)
				}
			}
		}
		sh.mu.RUnlock()
	}
}

// TestXCacheAndSurrogateKeyOnEveryPath: every answer that went through
// the cache says hit or miss, and none carries Surrogate-Key: stored,
// handed to waiters, refused by admission, not shareable, too large,
// bypassed, on net/http and on the fast front.
func TestXCacheAndSurrogateKeyOnEveryPath(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Surrogate-Key", "site a/1")
		switch r.URL.Path {
		case "/cookie":
			w.Header().Set("Set-Cookie", "s=1")
		case "/large":
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, strings.Repeat("l", 5000))
			return
		case "/error":
			w.WriteHeader(http.StatusInternalServerError)
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
		case "/moved":
			http.Redirect(w, r, "/a", http.StatusMovedPermanently)
			return
		case "/found":
			http.Redirect(w, r, "/a", http.StatusFound)
			return
		case "/flush":
			io.WriteString(w, "part")
			http.NewResponseController(w).Flush()
		}
		io.WriteString(w, "body of "+r.URL.Path)
	})
	c := New(Options{MaxBytes: 1 << 20, MaxEntryBytes: 4096})
	_, addr := fastServe(t, c, h)
	cl := newClient(t, addr)
	cl.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cl.hc.Transport.(*http.Transport).DisableKeepAlives = true // each request on the fast path first

	for _, c := range []struct {
		method, path string
		hdrs         []string
		want         []string // X-Cache of two requests in a row
	}{
		{"GET", "/a", nil, []string{"miss", "hit"}},
		{"HEAD", "/head", nil, []string{"miss", "hit"}},
		{"GET", "/missing", nil, []string{"miss", "hit"}},
		{"GET", "/moved", nil, []string{"miss", "hit"}},
		{"GET", "/found", nil, []string{"miss", "miss"}},         // 302: not stored
		{"GET", "/error", nil, []string{"miss", "miss"}},         // 500: not stored
		{"GET", "/cookie", nil, []string{"miss", "miss"}},        // not shareable
		{"GET", "/large", nil, []string{"miss", "miss"}},         // streamed, too large
		{"GET", "/flush", nil, []string{"miss", "hit"}},          // a flush while buffering is ignored
		{"GET", "/a", []string{"Cookie: s=1"}, []string{"", ""}}, // bypass: no cache, no X-Cache
		{"POST", "/a", nil, []string{"", ""}},
		{"GET", "/a%2Fb", nil, []string{"miss", "hit"}}, // net/http path (escaped)
	} {
		for i, want := range c.want {
			r := cl.do(c.method, c.path, c.hdrs...)
			if v, ok := r.header["Surrogate-Key"]; ok {
				t.Errorf("%s %s #%d: Surrogate-Key %q sent", c.method, c.path, i+1, v)
			}
			if got := r.header.Get("X-Cache"); got != want {
				t.Errorf("%s %s #%d: X-Cache %q, want %q", c.method, c.path, i+1, got, want)
			}
		}
	}
	// 304 from the fast front and from net/http (an escaped path).
	for _, p := range []string{"/a", "/a%2Fb"} {
		etag := cl.get(p).header.Get("Etag")
		r := cl.get(p, "If-None-Match: "+etag)
		if r.status != http.StatusNotModified || r.header.Get("X-Cache") != "hit" || r.header["Surrogate-Key"] != nil {
			t.Errorf("%s conditional: %d, X-Cache %q, Surrogate-Key %q", p, r.status, r.header.Get("X-Cache"), r.header["Surrogate-Key"])
		}
	}
}

// TestXCacheWaiters: requests that wait for another's render of a stored
// page are hits; the renderer's own answer is the miss.
func TestXCacheWaiters(t *testing.T) {
	const n = 8
	var arrived, calls atomic.Int64
	all := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		testwait.Recv(t, all, "every request to reach the cache")
		io.WriteString(w, "x")
	})
	inner := New(Options{}).Handler(h)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if arrived.Add(1) == n {
			close(all)
		}
		inner.ServeHTTP(w, r)
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: n}
	defer tr.CloseIdleConnections()
	cl := &client{t: t, url: srv.URL, hc: &http.Client{Transport: tr}}
	got := make(chan string, n)
	for range n {
		go func() { got <- cl.get("/w").header.Get("X-Cache") }()
	}
	count := map[string]int{}
	for range n {
		count[testwait.Recv(t, got, "an answer")]++
	}
	if calls.Load() != 1 || count["miss"] != 1 || count["hit"] != n-1 {
		t.Errorf("%d renders, X-Cache %v; want 1 render, 1 miss and %d hits", calls.Load(), count, n-1)
	}
}
