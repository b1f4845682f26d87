package pagecache

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/testwait"
)

// fastServe starts a FastServer on loopback in front of h wrapped by c.
func fastServe(t *testing.T, c *Cache, h http.Handler) (*FastServer, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: c.Handler(h), IdleTimeout: 30 * time.Second}
	fs := NewFastServer(c, srv)
	served := make(chan error, 1)
	go func() { served <- fs.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := fs.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := testwait.Recv(t, served, "Serve to return after Shutdown"); err != http.ErrServerClosed {
			t.Errorf("Serve returned %v", err)
		}
	})
	return fs, ln.Addr().String()
}

func newClient(t *testing.T, addr string) *client {
	hc := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(hc.CloseIdleConnections)
	return &client{t: t, url: "http://" + addr, hc: hc}
}

func TestFastServerHits(t *testing.T) {
	p := newPage(html(8000, "fast"))
	c := New(Options{})
	fs, addr := fastServe(t, c, p)
	cl := newClient(t, addr)
	// A connection whose request misses belongs to net/http from then on,
	// so fill on a connection of its own.
	filler := newClient(t, addr)
	filler.hc.Transport.(*http.Transport).DisableKeepAlives = true
	miss := filler.get("/ky/a", "Accept-Encoding: gzip")
	hit := cl.get("/ky/a", "Accept-Encoding: gzip")
	wantCalls(t, p, 1)
	if hits, _ := fs.Stats(); hits == 0 {
		t.Fatal("second request not served by the fast path")
	}
	if string(gunzip(t, hit.body)) != p.body {
		t.Fatal("fast hit: wrong body")
	}
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "Etag", "Last-Modified", "Cache-Control", "Vary"} {
		if miss.header.Get(k) != hit.header.Get(k) {
			t.Errorf("%s: net/http %q, fast %q", k, miss.header.Get(k), hit.header.Get(k))
		}
	}
	if _, err := http.ParseTime(hit.header.Get("Date")); err != nil {
		t.Errorf("fast Date %q: %v", hit.header.Get("Date"), err)
	}
	br := cl.get("/ky/a", "Accept-Encoding: br;q=1, gzip;q=0.5")
	if br.header.Get("Content-Encoding") != "br" || string(unbrotli(t, br.body)) != p.body {
		t.Error("fast brotli variant")
	}
	id := cl.get("/ky/a")
	if id.header.Get("Content-Encoding") != "" || string(id.body) != p.body {
		t.Error("fast identity variant")
	}
	nm := cl.get("/ky/a", "Accept-Encoding: gzip", "If-None-Match: "+hit.header.Get("Etag"))
	if nm.status != 304 || len(nm.body) != 0 || nm.header.Get("Etag") != hit.header.Get("Etag") {
		t.Errorf("fast 304: %d %v", nm.status, nm.header)
	}
	ims := cl.get("/ky/a", "If-Modified-Since: "+hit.header.Get("Last-Modified"))
	if ims.status != 304 {
		t.Errorf("fast If-Modified-Since: %d", ims.status)
	}
	head := cl.do("HEAD", "/ky/a")
	if head.status != 200 || len(head.body) != 0 || head.header.Get("Content-Length") != id.header.Get("Content-Length") {
		t.Errorf("fast HEAD: %d %v", head.status, head.header)
	}
	cl.get("/ky/a?utm_source=x")
	wantCalls(t, p, 1)
	c.Invalidate()
	p.set(html(8000, "fresh"))
	if r := cl.get("/ky/a"); !strings.Contains(string(r.body), "fresh") {
		t.Fatal("fast path served a stale entry")
	}
}

// raw sends bytes on one connection and reads n responses.
func raw(t *testing.T, addr, req string, n int) []*http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	rd := bufio.NewReader(conn)
	var out []*http.Response
	for i := 0; i < n; i++ {
		res, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		res.Body = io.NopCloser(strings.NewReader(string(b)))
		res.ContentLength = int64(len(b))
		out = append(out, res)
	}
	return out
}

func body(r *http.Response) string { b, _ := io.ReadAll(r.Body); return string(b) }

func TestFastServerPipeliningAndHandoff(t *testing.T) {
	p := newPage(html(3000, "pipe"))
	c := New(Options{})
	fs, addr := fastServe(t, c, p)
	get := "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
	raw(t, addr, get, 1) // fill
	// Two hits, then a miss (handed off mid-connection), then a hit that
	// net/http now serves on the same connection.
	rs := raw(t, addr, get+get+"GET /b HTTP/1.1\r\nHost: x\r\n\r\n"+get, 4)
	for i, r := range rs {
		if r.StatusCode != 200 || body(r) != p.body {
			t.Errorf("pipelined response %d: %d", i, r.StatusCode)
		}
	}
	hits, handed := fs.Stats()
	if hits != 2 || handed < 2 {
		t.Errorf("fast hits %d, handed off %d", hits, handed)
	}
	wantCalls(t, p, 2)

	// A POST with a body reaches the handler with its body.
	var got string
	post := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = r.Method + " " + string(b)
	})
	_, addr2 := fastServe(t, New(Options{}), post)
	raw(t, addr2, "POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 1)
	if got != "POST hello" {
		t.Errorf("POST reached handler as %q", got)
	}
}

func TestFastServerLeavesOddRequestsToNetHTTP(t *testing.T) {
	p := newPage(html(3000, "odd"))
	c := New(Options{})
	fs, addr := fastServe(t, c, p)
	raw(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 1)
	cases := []struct {
		name, req string
		status    int
	}{
		{"no host", "GET /a HTTP/1.1\r\n\r\n", 400},
		{"two hosts", "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400},
		{"bad header", "GET /a HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", 400},
		{"folding", "GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n", 200},
		{"cookie", "GET /a HTTP/1.1\r\nHost: x\r\nCookie: s=1\r\n\r\n", 200},
		{"http/1.0", "GET /a HTTP/1.0\r\n\r\n", 200},
		{"escaped", "GET /%61 HTTP/1.1\r\nHost: x\r\n\r\n", 200},
	}
	for _, tc := range cases {
		_, before := fs.Stats()
		rs := raw(t, addr, tc.req, 1)
		if rs[0].StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rs[0].StatusCode, tc.status)
		}
		if _, after := fs.Stats(); after != before+1 {
			t.Errorf("%s: not handed to net/http", tc.name)
		}
	}
	// Cookie and the escaped path render through net/http (bypass / RawPath).
	if p.calls.Load() < 3 {
		t.Errorf("handler ran %d times", p.calls.Load())
	}
}

func TestFastServerConnectionClose(t *testing.T) {
	p := newPage(html(2000, "close"))
	c := New(Options{})
	_, addr := fastServe(t, c, p)
	raw(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 1)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	rest, err := io.ReadAll(conn) // returns only when the server closes
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rest), "Connection: close") || !strings.HasSuffix(string(rest), p.body) {
		t.Errorf("response to Connection: close: %.200q", rest)
	}
}

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	client.SetDeadline(time.Now().Add(10 * time.Second))
	return client, server
}

// TestHandedConn: what net/http gets from the fast path replays the bytes
// already read, cuts its first read deadline to the front's, and passes
// half-close and ReadFrom through to the TCP connection.
func TestHandedConn(t *testing.T) {
	client, server := tcpPair(t)
	front := time.Now().Add(time.Hour)
	hc := &handedConn{Conn: server, buf: []byte("GET / HT"), deadline: front}
	hc.pinned.Store(true)
	var _ interface{ CloseWrite() error } = hc // net/http's closeWriter
	var _ io.ReaderFrom = hc

	io.WriteString(client, "TP/1.1\r\n")
	b := make([]byte, 64)
	n, _ := hc.Read(b)
	m, _ := io.ReadAtLeast(hc, b[n:], len("TP/1.1\r\n"))
	if got := string(b[:n+m]); got != "GET / HTTP/1.1\r\n" {
		t.Fatalf("replayed %q", got)
	}

	// The first deadline (net/http's header deadline) is cut to the
	// front's; later ones pass.
	hc.SetReadDeadline(time.Now().Add(2 * time.Hour))
	if hc.pinned.Load() {
		t.Fatal("first deadline did not use the pin")
	}
	hc.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := hc.Read(b); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a later deadline did not pass through: %v", err)
	}
	hc2 := &handedConn{Conn: server, deadline: time.Now().Add(-time.Second)}
	hc2.pinned.Store(true)
	hc2.SetReadDeadline(time.Now().Add(time.Hour))
	if _, err := hc2.Read(b); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("net/http's header deadline was not cut to the front's: %v", err)
	}

	if _, err := hc.ReadFrom(strings.NewReader("answer")); err != nil {
		t.Fatal(err)
	}
	if err := hc.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(client) // ends with the FIN of CloseWrite
	if err != nil || string(got) != "answer" {
		t.Fatalf("client read %q, %v", got, err)
	}
	io.WriteString(client, "still readable")
	hc.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := io.ReadAtLeast(hc, b, 14); err != nil || string(b[:n]) != "still readable" {
		t.Fatalf("after CloseWrite the server read %q, %v", b[:n], err)
	}
	if err := hc.CloseRead(); err != nil {
		t.Fatal(err)
	}
}
