package search

import (
	"hash/maphash"
	"sync"
)

// stemCache remembers recent stems. It is sharded to keep lock contention
// low when many goroutines index at once, and bounded: a full shard is
// emptied and refilled (word frequencies are Zipfian, so the frequent
// words are back at once).
type stemCache struct {
	seed   maphash.Seed
	shards [32]struct {
		sync.Mutex
		m map[string]string
	}
}

const stemCacheShardSize = 4096 // 32 shards: at most ~131k words

var kyCache = newStemCache()

func newStemCache() *stemCache { return &stemCache{seed: maphash.MakeSeed()} }

func (c *stemCache) shard(w string) int {
	return int(maphash.String(c.seed, w) % uint64(len(c.shards)))
}

func (c *stemCache) get(w string) (string, bool) {
	s := &c.shards[c.shard(w)]
	s.Lock()
	v, ok := s.m[w]
	s.Unlock()
	return v, ok
}

func (c *stemCache) put(w, stem string) {
	if len(w) > 64 {
		return // long words are rare; do not let them fill the cache
	}
	s := &c.shards[c.shard(w)]
	s.Lock()
	if s.m == nil || len(s.m) >= stemCacheShardSize {
		s.m = make(map[string]string, 256)
	}
	s.m[w] = stem
	s.Unlock()
}

// reset empties the cache (benchmarks measure cold analysis with it).
func (c *stemCache) reset() {
	for i := range c.shards {
		s := &c.shards[i]
		s.Lock()
		s.m = nil
		s.Unlock()
	}
}
