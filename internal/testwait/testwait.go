// Package testwait bounds what tests wait for (a notification, a
// goroutine's answer, a server's exit, concurrent workers), so that a test
// whose event never comes fails with a message naming the event instead of
// hanging until go test's 10-minute timeout.
package testwait

import (
	"sync"
	"testing"
	"time"
)

// Timeout is how long a test waits for something that should come at
// once; generous, for a loaded machine.
const Timeout = 20 * time.Second

// Recv returns the next value from ch, or fails t when none comes within
// Timeout.
func Recv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	return RecvWithin(t, ch, Timeout, what)
}

// RecvWithin is Recv with its own bound.
func RecvWithin[T any](t testing.TB, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	v, ok := recv(ch, d)
	if !ok {
		t.Fatalf("waited %v for %s: it never came", d, what)
	}
	return v
}

func recv[T any](ch <-chan T, d time.Duration) (T, bool) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v, true
	case <-timer.C:
		var zero T
		return zero, false
	}
}

// Group waits for wg, or fails t when it is not done within d.
func Group(t testing.TB, wg *sync.WaitGroup, d time.Duration, what string) {
	t.Helper()
	if !group(wg, d) {
		t.Fatalf("waited %v for %s to finish: they did not (a deadlock?)", d, what)
	}
}

func group(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	_, ok := recv(done, d)
	return ok
}
