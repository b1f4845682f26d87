package pagecache

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// startServer serves c.Handler(h) on loopback, through a FastServer when
// fast is set (returned), else through the http.Server alone. tune adjusts
// the http.Server before it starts.
func startServer(tb testing.TB, fast bool, c *Cache, h http.Handler, tune func(*http.Server)) (string, *FastServer) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: c.Handler(h), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	if tune != nil {
		tune(srv)
	}
	type server interface {
		Serve(net.Listener) error
		Shutdown(context.Context) error
	}
	var s server = srv
	var fs *FastServer
	if fast {
		fs = NewFastServer(c, srv)
		s = fs
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			tb.Errorf("shutdown: %v", err)
		}
		select {
		case err := <-served:
			if err != http.ErrServerClosed {
				tb.Errorf("Serve returned %v", err)
			}
		case <-time.After(5 * time.Second):
			tb.Error("Serve did not return after Shutdown")
		}
	})
	return ln.Addr().String(), fs
}

// warm fetches path once on a connection of its own, so the cache holds it
// and no keep-alive connection of the test is already net/http's.
func warm(tb testing.TB, addr, path string) {
	tb.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
}

// responseLen reads one response to req on conn and returns its length in
// bytes (head and body). Hits of one variant differ only in the Date value,
// which has a fixed width, so every later hit has this length.
func responseLen(tb testing.TB, conn net.Conn, req string) int {
	tb.Helper()
	if _, err := io.WriteString(conn, req); err != nil {
		tb.Fatal(err)
	}
	cr := &countingReader{r: conn}
	res, err := http.ReadResponse(bufio.NewReaderSize(cr, 1), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode != 200 {
		tb.Fatalf("status %d", res.StatusCode)
	}
	io.Copy(io.Discard, res.Body)
	return cr.n
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// benchKeepAlive measures whole requests over one loopback keep-alive
// connection: the client writes a request and reads the response of known
// length into a fixed buffer, so the allocations reported are the server's.
// cpu-ns/op is the process's CPU time per request, client included.
func benchKeepAlive(b *testing.B, fast bool, ae string) {
	c := New(Options{})
	addr, _ := startServer(b, fast, c, article16k(), nil)
	const path = "/ky/politics/bishkekte-shailoo-otto"
	warm(b, addr, path)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	req := "GET " + path + " HTTP/1.1\r\nHost: localhost:8080\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0\r\n" +
		"Accept: text/html,application/xhtml+xml\r\nAccept-Language: ky,ru;q=0.8\r\n"
	if ae != "" {
		req += "Accept-Encoding: " + ae + "\r\n"
	}
	req += "\r\n"
	n := responseLen(b, conn, req)
	buf := make([]byte, n)
	reqb := []byte(req)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := conn.Write(reqb); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(conn, buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// Client and server together; the client's share is the same in both
	// modes.
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	if !strings.HasPrefix(string(buf), "HTTP/1.1 200 OK\r\n") {
		b.Fatalf("last response: %.100q", buf)
	}
}

func BenchmarkFastServerKeepAlive(b *testing.B) { benchKeepAlive(b, true, "") }
func BenchmarkFastServerKeepAliveGzip(b *testing.B) {
	benchKeepAlive(b, true, "gzip, deflate, br, zstd")
}
func BenchmarkStdServerKeepAlive(b *testing.B) { benchKeepAlive(b, false, "") }

// TestIdleConnMemory opens 200 keep-alive connections, fetches a 150 KB
// page on each and measures what the idle connections hold, on the fast
// front and on net/http alone. The fast front must keep no copy of a
// response per connection: it writes the shared entry.
func TestIdleConnMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 400 connections")
	}
	big := html(150<<10, "big")
	const conns = 200
	perConn := map[bool][2]int64{}
	for _, fast := range []bool{false, true} {
		c := New(Options{})
		addr, _ := startServer(t, fast, c, newPage(big), nil)
		warm(t, addr, "/big")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.GC() // twice: sync.Pools keep a victim generation
		runtime.ReadMemStats(&before)
		var open []net.Conn
		for i := 0; i < conns; i++ {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			open = append(open, conn)
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := io.Copy(io.Discard, res.Body); n != int64(len(big)) || res.StatusCode != 200 {
				t.Fatalf("connection %d: status %d, %d bytes", i, res.StatusCode, n)
			}
		}
		time.Sleep(100 * time.Millisecond) // let every server goroutine reach its idle read
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / conns
		stack := (int64(after.StackInuse) - int64(before.StackInuse)) / conns
		perConn[fast] = [2]int64{heap, stack}
		for _, conn := range open {
			conn.Close()
		}
		t.Logf("fast=%v: %d B heap, %d B stack per idle connection (client side included)", fast, heap, stack)
	}
	if heap := perConn[true][0]; heap > 32<<10 {
		t.Errorf("fast front holds %d B of heap per idle connection after a 150 KB page (net/http: %d B)", heap, perConn[false][0])
	}
}
