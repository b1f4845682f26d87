package newsroom_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/browsertest"
)

// TestBrowserPhotoToPublishedCover: in a real browser, an editor uploads
// a photo with the file input, sets its caption, credit and alt text,
// makes it the cover of an article (the picker) and publishes it (the
// editor's button), and the
// article page shows it with srcset and the credit, and the RSS feed
// carries the credit. A second photo is dropped on the upload form
// (drag and drop through the same form).
func TestBrowserPhotoToPublishedCover(t *testing.T) {
	bctx := browsertest.Start(t)
	s := startMediaStack(t)
	addUser(t, s.store, "aida@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Ала-Тоо аянтында жыйын", Lead: "Кыска.", Body: "Текст.",
		Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}, Status: jarchy.StatusDraft}
	if err := s.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "jyiyn.jpg")
	if err := os.WriteFile(file, testPhoto(t, 2000, 1125), 0o644); err != nil {
		t.Fatal(err)
	}
	bc, cancel := context.WithTimeout(bctx, 120*time.Second)
	defer cancel()
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bc, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(bc, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	base := s.srv.URL

	run("log in",
		chromedp.Navigate(base+"/newsroom/login"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "aida@example.kg"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".nr-user")),
	)
	run("upload with the file input",
		chromedp.Navigate(base+"/newsroom/media"),
		chromedp.WaitVisible(chromedp.CSS("#nr-upload")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`#nr-upload button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("section.nr-media-edit")),
	)
	key := eval(`document.querySelector('input[name="key"]').value`)
	if !strings.HasSuffix(key, ".jpg") {
		t.Fatalf("edit page of the upload names key %q", key)
	}
	run("set caption, credit and alt",
		chromedp.SendKeys(chromedp.CSS("#f-caption"), "Ала-Тоо аянтындагы жыйын"),
		chromedp.SendKeys(chromedp.CSS("#f-credit"), "Сүрөт: Бакыт Асанов"),
		chromedp.SendKeys(chromedp.CSS("#f-alt"), "Аянтта турган адамдар"),
		chromedp.Click(chromedp.CSS(`form[action="/newsroom/media/edit"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#nr-saved")),
	)
	m, err := s.store.Media(ctx, key)
	if err != nil || m.Caption != "Ала-Тоо аянтындагы жыйын" || m.Credit != "Сүрөт: Бакыт Асанов" || m.Alt != "Аянтта турган адамдар" {
		t.Fatalf("photo after the edit: %+v, %v", m, err)
	}
	run("make it the cover",
		chromedp.Navigate(base+"/newsroom/media/pick?article="+strconv.FormatInt(a.ID, 10)),
		chromedp.WaitVisible(chromedp.CSS(".nr-media-grid")),
		chromedp.Click(chromedp.CSS(`form[action="/newsroom/media/pick"]:has(input[name="key"][value="`+key+`"]) button`)),
		chromedp.WaitVisible(chromedp.CSS("#nr-cover-set")),
	)
	// The editor shows it as the cover; its publish button publishes.
	run("publish in the editor",
		chromedp.Navigate(base+"/newsroom/articles/"+strconv.FormatInt(a.ID, 10)),
		chromedp.WaitVisible(chromedp.CSS("#f-cover_key")),
	)
	if v := eval(`document.getElementById('f-cover_key').value`); v != key {
		t.Fatalf("the editor's cover select holds %q, want %q", v, key)
	}
	run("click publish",
		chromedp.Click(chromedp.CSS(`button[name="to"][value="published"]`)),
		chromedp.WaitVisible(chromedp.CSS(".nr-ok")),
	)
	got, err := s.store.Article(ctx, a.ID)
	if err != nil || got.Status != jarchy.StatusPublished || got.Cover == nil || got.Cover.Key != key {
		t.Fatalf("article after publishing: %+v, %v", got, err)
	}

	run("read the article", chromedp.Navigate(base+"/ky/news/"+got.Slug), chromedp.WaitVisible(chromedp.CSS("figure.cover img")))
	srcset := eval(`document.querySelector('figure.cover img').getAttribute('srcset')`)
	for _, w := range []string{" 320w", " 640w", " 1024w", " 1600w", " 2000w"} {
		if !strings.Contains(srcset, w) {
			t.Errorf("srcset %q lacks%s", srcset, w)
		}
	}
	if got := eval(`document.querySelector('figure.cover .credit').textContent`); got != "Сүрөт: Бакыт Асанов" {
		t.Errorf("credit on the page %q", got)
	}
	if got := eval(`document.querySelector('figure.cover img').alt`); got != "Аянтта турган адамдар" {
		t.Errorf("alt on the page %q", got)
	}
	// The browser loaded the picture it chose from srcset.
	if w := eval(`String(document.querySelector('figure.cover img').naturalWidth)`); w == "0" {
		t.Errorf("the cover did not load (naturalWidth 0; currentSrc %s)", eval(`document.querySelector('figure.cover img').currentSrc`))
	}

	rss := eval(`fetch('/ky/feed/rss.xml').then(r => r.text())`)
	fd, err := gofeed.NewParser().ParseString(rss)
	if err != nil {
		t.Fatal(err)
	}
	credit := ""
	for _, it := range fd.Items {
		if strings.HasSuffix(it.Link, "/ky/news/"+got.Slug) {
			if cs := it.Extensions["media"]["content"]; len(cs) == 1 && len(cs[0].Children["credit"]) == 1 {
				credit = cs[0].Children["credit"][0].Value
			}
		}
	}
	if credit != "Сүрөт: Бакыт Асанов" {
		t.Errorf("RSS media:credit %q", credit)
	}

	// Drag and drop: a photo dropped on the upload form goes up through
	// the same form (token included) and lands on its edit page.
	run("open the library", chromedp.Navigate(base+"/newsroom/media"), chromedp.WaitVisible(chromedp.CSS("#nr-dropzone")))
	eval(`(async () => {
			const src = document.querySelector('.nr-media-grid img').src;
			const blob = await (await fetch(src)).blob();
			const dt = new DataTransfer();
			dt.items.add(new File([blob], 'dropped.jpg', {type: 'image/jpeg'}));
			document.getElementById('nr-upload').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
			return 'dropped';
		})()`)
	run("the drop uploads",
		chromedp.WaitVisible(chromedp.CSS("section.nr-media-edit")),
	)
	if _, total, err := s.store.ListMedia(ctx, jarchy.MediaFilter{}); err != nil || total != 2 {
		t.Fatalf("library after the drop: %d photos (%v), want 2", total, err)
	}
}
