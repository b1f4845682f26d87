package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/jarchy/jarchy"
)

// FuzzSaveArticle saves articles with arbitrary text: each save is either
// refused as EINVALID or stored and read back byte for byte.
func FuzzSaveArticle(f *testing.F) {
	for _, s := range []string{"Жогорку Кеңеш", "'; DROP TABLE articles; --", "a\x00b", "\xff\xfe", "%_*?[]", "🇰🇬", " ", "\u202e"} {
		f.Add(s, s, s, s)
	}
	db, err := Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, title, body, tag, ext string) {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Body: body, ExternalID: ext,
			Section: jarchy.Section{Slug: "news"}, Tags: []jarchy.Tag{{Name: tag}}, Authors: []jarchy.Author{{Name: "Fuzz"}}}
		err := db.SaveArticle(ctx, a)
		if err != nil {
			if code := jarchy.ErrorCode(err); code != jarchy.EINVALID {
				t.Fatalf("save: %v (code %s)", err, code)
			}
			return
		}
		got, err := db.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != a.Title || got.Body != body || got.ExternalID != a.ExternalID || len(got.Tags) != 1 || got.Tags[0].ID != a.Tags[0].ID {
			t.Fatalf("round trip: got %q %q %q %+v, saved %q %q %q %+v", got.Title, got.Body, got.ExternalID, got.Tags, a.Title, body, a.ExternalID, a.Tags)
		}
		bySlug, err := db.ArticleBySlug(ctx, jarchy.Kyrgyz, a.Slug)
		if err != nil || bySlug.ID != a.ID {
			t.Fatalf("by slug %q: %v", a.Slug, err)
		}
	})
}
