package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// TestBrowserMenuToArticleAndLanguage drives Chromium on a 375 px phone
// screen: home -> section menu -> article -> language switcher, with no
// horizontal scrolling on the way, and saves screenshots.
func TestBrowserMenuToArticleAndLanguage(t *testing.T) {
	bctx := browsertest.Start(t)
	f := newFixture(t, 20)
	dir := browsertest.ArtifactsDir(t, "")
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(loc, f.srv.URL)
	}
	noSideScroll := func(where string) {
		t.Helper()
		fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if !fits {
			t.Errorf("%s scrolls sideways at 375 px", where)
		}
	}

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(f.srv.URL+"/ky/"),
		chromedp.WaitVisible(chromedp.CSS("nav.menu a")),
	)
	if err != nil {
		t.Fatal(err)
	}
	noSideScroll("home")
	shot("375-home-ky.png")

	// Menu: the politics section.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/ky/sayasat/"]`)),
		chromedp.WaitVisible(chromedp.CSS("header.list-head h1")),
	)
	if err != nil {
		t.Fatalf("follow the menu: %v", err)
	}
	if loc := location(); loc != "/ky/sayasat/" {
		t.Fatalf("menu led to %s", loc)
	}
	noSideScroll("section")
	shot("375-section-ky.png")

	// The lead story from the listing.
	lead := articleURL(f.a["lead"])
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.cards a[href="`+lead+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("article.story h1")),
	)
	if err != nil {
		t.Fatalf("open the article: %v", err)
	}
	if loc := location(); loc != lead {
		t.Fatalf("card led to %s, want %s", loc, lead)
	}
	noSideScroll("article")
	shot("375-article-ky.png")

	// Language switcher: the Russian translation.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.langs a[hreflang="ru"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="ru"] article.story h1`)),
	)
	if err != nil {
		t.Fatalf("switch language: %v", err)
	}
	if loc, want := location(), articleURL(f.a["lead_ru"]); loc != want {
		t.Fatalf("switcher led to %s, want %s", loc, want)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if h1 != f.a["lead_ru"].Title {
		t.Errorf("h1 = %q, want the Russian title", h1)
	}
	noSideScroll("article (ru)")
	shot("375-article-ru.png")

	// The smallest phones, and a desktop for the record.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640), chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	noSideScroll("article at 320 px")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(f.srv.URL+"/ky/"), chromedp.WaitVisible(chromedp.CSS("nav.menu a"))); err != nil {
		t.Fatal(err)
	}
	shot("1280-home-ky.png")
}
