package pagecache

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// echo renders what the handler saw of the target, and counts renders per
// escaped path and query. /old redirects to /new with its query, as a
// handler that copies r.URL.RawQuery into a Location does.
type echo struct {
	mu      sync.Mutex
	renders map[string]int
}

func (e *echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	if e.renders == nil {
		e.renders = map[string]int{}
	}
	e.renders[r.URL.EscapedPath()+"?"+r.URL.RawQuery]++
	e.mu.Unlock()
	if r.URL.Path == "/old" {
		target := "/new"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "path=%s escaped=%s query=%s", r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery)
}

func (e *echo) count(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.renders[key]
}

func (e *echo) total() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, v := range e.renders {
		n += v
	}
	return n
}

// keyServers starts c in front of h twice on loopback: behind plain
// net/http, and behind a FastServer. It returns their addresses.
func keyServers(t *testing.T, c *Cache, h http.Handler) (plain, fast string, fs *FastServer) {
	t.Helper()
	ts := httptest.NewServer(c.Handler(h))
	t.Cleanup(ts.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs = NewFastServer(c, &http.Server{Handler: c.Handler(h), ReadHeaderTimeout: 5 * time.Second})
	served := make(chan error, 1)
	go func() { served <- fs.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		fs.Shutdown(ctx)
		<-served
	})
	return ts.Listener.Addr().String(), ln.Addr().String(), fs
}

// rawGet sends "GET target" exactly as given on a new connection, with the
// header lines hdrs, and reads the answer.
func rawGet(t *testing.T, addr, target string, hdrs ...string) (status int, header http.Header, body string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + target + " HTTP/1.1\r\nHost: news.example\r\n"
	for _, h := range hdrs {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"Connection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return res.StatusCode, res.Header, string(b)
}

// TestKeyEscapedPath: a target whose path holds an escaped reserved
// character (%3F, %2F, %23, %25) is its own entry, apart from the target
// it decodes to, however the two are ordered; each is answered with what
// the handler renders for it, through net/http and through the fast
// front. With the key built from the decoded path, "/x%3Fa=1" poisoned
// "/x?a=1".
func TestKeyEscapedPath(t *testing.T) {
	// Each pair: the escaped target first (the poisoning order), then the
	// target it would collide with, with the body each must get.
	pairs := [][2][2]string{
		{{"/x%3Fa=1", "path=/x?a=1 escaped=/x%3Fa=1 query="}, {"/x?a=1", "path=/x escaped=/x query=a=1"}},
		{{"/y%3fa=1", "path=/y?a=1 escaped=/y%3fa=1 query="}, {"/y?a=1", "path=/y escaped=/y query=a=1"}},
		{{"/a%2Fb", "path=/a/b escaped=/a%2Fb query="}, {"/a/b", "path=/a/b escaped=/a/b query="}},
		{{"/c%23d", "path=/c#d escaped=/c%23d query="}, {"/c", "path=/c escaped=/c query="}},
		{{"/p%2541", "path=/p%41 escaped=/p%2541 query="}, {"/p%41", "path=/pA escaped=/p%41 query="}},
		{{"/q%2541", "path=/q%41 escaped=/q%2541 query="}, {"/qA", "path=/qA escaped=/qA query="}},
		{{"/z%3Fpage=2%26x=1", "path=/z?page=2&x=1 escaped=/z%3Fpage=2%26x=1 query="}, {"/z?page=2&x=1", "path=/z escaped=/z query=page=2&x=1"}},
		{{"/s?q=%3F", "path=/s escaped=/s query=q=%3F"}, {"/s?q=?", "path=/s escaped=/s query=q=%3F"}}, // one query, one entry
	}
	for _, front := range []string{"net/http", "fast"} {
		t.Run(front, func(t *testing.T) {
			h := &echo{}
			c := New(Options{})
			plain, fast, fs := keyServers(t, c, h)
			addr := plain
			if front == "fast" {
				addr = fast
			}
			for _, pair := range pairs {
				for _, tb := range pair {
					target, want := tb[0], tb[1]
					before := h.total()
					for i := 0; i < 2; i++ {
						status, _, body := rawGet(t, addr, target)
						if status != 200 || body != want {
							t.Errorf("GET %s (request %d): %d %q, want %q", target, i+1, status, body, want)
						}
					}
					if got := h.total() - before; got > 1 {
						t.Errorf("GET %s twice: %d renders, want at most 1 (the second is a hit)", target, got)
					}
				}
			}
			// The plain targets without '%' are hits on the fast path.
			hitsBefore, _ := fs.Stats()
			renders := h.total()
			rawGet(t, fast, "/x?a=1")
			rawGet(t, fast, "/a/b")
			if hits, _ := fs.Stats(); hits != hitsBefore+2 || h.total() != renders {
				t.Errorf("fast front: %d fast hits and %d renders for two cached targets, want 2 and 0", hits-hitsBefore, h.total()-renders)
			}
		})
	}
}

// TestKeyOfMatchesEscapedPath: for raw targets the fast path would look
// up, keyOf on the raw path gives the key that net/http's parse of the same
// target gives (url.URL.EscapedPath), or a key net/http never produces (the
// fast path then misses and hands the request over).
func TestKeyOfMatchesEscapedPath(t *testing.T) {
	c := New(Options{})
	for _, target := range []string{
		"/", "/ky/", "/ky/sayasat/jany-mektep", "/x%3Fa=1", "/a%2Fb", "/a%2fb", "/p%2541", "/a;b=c",
		"/a:b@c!$&'()*+,=", "/a|b", "/a{b}", "/a^b", "/a\"b", "/a%7Cb", "/ky/%D0%BA%D0%B3", "/x?b=2&a=1",
		"/x?a=1&a=0", "/x?a=%20+b", "/%41", "/a%", "/a%zz",
	} {
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n")))
		path, query, _ := strings.Cut(target, "?")
		got, ok := c.keyOf(path, query)
		if err != nil {
			continue // net/http refuses it: nothing is stored for it
		}
		want, wok := c.key(req)
		if !ok || !wok {
			t.Errorf("%s: keyOf ok %v, key ok %v", target, ok, wok)
			continue
		}
		if got != want && validEscaped(got) {
			t.Errorf("%s: fast key %q, net/http key %q", target, got, want)
		}
	}
}

// validEscaped reports whether path could be an EscapedPath result: only
// characters url.URL.EscapedPath leaves unescaped.
func validEscaped(path string) bool {
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@/%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// routeParams declares, per escaped path, the query parameters the test
// pages read.
func routeParams(path string) []string {
	switch path {
	case "/list":
		return []string{"page"}
	case "/find":
		return []string{"q", "page"}
	}
	return nil
}

// TestUndeclaredParams: parameters a page does not read are left out of
// the key and never reach the handler, so "/home?anything=N" is a hit on
// "/home" (on the fast path too) and a redirect never carries them.
// Parameters it reads keep their values, order and repetitions, and a
// malformed one is the handler's to refuse.
func TestUndeclaredParams(t *testing.T) {
	h := &echo{}
	c := New(Options{QueryParams: routeParams})
	plain, fast, fs := keyServers(t, c, h)

	expect := func(addr, target, want string, renders int) {
		t.Helper()
		before := h.total()
		status, _, body := rawGet(t, addr, target)
		if status != 200 || body != want {
			t.Errorf("GET %s: %d %q, want %q", target, status, body, want)
		}
		if got := h.total() - before; got != renders {
			t.Errorf("GET %s: %d renders, want %d", target, got, renders)
		}
	}
	expect(plain, "/home", "path=/home escaped=/home query=", 1)
	expect(plain, "/home?anything=1", "path=/home escaped=/home query=", 0)
	expect(plain, "/home?anything=2&utm_source=tg&fbclid=x", "path=/home escaped=/home query=", 0)
	expect(plain, "/home?%zz&a;b=1", "path=/home escaped=/home query=", 0)
	expect(plain, "/list?x=1&page=2&utm_medium=y", "path=/list escaped=/list query=page=2", 1)
	expect(plain, "/list?page=2", "path=/list escaped=/list query=page=2", 0)
	expect(plain, "/list?x=%zz&page=2&x=2", "path=/list escaped=/list query=page=2", 0)
	expect(plain, "/list?page=3", "path=/list escaped=/list query=page=3", 1)
	expect(plain, "/list?page=2&page=3", "path=/list escaped=/list query=page=2&page=3", 1)
	expect(plain, "/find?page=2&q=b+c&x=1", "path=/find escaped=/find query=page=2&q=b+c", 1)
	expect(plain, "/find?q=b%20c&page=2", "path=/find escaped=/find query=page=2&q=b+c", 0)
	// A malformed parameter the page reads reaches the handler as given,
	// every time (it answers 400 and nothing is stored).
	expect(plain, "/list?page=%zz&x=1", "path=/list escaped=/list query=page=%zz&x=1", 1)
	expect(plain, "/list?page=%zz&x=1", "path=/list escaped=/list query=page=%zz&x=1", 1)

	// The fast front finds the same entries.
	hitsBefore, _ := fs.Stats()
	expect(fast, "/home?anything=3", "path=/home escaped=/home query=", 0)
	expect(fast, "/list?page=2&x=3&fbclid=z", "path=/list escaped=/list query=page=2", 0)
	if hits, _ := fs.Stats(); hits != hitsBefore+2 {
		t.Errorf("fast front answered %d of 2 cached targets", hits-hitsBefore)
	}

	// A redirect that copies the query carries no parameter the page does
	// not read, for the first visitor and for the next, on both fronts.
	for i, addr := range []string{plain, plain, fast} {
		status, hdr, _ := rawGet(t, addr, fmt.Sprintf("/old?utm_source=visitor%d&fbclid=%d&ref=x", i, i))
		if status != http.StatusMovedPermanently || hdr.Get("Location") != "/new" {
			t.Errorf("visitor %d: %d Location %q, want 301 to /new", i, status, hdr.Get("Location"))
		}
	}
	if n := h.count("/old?"); n != 1 {
		t.Errorf("/old rendered %d times, want once", n)
	}
}

// TestTrackingParamsNotSeen: without QueryParams every parameter is read,
// but tracking parameters are still out of the key and out of the
// handler's sight, so a cached redirect cannot carry one visitor's
// utm_source to the next.
func TestTrackingParamsNotSeen(t *testing.T) {
	h := &echo{}
	plain, _, _ := keyServers(t, New(Options{}), h)
	for i, want := range []string{"/new?page=2", "/new?page=2"} {
		status, hdr, _ := rawGet(t, plain, fmt.Sprintf("/old?utm_source=v%d&page=2&gclid=%d", i, i))
		if status != http.StatusMovedPermanently || hdr.Get("Location") != want {
			t.Errorf("visitor %d: %d Location %q, want %q", i, status, hdr.Get("Location"), want)
		}
	}
	if h.total() != 1 {
		t.Errorf("%d renders, want 1", h.total())
	}
}

// TestTrackingOnlyQueryNoLookup: a query of tracking parameters only
// (a shared link) is keyed without asking QueryParams (a route lookup per
// hit); any other parameter asks it once.
func TestTrackingOnlyQueryNoLookup(t *testing.T) {
	lookups := 0
	c := New(Options{QueryParams: func(path string) []string {
		lookups++
		return routeParams(path)
	}})
	for _, tc := range []struct {
		query, key string
		lookups    int
	}{
		{"utm_source=tg&fbclid=x", "/list", 0},
		{"gclid=1&utm_medium=a&utm_campaign=b", "/list", 0},
		{"fbclid=x&page=2", "/list?page=2", 1},
		{"%zz&utm_source=tg", "/list", 1},
		{"x=1", "/list", 1},
	} {
		lookups = 0
		key, ok := c.keyOf("/list", tc.query)
		if !ok || key != tc.key || lookups != tc.lookups {
			t.Errorf("keyOf(/list, %q) = %q, %v with %d lookups; want %q, true with %d", tc.query, key, ok, lookups, tc.key, tc.lookups)
		}
	}
}
