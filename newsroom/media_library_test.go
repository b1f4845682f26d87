package newsroom_test

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/newsroom"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/web"
)

// mediaStack is the served application with a media folder: the newsroom
// stores uploads in it, and the public site serves them.
type mediaStack struct {
	*stack
	blobs *media.Dir
	dir   string
}

func startMediaStack(t testing.TB) *mediaStack {
	t.Helper()
	st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
	t.Cleanup(func() { st.Close() })
	dir := t.TempDir()
	blobs, err := media.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := web.New(web.Config{BaseURL: base, Logger: quiet}, st, blobs.FS())
	cache := pagecache.New(pagecache.Options{MaxBytes: 8 << 20, QueryParams: site.QueryParams})
	stop := pagecache.Watch(st, cache)
	nr := newsroom.New(newsroom.Config{BaseURL: base, Logger: quiet, Blobs: blobs}, st)
	srv.Config.Handler = newsroom.Beside(nr, cache.Handler(site))
	srv.Start()
	s := &stack{srv: srv, store: st, cache: cache}
	t.Cleanup(func() { s.stop(); stop(); site.Close() })
	return &mediaStack{stack: s, blobs: blobs, dir: dir}
}

// upload posts files (name → bytes) and texts as the upload form does.
func (c *client) upload(files map[string][]byte, texts url.Values) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_token", c.token)
	for k, vs := range texts {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for name, b := range files {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(b)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.base+"/newsroom/media/upload", &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func testPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	b, err := media.PhotoJPEG(media.SceneFor(3), 11, w, h)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The library over HTTP: upload through the intake (stored with the
// uploader and the texts), refusals named with their reasons, search and
// paging, text edits, the cover picker, and deletion refused while
// articles show the photo.
func TestMediaLibrary(t *testing.T) {
	s := startMediaStack(t)
	ed := addUser(t, s.store, "editor@example.kg", jarchy.RoleEditor, jarchy.English)
	addUser(t, s.store, "author@example.kg", jarchy.RoleAuthor, jarchy.English)
	c := newClient(t, s.srv.URL)
	c.login("editor@example.kg")

	res, body := c.get("/newsroom/media")
	wantStatus(t, res, body, 200)
	wantContains(t, body, `enctype="multipart/form-data"`, `type="file"`, `name="_token"`, "media.js")

	// One good photo: stored, and on to its edit page.
	res, body = c.upload(map[string][]byte{"ala-too.jpg": testPhoto(t, 1800, 1000)},
		url.Values{"caption": {"Ала-Тоо аянты"}, "credit": {"Сүрөт: Жарчы"}, "alt": {"Аянттагы адамдар"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/newsroom/media/edit?") {
		t.Fatalf("upload: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	key := loc.Query().Get("key")
	m, err := s.store.Media(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if m.Uploader != ed.ID || m.Caption != "Ала-Тоо аянты" || m.Credit != "Сүрөт: Жарчы" || m.Alt != "Аянттагы адамдар" ||
		m.Width != 1800 || len(m.Variants) == 0 || m.OG == nil {
		t.Fatalf("stored photo: %+v", m)
	}
	for _, k := range []string{m.Key, m.OG.Key, m.Variants[0].Key} {
		if _, err := os.Stat(filepath.Join(s.dir, k)); err != nil {
			t.Errorf("blob %s: %v", k, err)
		}
	}
	res, body = c.get(res.Header.Get("Location"))
	wantStatus(t, res, body, 200)
	wantContains(t, body, "Ала-Тоо аянты", "1800×1000")

	// Refused files are named with their reasons; the good one is stored.
	res, body = c.upload(map[string][]byte{
		"evil.svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"notes.jpg":  []byte("not a photo"),
		"second.jpg": testPhoto(t, 700, 500),
	}, url.Values{"caption": {"Экинчи сүрөт"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "<strong>evil.svg</strong>", "<strong>notes.jpg</strong>")
	if strings.Contains(body, "<script>alert") {
		t.Error("the refused file's content reached the page")
	}
	if _, total, _ := s.store.ListMedia(ctx, jarchy.MediaFilter{}); total != 2 {
		t.Fatalf("library holds %d photos, want the two good ones", total)
	}
	// No file at all; a body over the limit is refused before parsing.
	res, body = c.upload(nil, nil)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	res, body = c.upload(map[string][]byte{"huge.jpg": make([]byte, 42<<20)}, nil)
	wantStatus(t, res, body, http.StatusRequestEntityTooLarge)

	// Search by caption and credit; paging.
	res, body = c.get("/newsroom/media?q=" + url.QueryEscape("ЖАРЧЫ"))
	wantStatus(t, res, body, 200)
	wantContains(t, body, "Ала-Тоо аянты", "Photos: 1")
	res, body = c.get("/newsroom/media?q=nothing-like-it")
	wantContains(t, body, "Photos: 0")
	for i := range 25 {
		if err := s.store.SaveMedia(ctx, &jarchy.Media{Key: "bulk/" + strconv.Itoa(i) + ".jpg", Caption: "Топтом " + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	res, body = c.get("/newsroom/media?q=" + url.QueryEscape("топтом"))
	wantContains(t, body, "Photos: 25", `rel="next"`, "Топтом 24")
	res, body = c.get("/newsroom/media?q=" + url.QueryEscape("топтом") + "&page=2")
	wantContains(t, body, "Топтом 0", `rel="prev"`)
	if strings.Contains(body, "Топтом 24") {
		t.Error("page 2 repeats page 1")
	}
	res, body = c.get("/newsroom/media?page=x")
	wantStatus(t, res, body, http.StatusBadRequest)

	// The cover picker sets the cover of a draft; publishing shows it.
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Аянттагы митинг", Lead: "Кыска.", Body: "Текст.",
		Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}, Status: jarchy.StatusDraft}
	if err := s.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(a.ID, 10)
	res, body = c.get("/newsroom/media/pick?article=" + id)
	wantStatus(t, res, body, 200)
	res, body = c.post("/newsroom/media/pick", url.Values{"article": {id}, "version": {strconv.FormatInt(a.Version, 10)}, "key": {key}})
	wantStatus(t, res, body, http.StatusSeeOther)
	got, err := s.store.Article(ctx, a.ID)
	if err != nil || got.Cover == nil || got.Cover.Key != key {
		t.Fatalf("cover after picking: %+v, %v", got.Cover, err)
	}
	// A stale version is refused.
	res, body = c.post("/newsroom/media/pick", url.Values{"article": {id}, "version": {strconv.FormatInt(a.Version, 10)}, "key": {""}})
	wantStatus(t, res, body, http.StatusConflict)

	// Edit the texts: saved, and the page of a published article follows.
	got.Status, got.PublishedAt = jarchy.StatusPublished, time.Now().Add(-time.Minute)
	if err := s.store.SaveArticle(ctx, got); err != nil {
		t.Fatal(err)
	}
	pub := newClient(t, s.srv.URL)
	page := "/ky/news/" + got.Slug
	_, before := pub.get(page)
	_, _ = pub.get(page) // cached now
	wantContains(t, before, "Ала-Тоо аянты", "Сүрөт: Жарчы", `srcset="`)
	res, body = c.post("/newsroom/media/edit", url.Values{"key": {key}, "caption": {"Жаңы жазуу"}, "credit": {"Фото: Азаттык"}, "alt": {"Эл"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	_, after := pub.get(page)
	wantContains(t, after, "Жаңы жазуу", "Фото: Азаттык")
	res, body = c.post("/newsroom/media/edit", url.Values{"key": {key}, "caption": {strings.Repeat("я", jarchy.MaxCaptionLen+1)}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)

	// Deleting a photo in use is refused with the articles; an author
	// may not delete at all; unused, it goes.
	res, body = c.post("/newsroom/media/delete", url.Values{"key": {key}})
	wantStatus(t, res, body, http.StatusConflict)
	wantContains(t, body, `id="nr-uses"`, "Аянттагы митинг", "This photo is used by articles")
	au := newClient(t, s.srv.URL)
	au.login("author@example.kg")
	au.get("/newsroom/media")
	res, body = au.post("/newsroom/media/delete", url.Values{"key": {"bulk/0.jpg"}})
	wantStatus(t, res, body, http.StatusForbidden)
	got, _ = s.store.Article(ctx, a.ID)
	c.get("/newsroom/media/pick?article=" + id)
	res, body = c.post("/newsroom/media/pick", url.Values{"article": {id}, "version": {strconv.FormatInt(got.Version, 10)}, "key": {""}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = c.post("/newsroom/media/delete", url.Values{"key": {key}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if _, err := s.store.Media(ctx, key); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("deleted photo: %v", err)
	}
	// A published article cannot take a photo without alt text.
	got, _ = s.store.Article(ctx, a.ID)
	c.get("/newsroom/media/pick?article=" + id)
	res, body = c.post("/newsroom/media/pick", url.Values{"article": {id}, "version": {strconv.FormatInt(got.Version, 10)}, "key": {"bulk/1.jpg"}})
	wantStatus(t, res, body, http.StatusBadRequest)
	wantContains(t, body, "The cover photo has no alt text")

	// The editor's cover field: a photo of the library, by key; an
	// unknown key is refused, and so is publishing without alt text.
	got, _ = s.store.Article(ctx, a.ID)
	res, body = c.get("/newsroom/articles/" + id)
	wantStatus(t, res, body, 200)
	wantContains(t, body, `name="cover_key"`, `<option value="bulk/1.jpg">`, "/newsroom/media/pick?article="+id)
	form := url.Values{"title": {got.Title}, "lead": {got.Lead}, "body": {got.Body}, "section": {strconv.FormatInt(got.Section.ID, 10)},
		"version": {strconv.FormatInt(got.Version, 10)}, "to": {"published"}}
	form.Set("cover_key", "no/such.jpg")
	res, body = c.post("/newsroom/articles/"+id, form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "There is no such photo in the library.")
	form.Set("cover_key", "bulk/1.jpg")
	res, body = c.post("/newsroom/articles/"+id, form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "The cover photo has no alt text")
	if _, err := s.store.UpdateMediaText(ctx, "bulk/1.jpg", jarchy.MediaText{Caption: "Топтом 1", Alt: "Тоолор"}); err != nil {
		t.Fatal(err)
	}
	res, body = c.post("/newsroom/articles/"+id, form)
	wantStatus(t, res, body, http.StatusSeeOther)
	if got, _ := s.store.Article(ctx, a.ID); got.Cover == nil || got.Cover.Key != "bulk/1.jpg" || got.Cover.Alt != "Тоолор" {
		t.Fatalf("cover after the editor's save: %+v", got.Cover)
	}
}

// TestCoverPickerAuthor: the editor offers every user the cover picker;
// an author picks the cover of their own draft, and is refused (nothing
// written) on another author's.
func TestCoverPickerAuthor(t *testing.T) {
	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	au := addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.English)
	other := addUser(t, s.store, "other@example.kg", jarchy.RoleAuthor, jarchy.English)
	if err := s.store.SaveMedia(ctx, &jarchy.Media{Key: "pick/1.jpg", Caption: "Тоолор"}); err != nil {
		t.Fatal(err)
	}
	own := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Менин долбоорум", Body: "Текст.",
		Section: jarchy.Section{ID: politics}, Status: jarchy.StatusDraft, OwnerID: au.ID})
	theirs := saveArticle(t, s.store, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Башканын долбоору", Body: "Текст.",
		Section: jarchy.Section{ID: politics}, Status: jarchy.StatusDraft, OwnerID: other.ID})
	c := newClient(t, s.srv.URL)
	c.login("au@example.kg")
	for _, tc := range []struct {
		a         *jarchy.Article
		get, post int
		wantCover bool
	}{
		{own, http.StatusOK, http.StatusSeeOther, true},
		{theirs, http.StatusForbidden, http.StatusForbidden, false},
	} {
		id := strconv.FormatInt(tc.a.ID, 10)
		res, body := c.get("/newsroom/media/pick?article=" + id)
		wantStatus(t, res, body, tc.get)
		res, body = c.post("/newsroom/media/pick", url.Values{"article": {id}, "version": {strconv.FormatInt(tc.a.Version, 10)}, "key": {"pick/1.jpg"}})
		wantStatus(t, res, body, tc.post)
		if got := loadArticle(t, s.store, tc.a.ID); (got.Cover != nil) != tc.wantCover {
			t.Errorf("%q: cover %+v, want a cover: %v", tc.a.Title, got.Cover, tc.wantCover)
		}
	}
}
