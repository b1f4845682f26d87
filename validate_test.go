package jarchy

import (
	"reflect"
	"strings"
	"testing"
)

// wantInvalid checks that err is EINVALID about field.
func wantInvalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Code != EINVALID || e.Field != field {
		t.Errorf("%s: got %v, want EINVALID on %s", what, err, field)
	}
}

func TestSectionValidate(t *testing.T) {
	s := &Section{Slug: " politics\u202E", Names: map[Lang]string{Kyrgyz: " Саясат ", Russian: " "}}
	s.Normalize()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*s, Section{Slug: "politics", Names: map[Lang]string{Kyrgyz: "Саясат"}}) {
		t.Errorf("normalised %#v", *s)
	}
	bare := &Section{Slug: "news"}
	bare.Normalize()
	if bare.Names == nil {
		t.Error("Normalize left the names nil")
	}
	for name, bad := range map[string]Section{
		"unclean slug":  {Slug: "Politics"},
		"empty slug":    {},
		"reserved slug": {Slug: "search"},
		"unknown lang":  {Slug: "news", Names: map[Lang]string{"xx": "News"}},
		"long name":     {Slug: "news", Names: map[Lang]string{Kyrgyz: strings.Repeat("ы", MaxNameLen+1)}},
		"NUL in name":   {Slug: "news", Names: map[Lang]string{Kyrgyz: "a\x00b"}},
	} {
		bad.Normalize()
		wantInvalid(t, name, bad.Validate(), "section")
	}
}

func TestAuthorNormalizeValidate(t *testing.T) {
	au := &Author{Name: " Жапаров\u202E ", Bio: " Журналист. "}
	au.Normalize()
	if err := au.Validate(); err != nil {
		t.Fatal(err)
	}
	// Slugs are spelt as Kyrgyz spells the name, whatever the language.
	if *au != (Author{Name: "Жапаров", Slug: "japarov", Bio: "Журналист."}) {
		t.Errorf("normalised %#v", *au)
	}
	given := &Author{Name: "Айгүл", Slug: "aigul-a"}
	given.Normalize()
	if given.Slug != "aigul-a" {
		t.Errorf("a given slug became %q", given.Slug)
	}
	for name, bad := range map[string]struct {
		a     Author
		field string
	}{
		"no name":      {Author{Name: " \u202E "}, "author"},
		"long name":    {Author{Name: strings.Repeat("ы", MaxNameLen+1)}, "author"},
		"long bio":     {Author{Name: "A", Bio: strings.Repeat("ы", MaxBioLen+1)}, "bio"},
		"unclean slug": {Author{Name: "A", Slug: "A_b"}, "author"},
	} {
		a := bad.a
		a.Normalize()
		wantInvalid(t, name, a.Validate(), bad.field)
	}
}

func TestPageNormalizeValidate(t *testing.T) {
	p := &Page{Lang: Russian, Title: " О нас ", Body: "Текст"}
	p.Normalize()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Slug != "o-nas" {
		t.Errorf("derived slug %q", p.Slug)
	}
	for name, bad := range map[string]struct {
		p     Page
		field string
	}{
		"unknown lang":   {Page{Lang: "xx", Title: "T"}, "lang"},
		"no title":       {Page{Lang: English, Title: " "}, "title"},
		"no slug":        {Page{Lang: English, Title: "!!!"}, "slug"},
		"unclean slug":   {Page{Lang: English, Title: "T", Slug: "a--b"}, "slug"},
		"long body":      {Page{Lang: English, Title: "T", Body: strings.Repeat("a", MaxBodyLen+1)}, "body"},
		"NUL in body":    {Page{Lang: English, Title: "T", Body: "a\x00"}, "body"},
		"invalid UTF-8":  {Page{Lang: English, Title: "T", Body: "a\xff"}, "body"},
		"long title":     {Page{Lang: English, Title: strings.Repeat("ы", MaxTitleLen+1)}, "title"},
		"NUL in a title": {Page{Lang: English, Title: "a\x00"}, "title"},
	} {
		pg := bad.p
		pg.Normalize()
		wantInvalid(t, name, pg.Validate(), bad.field)
	}
}

func TestSettingsClean(t *testing.T) {
	s, err := Settings{
		SiteName: map[Lang]string{Kyrgyz: " Жарчы ", Russian: ""},
		Social:   map[string]string{"x": "https://x.com/j", "youtube": " "},
	}.Clean()
	want := Settings{SiteName: map[Lang]string{Kyrgyz: "Жарчы"}, Social: map[string]string{"x": "https://x.com/j"}}
	if err != nil || !reflect.DeepEqual(s, want) {
		t.Fatalf("%#v %v", s, err)
	}
	empty, err := Settings{}.Clean()
	if err != nil || empty.SiteName == nil || empty.Social == nil {
		t.Fatalf("empty settings: %#v %v", empty, err)
	}
	for name, bad := range map[string]struct {
		s     Settings
		field string
	}{
		"unknown lang":    {Settings{SiteName: map[Lang]string{"xx": "N"}}, "site_name"},
		"long name":       {Settings{SiteName: map[Lang]string{Kyrgyz: strings.Repeat("ы", MaxNameLen+1)}}, "site_name"},
		"unknown network": {Settings{Social: map[string]string{"myspace": ""}}, "social"},
		"not http":        {Settings{Social: map[string]string{"x": "javascript:alert(1)"}}, "social"},
		"long link":       {Settings{Social: map[string]string{"x": "https://x.com/" + strings.Repeat("a", MaxURLLen)}}, "social"},
		"no host":         {Settings{Social: map[string]string{"x": "https:///profile"}}, "social"},
	} {
		_, err := bad.s.Clean()
		wantInvalid(t, name, err, bad.field)
	}
}

func TestArticleValidateKeysAndRelations(t *testing.T) {
	ok := func() *Article {
		return &Article{Lang: Kyrgyz, Title: "Жаңылык", Section: Section{Slug: "news"}}
	}
	for name, bad := range map[string]struct {
		edit  func(a *Article)
		field string
	}{
		"unclean slug":        {func(a *Article) { a.Slug = "Bad Slug" }, "slug"},
		"long external id":    {func(a *Article) { a.ExternalID = strings.Repeat("x", MaxExternalIDLen+1) }, "external_id"},
		"NUL in group":        {func(a *Article) { a.TranslationGroup = "g\x00" }, "translation_group"},
		"reserved section":    {func(a *Article) { a.Section = Section{Slug: "tag"} }, "section"},
		"unclean tag slug":    {func(a *Article) { a.Tags = []Tag{{Name: "T", Slug: "T T"}} }, "tags"},
		"nameless tag":        {func(a *Article) { a.Tags = []Tag{{Slug: "t"}} }, "tags"},
		"long author bio":     {func(a *Article) { a.Authors = []Author{{Name: "A", Bio: strings.Repeat("ы", MaxBioLen+1)}} }, "authors"},
		"unclean author slug": {func(a *Article) { a.Authors = []Author{{Name: "A", Slug: "-a"}} }, "authors"},
		"hostless cover url":  {func(a *Article) { a.Cover = &Media{URL: "https://"} }, "cover"},
		"unparsable cover":    {func(a *Article) { a.Cover = &Media{URL: "http://[::1/x.jpg"} }, "cover"},
		"hidden cover path":   {func(a *Article) { a.Cover = &Media{Key: "photos/.tmp-1.jpg"} }, "cover"},
	} {
		a := ok()
		bad.edit(a)
		a.Normalize(a.CreatedAt)
		wantInvalid(t, name, a.Validate(), bad.field)
	}
	// A relation given by ID is the stored one: its slug and bio are not the
	// caller's to set, so they are not checked.
	a := ok()
	a.Authors = []Author{{ID: 7, Name: "A", Slug: "Not Clean", Bio: strings.Repeat("ы", MaxBioLen+1)}}
	a.Normalize(a.CreatedAt)
	if err := a.Validate(); err != nil {
		t.Errorf("author by ID: %v", err)
	}
}

func TestValidWebURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://example.kg/a.jpg":  true,
		"http://example.kg":         true,
		"https://":                  false,
		"https:///a.jpg":            false,
		"http://[::1/a.jpg":         false,
		"javascript:alert(1)":       false,
		"//example.kg/a.jpg":        false,
		"ftp://example.kg/a.jpg":    false,
		"https://exa mple.kg/a.jpg": false,
		"":                          false,
	} {
		if got := ValidWebURL(u); got != want {
			t.Errorf("ValidWebURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestValidMediaPath(t *testing.T) {
	for p, want := range map[string]bool{
		"photos/2026/a.jpg": true,
		"a.jpg":             true,
		"":                  false,
		"/etc/passwd":       false,
		"a/../b.jpg":        false,
		"./a.jpg":           false,
		"a//b.jpg":          false,
		`a\b.jpg`:           false,
		"a\x00.jpg":         false,
		".tmp-123":          false,
		"x/.hidden.jpg":     false,
		"a\xff.jpg":         false,
	} {
		if got := ValidMediaPath(p); got != want {
			t.Errorf("ValidMediaPath(%q) = %v, want %v", p, got, want)
		}
	}
}
