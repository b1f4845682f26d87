package media

import (
	"bytes"
	"context"
	"errors"
	"image/color"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/s3test"
)

// runBlobContract is the one contract every Store passes: the local
// folder (TestDirContract) and S3 (TestS3Contract, on a real S3 server).
func runBlobContract(t *testing.T, st Store) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	jpg := encJPEG(t, quadrants(8, 8, [4]color.RGBA{red, green, blue, white}))
	key := contentKey(jpg, JPEG)

	t.Run("PutOpenStat", func(t *testing.T) {
		if err := st.Put(ctx, key, bytes.NewReader(jpg)); err != nil {
			t.Fatal(err)
		}
		f, err := st.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(f)
		if err != nil || !bytes.Equal(got, jpg) {
			t.Errorf("read back %d bytes (%v), want the %d put", len(got), err, len(jpg))
		}
		// Seekable, for http.ServeContent's ranges.
		rs, ok := f.(io.ReadSeeker)
		if !ok {
			t.Fatal("the blob is not an io.Seeker")
		}
		if _, err := rs.Seek(2, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(rs); !bytes.Equal(b, jpg[2:]) {
			t.Error("read after a seek differs")
		}
		fi, err := f.Stat()
		if err != nil || fi.Size() != int64(len(jpg)) || fi.IsDir() {
			t.Errorf("file stat %v, %v", fi, err)
		}
		f.Close()
		info, err := st.Stat(ctx, key)
		if err != nil || info.Key != key || info.Size != int64(len(jpg)) {
			t.Errorf("Stat = %+v, %v", info, err)
		}
		if age := time.Since(info.ModTime); age < -time.Minute || age > time.Minute {
			t.Errorf("ModTime %v is not about now", info.ModTime)
		}
		if ok, err := st.Exists(ctx, key); !ok || err != nil {
			t.Errorf("Exists = %v, %v", ok, err)
		}
		if st.URL(key) != "" {
			t.Errorf("URL without a base URL = %q, want \"\" (served at /media/)", st.URL(key))
		}
		// Through FS, as the web server reads it.
		if b, err := fs.ReadFile(st.FS(), key); err != nil || !bytes.Equal(b, jpg) {
			t.Errorf("FS read %d bytes, %v", len(b), err)
		}
	})

	t.Run("Missing", func(t *testing.T) {
		const k = "no/such.jpg"
		if _, err := st.Open(ctx, k); !errors.Is(err, fs.ErrNotExist) || !jarchy.IsNotFound(err) {
			t.Errorf("Open missing: %v", err)
		}
		if _, err := st.Stat(ctx, k); !errors.Is(err, fs.ErrNotExist) || !jarchy.IsNotFound(err) {
			t.Errorf("Stat missing: %v", err)
		}
		if ok, err := st.Exists(ctx, k); ok || err != nil {
			t.Errorf("Exists missing = %v, %v", ok, err)
		}
		if err := st.Delete(ctx, k); err != nil {
			t.Errorf("Delete missing: %v", err)
		}
		if _, err := fs.Stat(st.FS(), k); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("FS stat missing: %v", err)
		}
	})

	t.Run("BadKeys", func(t *testing.T) {
		for _, k := range []string{"", "../x.jpg", "/abs.jpg", "a/../b.jpg", ".hidden.jpg", `a\b.jpg`, "a//b.jpg", "a\x00.jpg"} {
			if err := st.Put(ctx, k, strings.NewReader("x")); jarchy.ErrorCode(err) != jarchy.EINVALID {
				t.Errorf("Put(%q) = %v, want EINVALID", k, err)
			}
			if _, err := st.Open(ctx, k); err == nil {
				t.Errorf("Open(%q) succeeded", k)
			}
			if _, err := st.Stat(ctx, k); err == nil {
				t.Errorf("Stat(%q) succeeded", k)
			}
		}
	})

	t.Run("FailedPutWritesNothing", func(t *testing.T) {
		const k = "failed/put.jpg"
		r := io.MultiReader(bytes.NewReader(jpg[:10]), iotest.ErrReader(errors.New("connection reset")))
		if err := st.Put(ctx, k, r); err == nil {
			t.Fatal("a Put whose reader failed succeeded")
		}
		if ok, _ := st.Exists(ctx, k); ok {
			t.Error("a failed Put left a blob")
		}
		big := io.LimitReader(zeros{}, MaxBlobBytes+1)
		if err := st.Put(ctx, k, big); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("a Put over MaxBlobBytes = %v, want EINVALID", err)
		}
		if ok, _ := st.Exists(ctx, k); ok {
			t.Error("a refused Put left a blob")
		}
	})

	t.Run("OverwriteIsWhole", func(t *testing.T) {
		const k = "over/write.jpg"
		a, b := bytes.Repeat([]byte("a"), 300_000), bytes.Repeat([]byte("b"), 200_000)
		if err := st.Put(ctx, k, bytes.NewReader(a)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := st.Put(ctx, k, bytes.NewReader(b)); err != nil {
				t.Error(err)
			}
		})
		for range 20 {
			f, err := st.Open(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
				t.Fatalf("read %d bytes that are neither blob", len(got))
			}
		}
		wg.Wait()
		if got, _ := fs.ReadFile(st.FS(), k); !bytes.Equal(got, b) {
			t.Errorf("after the overwrite read %d bytes, want the second blob", len(got))
		}
	})

	t.Run("ListDeleteSweep", func(t *testing.T) {
		keys := []string{"sweep/live.jpg", "sweep/orphan.jpg", "sweep/deep/orphan2.png"}
		for _, k := range keys {
			if err := st.Put(ctx, k, strings.NewReader(k)); err != nil {
				t.Fatal(err)
			}
		}
		var listed []string
		if err := st.List(ctx, func(b Info) error {
			listed = append(listed, b.Key)
			if b.Key == "sweep/orphan.jpg" && b.Size != int64(len(b.Key)) {
				t.Errorf("listed size %d", b.Size)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, k := range append(keys, key) {
			if !slices.Contains(listed, k) {
				t.Errorf("List lacks %q (has %v)", k, listed)
			}
		}
		stop := errors.New("stop")
		if err := st.List(ctx, func(Info) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("List gives %v, want fn's error", err)
		}
		live := func(k string) bool { return k == "sweep/live.jpg" || !strings.HasPrefix(k, "sweep/") }
		// Nothing is old enough yet.
		removed, err := Sweep(ctx, st, live, time.Hour, time.Now())
		if err != nil || len(removed) != 0 {
			t.Fatalf("Sweep of young blobs removed %v, %v", removed, err)
		}
		removed, err = Sweep(ctx, st, live, time.Hour, time.Now().Add(2*time.Hour))
		slices.Sort(removed)
		if err != nil || !slices.Equal(removed, []string{"sweep/deep/orphan2.png", "sweep/orphan.jpg"}) {
			t.Fatalf("Sweep removed %v, %v; want the two orphans", removed, err)
		}
		for k, want := range map[string]bool{"sweep/live.jpg": true, "sweep/orphan.jpg": false, "sweep/deep/orphan2.png": false, key: true} {
			if ok, _ := st.Exists(ctx, k); ok != want {
				t.Errorf("after Sweep, %q exists: %v", k, ok)
			}
		}
		if err := st.Delete(ctx, "sweep/live.jpg"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := st.Exists(ctx, "sweep/live.jpg"); ok {
			t.Error("Delete left the blob")
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestDirContract(t *testing.T) {
	d, dir := openDir(t)
	runBlobContract(t, d)
	// A Put that died before its rename leaves a hidden temporary file,
	// which List ignores and Sweep removes once old.
	tmp := filepath.Join(dir, "x", ".tmp-0123456789abcdef")
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	_ = d.List(context.Background(), func(b Info) error {
		if strings.Contains(b.Key, ".tmp-") {
			t.Errorf("List shows the temporary file %q", b.Key)
		}
		return nil
	})
	if _, err := Sweep(context.Background(), d, func(string) bool { return true }, time.Hour, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Sweep left the stale temporary file: %v", err)
	}
	if got := d.WithBaseURL("https://cdn.example.kg/m/").URL("ab/c d.jpg"); got != "https://cdn.example.kg/m/ab/c%20d.jpg" {
		t.Errorf("URL with a base = %q", got)
	}
}

// startS3 runs a real S3 server (internal/s3test) for the test.
func startS3(t *testing.T) S3Config {
	s := s3test.Start(t)
	return S3Config{Endpoint: s.Endpoint, Bucket: s.Bucket, AccessKey: s.AccessKey, SecretKey: s.SecretKey, Region: s.Region}
}

func TestS3Contract(t *testing.T) {
	cfg := startS3(t)
	for _, prefix := range []string{"", "site/media"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			c := cfg
			c.Prefix = prefix
			st, err := OpenS3(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			runBlobContract(t, st)
			clearBucket(t, st)
		})
	}
	// A content key is stored with its type and immutable caching.
	st, err := OpenS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	jpg := encJPEG(t, quadrants(8, 8, [4]color.RGBA{red, green, blue, white}))
	key := contentKey(jpg, JPEG)
	if err := st.Put(context.Background(), key, bytes.NewReader(jpg)); err != nil {
		t.Fatal(err)
	}
	oi, err := st.client.StatObject(context.Background(), cfg.Bucket, key, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if oi.ContentType != JPEG || oi.Metadata.Get("Cache-Control") != ImmutableCacheControl {
		t.Errorf("stored with Content-Type %q, Cache-Control %q", oi.ContentType, oi.Metadata.Get("Cache-Control"))
	}
	// With a base URL, pages link the bucket or CDN.
	c := cfg
	c.BaseURL = "https://media.example.kg"
	withBase, err := OpenS3(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if got := withBase.URL(key); got != "https://media.example.kg/"+key {
		t.Errorf("URL = %q", got)
	}
	// A missing bucket and bad credentials are refused at open.
	c = cfg
	c.Bucket = "no-such-bucket"
	if _, err := OpenS3(context.Background(), c); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing bucket: %v", err)
	}
	c = cfg
	c.SecretKey = "wrong"
	if _, err := OpenS3(context.Background(), c); err == nil {
		t.Error("wrong secret accepted")
	}
}

func clearBucket(t *testing.T, st *S3) {
	var keys []string
	_ = st.List(context.Background(), func(b Info) error { keys = append(keys, b.Key); return nil })
	for _, k := range keys {
		if err := st.Delete(context.Background(), k); err != nil {
			t.Error(err)
		}
	}
}
