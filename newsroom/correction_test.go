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

// TestCorrectionAndBreaking: an editor's edit of a published article
// marked as a correction adds a dated public note (and names it in the
// revision); a checked box without a note comes back with the message;
// editors flag the article as breaking news for N hours and end it,
// authors cannot.
func TestCorrectionAndBreaking(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.Russian)
	au := addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Russian)
	a := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Russian, Title: "Бюджет принят", Body: "Сумма 10 млрд.",
		Section: jarchy.Section{ID: politics}, Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour), OwnerID: au.ID})
	path := "/newsroom/articles/" + strconv.FormatInt(a.ID, 10)
	ed := newClient(t, s.srv.URL)
	ed.login("ed@example.kg")
	_, page := ed.get(path)
	wantContains(t, page, `name="correction"`, `name="hours"`, `href="/ru/politics/`+a.Slug+`"`)

	form := editorForm(a, jarchy.StatusPublished)
	form.Set("body", "Сумма 12 млрд.")
	form.Set("correction", "1")
	res, body := ed.post(path, form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Обязательное поле.", "Сумма 12 млрд.")
	if got := loadArticle(t, s.store, a.ID); got.Version != a.Version {
		t.Fatal("a refused correction was saved")
	}

	form.Set("correction_note", "Сумма бюджета исправлена: 12 млрд, а не 10.")
	res, body = ed.post(path, form)
	wantStatus(t, res, body, http.StatusSeeOther)
	got := loadArticle(t, s.store, a.ID)
	if len(got.Corrections) != 1 || got.Corrections[0].Text != "Сумма бюджета исправлена: 12 млрд, а не 10." || got.Corrections[0].At.IsZero() {
		t.Fatalf("corrections %+v", got.Corrections)
	}
	revs, err := s.store.Revisions(ctx, a.ID)
	if err != nil || len(revs) == 0 || !strings.HasPrefix(revs[0].Note, "correction: Сумма бюджета") {
		t.Errorf("newest revision note %q (%v)", revs[0].Note, err)
	}

	// An author sees neither control, and may not flag.
	author := newClient(t, s.srv.URL)
	author.login("au@example.kg")
	res, body = author.post(path+"/breaking", url.Values{"hours": {"2"}})
	wantStatus(t, res, body, http.StatusForbidden)

	res, body = ed.post(path+"/breaking", url.Values{"hours": {"100"}})
	wantStatus(t, res, body, http.StatusBadRequest)
	before := time.Now()
	res, body = ed.post(path+"/breaking", url.Values{"hours": {"2"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	got = loadArticle(t, s.store, a.ID)
	if got.BreakingUntil.Before(before.Add(2*time.Hour-time.Minute)) || got.BreakingUntil.After(time.Now().Add(2*time.Hour)) {
		t.Fatalf("breaking until %v, want two hours from now", got.BreakingUntil)
	}
	_, page = ed.get(path)
	wantContains(t, page, "Показывается как срочная до", `name="end"`)
	res, body = ed.post(path+"/breaking", url.Values{"end": {"1"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if news, err := s.store.BreakingNews(ctx); err != nil || len(news) != 0 {
		t.Errorf("breaking news after the end: %d (%v)", len(news), err)
	}
}
