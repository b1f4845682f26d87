package pagecache

import (
	"math/bits"
	"sync"
)

// admission decides whether a new key may take the place of a live entry.
// It is TinyLFU (Einziger, Friedman, Manes, "TinyLFU: A Highly Efficient
// Cache Admission Policy", 2017) fitted to this cache's CLOCK shards:
//
//   - A doorkeeper remembers the keys (64-bit hashes) that missed recently.
//     A key that misses for the first time is stored only if room can be
//     made by evicting stale or expired entries: a flood of distinct URLs
//     (page numbers past the end, search queries, unknown slugs) renders
//     but never pushes a live page out.
//   - A count-min sketch counts, per key, the misses after the first and,
//     for stored entries, each turn of the CLOCK hand in which they were
//     hit. A key that missed before is stored when it is more frequent than
//     the live entry the hand would evict. Counters saturate at 15 and are
//     halved every sample counts, so frequency means recent frequency.
//
// The hit path never touches it: hits reach it only through the CLOCK
// reference bits, read when the hand passes. So a hit stays one RLock and
// no allocation, and the lock here is taken on misses and evictions only,
// each of which costs a render or more anyway.
//
// Why not a W-TinyLFU library such as github.com/maypok86/otter: it would
// replace the store rather than advise it. This cache evicts stale
// generations before live entries, keeps a stale entry to reuse its
// compressed variants when a re-render yields the same bytes, bounds
// memory by the bytes of all variants, and serves hits without
// allocation; an otter cache sees none of that (its frequency would keep
// stale entries of a popular page and refuse live newcomers), and would
// sit beside the shard maps the FastServer reads.
type admission struct {
	mu sync.Mutex
	// The doorkeeper in two halves: when seen holds seenMax keys it
	// becomes prev and a new half starts.
	seen, prev map[uint64]struct{}
	seenMax    int
	rows       [4][]uint8
	mask       uint64
	adds       int
	sample     int
}

// newAdmission sizes the sketch for the entries maxBytes can hold, taking
// 8 KiB an entry (a page with its variants takes 15–25 KiB; redirects and
// small answers less).
func newAdmission(maxBytes int64) *admission {
	width := 1 << bits.Len64(uint64(min(max(maxBytes/8192, 1024), 1<<20))-1)
	a := &admission{seenMax: width, mask: uint64(width - 1), sample: 10 * width}
	for i := range a.rows {
		a.rows[i] = make([]uint8, width)
	}
	a.seen = make(map[uint64]struct{})
	return a
}

// request records a miss of the key with hash h and returns the key's
// frequency: 1 for a key that did not miss recently, more for one that did.
func (a *admission) request(h uint64) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.seen[h]
	if !ok {
		_, ok = a.prev[h]
	}
	if !ok {
		if len(a.seen) >= a.seenMax {
			a.prev, a.seen = a.seen, make(map[uint64]struct{}, a.seenMax)
		}
		a.seen[h] = struct{}{}
		return 1
	}
	a.increment(h)
	return 1 + a.estimate(h)
}

// hit records that the stored entry with hash h was hit since the clock
// hand last passed it.
func (a *admission) hit(h uint64) {
	a.mu.Lock()
	a.increment(h)
	a.mu.Unlock()
}

// frequency is the frequency of a stored entry: at least 1, as it was
// asked for at least once.
func (a *admission) frequency(h uint64) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return 1 + a.estimate(h)
}

// index is the counter of h in row i (double hashing).
func (a *admission) index(h uint64, i int) uint64 {
	return (h + uint64(i)*(h>>32|h<<32|1)) & a.mask
}

func (a *admission) estimate(h uint64) int {
	m := uint8(15)
	for i := range a.rows {
		m = min(m, a.rows[i][a.index(h, i)])
	}
	return int(m)
}

// increment adds one to the smallest of h's counters (conservative update,
// which keeps collisions from inflating the other keys), then ages the
// sketch every sample counts.
func (a *admission) increment(h uint64) {
	m := a.estimate(h)
	if m == 15 {
		return
	}
	for i := range a.rows {
		if c := &a.rows[i][a.index(h, i)]; int(*c) == m {
			*c++
		}
	}
	if a.adds++; a.adds >= a.sample {
		for i := range a.rows {
			for j := range a.rows[i] {
				a.rows[i][j] >>= 1
			}
		}
		a.adds /= 2
	}
}
