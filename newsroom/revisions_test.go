package newsroom_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// TestRevisionsDiffRestore: the history lists every save with who made
// it; two revisions compare word by word, metadata included; restoring
// one makes a new revision with the old text and keeps the article's
// state.
func TestRevisionsDiffRestore(t *testing.T) {
	s := newSQLiteStack(t)
	politics, economy := seedSections(t, s.store)
	addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.English)
	c := newClient(t, s.srv.URL)
	c.login("ed@example.kg")
	res, body := c.post("/newsroom/articles/new", url.Values{"title": {"Budget passed"}, "body": {"The parliament passed the budget."},
		"lang": {"en"}, "section": {strconv.FormatInt(politics, 10)}, "to": {"published"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	id := idFromLocation(t, res)
	path := "/newsroom/articles/" + strconv.FormatInt(id, 10)
	a := loadArticle(t, s.store, id)
	form := editorForm(a, jarchy.StatusPublished)
	form.Set("title", "Budget for 2027 passed")
	form.Set("section", strconv.FormatInt(economy, 10))
	form.Set("body", "The parliament passed the new budget on Friday.")
	res, body = c.post(path, form)
	wantStatus(t, res, body, http.StatusSeeOther)

	res, body = c.get(path + "/revisions")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "publish", "update", ">ed<", "Budget for 2027 passed")
	ids := regexp.MustCompile(`name="a" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(ids) != 2 {
		t.Fatalf("%d revisions listed, want 2", len(ids))
	}
	newest, oldest := ids[0][1], ids[1][1]
	res, body = c.get(path + "/revisions/diff?a=" + oldest + "&b=" + newest)
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "<ins>for 2027 </ins>", "<del>Politics</del><ins>Economy</ins>", "<ins>new </ins>", "<ins> on Friday</ins>")

	a = loadArticle(t, s.store, id)
	res, body = c.post(path+"/revisions/"+oldest+"/restore", url.Values{"version": {strconv.FormatInt(a.Version, 10)}})
	wantStatus(t, res, body, http.StatusSeeOther)
	got := loadArticle(t, s.store, id)
	if got.Title != "Budget passed" || got.Section.ID != politics || got.Status != jarchy.StatusPublished || got.Version != a.Version+1 {
		t.Fatalf("restored: title %q section %d status %s version %d", got.Title, got.Section.ID, got.Status, got.Version)
	}
	revs, err := s.store.Revisions(ctx, id)
	if err != nil || len(revs) != 3 || !strings.HasPrefix(revs[0].Note, "restore version 1") {
		t.Fatalf("revisions after restore: %d, newest note %q (%v)", len(revs), revs[0].Note, err)
	}

	// A restore based on an old version changes nothing.
	res, body = c.post(path+"/revisions/"+newest+"/restore", url.Values{"version": {strconv.FormatInt(a.Version, 10)}})
	wantStatus(t, res, body, http.StatusConflict)
	if loadArticle(t, s.store, id).Version != got.Version {
		t.Error("a stale restore wrote")
	}
}

// TestTranslate: the translate action makes a linked draft in the other
// language, prefilled and owned by the user; asking again opens it.
func TestTranslate(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	au := addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	orig := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Бишкекте кар жаады", Lead: "Кыш келди",
		Body: "Шаарда биринчи кар.", Section: jarchy.Section{ID: politics}, Tags: []jarchy.Tag{{Name: "Аба ырайы"}},
		Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)})
	c := newClient(t, s.srv.URL)
	c.login("au@example.kg")
	path := "/newsroom/articles/" + strconv.FormatInt(orig.ID, 10) + "/translate"
	res, body := c.post(path, url.Values{"lang": {"ru"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	tr := loadArticle(t, s.store, idFromLocation(t, res))
	if tr.Lang != jarchy.Russian || tr.TranslationGroup != orig.TranslationGroup || tr.Status != jarchy.StatusDraft ||
		tr.Title != orig.Title || tr.Body != orig.Body || tr.OwnerID != au.ID || len(tr.Tags) != 1 {
		t.Fatalf("translation draft %+v", tr)
	}
	res, body = c.get("/newsroom/articles/" + strconv.FormatInt(tr.ID, 10))
	wantStatus(t, res, body, http.StatusOK) // the author owns the draft
	res, _ = c.post(path, url.Values{"lang": {"ru"}})
	if idFromLocation(t, res) != tr.ID {
		t.Error("a second translation into Russian was created")
	}
}

// TestDashboardAndList: a missed schedule heads the dashboard and stays
// there; the list filters by status, section, language and byline, and
// pages with the filters kept.
func TestDashboardAndList(t *testing.T) {
	s := newSQLiteStack(t)
	politics, economy := seedSections(t, s.store)
	ed := addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.English)
	saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Кечиккен макала", Section: jarchy.Section{ID: politics},
		Status: jarchy.StatusScheduled, PublishedAt: time.Now().Add(-time.Hour)})
	saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Эртеңки макала", Section: jarchy.Section{ID: politics},
		Status: jarchy.StatusScheduled, PublishedAt: time.Now().Add(time.Hour)})
	saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.English, Title: "My own draft", Section: jarchy.Section{ID: economy}, OwnerID: ed.ID})
	var batch []*jarchy.Article
	for i := range 33 {
		batch = append(batch, &jarchy.Article{Lang: jarchy.Russian, Title: "Статья " + strconv.Itoa(i), Section: jarchy.Section{ID: economy},
			Authors: []jarchy.Author{{Name: "Иван Петров"}}, Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Duration(i+2) * time.Hour)})
	}
	if err := s.store.SaveArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s.srv.URL)
	c.login("ed@example.kg")
	_, body := c.get("/newsroom/")
	missedAt := strings.Index(body, `id="missed"`)
	if missedAt < 0 || !strings.Contains(body[missedAt:], "Кечиккен макала") || strings.Contains(body[missedAt:strings.Index(body, `id="drafts"`)], "Эртеңки макала") {
		t.Fatal("the missed schedule is not listed alone under missed schedules")
	}
	wantContains(t, body, "Missed schedules", "My own draft", "Статья 0")
	sched := body[strings.Index(body, `id="scheduled"`):strings.Index(body, `id="published"`)]
	if !strings.Contains(sched, "Эртеңки макала") || strings.Contains(sched, "Кечиккен макала") {
		t.Error("scheduled: the coming schedule should be listed, the missed one not again")
	}

	_, body = c.get("/newsroom/articles?lang=ru&status=published&section=" + strconv.FormatInt(economy, 10))
	wantContains(t, body, "Total: 33", "Page 1 of 2", "Статья 0")
	if strings.Contains(body, "Кечиккен") || strings.Contains(body, "My own draft") {
		t.Error("the filtered list shows other articles")
	}
	next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no next page link")
	}
	_, body = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	wantContains(t, body, "Page 2 of 2", "Статья 32")
	if strings.Contains(body, "Статья 0<") {
		t.Error("page 2 repeats page 1")
	}
	_, body = c.get("/newsroom/articles?author=ivan-petrov")
	wantContains(t, body, "Total: 33")
	_, body = c.get("/newsroom/articles?author=nobody")
	wantContains(t, body, "Total: 0")
	res, body := c.get("/newsroom/articles?status=bogus")
	wantStatus(t, res, body, http.StatusBadRequest)
}

// TestPreview: the preview is the site's own markup pipeline: Markdown
// rendered, script dropped.
func TestPreview(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	c := newClient(t, s.srv.URL)
	c.login("au@example.kg")
	res, body := c.post("/newsroom/preview", url.Values{"body": {"**Калың** текст <script>alert(1)</script>"}})
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "<strong>Калың</strong>")
	if strings.Contains(body, "<script") {
		t.Errorf("preview kept a script: %s", body)
	}
	res, body = c.get("/newsroom/slug?lang=ky&title=" + url.QueryEscape("Өкмөт жаңы"))
	if strings.TrimSpace(body) != "okmot-jangy" {
		t.Errorf("slug hint %q, want okmot-jangy", body)
	}
}

// TestTranslateOthersDraft: an author may not translate another author's
// unpublished draft (the translation would copy its text); nothing is
// created. Their own draft they may.
func TestTranslateOthersDraft(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	other := addUser(t, s.store, "other@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	au := addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	secret := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Жашыруун долбоор", Body: "Жашыруун текст.",
		Section: jarchy.Section{ID: politics}, Status: jarchy.StatusDraft, OwnerID: other.ID})
	own := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Менин долбоорум", Body: "Текст.",
		Section: jarchy.Section{ID: politics}, Status: jarchy.StatusDraft, OwnerID: au.ID})
	c := newClient(t, s.srv.URL)
	c.login("au@example.kg")
	res, body := c.post("/newsroom/articles/"+strconv.FormatInt(secret.ID, 10)+"/translate", url.Values{"lang": {"ru"}})
	wantStatus(t, res, body, http.StatusForbidden)
	if got := loadArticle(t, s.store, secret.ID); len(got.Translations) != 0 {
		t.Errorf("a translation of another author's draft was created: %+v", got.Translations)
	}
	res, body = c.post("/newsroom/articles/"+strconv.FormatInt(own.ID, 10)+"/translate", url.Values{"lang": {"ru"}})
	wantStatus(t, res, body, http.StatusSeeOther)

	// Nor may the author join that draft's translation group by its number.
	c.get("/newsroom/articles/new")
	res, body = c.post("/newsroom/articles/new", url.Values{"title": {"Менин котормом"}, "body": {"Текст."}, "lang": {"ru"},
		"section": {strconv.FormatInt(politics, 10)}, "translation_of": {strconv.FormatInt(secret.ID, 10)}, "to": {"draft"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if got := loadArticle(t, s.store, secret.ID); len(got.Translations) != 0 {
		t.Errorf("another author's draft gained a linked translation: %+v", got.Translations)
	}
}
