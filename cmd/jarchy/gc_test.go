package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	gogc, limit := tuneGC(func(string) string { return "" }, 64<<20)
	if gogc != "400" || limit != "128MiB" {
		t.Errorf("tuneGC = %q, %q", gogc, limit)
	}
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GC percent %d, want %d", got, serveGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != 64<<20+serveHeapSlack {
		t.Errorf("memory limit %d", got)
	}

	// The operator's settings win.
	debug.SetMemoryLimit(math.MaxInt64)
	env := map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}
	gogc, limit = tuneGC(func(k string) string { return env[k] }, 64<<20)
	if gogc != "" || limit != "" {
		t.Errorf("with GOGC and GOMEMLIMIT set: tuneGC = %q, %q", gogc, limit)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent changed to %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit changed to %d", got)
	}
}
