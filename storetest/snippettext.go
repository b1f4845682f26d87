package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
)

// SnippetTextHooks reach the plain text a store keeps with each index row
// for snippets (search_text): the stored text of an article, a text put
// there in its place, and dropping it (id 0: every article's).
type SnippetTextHooks struct {
	Stored func(id int64) (string, bool)
	Set    func(id int64, text string)
	Drop   func(id int64)
}

// RunStoredSnippetText checks on store s that snippets come from the plain
// text stored with each index row, equal to those computed from the body,
// follow edits and deletes, and are computed from the body for an article
// indexed without one. The hooks reach the store's own table; the test
// lives here so that both stores run the same one.
func RunStoredSnippetText(t *testing.T, s jarchy.Store, h SnippetTextHooks) {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("Тоолордо кар жаады, жолдор жабылды. ", 2200) + "\n\nАкыркы **бөлүктө** [мектеп](https://example.com/мектеп) жабылды."
	as := []*jarchy.Article{
		{Title: "Мектептер", Lead: "Мектептер ачылды.", Body: "Шаардагы **мектептер** [ачылды](https://example.com/x).\n\n> Мектеп — биздин келечек.\n\n```\nкод мектеп\n```"},
		{Title: "Узун макала", Lead: "", Body: long},
		{Title: "Жаңы мектеп", Lead: "Айылда жаңы мектеп.", Body: ""},
	}
	for i, a := range as {
		a.Lang, a.Section, a.Status, a.PublishedAt = jarchy.Kyrgyz, jarchy.Section{Slug: "news"}, jarchy.StatusPublished, at.Add(time.Duration(i)*time.Hour)
	}
	if err := s.SaveArticles(ctx, as); err != nil {
		t.Fatal(err)
	}
	if len(as[1].Body) <= 64<<10 {
		t.Fatalf("the long body has %d bytes: too short to be cut", len(as[1].Body))
	}
	stored := h.Stored
	for _, a := range as {
		s, ok := stored(a.ID)
		if want := searchindex.SnippetSource(a.Body); !ok || s != want {
			t.Errorf("article %q: stored %v %.80q, want %.80q", a.Title, ok, s, want)
		}
	}
	check := func(text string, want map[int64]string) {
		t.Helper()
		res, err := s.Search(ctx, jarchy.SearchQuery{Text: text, Lang: jarchy.Kyrgyz})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != len(want) {
			t.Fatalf("%q: %d hits, want %d", text, len(res.Hits), len(want))
		}
		for _, h := range res.Hits {
			if w, ok := want[h.Article.ID]; !ok || h.Snippet != w {
				t.Errorf("%q: article %d snippet %q, want %q", text, h.Article.ID, h.Snippet, w)
			}
		}
	}
	q := search.ParseQuery(jarchy.Kyrgyz, "мектеп ")
	computed := map[int64]string{}
	for _, a := range as {
		computed[a.ID] = searchindex.Snippet(q, a)
		// the long body's match is past the part snippets are taken from
		if strings.Contains(computed[a.ID], "<mark>") == (a == as[1]) {
			t.Fatalf("article %q: computed snippet %.200q", a.Title, computed[a.ID])
		}
	}
	check("мектеп ", computed)

	// the stored text is what snippets are read from
	h.Set(as[0].ID, "Сакталган мектеп.")
	tampered := map[int64]string{as[0].ID: "<mark>Мектептер</mark> ачылды. Сакталган <mark>мектеп</mark>.", as[1].ID: computed[as[1].ID], as[2].ID: computed[as[2].ID]}
	check("мектеп ", tampered)
	// an article indexed without it: computed from the body
	h.Drop(as[0].ID)
	check("мектеп ", computed)

	// an edit writes it again; a delete removes it
	as[0].Body = "Мектеп жаңы имаратка көчтү."
	if err := s.SaveArticles(ctx, as[:1]); err != nil {
		t.Fatal(err)
	}
	if s, ok := stored(as[0].ID); !ok || s != "Мектеп жаңы имаратка көчтү." {
		t.Errorf("after the edit: stored %v %q", ok, s)
	}
	if err := s.DeleteArticle(ctx, as[2].ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := stored(as[2].ID); ok {
		t.Errorf("a deleted article's text is still stored")
	}
	// reindex stores it for articles indexed without it
	h.Drop(0)
	if err := s.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if s, ok := stored(as[0].ID); !ok || s != "Мектеп жаңы имаратка көчтү." {
		t.Errorf("after reindex: stored %v %q", ok, s)
	}
}
