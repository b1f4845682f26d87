package pagecache

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The conformance tests send the same raw bytes to two servers with the
// same handler and the same warm cache: the FastServer, and the
// http.Server alone. Each answer is compared: the status, every header
// (Date only checked to parse), the body, and what happens to the
// connection afterwards:
//
//	open   a further request on it is answered
//	fin    the server closed it cleanly (EOF)
//	reset  the server reset it (ECONNRESET)
//
// Every row also has fixed expectations: the statuses and the end, and
// which part of the fast server answered (its hits and hand-offs).
//
// Intended differences between the modes: none in the table. Range is
// ignored on hits in both (the cache answers 200 with the whole body, as
// RFC 9110 14.2 allows), so it is no difference. Not in the table, because
// only timing shows them:
//   - The front starts a kept-alive connection's header clock at the first
//     byte of the next request; net/http after four bytes (bufio Peek(4)).
//     A client that sends one to three bytes and stops is closed by the
//     front at ReadHeaderTimeout, by net/http at IdleTimeout. Stricter.
//   - The front does not see http.Server.SetKeepAlivesEnabled(false).

// confServers is a fast server and a plain net/http server sharing one
// cache and one handler.
type confServers struct {
	fast, std string
	fs        *FastServer
	etagID    string // ETag of /a, identity
	etagGz    string // ETag of /a, gzip
	lastMod   string // Last-Modified of /a
}

func confHandler() http.Handler {
	page := html(3000, "conformance")
	big := html(64<<10, "big")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		case "/big":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, big)
		case "/redirect":
			http.Redirect(w, r, "/a", http.StatusMovedPermanently)
		case "/post":
			b, err := io.ReadAll(r.Body)
			fmt.Fprintf(w, "%s %q %v", r.Method, b, err)
		default:
			http.NotFound(w, r)
		}
	})
}

// startConf starts both servers with header timeout hto and warms the
// cache with the pages the rows ask for.
func startConf(t *testing.T, hto time.Duration) *confServers {
	t.Helper()
	c := New(Options{ShortTTL: time.Hour})
	h := confHandler()
	tune := func(s *http.Server) {
		s.ReadHeaderTimeout = hto
		s.IdleTimeout = time.Minute
	}
	cs := &confServers{}
	cs.std, _ = startServer(t, false, c, h, tune)
	cs.fast, cs.fs = startServer(t, true, c, h, tune)
	for _, p := range []string{"/a", "/big", "/redirect", "/missing"} {
		warm(t, cs.std, p)
	}
	for _, ae := range []string{"", "gzip"} {
		conn, err := net.Dial("tcp", cs.std)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		req := "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		if ae != "" {
			req += "Accept-Encoding: " + ae + "\r\n"
		}
		io.WriteString(conn, req+"\r\n")
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil || res.Header.Get("Etag") == "" {
			t.Fatalf("warm /a (%q): %v", ae, err)
		}
		if ae == "" {
			cs.etagID, cs.lastMod = res.Header.Get("Etag"), res.Header.Get("Last-Modified")
		} else {
			cs.etagGz = res.Header.Get("Etag")
		}
	}
	return cs
}

type confCase struct {
	name      string
	send      []string      // written in turn, gap apart
	gap       time.Duration // between parts of send
	halfClose bool          // CloseWrite after sending
	methods   []string      // request method of each response, where not GET (HEAD bodies)
	want      []int         // statuses, in order
	end       string        // open, fin or reset
	hits      int64         // responses the fast front wrote itself, probe included
	handed    int64         // connections the fast front handed to net/http
}

type confResult struct {
	resps []string
	codes []int
	end   string
}

func (r confResult) String() string {
	return fmt.Sprintf("%v end=%s\n\t%s", r.codes, r.end, strings.Join(r.resps, "\n\t"))
}

const probe = "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"

// runConf sends tc to addr and records what comes back.
func runConf(t *testing.T, addr string, tc confCase) confResult {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second)) // against hangs only
	wrote := make(chan error, 1)
	go func() {
		var err error
		for i, p := range tc.send {
			if i > 0 {
				time.Sleep(tc.gap)
			}
			if _, err = io.WriteString(conn, p); err != nil {
				break
			}
		}
		if err == nil && tc.halfClose {
			err = conn.(*net.TCPConn).CloseWrite()
		}
		wrote <- err
	}()
	br := bufio.NewReader(conn)
	var res confResult
	read := func(method string) bool {
		if _, err := br.Peek(1); err != nil {
			res.end = endOf(err)
			return false
		}
		r, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			res.end = "bad response: " + err.Error()
			return false
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			res.end = "truncated body: " + endOf(err)
			return false
		}
		res.codes = append(res.codes, r.StatusCode)
		res.resps = append(res.resps, summary(t, r, b))
		return true
	}
	for i := range tc.want {
		method := "GET"
		if i < len(tc.methods) && tc.methods[i] != "" {
			method = tc.methods[i]
		}
		if !read(method) {
			return res
		}
	}
	// A server that closes right after its answer may see the probe before
	// it closes and reset instead of closing cleanly: probe only
	// connections that should stay open.
	if tc.end != "open" || tc.halfClose {
		var b [1]byte
		if n, err := br.Read(b[:]); n > 0 {
			res.end = "more bytes"
		} else {
			res.end = endOf(err)
		}
		return res
	}
	if err := <-wrote; err != nil {
		res.end = "write: " + endOf(err)
		return res
	}
	if _, err := io.WriteString(conn, probe); err != nil {
		res.end = "probe write: " + endOf(err)
		return res
	}
	if read("GET") {
		res.codes, res.resps = res.codes[:len(res.codes)-1], res.resps[:len(res.resps)-1]
		res.end = "open"
	}
	return res
}

func endOf(err error) string {
	var ne net.Error
	switch {
	case err == io.EOF:
		return "fin"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "reset"
	case errors.As(err, &ne) && ne.Timeout():
		return "hang"
	}
	return "error: " + err.Error()
}

// summary is a response as compared between the modes: status line, the
// headers sorted (Date must parse and X-Cache be hit or miss; their values
// are left out) and the body's length and hash.
func summary(t *testing.T, r *http.Response, body []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s |", r.Proto, r.Status)
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := strings.Join(r.Header[k], ", ")
		if k == "Date" {
			if _, err := http.ParseTime(v); err != nil {
				t.Errorf("bad Date %q", v)
			}
			v = "<date>"
		}
		if k == "X-Cache" { // cache state, not protocol: the modes warm differently
			if v != "hit" && v != "miss" {
				t.Errorf("bad X-Cache %q", v)
			}
			v = "<hit or miss>"
		}
		fmt.Fprintf(&b, " %s: %s |", k, v)
	}
	fmt.Fprintf(&b, " body %d %x", len(body), sha256.Sum256(body))
	if len(body) < 80 {
		fmt.Fprintf(&b, " %q", body)
	}
	return b.String()
}

// confCases are the rows; etags and dates come from the warm cache.
func confCases(cs *confServers) []confCase {
	const host = "Host: x\r\n"
	get := "GET /a HTTP/1.1\r\n" + host + "\r\n"
	ms := 50 * time.Millisecond
	longName := strings.Repeat("a", 8000)
	huge := strings.Repeat("v", 1<<20+8<<10) // over net/http's MaxHeaderBytes and its 4 KB slack
	later := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	earlier := time.Now().Add(-48 * time.Hour).UTC().Format(http.TimeFormat)
	return []confCase{
		// Hits.
		{name: "hit", send: []string{get}, want: []int{200}, end: "open", hits: 2},
		{name: "hit gzip", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "hit brotli q-values", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br;q=1, gzip;q=0.5\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "hit identity refused", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0, *;q=0\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "lower-case names", send: []string{"GET /a HTTP/1.1\r\nhost: x\r\naccept-encoding: gzip\r\nconnection: keep-alive\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "big hit", send: []string{"GET /big HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "cached 404", send: []string{"GET /missing HTTP/1.1\r\n" + host + "\r\n"}, want: []int{404}, end: "open", hits: 2},
		{name: "cached 301", send: []string{"GET /redirect HTTP/1.1\r\n" + host + "\r\n"}, want: []int{301}, end: "open", hits: 2},
		{name: "tracking parameter", send: []string{"GET /a?utm_source=x&fbclid=y HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "connection close", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}, want: []int{200}, end: "fin", hits: 1},
		{name: "connection keep-alive, close", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n"}, want: []int{200}, end: "fin", hits: 1},

		// HEAD: no body, on the fast path and after a hand-off.
		{name: "HEAD then GET", send: []string{"HEAD /a HTTP/1.1\r\n" + host + "\r\n" + get}, methods: []string{"HEAD"}, want: []int{200, 200}, end: "open", hits: 3},
		{name: "HEAD gzip", send: []string{"HEAD /a HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"}, methods: []string{"HEAD"}, want: []int{200}, end: "open", hits: 2},
		{name: "HEAD 404", send: []string{"HEAD /missing HTTP/1.1\r\n" + host + "\r\n"}, methods: []string{"HEAD"}, want: []int{404}, end: "open", hits: 2},
		{name: "HEAD close", send: []string{"HEAD /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}, methods: []string{"HEAD"}, want: []int{200}, end: "fin", hits: 1},
		{name: "HEAD after hand-off", send: []string{"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nHEAD /a HTTP/1.1\r\n" + host + "\r\n"}, methods: []string{"", "HEAD"}, want: []int{200, 200}, end: "open", handed: 1},

		// Method case.
		{name: "method get", send: []string{"get /a HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "method head", send: []string{"head /a HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "method POST", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"}, want: []int{200}, end: "open", handed: 1},

		// Conditional requests and Range (ignored on hits, RFC 9110 14.2).
		{name: "If-None-Match", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + cs.etagID + "\r\n\r\n"}, want: []int{304}, end: "open", hits: 2},
		{name: "If-None-Match gzip", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nIf-None-Match: " + cs.etagGz + "\r\n\r\n"}, want: []int{304}, end: "open", hits: 2},
		{name: "If-None-Match weak and list", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"x\", W/" + cs.etagID + "\r\n\r\n"}, want: []int{304}, end: "open", hits: 2},
		{name: "If-None-Match star", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n"}, want: []int{304}, end: "open", hits: 2},
		{name: "If-None-Match other variant", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + cs.etagGz + "\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "If-None-Match five lines", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("If-None-Match: \"x\"\r\n", 4) + "If-None-Match: " + cs.etagID + "\r\n\r\n"}, want: []int{304}, end: "open", handed: 1},
		{name: "If-Modified-Since", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: " + cs.lastMod + "\r\n\r\n"}, want: []int{304}, end: "open", hits: 2},
		{name: "If-Modified-Since later", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: " + later + "\r\n\r\n"}, want: []int{304}, end: "open", hits: 2},
		{name: "If-Modified-Since earlier", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: " + earlier + "\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "If-None-Match wins over date", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"nope\"\r\nIf-Modified-Since: " + later + "\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "HEAD If-None-Match", send: []string{"HEAD /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + cs.etagID + "\r\n\r\n"}, methods: []string{"HEAD"}, want: []int{304}, end: "open", hits: 2},
		{name: "Range", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "Range and If-Range", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nIf-Range: " + cs.etagID + "\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},

		// Pipelining.
		{name: "pipelined hits", send: []string{get + get + "GET /missing HTTP/1.1\r\n" + host + "\r\n" + get}, want: []int{200, 200, 404, 200}, end: "open", hits: 5},
		{name: "pipelined, hand-off in the middle", send: []string{get + "get /a HTTP/1.1\r\n" + host + "\r\n" + get}, want: []int{200, 200, 200}, end: "open", hits: 1, handed: 1},
		{name: "pipelined after close", send: []string{get + "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get}, want: []int{200, 200}, end: "fin", hits: 2},
		{name: "pipelined, partial second head", send: []string{get + "GET /a HTTP/1.1\r\nHo", "st: x\r\n\r\n"}, gap: ms, want: []int{200, 200}, end: "open", hits: 3},

		// HTTP/1.0.
		{name: "HTTP/1.0", send: []string{"GET /a HTTP/1.0\r\n\r\n"}, want: []int{200}, end: "fin", handed: 1},
		{name: "HTTP/1.0 with Host", send: []string{"GET /a HTTP/1.0\r\n" + host + "\r\n"}, want: []int{200}, end: "fin", handed: 1},
		{name: "HTTP/1.0 keep-alive", send: []string{"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "HTTP/1.2", send: []string{"GET /a HTTP/1.2\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "HTTP/2.0", send: []string{"GET /a HTTP/2.0\r\n" + host + "\r\n"}, want: []int{505}, end: "fin", handed: 1},
		{name: "HTTP/2 preface", send: []string{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"}, want: []int{404}, end: "fin", handed: 1},

		// Request targets.
		{name: "absolute form", send: []string{"GET http://x/a HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "absolute form, bad Host", send: []string{"GET http://x/a HTTP/1.1\r\nHost: a b\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "escaped path", send: []string{"GET /%61 HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "path needing escapes", send: []string{"GET /a\"b HTTP/1.1\r\n" + host + "\r\n"}, want: []int{404}, end: "open", handed: 1},
		{name: "fragment", send: []string{"GET /a#x HTTP/1.1\r\n" + host + "\r\n"}, want: []int{404}, end: "open", handed: 1},
		{name: "fragment after query", send: []string{"GET /a?x#y HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "non-ASCII query", send: []string{"GET /a?q=жарчы HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "bad query", send: []string{"GET /a?x=%zz HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "asterisk", send: []string{"OPTIONS * HTTP/1.1\r\n" + host + "\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "control byte in target", send: []string{"GET /a\x01 HTTP/1.1\r\n" + host + "\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "double space", send: []string{"GET  /a HTTP/1.1\r\n" + host + "\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "tab separator", send: []string{"GET\t/a HTTP/1.1\r\n" + host + "\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "leading empty line", send: []string{"\r\n" + get}, want: []int{400}, end: "fin", handed: 1},

		// Host.
		{name: "no Host", send: []string{"GET /a HTTP/1.1\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "two Hosts", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "empty Host", send: []string{"GET /a HTTP/1.1\r\nHost:\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "IPv6 Host", send: []string{"GET /a HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "Host with space", send: []string{"GET /a HTTP/1.1\r\nHost: a b\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "Host with pipe", send: []string{"GET /a HTTP/1.1\r\nHost: x|y\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "Host with backquote", send: []string{"GET /a HTTP/1.1\r\nHost: x`y\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "Host non-ASCII", send: []string{"GET /a HTTP/1.1\r\nHost: жарчы.kg\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "Host with NUL", send: []string{"GET /a HTTP/1.1\r\nHost: x\x00y\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "Host with userinfo", send: []string{"GET /a HTTP/1.1\r\nHost: u@x\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "Host with percent", send: []string{"GET /a HTTP/1.1\r\nHost: x%41\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "non-ASCII header value", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nUser-Agent: Жарчы/1.0\r\n\r\n"}, want: []int{200}, end: "open", hits: 2},
		{name: "bad header name", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nX(Y): 1\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "empty header name", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\n: 1\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "no colon", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "space before colon", send: []string{"GET /a HTTP/1.1\r\nHost : x\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},

		// Framing.
		{name: "bare LF", send: []string{"GET /a HTTP/1.1\nHost: x\n\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "bare LF at the end", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\n\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "bare CR", send: []string{"GET /a HTTP/1.1\r\nHost: x\rX: y\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "obs-fold", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "obs-fold into Host", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\n y\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "control byte in value", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},
		{name: "GET with Content-Length 0", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "GET with a body", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get}, want: []int{200, 200}, end: "open", handed: 1},
		{name: "CL and TE", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "chunked", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "unknown TE", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"}, want: []int{501}, end: "fin", handed: 1},
		{name: "duplicate CL, same", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"}, want: []int{200}, end: "open", handed: 1},
		{name: "duplicate CL, different", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"}, want: []int{400}, end: "fin", handed: 1},
		{name: "CL list", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"}, want: []int{400}, end: "fin", handed: 1},
		{name: "negative CL", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"}, want: []int{400}, end: "fin", handed: 1},

		// Expect.
		{name: "Expect 100-continue, no body", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "Expect 100-continue, body", send: []string{"POST /post HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n", "hello"}, gap: ms, want: []int{100, 200}, end: "open", handed: 1},
		{name: "Expect other", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n"}, want: []int{417}, end: "fin", handed: 1},

		// Other headers the fast path leaves to net/http.
		{name: "Cookie", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nCookie: s=1\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "Authorization", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nAuthorization: Basic eDp5\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "Upgrade", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "h2c upgrade", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "other Connection option", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nConnection: x-custom\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "five Accept-Encoding lines", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("Accept-Encoding: br\r\n", 5) + "\r\n"}, want: []int{200}, end: "open", handed: 1},

		// Sizes.
		{name: "request line 8 KB", send: []string{"GET /" + longName + " HTTP/1.1\r\n" + host + "\r\n"}, want: []int{404}, end: "open", handed: 1},
		{name: "head over 4 KB", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nX-Long: " + longName + "\r\n\r\n"}, want: []int{200}, end: "open", handed: 1},
		{name: "header over 1 MB", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\nX-Huge: " + huge + "\r\n\r\n"}, want: []int{431}, end: "fin", handed: 1},
		{name: "request line over 1 MB", send: []string{"GET /" + huge + " HTTP/1.1\r\n" + host + "\r\n"}, want: []int{431}, end: "fin", handed: 1},

		// Partial and slow heads (the slow ones within the header timeout).
		{name: "partial head, half-closed", send: []string{"GET /a HTTP/1.1\r\nHost: x\r\n"}, halfClose: true, want: []int{400}, end: "fin", handed: 1},
		{name: "partial request line, half-closed", send: []string{"GET /a HT"}, halfClose: true, want: []int{400}, end: "fin", handed: 1},
		{name: "nothing, half-closed", send: []string{""}, halfClose: true, end: "fin"},
		{name: "hit, then half-closed", send: []string{get}, halfClose: true, want: []int{200}, end: "fin", hits: 1},
		{name: "slow head", send: []string{"GET /a HT", "TP/1.1\r\nHo", "st: x\r", "\n\r\n"}, gap: ms, want: []int{200}, end: "open", hits: 2},
		{name: "slow bare-LF head", send: []string{"GET /a HTTP/1.1\n", "Host: x\n", "\n"}, gap: ms, want: []int{200}, end: "open", handed: 1},
		{name: "slow POST", send: []string{"POST /post HTTP/1.1\r\n", "Host: x\r\nContent-Length: 2\r\n\r\n", "ok"}, gap: ms, want: []int{200}, end: "open", handed: 1},
	}
}

func TestConformance(t *testing.T) {
	// A header timeout longer than runConf's guard: a server that waits for it
	// instead of answering at once shows as a hang.
	cs := startConf(t, 30*time.Second)
	for _, tc := range confCases(cs) {
		t.Run(tc.name, func(t *testing.T) {
			hits0, handed0 := cs.fs.Stats()
			results := make(chan confResult, 1)
			go func() { results <- runConf(t, cs.std, tc) }()
			fast := runConf(t, cs.fast, tc)
			std := <-results
			hits, handed := cs.fs.Stats()
			t.Logf("net/http: %s", std)
			if !slices.Equal(std.codes, tc.want) || std.end != tc.end {
				t.Errorf("net/http: %v end=%s, want %v end=%s", std.codes, std.end, tc.want, tc.end)
			}
			if fast.String() != std.String() {
				t.Errorf("modes differ\nfast: %s\nnet/http: %s", fast, std)
			}
			if hits-hits0 != tc.hits || handed-handed0 != tc.handed {
				t.Errorf("fast server wrote %d hits and handed %d connections, want %d and %d", hits-hits0, handed-handed0, tc.hits, tc.handed)
			}
		})
	}
}

// step is one move of a slow client: wait, then send; with drip, send
// one byte of data every 50 ms, over and over, until the server stops it.
type step struct {
	wait time.Duration
	data string
	drip bool
}

// runSlow plays steps on a connection to addr while reading responses, and
// reports their statuses and how the connection ended: "closed" for a FIN
// or a reset, "hang" when the guard ran out. net/http answers a head cut
// in the middle of a line with 400 and closes without reading what the
// client is still sending, so the client may get a reset before or
// instead of the 400: a last 400 before the close is left out.
func runSlow(t *testing.T, addr string, steps []step) string {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second)) // against hangs only
	go func() {
		for _, s := range steps {
			time.Sleep(s.wait)
			for {
				if _, err := io.WriteString(conn, s.data); err != nil || !s.drip {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}()
	br := bufio.NewReader(conn)
	var codes []int
	end := func(err error) string {
		e := endOf(err)
		if e == "fin" || e == "reset" {
			if len(codes) > 0 && codes[len(codes)-1] == 400 {
				codes = codes[:len(codes)-1]
			}
			e = "closed"
		}
		return fmt.Sprintf("%v %s", codes, e)
	}
	for {
		if _, err := br.Peek(1); err != nil {
			return end(err)
		}
		r, err := http.ReadResponse(br, nil)
		if errors.Is(err, syscall.ECONNRESET) {
			return end(err)
		}
		if err != nil {
			return fmt.Sprintf("%v, then bad bytes: %v", codes, err)
		}
		codes = append(codes, r.StatusCode)
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return end(err)
		}
	}
}

// TestConformanceHeaderTimeout: slow and silent clients are cut at
// ReadHeaderTimeout in both modes, also after the fast front has handed
// the connection to net/http. The guard is ten seconds and IdleTimeout a
// minute (except where the case says), so a server that waits for the idle
// timeout shows as a hang.
func TestConformanceHeaderTimeout(t *testing.T) {
	type timeouts struct{ header, idle time.Duration }
	const ms = time.Millisecond
	const get = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
	short := timeouts{300 * ms, time.Minute}
	// The hand-off cases: with a header timeout of 2 s, a head begun at 0
	// is handed to net/http at 0.8 s (a bare LF) and completed at 2.4 s.
	// Its deadline is 2 s: no answer. Had net/http granted a fresh header
	// timeout at the hand-off (until 2.8 s), it would answer.
	hand := timeouts{2 * time.Second, time.Minute}
	// No header timeout at all: a head may take longer than IdleTimeout
	// once its first bytes are in, also after a hand-off.
	none := timeouts{0, 300 * ms}
	cases := []struct {
		name  string
		srv   timeouts
		steps []step
		want  string
	}{
		{"silent", short, nil, "[] closed"},
		{"slow head on the front", short, []step{{data: "GET /a HTTP/1.1\r\nHost: x\r\nX-"}, {data: "a", drip: true}}, "[] closed"},
		{"slow request line", short, []step{{data: "G"}, {data: "E", drip: true}}, "[] closed"},
		{"slow head after a bare LF", short, []step{{data: "GET /a HTTP/1.1\nHost: x\nX-"}, {data: "a", drip: true}}, "[] closed"},
		{"slow POST head", short, []step{{data: "POST /post HTTP/1.1\r\nX-"}, {data: "a", drip: true}}, "[] closed"},
		{"slow head over 4 KB", short, []step{{data: "GET /a HTTP/1.1\r\nHost: x\r\nX-" + strings.Repeat("a", 5000)}, {data: "a", drip: true}}, "[] closed"},
		{"slow head after a hit", short, []step{{data: get}, {wait: 600 * ms, data: get}, {wait: 100 * ms, data: "GET /a HTTP/1.1\r\nX-"}, {data: "a", drip: true}}, "[200 200] closed"},
		{"slow head after a hit, bare LF", short, []step{{data: get}, {wait: 600 * ms, data: "GET /a HTTP/1.1\nX-"}, {data: "a", drip: true}}, "[200] closed"},
		{"pipelined partial head after a hit", short, []step{{data: get + "GET /a HTTP/1.1\r\nX-"}, {data: "a", drip: true}}, "[200] closed"},
		{"head handed over late", hand, []step{{data: "GET /a HTTP/1.1\r\nHost: x\r\n"}, {wait: 800 * ms, data: "X: y\n"}, {wait: 1600 * ms, data: "\r\n"}}, "[] closed"},
		{"head handed over late, kept alive", hand, []step{{data: get}, {wait: 500 * ms, data: "GET /a HTTP/1.1\r\nHost: x\r\n"}, {wait: 800 * ms, data: "X: y\n"}, {wait: 1600 * ms, data: "\r\n"}}, "[200] closed"},
		{"slow but in time", hand, []step{{data: "GET /a HTTP/1.1\r\n"}, {wait: 300 * ms, data: "Host: x\r\n"}, {wait: 300 * ms, data: "\r\n"}, {wait: 100 * ms, data: "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"}}, "[200 200] closed"},
		{"no header timeout, slow head after a hit", none, []step{{data: get}, {wait: 100 * ms, data: "GET /a HTTP/1.1\r\n"}, {wait: 500 * ms, data: "Host: x\r\n\r\n"}}, "[200 200] closed"},
		{"no header timeout, slow POST after a hit", none, []step{{data: get}, {wait: 100 * ms, data: "POST /post HTTP/1.1\r\n"}, {wait: 500 * ms, data: "Host: x\r\nContent-Length: 2\r\n\r\nok"}}, "[200 200] closed"},
	}
	servers := map[timeouts][2]string{}
	for _, to := range []timeouts{short, hand, none} {
		c := New(Options{})
		tune := func(s *http.Server) {
			s.ReadHeaderTimeout = to.header
			s.IdleTimeout = to.idle
		}
		std, _ := startServer(t, false, c, confHandler(), tune)
		fast, _ := startServer(t, true, c, confHandler(), tune)
		warm(t, std, "/a")
		servers[to] = [2]string{fast, std}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addrs := servers[tc.srv]
			std := make(chan string, 1)
			go func() { std <- runSlow(t, addrs[1], tc.steps) }()
			if got := runSlow(t, addrs[0], tc.steps); got != tc.want {
				t.Errorf("fast: %s, want %s", got, tc.want)
			}
			if got := <-std; got != tc.want {
				t.Errorf("net/http: %s, want %s", got, tc.want)
			}
		})
	}
}

// TestConformanceWriteTimeout: a client that sends many requests and reads
// nothing is cut at WriteTimeout in both modes (it would get every answer
// otherwise: 400 answers of 64 KB are more than the socket buffers hold).
func TestConformanceWriteTimeout(t *testing.T) {
	const n = 400
	c := New(Options{})
	tune := func(s *http.Server) { s.WriteTimeout = 300 * time.Millisecond }
	std, _ := startServer(t, false, c, confHandler(), tune)
	fast, _ := startServer(t, true, c, confHandler(), tune)
	warm(t, std, "/big")
	run := func(addr string) string {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(20 * time.Second)) // against hangs only
		go io.WriteString(conn, strings.Repeat("GET /big HTTP/1.1\r\nHost: x\r\n\r\n", n))
		time.Sleep(time.Second) // read nothing
		br := bufio.NewReader(conn)
		for i := 0; ; i++ {
			if _, err := br.Peek(1); err != nil {
				return fmt.Sprintf("cut after %d of %d answers: %v", i, n, endOf(err))
			}
			r, err := http.ReadResponse(br, nil)
			if err != nil {
				return fmt.Sprintf("bad answer %d: %v", i, err)
			}
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				return fmt.Sprintf("cut in answer %d of %d: %v", i, n, endOf(err))
			}
			if i == n-1 {
				return "every answer"
			}
		}
	}
	for name, addr := range map[string]string{"fast": fast, "net/http": std} {
		if got := run(addr); !strings.HasPrefix(got, "cut ") || strings.Contains(got, "hang") {
			t.Errorf("%s: %s", name, got)
		}
	}
}

// TestFastServerShutdownClosesIdle: Shutdown closes an idle fast
// connection cleanly and returns.
func TestFastServerShutdownClosesIdle(t *testing.T) {
	c := New(Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs := NewFastServer(c, &http.Server{Handler: c.Handler(confHandler()), IdleTimeout: time.Minute})
	served := make(chan error, 1)
	go func() { served <- fs.Serve(ln) }()
	addr := ln.Addr().String()
	warm(t, addr, "/a")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	if hits, _ := fs.Stats(); hits != 1 {
		t.Fatalf("fast hits %d, want 1", hits)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fs.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != http.ErrServerClosed {
		t.Fatalf("Serve returned %v", err)
	}
	if _, err := br.Peek(1); err != io.EOF {
		t.Fatalf("idle connection after Shutdown: %v, want EOF", err)
	}
}
