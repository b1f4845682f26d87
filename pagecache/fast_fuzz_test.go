package pagecache

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// seen is what net/http's server made of a request, as the handler of
// FuzzFastParse reports it.
type seen struct {
	Method, Path, RawPath, RawQuery, Key string
	KeyOK, Close                         bool
	ContentLength                        int64
	TransferEncoding                     []string
	Header                               http.Header
}

// FuzzFastParse checks every request head the fast path accepts against
// net/http's own server on the same bytes: the server must accept it too
// (no 400) and read the same method, path, query, cache key and the
// headers the cache looks at.
func FuzzFastParse(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n",
		"GET /ky/a?page=2&utm_source=t HTTP/1.1\r\nHost: localhost:8080\r\nAccept-Encoding: gzip, br\r\n",
		"HEAD /a HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\nIf-None-Match: \"x\"\r\n",
		"GET /a HTTP/1.1\r\nhost: x\r\nIf-Modified-Since: Fri, 27 Nov 2026 10:44:19 GMT\r\nConnection: keep-alive, close\r\n",
		"GET //a/../b HTTP/1.1\r\nHost: x\r\nAccept-Encoding:\tgzip \r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n",
		"GET /a\"b HTTP/1.1\r\nHost: x\r\n",
		"GET /a!b*(c) HTTP/1.1\r\nHost: x\r\n",
		"GET /a HTTP/1.1\r\nHost: x|y\r\n",
		"GET /a HTTP/1.1\r\nHost: a b\r\n",
		"GET /a HTTP/1.1\r\nHost: x\nX: y\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nX : y\r\n",
		"GET /a HTTP/1.1\r\nHost:\r\n",
		"GET /a?x=%zz;y HTTP/1.1\r\nHost: x\r\n",
	} {
		f.Add(s)
	}
	c := New(Options{})
	got := make(chan seen, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := c.key(r)
		got <- seen{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, key, ok, r.Close,
			r.ContentLength, r.TransferEncoding, r.Header}
		w.WriteHeader(http.StatusNoContent)
	})}
	ln := &handoff{ch: make(chan net.Conn), done: make(chan struct{})}
	go srv.Serve(ln)
	f.Cleanup(func() { srv.Close() })

	f.Fuzz(func(t *testing.T, head string) {
		var q fastReq
		full := head + "\r\n"
		if q.scan([]byte(full)) != len(full) {
			return
		}
		client, server := net.Pipe()
		defer client.Close()
		client.SetDeadline(time.Now().Add(10 * time.Second))
		select {
		case ln.ch <- server:
		case <-time.After(10 * time.Second):
			t.Fatal("server does not accept")
		}
		go io.WriteString(client, full)
		res, err := http.ReadResponse(bufio.NewReader(client), nil)
		if err != nil {
			t.Fatalf("fast path accepts %q, net/http answers nothing: %v", head, err)
		}
		if res.StatusCode != http.StatusNoContent {
			b, _ := io.ReadAll(res.Body)
			t.Fatalf("fast path accepts %q, net/http answers %d %q", head, res.StatusCode, b)
		}
		var req seen
		select {
		case req = <-got:
		case <-time.After(10 * time.Second):
			t.Fatal("handler did not report")
		}
		if req.Method != map[bool]string{true: "HEAD", false: "GET"}[q.head] {
			t.Fatalf("%q: method %s, fast head=%v", head, req.Method, q.head)
		}
		if req.Path != q.path || req.RawQuery != q.query || req.RawPath != "" {
			t.Fatalf("%q: net/http path %q query %q raw %q; fast %q %q", head, req.Path, req.RawQuery, req.RawPath, q.path, q.query)
		}
		if key, ok := c.keyOf(q.path, q.query); key != req.Key || ok != req.KeyOK {
			t.Fatalf("%q: cache key net/http %q %v, fast %q %v", head, req.Key, req.KeyOK, key, ok)
		}
		if req.ContentLength > 0 || len(req.TransferEncoding) > 0 || req.Header.Get("Cookie") != "" || req.Header.Get("Authorization") != "" {
			t.Fatalf("%q: request with body or credentials taken by the fast path", head)
		}
		if got, want := strings.Join(req.Header.Values("Accept-Encoding"), "|"), strings.Join(q.ae[:q.nae], "|"); got != want {
			t.Fatalf("%q: Accept-Encoding net/http %q, fast %q", head, got, want)
		}
		if got, want := strings.Join(req.Header.Values("If-None-Match"), "|"), strings.Join(q.inm[:q.ninm], "|"); got != want {
			t.Fatalf("%q: If-None-Match net/http %q, fast %q", head, got, want)
		}
		if req.Header.Get("If-Modified-Since") != q.ims {
			t.Fatalf("%q: If-Modified-Since net/http %q, fast %q", head, req.Header.Get("If-Modified-Since"), q.ims)
		}
		if req.Close != q.close {
			t.Fatalf("%q: close net/http %v, fast %v", head, req.Close, q.close)
		}
	})
}
