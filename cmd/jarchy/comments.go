package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/jarchy/jarchy/commentio"
)

func init() {
	register(command{name: "comments", summary: "export or import reader comments: comments export|import FILE (JSON Lines; import also reads a WordPress WXR file)", run: runComments})
}

func runComments(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		e.errorf("usage: jarchy comments export|import [flags] FILE")
		return 2
	}
	sub := args[0]
	fs := newFlags(e, "comments "+sub, "comments "+sub+" [flags] FILE")
	sf := addStoreFlags(fs, e)
	if code := parse(fs, e, args[1:], nil); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		e.errorf("comments %s needs one FILE (- for stdin/stdout)", sub)
		fs.Usage()
		return 2
	}
	st, err := sf.openDB(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()
	if sub == "export" {
		return exportComments(ctx, e, st, fs.Arg(0))
	}
	return importComments(ctx, e, st, fs.Arg(0))
}

// exportComments writes every comment (every status, emails only as
// hashes) as JSON Lines; a file is written beside its name and renamed.
func exportComments(ctx context.Context, e *env, st commentio.Store, name string) int {
	var n int
	err := writeExport(e.stdout, name, 0o600, func(out io.Writer) error { // client IPs are personal data
		var err error
		n, err = commentio.Export(ctx, st, out)
		return err
	})
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	fmt.Fprintf(e.stderr, "exported %d comments\n", n)
	return 0
}

// importComments reads JSON Lines, or a WordPress export (a file whose
// first non-blank character is '<').
func importComments(ctx context.Context, e *env, st commentio.Store, name string) int {
	var in io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			e.errorf("%v", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	br := bufio.NewReaderSize(in, 64<<10)
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	var rep commentio.Report
	var err error
	if bytes.HasPrefix(head, []byte("<")) {
		rep, err = commentio.ImportWXR(ctx, st, br)
	} else {
		rep, err = commentio.Import(ctx, st, br)
	}
	for _, msg := range rep.Errors {
		fmt.Fprintln(e.stderr, msg)
	}
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "comments: %d created, %d already there or skipped, %d failed\n", rep.Created, rep.Skipped, rep.Failed)
	if rep.Failed > 0 {
		return 1
	}
	return 0
}
