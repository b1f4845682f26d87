package pagecache

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

const numShards = 32

// hdr is one precomputed response header. Values are shared by every hit,
// with cap == len so that an append by outer middleware copies.
type hdr struct {
	k string
	v []string
}

// variant is one stored representation (identity, gzip or brotli).
type variant struct {
	body   []byte
	etag   string // quoted strong ETag; "" when conditionals are off
	header []hdr  // full response
	nm     []hdr  // 304 response
	head   []byte // HTTP/1.1 status line and header lines for the fast server
	nmHead []byte // the same for 304
}

// entry is an immutable stored response; only ref, dead and idx change.
type entry struct {
	key      string
	hash     uint64 // maphash of key, for admission
	gen      uint64
	seq      uint64   // topic changes applied before its render began
	topics   []string // its Surrogate-Key, sorted, without duplicates
	tagged   bool     // it had a Surrogate-Key (else every change drops it)
	status   int
	expires  int64 // unix nanos; 0 = only the generation ends it
	modified int64 // Last-Modified in unix seconds; 0 = none
	cond     bool  // answer conditional requests
	store    bool  // kept in the cache (else only handed to waiters)
	reserved bool  // size is already counted in Cache.bytes (makeRoom)
	sum      [32]byte
	id       *variant
	gz, br   *variant
	size     int64

	ref  atomic.Bool // CLOCK reference bit
	dead atomic.Bool // dropped by a topic change; set under shard.mu
	idx  int         // position in shard ring; guarded by shard.mu
}

type shard struct {
	mu   sync.RWMutex
	m    map[string]*entry
	ring []*entry
	hand int
	// byTopic indexes the entries of m that are not dead by topic; the
	// entries without a Surrogate-Key are under untagged.
	byTopic map[string]entrySet
	hits    atomic.Int64
	_       [64]byte // keep shards on separate cache lines
}

// untagged is the byTopic key of entries without a Surrogate-Key: no
// topic is empty, and every change drops them.
const untagged = ""

// entrySet is the entries under one topic. Most topics (an article) name
// one entry or a few, so one is kept without a map: a map per topic would
// cost five times the memory.
type entrySet struct {
	one  *entry
	many map[*entry]struct{}
}

func (s entrySet) len() int {
	if s.one != nil {
		return 1
	}
	return len(s.many)
}

func (s entrySet) has(e *entry) bool {
	if s.one != nil {
		return s.one == e
	}
	_, ok := s.many[e]
	return ok
}

// all returns the entries, for a caller that changes the set meanwhile.
func (s entrySet) all() []*entry {
	if s.one != nil {
		return []*entry{s.one}
	}
	out := make([]*entry, 0, len(s.many))
	for e := range s.many {
		out = append(out, e)
	}
	return out
}

var seed = maphash.MakeSeed()

func (c *Cache) shardFor(key string) *shard {
	return &c.shards[keyHash(key)%numShards]
}

func keyHash(key string) uint64 { return maphash.String(seed, key) }

// lookup returns the fresh entry for key in generation g, or nil.
func (c *Cache) lookup(sh *shard, key string, g uint64) *entry {
	sh.mu.RLock()
	e := sh.m[key]
	sh.mu.RUnlock()
	if e == nil || e.gen != g || e.dead.Load() {
		return nil
	}
	if e.expires != 0 && time.Now().UnixNano() > e.expires {
		return nil
	}
	if !e.ref.Load() {
		e.ref.Store(true)
	}
	return e
}

// previous returns the entry stored for key in any generation, dropped or
// not, for reuse of its compressed variants when the body did not change.
func (c *Cache) previous(sh *shard, key string) *entry {
	sh.mu.RLock()
	e := sh.m[key]
	sh.mu.RUnlock()
	return e
}

// insert stores e unless a newer generation is already stored or a topic
// change that touches e came while it rendered, then evicts until the
// byte bound holds. A new key must have been admitted: its bytes are
// already counted (makeRoom reserved them, e.reserved). It reports
// whether e was stored.
func (c *Cache) insert(sh *shard, e *entry) bool {
	sh.mu.Lock()
	// Checked under the shard lock, which InvalidateTopics takes after it
	// logs a change: a change is either seen here or drops e after.
	if c.changedSince(e) {
		sh.mu.Unlock()
		if e.reserved {
			c.bytes.Add(-e.size)
		}
		c.raced.Add(1)
		return false
	}
	if old := sh.m[e.key]; old != nil {
		if old.gen > e.gen {
			sh.mu.Unlock()
			if e.reserved {
				c.bytes.Add(-e.size)
			}
			return false
		}
		sh.unindex(old)
		e.idx = old.idx
		sh.ring[e.idx] = e
		sh.m[e.key] = e
		if e.reserved {
			c.bytes.Add(-old.size)
		} else {
			c.bytes.Add(e.size - old.size)
		}
	} else {
		e.idx = len(sh.ring)
		sh.ring = append(sh.ring, e)
		sh.m[e.key] = e
		if !e.reserved {
			c.bytes.Add(e.size)
		}
	}
	sh.index(e)
	sh.mu.Unlock()
	c.evict()
	return true
}

// index adds e to the topic index. Caller holds mu.
func (sh *shard) index(e *entry) {
	if !e.tagged {
		sh.indexUnder(untagged, e)
		return
	}
	for _, t := range e.topics {
		sh.indexUnder(t, e)
	}
}

func (sh *shard) indexUnder(t string, e *entry) {
	set, ok := sh.byTopic[t]
	switch {
	case !ok:
		sh.byTopic[t] = entrySet{one: e}
	case set.one != nil:
		sh.byTopic[t] = entrySet{many: map[*entry]struct{}{set.one: {}, e: {}}}
	default:
		set.many[e] = struct{}{}
	}
}

// unindex removes e from the topic index, unless it is dead (then it is
// out already). Caller holds mu.
func (sh *shard) unindex(e *entry) {
	if e.dead.Load() {
		return
	}
	if !e.tagged {
		sh.unindexUnder(untagged, e)
		return
	}
	for _, t := range e.topics {
		sh.unindexUnder(t, e)
	}
}

func (sh *shard) unindexUnder(t string, e *entry) {
	set := sh.byTopic[t]
	switch {
	case set.one == e:
		delete(sh.byTopic, t)
	case set.many != nil:
		delete(set.many, e)
		if len(set.many) == 0 {
			delete(sh.byTopic, t)
		}
	}
}

// drop marks the entries under topic t dead and takes them out of the
// index; they stay in m, stale, for previous until evicted or replaced.
// Caller holds mu.
func (sh *shard) drop(t string) int {
	n := 0
	for _, e := range sh.byTopic[t].all() {
		sh.unindex(e)
		e.dead.Store(true)
		n++
	}
	return n
}

// makeRoom is admission for a new key of about n bytes whose requests
// have frequency freq: it evicts until n more bytes fit, stale and expired
// entries freely, a live entry only when the new key is more frequent. On
// success the n bytes are reserved (counted in c.bytes), so that
// concurrent fills cannot both take the same room; the caller hands them
// to insert or gives them back.
func (c *Cache) makeRoom(n int64, freq int) bool {
	for tries := 0; ; {
		b := c.bytes.Load()
		if b+n <= c.opt.MaxBytes {
			if c.bytes.CompareAndSwap(b, b+n) {
				return true
			}
			continue
		}
		if tries++; tries > 8*numShards {
			return false
		}
		sh := &c.shards[c.hand.Add(1)%numShards]
		sh.mu.Lock()
		v, stale := sh.victim(c)
		if v != nil && !stale && freq <= c.adm.frequency(v.hash) {
			sh.mu.Unlock()
			return false
		}
		if v != nil {
			sh.remove(v)
			c.bytes.Add(-v.size)
			c.evictions.Add(1)
		}
		sh.mu.Unlock()
	}
}

// evict removes entries until the byte bound holds (after a replacement
// grew an entry, or concurrent fills overshot): round-robin over the
// shards, CLOCK (second chance) inside each.
func (c *Cache) evict() {
	for tries := 0; c.bytes.Load() > c.opt.MaxBytes && tries < 8*numShards; tries++ {
		sh := &c.shards[c.hand.Add(1)%numShards]
		sh.mu.Lock()
		if v, _ := sh.victim(c); v != nil {
			sh.remove(v)
			c.bytes.Add(-v.size)
			c.evictions.Add(1)
		}
		sh.mu.Unlock()
	}
}

// victim moves the clock hand to the entry to evict next and returns it:
// the first stale or expired entry (stale set), else the first entry not
// referenced since the hand last passed. Reference bits are cleared on the
// way, and each counts as a hit for admission. At most one turn of the
// ring; nil when every entry was referenced. Caller holds mu.
func (sh *shard) victim(c *Cache) (e *entry, stale bool) {
	gen := c.gen.Load()
	now := time.Now().UnixNano()
	for n := len(sh.ring); n > 0; n-- {
		if sh.hand >= len(sh.ring) {
			sh.hand = 0
		}
		e := sh.ring[sh.hand]
		stale := e.gen != gen || e.dead.Load() || (e.expires != 0 && now > e.expires)
		if !stale && e.ref.Load() {
			e.ref.Store(false)
			c.adm.hit(e.hash)
			sh.hand++
			continue
		}
		return e, stale
	}
	return nil, false
}

func (sh *shard) remove(e *entry) {
	sh.unindex(e)
	last := len(sh.ring) - 1
	moved := sh.ring[last]
	sh.ring[e.idx] = moved
	moved.idx = e.idx
	sh.ring[last] = nil
	sh.ring = sh.ring[:last]
	delete(sh.m, e.key)
}
