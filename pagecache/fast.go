package pagecache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/net/http/httpguts"
)

// FastServer answers cache hits on plain HTTP/1.1 connections straight from
// memory and hands every other connection to a standard http.Server. It is
// optional: without it the same cache works behind net/http alone (HTTP/2,
// TLS, any middleware).
//
// A connection stays on the fast path only while each request on it is a
// simple one: GET or HEAD, HTTP/1.1, an origin-form target whose path needs
// no escaping (letters, digits and -._~$&+,/:;=@) and whose query has no
// '#', CRLF line endings, no folded lines, exactly one Host that net/http
// accepts (httpguts.ValidHostHeader), header names and values net/http
// accepts, no body, no Cookie, Authorization, Expect or Upgrade, Connection
// only "close" or "keep-alive", a head of at most 4 KiB, and a fresh cache
// entry for its key. As soon as a request is anything else, even before its
// head is complete (a bare LF, a method other than GET or HEAD), the
// connection, with the bytes already read, is passed to the http.Server,
// which parses that request from its first byte and keeps the connection.
// So the standard stack decides everything the fast path does not fully
// understand, including every error answer.
//
// Timeouts are the http.Server's, counted as net/http counts them: the head
// of a connection's first request must arrive within ReadHeaderTimeout
// (else ReadTimeout) of the accept; a kept-alive connection waits
// IdleTimeout (else ReadTimeout) for the first byte of its next request,
// then ReadHeaderTimeout for the rest of the head. A connection handed over
// keeps that deadline for the head the front began to read: net/http's
// first header deadline on it is cut to the front's. WriteTimeout applies
// to every response.
//
// A hit is written with one writev of the entry's shared, immutable head
// and body and a shared tail (Date, Connection: close, the empty line):
// a connection keeps no copy of any response, only its 4 KiB read buffer.
//
// The http.Server's Handler must contain Cache.Handler, so misses fill the
// cache, and no middleware in front of it may change hit responses (the
// fast path does not run it). Options.Private must depend on cookies only:
// the fast path leaves every request with a Cookie or Authorization header
// to net/http. The http.Server's SetKeepAlivesEnabled is not seen by the
// fast path.
//
// A connection is never taken back from net/http: warm a page on its own
// connection before measuring with keep-alive clients such as wrk.
type FastServer struct {
	c    *Cache
	srv  *http.Server
	hand *handoff

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing atomic.Bool
	wg      sync.WaitGroup

	hits, handed atomic.Int64
}

// NewFastServer returns a fast front for srv, whose handler wraps c.
func NewFastServer(c *Cache, srv *http.Server) *FastServer {
	return &FastServer{c: c, srv: srv, conns: map[net.Conn]struct{}{}}
}

// Stats of a FastServer: responses written by the fast path, connections
// handed to the http.Server.
func (f *FastServer) Stats() (fastHits, handedOff int64) {
	return f.hits.Load(), f.handed.Load()
}

// Serve accepts connections on ln until Shutdown or an accept error.
func (f *FastServer) Serve(ln net.Listener) error {
	f.mu.Lock()
	if f.hand == nil {
		f.hand = &handoff{ch: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()}
		go f.srv.Serve(f.hand)
	}
	f.mu.Unlock()
	go func() {
		<-f.hand.done
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if f.closing.Load() {
				return http.ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			return err
		}
		f.mu.Lock()
		if f.closing.Load() {
			f.mu.Unlock()
			conn.Close()
			return http.ErrServerClosed
		}
		f.conns[conn] = struct{}{}
		f.wg.Add(1)
		f.mu.Unlock()
		go f.serveConn(conn)
	}
}

// Shutdown stops accepting, closes fast connections once their current
// response is written, and shuts the http.Server down (which finishes the
// requests of handed-off connections).
func (f *FastServer) Shutdown(ctx context.Context) error {
	f.closing.Store(true)
	f.mu.Lock()
	if f.hand != nil {
		f.hand.Close()
	}
	f.mu.Unlock()
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for wait := true; wait; {
		f.mu.Lock()
		for c := range f.conns {
			c.SetReadDeadline(time.Unix(1, 0)) // wake idle readers
		}
		f.mu.Unlock()
		select {
		case <-done:
			wait = false
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return f.srv.Shutdown(ctx)
}

// maxFastHead is the read buffer of a fast connection, the size of
// net/http's: a longer head goes to net/http.
const maxFastHead = 4 << 10

// fastConn is the state of one fast connection, pooled.
type fastConn struct {
	buf  [maxFastHead]byte
	q    fastReq
	iov  [3][]byte
	bufs net.Buffers
}

var fastConns = sync.Pool{New: func() any { return new(fastConn) }}

// headerTimeout and idleTimeout are net/http's rules for its own
// connections; zero or negative means none.
func (f *FastServer) headerTimeout() time.Duration {
	if d := f.srv.ReadHeaderTimeout; d != 0 {
		return d
	}
	return f.srv.ReadTimeout
}

func (f *FastServer) idleTimeout() time.Duration {
	if d := f.srv.IdleTimeout; d != 0 {
		return d
	}
	return f.srv.ReadTimeout
}

func (f *FastServer) serveConn(conn net.Conn) {
	defer f.wg.Done()
	fc := fastConns.Get().(*fastConn)
	handed := false
	defer func() {
		f.mu.Lock()
		delete(f.conns, conn)
		f.mu.Unlock()
		if !handed {
			conn.Close()
		}
		fc.q = fastReq{}
		fc.bufs = nil
		fastConns.Put(fc)
	}()
	hto, idle := f.headerTimeout(), f.idleTimeout()
	// The first request's head is due within the header timeout of the
	// accept, as on net/http.
	var deadline time.Time // header deadline of the current request; zero: none yet
	if hto > 0 {
		deadline = time.Now().Add(hto)
		conn.SetReadDeadline(deadline)
	}
	armed := true // the socket's read deadline is the header deadline
	n := 0        // bytes in fc.buf
	for {
		fc.q = fastReq{}
		if n == 0 {
			if f.closing.Load() {
				return
			}
			if !armed {
				// Kept alive: wait for the next request's first byte.
				if idle > 0 {
					conn.SetReadDeadline(time.Now().Add(idle))
				} else {
					conn.SetReadDeadline(time.Time{})
				}
			}
			m, err := conn.Read(fc.buf[:])
			n = m
			if err != nil {
				if n == 0 || f.closing.Load() {
					return
				}
				handed = f.handoff(conn, fc.buf[:n], deadline, hto)
				return
			}
		}
		// Read until the head is complete or is one for net/http.
		end := fc.q.scan(fc.buf[:n])
		for end == 0 && n < len(fc.buf) {
			if !armed {
				// The head has begun: its clock runs from now.
				if hto > 0 {
					deadline = time.Now().Add(hto)
				}
				conn.SetReadDeadline(deadline)
				armed = true
			}
			m, err := conn.Read(fc.buf[n:])
			n += m
			if err != nil {
				if f.closing.Load() {
					return
				}
				end = -1 // net/http judges the partial request
				break
			}
			end = fc.q.scan(fc.buf[:n])
		}
		var e *entry
		if end > 0 {
			if key, ok := f.c.keyOf(fc.q.path, fc.q.query); ok {
				sh := f.c.shardFor(key)
				if e = f.c.lookup(sh, key, f.c.gen.Load()); e != nil {
					sh.hits.Add(1)
				}
			}
		}
		if e == nil {
			handed = f.handoff(conn, fc.buf[:n], deadline, hto)
			return
		}
		if wt := f.srv.WriteTimeout; wt > 0 {
			conn.SetWriteDeadline(time.Now().Add(wt))
		}
		f.hits.Add(1)
		fc.bufs = f.c.fastResponse(fc.iov[:0], &fc.q, e)
		if _, err := fc.bufs.WriteTo(conn); err != nil {
			return
		}
		if fc.q.close {
			return
		}
		// Keep pipelined bytes: the next request has begun.
		n = copy(fc.buf[:], fc.buf[end:n])
		armed = false
		deadline = time.Time{}
	}
}

// handoff passes conn, with the bytes read so far, to the http.Server. The
// head the front began to read keeps its deadline; a zero deadline means
// the head began just now. It reports whether net/http took the connection.
func (f *FastServer) handoff(conn net.Conn, read []byte, deadline time.Time, hto time.Duration) bool {
	f.handed.Add(1)
	if deadline.IsZero() && hto > 0 {
		deadline = time.Now().Add(hto)
	}
	hc := &handedConn{Conn: conn, buf: bytes.Clone(read), deadline: deadline}
	// net/http sets no header deadline of its own when it has no header
	// timeout: clear the front's idle deadline for it.
	conn.SetReadDeadline(deadline)
	hc.pinned.Store(hto > 0)
	select {
	case f.hand.ch <- hc:
		return true
	case <-f.hand.done:
		return false
	}
}

// fastResponse appends to bufs the parts of the stored response for q: the
// prebuilt head, the tail (Date, Connection: close, the empty line) and the
// body, all shared and never written to.
func (c *Cache) fastResponse(bufs net.Buffers, q *fastReq, e *entry) net.Buffers {
	v := e.id
	if e.gz != nil || e.br != nil {
		v = e.pick(q.ae[:q.nae])
	}
	if e.cond && notModified(q.inm[:q.ninm], q.ims, e, v) {
		return append(bufs, v.nmHead, responseTail(c.opt.OmitDate, q.close))
	}
	bufs = append(bufs, v.head, responseTail(c.opt.OmitDate, q.close))
	if !q.head && len(v.body) > 0 {
		bufs = append(bufs, v.body)
	}
	return bufs
}

// tails end a response head: Date (rebuilt once a second), Connection:
// close when the connection ends, the empty line.
type tails struct {
	sec         int64
	keep, close []byte
}

var (
	dateTails       atomic.Pointer[tails]
	noDateKeepTail  = []byte("\r\n")
	noDateCloseTail = []byte("Connection: close\r\n\r\n")
)

func responseTail(omitDate, close bool) []byte {
	if omitDate {
		if close {
			return noDateCloseTail
		}
		return noDateKeepTail
	}
	now := time.Now().Unix()
	t := dateTails.Load()
	if t == nil || t.sec != now {
		date := "Date: " + time.Unix(now, 0).UTC().Format(http.TimeFormat) + "\r\n"
		t = &tails{sec: now, keep: []byte(date + "\r\n"), close: []byte(date + "Connection: close\r\n\r\n")}
		dateTails.Store(t)
	}
	if close {
		return t.close
	}
	return t.keep
}

// fastReq is what the fast path needs from a request head. Its strings
// point into the connection buffer and die with the request.
type fastReq struct {
	head        bool
	close       bool
	path, query string
	ae          [4]string
	nae         int
	inm         [4]string
	ninm        int
	ims         string
	hosts       int
	off         int // bytes of the head scanned so far: whole lines
}

// scan reads the lines of the request head in b that it has not read yet
// (b grows between calls, its start unchanged). It returns the length of
// the head, through its empty line, once the head is complete and the fast
// path can answer it; 0 while more bytes are needed; -1 as soon as the
// request is one for net/http.
func (q *fastReq) scan(b []byte) int {
	for {
		rest := b[q.off:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			if q.off == 0 && !fastMethodPrefix(rest) {
				return -1
			}
			return 0
		}
		if i == 0 || rest[i-1] != '\r' {
			return -1 // bare LF
		}
		line := rest[:i-1]
		first := q.off == 0
		q.off += i + 1
		switch {
		case first:
			if !q.requestLine(line) {
				return -1
			}
		case len(line) == 0:
			if q.hosts != 1 {
				return -1
			}
			return q.off
		default:
			if !q.headerLine(line) {
				return -1
			}
		}
	}
}

// fastMethodPrefix reports whether p may begin "GET " or "HEAD ".
func fastMethodPrefix(p []byte) bool {
	return prefixOf(p, "GET ") || prefixOf(p, "HEAD ")
}

func prefixOf(p []byte, s string) bool {
	n := min(len(p), len(s))
	return string(p[:n]) == s[:n]
}

// requestLine accepts "GET target HTTP/1.1" and "HEAD target HTTP/1.1".
func (q *fastReq) requestLine(line []byte) bool {
	switch {
	case bytes.HasPrefix(line, []byte("GET ")):
		line = line[4:]
	case bytes.HasPrefix(line, []byte("HEAD ")):
		q.head = true
		line = line[5:]
	default:
		return false
	}
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 || string(line[sp+1:]) != "HTTP/1.1" {
		return false
	}
	target := line[:sp]
	if target[0] != '/' {
		return false
	}
	qm := -1
	for i, c := range target {
		if qm < 0 {
			if c == '?' {
				qm = i
			} else if !plainPathByte[c] {
				return false // net/http escapes or decodes it: its path differs
			}
		} else if c <= ' ' || c >= 0x7f || c == '#' {
			return false
		}
	}
	if qm >= 0 {
		q.path, q.query = bstr(target[:qm]), bstr(target[qm+1:])
	} else {
		q.path = bstr(target)
	}
	return true
}

// plainPathByte: the bytes net/url keeps as they are in a path, so that
// URL.Path is the raw path and URL.RawPath is empty.
var plainPathByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range []byte("-._~$&+,/:;=@") {
		t[c] = true
	}
	return t
}()

// headerLine reads one header field line (not folded, CRLF removed).
func (q *fastReq) headerLine(line []byte) bool {
	if line[0] == ' ' || line[0] == '\t' {
		return false // obsolete line folding
	}
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	name := bstr(line[:colon])
	val := bstr(trimBytes(line[colon+1:]))
	if !httpguts.ValidHeaderFieldName(name) || !httpguts.ValidHeaderFieldValue(val) {
		return false
	}
	switch {
	case eqFold(name, "host"):
		q.hosts++
		return httpguts.ValidHostHeader(val)
	case eqFold(name, "accept-encoding"):
		if q.nae == len(q.ae) {
			return false
		}
		q.ae[q.nae] = val
		q.nae++
	case eqFold(name, "if-none-match"):
		if q.ninm == len(q.inm) {
			return false
		}
		q.inm[q.ninm] = val
		q.ninm++
	case eqFold(name, "if-modified-since"):
		if q.ims == "" {
			q.ims = val
		}
	case eqFold(name, "connection"):
		for v := val; v != ""; {
			var tok string
			if i := strings.IndexByte(v, ','); i >= 0 {
				tok, v = v[:i], v[i+1:]
			} else {
				tok, v = v, ""
			}
			tok = trimOWS(tok)
			if eqFold(tok, "close") {
				q.close = true
			} else if !eqFold(tok, "keep-alive") {
				return false // upgrade or hop-by-hop names: net/http
			}
		}
	case eqFold(name, "cookie"), eqFold(name, "authorization"),
		eqFold(name, "content-length"), eqFold(name, "transfer-encoding"),
		eqFold(name, "expect"), eqFold(name, "upgrade"):
		return false
	}
	return true
}

func trimBytes(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// eqFold reports whether s equals lower, ignoring ASCII case.
func eqFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// bstr views b as a string without copying; b must not change while the
// string is in use (one request).
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// handoff is the net.Listener through which the http.Server receives
// connections from the fast path.
type handoff struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
	addr net.Addr
}

func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.ch:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoff) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handoff) Addr() net.Addr { return h.addr }

// handedConn is a connection the fast path passed to net/http. It returns
// the bytes the fast path already read before reading from the connection;
// net/http's first read deadline (its header deadline) is cut to the
// deadline of the head the fast path began to read; CloseWrite and
// CloseRead (half-close, so that net/http's error answers end with a FIN)
// and ReadFrom (sendfile) reach the TCP connection.
type handedConn struct {
	net.Conn
	buf      []byte
	deadline time.Time
	pinned   atomic.Bool
}

func (c *handedConn) Read(p []byte) (int, error) {
	if len(c.buf) > 0 {
		n := copy(p, c.buf)
		c.buf = c.buf[n:]
		if len(c.buf) == 0 {
			c.buf = nil
		}
		return n, nil
	}
	return c.Conn.Read(p)
}

func (c *handedConn) SetReadDeadline(t time.Time) error {
	if c.pinned.Load() && c.pinned.CompareAndSwap(true, false) && (t.IsZero() || t.After(c.deadline)) {
		t = c.deadline
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *handedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

func (c *handedConn) CloseRead() error {
	if cr, ok := c.Conn.(interface{ CloseRead() error }); ok {
		return cr.CloseRead()
	}
	return errors.ErrUnsupported
}

func (c *handedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}
