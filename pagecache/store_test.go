package pagecache

import (
	"context"
	htmlpkg "html"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

// listing renders the public Kyrgyz titles of a store, newest first.
func listing(s jarchy.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.Articles(r.Context(), jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		settings, err := s.Settings(r.Context())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		sections, err := s.Sections(r.Context())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, htmlpkg.EscapeString(settings.SiteName[jarchy.Kyrgyz]))
		for _, sec := range sections {
			io.WriteString(w, "<nav>"+htmlpkg.EscapeString(sec.Names[jarchy.Kyrgyz])+"</nav>")
		}
		io.WriteString(w, "<ul>")
		for _, a := range list.Articles {
			io.WriteString(w, "<li>"+htmlpkg.EscapeString(a.Title)+"</li>")
		}
		io.WriteString(w, "</ul>")
	})
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// A write through the store the cache watches is visible to the very next
// request; a write through another store instance on the same database (as
// `jarchy import` in another process) is visible as soon as the store's
// change poller reports it.
func TestSQLiteStoreInvalidates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jarchy.db")
	server, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	importer, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer importer.Close()
	storeInvalidates(t, server, importer)
}

// The same with PostgreSQL: the other instance is another node, reached
// through LISTEN/NOTIFY.
func TestPostgresStoreInvalidates(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	server, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	other, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	storeInvalidates(t, server, other)
}

func storeInvalidates(t *testing.T, server, importer jarchy.Store) {
	ctx := context.Background()
	c := New(Options{})
	defer Watch(server, c)()
	cl := serve(t, c, listing(server))

	if r := cl.get("/ky/"); !strings.HasSuffix(string(r.body), "<ul></ul>") {
		t.Fatalf("empty store rendered %q", r.body)
	}
	article := func(title string) *jarchy.Article {
		return &jarchy.Article{
			Lang: jarchy.Kyrgyz, Title: title, Lead: "Лид", Body: "Текст",
			Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour),
			Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{
				jarchy.Kyrgyz: "Жаңылыктар", jarchy.Russian: "Новости", jarchy.English: "News"}},
		}
	}

	// Same process: synchronous, no waiting.
	a := article("Шайлоо өттү")
	if err := server.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if r := cl.get("/ky/"); !strings.Contains(string(r.body), "Шайлоо өттү") {
		t.Fatalf("publish through the watched store not visible: %q", r.body)
	}
	cl.get("/ky/") // cached again

	// Other instance: wait for the poller's notification.
	eventually := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			r := cl.get("/ky/")
			if ok(string(r.body)) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s through another store instance never became visible: %q", what, r.body)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	b := article("Жаңы мектеп ачылды")
	if err := importer.SaveArticle(ctx, b); err != nil {
		t.Fatal(err)
	}
	eventually("publish", func(s string) bool { return strings.Contains(s, "Жаңы мектеп ачылды") })

	b.Title = "Жаңы мектеп ачылды: оңдоо"
	if err := importer.SaveArticle(ctx, b); err != nil {
		t.Fatal(err)
	}
	eventually("edit", func(s string) bool { return strings.Contains(s, "оңдоо") })

	b.Status = jarchy.StatusDraft
	if err := importer.SaveArticle(ctx, b); err != nil {
		t.Fatal(err)
	}
	eventually("unpublish", func(s string) bool { return !strings.Contains(s, "мектеп") })

	if err := importer.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	eventually("delete", func(s string) bool { return strings.HasSuffix(s, "<ul></ul>") })

	sec := jarchy.Section{Slug: "sport", Position: 2, Names: map[jarchy.Lang]string{
		jarchy.Kyrgyz: "Спорт", jarchy.Russian: "Спорт", jarchy.English: "Sport"}}
	if err := importer.SaveSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	eventually("new section (menu)", func(s string) bool { return strings.Contains(s, "<nav>Спорт</nav>") })

	if err := importer.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{
		jarchy.Kyrgyz: "Жарчы гезити", jarchy.Russian: "Жарчы", jarchy.English: "Jarchy"}}); err != nil {
		t.Fatal(err)
	}
	eventually("settings", func(s string) bool { return strings.HasPrefix(s, "Жарчы гезити") })
}
