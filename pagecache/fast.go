package pagecache

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// FastServer answers cache hits on plain HTTP/1.1 connections straight from
// memory, one write per response, and hands every other connection to a
// standard http.Server. It is optional: without it the same cache works
// behind net/http alone (HTTP/2, TLS, any middleware).
//
// A connection stays on the fast path only while each request on it is a
// simple one: GET or HEAD, HTTP/1.1, an origin-form target without '%' or
// '#', exactly one Host, no body, no Cookie, Authorization, Expect or
// Upgrade, a head under 8 KiB, and a fresh cache entry for its key. At the
// first request that is anything else, the connection, with the bytes
// already read, is passed to the http.Server, which parses that request
// from its first byte and keeps the connection. So the standard stack
// decides everything the fast path does not understand, including errors.
//
// The http.Server's Handler must contain Cache.Handler, so misses fill the
// cache, and no middleware in front of it may change hit responses (the
// fast path does not run it). Options.Private must depend on cookies only:
// the fast path leaves every request with a Cookie or Authorization header
// to net/http. IdleTimeout (else ReadTimeout) and WriteTimeout apply to
// fast connections too.
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

const maxFastHead = 8 << 10

var connBufs = sync.Pool{New: func() any { b := make([]byte, 0, maxFastHead); return &b }}

func (f *FastServer) serveConn(conn net.Conn) {
	defer f.wg.Done()
	bp := connBufs.Get().(*[]byte)
	out := connBufs.Get().(*[]byte)
	in := (*bp)[:0]
	handed := false
	defer func() {
		f.mu.Lock()
		delete(f.conns, conn)
		f.mu.Unlock()
		if !handed {
			conn.Close()
		}
		*bp = (*bp)[:0]
		connBufs.Put(bp)
		if cap(*out) <= 1<<20 {
			*out = (*out)[:0]
			connBufs.Put(out)
		}
	}()
	idle := f.srv.IdleTimeout
	if idle == 0 {
		idle = f.srv.ReadTimeout
	}
	for {
		if f.closing.Load() && len(in) == 0 {
			return
		}
		// Read until a full head is buffered.
		end := bytes.Index(in, crlfcrlf)
		if end < 0 && idle > 0 {
			conn.SetReadDeadline(time.Now().Add(idle))
		}
		for end < 0 {
			if len(in) >= maxFastHead || f.closing.Load() && len(in) == 0 {
				break
			}
			n, err := conn.Read(in[len(in):cap(in)])
			in = in[:len(in)+n]
			if err != nil {
				if len(in) > 0 && !f.closing.Load() {
					break // let net/http judge the partial request
				}
				return
			}
			end = bytes.Index(in, crlfcrlf)
		}
		if end < 0 {
			if f.closing.Load() && len(in) == 0 {
				return
			}
			f.handoff(conn, in)
			handed = true
			return
		}
		head := in[:end+2] // request line and header lines, each ending CRLF
		var q fastReq
		ok := q.parse(head)
		var e *entry
		if ok {
			key, kok := f.c.fastKey(q.path, q.query)
			if kok {
				sh := f.c.shardFor(key)
				e = f.c.lookup(sh, key, f.c.gen.Load())
				if e != nil {
					sh.hits.Add(1)
				}
			}
		}
		if e == nil {
			f.handoff(conn, in)
			handed = true
			return
		}
		*out = f.c.appendResponse((*out)[:0], &q, e)
		if wt := f.srv.WriteTimeout; wt > 0 {
			conn.SetWriteDeadline(time.Now().Add(wt))
		}
		if _, err := conn.Write(*out); err != nil {
			return
		}
		f.hits.Add(1)
		if q.close {
			return
		}
		// Keep pipelined bytes.
		rest := copy(in, in[end+4:])
		in = in[:rest]
	}
}

var crlfcrlf = []byte("\r\n\r\n")

// handoff passes conn, with the bytes read so far, to the http.Server.
func (f *FastServer) handoff(conn net.Conn, read []byte) {
	f.handed.Add(1)
	rc := &replayConn{Conn: conn, buf: bytes.Clone(read)}
	conn.SetReadDeadline(time.Time{})
	select {
	case f.hand.ch <- rc:
	case <-f.hand.done:
		conn.Close()
	}
}

// appendResponse writes the stored response for q: prebuilt head, Date,
// body.
func (c *Cache) appendResponse(b []byte, q *fastReq, e *entry) []byte {
	v := e.id
	if e.gz != nil || e.br != nil {
		v = e.pick(q.ae[:q.nae])
	}
	notMod := e.cond && notModified(q.inm[:q.ninm], q.ims, e, v)
	if notMod {
		b = append(b, v.nmHead...)
	} else {
		b = append(b, v.head...)
	}
	if !c.opt.OmitDate {
		b = append(b, "Date: "...)
		b = append(b, httpDate()...)
		b = append(b, "\r\n"...)
	}
	if q.close {
		b = append(b, "Connection: close\r\n"...)
	}
	b = append(b, "\r\n"...)
	if !notMod && !q.head {
		b = append(b, v.body...)
	}
	return b
}

// fastKey is Cache.key for a target the fast path parsed.
func (c *Cache) fastKey(path, query string) (string, bool) {
	return c.keyOf(path, query)
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
}

// parse accepts only plain requests; false means "hand to net/http".
func (q *fastReq) parse(h []byte) bool {
	line, rest, ok := cutCRLF(h)
	if !ok {
		return false
	}
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
		if c <= ' ' || c >= 0x7f || c == '#' {
			return false
		}
		if c == '%' && qm < 0 {
			return false // escaped path: net/http decodes it
		}
		if c == '?' && qm < 0 {
			qm = i
		}
	}
	if qm >= 0 {
		q.path, q.query = bstr(target[:qm]), bstr(target[qm+1:])
	} else {
		q.path = bstr(target)
	}
	hosts := 0
	for len(rest) > 0 {
		line, rest, ok = cutCRLF(rest)
		if !ok {
			return false
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return false
		}
		name := line[:colon]
		for _, c := range name {
			if !isToken(c) {
				return false
			}
		}
		val := bstr(trimBytes(line[colon+1:]))
		for i := 0; i < len(val); i++ {
			if c := val[i]; c < ' ' && c != '\t' || c == 0x7f {
				return false
			}
		}
		switch {
		case eqFold(name, "host"):
			hosts++
			for i := 0; i < len(val); i++ {
				if c := val[i]; !isToken(c) && c != ':' && c != '[' && c != ']' {
					return false // net/http decides about odd hosts
				}
			}
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
				if strings.EqualFold(tok, "close") {
					q.close = true
				} else if !strings.EqualFold(tok, "keep-alive") {
					return false // upgrade or hop-by-hop names: net/http
				}
			}
		case eqFold(name, "cookie"), eqFold(name, "authorization"),
			eqFold(name, "content-length"), eqFold(name, "transfer-encoding"),
			eqFold(name, "expect"), eqFold(name, "upgrade"):
			return false
		}
	}
	return hosts == 1
}

func cutCRLF(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i <= 0 || b[i-1] != '\r' {
		return nil, nil, false
	}
	line = b[:i-1]
	if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
		return nil, nil, false // obsolete line folding
	}
	return line, b[i+1:], true
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

func eqFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
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

var (
	dateMu   sync.Mutex
	dateSec  atomic.Int64
	dateText atomic.Pointer[[]byte]
)

// httpDate returns the current time in http.TimeFormat, rebuilt once a
// second.
func httpDate() []byte {
	now := time.Now().Unix()
	if dateSec.Load() == now {
		if p := dateText.Load(); p != nil {
			return *p
		}
	}
	dateMu.Lock()
	defer dateMu.Unlock()
	if dateSec.Load() != now || dateText.Load() == nil {
		b := time.Unix(now, 0).UTC().AppendFormat(nil, http.TimeFormat)
		dateText.Store(&b)
		dateSec.Store(now)
	}
	return *dateText.Load()
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

// replayConn returns the bytes the fast path already read before reading
// from the connection.
type replayConn struct {
	net.Conn
	buf []byte
}

func (c *replayConn) Read(p []byte) (int, error) {
	if len(c.buf) > 0 {
		n := copy(p, c.buf)
		c.buf = c.buf[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
