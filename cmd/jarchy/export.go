package main

import (
	"context"
	"fmt"
	"io"

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
	var bar *progressbar.ProgressBar
	var n int
	err = writeExport(e.stdout, name, 0o644, func(out io.Writer) error {
		tried := false
		var err error
		n, err = jsonl.Export(ctx, st, out, func(done, total int) {
			if !tried {
				tried = true
				bar = newBar(e.stderr, int64(total), "exporting", false)
			}
			if bar != nil {
				_ = bar.Set(done)
			}
		})
		return err
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	fmt.Fprintf(e.stderr, "exported %d articles\n", n)
	return 0
}
