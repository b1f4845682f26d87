package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/jsonl"
)

func init() {
	register(command{name: "import", summary: "import articles from a JSON Lines file (- for stdin)", run: runImport})
}

func runImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "import", "import [flags] FILE")
	sf := addStoreFlags(fs, e)
	if code := parse(fs, e, args, nil); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		e.errorf("import needs one FILE (- for stdin)")
		fs.Usage()
		return 2
	}
	name := fs.Arg(0)
	var in io.Reader = e.stdin
	size := int64(-1)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			e.errorf("%v", err)
			return 1
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in = f
	}
	st, blobs, err := sf.open(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()
	defer blobs.Close()

	// A batch allocates tens of megabytes (JSON, Markdown, index documents)
	// over a small live heap: collect less often, as serve does (about a
	// tenth less CPU). GOGC set by the operator wins.
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	opt := jsonl.Options{Blobs: blobs}
	if bar := newBar(e.stderr, size, "importing", true); bar != nil {
		opt.Progress = func(n int64, _ int) { _ = bar.Set64(n) }
		defer bar.Finish()
	}
	rep, err := jsonl.Import(jarchy.WithActor(ctx, jarchy.Actor{Name: "import"}), st, in, opt)
	const maxWarnings = 20
	for i, w := range rep.Warnings {
		if i == maxWarnings {
			fmt.Fprintf(e.stderr, "warning: … and %d more warnings\n", rep.Warned-maxWarnings)
			break
		}
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	for _, le := range rep.Errors {
		fmt.Fprintln(e.stderr, le.String())
	}
	if more := rep.Failed - len(rep.Errors); more > 0 {
		fmt.Fprintf(e.stderr, "… and %d more failed lines\n", more)
	}
	fmt.Fprintf(e.stdout, "%d lines: %d created, %d updated, %d unchanged, %d superseded by a later line, %d failed (%v)\n",
		rep.Lines, rep.Created, rep.Updated, rep.Unchanged, rep.Superseded, rep.Failed, rep.Duration.Round(1e6))
	if err != nil {
		e.errorf("import stopped: %v", err)
		return 1
	}
	if !rep.OK() {
		return 1
	}
	return 0
}
