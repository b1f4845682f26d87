package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/web"
)

// photoFixture gives the fixture's lead photo (covers/ala-too.jpg) the
// variants and Open Graph crop the intake makes, and puts it on eco0 too.
func photoFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, 20)
	m, err := f.store.Media(ctx, "covers/ala-too.jpg")
	if err != nil {
		t.Fatal(err)
	}
	m.Width, m.Height = 2400, 1350
	m.Variants = []jarchy.MediaVariant{
		{Key: "v/a320.jpg", Width: 320, Height: 180}, {Key: "v/a640.jpg", Width: 640, Height: 360},
		{Key: "v/a1024.jpg", Width: 1024, Height: 576}, {Key: "v/a1600.jpg", Width: 1600, Height: 900}}
	m.OG = &jarchy.MediaVariant{Key: "v/og.jpg", Width: 1200, Height: 630}
	if err := f.store.SaveMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	eco := f.a["eco0"]
	eco.Cover = &jarchy.Media{Key: "covers/ala-too.jpg"}
	if err := f.store.SaveArticle(ctx, eco); err != nil {
		t.Fatal(err)
	}
	return f
}

// The article page's lead photo: srcset and sizes from the variants,
// the original's width and height (no layout shift), loaded at once, the
// credit beside it; Open Graph takes the 1200×630 crop; JSON-LD an
// ImageObject with the credit.
func TestCoverSrcsetAndCredit(t *testing.T) {
	f := photoFixture(t)
	lead := f.a["lead"]
	r := f.get(t, articleURL(lead))
	if r.status != 200 {
		t.Fatalf("article: %d", r.status)
	}
	fig := find(r.doc, tagAttr("figure", "class", "cover"))
	if fig == nil {
		t.Fatal("no cover figure")
	}
	img := find(fig, tagIs("img"))
	const wantSet = "/media/v/a320.jpg 320w, /media/v/a640.jpg 640w, /media/v/a1024.jpg 1024w, /media/v/a1600.jpg 1600w, /media/covers/ala-too.jpg 2400w"
	for k, want := range map[string]string{
		"src": "/media/v/a1024.jpg", "srcset": wantSet, "sizes": "(max-width: 46rem) 100vw, 46rem",
		"width": "2400", "height": "1350", "alt": "Ала-Тоо аянтындагы имарат",
	} {
		if got := attr(img, k); got != want {
			t.Errorf("cover img %s = %q, want %q", k, got, want)
		}
	}
	if hasAttr(img, "loading") {
		t.Errorf("the lead photo is lazy: loading=%q", attr(img, "loading"))
	}
	credit := find(fig, tagAttr("span", "class", "credit"))
	if credit == nil || text(credit) != "Сүрөт: Жарчы / Бакыт Асанов" {
		t.Errorf("credit beside the photo: %v", credit)
	}
	for k, want := range map[string]string{
		"og:image": testBase + "/media/v/og.jpg", "og:image:width": "1200", "og:image:height": "630",
		"og:image:alt": "Ала-Тоо аянтындагы имарат",
	} {
		if got := meta(r.doc, "property", k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := meta(r.doc, "name", "twitter:image"); got != testBase+"/media/v/og.jpg" {
		t.Errorf("twitter:image = %q", got)
	}
	ld := readHead(t, r.doc).jsonLD
	imgs, _ := ld["image"].([]any)
	if len(imgs) != 1 {
		t.Fatalf("JSON-LD image %v", ld["image"])
	}
	obj, _ := imgs[0].(map[string]any)
	holder, _ := obj["copyrightHolder"].(map[string]any)
	if obj["@type"] != "ImageObject" || obj["creditText"] != "Жарчы / Бакыт Асанов" || obj["width"] != 2400.0 ||
		holder["name"] != "Жарчы / Бакыт Асанов" {
		t.Errorf("JSON-LD ImageObject %v", obj)
	}
}

// Cards: the home page's lead story loads its photo at once, the cards
// below the fold lazily; both with srcset, sizes, width and height.
func TestCardImagesLazyBelowTheFold(t *testing.T) {
	f := photoFixture(t)
	r := f.get(t, "/ky/")
	imgs := findAll(r.doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "img" && strings.Contains(attr(n, "srcset"), "/media/v/a320.jpg 320w")
	})
	if len(imgs) < 2 {
		t.Fatalf("home shows %d card photos with srcset, want the lead and eco0's", len(imgs))
	}
	var eager, lazy int
	for _, img := range imgs {
		if attr(img, "width") != "2400" || attr(img, "height") != "1350" || attr(img, "sizes") == "" {
			t.Errorf("card img without size: %v", img.Attr)
		}
		switch attr(img, "loading") {
		case "":
			eager++
		case "lazy":
			lazy++
		}
	}
	if eager != 1 || lazy != len(imgs)-1 {
		t.Errorf("%d eager and %d lazy card photos, want the lead eager and the rest lazy", eager, lazy)
	}
}

// The credit goes where the photo goes: RSS and Atom carry it as Media
// RSS (read by gofeed as a reader would), JSON Feed in its _media
// extension and the attachment's title.
func TestFeedPhotoCredit(t *testing.T) {
	f := photoFixture(t)
	lead := f.a["lead"]
	link := testBase + articleURL(lead)
	for _, path := range []string{"/ky/feed/rss.xml", "/ky/feed/atom.xml"} {
		r := f.get(t, path)
		if r.status != 200 {
			t.Fatalf("%s: %d", path, r.status)
		}
		fd, err := gofeed.NewParser().ParseString(r.body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var item *gofeed.Item
		for _, it := range fd.Items {
			if it.Link == link {
				item = it
			}
		}
		if item == nil {
			t.Fatalf("%s: no item for %s", path, link)
		}
		contents := item.Extensions["media"]["content"]
		if len(contents) != 1 {
			t.Fatalf("%s: media:content %+v", path, item.Extensions["media"])
		}
		c := contents[0]
		if c.Attrs["url"] != testBase+"/media/covers/ala-too.jpg" || c.Attrs["medium"] != "image" || c.Attrs["width"] != "2400" {
			t.Errorf("%s: media:content attributes %v", path, c.Attrs)
		}
		if cr := c.Children["credit"]; len(cr) != 1 || cr[0].Value != "Жарчы / Бакыт Асанов" {
			t.Errorf("%s: media:credit %+v", path, cr)
		}
		if d := c.Children["description"]; len(d) != 1 || d[0].Value != "Ала-Тоо аянты" {
			t.Errorf("%s: media:description %+v", path, d)
		}
	}
	r := f.get(t, "/ky/feed/feed.json")
	var jf struct {
		Items []struct {
			URL         string `json:"url"`
			Attachments []struct {
				Title string `json:"title"`
			} `json:"attachments"`
			Media struct {
				Credit  string `json:"credit"`
				Caption string `json:"caption"`
			} `json:"_media"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.body), &jf); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range jf.Items {
		if it.URL == link {
			found = true
			if it.Media.Credit != "Жарчы / Бакыт Асанов" || it.Media.Caption != "Ала-Тоо аянты" ||
				len(it.Attachments) != 1 || it.Attachments[0].Title != "Ала-Тоо аянты" {
				t.Errorf("JSON Feed item photo: %+v", it)
			}
		}
	}
	if !found {
		t.Fatalf("JSON Feed has no item %s", link)
	}
}

// Editing a photo's texts shows on every page that shows it, at once.
func TestPhotoEditShows(t *testing.T) {
	f := photoFixture(t)
	if _, err := f.store.UpdateMediaText(ctx, "covers/ala-too.jpg", jarchy.MediaText{
		Caption: "Жаңы жазуу", Credit: "Фото: Азаттык", Alt: "Жаңы сүрөттөмө"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*jarchy.Article{f.a["lead"], f.a["eco0"]} {
		r := f.get(t, articleURL(a))
		fig := find(r.doc, tagAttr("figure", "class", "cover"))
		if fig == nil || !strings.Contains(text(fig), "Жаңы жазуу") || !strings.Contains(text(fig), "Фото: Азаттык") ||
			attr(find(fig, tagIs("img")), "alt") != "Жаңы сүрөттөмө" {
			t.Errorf("%s after the edit: %v", a.Title, fig)
		}
	}
}

// With a media base URL (a CDN, a bucket), pages link every file of a
// photo there: src, srcset, og:image; jarchy serves none of their bytes.
func TestCoverOnMediaBaseURL(t *testing.T) {
	f := photoFixture(t)
	site := web.New(web.Config{BaseURL: testBase, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MediaURL: func(key string) string { return "https://cdn.example/m/" + key }}, f.store, nil)
	t.Cleanup(func() { site.Close() })
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	g := &fixture{srv: srv}
	r := g.get(t, articleURL(f.a["lead"]))
	img := find(find(r.doc, tagAttr("figure", "class", "cover")), tagIs("img"))
	if got := attr(img, "src"); got != "https://cdn.example/m/v/a1024.jpg" {
		t.Errorf("src %q", got)
	}
	if got := attr(img, "srcset"); !strings.HasPrefix(got, "https://cdn.example/m/v/a320.jpg 320w, ") ||
		!strings.HasSuffix(got, ", https://cdn.example/m/covers/ala-too.jpg 2400w") {
		t.Errorf("srcset %q", got)
	}
	if got := meta(r.doc, "property", "og:image"); got != "https://cdn.example/m/v/og.jpg" {
		t.Errorf("og:image %q", got)
	}
}
