package storetest

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// testBatchSave: SaveArticles (jarchy.BatchSaver) saves many articles in
// one transaction, with one generation step and one notification; a batch
// with one bad article saves none of them and notifies no one.
func testBatchSave(t *testing.T, s jarchy.Store) {
	bs, ok := s.(jarchy.BatchSaver)
	if !ok {
		t.Fatalf("%T does not implement jarchy.BatchSaver", s)
	}
	old := save(t, s, newArticle(jarchy.Kyrgyz, "Эски макала"))
	var calls atomic.Int64
	defer s.Subscribe(func() { calls.Add(1) })()
	g := generation(t, s)

	a := newArticle(jarchy.Kyrgyz, "Топтом сакталды")
	a.ExternalID = "batch-a"
	a.Tags = []jarchy.Tag{{Name: "Топтом"}, {Name: "!!!"}}
	a.Authors = []jarchy.Author{{Name: "Айбек Осмонов"}}
	b := newArticle(jarchy.Kyrgyz, "Топтом сакталды") // same title: the next slug
	b.Tags = []jarchy.Tag{{Name: "топтом"}}           // the tag a creates in this batch
	c := published(jarchy.Russian, "Пакет", base)
	c.TranslationGroup = "batch-a"
	upd := *old
	upd.Lead = "Жаңыланды"
	if err := bs.SaveArticles(ctx, []*jarchy.Article{a, b, c, &upd}); err != nil {
		t.Fatalf("SaveArticles: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("a batch of 4 notified %d times, want 1", n)
	}
	if g2 := generation(t, s); g2 != g+1 {
		t.Errorf("a batch moved the generation %d -> %d, want one step", g, g2)
	}
	if a.ID == 0 || b.ID == 0 || c.ID == 0 || upd.ID != old.ID {
		t.Fatalf("IDs after the batch: %d %d %d %d (old %d)", a.ID, b.ID, c.ID, upd.ID, old.ID)
	}
	if a.Slug != "toptom-saktaldy" || b.Slug != "toptom-saktaldy-2" || c.Slug != "paket" {
		t.Errorf("slugs %q %q %q", a.Slug, b.Slug, c.Slug)
	}
	if len(a.Tags) != 2 || a.Tags[0].Slug != "toptom" || a.Tags[1].Slug != "tag-e84c538e" || b.Tags[0].ID != a.Tags[0].ID {
		t.Errorf("tags a %+v, b %+v", a.Tags, b.Tags)
	}
	if c.PublishedAt.Location() != time.UTC || c.PublishedAt.Nanosecond() != 123456000 {
		t.Errorf("published_at %v, want UTC with microseconds", c.PublishedAt)
	}
	for _, x := range []*jarchy.Article{a, b, c, &upd} {
		wantSame(t, "batch-saved "+x.Title, load(t, s, x.ID), x)
	}
	if got := load(t, s, old.ID); got.Lead != "Жаңыланды" {
		t.Errorf("update in a batch: lead %q", got.Lead)
	}
	if tr, err := s.Translations(ctx, "batch-a"); err != nil || len(tr) != 1 || tr[0].ID != c.ID {
		t.Errorf("Translations(batch-a) = %v, %v", tr, err)
	}

	// An empty batch writes nothing.
	if err := bs.SaveArticles(ctx, nil); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	if n, g3 := calls.Load(), generation(t, s); n != 1 || g3 != g+1 {
		t.Errorf("an empty batch wrote: %d notifications, generation %d -> %d", n, g+1, g3)
	}

	// One bad article, found before the transaction or inside it, fails the
	// whole batch: nothing is stored, the articles given are unchanged, and
	// the error names the article.
	total := list(t, s, jarchy.ArticleFilter{}).Total
	for _, tc := range []struct {
		name, tagSlug string
		bad           func() *jarchy.Article
	}{
		{"invalid", "kalbashy-kerek-invalid", func() *jarchy.Article { return newArticle("xx", "Тил жок") }},
		{"unknown section id", "kalbashy-kerek-unknown-section-id", func() *jarchy.Article {
			x := newArticle(jarchy.Kyrgyz, "Бөлүмү жок")
			x.Section = jarchy.Section{ID: 987654}
			return x
		}},
	} {
		first := newArticle(jarchy.Kyrgyz, "Жаңы макала "+tc.name)
		first.Tags = []jarchy.Tag{{Name: "Калбашы керек " + tc.name}}
		edit := *old
		edit.Title = "Өзгөрбөшү керек"
		bad := tc.bad()
		err := bs.SaveArticles(ctx, []*jarchy.Article{first, &edit, bad})
		if err == nil {
			t.Fatalf("%s: a batch with a bad article saved", tc.name)
		}
		if !strings.Contains(err.Error(), "article 3 of 3") {
			t.Errorf("%s: error %q does not name article 3 of 3", tc.name, err)
		}
		if first.ID != 0 || edit.Title != "Өзгөрбөшү керек" || edit.Slug != old.Slug {
			t.Errorf("%s: a failed batch changed its articles: %+v", tc.name, first)
		}
		if got := list(t, s, jarchy.ArticleFilter{}).Total; got != total {
			t.Errorf("%s: %d articles after a failed batch, want %d", tc.name, got, total)
		}
		if got := load(t, s, old.ID); got.Title != "Эски макала" {
			t.Errorf("%s: a failed batch changed the stored article: %q", tc.name, got.Title)
		}
		if _, err := s.TagBySlug(ctx, tc.tagSlug); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
			t.Errorf("%s: tag %s of a failed batch exists: %v", tc.name, tc.tagSlug, err)
		}
		if n, g3 := calls.Load(), generation(t, s); n != 1 || g3 != g+1 {
			t.Errorf("%s: a failed batch wrote: %d notifications, generation %d", tc.name, n, g3)
		}
	}
}

// testLongBody: a body of exactly jarchy.MaxBodyLen bytes (1 MiB: the
// text of a law, many distinct words) is stored byte for byte, rendered
// whole and found by search by a word from its end; one byte more is
// EINVALID.
func testLongBody(t *testing.T, s jarchy.Store) {
	if jarchy.MaxBodyLen != 1<<20 {
		t.Fatalf("MaxBodyLen is %d, want 1 MiB", jarchy.MaxBodyLen)
	}
	var b strings.Builder
	for i := 0; b.Len() < jarchy.MaxBodyLen-200; i++ {
		if i%12 == 0 {
			fmt.Fprintf(&b, "\n\n**Берене %d.** ", i/12+1)
		}
		fmt.Fprintf(&b, "мыйзамдын%s жобосу%d ", strings.Repeat("а", i%7), i)
	}
	b.WriteString("\n\nакыркыберене")
	body := b.String() + strings.Repeat(".", jarchy.MaxBodyLen-b.Len())
	if len(body) != 1<<20 {
		t.Fatalf("test body is %d bytes", len(body))
	}
	a := published(jarchy.Kyrgyz, "Мыйзамдын толук тексти", base)
	a.Body = body
	save(t, s, a)
	got := load(t, s, a.ID)
	if got.Body != body {
		t.Fatalf("a 1 MiB body changed (len %d)", len(got.Body))
	}
	if !strings.Contains(got.BodyHTML, "акыркыберене") || !strings.Contains(got.BodyHTML, "<strong>Берене 1.</strong>") {
		t.Errorf("a 1 MiB body was not rendered whole (%d bytes of HTML)", len(got.BodyHTML))
	}
	res, err := s.Search(ctx, jarchy.SearchQuery{Text: "акыркыберене ", Lang: jarchy.Kyrgyz})
	if err != nil || res.Total != 1 {
		t.Errorf("search for the last word of a 1 MiB body: %+v, %v", res, err)
	}
	over := newArticle(jarchy.Kyrgyz, "Өтө узун")
	over.Body = body + "."
	wantCode(t, "a body of 1 MiB + 1 byte", s.SaveArticle(ctx, over), jarchy.EINVALID)
}
