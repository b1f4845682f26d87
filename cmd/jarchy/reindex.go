package main

import (
	"context"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
)

func init() {
	register(command{name: "reindex", summary: "rebuild the search index from the stored articles", run: runReindex})
}

func runReindex(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "reindex", "reindex [flags]")
	sf := addStoreFlags(fs, e)
	if code := parse(fs, e, args, nil); code >= 0 {
		return code
	}
	if fs.NArg() != 0 {
		e.errorf("reindex takes no arguments")
		fs.Usage()
		return 2
	}
	st, err := sf.openDB(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()

	start := time.Now()
	var bar *progressbar.ProgressBar
	tried, total := false, 0
	err = st.Reindex(ctx, func(done, n int) {
		if !tried {
			tried = true
			bar = newBar(e.stderr, int64(n), "indexing", false)
		}
		total = n
		if bar != nil {
			_ = bar.Set(done)
		}
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		e.errorf("reindex: %v", err)
		return 1
	}
	took := time.Since(start)
	rate := float64(total) / max(took.Seconds(), 1e-9)
	fmt.Fprintf(e.stderr, "reindexed %d articles in %v (%.0f articles/s)\n", total, took.Round(time.Millisecond), rate)
	return 0
}
