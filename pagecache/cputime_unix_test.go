//go:build unix

package pagecache

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) this process has used: on a
// shared machine a steadier measure of work than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
