package throttle

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func TestAllowBurstThenRate(t *testing.T) {
	c := newClock()
	l := New(Options{Burst: 3, Per: 10 * time.Second, Now: c.now})
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("event %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 10*time.Second {
		t.Fatalf("4th event: ok=%v wait=%v, want refused with 10s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key was limited")
	}
	c.add(4 * time.Second)
	if ok, wait := l.Allow("a"); ok || wait != 6*time.Second {
		t.Fatalf("after 4s: ok=%v wait=%v, want refused with 6s", ok, wait)
	}
	c.add(6 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("token did not come back after Per")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("more than one token came back")
	}
}

func TestCheckFailReset(t *testing.T) {
	c := newClock()
	l := New(Options{Burst: 2, Per: time.Minute, Now: c.now})
	if ok, _ := l.Check("acct"); !ok {
		t.Fatal("fresh key checked as limited")
	}
	if l.Len() != 0 {
		t.Fatal("Check created a bucket")
	}
	l.Fail("acct")
	if ok, _ := l.Check("acct"); !ok {
		t.Fatal("limited after one failure of two")
	}
	l.Fail("acct")
	l.Fail("acct") // goes no lower than empty
	ok, wait := l.Check("acct")
	if ok || wait != time.Minute {
		t.Fatalf("after failures: ok=%v wait=%v, want limited for 1m", ok, wait)
	}
	c.add(time.Minute)
	if ok, _ := l.Check("acct"); !ok {
		t.Fatal("still limited after one token came back")
	}
	l.Fail("acct")
	l.Reset("acct")
	if ok, _ := l.Check("acct"); !ok {
		t.Fatal("limited after Reset")
	}
}

func TestMemoryBoundKeepsLimitedKeys(t *testing.T) {
	c := newClock()
	l := New(Options{Burst: 5, Per: time.Hour, MaxKeys: 1000, Now: c.now})
	// An attacker's key, exhausted.
	for range 5 {
		l.Allow("attacker")
	}
	// A flood of fresh keys, each used once.
	for i := range 5000 {
		l.Allow(fmt.Sprintf("flood-%d", i))
	}
	if n := l.Len(); n > 1000 {
		t.Fatalf("holds %d keys, bound is 1000", n)
	}
	if ok, _ := l.Allow("attacker"); ok {
		t.Fatal("the flood of new keys reset the exhausted key")
	}
}

func TestSweepForgetsFullBuckets(t *testing.T) {
	c := newClock()
	l := New(Options{Burst: 1, Per: time.Second, Now: c.now})
	for i := range 100 {
		l.Allow(fmt.Sprintf("k%d", i))
	}
	c.add(2 * time.Minute)
	l.Allow("late") // sweeps: a minute passed
	if n := l.Len(); n != 1 {
		t.Fatalf("holds %d keys after every bucket refilled, want 1", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	l := New(Options{Burst: 100, Per: time.Hour})
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if ok, _ := l.Allow("shared"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed != 100 {
		t.Fatalf("allowed %d events of 400, burst is 100", allowed)
	}
}
