package search

import (
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestAnalyzeCPURate reports tokens per CPU second (not wall time, which a
// shared machine distorts). Set JARCHY_CPU_RATE=1 to run it.
func TestAnalyzeCPURate(t *testing.T) {
	if os.Getenv("JARCHY_CPU_RATE") == "" {
		t.Skip("set JARCHY_CPU_RATE=1")
	}
	for _, lang := range []jarchy.Lang{jarchy.Kyrgyz, jarchy.Russian} {
		text := benchText(t, lang)
		n := len(Analyze(lang, text))
		for _, cold := range []bool{true, false} {
			start := cpuTime()
			const rounds = 20
			for range rounds {
				if cold {
					kyCache.reset()
					ruCache.reset()
				}
				Analyze(lang, text)
			}
			d := cpuTime() - start
			t.Logf("%s cold=%v: %d tokens x %d in %v CPU = %.0f tokens/CPU-s", lang, cold, n, rounds, d, float64(n*rounds)/d.Seconds())
		}
	}
}
