package media

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// sharedDir finds the project's shared folder: $JARCHY_SHARED, else
// ../shared beside the repository.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("JARCHY_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SKIP: shared data not found at %s (set JARCHY_SHARED): %v", dir, err)
	}
	return dir
}

// TestHostileImages runs every file of shared/testdata-hostile/images
// through Intake, one at a time:
//   - the decompression bombs of dos/ (a 64250×64250 JPEG in 5 KB, a GIF
//     of 40,000 frames) are refused before decoding, allocating under
//     64 MiB (the time each takes is logged, not asserted);
//   - PngSuite's valid files (every name not starting with x) are all
//     accepted, and its corrupt ones (x*) refused;
//   - nothing panics, and every file accepted comes out clean: its stored
//     image and variants hold no EXIF, XMP, ICC, comment or text chunk, no
//     "<script" and no "<?php" (checkClean).
func TestHostileImages(t *testing.T) {
	root := filepath.Join(sharedDir(t), "testdata-hostile", "images")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("SKIP: hostile images not found at %s: %v", root, err)
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 100 {
		t.Fatalf("walking %s: %d files, %v", root, len(files), err)
	}
	accepted, refused := 0, 0
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		dir, name := filepath.Split(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		image := Sniff(data) != ""
		p, err, alloc, took := intakeMeasured(data)
		switch {
		case err != nil && strings.HasPrefix(err.Error(), "panic"):
			t.Errorf("%s: %v", rel, err)
			continue
		case err != nil:
			refused++
		default:
			accepted++
			for k, b := range p.Blobs() {
				checkClean(t, rel+" → "+k, b)
				if !IsContentKey(k) {
					t.Errorf("%s: key %q is not a content key", rel, k)
				}
			}
		}
		switch {
		case dir == "dos/" && image:
			t.Logf("%s: refused in %v, %.1f MiB allocated: %v", rel, took.Round(time.Microsecond), float64(alloc)/(1<<20), err)
			if err == nil {
				t.Errorf("%s: a decompression bomb was accepted (%d×%d)", rel, p.Width, p.Height)
			}
			refusal(t, err, map[bool]string{true: "err.media_frames", false: "err.media_pixels"}[strings.HasSuffix(name, ".gif")])
			if alloc >= 64<<20 {
				t.Errorf("%s: refusing it allocated %d MiB, want under 64", rel, alloc>>20)
			}
		case dir == "pngsuite/" && strings.HasSuffix(name, ".png") && strings.HasPrefix(name, "x"):
			if err == nil {
				t.Errorf("%s: PngSuite's corrupt file was accepted", rel)
			}
		case dir == "pngsuite/" && strings.HasSuffix(name, ".png"):
			if err != nil {
				t.Errorf("%s: valid PngSuite file refused: %v", rel, err)
			}
		case !image:
			if err == nil {
				t.Errorf("%s: not an image, accepted", rel)
			}
		}
	}
	t.Logf("%d files: %d accepted, %d refused", len(files), accepted, refused)
	if accepted < 150 {
		t.Errorf("only %d files accepted: PngSuite alone has 161 valid ones", accepted)
	}
}

// intakeMeasured runs Intake, turning a panic into an error, and returns
// the bytes allocated and the time taken.
func intakeMeasured(data []byte) (p *Processed, err error, alloc uint64, took time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		p, err = Intake(context.Background(), bytes.NewReader(data), Limits{})
	}()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	return p, err, after.TotalAlloc - before.TotalAlloc, took
}
