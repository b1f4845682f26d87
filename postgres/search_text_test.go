package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
)

// TestSearchStoredSnippetText: snippets come from the plain text stored
// with each index row (search_text), equal to those computed from the
// body, follow edits and deletes, and are computed from the body for an
// article indexed without one.
func TestSearchStoredSnippetText(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
	if err := db.SaveArticles(ctx, as); err != nil {
		t.Fatal(err)
	}
	if len(as[1].Body) <= 64<<10 {
		t.Fatalf("the long body has %d bytes: too short to be cut", len(as[1].Body))
	}
	stored := func(id int64) (string, bool) {
		var s string
		err := db.pool.QueryRow(ctx, "SELECT snippet FROM search_text WHERE article_id = $1", id).Scan(&s)
		return s, err == nil
	}
	for _, a := range as {
		s, ok := stored(a.ID)
		if want := searchindex.SnippetSource(a.Body); !ok || s != want {
			t.Errorf("article %q: stored %v %.80q, want %.80q", a.Title, ok, s, want)
		}
	}
	check := func(text string, want map[int64]string) {
		t.Helper()
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: text, Lang: jarchy.Kyrgyz})
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
	if _, err := db.pool.Exec(ctx, "UPDATE search_text SET snippet = 'Сакталган мектеп.' WHERE article_id = $1", as[0].ID); err != nil {
		t.Fatal(err)
	}
	tampered := map[int64]string{as[0].ID: "<mark>Мектептер</mark> ачылды. Сакталган <mark>мектеп</mark>.", as[1].ID: computed[as[1].ID], as[2].ID: computed[as[2].ID]}
	check("мектеп ", tampered)
	// an article indexed without it: computed from the body
	if _, err := db.pool.Exec(ctx, "DELETE FROM search_text WHERE article_id = $1", as[0].ID); err != nil {
		t.Fatal(err)
	}
	check("мектеп ", computed)

	// an edit writes it again; a delete removes it
	as[0].Body = "Мектеп жаңы имаратка көчтү."
	if err := db.SaveArticles(ctx, as[:1]); err != nil {
		t.Fatal(err)
	}
	if s, ok := stored(as[0].ID); !ok || s != "Мектеп жаңы имаратка көчтү." {
		t.Errorf("after the edit: stored %v %q", ok, s)
	}
	if err := db.DeleteArticle(ctx, as[2].ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := stored(as[2].ID); ok {
		t.Errorf("a deleted article's text is still stored")
	}
	// reindex stores it for articles indexed without it
	if _, err := db.pool.Exec(ctx, "DELETE FROM search_text"); err != nil {
		t.Fatal(err)
	}
	if err := db.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if s, ok := stored(as[0].ID); !ok || s != "Мектеп жаңы имаратка көчтү." {
		t.Errorf("after reindex: stored %v %q", ok, s)
	}
}
