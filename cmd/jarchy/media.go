package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
)

func init() {
	register(command{name: "media", summary: "the photo library: media add FILE… [--caption --credit --alt], media sweep", run: runMedia})
}

const mediaUsage = `media add [--caption C] [--credit C] [--alt A] [flags] FILE…

  add  runs each FILE through the safe intake (JPEG, PNG, GIF, WebP; size and
       pixel limits; metadata stripped; resized copies made), stores it, and
       prints its key; a file that is refused is named on stderr with the
       reason. The exit code is 1 when any file was refused.
media sweep [--min-age D] [flags]

  sweep removes the stored files no photo of the library names (left by a
  deleted photo, or by an upload that failed before its row was saved),
  when older than --min-age (default 24h), and prints each key removed.`

func runMedia(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "usage: jarchy %s\n\nIt takes --data and --db like the other commands.\n", mediaUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "add":
		return runMediaAdd(ctx, e, args[1:])
	case "sweep":
		return runMediaSweep(ctx, e, args[1:])
	}
	e.errorf("unknown media command %q (add, sweep)", args[0])
	return 2
}

func runMediaSweep(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "media sweep", mediaUsage)
	sf := addStoreFlags(fs, e)
	minAge := fs.Duration("min-age", 24*time.Hour, "keep files younger than this: an upload in progress writes its files before its row")
	if code := parse(fs, e, args, nil); code >= 0 {
		return code
	}
	if fs.NArg() != 0 || *minAge < time.Minute {
		e.errorf("media sweep takes no arguments and a --min-age of at least 1m")
		return 2
	}
	st, blobs, err := sf.open(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()
	defer blobs.Close()
	removed, live, err := sweepMedia(ctx, st, blobs, *minAge)
	for _, k := range removed {
		fmt.Fprintln(e.stdout, k)
	}
	if err != nil {
		e.errorf("media sweep: %v", err)
		return 1
	}
	fmt.Fprintf(e.stderr, "media sweep: %d files removed, %d named by the library\n", len(removed), live)
	return 0
}

// mediaSweepAge is how old a file no photo names must be before serve's
// hourly sweep removes it: an upload writes its files before its row.
const mediaSweepAge = 24 * time.Hour

// sweepMedia removes the media files older than minAge that no photo of
// the library names; it returns them and how many files the library names.
func sweepMedia(ctx context.Context, st jarchy.MediaStore, blobs media.Store, minAge time.Duration) (removed []string, live int, err error) {
	names := map[string]bool{}
	if err := st.MediaBlobs(ctx, func(k string) error { names[k] = true; return nil }); err != nil {
		return nil, 0, fmt.Errorf("list the library's files: %w", err)
	}
	removed, err = media.Sweep(ctx, blobs, func(k string) bool { return names[k] }, minAge, time.Now())
	return removed, len(names), err
}

func runMediaAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "media add", mediaUsage)
	sf := addStoreFlags(fs, e)
	caption := fs.String("caption", "", "the caption printed under the photo")
	credit := fs.String("credit", "", "who took the photo or holds its rights, e.g. \"Сүрөт: Жарчы\"")
	alt := fs.String("alt", "", "what the photo shows, for readers who cannot see it (needed to publish it as a cover)")
	if code := parse(fs, e, args, nil); code >= 0 {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		e.errorf("media add: name at least one FILE")
		fs.Usage()
		return 2
	}
	// The texts are checked once, before any file is read.
	texts := jarchy.Media{Key: "x.jpg", Caption: *caption, Credit: *credit, Alt: *alt}
	texts.Normalize()
	if err := texts.Validate(); err != nil {
		e.errorf("media add: %s", jarchy.ErrorMessage(err))
		return 2
	}
	st, blobs, err := sf.open(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()
	defer blobs.Close()
	refused := 0
	for _, name := range files {
		key, err := addMediaFile(ctx, st, blobs, name, texts)
		if err != nil {
			refused++
			fmt.Fprintf(e.stderr, "%s: refused: %s\n", name, reason(err))
			continue
		}
		fmt.Fprintf(e.stdout, "%s\t%s\n", key, name)
	}
	if refused > 0 {
		e.errorf("media add: %d of %d files refused", refused, len(files))
		return 1
	}
	return 0
}

// addMediaFile takes one file through the intake, stores its blobs (each
// durable before the row that names it), then the row, and returns its key.
func addMediaFile(ctx context.Context, st jarchy.MediaStore, blobs media.Store, name string, texts jarchy.Media) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return "", err
	} else if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", filepath.Base(name))
	}
	p, err := media.Intake(ctx, f, media.DefaultLimits)
	if err != nil {
		return "", err
	}
	if err := media.Save(ctx, blobs, p); err != nil {
		return "", err
	}
	m := media.Row(p)
	m.Caption, m.Credit, m.Alt = texts.Caption, texts.Credit, texts.Alt
	if err := st.SaveMedia(ctx, m); err != nil {
		return "", err
	}
	return m.Key, nil
}

// reason is an error as the person at the terminal reads it: a domain
// error's message, else the error.
func reason(err error) string {
	if jarchy.ErrorCode(err) != jarchy.EINTERNAL {
		return jarchy.ErrorMessage(err)
	}
	return err.Error()
}
