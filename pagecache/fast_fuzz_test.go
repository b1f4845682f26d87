package pagecache

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// FuzzFastParse checks that every request head the fast path accepts is
// one net/http accepts too, and that both read the same method, path,
// query and headers the cache looks at.
func FuzzFastParse(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n",
		"GET /ky/a?page=2&utm_source=t HTTP/1.1\r\nHost: localhost:8080\r\nAccept-Encoding: gzip, br\r\n",
		"HEAD /a HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\nIf-None-Match: \"x\"\r\n",
		"GET /a HTTP/1.1\r\nhost: x\r\nIf-Modified-Since: Fri, 27 Nov 2026 10:44:19 GMT\r\nConnection: keep-alive, close\r\n",
		"GET //a/../b HTTP/1.1\r\nHost: x\r\nAccept-Encoding:\tgzip \r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n",
		"GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, head string) {
		var q fastReq
		if !q.parse([]byte(head)) {
			return
		}
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + "\r\n")))
		if err != nil {
			t.Fatalf("fast path accepts %q, net/http rejects it: %v", head, err)
		}
		if req.Method != map[bool]string{true: "HEAD", false: "GET"}[q.head] {
			t.Fatalf("%q: method %s, fast head=%v", head, req.Method, q.head)
		}
		if req.URL.Path != q.path || req.URL.RawQuery != q.query || req.URL.RawPath != "" {
			t.Fatalf("%q: net/http path %q query %q raw %q; fast %q %q", head, req.URL.Path, req.URL.RawQuery, req.URL.RawPath, q.path, q.query)
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
