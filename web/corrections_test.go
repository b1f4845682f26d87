package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// TestArticleCorrections: an article's corrections show under it, dated
// in the reader's language and escaped as text, and its NewsArticle
// JSON-LD carries them as CorrectionComments with dateModified at the
// latest one.
func TestArticleCorrections(t *testing.T) {
	f := newFixture(t, 20)
	a, err := f.store.Article(ctx, f.a["lead"].ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Corrections = []jarchy.Correction{
		{At: time.Date(2026, 11, 21, 4, 30, 0, 0, time.UTC), Text: "Сессиянын датасы оңдолду."},
		{At: time.Date(2026, 11, 21, 6, 5, 0, 0, time.UTC), Text: `Цитата <script>alert(1)</script> & "тактоо"`},
	}
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	r := f.get(t, articleURL(a))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	sec := find(r.doc, tagAttr("section", "class", "corrections"))
	if sec == nil {
		t.Fatal("no corrections block")
	}
	if h := text(find(sec, tagIs("h2"))); h != "Оңдоолор" {
		t.Errorf("heading %q", h)
	}
	ps := findAll(sec, tagAttr("p", "class", "correction"))
	want := []string{
		"Оңдоо, 21-ноябрь, 2026, 10:30: Сессиянын датасы оңдолду.",
		`Оңдоо, 21-ноябрь, 2026, 12:05: Цитата <script>alert(1)</script> & "тактоо"`,
	}
	if len(ps) != len(want) {
		t.Fatalf("%d corrections shown, want %d", len(ps), len(want))
	}
	for i, p := range ps {
		if got := strings.Join(strings.Fields(text(p)), " "); got != want[i] {
			t.Errorf("correction %d: %q, want %q", i, got, want[i])
		}
	}
	if tm := find(ps[0], tagIs("time")); tm == nil || attr(tm, "datetime") != "2026-11-21T10:30:00+06:00" {
		t.Errorf("correction time element: %v", tm)
	}
	if strings.Contains(r.body, "<script>alert(1)") {
		t.Error("a correction's text is not escaped")
	}

	ld := readHead(t, r.doc).jsonLD
	got := fmt.Sprint(ld["correction"])
	wantLD := `[map[@type:CorrectionComment datePublished:2026-11-21T10:30:00+06:00 text:Сессиянын датасы оңдолду.] ` +
		`map[@type:CorrectionComment datePublished:2026-11-21T12:05:00+06:00 text:Цитата <script>alert(1)</script> & "тактоо"]]`
	if got != wantLD {
		t.Errorf("JSON-LD correction:\n%s\nwant\n%s", got, wantLD)
	}
	if ld["dateModified"] != "2026-11-21T12:05:00+06:00" {
		t.Errorf("JSON-LD dateModified %v, want the latest correction", ld["dateModified"])
	}
	if upd := find(r.doc, tagAttr("span", "class", "updated")); upd == nil || !strings.Contains(text(upd), "21-ноябрь, 2026, 12:05") {
		t.Errorf("the article does not show the correction as its update")
	}

	// In Russian, on a page in Russian.
	ru, err := f.store.Article(ctx, f.a["lead_ru"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := jarchy.AddCorrection(ru, "Исправлена дата."); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SaveArticle(ctx, ru); err != nil {
		t.Fatal(err)
	}
	r = f.get(t, articleURL(ru))
	sec = find(r.doc, tagAttr("section", "class", "corrections"))
	if sec == nil || text(find(sec, tagIs("h2"))) != "Исправления" || !strings.HasPrefix(strings.TrimSpace(text(find(sec, tagIs("p")))), "Исправление, ") {
		t.Fatalf("Russian corrections block: %v", sec)
	}
	if ld := readHead(t, r.doc).jsonLD; ld["correction"] == nil {
		t.Error("Russian JSON-LD lacks the correction")
	}
	// An article without corrections has neither.
	r = f.get(t, articleURL(f.a["en"]))
	if find(r.doc, tagAttr("section", "class", "corrections")) != nil || readHead(t, r.doc).jsonLD["correction"] != nil {
		t.Error("an article without corrections shows some")
	}
}
