package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

// queryCounter counts the statements sent to the server.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// openCounted opens a store on a new database whose statements counter
// counts.
func openCounted(t *testing.T) (*DB, *queryCounter) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	counter := &queryCounter{}
	cfg.ConnConfig.Tracer = counter
	db, err := openConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, counter
}

// Listings load relations for all rows at once: the number of queries does
// not grow with the number of articles.
func TestListingsAreBatched(t *testing.T) {
	ctx := context.Background()
	db, counter := openCounted(t)
	var group string
	for i := range 30 {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: fmt.Sprintf("Макала %d", i), Status: jarchy.StatusPublished,
			Section: jarchy.Section{Slug: fmt.Sprintf("s%d", i%3)}, TranslationGroup: group,
			Tags:    []jarchy.Tag{{Name: "Жалпы"}, {Name: fmt.Sprintf("Тег %d", i)}},
			Authors: []jarchy.Author{{Name: fmt.Sprintf("Автор %d", i%4)}}}
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		group = a.TranslationGroup
	}
	// Limits count BEGIN and COMMIT of the read transaction.
	measure := func(what string, max int64, fn func() (int, error)) {
		t.Helper()
		before := counter.n.Load()
		n, err := fn()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n < 20 {
			t.Fatalf("%s: only %d articles", what, n)
		}
		if q := counter.n.Load() - before; q > max {
			t.Fatalf("%s of %d articles took %d queries, want at most %d", what, n, q, max)
		}
	}
	measure("Articles", 7, func() (int, error) { // rows, count, tags, authors, translations
		l, err := db.Articles(ctx, jarchy.ArticleFilter{Limit: 30})
		for _, a := range l.Articles {
			if len(a.Tags) != 2 || len(a.Authors) != 1 || a.Section.Slug == "" || len(a.Translations) != 29 {
				t.Fatalf("not hydrated: %+v", a)
			}
		}
		return len(l.Articles), err
	})
	measure("Translations", 5, func() (int, error) {
		l, err := db.Translations(ctx, group)
		return len(l), err
	})
	first, err := db.Article(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	measure("RelatedArticles", 6, func() (int, error) {
		l, err := db.RelatedArticles(ctx, first, 50)
		return len(l), err
	})
	measure("ArticlesByID", 1, func() (int, error) { // one statement, no transaction
		ids := make([]int64, 0, 60)
		for id := range int64(30) {
			ids = append(ids, id+1, id+1000) // and an unknown id each
		}
		m, err := db.ArticlesByID(ctx, ids)
		return len(m), err
	})
}

// TestModerationIsBatched: moderating a page of comments reads and
// updates them with a fixed number of statements, not two per comment.
func TestModerationIsBatched(t *testing.T) {
	ctx := context.Background()
	db, counter := openCounted(t)
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Макала", Status: jarchy.StatusPublished, Section: jarchy.Section{Slug: "news"}}
	if err := db.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range 50 {
		c := &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: fmt.Sprintf("Пикир %d", i), Status: jarchy.CommentPending}
		if _, err := db.ImportComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	before := counter.n.Load()
	if err := db.ModerateComments(ctx, jarchy.RoleEditor, ids, jarchy.CommentApproved); err != nil {
		t.Fatal(err)
	}
	if n := counter.n.Load() - before; n > 12 {
		t.Errorf("moderating %d comments took %d statements", len(ids), n)
	}
	list, err := db.Comments(ctx, jarchy.CommentFilter{Status: jarchy.CommentApproved, Limit: 100})
	if err != nil || list.Total != len(ids) {
		t.Errorf("approved: %d (%v), want %d", list.Total, err, len(ids))
	}
}
