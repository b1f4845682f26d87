package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

// A body rendered by an older renderer is not served: reads return no
// BodyHTML (the site renders Body), and Reindex stores a current one.
func TestStaleBodyHTML(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Эски", Body: "Эски **рендер**", Section: jarchy.Section{Slug: "news"}}
	if err := db.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, "UPDATE articles SET body_html = '<p>old</p>', body_html_version = 0 WHERE id = $1", a.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.BodyHTML != "" {
		t.Fatalf("a stale rendering was returned: %q", got.BodyHTML)
	}
	if err := db.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got, err = db.Article(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.BodyHTML, "<strong>рендер</strong>") {
		t.Fatalf("Reindex did not render the body again: %q", got.BodyHTML)
	}
}
