package demo

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/sqlite"
)

func openStores(t *testing.T) (*sqlite.DB, *media.Dir) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := media.OpenDir(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	return db, blobs
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	db, blobs := openStores(t)
	if err := Seed(ctx, db, blobs); err != nil {
		t.Fatal(err)
	}
	all, err := db.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 12 {
		t.Errorf("%d public Kyrgyz articles, want at least 12", all.Total)
	}
	secs, err := db.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) < 4 {
		t.Errorf("%d sections, want at least 4", len(secs))
	}
	for _, s := range secs {
		for _, l := range jarchy.Langs {
			if s.Names[l] == "" {
				t.Errorf("section %s has no %s name", s.Slug, l)
			}
		}
		n, _ := db.Articles(ctx, jarchy.ArticleFilter{SectionID: s.ID, Limit: 1})
		if n.Total == 0 {
			t.Errorf("section %s is empty", s.Slug)
		}
	}
	full := 0 // stories with ky, ru and en versions linked
	for _, a := range all.Articles {
		if len(a.Authors) == 0 || len(a.Tags) == 0 {
			t.Errorf("%s: authors %d, tags %d", a.Slug, len(a.Authors), len(a.Tags))
		}
		if a.Cover == nil || !strings.HasPrefix(a.Cover.Credit, "Сүрөт:") || a.Cover.Alt == "" || a.Cover.Caption == "" {
			t.Errorf("%s: cover %+v", a.Slug, a.Cover)
			continue
		}
		if ok, err := blobs.Exists(ctx, a.Cover.Key); !ok || err != nil {
			t.Errorf("%s: cover %s missing from the blob store (%v)", a.Slug, a.Cover.Key, err)
		}
		// The resized copies an upload gets, for srcset and Open Graph.
		var widths []int
		for _, v := range a.Cover.Variants {
			widths = append(widths, v.Width)
			if ok, err := blobs.Exists(ctx, v.Key); !ok || err != nil {
				t.Errorf("%s: copy %s missing from the blob store (%v)", a.Slug, v.Key, err)
			}
		}
		if fmt.Sprint(widths) != "[320 640 1024 1200]" || a.Cover.OG == nil || a.Cover.OG.Width != 1200 || a.Cover.OG.Height != 630 {
			t.Errorf("%s: cover copies %v, OG %+v; want widths [320 640 1024 1200] and a 1200×630 crop", a.Slug, widths, a.Cover.OG)
		}
		if !strings.Contains(string(markup.Article(a.Body)), "<blockquote>") {
			t.Errorf("%s: body has no blockquote", a.Slug)
		}
		if strings.Count(a.Body, "\n\n") < 3 {
			t.Errorf("%s: body has fewer than four paragraphs", a.Slug)
		}
		tr, err := db.Translations(ctx, a.TranslationGroup)
		if err != nil {
			t.Fatal(err)
		}
		langs := map[jarchy.Lang]bool{}
		for _, x := range tr {
			langs[x.Lang] = true
		}
		if langs[jarchy.Russian] && langs[jarchy.English] {
			full++
		}
	}
	if full < 3 {
		t.Errorf("%d stories with linked ky/ru/en versions, want several", full)
	}
	for _, l := range jarchy.Langs {
		for _, slug := range []string{"about", "contacts"} {
			if _, err := db.PageBySlug(ctx, l, slug); err != nil {
				t.Errorf("page %s/%s: %v", l, slug, err)
			}
		}
	}
	set, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if set.SiteName[jarchy.English] != "Jarchy" || set.Social["telegram"] == "" {
		t.Errorf("settings %+v", set)
	}

	// A second Seed sees a non-empty store and writes nothing.
	gen, _ := db.Generation(ctx)
	if err := Seed(ctx, db, blobs); err != nil {
		t.Fatal(err)
	}
	if gen2, _ := db.Generation(ctx); gen2 != gen {
		t.Errorf("second Seed wrote (generation %d -> %d)", gen, gen2)
	}
}
