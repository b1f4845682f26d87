package main

import (
	"context"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/search"
)

func init() {
	register(command{name: "analyze", summary: "print each word of stdin with the search term it becomes", run: runAnalyze})
}

// runAnalyze reads text on stdin and prints one line per token: the
// original form, a TAB, and its index term (empty for a stop word).
func runAnalyze(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "analyze", "analyze --lang ky|ru|en < text")
	lang := fs.String("lang", string(jarchy.DefaultLang), "language of the text: ky, ru or en")
	if code := parse(fs, e, args, nil); code >= 0 {
		return code
	}
	if fs.NArg() != 0 {
		e.errorf("analyze reads stdin and takes no arguments")
		fs.Usage()
		return 2
	}
	l, ok := jarchy.ParseLang(*lang)
	if !ok {
		e.errorf("--lang: unknown language %q (want ky, ru or en)", *lang)
		return 2
	}
	if err := search.WriteAnalysis(e.stdout, e.stdin, l); err != nil {
		e.errorf("analyze: %v", err)
		return 1
	}
	return 0
}
