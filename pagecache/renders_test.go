package pagecache

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/testwait"
)

// concurrencyMeter is a handler that records how many renders ran at once.
type concurrencyMeter struct {
	active, most atomic.Int64
}

func (m *concurrencyMeter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := m.active.Add(1)
	for {
		old := m.most.Load()
		if n <= old || m.most.CompareAndSwap(old, n) {
			break
		}
	}
	time.Sleep(15 * time.Millisecond) // long enough for the others to pile up
	m.active.Add(-1)
	fmt.Fprintf(w, "page %s", r.URL.Path)
}

// mostConcurrentRenders sends n misses for distinct keys at once and
// returns the most renders the handler saw running together.
func mostConcurrentRenders(t *testing.T, opt Options, n int) int64 {
	t.Helper()
	m := &concurrencyMeter{}
	srv := httptest.NewServer(New(opt).Handler(m))
	t.Cleanup(srv.Close)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			res, err := http.Get(fmt.Sprintf("%s/p%d", srv.URL, i))
			if err != nil {
				errs <- err
				return
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err == nil && string(body) != fmt.Sprintf("page /p%d", i) {
				err = fmt.Errorf("/p%d answered %q", i, body)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	testwait.Group(t, &wg, time.Minute, "concurrent misses")
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return m.most.Load()
}

// Misses render at most MaxRenders at a time, so that a flood of misses
// leaves cores to the hits; every miss is still answered.
func TestMaxRenders(t *testing.T) {
	if got := mostConcurrentRenders(t, Options{MaxRenders: 1}, 8); got != 1 {
		t.Errorf("MaxRenders 1: %d renders ran at once", got)
	}
	if got := mostConcurrentRenders(t, Options{MaxRenders: 3}, 8); got > 3 {
		t.Errorf("MaxRenders 3: %d renders ran at once", got)
	}
	// The meter itself sees concurrency when nothing bounds it.
	if got := mostConcurrentRenders(t, Options{MaxRenders: -1}, 8); got < 2 {
		t.Errorf("no bound: the most renders at once was %d; the meter cannot tell", got)
	}
}
