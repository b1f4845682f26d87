package jsonl

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

// benchStores runs f on SQLite and on PostgreSQL; open gives a fresh,
// empty store each time.
func benchStores(b *testing.B, f func(b *testing.B, open func() jarchy.Store)) {
	b.Run("sqlite", func(b *testing.B) {
		f(b, func() jarchy.Store {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "jarchy.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		})
	})
	b.Run("postgres", func(b *testing.B) {
		f(b, func() jarchy.Store {
			db, err := postgres.Open(context.Background(), pgtest.URL(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		})
	})
}

// BenchmarkImport5000 imports 5,000 generated articles into an empty store
// (first) and the same file again (again: nothing to write), on SQLite and
// PostgreSQL, and reports articles per second and the writes of the second
// import.
func BenchmarkImport5000(b *testing.B) {
	const n = 5000
	benchStores(b, func(b *testing.B, open func() jarchy.Store) {
		ctx := context.Background()
		src := open()
		blobs, err := media.OpenDir(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		defer blobs.Close()
		if err := demo.Generate(ctx, src, blobs, n, nil); err != nil {
			b.Fatal(err)
		}
		var file bytes.Buffer
		if _, err := Export(ctx, src, &file, nil); err != nil {
			b.Fatal(err)
		}
		lines := bytes.Count(file.Bytes(), []byte("\n"))
		b.ResetTimer()
		b.Logf("%d lines, %.1f MB", lines, float64(file.Len())/1e6)
		var first, again float64
		var rewrites int64
		for range b.N {
			b.StopTimer()
			st := open()
			b.StartTimer()
			rep, err := Import(ctx, st, bytes.NewReader(file.Bytes()), Options{})
			if err != nil || !rep.OK() || rep.Created != lines {
				b.Fatalf("first import: %+v %v", rep, err)
			}
			first += rep.Duration.Seconds()
			w, unsub := writes(st)
			rep, err = Import(ctx, st, bytes.NewReader(file.Bytes()), Options{})
			unsub()
			if err != nil || rep.Unchanged != lines {
				b.Fatalf("second import: %+v %v", rep, err)
			}
			again += rep.Duration.Seconds()
			rewrites += w.Load()
		}
		b.ReportMetric(float64(lines*b.N)/first, "articles/s-first")
		b.ReportMetric(float64(lines*b.N)/again, "articles/s-again")
		b.ReportMetric(float64(rewrites)/float64(b.N), "writes-again")
	})
}
