package storeutil

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

func TestSlugCandidate(t *testing.T) {
	if got := SlugCandidate("news", 1); got != "news" {
		t.Fatalf("n=1: %q", got)
	}
	if got := SlugCandidate("news", 12); got != "news-12" {
		t.Fatalf("n=12: %q", got)
	}
	// A long base is shortened so the suffix fits, and never ends in "--".
	base := strings.Repeat("ab-", 26) + "ab" // 80 bytes
	for _, n := range []int{2, 10, 100, 12345} {
		got := SlugCandidate(base, n)
		if len(got) > jarchy.MaxSlugLen || !jarchy.ValidSlug(got) {
			t.Fatalf("n=%d: %q (%d bytes) is not a valid slug", n, got, len(got))
		}
	}
}

func TestMicro(t *testing.T) {
	in := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("X", 3600))
	got := Micro(in)
	if got.Location() != time.UTC || got.Nanosecond() != 123456000 || !got.Equal(in.Truncate(time.Microsecond)) {
		t.Fatalf("Micro = %v", got)
	}
	if !Micro(time.Time{}).IsZero() {
		t.Fatal("zero time not kept")
	}
}

func TestCheckFilter(t *testing.T) {
	f := jarchy.ArticleFilter{}
	if err := CheckFilter(&f); err != nil || f.Limit != DefaultLimit {
		t.Fatalf("default: %v %d", err, f.Limit)
	}
	f = jarchy.ArticleFilter{Limit: 1000}
	if err := CheckFilter(&f); err != nil || f.Limit != MaxLimit {
		t.Fatalf("max: %v %d", err, f.Limit)
	}
	for _, bad := range []jarchy.ArticleFilter{{Limit: -1}, {Offset: -1}, {Lang: "xx"}, {Status: "x"}} {
		if err := CheckFilter(&bad); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestPrepareArticleRelations(t *testing.T) {
	a := &jarchy.Article{Lang: jarchy.Russian, Title: "Заголовок", Section: jarchy.Section{Slug: "news"},
		Tags:    []jarchy.Tag{{Name: " Выборы "}, {Name: "выборы"}, {ID: 7, Name: "x"}, {ID: 7, Name: "y"}},
		Authors: []jarchy.Author{{Name: "Жанна"}, {Name: "Жанна", Bio: "dup"}}}
	a0 := *a
	prepared, err := PrepareArticle(a, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tags[0].Name != " Выборы " || a.Slug != "" || a.Status != "" || len(a.Authors) != 2 || a.Title != a0.Title {
		t.Fatalf("PrepareArticle changed its argument: %+v", a)
	}
	a = &prepared
	if len(a.Tags) != 2 || a.Tags[0].Slug != "vybory" || a.Tags[0].Name != "Выборы" || a.Tags[1].ID != 7 {
		t.Fatalf("tags %+v", a.Tags)
	}
	if len(a.Authors) != 1 || a.Authors[0].Slug != "janna" { // relation slugs are spelt as in Kyrgyz
		t.Fatalf("authors %+v", a.Authors)
	}
	if a.Slug != "zagolovok" || a.Status != jarchy.StatusDraft {
		t.Fatalf("slug %q status %q", a.Slug, a.Status)
	}
}

func TestContentHash(t *testing.T) {
	a := &jarchy.Article{Lang: "ky", Title: "a", Body: "b", Tags: []jarchy.Tag{{ID: 1}, {ID: 2}}}
	b := *a
	b.Tags = []jarchy.Tag{{ID: 2}, {ID: 1}}
	c := *a
	c.Cover = &jarchy.Media{Key: "x.jpg"}
	d := *a
	d.Title, d.Body = "ab", "" // field boundaries matter
	h := ContentHash(a)
	for name, x := range map[string]*jarchy.Article{"tag order": &b, "cover": &c, "boundaries": &d} {
		if ContentHash(x) == h {
			t.Errorf("%s: same hash", name)
		}
	}
	e := *a
	e.UpdatedAt = time.Now() // not content
	if ContentHash(&e) != h {
		t.Errorf("UpdatedAt changed the hash")
	}
}

func TestParallelRunsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		counts := make([]atomic.Int32, n)
		Parallel(n, func(i int) { counts[i].Add(1) })
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d ran %d times", n, i, c)
			}
		}
	}
}

// TestIDChunks: distinct positive ids, ascending, in chunks of at most
// size.
func TestIDChunks(t *testing.T) {
	for _, c := range []struct {
		ids  []int64
		size int
		want string
	}{
		{nil, 2, "[]"},
		{[]int64{0, -3}, 2, "[]"},
		{[]int64{5, 1, 5, 3, 0, 1}, 2, "[[1 3] [5]]"},
		{[]int64{4, 3, 2, 1}, 2, "[[1 2] [3 4]]"},
		{[]int64{7, 7, 7}, 100, "[[7]]"},
	} {
		if got := fmt.Sprint(IDChunks(c.ids, c.size)); got != c.want {
			t.Errorf("IDChunks(%v, %d) = %s, want %s", c.ids, c.size, got, c.want)
		}
	}
}
