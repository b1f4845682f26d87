package main

import (
	"runtime/debug"
	"strconv"
)

// Garbage collector settings for serve. A page render allocates about
// 100 KB while the live heap of a site without a full page cache is a few
// megabytes, so with Go's default (GOGC=100) a collection runs every few
// dozen renders; profiles of cold renders showed about a fifth of the CPU in
// the collector and in preempting goroutines for it. A higher GOGC collects
// less often. The memory limit keeps the heap near the page cache's bound
// once the cache is full: a full 128 MiB cache is about 146 MiB of live heap,
// which the default GOGC lets grow to ~300 MiB before collecting (resident
// memory ~470 MiB after crawling 100k articles); with the limit the process
// stays under 300 MiB. Both yield to GOGC and GOMEMLIMIT set by the operator.
const (
	serveGCPercent = 400
	// serveHeapSlack is the Go memory allowed above the page cache's bound
	// (SQLite's page caches are outside the Go heap).
	serveHeapSlack = 64 << 20
)

// tuneGC applies the serve settings for a page cache of cacheBytes and
// reports what it set ("" when the environment decides).
func tuneGC(getenv func(string) string, cacheBytes int64) (gogc, memLimit string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
		gogc = strconv.Itoa(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		limit := max(cacheBytes, 0) + serveHeapSlack
		debug.SetMemoryLimit(limit)
		memLimit = strconv.FormatInt(limit>>20, 10) + "MiB"
	}
	return gogc, memLimit
}
