package jarchy

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCleanLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"evil\u202Egpj.exe", "evilgpj.exe"},
		{"  Жарчы\u202D ", "Жарчы"},
		{"\u202E Саясат", "Саясат"}, // trimmed after the control goes
		{"a\u202Ab\u202Bc\u202Cd\u2066e\u2067f\u2068g\u2069h", "abcdefgh"},
		{"a\u200Eb\u200Fc\u061Cd", "abcd"},
		{"«Ала-Тоо» — 2026", "«Ала-Тоо» — 2026"},
		{"zero\u200Dwidth joiner stays", "zero\u200Dwidth joiner stays"},
		{"bad \xff utf8 \u202E", "bad \xff utf8"}, // invalid bytes kept for Validate to report
		{"\u202E", ""},
		{"", ""},
		{"two\nlines\tand\r\ntab", "two lines and  tab"},
		{"red\x1b[31m name\x07", "red[31m name"},
		{"del\x7f c1\u0085\u009b end", "del c1 end"},
		{"\x1b\x01", ""},
		{"nul\x00\x1b", "nul\x00"},   // NUL left for Validate to refuse
		{"bad \xff\x1b", "bad \xff"}, // invalid bytes still kept
		{"Ä\u00a0ok", "Ä\u00a0ok"},   // C3 84 and C2 A0 are not controls
	}
	for _, tt := range tests {
		if got := CleanLine(tt.in); got != tt.want {
			t.Errorf("CleanLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"evil\u202Egpj.exe", "evilgpj.exe"},
		{"a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i", "abcdefghi"},
		// Marks have no scope: kept for the punctuation around quoted
		// right-to-left words.
		{"Ал «\u05E9\u05DC\u05D5\u05DD\u200F» деди", "Ал «\u05E9\u05DC\u05D5\u05DD\u200F» деди"},
		{"a\u200Eb\u061Cc", "a\u200Eb\u061Cc"},
		{"  two\n\nparagraphs  ", "  two\n\nparagraphs  "}, // white space is the caller's
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsBidiControl(t *testing.T) {
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C} {
		if !IsBidiControl(r) {
			t.Errorf("IsBidiControl(%U) = false", r)
		}
	}
	for _, r := range []rune{'a', 'ж', 0x2029, 0x200D, 0x200B, 0x2065, 0x206A, 0x2029, 0x05D0} {
		if IsBidiControl(r) {
			t.Errorf("IsBidiControl(%U) = true", r)
		}
	}
}

// TestArticleNormalize checks every text field of an article with fixed
// expectations, and that the caller's tags, authors and cover are not
// changed behind its back.
func TestArticleNormalize(t *testing.T) {
	tags := []Tag{{Name: " шайлоо\u202E "}, {Name: "\u2066ТШМ\u2069", Slug: " tshm\u200E"}}
	authors := []Author{{Name: "Айгүл\u202E Асанова", Bio: " Журналист\u202D.\u200F "}}
	cover := &Media{Key: "a/b.jpg", Caption: "Ала-Тоо\u202E", Credit: "\u202BСүрөт: Жарчы", Alt: "имарат\u061C", Width: 10}
	a := &Article{
		Lang: Kyrgyz, Title: "  evil\u202Egpj.exe ", Slug: "", Lead: " Лид\u202E тексти\u200F ",
		Body:       "Текст \u202Eичинде\u202C.\n\nЭкинчи \u200Fабзац.",
		ExternalID: " ext-1 ",
		Section:    Section{Slug: " sayasat\u202E", Names: map[Lang]string{Kyrgyz: "Саясат\u202E", Russian: " \u2067 "}},
		Tags:       tags, Authors: authors, Cover: cover, Status: StatusDraft,
	}
	a.Normalize(time.Time{})
	want := &Article{
		Lang: Kyrgyz, Title: "evilgpj.exe", Slug: "evilgpj-exe", Lead: "Лид тексти\u200F",
		Body:       "Текст ичинде.\n\nЭкинчи \u200Fабзац.",
		ExternalID: "ext-1",
		Section:    Section{Slug: "sayasat", Names: map[Lang]string{Kyrgyz: "Саясат"}},
		Tags:       []Tag{{Name: "шайлоо", Slug: "shayloo"}, {Name: "ТШМ", Slug: "tshm"}},
		Authors:    []Author{{Name: "Айгүл Асанова", Slug: "aygul-asanova", Bio: "Журналист.\u200F"}},
		Cover:      &Media{Key: "a/b.jpg", Caption: "Ала-Тоо", Credit: "Сүрөт: Жарчы", Alt: "имарат", Width: 10},
		Status:     StatusDraft,
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("Normalize:\n got %#v\nwant %#v", a, want)
	}
	if tags[0].Name != " шайлоо\u202E " || authors[0].Name != "Айгүл\u202E Асанова" || cover.Caption != "Ала-Тоо\u202E" {
		t.Error("Normalize changed the caller's tags, authors or cover in place")
	}
	// Normalising twice changes nothing more.
	again := *a
	again.Normalize(time.Time{})
	if !reflect.DeepEqual(&again, want) {
		t.Errorf("Normalize is not idempotent: %#v", again)
	}
}

func TestPageAndSettingsNormalize(t *testing.T) {
	p := &Page{Lang: Russian, Slug: " about\u202E", Title: "\u202EО нас ", Body: "Текст\u202D.\u200E"}
	p.Normalize()
	if *p != (Page{Lang: Russian, Slug: "about", Title: "О нас", Body: "Текст.\u200E"}) {
		t.Errorf("page %#v", *p)
	}
	s := Settings{
		SiteName: map[Lang]string{Kyrgyz: " Жарчы\u202E", English: "\u2066Jarchy\u2069"},
		Social:   map[string]string{"x": " https://x.com/jarchy "},
	}
	got := s.Normalize()
	want := Settings{SiteName: map[Lang]string{Kyrgyz: "Жарчы", English: "Jarchy"}, Social: map[string]string{"x": "https://x.com/jarchy"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("settings %#v", got)
	}
	if s.SiteName[Kyrgyz] != " Жарчы\u202E" {
		t.Error("Settings.Normalize changed the caller's map")
	}
}

func TestNormalizeKeepsPublishedTime(t *testing.T) {
	at := time.Date(2026, 11, 20, 8, 30, 0, 0, time.FixedZone("KGT", 6*3600))
	a := &Article{Lang: English, Title: "Title", Status: StatusPublished, PublishedAt: at}
	a.Normalize(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if !a.PublishedAt.Equal(at) || a.PublishedAt.Location() != time.UTC || a.Slug != "title" {
		t.Errorf("published %v slug %q", a.PublishedAt, a.Slug)
	}
}

// A published article without a publication time is published at the
// clock's now, given by the caller; a draft gets none.
func TestNormalizePublishesAtNow(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC)
	a := &Article{Lang: English, Title: "Title", Status: StatusPublished}
	a.Normalize(now)
	if !a.PublishedAt.Equal(now) {
		t.Errorf("published at %v, want %v", a.PublishedAt, now)
	}
	d := &Article{Lang: English, Title: "Title"}
	d.Normalize(now)
	if d.Status != StatusDraft || !d.PublishedAt.IsZero() {
		t.Errorf("draft: status %q published at %v", d.Status, d.PublishedAt)
	}
}

// A title, tag or author name that transliterates to nothing gets a fixed
// fallback slug; the same name in another case is the same slug.
func TestNormalizeFallbackSlugs(t *testing.T) {
	a := &Article{Lang: Kyrgyz, Title: "!!!", Section: Section{Slug: "news"},
		Tags: []Tag{{Name: "—"}}, Authors: []Author{{Name: "ΩΜΈΓΑ"}}}
	a.Normalize(time.Time{})
	// The first 8 hex digits of the SHA-256 of "!!!", "—" and "ωμέγα".
	if a.Slug != "article-e84c538e" || a.Tags[0].Slug != "tag-bda05058" || a.Authors[0].Slug != "author-f9d47761" {
		t.Errorf("slugs %q %q %q", a.Slug, a.Tags[0].Slug, a.Authors[0].Slug)
	}
	if err := a.Validate(); err != nil {
		t.Errorf("an article with fallback slugs is invalid: %v", err)
	}
}

// referenceClean is the obvious rune-by-rune version of dropBidi, kept
// here to check the byte scanner against.
// referenceControls is the obvious rune-by-rune version of dropControls.
func referenceControls(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteByte(s[i])
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r != 0 && (r < 0x20 || r >= 0x7F && r <= 0x9F):
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func referenceClean(s string, marks bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		scoped := r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
		if n > 1 && (scoped || marks && IsBidiControl(r)) {
			i += n
			continue
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

// TestCleanMatchesReference compares CleanText and CleanLine with the
// rune-by-rune reference on random strings drawn from bidi controls, their
// neighbours in Unicode, Cyrillic, Arabic and broken UTF-8.
func TestCleanMatchesReference(t *testing.T) {
	parts := []string{"\u202A", "\u202E", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C", "\u2029", "\u202F",
		"\u2065", "\u206A", "\u200D", "\u061B", "\u061D", "—", "ж", "ң", "a", " ", "\n", "\xE2", "\xE2\x80", "\xD8",
		"\xE2\x80\xAE"[1:], "\xff", "ب", "\x1b", "\x00", "\t", "\r", "\x7f", "\u0085", "\u009f", "\xC2", "\u00a0"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rnd.IntN(12) {
			b.WriteString(parts[rnd.IntN(len(parts))])
		}
		s := b.String()
		if got, want := CleanText(s), referenceClean(s, false); got != want {
			t.Fatalf("CleanText(%q) = %q, want %q", s, got, want)
		}
		if got, want := CleanLine(s), strings.TrimSpace(referenceControls(referenceClean(s, true))); got != want {
			t.Fatalf("CleanLine(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzCleanText(f *testing.F) {
	f.Add("evil\u202Egpj.exe")
	f.Add("a\u200Fb\u061C\xE2\x80")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CleanText(s), referenceClean(s, false); got != want {
			t.Fatalf("CleanText(%q) = %q, want %q", s, got, want)
		}
		if got, want := CleanLine(s), strings.TrimSpace(referenceControls(referenceClean(s, true))); got != want {
			t.Fatalf("CleanLine(%q) = %q, want %q", s, got, want)
		}
	})
}

var benchBody = strings.Repeat("Жогорку Кеңеш — шайлоону белгиледи, «Ала-Тоо» аянтында. ", 4000)

// BenchmarkCleanText runs on a 460 KB Kyrgyz body without controls (the
// common case: nothing to copy) with em dashes, which share the lead byte.
func BenchmarkCleanText(b *testing.B) {
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		_ = CleanText(benchBody)
	}
}

func BenchmarkCleanLine(b *testing.B) {
	s := "Жогорку Кеңеш шайлоону белгиледи — «Ала-Тоо» аянтында"
	for b.Loop() {
		_ = CleanLine(s)
	}
}
