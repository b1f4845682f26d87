package newsroom_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/sqlite"
)

// TestAuthorWritesAndSubmits: an author's editor offers only the author's
// moves; a Kyrgyz article submitted for review is stored with its owner,
// the derived Latin slug, tags created on the fly, and a revision naming
// the author and the action.
func TestAuthorWritesAndSubmits(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	au := addUser(t, s.store, "aigul@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	c := newClient(t, s.srv.URL)
	c.login("aigul@example.kg")

	res, body := c.get("/newsroom/articles/new")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `value="draft"`, `value="review"`, "Текшерүүгө жөнөтүү")
	for _, forbidden := range []string{`name="to" value="published"`, `name="to" value="scheduled"`} {
		if strings.Contains(body, forbidden) {
			t.Errorf("an author's editor offers %s", forbidden)
		}
	}

	res, body = c.post("/newsroom/articles/new", url.Values{
		"title": {"Өкмөт жаңы мыйзам долбоорун сунуштады"}, "lead": {"Кыскача"}, "body": {"Мыйзам **жарандар** үчүн."},
		"section": {strconv.FormatInt(politics, 10)}, "lang": {"ky"}, "tags": {"Мыйзам, Өкмөт, мыйзам"},
		"authors": {"Айгүл Асанова"}, "to": {"review"},
	})
	wantStatus(t, res, body, http.StatusSeeOther)
	a := loadArticle(t, s.store, idFromLocation(t, res))
	if a.Status != jarchy.StatusReview || a.OwnerID != au.ID {
		t.Fatalf("stored: status %s, owner %d; want review, %d", a.Status, a.OwnerID, au.ID)
	}
	if a.Slug != "okmot-jangy-myyzam-dolboorun-sunushtady" {
		t.Errorf("slug %q, want okmot-jangy-myyzam-dolboorun-sunushtady", a.Slug)
	}
	if len(a.Tags) != 2 || a.Tags[0].Name != "Мыйзам" || a.Tags[1].Name != "Өкмөт" || len(a.Authors) != 1 {
		t.Errorf("tags %+v, authors %+v: want Мыйзам, Өкмөт and one author", a.Tags, a.Authors)
	}
	revs, err := s.store.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 1 || revs[0].AuthorID != au.ID || revs[0].Note != "submit" {
		t.Fatalf("revisions %+v, %v: want one by the author, note submit", revs, err)
	}

	// In review, the author may only take it back; the editor's page says so.
	res, body = c.get("/newsroom/articles/" + strconv.FormatInt(a.ID, 10))
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "Текшерүүдө", `name="to" value="draft"`)
	if strings.Contains(body, `name="to" value="review"`) {
		t.Error("the author may save an article in review")
	}
}

// TestTransitionsPerRole: the buttons and the POSTs follow the workflow
// table for the user's role; a forbidden move is 403 and changes nothing.
func TestTransitionsPerRole(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	author := addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.English)
	addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.English)
	addUser(t, s.store, "admin@example.kg", jarchy.RoleAdmin, jarchy.English)
	other := addUser(t, s.store, "other@example.kg", jarchy.RoleAuthor, jarchy.English)
	clients := map[string]*client{}
	for _, e := range []string{"au@example.kg", "ed@example.kg", "admin@example.kg", "other@example.kg"} {
		clients[e] = newClient(t, s.srv.URL)
		clients[e].login(e)
	}
	article := func(st jarchy.Status, owner int64) *jarchy.Article {
		a := &jarchy.Article{Lang: jarchy.English, Title: "Story in " + string(st), Body: "Text.",
			Section: jarchy.Section{ID: politics}, Status: st, OwnerID: owner}
		if st == jarchy.StatusScheduled {
			a.PublishedAt = time.Now().Add(48 * time.Hour)
		}
		return saveArticle(t, s.store, a)
	}
	future := time.Now().Add(24 * time.Hour).In(bishkek).Format("2006-01-02T15:04")
	for _, c := range []struct {
		who    string
		from   jarchy.Status
		owner  int64
		to     jarchy.Status
		time   string
		status int
		want   jarchy.Status // the stored state after an allowed move
	}{
		{"au@example.kg", jarchy.StatusDraft, author.ID, jarchy.StatusDraft, "", 303, jarchy.StatusDraft},
		{"au@example.kg", jarchy.StatusDraft, author.ID, jarchy.StatusReview, "", 303, jarchy.StatusReview},
		{"au@example.kg", jarchy.StatusDraft, author.ID, jarchy.StatusPublished, "", 403, ""},
		{"au@example.kg", jarchy.StatusDraft, author.ID, jarchy.StatusScheduled, future, 403, ""},
		{"au@example.kg", jarchy.StatusReview, author.ID, jarchy.StatusReview, "", 403, ""},
		{"au@example.kg", jarchy.StatusReview, author.ID, jarchy.StatusDraft, "", 303, jarchy.StatusDraft},
		{"au@example.kg", jarchy.StatusPublished, author.ID, jarchy.StatusUnpublished, "", 403, ""},
		{"other@example.kg", jarchy.StatusDraft, author.ID, jarchy.StatusDraft, "", 403, ""}, // not theirs
		{"au@example.kg", jarchy.StatusDraft, 0, jarchy.StatusDraft, "", 403, ""},            // an import
		{"ed@example.kg", jarchy.StatusReview, author.ID, jarchy.StatusScheduled, future, 303, jarchy.StatusScheduled},
		{"ed@example.kg", jarchy.StatusReview, author.ID, jarchy.StatusPublished, future, 303, jarchy.StatusScheduled}, // a time to come: scheduled
		{"ed@example.kg", jarchy.StatusReview, author.ID, jarchy.StatusPublished, "", 303, jarchy.StatusPublished},
		{"ed@example.kg", jarchy.StatusPublished, author.ID, jarchy.StatusUnpublished, "", 303, jarchy.StatusUnpublished},
		{"ed@example.kg", jarchy.StatusPublished, author.ID, jarchy.StatusReview, "", 403, ""},
		{"ed@example.kg", jarchy.StatusScheduled, author.ID, jarchy.StatusDraft, "", 303, jarchy.StatusDraft},
		{"admin@example.kg", jarchy.StatusUnpublished, other.ID, jarchy.StatusPublished, "", 303, jarchy.StatusPublished},
		{"admin@example.kg", jarchy.StatusUnpublished, other.ID, jarchy.StatusScheduled, future, 403, ""},
	} {
		name := c.who + " " + string(c.from) + "→" + string(c.to)
		a := article(c.from, c.owner)
		form := editorForm(a, c.to)
		form.Set("title", "Changed")
		if c.time != "" {
			form.Set("published_at", c.time)
		}
		if c.to == jarchy.StatusPublished && c.time == "" {
			form.Del("published_at")
		}
		res, body := clients[c.who].post("/newsroom/articles/"+strconv.FormatInt(a.ID, 10), form)
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d\n%s", name, res.StatusCode, c.status, body)
			continue
		}
		got := loadArticle(t, s.store, a.ID)
		if c.status != 303 {
			if got.Version != a.Version || got.Title != a.Title || got.Status != a.Status {
				t.Errorf("%s: refused, yet stored version %d title %q status %s", name, got.Version, got.Title, got.Status)
			}
			continue
		}
		if got.Status != c.want || got.Title != "Changed" {
			t.Errorf("%s: stored status %s title %q, want %s Changed", name, got.Status, got.Title, c.want)
		}
	}

	// The editor's buttons on an article in review.
	a := article(jarchy.StatusReview, author.ID)
	_, body := clients["ed@example.kg"].get("/newsroom/articles/" + strconv.FormatInt(a.ID, 10))
	for _, v := range []string{"review", "draft", "scheduled", "published"} {
		wantContains(t, body, `name="to" value="`+v+`"`)
	}
	if strings.Contains(body, `name="to" value="unpublished"`) {
		t.Error("an article in review offers unpublish")
	}
}

// TestConflictPage: two editors open the same version; the second save
// gets a conflict page with both versions word by word and writes nothing;
// carrying on with their text on top of the stored version then saves.
func TestConflictPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func() jarchy.Store) {
		s := newStack(t, open)
		politics, _ := seedSections(t, s.store)
		addUser(t, s.store, "asel@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
		addUser(t, s.store, "bakyt@example.kg", jarchy.RoleEditor, jarchy.Russian)
		a := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Парламентте талкуу", Body: "Депутаттар бюджетти талкуулашты.",
			Section: jarchy.Section{ID: politics}, Status: jarchy.StatusDraft})
		path := "/newsroom/articles/" + strconv.FormatInt(a.ID, 10)
		asel, bakyt := newClient(t, s.srv.URL), newClient(t, s.srv.URL)
		asel.login("asel@example.kg")
		bakyt.login("bakyt@example.kg")
		asel.get(path)
		bakyt.get(path)

		first := editorForm(a, jarchy.StatusDraft)
		first.Set("title", "Парламентте кызуу талкуу")
		res, body := asel.post(path, first)
		wantStatus(t, res, body, http.StatusSeeOther)

		second := editorForm(a, jarchy.StatusDraft) // still based on the first version
		second.Set("body", "Депутаттар жаңы бюджетти узак талкуулашты.")
		res, body = bakyt.post(path, second)
		wantStatus(t, res, body, http.StatusConflict)
		wantContains(t, body, "Статью изменил кто-то другой", "<del>кызуу </del>",
			"<ins>жаңы </ins>", "Депутаттар жаңы бюджетти узак талкуулашты.", "Оставить их версию")
		stored := loadArticle(t, s.store, a.ID)
		if stored.Title != "Парламентте кызуу талкуу" || stored.Body != a.Body || stored.Version != a.Version+1 {
			t.Fatalf("after the conflict: title %q body %q version %d: the second save wrote", stored.Title, stored.Body, stored.Version)
		}

		// "Continue with my text": the editor with Bakyt's text on Asel's version.
		mine := url.Values{}
		for k, v := range second {
			mine[k] = v
		}
		mine.Set("version", strconv.FormatInt(stored.Version, 10))
		mine.Set("edit", "1")
		mine.Del("to")
		res, body = bakyt.post(path, mine)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Депутаттар жаңы бюджетти узак талкуулашты.", `name="version" value="`+strconv.FormatInt(stored.Version, 10)+`"`)
		mine.Del("edit")
		mine.Set("to", "draft")
		res, body = bakyt.post(path, mine)
		wantStatus(t, res, body, http.StatusSeeOther)
		if got := loadArticle(t, s.store, a.ID); got.Body != "Депутаттар жаңы бюджетти узак талкуулашты." {
			t.Errorf("body %q after the deliberate save", got.Body)
		}
	})
}

// TestAutosaveIsNoPublicChange: autosaving a draft (creating it, then
// updating it) answers JSON, never publishes even when asked, and leaves
// the cached public pages hits; a published article is not autosaved.
func TestAutosaveIsNoPublicChange(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func() jarchy.Store) {
		s := newStack(t, open)
		politics, _ := seedSections(t, s.store)
		pub := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Жарыяланган жаңылык", Body: "Текст.",
			Section: jarchy.Section{ID: politics}, Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour),
			Tags: []jarchy.Tag{{Name: "Бар тег"}}})
		addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
		addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
		reader := newClient(t, s.srv.URL)
		pages := []string{"/ky/", "/ky/politics/" + pub.Slug, "/ky/feed/rss.xml"}
		for _, p := range pages {
			reader.get(p)
			if res, _ := reader.get(p); res.Header.Get("X-Cache") != "hit" {
				t.Fatalf("%s not cached before the test: X-Cache %q", p, res.Header.Get("X-Cache"))
			}
		}

		c := newClient(t, s.srv.URL)
		c.login("au@example.kg")
		form := url.Values{"title": {"Автосактоо"}, "body": {"Биринчи сүйлөм."}, "lang": {"ky"},
			"section": {strconv.FormatInt(politics, 10)}, "to": {"published"},
			"tags": {"Жаңы тег, Бар тег"}, "authors": {"Жаңы автор"}}
		res, body := c.post("/newsroom/articles/new/autosave", form)
		wantStatus(t, res, body, http.StatusOK)
		var ans struct {
			ID      int64
			Version int64
			URL     string
		}
		if err := json.Unmarshal([]byte(body), &ans); err != nil || ans.ID == 0 || ans.URL == "" {
			t.Fatalf("autosave answer %s (%v)", body, err)
		}
		form.Set("body", "Биринчи сүйлөм. Экинчи сүйлөм.")
		form.Set("version", strconv.FormatInt(ans.Version, 10))
		res, body = c.post(ans.URL+"/autosave", form)
		wantStatus(t, res, body, http.StatusOK)
		got := loadArticle(t, s.store, ans.ID)
		if got.Status != jarchy.StatusDraft || got.Body != "Биринчи сүйлөм. Экинчи сүйлөм." || got.Version != 2 {
			t.Fatalf("autosaved: status %s, body %q, version %d", got.Status, got.Body, got.Version)
		}
		if len(got.Tags) != 1 || got.Tags[0].Name != "Бар тег" || len(got.Authors) != 0 {
			t.Errorf("autosaved tags %+v, authors %+v: want only the existing tag (creating one is public)", got.Tags, got.Authors)
		}
		for _, p := range pages {
			if res, _ := reader.get(p); res.Header.Get("X-Cache") != "hit" {
				t.Errorf("%s after autosave: X-Cache %q, want hit", p, res.Header.Get("X-Cache"))
			}
		}

		ed := newClient(t, s.srv.URL)
		ed.login("ed@example.kg")
		pf := editorForm(pub, "")
		pf.Set("title", "Башкача")
		res, body = ed.post("/newsroom/articles/"+strconv.FormatInt(pub.ID, 10)+"/autosave", pf)
		wantStatus(t, res, body, http.StatusConflict)
		if loadArticle(t, s.store, pub.ID).Title != "Жарыяланган жаңылык" {
			t.Error("a published article was autosaved")
		}
	})
}

// TestFormComesBackWithErrors: refused fields come back with messages in
// the user's language (Russian here) and everything typed intact, the
// typed hostile text escaped; nothing is stored.
func TestFormComesBackWithErrors(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	taken := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Russian, Title: "Занятый адрес", Slug: "zanyatyi",
		Section: jarchy.Section{ID: politics}})
	addUser(t, s.store, "ivan@example.kg", jarchy.RoleAuthor, jarchy.Russian)
	c := newClient(t, s.srv.URL)
	c.login("ivan@example.kg")
	body := "Текст <script>alert(1)</script> & «кавычки»\nвторая строка"
	base := url.Values{"title": {"Новости"}, "lead": {"Лид статьи"}, "body": {body}, "lang": {"ru"},
		"section": {strconv.FormatInt(politics, 10)}, "tags": {"Бишкек, Выборы"}, "to": {"draft"}}
	for _, c2 := range []struct {
		name, field, value, msg string
	}{
		{"empty title", "title", "   ", "Обязательное поле."},
		{"long title", "title", strings.Repeat("ж", jarchy.MaxTitleLen+1), "Слишком длинно."},
		{"long SEO description", "seo_description", strings.Repeat("о", jarchy.MaxSEODescriptionLen+1), "Слишком длинно."},
		{"taken slug", "slug", taken.Slug, "Этот адрес (slug) уже занят."},
		{"unknown section", "section", "999999", "Такого раздела нет."},
		{"no section", "section", "", "Выберите раздел."},
		{"bad time", "published_at", "завтра", "Неверное время"},
	} {
		form := url.Values{}
		for k, v := range base {
			form[k] = v
		}
		form.Set(c2.field, c2.value)
		res, page := c.post("/newsroom/articles/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c2.name, res.StatusCode)
			continue
		}
		wantContains(t, page, c2.msg, `aria-invalid="true"`, html.EscapeString(body), `value="Бишкек, Выборы"`, "Лид статьи")
		if c2.field != "title" {
			wantContains(t, page, `value="Новости"`)
		} else if c2.value != "   " {
			wantContains(t, page, `value="`+c2.value+`"`)
		}
		if strings.Contains(page, "<script>alert(1)") {
			t.Errorf("%s: typed script not escaped", c2.name)
		}
	}
	list, err := s.store.Articles(ctx, jarchy.ArticleFilter{})
	if err != nil || list.Total != 1 {
		t.Errorf("stored articles %d (%v), want only the one there before", list.Total, err)
	}
}

// TestPublishedEditMovesDateModified: an editor's edit of a published
// article drops its cached page, and the page's dateModified follows the
// edit.
func TestPublishedEditMovesDateModified(t *testing.T) {
	var shift atomic.Int64 // the store's clock runs ahead of time by this
	st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
	t.Cleanup(func() { st.Close() })
	st.(*sqlite.DB).Now = func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
	s := startStack(t, st, "")
	politics, _ := seedSections(t, s.store)
	addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	a := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Шайлоонун жыйынтыгы", Body: "Биринчи текст.",
		Section: jarchy.Section{ID: politics}, Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-2 * time.Hour)})
	reader := newClient(t, s.srv.URL)
	page := "/ky/politics/" + a.Slug
	dates := func() (published, modified string, cache string) {
		res, body := reader.get(page)
		wantStatus(t, res, body, http.StatusOK)
		p := regexp.MustCompile(`"datePublished":"([^"]+)"`).FindStringSubmatch(body)
		m := regexp.MustCompile(`"dateModified":"([^"]+)"`).FindStringSubmatch(body)
		if p == nil || m == nil {
			t.Fatalf("no JSON-LD dates on %s", page)
		}
		return p[1], m[1], res.Header.Get("X-Cache")
	}
	pub, mod, _ := dates()
	if pub != mod {
		t.Fatalf("before the edit: dateModified %s, datePublished %s", mod, pub)
	}
	if _, _, c := dates(); c != "hit" {
		t.Fatalf("page not cached: X-Cache %q", c)
	}

	shift.Store(int64(time.Hour)) // the edit comes an hour later
	later := time.Now().Add(time.Hour)
	c := newClient(t, s.srv.URL)
	c.login("ed@example.kg")
	form := editorForm(a, jarchy.StatusPublished)
	form.Set("body", "Биринчи текст. Толуктоо.")
	res, body := c.post("/newsroom/articles/"+strconv.FormatInt(a.ID, 10), form)
	wantStatus(t, res, body, http.StatusSeeOther)
	pub2, mod2, cache := dates()
	if cache == "hit" {
		t.Error("the edited article's page was served from the cache")
	}
	edited, err := time.Parse(time.RFC3339, mod2)
	if pub2 != pub || mod2 == mod || err != nil || edited.Before(later.Add(-time.Second)) || edited.After(later.Add(time.Minute)) {
		t.Errorf("after the edit: datePublished %s (was %s), dateModified %s, want the edit's time %v", pub2, pub, mod2, later.In(bishkek))
	}
}
