package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config selects an S3-compatible bucket (AWS S3, MinIO, Ceph, Versity
// Gateway, R2…).
type S3Config struct {
	// Endpoint is the server: "https://host[:port]", "http://host:port",
	// or "host[:port]" (HTTPS).
	Endpoint string
	Bucket   string
	// AccessKey and SecretKey are the credentials.
	AccessKey, SecretKey string
	// Region is the bucket's region ("" lets the client find it).
	Region string
	// Prefix is put before every key in the bucket ("media/", say).
	Prefix string
	// BaseURL is where pages link blobs (the bucket's public address or
	// a CDN); "" has jarchy serve them at /media/ from the bucket.
	BaseURL string
}

// S3 is a Store in an S3-compatible bucket. A Put is one PUT request,
// which S3 makes visible whole and durable before it answers.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
	baseURL
}

var _ Store = (*S3)(nil)

// OpenS3 connects to the bucket and checks that it exists.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	host, secure := cfg.Endpoint, true
	if u, err := url.Parse(cfg.Endpoint); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if u.Path != "" && u.Path != "/" {
			return nil, fmt.Errorf("S3 endpoint %q: give the server only, without a path", cfg.Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	if host == "" || cfg.Bucket == "" {
		return nil, errors.New("S3 storage needs an endpoint and a bucket")
	}
	client, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("S3 endpoint %s: %w", cfg.Endpoint, err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("S3 bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("S3 bucket %s does not exist at %s", cfg.Bucket, cfg.Endpoint)
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &S3{client: client, bucket: cfg.Bucket, prefix: prefix, baseURL: baseURL(cfg.BaseURL)}, nil
}

// Close implements Store.
func (s *S3) Close() error { return nil }

func (s *S3) name(key string) string { return s.prefix + key }

// s3Missing reports whether an S3 error means the object is not there.
func s3Missing(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.Code == "NoSuchKey" || r.StatusCode == http.StatusNotFound
}

// Put implements Store. The blob is read whole first (at most
// MaxBlobBytes), so the upload has a known length and a failed read sends
// nothing.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if err := checkKey(key); err != nil {
		return err
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(ctxReader{ctx, r}, MaxBlobBytes+1))
	if err != nil {
		return fmt.Errorf("media %q: read: %w", key, err)
	}
	if n > MaxBlobBytes {
		return tooLarge(key)
	}
	opts := minio.PutObjectOptions{ContentType: contentType(key)}
	if IsContentKey(path.Base(key)) {
		opts.CacheControl = ImmutableCacheControl
	}
	if _, err := s.client.PutObject(ctx, s.bucket, s.name(key), &buf, n, opts); err != nil {
		return fmt.Errorf("media %q: S3 put: %w", key, err)
	}
	return nil
}

// contentType is the type a blob is stored with: its image type, else
// application/octet-stream (never sniffed by a browser as a page).
func contentType(key string) string {
	if t, ok := TypeByName(key); ok {
		return t
	}
	return "application/octet-stream"
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := checkKey(key); err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, s.name(key), minio.StatObjectOptions{})
	if err != nil {
		if s3Missing(err) {
			return Info{}, notFound(key, fs.ErrNotExist)
		}
		return Info{}, fmt.Errorf("media %q: S3 stat: %w", key, err)
	}
	return Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}, nil
}

// Exists implements Store.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.Stat(ctx, key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Open implements Store: the object is read (and seeked) with ranged GETs.
func (s *S3) Open(ctx context.Context, key string) (fs.File, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.name(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("media %q: S3 get: %w", key, err)
	}
	return &s3File{Object: obj, info: info}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.name(key), minio.RemoveObjectOptions{}); err != nil && !s3Missing(err) {
		return fmt.Errorf("media %q: S3 delete: %w", key, err)
	}
	return nil
}

// List implements Store: the objects under the prefix whose names are
// valid keys.
func (s *S3) List(ctx context.Context, fn func(Info) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when fn fails
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if oi.Err != nil {
			return fmt.Errorf("media: S3 list: %w", oi.Err)
		}
		key := strings.TrimPrefix(oi.Key, s.prefix)
		if !ValidKey(key) {
			continue
		}
		if err := fn(Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// FS implements Store: each Open is a request with no deadline of its own
// (the HTTP server's write timeout bounds a response).
func (s *S3) FS() fs.FS { return storeFS{s} }

// storeFS is a Store as an fs.FS: only valid keys exist.
type storeFS struct{ st Store }

func (f storeFS) Open(name string) (fs.File, error) {
	if !ValidKey(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.st.Open(context.Background(), name)
}

// s3File is an S3 object as an fs.File (and io.Seeker).
type s3File struct {
	*minio.Object
	info Info
}

func (f *s3File) Stat() (fs.FileInfo, error) { return s3Info{f.info}, nil }

type s3Info struct{ i Info }

func (i s3Info) Name() string       { return path.Base(i.i.Key) }
func (i s3Info) Size() int64        { return i.i.Size }
func (i s3Info) Mode() fs.FileMode  { return 0o444 }
func (i s3Info) ModTime() time.Time { return i.i.ModTime }
func (i s3Info) IsDir() bool        { return false }
func (i s3Info) Sys() any           { return nil }
