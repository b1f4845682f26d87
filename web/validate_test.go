package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// pagesToCheck are one URL of every page type.
func pagesToCheck(f *fixture) map[string]string {
	return map[string]string{
		"home-ky":    "/ky/",
		"home-ru":    "/ru/",
		"home-en":    "/en/",
		"article-ky": articleURL(f.a["lead"]),
		"article-ru": articleURL(f.a["lead_ru"]),
		"article-en": articleURL(f.a["en"]),
		"hostile":    articleURL(f.a["hostile"]),
		"section":    "/ky/ekonomika/",
		"section-p2": "/ky/ekonomika/?page=2",
		"tag":        "/ky/tag/" + f.a["lead"].Tags[1].Slug,
		"author":     "/ru/author/" + f.a["lead"].Authors[0].Slug,
		"static":     "/ky/page/about",
		"search":     "/en/search?q=budget",
		"404":        "/ru/no/such/page",
		"400":        "/ky/ekonomika/?page=x",
	}
}

// TestNuHTMLChecker validates every page type with the Nu HTML checker
// when JARCHY_VNU names vnu.jar (npm package vnu-jar) and java exists.
// Any error fails; warnings are logged.
func TestNuHTMLChecker(t *testing.T) {
	jar := os.Getenv("JARCHY_VNU")
	if jar == "" {
		t.Skip("set JARCHY_VNU=/path/to/vnu.jar to validate pages with the Nu HTML checker")
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java not found: cannot run the Nu HTML checker")
	}
	f := newFixture(t, 2)
	dir := os.Getenv("JARCHY_WEB_DUMP") // keep the pages for a look
	if dir == "" {
		dir = t.TempDir()
	}
	var files []string
	for name, path := range pagesToCheck(f) {
		r := f.get(t, path)
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	out, _ := exec.Command("java", append([]string{"-jar", jar, "--format", "json", "--exit-zero-always"}, files...)...).CombinedOutput()
	var res struct {
		Messages []struct {
			Type, SubType, URL, Message, Extract string
			LastLine                             int
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out)
	}
	if len(res.Messages) == 0 && !strings.Contains(string(out), "messages") {
		t.Fatalf("vnu said nothing useful: %s", out)
	}
	for _, m := range res.Messages {
		where := fmt.Sprintf("%s:%d: %s (%q)", filepath.Base(m.URL), m.LastLine, m.Message, m.Extract)
		if m.Type == "error" || m.SubType == "fatal" {
			t.Errorf("Nu error: %s", where)
		} else {
			t.Logf("Nu %s %s: %s", m.Type, m.SubType, where)
		}
	}
}

// TestAxe runs axe-core in headless Chromium on every page type at a phone
// and a desktop width when JARCHY_AXE names axe.min.js (npm package
// axe-core). Serious and critical violations fail.
func TestAxe(t *testing.T) {
	axe := axeSource(t)
	bctx := browsertest.Start(t)
	f := newFixture(t, 2)
	// Every page type on a phone; the ru/en variants of home and article
	// and the desktop width are covered by TestDemoSiteAxe.
	for name, path := range pagesToCheck(f) {
		switch name {
		case "home-ru", "home-en", "article-ru", "article-en", "section-p2":
			continue
		}
		axeCheck(t, bctx, axe, name, f.srv.URL+path, 375)
	}
}

// axeSource reads axe.min.js from $JARCHY_AXE or skips the test.
func axeSource(t *testing.T) string {
	t.Helper()
	axePath := os.Getenv("JARCHY_AXE")
	if axePath == "" {
		t.Skip("set JARCHY_AXE=/path/to/axe.min.js to check pages with axe-core")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(axe)
}

// axeCheck runs axe-core on the page at the given viewport widths.
// Serious and critical violations fail the test; others are logged.
func axeCheck(t *testing.T, bctx context.Context, axe, name, pageURL string, widths ...int64) {
	t.Helper()
	for _, width := range widths {
		tctx, cancel := context.WithTimeout(bctx, 60*time.Second)
		err := chromedp.Do(tctx,
			chromedp.EmulateViewport(width, 800),
			chromedp.Navigate(pageURL),
		)
		var raw string
		if err == nil {
			_, err = chromedp.Run(tctx, chromedp.Evaluate[chromedp.Void](axe))
		}
		if err == nil {
			raw, err = chromedp.Run(tctx, chromedp.Evaluate[string](
				`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify({violations: r.violations, passes: r.passes.length}))`,
				chromedp.EvalAwaitPromise))
		}
		cancel()
		if err != nil {
			t.Fatalf("%s at %d px: %v", name, width, err)
		}
		var res struct {
			Violations []struct {
				ID, Impact, Help string
				Nodes            []struct{ HTML string }
			}
			Passes int
		}
		if err := json.Unmarshal([]byte(raw), &res); err != nil {
			t.Fatalf("%s: axe result: %v", name, err)
		}
		if res.Passes == 0 {
			t.Fatalf("%s: axe checked nothing", name)
		}
		for _, v := range res.Violations {
			msg := fmt.Sprintf("%s at %d px: %s %s: %s (%d nodes, first %s)", name, width, v.Impact, v.ID, v.Help, len(v.Nodes), strings.TrimSpace(v.Nodes[0].HTML))
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
	}
}
