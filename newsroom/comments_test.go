package newsroom_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// commentFixture is a public article with pending comments.
func commentFixture(t *testing.T, st jarchy.Store, texts ...string) (*jarchy.Article, []*jarchy.Comment) {
	t.Helper()
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Пикирлер үчүн макала", Body: "x", Status: jarchy.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}}
	if err := st.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	var cs []*jarchy.Comment
	for _, text := range texts {
		c := &jarchy.Comment{ArticleID: a.ID, Name: "Окурман", Email: "reader@example.kg", Text: text, IP: "203.0.113.9"}
		if err := st.PostComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return a, cs
}

func TestCommentModeration(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "editor@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	addUser(t, s.store, "author@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	a, cs := commentFixture(t, s.store, "Биринчи <b>пикир</b>", "Экинчи пикир", "Үчүнчү пикир")
	articlePath := "/ky/news/" + a.Slug

	author := newClient(t, s.srv.URL)
	author.login("author@example.kg")
	res, body := author.get("/newsroom/comments")
	wantStatus(t, res, body, http.StatusForbidden)

	ed := newClient(t, s.srv.URL)
	ed.login("editor@example.kg")
	res, body = ed.get("/newsroom/")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `href="/newsroom/comments?status=pending">Күтүүдө: 3</a>`)

	res, body = ed.get("/newsroom/comments")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "Биринчи &lt;b&gt;пикир&lt;/b&gt;", "203.0.113.9", `value="`+strconv.FormatInt(cs[2].ID, 10)+`"`)
	if strings.Contains(body, "reader@example.kg") {
		t.Error("the queue shows a reader's email")
	}

	// Bulk: approve the first two; the public page shows them at once.
	res, body = ed.post("/newsroom/comments/moderate", url.Values{"action": {"approve"},
		"id": {strconv.FormatInt(cs[0].ID, 10), strconv.FormatInt(cs[1].ID, 10)}, "back": {"/newsroom/comments?status=pending"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/newsroom/comments?done=moderated&status=pending" {
		t.Errorf("after a bulk action: %q", loc)
	}
	_, page := ed.get(articlePath)
	wantContains(t, page, `id="c-`+strconv.FormatInt(cs[0].ID, 10)+`"`, `id="c-`+strconv.FormatInt(cs[1].ID, 10)+`"`)
	if strings.Contains(page, `id="c-`+strconv.FormatInt(cs[2].ID, 10)+`"`) {
		t.Error("a pending comment is public")
	}

	// Edit: shown as edited.
	res, body = ed.post("/newsroom/comments/"+strconv.FormatInt(cs[1].ID, 10)+"/edit", url.Values{"name": {"Окурман"}, "text": {"Экинчи пикир (оңдолду)"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = ed.post("/newsroom/comments/"+strconv.FormatInt(cs[1].ID, 10)+"/edit", url.Values{"name": {"Окурман"}, "text": {" "}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Пикириңиз бош")
	_, page = ed.get(articlePath)
	wantContains(t, page, "Экинчи пикир (оңдолду)", "түзөтүлгөн")

	// Spam, then a ban by the reader's email hash and by range.
	res, body = ed.post("/newsroom/comments/moderate", url.Values{"action": {"spam"}, "id": {strconv.FormatInt(cs[2].ID, 10)}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = ed.post("/newsroom/comments/bans", url.Values{"hash": {cs[0].EmailHash}, "reason": {"спам"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = ed.post("/newsroom/comments/bans", url.Values{"range": {"198.51.100.0/24"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = ed.post("/newsroom/comments/bans", url.Values{"range": {"not a range"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	err := s.store.PostComment(ctx, &jarchy.Comment{ArticleID: a.ID, Name: "x", Email: "READER@example.kg", Text: "кайра"})
	if jarchy.ErrorCode(err) != jarchy.EFORBIDDEN {
		t.Errorf("a banned reader posts: %v", err)
	}
	_, body = ed.get("/newsroom/comments/bans")
	wantContains(t, body, "198.51.100.0/24", cs[0].EmailHash[:12])

	// A deleted comment cannot come back: the whole bulk action fails.
	res, body = ed.post("/newsroom/comments/moderate", url.Values{"action": {"delete"}, "id": {strconv.FormatInt(cs[1].ID, 10)}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = ed.post("/newsroom/comments/moderate", url.Values{"action": {"approve"}, "id": {strconv.FormatInt(cs[1].ID, 10), strconv.FormatInt(cs[2].ID, 10)}})
	wantStatus(t, res, body, http.StatusForbidden)
	if c, _ := s.store.Comment(ctx, cs[2].ID); c.Status != jarchy.CommentSpam {
		t.Errorf("a refused bulk action moved comment %d to %s", c.ID, c.Status)
	}

	// A reader's report lands in the queue.
	if err := s.store.ReportComment(ctx, cs[0].ID); err != nil {
		t.Fatal(err)
	}
	_, body = ed.get("/newsroom/comments?status=reported")
	wantContains(t, body, "Биринчи &lt;b&gt;пикир&lt;/b&gt;", "1 даттануу")

	// The article's own mode.
	res, body = ed.post("/newsroom/comments/mode", url.Values{"article": {strconv.FormatInt(a.ID, 10)}, "mode": {"closed"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if m, _ := s.store.ArticleCommentMode(ctx, a.ID); m != jarchy.CommentModeClosed {
		t.Errorf("article mode = %q", m)
	}
	// Site settings are for admins.
	res, body = ed.get("/newsroom/comments/settings")
	wantStatus(t, res, body, http.StatusForbidden)
}

func TestCommentSettingsPage(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "admin@example.kg", jarchy.RoleAdmin, jarchy.Russian)
	c := newClient(t, s.srv.URL)
	c.login("admin@example.kg")
	res, body := c.get("/newsroom/comments/settings")
	wantStatus(t, res, body, http.StatusOK)
	res, body = c.post("/newsroom/comments/settings", url.Values{"mode": {"pre"}, "close": {"7"}, "trust": {"1"}, "words": {"Казино\r\nказино\r\n\r\nbuy now"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	st, err := s.store.CommentSettings(ctx)
	if err != nil || st.Mode != jarchy.CommentModePre || st.CloseAfterDays != 7 || !st.TrustNewcomers || strings.Join(st.Words, "|") != "buy now|казино" {
		t.Fatalf("saved settings %+v, %v", st, err)
	}
	res, body = c.post("/newsroom/comments/settings", url.Values{"mode": {"pre"}, "close": {"-1"}, "words": {"x"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Число дней должно быть от 0 до 36500")
}

// TestCommentQueueManyArticles: the queue names the article of every
// comment on it (read with one ArticlesByID), linking those that are
// public and naming the others without a link.
func TestCommentQueueManyArticles(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "editor@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	first, c1 := commentFixture(t, s.store, "Биринчи макалага пикир", "Биринчи макалага дагы пикир")
	second, c2 := commentFixture(t, s.store, "Экинчи макалага пикир")
	hidden, c3 := commentFixture(t, s.store, "Үчүнчү пикир")
	for a, title := range map[*jarchy.Article]string{first: "Биринчи макала", second: "Экинчи макала", hidden: "Жашырылган макала"} {
		a.Title = title
		if a == hidden {
			a.Status = jarchy.StatusUnpublished
		}
		if err := s.store.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	ed := newClient(t, s.srv.URL)
	ed.login("editor@example.kg")
	res, body := ed.get("/newsroom/comments")
	wantStatus(t, res, body, http.StatusOK)
	link := func(a *jarchy.Article, c *jarchy.Comment, title string) string {
		return `<a href="/ky/news/` + a.Slug + `#c-` + strconv.FormatInt(c.ID, 10) + `">` + title + `</a>`
	}
	wantContains(t, body,
		link(first, c1[0], "Биринчи макала"), link(first, c1[1], "Биринчи макала"),
		link(second, c2[0], "Экинчи макала"), `value="`+strconv.FormatInt(c3[0].ID, 10)+`"`,
		`<p class="nr-comment-article">Жашырылган макала · <a href="/newsroom/comments?status=pending&amp;article=`+strconv.FormatInt(hidden.ID, 10)+`">`)
	if strings.Contains(body, `href="/ky/news/`+hidden.Slug) {
		t.Error("the queue links to an article that is not public")
	}
}
