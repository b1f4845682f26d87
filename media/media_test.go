package media

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

func openDir(t *testing.T) (*Dir, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "media")
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, dir
}

func read(t *testing.T, d *Dir, key string) string {
	t.Helper()
	f, err := d.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %q: %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	d, dir := openDir(t)
	if err := d.Put(ctx, "2026/11/photo.jpg", strings.NewReader("one")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, d, "2026/11/photo.jpg"); got != "one" {
		t.Errorf("got %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "2026", "11", "photo.jpg")); err != nil || string(b) != "one" {
		t.Errorf("file on disk: %q %v", b, err)
	}
	if ok, err := d.Exists(ctx, "2026/11/photo.jpg"); !ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
	if err := d.Put(ctx, "2026/11/photo.jpg", strings.NewReader("two")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, d, "2026/11/photo.jpg"); got != "two" {
		t.Errorf("after overwrite got %q", got)
	}
	if err := d.Delete(ctx, "2026/11/photo.jpg"); err != nil {
		t.Fatal(err)
	}
	_, err := d.Open(ctx, "2026/11/photo.jpg")
	if !errors.Is(err, fs.ErrNotExist) || !jarchy.IsNotFound(err) {
		t.Errorf("open deleted: %v, want not found", err)
	}
	if ok, err := d.Exists(ctx, "2026/11/photo.jpg"); ok || err != nil {
		t.Errorf("Exists after delete = %v, %v", ok, err)
	}
	if err := d.Delete(ctx, "2026/11/photo.jpg"); err != nil {
		t.Errorf("deleting a missing key: %v", err)
	}
	if _, err := d.Open(ctx, "2026/11"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("opening a directory: %v, want not found", err)
	}
}

func TestTraversalRejected(t *testing.T) {
	ctx := context.Background()
	d, dir := openDir(t)
	secret := filepath.Join(filepath.Dir(dir), "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A symlink inside the folder that points outside must not be followed.
	if err := os.Symlink(secret, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	bad := []string{"../secret.txt", "a/../../secret.txt", "/etc/passwd", "", ".", "a//b", "a/./b",
		`..\secret.txt`, "a\x00b", ".tmp-123", "x/.hidden", strings.Repeat("a", 3000)}
	for _, key := range bad {
		if _, err := d.Open(ctx, key); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("Open(%q) = %v, want invalid", key, err)
		}
		if err := d.Put(ctx, key, strings.NewReader("x")); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("Put(%q) = %v, want invalid", key, err)
		}
		if err := d.Delete(ctx, key); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("Delete(%q) = %v, want invalid", key, err)
		}
	}
	if _, err := d.Open(ctx, "link.txt"); err == nil {
		t.Error("a symlink out of the folder was followed")
	}
	if b, _ := os.ReadFile(secret); string(b) != "secret" {
		t.Error("file outside the folder changed")
	}
	for _, name := range []string{"../secret.txt", "link.txt", "."} {
		if f, err := d.FS().Open(name); err == nil {
			f.Close()
			t.Errorf("FS().Open(%q) succeeded", name)
		}
	}
}

func TestPutIsAtomic(t *testing.T) {
	ctx := context.Background()
	d, dir := openDir(t)
	old := strings.Repeat("o", 1<<20)
	if err := d.Put(ctx, "a/b.jpg", strings.NewReader(old)); err != nil {
		t.Fatal(err)
	}
	// A writer that fails half-way leaves the old blob and no temp file.
	failing := io.MultiReader(strings.NewReader(strings.Repeat("n", 1<<19)), iotest.ErrReader(errors.New("disk on fire")))
	if err := d.Put(ctx, "a/b.jpg", failing); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	if got := read(t, d, "a/b.jpg"); got != old {
		t.Fatal("a failed Put changed the blob")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "a"))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries after a failed put, want 1 (no temp files)", len(entries))
	}
	// A cancelled context stops the write the same way.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := d.Put(cctx, "a/b.jpg", strings.NewReader("new")); err == nil {
		t.Error("Put with a cancelled context succeeded")
	}
	// Readers racing with writers see a whole old or whole new blob.
	newer := strings.Repeat("n", 1<<20)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				f, err := d.Open(ctx, "a/b.jpg")
				if err != nil {
					t.Errorf("open during put: %v", err)
					return
				}
				b, _ := io.ReadAll(f)
				f.Close()
				if s := string(b); s != old && s != newer {
					t.Errorf("reader saw a partial blob of %d bytes", len(s))
					return
				}
			}
		})
	}
	for i := range 20 {
		content := old
		if i%2 == 0 {
			content = newer
		}
		if err := d.Put(ctx, "a/b.jpg", strings.NewReader(content)); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	testwait.Group(t, &wg, testwait.Timeout, "the readers")
}

func TestFSServesFiles(t *testing.T) {
	ctx := context.Background()
	d, _ := openDir(t)
	img, err := PhotoJPEG(Mountains, 1, 120, 68)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "demo/m.jpg", bytes.NewReader(img)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/media/", http.FileServerFS(d.FS())))
	defer srv.Close()
	for path, want := range map[string]int{"/media/demo/m.jpg": 200, "/media/demo/": 404, "/media/": 404,
		"/media/demo/missing.jpg": 404, "/media/../go.mod": 404} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
		if want == 200 && (!bytes.Equal(body, img) || resp.Header.Get("Content-Type") != "image/jpeg") {
			t.Errorf("GET %s served %d bytes of %s", path, len(body), resp.Header.Get("Content-Type"))
		}
	}
}

func TestPhotosDeterministic(t *testing.T) {
	for s := Scene(0); s < numScenes; s++ {
		a, err := PhotoJPEG(s, 42, 240, 135)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := PhotoJPEG(s, 42, 240, 135)
		c, _ := PhotoJPEG(s, 43, 240, 135)
		if !bytes.Equal(a, b) {
			t.Errorf("scene %d: same seed gave different bytes", s)
		}
		if s != Stadium && s != Chart && s != Ornament && bytes.Equal(a, c) {
			t.Errorf("scene %d: different seeds gave the same picture", s)
		}
		im, err := jpeg.Decode(bytes.NewReader(a))
		if err != nil || im.Bounds().Dx() != 240 || im.Bounds().Dy() != 135 {
			t.Errorf("scene %d: decode %v, bounds %v", s, err, im.Bounds())
		}
	}
}
