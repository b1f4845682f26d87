package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteExport: a file export appears whole with its mode, or not at
// all (no temporary file left beside it); "-" writes to stdout.
func TestWriteExport(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "comments.jsonl")
	if err := writeExport(nil, name, 0o600, func(w io.Writer) error { _, err := w.Write([]byte("{}\n")); return err }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 3 {
		t.Fatalf("export file: %v, %v", fi, err)
	}
	failed := filepath.Join(dir, "failed.jsonl")
	boom := errors.New("boom")
	if err := writeExport(nil, failed, 0o644, func(w io.Writer) error { w.Write([]byte("half")); return boom }); !errors.Is(err, boom) {
		t.Fatalf("failed export: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed export left files: %v", entries)
	}
	var out bytes.Buffer
	if err := writeExport(&out, "-", 0o644, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err != nil || out.String() != "x" {
		t.Errorf("stdout export: %q, %v", out.String(), err)
	}
}
