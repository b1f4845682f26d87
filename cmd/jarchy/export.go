package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jarchy/jarchy/jsonl"
	"github.com/schollz/progressbar/v3"
)

func init() {
	register(command{name: "export", summary: "export every article to a JSON Lines file (- for stdout)", run: runExport})
}

func runExport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "export", "export [flags] FILE")
	sf := addStoreFlags(fs, e)
	if code := parse(fs, e, args, nil); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		e.errorf("export needs one FILE (- for stdout)")
		fs.Usage()
		return 2
	}
	st, err := sf.openDB(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()

	name := fs.Arg(0)
	out := e.stdout
	var tmp *os.File
	if name != "-" {
		// Write next to the target and rename, so a failed export never
		// leaves a half-written file under the name.
		tmp, err = os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
		if err != nil {
			e.errorf("%v", err)
			return 1
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		out = tmp
	}
	var bar *progressbar.ProgressBar
	tried := false
	n, err := jsonl.Export(ctx, st, out, func(done, total int) {
		if !tried {
			tried = true
			bar = newBar(e.stderr, int64(total), "exporting", false)
		}
		if bar != nil {
			_ = bar.Set(done)
		}
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	if tmp != nil {
		if err := tmp.Chmod(0o644); err != nil {
			e.errorf("%v", err)
			return 1
		}
		if err := tmp.Sync(); err != nil {
			e.errorf("%v", err)
			return 1
		}
		if err := tmp.Close(); err != nil {
			e.errorf("%v", err)
			return 1
		}
		if err := os.Rename(tmp.Name(), name); err != nil {
			e.errorf("%v", err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "exported %d articles\n", n)
	return 0
}
