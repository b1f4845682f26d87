// Package media takes in uploaded images (Intake: the one safe path) and
// stores blobs (cover photos, their variants) by key. A key is a clean
// relative slash path (jarchy.ValidMediaPath), the same string kept in
// jarchy.Media.Path and served by the web server at /media/<key>, or at
// the configured media base URL (Store.URL). Stores: a local folder (Dir,
// the default, in the data folder) and S3-compatible storage (S3).
package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
	"syscall"
	"time"

	"github.com/jarchy/jarchy"
)

// MaxBlobBytes bounds one blob.
const MaxBlobBytes = 64 << 20

// ImmutableCacheControl is how long a blob under a content key (its bytes
// never change) may be cached: a year, never revalidated.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

func tooLarge(key string) error {
	return jarchy.Invalid("path", "err.too_long", "media %q is larger than %d bytes", key, MaxBlobBytes)
}

// Store keeps blobs by key. Every method is safe for concurrent use, also
// by several processes on one folder or bucket.
type Store interface {
	// Open returns the blob for reading (the file is also an io.Seeker). A
	// missing key gives an error that matches fs.ErrNotExist and has code
	// jarchy.ENOTFOUND.
	Open(ctx context.Context, key string) (fs.File, error)
	// Put writes the blob atomically and durably: readers see the old
	// blob or the whole new one, never a part, and once Put returns the
	// blob survives a crash, so a row pointing at it may commit after.
	// A blob over MaxBlobBytes is refused.
	Put(ctx context.Context, key string, r io.Reader) error
	// Stat describes a blob; a missing key is an error as Open's.
	Stat(ctx context.Context, key string) (Info, error)
	// Exists reports whether a blob is stored under key.
	Exists(ctx context.Context, key string) (bool, error)
	// Delete removes a blob; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every blob, in no particular order, until fn
	// returns an error (which List returns).
	List(ctx context.Context, fn func(Info) error) error
	// URL is the address pages link a blob at when a media base URL is
	// configured (a CDN, or the bucket's public address): base + "/" +
	// key. It is "" when jarchy serves the blob itself at /media/<key>.
	URL(key string) string
	// FS exposes the blobs read-only, e.g. for http.ServeContent.
	FS() fs.FS
	// Close releases the store.
	Close() error
}

// Info describes a stored blob.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// baseURL is the media base URL of a store ("" when jarchy serves media).
type baseURL string

// URL implements Store.URL: each path segment of the key escaped.
func (b baseURL) URL(key string) string {
	if b == "" {
		return ""
	}
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimRight(string(b), "/") + "/" + strings.Join(parts, "/")
}

// Dir is a Store in a local folder (by default <data>/media). It cannot
// reach outside its folder: keys are validated and every access goes
// through an os.Root.
type Dir struct {
	root *os.Root
	baseURL
}

var _ Store = (*Dir)(nil)

// WithBaseURL makes d link blobs at base (a CDN in front of jarchy's
// /media/, say) instead of /media/; "" serves them at /media/.
func (d *Dir) WithBaseURL(base string) *Dir {
	d.baseURL = baseURL(base)
	return d
}

// OpenDir opens (creating when needed) the folder dir as a Store.
func OpenDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media folder %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media folder %s: %w", dir, err)
	}
	return &Dir{root: root}, nil
}

// Path returns the folder the store lives in.
func (d *Dir) Path() string { return d.root.Name() }

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// ValidKey reports whether key may name a blob: a clean relative path
// (jarchy.ValidMediaPath: no hidden parts, which Put uses for temporary
// files) of at most jarchy.MaxURLLen bytes.
func ValidKey(key string) bool {
	return jarchy.ValidMediaPath(key) && len(key) <= jarchy.MaxURLLen && fs.ValidPath(key)
}

func checkKey(key string) error {
	if !ValidKey(key) {
		return jarchy.Invalid("path", "err.media_path", "media key %q is not a clean relative path", key)
	}
	return nil
}

// Open implements Store. Only regular files are blobs: a directory, a
// FIFO or a device, and a symlink that leaves the folder, loops or
// dangles, are not found.
func (d *Dir) Open(ctx context.Context, key string) (fs.File, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := openRegular(d.root.FS(), key)
	if err != nil {
		return nil, notFound(key, err)
	}
	return f, nil
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media %q: %w: %w", key, jarchy.Errorf(jarchy.ENOTFOUND, "no media %q", key), fs.ErrNotExist)
	}
	return fmt.Errorf("media %q: %w", key, err)
}

// openRegular opens name in fsys (an os.Root's FS) if it is a regular
// file. It stats before it opens, because opening a FIFO would block. An
// error that means the file is not there for a reader is returned as
// fs.ErrNotExist (see missing); any other is a fault and kept.
func openRegular(fsys fs.FS, name string) (fs.File, error) {
	notExist := &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	st, err := fs.Stat(fsys, name)
	if err != nil {
		if missing(err) {
			return nil, notExist
		}
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notExist
	}
	f, err := fsys.Open(name)
	if err != nil {
		if missing(err) {
			return nil, notExist
		}
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, notExist
	}
	return f, nil
}

// missing reports whether an error from opening a blob means that it is
// not there for a reader: absent, unreadable, a path through a file, a
// symlink loop, or a symlink out of the folder (os.Root refuses it with an
// error of its own, which carries no errno). Errors with any other errno
// (EIO, EMFILE…) are faults of the server.
func missing(err error) bool {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrInvalid) {
		return true
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return true
	}
	return errno == syscall.ENOTDIR || errno == syscall.ELOOP || errno == syscall.ENAMETOOLONG
}

// Exists implements Store.
func (d *Dir) Exists(ctx context.Context, key string) (bool, error) {
	f, err := d.Open(ctx, key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	f.Close()
	return true, nil
}

// Put implements Store: it writes to a hidden temporary file next to the
// target, syncs it, and renames it into place.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) (err error) {
	if err := checkKey(key); err != nil {
		return err
	}
	dir := path.Dir(key)
	if dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("media %q: %w", key, err)
		}
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, ".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("media %q: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			_ = d.root.Remove(tmp)
		}
	}()
	n, err := io.Copy(f, io.LimitReader(ctxReader{ctx, r}, MaxBlobBytes+1))
	if err != nil {
		return fmt.Errorf("media %q: write: %w", key, err)
	}
	if n > MaxBlobBytes {
		return tooLarge(key)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("media %q: sync: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("media %q: close: %w", key, err)
	}
	if err = d.root.Rename(tmp, key); err != nil {
		return fmt.Errorf("media %q: rename: %w", key, err)
	}
	// Make the rename durable too, and the folders MkdirAll may have
	// made on the way (up to the store's own).
	for p := dir; ; p = path.Dir(p) {
		if err := d.syncDir(p); err != nil {
			return fmt.Errorf("media %q: %w", key, err)
		}
		if p == "." {
			return nil
		}
	}
}

func (d *Dir) syncDir(p string) error {
	df, err := d.root.Open(p)
	if err != nil {
		return fmt.Errorf("open folder: %w", err)
	}
	defer df.Close()
	if err := df.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", p, err)
	}
	return nil
}

// Stat implements Store.
func (d *Dir) Stat(ctx context.Context, key string) (Info, error) {
	f, err := d.Open(ctx, key)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("media %q: %w", key, err)
	}
	return Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// List implements Store: every regular file under a valid key (hidden
// temporary files and anything else are not blobs).
func (d *Dir) List(ctx context.Context, fn func(Info) error) error {
	return fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("media: list: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() {
			if p != "." && strings.HasPrefix(e.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || !ValidKey(p) {
			return nil
		}
		st, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) { // deleted meanwhile
			return nil
		}
		if err != nil {
			return fmt.Errorf("media: list: %w", err)
		}
		return fn(Info{Key: p, Size: st.Size(), ModTime: st.ModTime()})
	})
}

// removeStaleTemp removes the temporary files of Puts that never finished
// (the process died) and are older than before.
func (d *Dir) removeStaleTemp(ctx context.Context, before time.Time) error {
	return fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), ".tmp-") {
			return nil
		}
		if st, err := e.Info(); err == nil && st.ModTime().Before(before) {
			if err := d.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("media: remove %s: %w", p, err)
			}
		}
		return nil
	})
}

// Delete implements Store.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := d.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media %q: delete: %w", key, err)
	}
	return nil
}

// FS implements Store. It holds regular files only: names that are not
// valid keys (hidden temporary files among them), directories, FIFOs and
// devices, and symlinks that leave the folder, loop or dangle do not
// exist in it (fs.ErrNotExist), so a file server on it lists nothing and
// answers 404 for them.
func (d *Dir) FS() fs.FS { return keyFS{d.root.FS()} }

type keyFS struct{ fsys fs.FS }

func (k keyFS) Open(name string) (fs.File, error) {
	if !ValidKey(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return openRegular(k.fsys, name)
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
