package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// testArticlesByID: ArticlesByID gives, for each id that names an article
// (whatever its status), what Article gives but for what a summary leaves
// out; a deleted article, an unknown id, zero and a negative id are absent
// without an error, and an id given twice is one entry.
func testArticlesByID(t *testing.T, s jarchy.Store) {
	for _, ids := range [][]int64{nil, {}, {999_999}} {
		got, err := s.ArticlesByID(ctx, ids)
		if err != nil || len(got) != 0 {
			t.Fatalf("ArticlesByID(%v) = %v, %v; want nothing and no error", ids, got, err)
		}
	}

	full := fullArticle()
	save(t, s, full)
	full.Body += "\nОңдолду."
	if err := jarchy.AddCorrection(full, "Аты оңдолду."); err != nil {
		t.Fatal(err)
	}
	save(t, s, full)
	ru := published(jarchy.Russian, "Выборы в Жогорку Кенеш", base)
	ru.TranslationGroup = full.TranslationGroup
	save(t, s, ru)
	draft := save(t, s, newArticle(jarchy.Kyrgyz, "Долбоор макала"))
	unpublished := published(jarchy.English, "Withdrawn story", base)
	unpublished.Status = jarchy.StatusUnpublished
	save(t, s, unpublished)
	scheduled := save(t, s, published(jarchy.Kyrgyz, "Эртеңки макала", time.Now().Add(48*time.Hour)))
	gone := save(t, s, published(jarchy.Kyrgyz, "Өчүрүлгөн макала", base))
	if err := s.DeleteArticle(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}

	got, err := s.ArticlesByID(ctx, []int64{scheduled.ID, 999_999, full.ID, gone.ID, 0, draft.ID, -1, ru.ID, unpublished.ID, full.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Errorf("%d articles, want 5 (full, ru, draft, unpublished, scheduled): %v", len(got), keys(got))
	}
	for _, id := range []int64{gone.ID, 999_999, 0, -1} {
		if a, ok := got[id]; ok {
			t.Errorf("id %d (deleted, unknown or not an id) is present: %+v", id, a)
		}
	}
	for name, want := range map[string]struct {
		id     int64
		title  string
		lang   jarchy.Lang
		status jarchy.Status
	}{
		"full":        {full.ID, "Жогорку Кеңештин шайлоосу", jarchy.Kyrgyz, jarchy.StatusPublished},
		"ru":          {ru.ID, "Выборы в Жогорку Кенеш", jarchy.Russian, jarchy.StatusPublished},
		"draft":       {draft.ID, "Долбоор макала", jarchy.Kyrgyz, jarchy.StatusDraft},
		"unpublished": {unpublished.ID, "Withdrawn story", jarchy.English, jarchy.StatusUnpublished},
		"scheduled":   {scheduled.ID, "Эртеңки макала", jarchy.Kyrgyz, jarchy.StatusScheduled},
	} {
		a := got[want.id]
		if a == nil {
			t.Errorf("%s (id %d) is missing", name, want.id)
			continue
		}
		if a.ID != want.id || a.Title != want.title || a.Lang != want.lang || a.Status != want.status {
			t.Errorf("%s: id %d, title %q, lang %s, status %s; want %d, %q, %s, %s",
				name, a.ID, a.Title, a.Lang, a.Status, want.id, want.title, want.lang, want.status)
		}
		wantSummaryOf(t, name, a, load(t, s, want.id))
	}
	if a := got[full.ID]; a != nil && (a.Section.Slug != "politics" || a.Cover == nil || a.Cover.Key != "2026/03/ala-too.jpg" || !a.PublishedAt.Equal(base.Truncate(time.Microsecond))) {
		t.Errorf("full: section %q, cover %+v, published %v; want politics, 2026/03/ala-too.jpg, %v", a.Section.Slug, a.Cover, a.PublishedAt, base.Truncate(time.Microsecond))
	}
}

// testArticlesByIDManyChunks: more ids than a store sends in one statement
// (600 articles among 1,300 ids) are all read.
func testArticlesByIDManyChunks(t *testing.T, s jarchy.Store) {
	batch := make([]*jarchy.Article, 600)
	for i := range batch {
		batch[i] = published(jarchy.Kyrgyz, fmt.Sprintf("Макала %03d", i), base.Add(time.Duration(i)*time.Minute))
		batch[i].Body = ""
	}
	if err := s.SaveArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, a := range batch {
		ids = append(ids, a.ID, a.ID+100_000) // an unknown id after each
		if i%6 == 0 {
			ids = append(ids, a.ID) // and some twice
		}
	}
	got, err := s.ArticlesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 600 {
		t.Fatalf("%d articles of 600", len(got))
	}
	for i, a := range batch {
		if g := got[a.ID]; g == nil || g.Title != fmt.Sprintf("Макала %03d", i) {
			t.Fatalf("article %d (%d of the batch): %+v", a.ID, i, g)
		}
	}
	last := batch[len(batch)-1]
	wantSummaryOf(t, "the last article", got[last.ID], load(t, s, last.ID))
}

// wantSummaryOf checks that got is the summary of whole: no body, tags,
// authors, translations or corrections, and every other field equal.
func wantSummaryOf(t *testing.T, what string, got, whole *jarchy.Article) {
	t.Helper()
	if got.Body != "" || got.BodyHTML != "" || len(got.Tags) != 0 || len(got.Authors) != 0 || len(got.Translations) != 0 || len(got.Corrections) != 0 {
		t.Errorf("%s: a summary has no body, tags, authors, translations or corrections: body %d bytes, html %d bytes, %d tags, %d authors, %d translations, %d corrections",
			what, len(got.Body), len(got.BodyHTML), len(got.Tags), len(got.Authors), len(got.Translations), len(got.Corrections))
	}
	g, w := *got, *whole
	g.Tags, g.Authors, g.Translations, g.Corrections = nil, nil, nil, nil
	w.Body, w.BodyHTML, w.Tags, w.Authors, w.Translations, w.Corrections = "", "", nil, nil, nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs from Article apart from what a summary leaves out:\n%s\n got %+v\nwant %+v", what, diffLines(diffArticle(&g, &w)), g, w)
	}
}

func diffLines(d []string) string {
	out := ""
	for _, l := range d {
		out += "  " + l + "\n"
	}
	return out
}

func keys(m map[int64]*jarchy.Article) []int64 {
	var out []int64
	for id := range m {
		out = append(out, id)
	}
	return out
}
