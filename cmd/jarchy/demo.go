package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jarchy/jarchy/demo"
)

func init() {
	register(command{name: "demo", summary: "generate a big synthetic site (demo --articles N)", run: runDemo})
}

func runDemo(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "demo", "demo --articles N [flags]")
	var bad []string
	sf := addStoreFlags(fs, e)
	n := intFlag(fs, e, "articles", 0, "number of synthetic articles to generate (ky and ru)", &bad)
	seed := boolFlag(fs, e, "seed", true, "also seed the demo edition when the store is empty", &bad)
	if code := parse(fs, e, args, bad); code >= 0 {
		return code
	}
	if *n <= 0 || fs.NArg() > 0 {
		e.errorf("demo needs --articles N with N > 0")
		fs.Usage()
		return 2
	}
	st, blobs, err := sf.open(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()
	defer blobs.Close()
	if *seed {
		if err := demo.Seed(ctx, st, blobs); err != nil {
			e.errorf("%v", err)
			return 1
		}
	}
	var progress func(int)
	if bar := newBar(e.stderr, int64(*n), "generating", false); bar != nil {
		progress = func(done int) { _ = bar.Set(done) }
		defer bar.Finish()
	}
	start := time.Now()
	if err := demo.Generate(ctx, st, blobs, *n, progress); err != nil {
		e.errorf("%v", err)
		return 1
	}
	d := time.Since(start)
	fmt.Fprintf(e.stdout, "generated %d articles in %v (%.0f articles/s)\n", *n, d.Round(time.Millisecond), float64(*n)/d.Seconds())
	return 0
}
