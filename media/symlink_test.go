package media

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// TestSymlinksAndSpecialFiles: a symlink inside the folder to a file
// inside works; one that leaves the folder (relative, absolute, through a
// linked directory), dangles or loops, a FIFO and a directory are simply
// not there (fs.ErrNotExist, ENOTFOUND), never an error of another kind.
func TestSymlinksAndSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and FIFOs need a Unix file system")
	}
	ctx := context.Background()
	d, dir := openDir(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.jpg"), []byte("\xFF\xD8\xFF secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "covers/a.jpg", strings.NewReader("\xFF\xD8\xFF inside")); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"inside.jpg":       "covers/a.jpg",
		"covers/up.jpg":    "../covers/a.jpg",
		"escape.jpg":       rel(t, dir, filepath.Join(outside, "secret.jpg")),
		"absolute.jpg":     filepath.Join(outside, "secret.jpg"),
		"escdir":           outside,
		"dangling.jpg":     "nowhere.jpg",
		"loop1.jpg":        "loop2.jpg",
		"loop2.jpg":        "loop1.jpg",
		"covers/dir.jpg":   ".",
		"passwd.jpg":       "/etc/passwd",
		"covers/a.jpg.lnk": "a.jpg",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"inside.jpg", "covers/up.jpg", "covers/a.jpg.lnk"} {
		if got := read(t, d, key); got != "\xFF\xD8\xFF inside" {
			t.Errorf("%s: %q", key, got)
		}
	}
	missingKeys := []string{"escape.jpg", "absolute.jpg", "escdir/secret.jpg", "dangling.jpg", "loop1.jpg",
		"covers/dir.jpg", "passwd.jpg", "fifo.jpg", "covers", "covers/a.jpg/x", "nothing.jpg"}
	for _, key := range missingKeys {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, err := d.Open(ctx, key)
			if !errors.Is(err, fs.ErrNotExist) || !jarchy.IsNotFound(err) {
				t.Errorf("Open(%q) = %v, want not found", key, err)
			}
			if ok, err := d.Exists(ctx, key); ok || err != nil {
				t.Errorf("Exists(%q) = %v, %v", key, ok, err)
			}
			f, err := d.FS().Open(key)
			if err == nil {
				b, _ := io.ReadAll(f)
				f.Close()
				t.Errorf("FS().Open(%q) opened %q", key, b)
			} else if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("FS().Open(%q) = %v, want fs.ErrNotExist", key, err)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("opening %q hangs", key)
		}
	}
}

// rel is the relative path from dir to target, which must exist.
func rel(t *testing.T, dir, target string) string {
	t.Helper()
	r, err := filepath.Rel(dir, target)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, r)); err != nil {
		t.Fatal(err)
	}
	return r
}
