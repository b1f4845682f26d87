package newsroom_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// adminGETs and adminPOSTs are every admin route (with an {id} that exists
// in adminFixture).
var (
	adminGETs  = []string{"/newsroom/sections", "/newsroom/sections/%d", "/newsroom/pages", "/newsroom/pages/new", "/newsroom/pages/%d", "/newsroom/settings", "/newsroom/users", "/newsroom/audit"}
	adminPOSTs = []string{"/newsroom/sections", "/newsroom/sections/%d", "/newsroom/sections/%d/delete", "/newsroom/pages", "/newsroom/pages/%d", "/newsroom/pages/%d/delete",
		"/newsroom/settings", "/newsroom/users", "/newsroom/users/%d/role", "/newsroom/users/%d/disable", "/newsroom/users/%d/enable"}
)

// adminFixture is a stack with an admin (whose newsroom is in lang), an
// editor and an author, an empty section, a page, and a client logged in
// as the admin.
type adminFixture struct {
	*stack
	admin, editor, author *jarchy.User
	section               *jarchy.Section
	page                  *jarchy.Page
	c                     *client
}

func newAdminFixture(t *testing.T, lang jarchy.Lang) *adminFixture {
	s := newSQLiteStack(t)
	f := &adminFixture{stack: s,
		admin:  addUser(t, s.store, "admin@example.kg", jarchy.RoleAdmin, lang),
		editor: addUser(t, s.store, "editor@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz),
		author: addUser(t, s.store, "author@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz),
	}
	f.section = &jarchy.Section{Slug: "sport", Position: 5, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Спорт", jarchy.Russian: "Спорт", jarchy.English: "Sport"}}
	if err := s.store.SaveSection(ctx, f.section); err != nil {
		t.Fatal(err)
	}
	f.page = &jarchy.Page{Lang: jarchy.Kyrgyz, Title: "Биз жөнүндө", Body: "Жарчы — *гезит*."}
	if err := s.store.SavePage(ctx, f.page); err != nil {
		t.Fatal(err)
	}
	f.c = newClient(t, s.srv.URL)
	f.c.login("admin@example.kg")
	return f
}

func (f *adminFixture) path(p string) string {
	if !strings.Contains(p, "%d") {
		return p
	}
	switch {
	case strings.HasPrefix(p, "/newsroom/sections"):
		return fmt.Sprintf(p, f.section.ID)
	case strings.HasPrefix(p, "/newsroom/pages"):
		return fmt.Sprintf(p, f.page.ID)
	default:
		return fmt.Sprintf(p, f.author.ID)
	}
}

// TestAdminPagesAreAdminsOnly: editors and authors get 403 on every admin
// page and action, with a valid form token, and nothing changes.
func TestAdminPagesAreAdminsOnly(t *testing.T) {
	f := newAdminFixture(t, jarchy.Kyrgyz)
	for _, email := range []string{"editor@example.kg", "author@example.kg"} {
		c := newClient(t, f.srv.URL)
		c.login(email)
		for _, p := range adminGETs {
			res, body := c.get(f.path(p))
			wantStatus(t, res, body, http.StatusForbidden)
		}
		for _, p := range adminPOSTs {
			res, body := c.post(f.path(p), url.Values{"slug": {"hacked"}, "name_ky": {"Бузулду"}, "role": {"admin"}, "title": {"x"},
				"email": {"evil@example.kg"}, "name": {"Evil"}, "password": {"long enough password"}, "lang": {"ky"}})
			wantStatus(t, res, body, http.StatusForbidden)
		}
		// The menu does not offer them.
		_, body := c.get("/newsroom/")
		if strings.Contains(body, `href="/newsroom/users"`) || strings.Contains(body, `href="/newsroom/sections"`) {
			t.Errorf("%s's menu links to admin pages", email)
		}
	}
	secs, _ := f.store.Sections(ctx)
	users, _ := f.store.Users(ctx)
	p, _ := f.store.Page(ctx, f.page.ID)
	author, _ := f.store.User(ctx, f.author.ID)
	if len(secs) != 1 || secs[0].Slug != "sport" || len(users) != 3 || p == nil || author.Role != jarchy.RoleAuthor || author.Disabled {
		t.Fatalf("forbidden requests changed something: sections %v, %d users, page %v, author %+v", secs, len(users), p, author)
	}
	// The admin reaches every page.
	for _, p := range adminGETs {
		res, body := f.c.get(f.path(p))
		wantStatus(t, res, body, http.StatusOK)
	}
	_, body := f.c.get("/newsroom/")
	wantContains(t, body, `href="/newsroom/users"`, `href="/newsroom/audit"`)
}

// TestAdminSections: creating a section with bad fields comes back with
// messages in the admin's language and what was typed; a good one shows
// in the public menu at once (through the page cache); deleting one that
// holds articles is refused with their number, an empty one goes.
func TestAdminSections(t *testing.T) {
	f := newAdminFixture(t, jarchy.Russian)
	pub := newClient(t, f.srv.URL)
	pub.get("/ky/")
	if res, _ := pub.get("/ky/"); res.Header.Get("X-Cache") != "hit" {
		t.Fatalf("the public home is not cached: %q", res.Header.Get("X-Cache"))
	}
	long := strings.Repeat("ы", jarchy.MaxNameLen+1)
	res, body := f.c.post("/newsroom/sections", url.Values{"slug": {"tag"}, "name_ky": {"Теги <b>"}, "name_ru": {long}, "position": {"два"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Исправьте отмеченные поля", "Слишком длинно", "Введите целое число.", `value="Теги &lt;b&gt;"`, `value="tag"`, `value="два"`)
	res, body = f.c.post("/newsroom/sections", url.Values{"slug": {"tag"}, "name_ky": {"Теги"}, "position": {"2"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Этот адрес (slug) занят самим сайтом, выберите другой.", `value="Теги"`)
	res, body = f.c.post("/newsroom/sections", url.Values{"slug": {"sport"}, "name_ky": {"Экинчи спорт"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Этот адрес (slug) уже занят.")
	if secs, _ := f.store.Sections(ctx); len(secs) != 1 {
		t.Fatalf("refused forms created sections: %+v", secs)
	}

	res, body = f.c.post("/newsroom/sections", url.Values{"name_ky": {"Маданият"}, "name_ru": {"Культура"}, "name_en": {"Culture"}, "position": {"3"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	secs, _ := f.store.Sections(ctx)
	if len(secs) != 2 || secs[0].Slug != "madaniyat" || secs[0].Names[jarchy.English] != "Culture" || secs[0].Position != 3 {
		t.Fatalf("sections after the create: %+v", secs)
	}
	if _, body := pub.get("/ky/"); !strings.Contains(body, `href="/ky/madaniyat/"`) {
		t.Error("the public menu does not show the new section")
	}

	// Edit: rename, keep the slug.
	culture := secs[0]
	res, body = f.c.post(fmt.Sprintf("/newsroom/sections/%d", culture.ID), url.Values{"slug": {"madaniyat"}, "name_ky": {"Маданият жана искусство"}, "position": {"4"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = f.c.post(fmt.Sprintf("/newsroom/sections/%d", culture.ID), url.Values{"slug": {"sport"}, "name_ky": {"Маданият"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Этот адрес (slug) уже занят.", `value="Маданият"`)

	// An article in "sport": its deletion is refused, with the count.
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Футбол", Section: jarchy.Section{ID: f.section.ID}, Status: jarchy.StatusDraft}
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	res, body = f.c.post(fmt.Sprintf("/newsroom/sections/%d/delete", f.section.ID), nil)
	wantStatus(t, res, body, http.StatusConflict)
	wantContains(t, body, "Раздел: нельзя удалить, в нём есть материалы (1). Сначала перенесите их в другой раздел или удалите.")
	res, body = f.c.post(fmt.Sprintf("/newsroom/sections/%d/delete", culture.ID), nil)
	wantStatus(t, res, body, http.StatusSeeOther)
	if secs, _ := f.store.Sections(ctx); len(secs) != 1 || secs[0].ID != f.section.ID {
		t.Fatalf("sections after the deletes: %+v", secs)
	}
	_, body = f.c.get("/newsroom/sections?deleted=1")
	wantContains(t, body, "Удалено.")
	if _, body := pub.get("/ky/"); strings.Contains(body, `href="/ky/madaniyat/"`) {
		t.Error("the public menu still shows the deleted section")
	}
}

// TestAdminPages: a page form refused keeps its text; the preview renders
// the Markdown through the site's pipeline (script gone); a saved page is
// on the site, a deleted one is not.
func TestAdminPages(t *testing.T) {
	f := newAdminFixture(t, jarchy.Kyrgyz)
	md := "Биз *көз карандысыз* гезитпиз.\n\n<script>alert(1)</script>"
	res, body := f.c.post("/newsroom/pages", url.Values{"lang": {"ky"}, "title": {"  "}, "body": {md}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Толтуруу милдеттүү.", html.EscapeString(md))
	res, body = f.c.post("/newsroom/pages", url.Values{"lang": {"ky"}, "title": {"Байланыш"}, "body": {md}, "preview": {"1"}})
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "<em>көз карандысыз</em>")
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("the preview lets a script through")
	}
	if pages, _ := f.store.Pages(ctx, ""); len(pages) != 1 {
		t.Fatalf("a preview saved a page: %d pages", len(pages))
	}
	res, body = f.c.post("/newsroom/pages", url.Values{"lang": {"ky"}, "title": {"Биз жөнүндө"}, "slug": {f.page.Slug}, "body": {md}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Бул дарек (slug) мурунтан бар.")
	res, body = f.c.post("/newsroom/pages", url.Values{"lang": {"ky"}, "title": {"Байланыш"}, "body": {md}})
	wantStatus(t, res, body, http.StatusSeeOther)
	pub := newClient(t, f.srv.URL)
	res, body = pub.get("/ky/page/baylanysh")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "<em>көз карандысыз</em>")

	// Edit the old page, then delete it.
	res, body = f.c.post(fmt.Sprintf("/newsroom/pages/%d", f.page.ID), url.Values{"lang": {"ky"}, "title": {"Биз жөнүндө"}, "slug": {f.page.Slug}, "body": {"Жаңы **текст**."}})
	wantStatus(t, res, body, http.StatusSeeOther)
	_, body = f.c.get(fmt.Sprintf("/newsroom/pages/%d", f.page.ID))
	wantContains(t, body, "<strong>текст</strong>", "Жаңы **текст**.")
	res, body = f.c.post(fmt.Sprintf("/newsroom/pages/%d/delete", f.page.ID), nil)
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = pub.get("/ky/page/" + f.page.Slug)
	wantStatus(t, res, body, http.StatusNotFound)
	res, body = f.c.get(fmt.Sprintf("/newsroom/pages/%d", f.page.ID))
	wantStatus(t, res, body, http.StatusNotFound)
}

// TestAdminSettings: wrong links and a wrong channel name come back with
// messages and as typed, changing nothing; good settings reach the site.
func TestAdminSettings(t *testing.T) {
	f := newAdminFixture(t, jarchy.English)
	bad := url.Values{"site_name_ky": {"Жарчы"}, "social_x": {"javascript:alert(1)"}, "social_facebook": {"https://facebook.com/jarchy"},
		"telegram_channel": {"ab"}}
	res, body := f.c.post("/newsroom/settings", bad)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "The link must start with http or https.", `value="javascript:alert(1)"`, `value="https://facebook.com/jarchy"`, `value="ab"`)
	bad.Set("social_x", "https://x.com/jarchy")
	res, body = f.c.post("/newsroom/settings", bad)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "A Telegram channel name has 5 to 32 Latin letters", `value="ab"`)
	if st, _ := f.store.Settings(ctx); len(st.Social) != 0 || len(st.SiteName) != 0 {
		t.Fatalf("refused settings were saved: %+v", st)
	}
	good := url.Values{"site_name_ky": {"Жарчы KG"}, "site_name_en": {"Herald"}, "social_x": {"https://x.com/jarchy"}, "telegram_channel": {"@jarchy_kg"}}
	res, body = f.c.post("/newsroom/settings", good)
	wantStatus(t, res, body, http.StatusSeeOther)
	_, body = f.c.get("/newsroom/settings?saved=1")
	wantContains(t, body, "Saved.", `value="Жарчы KG"`, `value="jarchy_kg"`, `value="https://x.com/jarchy"`)
	_, body = newClient(t, f.srv.URL).get("/ky/")
	wantContains(t, body, "Жарчы KG", `href="https://x.com/jarchy"`, `href="https://t.me/jarchy_kg"`)
}

// TestAdminUsers: adding a user (refused fields come back, the password
// never), changing a role, disabling (the user's session ends at once)
// and enabling; an admin cannot demote or disable themselves; every step
// is in the audit log, which admins read.
func TestAdminUsers(t *testing.T) {
	f := newAdminFixture(t, jarchy.Kyrgyz)
	res, body := f.c.post("/newsroom/users", url.Values{"email": {"not-an-email"}, "name": {"Бекзат"}, "role": {"editor"}, "lang": {"ru"}, "password": {"short"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, `value="not-an-email"`, `value="Бекзат"`, "Сырсөз")
	if strings.Contains(body, `value="short"`) {
		t.Error("the refused form shows the password")
	}
	res, body = f.c.post("/newsroom/users", url.Values{"email": {"EDITOR@example.kg"}, "name": {"Бекзат"}, "role": {"editor"}, "lang": {"ru"}, "password": {"long enough password"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "электрондук почта")
	res, body = f.c.post("/newsroom/users", url.Values{"email": {"bekzat@example.kg"}, "name": {"Бекзат"}, "role": {"editor"}, "lang": {"ru"}, "password": {"long enough password"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	u, err := f.store.UserByEmail(ctx, "bekzat@example.kg")
	if err != nil || u.Role != jarchy.RoleEditor || u.Lang != jarchy.Russian {
		t.Fatalf("added user: %+v, %v", u, err)
	}

	other := newClient(t, f.srv.URL)
	other.get("/newsroom/login")
	res, body = other.post("/newsroom/login", url.Values{"email": {"bekzat@example.kg"}, "password": {"long enough password"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = other.get("/newsroom/")
	wantStatus(t, res, body, http.StatusOK)

	res, body = f.c.post(fmt.Sprintf("/newsroom/users/%d/role", u.ID), url.Values{"role": {"author"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = f.c.post(fmt.Sprintf("/newsroom/users/%d/role", u.ID), url.Values{"role": {"system"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	res, body = f.c.post(fmt.Sprintf("/newsroom/users/%d/disable", u.ID), nil)
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = other.get("/newsroom/")
	wantStatus(t, res, body, http.StatusSeeOther) // to the login form: the session ended
	res, body = f.c.post(fmt.Sprintf("/newsroom/users/%d/enable", u.ID), nil)
	wantStatus(t, res, body, http.StatusSeeOther)
	if u, _ = f.store.User(ctx, u.ID); u.Role != jarchy.RoleAuthor || u.Disabled {
		t.Fatalf("user after role, disable, enable: %+v", u)
	}

	for _, p := range []string{"/newsroom/users/%d/role", "/newsroom/users/%d/disable"} {
		res, body = f.c.post(fmt.Sprintf(p, f.admin.ID), url.Values{"role": {"author"}})
		wantStatus(t, res, body, http.StatusConflict)
		wantContains(t, body, "Өзүңүздүн ролуңузду өзгөртүүгө")
	}
	if a, _ := f.store.User(ctx, f.admin.ID); a.Role != jarchy.RoleAdmin || a.Disabled {
		t.Fatalf("the admin changed themselves: %+v", a)
	}

	_, body = f.c.get("/newsroom/audit?kind=user")
	for _, want := range []string{"колдонуучу кошту", "ролун өзгөрттү", "бөгөттөдү", "бөгөттөн чыгарды", "bekzat@example.kg", "editor → author"} {
		if !strings.Contains(body, html.EscapeString(want)) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	if !strings.Contains(body, ">admin</td>") { // the actor: the admin's name
		t.Errorf("the audit page does not name the admin as the actor")
	}
}

// TestAdminAuditPaging: the log pages by 50, newest first, with links
// both ways; a bad page number is a 400, a page past the end a 404.
func TestAdminAuditPaging(t *testing.T) {
	f := newAdminFixture(t, jarchy.English)
	actx := jarchy.WithActor(ctx, jarchy.Actor{Name: "import"})
	for i := range 60 {
		a := &jarchy.Article{Lang: jarchy.English, Title: fmt.Sprintf("Story %02d", i), Section: jarchy.Section{ID: f.section.ID},
			Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
		if err := f.store.SaveArticle(actx, a); err != nil {
			t.Fatal(err)
		}
	}
	res, body := f.c.get("/newsroom/audit?kind=article")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "Story 59", "Page 1, 60 entries in all", `href="/newsroom/audit?kind=article&amp;page=2"`, ">import</td>", ">published</td>")
	if n := strings.Count(body, `class="nr-audit-article"`); n != 50 {
		t.Errorf("page 1 has %d rows, want 50", n)
	}
	res, body = f.c.get("/newsroom/audit?kind=article&page=2")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "Story 00", "Story 09", `href="/newsroom/audit?kind=article"`)
	if strings.Contains(body, "Story 10<") || strings.Count(body, `class="nr-audit-article"`) != 10 {
		t.Errorf("page 2 is not the 10 oldest")
	}
	res, body = f.c.get("/newsroom/audit?page=abc")
	wantStatus(t, res, body, http.StatusBadRequest)
	res, body = f.c.get("/newsroom/audit?kind=article&page=3")
	wantStatus(t, res, body, http.StatusNotFound)
	res, body = f.c.get("/newsroom/audit?kind=nonsense")
	wantStatus(t, res, body, http.StatusBadRequest)
}
