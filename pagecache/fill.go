package pagecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"math/bits"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// recorder buffers a render. Past limit bytes it gives up buffering and
// streams the response to the real writer (direct), uncached.
type recorder struct {
	w      http.ResponseWriter
	header http.Header
	status int
	buf    *bytes.Buffer
	limit  int
	direct bool
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newRecorder(w http.ResponseWriter, limit int) *recorder {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	return &recorder{w: w, header: make(http.Header), buf: b, limit: limit}
}

func (rec *recorder) release() {
	if rec.buf.Cap() <= 1<<20 {
		bufPool.Put(rec.buf)
	}
	rec.buf = nil
}

func (rec *recorder) Header() http.Header {
	if rec.direct {
		return rec.w.Header()
	}
	return rec.header
}

func (rec *recorder) WriteHeader(code int) {
	if rec.direct {
		rec.w.WriteHeader(code)
		return
	}
	if rec.status != 0 || code < 200 {
		return // a second call, or 1xx: dropped
	}
	rec.status = code
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.direct {
		return rec.w.Write(p)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.buf.Len()+len(p) > rec.limit {
		rec.finish()
		rec.copyHeader()
		rec.w.WriteHeader(rec.status)
		rec.direct = true
		if _, err := rec.w.Write(rec.buf.Bytes()); err != nil {
			return 0, err
		}
		return rec.w.Write(p)
	}
	return rec.buf.Write(p)
}

// Flush is accepted and ignored while buffering.
func (rec *recorder) Flush() {
	if f, ok := rec.w.(http.Flusher); ok && rec.direct {
		f.Flush()
	}
}

// finish applies net/http's defaults: status 200 and a sniffed Content-Type.
func (rec *recorder) finish() {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if _, ok := rec.header["Content-Type"]; !ok && rec.buf.Len() > 0 {
		rec.header["Content-Type"] = []string{http.DetectContentType(rec.buf.Bytes())}
	}
}

// copyHeader sets the buffered header on the real writer, as an answer
// that is not stored: without Surrogate-Key, with X-Cache: miss.
func (rec *recorder) copyHeader() {
	h := rec.w.Header()
	for k, v := range rec.header {
		if k != surrogateKey && k != surrogateControl {
			h[k] = v
		}
	}
	h["X-Cache"] = xMiss
}

// writeTo sends an unshareable render to its own client.
func (rec *recorder) writeTo(w http.ResponseWriter, r *http.Request) {
	rec.copyHeader()
	w.WriteHeader(rec.status)
	if r.Method != http.MethodHead {
		w.Write(rec.buf.Bytes())
	}
}

// shareable reports whether a response may be given to other readers.
func shareable(h http.Header) bool {
	if len(h["Set-Cookie"]) > 0 || len(h["Trailer"]) > 0 {
		return false
	}
	for _, cc := range h["Cache-Control"] {
		cc = strings.ToLower(cc)
		if strings.Contains(cc, "private") || strings.Contains(cc, "no-store") || strings.Contains(cc, "no-cache") {
			return false
		}
	}
	for _, v := range h["Vary"] {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" && !strings.EqualFold(f, "Accept-Encoding") {
				return false
			}
		}
	}
	return true
}

// surrogateKey is the response header in which a handler names the
// topics its answer was built from, space-separated (as Fastly's and
// Varnish xkey's). The cache reads it and never sends it.
const surrogateKey = "Surrogate-Key"

// surrogateControl is the response header in which a handler bounds how
// long the cache keeps a page ("max-age=N", seconds; Edge Architecture
// Specification): a page that shows something that ends by the clock
// (a comment form that closes with the article's age) expires then even
// though no change drops it. The cache removes it before the answer goes
// out.
const surrogateControl = "Surrogate-Control"

// surrogateMaxAge reads max-age from Surrogate-Control (ok false: none).
func surrogateMaxAge(h http.Header) (time.Duration, bool) {
	for _, line := range h[surrogateControl] {
		for d := range strings.SplitSeq(line, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
			if !strings.EqualFold(name, "max-age") {
				continue
			}
			n, err := strconv.ParseInt(strings.Trim(value, `"`), 10, 64)
			if err != nil || n < 0 {
				continue
			}
			return time.Duration(min(n, int64(365*24*3600))) * time.Second, true
		}
	}
	return 0, false
}

// topicsOf reads the Surrogate-Key lines of a header: the topics, sorted,
// without duplicates, and whether there was a Surrogate-Key at all.
func topicsOf(h http.Header) (topics []string, tagged bool) {
	lines, tagged := h[surrogateKey]
	for _, l := range lines {
		topics = append(topics, strings.Fields(l)...)
	}
	slices.Sort(topics)
	return slices.Clip(slices.Compact(topics)), tagged
}

// headers the cache computes itself or must not replay.
var dropped = map[string]bool{
	"Date": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Keep-Alive": true, "Etag": true, "Vary": true, "Cache-Control": true,
	"Last-Modified": true, "Content-Type": true, surrogateKey: true, surrogateControl: true, "X-Cache": true,
}

// build turns a buffered render into an entry. It returns nil when the
// response must not be shared; otherwise an entry that is stored when
// e.store is set, and at least handed to waiting requests. A new key is
// stored only if admitted (makeRoom with freq, the key's request
// frequency); a response that may be stored but was not admitted gets the
// same headers, and only the gzip variant, if the request (ae, its
// Accept-Encoding) takes it: compressing costs more than rendering.
func (c *Cache) build(sh *shard, rec *recorder, key string, g, seq uint64, freq int, ae []string) *entry {
	h := rec.header
	if !shareable(h) {
		return nil
	}
	body := bytes.Clone(rec.buf.Bytes())
	if body == nil {
		body = []byte{}
	}
	e := &entry{key: key, hash: keyHash(key), gen: g, seq: seq, status: rec.status}
	e.topics, e.tagged = topicsOf(h)
	switch {
	case len(h["Content-Encoding"]) > 0 || len(body) > c.opt.MaxEntryBytes:
	case rec.status == http.StatusOK:
		e.store, e.cond = true, true
		if age, ok := surrogateMaxAge(h); ok {
			e.expires = time.Now().Add(age).UnixNano()
		}
	case (rec.status == http.StatusMovedPermanently || rec.status == http.StatusNotFound) && c.opt.ShortTTL > 0:
		e.store = true
		e.expires = time.Now().Add(c.opt.ShortTTL).UnixNano()
	}
	if !e.store {
		// Handed to waiters only, as rendered.
		hs := []hdr{{"X-Cache", xMiss}}
		for k, v := range h {
			if k != "Content-Length" && k != "Date" && k != surrogateKey && k != surrogateControl && k != "X-Cache" {
				hs = append(hs, hdr{k, fixed(v)})
			}
		}
		if e.status != http.StatusNoContent && e.status != http.StatusNotModified {
			hs = append(hs, hdr{"Content-Length", []string{strconv.Itoa(len(body))}})
		}
		e.id = &variant{body: body, header: hs, head: rawHead(e.status, hs)}
		return e
	}

	e.sum = sha256.Sum256(body)
	ct, hasCT := h["Content-Type"]
	ctype := ""
	if len(ct) > 0 {
		ctype = ct[0]
	}
	compress := len(body) >= c.opt.MinCompressBytes && compressible(ctype)
	old := c.previous(sh, key)
	var prev *entry
	if old != nil && old.sum == e.sum && old.status == e.status && old.cond == e.cond {
		prev = old
	}
	var reserved int64 // bytes makeRoom set aside for a new key
	if old == nil {
		// A new key: admission, decided before the compression it would
		// cost, on an estimate of its size.
		if n := estimateSize(key, h, body, compress); c.makeRoom(n, freq) {
			reserved = n
		} else {
			e.store = false
			c.rejected.Add(1)
		}
	}

	// Last-Modified: the handler's, else when this body was first seen.
	if lm := h.Get("Last-Modified"); lm != "" {
		if t, err := http.ParseTime(lm); err == nil {
			e.modified = t.Unix()
		}
	} else if prev != nil {
		e.modified = prev.modified
	} else {
		e.modified = time.Now().Unix()
	}

	var common []hdr
	for k, v := range h {
		if !dropped[k] {
			common = append(common, hdr{k, fixed(v)})
		}
	}
	if hasCT {
		common = append(common, hdr{"Content-Type", fixed(ct)})
	}
	cc := h["Cache-Control"]
	if len(cc) == 0 {
		if e.status == http.StatusOK {
			cc = []string{c.opt.CacheControl}
		} else {
			cc = []string{c.opt.ShortCacheControl}
		}
	}
	cc = fixed(cc)
	common = append(common, hdr{"Cache-Control", cc}, hdr{"X-Cache", xHit})
	var lastMod []string
	if e.modified != 0 {
		lastMod = []string{time.Unix(e.modified, 0).UTC().Format(http.TimeFormat)}
		common = append(common, hdr{"Last-Modified", lastMod})
	}
	if c.opt.OmitDate {
		common = append(common, hdr{"Date", nil})
	}

	// Variants.
	mk := func(b []byte, etag string) *variant {
		v := &variant{body: b}
		if e.cond {
			v.etag = etag
			if v.etag == "" {
				v.etag = strongETag(b)
			}
		}
		return v
	}
	e.id = mk(body, etagOf(e.sum))
	switch {
	case !compress:
	case prev != nil:
		if prev.gz != nil {
			e.gz = mk(prev.gz.body, prev.gz.etag)
		}
		if prev.br != nil {
			e.br = mk(prev.br.body, prev.br.etag)
		}
	case e.store:
		if z := gzipBytes(body, c.opt.GzipLevel); len(z) < len(body) {
			e.gz = mk(z, "")
		}
		if b := brotliBytes(body, c.opt.BrotliLevel); len(b) < len(body) {
			e.br = mk(b, "")
		}
	case takesGzip(ae):
		if z := gzipBytes(body, c.opt.GzipLevel); len(z) < len(body) {
			e.gz = mk(z, "")
		}
	}
	// Vary as a stored entry would have it, so that an answer does not
	// depend on whether it was admitted.
	vary := len(h["Vary"]) > 0 || e.gz != nil || e.br != nil || (compress && !e.store)
	varyV := []string{"Accept-Encoding"}
	size := int64(len(key)) + 512
	for _, p := range []struct {
		v   *variant
		enc string
	}{{e.id, ""}, {e.gz, "gzip"}, {e.br, "br"}} {
		v := p.v
		if v == nil {
			continue
		}
		v.header = append(v.header, common...)
		v.header = append(v.header, hdr{"Content-Length", []string{strconv.Itoa(len(v.body))}})
		if p.enc != "" {
			v.header = append(v.header, hdr{"Content-Encoding", []string{p.enc}})
		}
		if vary {
			v.header = append(v.header, hdr{"Vary", varyV})
		}
		if v.etag != "" {
			et := []string{v.etag}
			v.header = append(v.header, hdr{"Etag", et})
			v.nm = append(v.nm, hdr{"Etag", et}, hdr{"Cache-Control", cc}, hdr{"X-Cache", xHit})
			if lastMod != nil {
				v.nm = append(v.nm, hdr{"Last-Modified", lastMod})
			}
			if vary {
				v.nm = append(v.nm, hdr{"Vary", varyV})
			}
			for _, k := range []string{"Expires", "Content-Location"} {
				if x := h[k]; len(x) > 0 {
					v.nm = append(v.nm, hdr{k, fixed(x)})
				}
			}
			if c.opt.OmitDate {
				v.nm = append(v.nm, hdr{"Date", nil})
			}
		}
		v.head = rawHead(e.status, v.header)
		if v.nm != nil {
			v.nmHead = rawHead(http.StatusNotModified, v.nm)
		}
		size += int64(len(v.body)+len(v.head)+len(v.nmHead)) + 64
	}
	for _, kv := range common {
		for _, s := range kv.v {
			size += int64(len(kv.k) + len(s))
		}
	}
	for _, t := range e.topics {
		size += int64(len(t)) + 64 // the topic and its place in the index
	}
	e.size = size
	if reserved > 0 {
		// Settle the reservation at the real size: give back the excess,
		// or find the rest of the room, which may cost a more frequent
		// entry: then the render is not stored after all.
		switch {
		case size <= reserved:
			c.bytes.Add(size - reserved)
		case c.makeRoom(size-reserved, freq):
		default:
			c.bytes.Add(-reserved)
			e.store = false
			c.rejected.Add(1)
		}
		e.reserved = e.store
	}
	return e
}

// estimateSize is about the size build gives an entry, before compression:
// gzip and brotli together take about half the body on pages.
func estimateSize(key string, h http.Header, body []byte, compress bool) int64 {
	hb := 0
	for k, vs := range h {
		for _, v := range vs {
			hb += len(k) + len(v) + 4
		}
	}
	n, variants := len(body), 1
	if compress {
		n, variants = n+n/2, 3
	}
	return int64(len(key) + 512 + hb + n + variants*(2*hb+400))
}

// takesGzip reports whether an Accept-Encoding (its header lines) prefers
// gzip to identity when both are on offer.
func takesGzip(ae []string) bool {
	probe := entry{id: &variant{}, gz: &variant{}}
	return probe.pick(ae) == probe.gz
}

// fixed copies v with cap == len, so an append elsewhere cannot write into
// the slice every hit shares.
func fixed(v []string) []string {
	return append([]string(nil), v...)[:len(v):len(v)]
}

// strongETag is a content hash: equal bytes, equal tag, across restarts.
func strongETag(b []byte) string { return etagOf(sha256.Sum256(b)) }

func etagOf(s [32]byte) string {
	return `"` + base64.RawURLEncoding.EncodeToString(s[:12]) + `"`
}

// compressible reports whether a media type is worth compressing.
func compressible(ct string) bool {
	ct = strings.ToLower(ct)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	return strings.HasPrefix(ct, "text/") || strings.HasSuffix(ct, "json") ||
		strings.HasSuffix(ct, "xml") || strings.Contains(ct, "javascript") ||
		ct == "image/svg+xml" || ct == "application/wasm"
}

// gzipBytes compresses with github.com/klauspost/compress/gzip, a faster
// drop-in for compress/gzip (same format, any gzip reader decodes it).
// Writers are pooled per level.
func gzipBytes(b []byte, level int) []byte {
	var out bytes.Buffer
	pool, _ := gzipPools.Load(level)
	if pool == nil {
		pool, _ = gzipPools.LoadOrStore(level, new(sync.Pool))
	}
	zw, _ := pool.(*sync.Pool).Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(&out, level); err != nil {
			return nil
		}
	} else {
		zw.Reset(&out)
	}
	zw.Write(b)
	zw.Close()
	zw.Reset(nil) // drop the reference to out
	pool.(*sync.Pool).Put(zw)
	return bytes.Clone(out.Bytes())
}

var gzipPools sync.Map // level -> *sync.Pool of *gzip.Writer

// brotliBytes compresses with a window fitted to the body: the default 4 MiB
// window costs tens of MiB and ~100 ms per page at quality 11 for nothing.
// Writers are pooled per quality and window: making one allocates its hash
// tables, which cost about as much as compressing a 16 KB page.
func brotliBytes(b []byte, level int) []byte {
	win := bits.Len(uint(len(b)))
	win = min(max(win, 10), 24)
	var out bytes.Buffer
	key := brotliKey{level, win}
	pool, _ := brotliPools.Load(key)
	if pool == nil {
		pool, _ = brotliPools.LoadOrStore(key, new(sync.Pool))
	}
	bw, _ := pool.(*sync.Pool).Get().(*brotli.Writer)
	if bw == nil {
		bw = brotli.NewWriterOptions(&out, brotli.WriterOptions{Quality: level, LGWin: win})
	} else {
		bw.Reset(&out)
	}
	bw.Write(b)
	bw.Close()
	bw.Reset(nil) // drop the reference to out
	pool.(*sync.Pool).Put(bw)
	return bytes.Clone(out.Bytes())
}

type brotliKey struct{ quality, win int }

var brotliPools sync.Map // brotliKey -> *sync.Pool of *brotli.Writer

// rawHead renders a status line and header lines (without Date and the final
// empty line) as net/http would: invalid names skipped, CR and LF in values
// turned into spaces, a nil value (Date suppression) left out.
func rawHead(status int, hs []hdr) []byte {
	b := []byte("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n")
	for _, kv := range hs {
		if !validName(kv.k) {
			continue
		}
		for _, v := range kv.v {
			b = append(b, kv.k...)
			b = append(b, ": "...)
			for i := 0; i < len(v); i++ {
				if c := v[i]; c == '\r' || c == '\n' {
					b = append(b, ' ')
				} else {
					b = append(b, c)
				}
			}
			b = append(b, "\r\n"...)
		}
	}
	return b[:len(b):len(b)]
}

func validName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isToken(k[i]) {
			return false
		}
	}
	return true
}

func isToken(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
