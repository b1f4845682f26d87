package jsonl

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jarchy/jarchy"
)

// pageSize is the listing page used by Export (the stores' maximum).
const pageSize = 100

// Export writes every article in st, whatever its status, oldest first
// (by publication time, then id; articles never published first), in the
// import format. Translations name the first article of their group (the
// one whose id is the group, else the Kyrgyz one, else the oldest) in
// translation_of, so that importing the file rebuilds the same groups.
// Because an import creates articles in file order, importing the export
// into an empty store and exporting again gives the same file, articles
// that share a publication time included. progress, when set, is called
// with the number written and the total.
func Export(ctx context.Context, st jarchy.ArticleStore, w io.Writer, progress func(done, total int)) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	roots := map[string]string{} // group -> id of its root article
	first, err := st.Articles(ctx, jarchy.ArticleFilter{Limit: 1, Summary: true})
	if err != nil {
		return 0, fmt.Errorf("export: count articles: %w", err)
	}
	total, done := first.Total, 0
	// Listings are newest first: read their pages from the last one back
	// and each page backwards.
	for end := total; end > 0; end -= pageSize {
		offset := max(end-pageSize, 0)
		list, err := st.Articles(ctx, jarchy.ArticleFilter{Limit: end - offset, Offset: offset})
		if err != nil {
			return done, fmt.Errorf("export: list articles: %w", err)
		}
		for i := len(list.Articles) - 1; i >= 0; i-- {
			a := list.Articles[i]
			root, ok := roots[a.TranslationGroup]
			if !ok && exportID(a) == a.TranslationGroup {
				// An article whose id is its group is the group's root:
				// no need to look at the others.
				root, ok = exportID(a), true
				roots[a.TranslationGroup] = root
			}
			if !ok {
				root, err = groupRoot(ctx, st, a.TranslationGroup)
				if err != nil {
					return done, err
				}
				roots[a.TranslationGroup] = root
			}
			l := ToLine(a)
			if root != l.ID {
				l.TranslationOf = root
			}
			if err := enc.Encode(l); err != nil {
				return done, fmt.Errorf("export: write: %w", err)
			}
			done++
			if progress != nil {
				progress(done, total)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return done, fmt.Errorf("export: write: %w", err)
	}
	return done, nil
}

func groupRoot(ctx context.Context, st jarchy.ArticleStore, group string) (string, error) {
	tr, err := st.Translations(ctx, group)
	if err != nil {
		return "", fmt.Errorf("export: translations of %q: %w", group, err)
	}
	if len(tr) == 0 {
		return "", nil
	}
	best := slices.MinFunc(tr, func(x, y *jarchy.Article) int {
		rank := func(a *jarchy.Article) int {
			switch {
			case exportID(a) == group:
				return 0
			case a.Lang == jarchy.DefaultLang:
				return 1
			}
			return 2
		}
		if d := rank(x) - rank(y); d != 0 {
			return d
		}
		return int(x.ID - y.ID)
	})
	return exportID(best), nil
}

// ToLine converts an article to the file format (without translation_of).
func ToLine(a *jarchy.Article) Line {
	l := Line{
		ID: exportID(a), Lang: string(a.Lang), Title: a.Title, Slug: a.Slug, Lead: a.Lead, Body: a.Body,
		Section: a.Section.Slug, Tags: []string{}, Authors: []string{}, Status: string(a.Status),
	}
	if !a.PublishedAt.IsZero() {
		l.PublishedAt = a.PublishedAt.UTC().Format(time.RFC3339Nano)
	}
	for _, t := range a.Tags {
		l.Tags = append(l.Tags, t.Name)
	}
	for _, au := range a.Authors {
		l.Authors = append(l.Authors, au.Name)
	}
	if c := a.Cover; c != nil {
		l.Cover = &Cover{Path: c.Path, URL: c.URL, Caption: c.Caption, Credit: c.Credit, Alt: c.Alt, Width: c.Width, Height: c.Height}
	}
	if a.SEOTitle != "" {
		l.SEOTitle = &a.SEOTitle
	}
	if a.SEODescription != "" {
		l.SEODescription = &a.SEODescription
	}
	for _, c := range a.Corrections {
		l.Corrections = append(l.Corrections, Correction{At: c.At.UTC().Format(time.RFC3339Nano), Text: c.Text})
	}
	return l
}
