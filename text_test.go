package jarchy

import (
	"reflect"
	"testing"
	"time"
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
	cover := &Media{Path: "a/b.jpg", Caption: "Ала-Тоо\u202E", Credit: "\u202BСүрөт: Жарчы", Alt: "имарат\u061C", Width: 10}
	a := &Article{
		Lang: Kyrgyz, Title: "  evil\u202Egpj.exe ", Slug: "", Lead: " Лид\u202E тексти\u200F ",
		Body:       "Текст \u202Eичинде\u202C.\n\nЭкинчи \u200Fабзац.",
		ExternalID: " ext-1 ",
		Section:    Section{Slug: " sayasat\u202E", Names: map[Lang]string{Kyrgyz: "Саясат\u202E", Russian: " \u2067 "}},
		Tags:       tags, Authors: authors, Cover: cover, Status: StatusDraft,
	}
	a.Normalize()
	want := &Article{
		Lang: Kyrgyz, Title: "evilgpj.exe", Slug: "evilgpj-exe", Lead: "Лид тексти\u200F",
		Body:       "Текст ичинде.\n\nЭкинчи \u200Fабзац.",
		ExternalID: "ext-1",
		Section:    Section{Slug: "sayasat", Names: map[Lang]string{Kyrgyz: "Саясат"}},
		Tags:       []Tag{{Name: "шайлоо"}, {Name: "ТШМ", Slug: "tshm"}},
		Authors:    []Author{{Name: "Айгүл Асанова", Bio: "Журналист.\u200F"}},
		Cover:      &Media{Path: "a/b.jpg", Caption: "Ала-Тоо", Credit: "Сүрөт: Жарчы", Alt: "имарат", Width: 10},
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
	again.Normalize()
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
	a.Normalize()
	if !a.PublishedAt.Equal(at) || a.PublishedAt.Location() != time.UTC || a.Slug != "title" {
		t.Errorf("published %v slug %q", a.PublishedAt, a.Slug)
	}
}
