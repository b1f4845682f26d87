package pagecache

import (
	"bytes"
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestBrotliPooledWriters: writers taken from the pool (after other bodies,
// sizes and qualities) give the same bytes as a new writer, and they decode.
func TestBrotliPooledWriters(t *testing.T) {
	fresh := func(b []byte, q, win int) []byte {
		var out bytes.Buffer
		w := brotli.NewWriterOptions(&out, brotli.WriterOptions{Quality: q, LGWin: win})
		w.Write(b)
		w.Close()
		return out.Bytes()
	}
	var bodies [][]byte
	for i, n := range []int{3 << 10, 16 << 10, 16 << 10, 200 << 10, 3 << 10} {
		bodies = append(bodies, []byte(strings.Repeat(fmt.Sprintf("<p>абзац %d, сап %d</p>\n", i, n), n/30)))
	}
	for round := 0; round < 3; round++ {
		for _, q := range []int{5, 9} {
			for i, b := range bodies {
				got := brotliBytes(b, q)
				if want := fresh(b, q, min(max(bits.Len(uint(len(b))), 10), 24)); !bytes.Equal(got, want) {
					t.Fatalf("round %d, quality %d, body %d: pooled writer output differs from a new writer's", round, q, i)
				}
				if !bytes.Equal(unbrotli(t, got), b) {
					t.Fatalf("round %d, quality %d, body %d: does not decode to the body", round, q, i)
				}
			}
		}
	}
}

// TestBrotliWriterReused: compressing a page does not build a new writer
// (its hash tables are most of the cost of compressing a 16 KB page).
func TestBrotliWriterReused(t *testing.T) {
	body := []byte(strings.Repeat("<p>Бишкекте жаңы мектеп ачылды.</p>\n", 400))
	brotliBytes(body, 9)
	perCall := testing.AllocsPerRun(20, func() { brotliBytes(body, 9) })
	fresh := testing.AllocsPerRun(20, func() {
		var out bytes.Buffer
		w := brotli.NewWriterOptions(&out, brotli.WriterOptions{Quality: 9, LGWin: bits.Len(uint(len(body)))})
		w.Write(body)
		w.Close()
	})
	t.Logf("allocations per page: pooled %.0f, new writer %.0f", perCall, fresh)
	if perCall >= fresh/2 {
		t.Errorf("brotliBytes makes %.0f allocations per page, a new writer %.0f: the writer is not reused", perCall, fresh)
	}
}
