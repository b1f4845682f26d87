package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

// storeFlags are the flags every command that opens the store takes: the
// database, and where media blobs live (the data folder, or an
// S3-compatible bucket) and are linked from (a media base URL).
type storeFlags struct {
	data *string
	db   *string

	s3Endpoint, s3Bucket, s3AccessKey, s3SecretKey, s3Region, s3Prefix *string
	mediaBaseURL                                                       *string
}

func addStoreFlags(fs *flag.FlagSet, e *env) storeFlags {
	return storeFlags{
		data: stringFlag(fs, e, "data", "./jarchy-data", "data folder (SQLite database, media)"),
		db:   stringFlag(fs, e, "db", "", "database: a postgres:// URL, or an SQLite file (default <data>/jarchy.db)"),

		s3Endpoint:   stringFlag(fs, e, "media-s3-endpoint", "", "keep media in S3-compatible storage at this server (https://host[:port] or http://host:port) instead of <data>/media"),
		s3Bucket:     stringFlag(fs, e, "media-s3-bucket", "", "S3 bucket for media (it must exist)"),
		s3AccessKey:  stringFlag(fs, e, "media-s3-access-key", "", "S3 access key"),
		s3SecretKey:  stringFlag(fs, e, "media-s3-secret-key", "", "S3 secret key (prefer the environment variable: a flag shows in the process list)"),
		s3Region:     stringFlag(fs, e, "media-s3-region", "", "S3 region (default: asked from the server)"),
		s3Prefix:     stringFlag(fs, e, "media-s3-prefix", "", "prefix of media keys in the bucket, e.g. media/"),
		mediaBaseURL: stringFlag(fs, e, "media-base-url", "", "public address of the media (a CDN, or the bucket's public URL): pages link photos there (/media/ still serves them)"),
	}
}

// openMedia opens the media store the flags select: an S3 bucket when an
// endpoint is given, else the folder <data>/media.
func (f storeFlags) openMedia(ctx context.Context, data string) (media.Store, error) {
	base := *f.mediaBaseURL
	if base != "" && !jarchy.ValidWebURL(base) {
		return nil, fmt.Errorf("--media-base-url %q is not an http(s) URL", base)
	}
	if *f.s3Endpoint == "" {
		if *f.s3Bucket != "" {
			return nil, errors.New("--media-s3-bucket needs --media-s3-endpoint")
		}
		d, err := media.OpenDir(filepath.Join(data, "media"))
		if err != nil {
			return nil, fmt.Errorf("cannot open media folder: %w", err)
		}
		return d.WithBaseURL(base), nil
	}
	s3, err := media.OpenS3(ctx, media.S3Config{
		Endpoint: *f.s3Endpoint, Bucket: *f.s3Bucket, AccessKey: *f.s3AccessKey, SecretKey: *f.s3SecretKey,
		Region: *f.s3Region, Prefix: *f.s3Prefix, BaseURL: base,
	})
	if err != nil {
		return nil, fmt.Errorf("cannot open media storage: %w", err)
	}
	return s3, nil
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// redact hides the password of a database URL for messages.
func redact(db string) string {
	if !isPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// openDB opens the database only, for the commands that never touch media
// bytes (user, comments, export, reindex): they must work while the media
// storage is down. Errors are messages for a human.
func (f storeFlags) openDB(ctx context.Context) (jarchy.Store, error) {
	data := *f.data
	if data == "" {
		return nil, errors.New("--data must not be empty")
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create data folder: %w", err)
	}
	db := *f.db
	var st jarchy.Store
	var err error
	switch {
	case isPostgres(db):
		st, err = postgres.Open(ctx, db)
	default:
		if db == "" {
			db = filepath.Join(data, "jarchy.db")
		}
		st, err = sqlite.Open(ctx, db)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", redact(db), err)
	}
	return st, nil
}

// open opens the store and the media store. Errors are messages for a
// human: what could not be opened and why.
func (f storeFlags) open(ctx context.Context) (jarchy.Store, media.Store, error) {
	st, err := f.openDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	blobs, err := f.openMedia(ctx, *f.data)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, blobs, nil
}
