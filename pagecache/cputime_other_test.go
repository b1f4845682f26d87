//go:build !unix

package pagecache

import "time"

func processCPU() time.Duration { return 0 }
