package media

import (
	"bytes"
	"context"
	"image/jpeg"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"
)

// photoJPEG is a w×h JPEG photo drawn by the demo generator.
func photoJPEG(b *testing.B, w, h int) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Photo(Mountains, 7, w, h), &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkIntake12MP is the whole intake of a 12-megapixel JPEG (4000×3000,
// a phone photo): decode, the 2560-pixel stored JPEG, the four JPEG
// variants and the Open Graph crop. It reports the CPU time of one intake
// and the peak heap during one (peak-heap-MiB: the most heap in use,
// sampled all along, above the heap before it).
func BenchmarkIntake12MP(b *testing.B) { benchIntake(b, photoJPEG(b, 4000, 3000)) }

// BenchmarkIntake24MP is the same for a 6000×4000 camera JPEG.
func BenchmarkIntake24MP(b *testing.B) { benchIntake(b, photoJPEG(b, 6000, 4000)) }

func benchIntake(b *testing.B, data []byte) {
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		if _, err := Intake(context.Background(), bytes.NewReader(data), Limits{}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.StopTimer()
	// CPU seconds per intake: on a machine shared with other work, wall
	// time says little; CPU time divided by the cores used is the bound.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(n), "cpu-s/op")
	b.ReportMetric(float64(peakHeap(b, data))/(1<<20), "peak-heap-MiB")
}

// cpuTime is the user and system CPU time of this process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap measures the largest live heap during one intake, above the
// heap before it: a goroutine samples the live heap while GC runs often.
func peakHeap(b *testing.B, data []byte) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		var peak uint64
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				done <- peak
				return
			default:
				runtime.Gosched()
			}
		}
	}()
	if _, err := Intake(context.Background(), bytes.NewReader(data), Limits{}); err != nil {
		b.Fatal(err)
	}
	close(stop)
	peak := <-done
	if peak < base.HeapAlloc {
		return 0
	}
	return peak - base.HeapAlloc
}
