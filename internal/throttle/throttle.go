// Package throttle is a keyed token-bucket rate limiter kept in memory:
// each key (a client address, an account, an article) may spend Burst
// tokens at once, and gets Rate tokens back per second. Memory is bounded:
// keys whose buckets have refilled are forgotten, and when MaxKeys are
// held the fullest are dropped first.
//
// Limits are per process: with n nodes behind a balancer a client may get
// up to n times the budget, which bounds guessing all the same.
package throttle

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Limiter is safe for concurrent use. Create it with New.
type Limiter struct {
	rate    float64 // tokens per second
	burst   float64
	maxKeys int
	now     func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// Options configure a Limiter.
type Options struct {
	// Burst is how many events a key may have at once (at least 1).
	Burst int
	// Per is the time one token takes to come back: a key gets Burst
	// events at once, then one per Per.
	Per time.Duration
	// MaxKeys bounds the keys held (default 100,000).
	MaxKeys int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// New returns a Limiter.
func New(o Options) *Limiter {
	if o.Burst < 1 {
		o.Burst = 1
	}
	if o.Per <= 0 {
		o.Per = time.Second
	}
	if o.MaxKeys <= 0 {
		o.MaxKeys = 100_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Limiter{
		rate:    1 / o.Per.Seconds(),
		burst:   float64(o.Burst),
		maxKeys: o.MaxKeys,
		now:     o.Now,
		buckets: make(map[string]*bucket),
	}
}

// Allow spends one token of key and reports whether there was one. When
// there was not, it spends nothing and returns how long until there is.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, l.wait(b)
}

// Check reports whether key has a token now, spending none: a login checks
// before it verifies a password and spends (Fail) only on a failure.
func (l *Limiter) Check(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, held := l.buckets[key]
	if !held {
		return true, 0
	}
	l.refill(b, l.now())
	if b.tokens >= 1 {
		return true, 0
	}
	return false, l.wait(b)
}

// Fail spends one token of key, going no lower than empty.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, l.now())
	b.tokens = math.Max(b.tokens-1, 0)
}

// Reset forgets key: its next event finds a full bucket.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

// Len returns the number of keys held.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *Limiter) wait(b *bucket) time.Duration {
	return time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
}

func (l *Limiter) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.at).Seconds(); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d*l.rate)
		b.at = now
	}
}

// bucket returns key's bucket brought up to now, creating a full one.
func (l *Limiter) bucket(key string, now time.Time) *bucket {
	if b, ok := l.buckets[key]; ok {
		l.refill(b, now)
		return b
	}
	if len(l.buckets) >= l.maxKeys || now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	b := &bucket{tokens: l.burst, at: now}
	l.buckets[key] = b
	return b
}

// sweep forgets full buckets (a full bucket is the same as none); if that
// leaves the map at its bound, it drops the fullest half of what is left,
// so a flood of new keys cannot push out the emptiest (most limited) ones.
func (l *Limiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.maxKeys {
		return
	}
	// Drop the buckets above the median fill.
	fills := make([]float64, 0, len(l.buckets))
	for _, b := range l.buckets {
		fills = append(fills, b.tokens)
	}
	slices.Sort(fills)
	median := fills[len(fills)/2]
	for k, b := range l.buckets {
		if b.tokens >= median && len(l.buckets) > l.maxKeys/2 {
			delete(l.buckets, k)
		}
	}
}
