package searchindex

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/search"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"шайла", "шайла", 0}, {"шайла", "шайлл", 1}, {"парламент", "парламнет", 2}, {"abc", "", 3}, {"кот", "ток", 2}} {
		if got := EditDistance(c.a, c.b); got != c.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestClose(t *testing.T) {
	cands := []Candidate{{"шайла", 50}, {"шайлоочу", 3}, {"шай", 9}, {"парламент", 7}, {"шайыр", 2}}
	// шайлло is not stemmed, but its first letters are one edit from шайла
	if got := Close("шайлло", "шайлло", cands, 4); len(got) == 0 || got[0] != "шайла" {
		t.Errorf("Close(шайлло) = %v, want шайла first", got)
	}
	if got := Close("парламнет", "парламнет", cands, 4); len(got) != 1 || got[0] != "парламент" {
		t.Errorf("Close(парламнет) = %v", got)
	}
	if got := Close("кол", "кол", []Candidate{{"кот", 1}}, 4); len(got) != 0 {
		t.Errorf("three-letter terms must not be fuzzed: %v", got)
	}
}

func TestRelaxAndRender(t *testing.T) {
	q := search.ParseQuery(jarchy.Kyrgyz, `парламнет "жогорку кеңеш" -бюджет `)
	phrase := search.Terms(jarchy.Kyrgyz, "жогорку кеңеш")
	near := func(term, word string) ([]Candidate, error) {
		if term == phrase[0] || term == phrase[1] {
			return []Candidate{{term, 3}}, nil
		}
		return []Candidate{{"парламент", 5}, {"парламенттик", 1}}, nil
	}
	f, ok, err := Relax(q, near)
	if err != nil || !ok {
		t.Fatalf("Relax: %v %v", ok, err)
	}
	if len(f.Groups) != 3 || f.Groups[0][0] != "парламент" {
		t.Fatalf("groups %v", f.Groups)
	}
	fts := f.FTS5()
	if !strings.HasPrefix(fts, `(("парламент") AND ("`+phrase[0]+`") AND (`) || !strings.Contains(fts, ` NOT "`+search.Terms(jarchy.Kyrgyz, "бюджет")[0]+`"`) {
		t.Errorf("FTS5 %s", fts)
	}
	if ts := f.TSQuery(); !strings.HasPrefix(ts, "( 'парламент' ) & ( '"+phrase[0]+"' ) & ") || !strings.HasSuffix(ts, "!( '"+search.Terms(jarchy.Kyrgyz, "бюджет")[0]+"' )") {
		t.Errorf("TSQuery %s", ts)
	}
	// nothing changes when every word is indexed as typed
	q = search.ParseQuery(jarchy.Kyrgyz, "жогорку кеңеш ")
	if _, ok, _ := Relax(q, near); ok {
		t.Error("Relax changed a query of indexed words")
	}
	if Quote(`a"b`) != `"a""b"` || TSQuote(`a'b\`) != `'a''b\\'` {
		t.Error("quoting")
	}
}

func TestPrepare(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("KGT", 6*3600))
	p, err := Prepare(jarchy.SearchQuery{Text: "шайлоо", Limit: 500}, now)
	if err != nil || p.Limit != 100 || p.Query.Lang != jarchy.Kyrgyz || p.Lang != "" ||
		p.Now != time.Date(2026, 5, 1, 6, 0, 0, 0, time.UTC) {
		t.Errorf("Prepare: %+v %v", p, err)
	}
	for _, q := range []jarchy.SearchQuery{{Lang: "xx"}, {Sort: "x"}, {Limit: -1}, {Offset: -1}, {Offset: jarchy.MaxSearchOffset + 1}, {SectionID: -1}} {
		if _, err := Prepare(q, now); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("Prepare(%+v): %v, want EINVALID", q, err)
		}
	}
}

func TestWindowSnippet(t *testing.T) {
	q := search.ParseQuery(jarchy.Kyrgyz, "шайлоо ")
	filler := strings.Repeat("Бүгүн аба ырайы жылуу болот. ", 200)
	text := filler + "Борбордук комиссия шайлоолордун жыйынтыгын жарыялады. " + filler
	got := windowSnippet(q, text, SnippetRunes)
	if !strings.Contains(got, "<mark>шайлоолордун</mark>") {
		t.Errorf("window snippet lost the match: %q", got)
	}
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("a window inside the text is not marked as cut: %q", got)
	}
	if n := utf8.RuneCountInString(got); n > 2*SnippetRunes {
		t.Errorf("snippet of %d runes", n)
	}
	// the word found deep in a long text when it starts a sentence or is
	// written in capitals (no lower-cased copy of the text is searched)
	filler = strings.Repeat("Бүгүн аба ырайы жылуу болду, шамал жок. ", 40)
	for _, form := range []string{"Шайлоолордун", "ШАЙЛООЛОРДУН", "ШАйлоолордун"} {
		long := filler + form + " жыйынтыгы чыкты. " + filler
		if got := windowSnippet(q, long, SnippetRunes); !strings.Contains(got, "<mark>"+form+"</mark>") {
			t.Errorf("window snippet missed %q: %q", form, got)
		}
	}
	// short texts: exactly the analyser's snippet
	short := "Комиссия шайлоонун жыйынтыгын жарыялады."
	if windowSnippet(q, short, SnippetRunes) != q.SnippetHTML(short, SnippetRunes) {
		t.Error("short text snippet differs from SnippetHTML")
	}
	// no match: the start of the text
	if got := windowSnippet(search.ParseQuery(jarchy.Kyrgyz, "жолборс "), text, SnippetRunes); !strings.HasPrefix(got, "Бүгүн аба") || strings.Contains(got, "<mark>") {
		t.Errorf("no match: %q", got)
	}
	// hostile text stays escaped
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Lead: `<script>alert(1)</script> шайлоо`, Body: "**шайлоо** [x](javascript:alert(2))"}
	if got := Snippet(q, a); strings.Contains(got, "<script>") || strings.Contains(got, "**") || !strings.Contains(got, "<mark>") {
		t.Errorf("Snippet: %q", got)
	}
}

func TestBuild(t *testing.T) {
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Шайлоо", Lead: "Шайлоодон кийин.",
		Body: "Комиссия [шайлоолорго](https://example.com/secretword) даярданды.",
		Tags: []jarchy.Tag{{Name: "Саясат"}}, Authors: []jarchy.Author{{Name: "Айгүл Асанова"}}}
	d := Build(a)
	if d.Title != "шайла" || !strings.Contains(d.Body, "шайла") || strings.Contains(d.Body, "secretword") || d.Tags == "" || d.Authors == "" {
		t.Errorf("Build: %+v", d)
	}
	terms := d.Terms()
	for i := 1; i < len(terms); i++ {
		if terms[i-1] >= terms[i] {
			t.Errorf("Terms not sorted and distinct: %v", terms)
		}
	}
}
