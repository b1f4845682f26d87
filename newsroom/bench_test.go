package newsroom_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/jarchy/jarchy"
)

// BenchmarkNewsroom measures the newsroom's common requests over loopback
// on SQLite: the dashboard, the editor of an article, and a draft's
// autosave (a store write whose Change is empty).
func BenchmarkNewsroom(b *testing.B) {
	s := newSQLiteStack(b)
	politics, _ := seedSections(b, s.store)
	addUser(b, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	var batch []*jarchy.Article
	for i := range 200 {
		batch = append(batch, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Макала " + strconv.Itoa(i), Body: "Текст.",
			Section: jarchy.Section{ID: politics}, Status: []jarchy.Status{jarchy.StatusDraft, jarchy.StatusReview, jarchy.StatusPublished}[i%3]})
	}
	if err := s.store.SaveArticles(ctx, batch); err != nil {
		b.Fatal(err)
	}
	draft := batch[0]
	c := newClient(b, s.srv.URL)
	c.login("ed@example.kg")
	path := "/newsroom/articles/" + strconv.FormatInt(draft.ID, 10)
	b.Run("dashboard", func(b *testing.B) {
		for b.Loop() {
			if res, body := c.get("/newsroom/"); res.StatusCode != http.StatusOK {
				b.Fatalf("status %d: %s", res.StatusCode, body)
			}
		}
	})
	b.Run("editor", func(b *testing.B) {
		for b.Loop() {
			if res, body := c.get(path); res.StatusCode != http.StatusOK {
				b.Fatalf("status %d: %s", res.StatusCode, body)
			}
		}
	})
	b.Run("autosave", func(b *testing.B) {
		version := draft.Version
		i := 0
		for b.Loop() {
			i++
			form := url.Values{"title": {draft.Title}, "body": {"Текст " + strconv.Itoa(i)}, "lang": {"ky"},
				"section": {strconv.FormatInt(politics, 10)}, "version": {strconv.FormatInt(version, 10)}}
			res, body := c.post(path+"/autosave", form)
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d: %s", res.StatusCode, body)
			}
			version++
		}
	})
}
