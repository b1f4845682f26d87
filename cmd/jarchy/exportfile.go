package main

import (
	"io"
	"os"
	"path/filepath"
)

// writeExport runs write into name ("-": stdout) and returns its error.
// A file is written beside its name, synced and renamed over it with
// mode perm, so a failed export never leaves a half-written file there.
func writeExport(stdout io.Writer, name string, perm os.FileMode, write func(io.Writer) error) error {
	if name == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
