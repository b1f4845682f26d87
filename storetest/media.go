package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunMedia runs the contract of jarchy.MediaStore and of articles' covers
// as references to it.
func RunMedia(t *testing.T, open Opener) {
	run(t, open, []test{
		{"SaveAndRead", testMediaSaveRead},
		{"Invalid", store(testMediaInvalid)},
		{"ListAndSearch", testMediaList},
		{"UpdateText", store(testMediaUpdateText)},
		{"DeleteInUse", store(testMediaDeleteInUse)},
		{"ArticleLinks", store(testMediaArticleLinks)},
		{"CoverAltToPublish", store(testCoverAltRule)},
		{"Blobs", store(testMediaBlobs)},
	})
}

// mediaAt is the fixed time the media tests start at.
var mediaAt = time.Date(2026, 6, 1, 8, 0, 0, 250000000, time.UTC)

func photo(key string) *jarchy.Media {
	stem := strings.TrimSuffix(key, ".jpg")
	return &jarchy.Media{Key: key, Type: "image/jpeg", Width: 2400, Height: 1600,
		Caption: "Ала-Тоо аянты", Credit: "Сүрөт: Жарчы", Alt: "Аянттагы адамдар",
		Variants: []jarchy.MediaVariant{{Key: stem + "-320.jpg", Width: 320, Height: 213}, {Key: stem + "-640.jpg", Width: 640, Height: 427}},
		OG:       &jarchy.MediaVariant{Key: stem + "-og.jpg", Width: 1200, Height: 630}}
}

func saveMedia(t *testing.T, s jarchy.Store, m *jarchy.Media) *jarchy.Media {
	t.Helper()
	if err := s.SaveMedia(ctx, m); err != nil {
		t.Fatalf("SaveMedia(%q): %v", m.Key, err)
	}
	return m
}

func testMediaSaveRead(t *testing.T, s jarchy.Store, c *clock) {
	c.set(mediaAt)
	u := saveUser(t, s, "foto@example.kg", jarchy.RoleAuthor)
	ch := record(t, s)
	m := photo("ab/cd1234.jpg")
	m.Uploader = u.ID
	m.Variants = []jarchy.MediaVariant{m.Variants[1], m.Variants[0]} // stored narrowest first
	saveMedia(t, s, m)
	if !m.CreatedAt.Equal(mediaAt) || !m.UpdatedAt.Equal(mediaAt) || m.Uploader != u.ID || m.Variants[0].Width != 320 {
		t.Fatalf("saved media: %+v", m)
	}
	if got := ch.take(); len(got) != 1 || topics(got[0]) != "m/ab%2Fcd1234.jpg" {
		t.Fatalf("SaveMedia published %v, want m/ab%%2Fcd1234.jpg", got)
	}
	got, err := s.Media(ctx, "ab/cd1234.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(m) {
		t.Fatalf("Media read back\n got %+v\nwant %+v", got, m)
	}
	// An upsert replaces the fields, keeps the uploader and creation time.
	later := mediaAt.Add(time.Hour)
	c.set(later)
	again := photo("ab/cd1234.jpg")
	again.Caption, again.Variants, again.OG = "Жаңы жазуу", nil, nil
	saveMedia(t, s, again)
	got, err = s.Media(ctx, "ab/cd1234.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if got.Caption != "Жаңы жазуу" || got.Variants != nil || got.OG != nil || got.Uploader != u.ID ||
		!got.CreatedAt.Equal(mediaAt) || !got.UpdatedAt.Equal(later) || !got.Equal(again) {
		t.Fatalf("after upsert: %+v (returned %+v)", got, again)
	}
	if _, err := s.Media(ctx, "no/such.jpg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("missing media: %v, want ENOTFOUND", err)
	}
}

func testMediaInvalid(t *testing.T, s jarchy.Store) {
	ch := record(t, s)
	long := strings.Repeat("я", jarchy.MaxCaptionLen+1)
	for name, m := range map[string]*jarchy.Media{
		"no key":          {},
		"parent key":      {Key: "../etc/passwd"},
		"absolute key":    {Key: "/etc/passwd"},
		"hidden key":      {Key: "x/.tmp-1.jpg"},
		"javascript url":  {URL: "javascript:alert(1)"},
		"key not its url": {Key: "a.jpg", URL: "https://example.org/a.jpg"},
		"long caption":    {Key: "a.jpg", Caption: long},
		"NUL in credit":   {Key: "a.jpg", Credit: "a\x00b"},
		"bad UTF-8 alt":   {Key: "a.jpg", Alt: "\xff"},
		"negative width":  {Key: "a.jpg", Width: -1},
		"huge height":     {Key: "a.jpg", Height: jarchy.MaxMediaPixels + 1},
		"bad variant key": {Key: "a.jpg", Variants: []jarchy.MediaVariant{{Key: "../v.jpg", Width: 320, Height: 200}}},
		"zero variant":    {Key: "a.jpg", Variants: []jarchy.MediaVariant{{Key: "v.jpg"}}},
		"bad og":          {Key: "a.jpg", OG: &jarchy.MediaVariant{Key: "og.jpg", Width: 1200}},
	} {
		if err := s.SaveMedia(ctx, m); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("%s: SaveMedia gave %v, want EINVALID", name, err)
		}
	}
	if list, total, err := s.ListMedia(ctx, jarchy.MediaFilter{}); err != nil || total != 0 || len(list) != 0 {
		t.Fatalf("after refused saves: %d rows, total %d, %v", len(list), total, err)
	}
	if got := ch.take(); len(got) != 0 {
		t.Fatalf("refused saves published %v", got)
	}
	for _, f := range []jarchy.MediaFilter{{Limit: -1}, {Limit: 101}, {Offset: -1}, {Query: "a\x00"}} {
		if _, _, err := s.ListMedia(ctx, f); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("ListMedia(%+v): %v, want EINVALID", f, err)
		}
	}
}

func testMediaList(t *testing.T, s jarchy.Store, c *clock) {
	texts := [][2]string{
		{"Ала-Тоо аянты", "Сүрөт: Жарчы"},
		{"Ысык-Көл жээги", "Фото: AKIpress"},
		{"Нарындагы жайлоо", "Сүрөт: Жарчы / Бакыт"},
		{"100% түшүм", "Kabar"},
		{"Бишкек шаары", "Фото: Азаттык"},
	}
	for i, tx := range texts {
		c.set(mediaAt.Add(time.Duration(i) * time.Minute))
		m := &jarchy.Media{Key: fmt.Sprintf("p/%d.jpg", i), Caption: tx[0], Credit: tx[1]}
		saveMedia(t, s, m)
	}
	keys := func(ms []*jarchy.Media) string {
		var ks []string
		for _, m := range ms {
			ks = append(ks, m.Key)
		}
		return strings.Join(ks, " ")
	}
	for _, tc := range []struct {
		f     jarchy.MediaFilter
		want  string
		total int
	}{
		{jarchy.MediaFilter{}, "p/4.jpg p/3.jpg p/2.jpg p/1.jpg p/0.jpg", 5},
		{jarchy.MediaFilter{Limit: 2}, "p/4.jpg p/3.jpg", 5},
		{jarchy.MediaFilter{Limit: 2, Offset: 2}, "p/2.jpg p/1.jpg", 5},
		{jarchy.MediaFilter{Limit: 2, Offset: 10}, "", 5},
		{jarchy.MediaFilter{Query: "ЖАРЧЫ"}, "p/2.jpg p/0.jpg", 2}, // credit, case ignored in Cyrillic
		{jarchy.MediaFilter{Query: "көл"}, "p/1.jpg", 1},           // caption
		{jarchy.MediaFilter{Query: "akipress"}, "p/1.jpg", 1},
		{jarchy.MediaFilter{Query: "100%"}, "p/3.jpg", 1}, // no pattern characters
		{jarchy.MediaFilter{Query: "%"}, "p/3.jpg", 1},
		{jarchy.MediaFilter{Query: "_"}, "", 0},
		{jarchy.MediaFilter{Query: "  фото\u202E "}, "p/4.jpg p/1.jpg", 2}, // cleaned like the texts
	} {
		got, total, err := s.ListMedia(ctx, tc.f)
		if err != nil {
			t.Fatalf("ListMedia(%+v): %v", tc.f, err)
		}
		if keys(got) != tc.want || total != tc.total {
			t.Errorf("ListMedia(%+v) = %q (total %d), want %q (total %d)", tc.f, keys(got), total, tc.want, tc.total)
		}
	}
}

func testMediaUpdateText(t *testing.T, s jarchy.Store) {
	saveMedia(t, s, photo("u/1.jpg"))
	a := published(jarchy.Kyrgyz, "Аянт", base)
	a.Cover = &jarchy.Media{Key: "u/1.jpg"}
	save(t, s, a)
	ch := record(t, s)
	m, err := s.UpdateMediaText(ctx, "u/1.jpg", jarchy.MediaText{Caption: " Жаңы\u202E жазуу ", Credit: "Фото: Жарчы", Alt: "Эл"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Caption != "Жаңы жазуу" || m.Credit != "Фото: Жарчы" || m.Alt != "Эл" || m.Width != 2400 || len(m.Variants) != 2 {
		t.Fatalf("updated media: %+v", m)
	}
	if got := ch.take(); len(got) != 1 || topics(got[0]) != "m/u%2F1.jpg" {
		t.Fatalf("UpdateMediaText published %v, want m/u%%2F1.jpg", got)
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Cover == nil || got.Cover.Caption != "Жаңы жазуу" || got.Cover.Alt != "Эл" || got.Version != a.Version {
		t.Fatalf("article after the photo's edit: cover %+v, version %d (was %d)", got.Cover, got.Version, a.Version)
	}
	if list, _, err := s.ListMedia(ctx, jarchy.MediaFilter{Query: "жаңы"}); err != nil || len(list) != 1 {
		t.Fatalf("search after the edit: %d, %v", len(list), err)
	}
	if _, err := s.UpdateMediaText(ctx, "u/1.jpg", jarchy.MediaText{Caption: strings.Repeat("я", jarchy.MaxCaptionLen+1)}); jarchy.ErrorCode(err) != jarchy.EINVALID {
		t.Fatalf("too long caption: %v", err)
	}
	if _, err := s.UpdateMediaText(ctx, "u/none.jpg", jarchy.MediaText{}); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("missing media: %v", err)
	}
	if got := ch.take(); len(got) != 0 {
		t.Fatalf("refused edits published %v", got)
	}
}

func testMediaDeleteInUse(t *testing.T, s jarchy.Store) {
	saveMedia(t, s, photo("d/1.jpg"))
	a := save(t, s, published(jarchy.Kyrgyz, "Биринчи", base))
	b := newArticle(jarchy.Russian, "Второй")
	for _, x := range []*jarchy.Article{a, b} {
		x.Cover = &jarchy.Media{Key: "d/1.jpg"}
		save(t, s, x)
	}
	ch := record(t, s)
	err := s.DeleteMedia(ctx, "d/1.jpg")
	var inUse *jarchy.MediaInUseError
	if !errors.As(err, &inUse) || jarchy.ErrorCode(err) != jarchy.ECONFLICT {
		t.Fatalf("delete in use: %v, want a MediaInUseError (ECONFLICT)", err)
	}
	var de *jarchy.Error
	if !errors.As(err, &de) || de.MessageKey != "err.media_in_use" {
		t.Fatalf("delete in use: message key %+v", de)
	}
	want := []jarchy.MediaUse{{ArticleID: a.ID, Lang: jarchy.Kyrgyz, Title: "Биринчи", Status: jarchy.StatusPublished},
		{ArticleID: b.ID, Lang: jarchy.Russian, Title: "Второй", Status: jarchy.StatusDraft}}
	if fmt.Sprint(inUse.Uses) != fmt.Sprint(want) || inUse.Key != "d/1.jpg" {
		t.Fatalf("uses %+v, want %+v", inUse.Uses, want)
	}
	if uses, err := s.MediaUses(ctx, "d/1.jpg"); err != nil || fmt.Sprint(uses) != fmt.Sprint(want) {
		t.Fatalf("MediaUses: %+v, %v", uses, err)
	}
	if _, err := s.Media(ctx, "d/1.jpg"); err != nil {
		t.Fatalf("refused delete removed the photo: %v", err)
	}
	if got := ch.take(); len(got) != 0 {
		t.Fatalf("refused delete published %v", got)
	}
	for _, x := range []*jarchy.Article{a, b} {
		x.Cover = nil
		save(t, s, x)
	}
	ch.take()
	if err := s.DeleteMedia(ctx, "d/1.jpg"); err != nil {
		t.Fatalf("delete unused: %v", err)
	}
	if got := ch.take(); len(got) != 1 || topics(got[0]) != "m/d%2F1.jpg" {
		t.Fatalf("DeleteMedia published %v", got)
	}
	if _, err := s.Media(ctx, "d/1.jpg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("deleted media: %v", err)
	}
	if err := s.DeleteMedia(ctx, "d/1.jpg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("delete twice: %v", err)
	}
}

// An article names its cover by key: a save creates a missing photo from
// the cover's fields, links an existing one as stored (its texts win), and
// reads join the stored row.
func testMediaArticleLinks(t *testing.T, s jarchy.Store) {
	a := newArticle(jarchy.Kyrgyz, "Биринчи")
	a.Cover = &jarchy.Media{Key: "l/1.jpg", Caption: "Биринчи жазуу", Credit: "Жарчы", Alt: "Тоо", Width: 800, Height: 600}
	save(t, s, a)
	m, err := s.Media(ctx, "l/1.jpg")
	if err != nil || m.Caption != "Биринчи жазуу" || m.Width != 800 {
		t.Fatalf("photo made by the save: %+v, %v", m, err)
	}
	b := newArticle(jarchy.Kyrgyz, "Экинчи")
	b.Cover = &jarchy.Media{Key: "l/1.jpg", Caption: "Башка жазуу"}
	save(t, s, b)
	if b.Cover.Caption != "Биринчи жазуу" || b.Cover.Alt != "Тоо" {
		t.Fatalf("second article's cover: %+v, want the stored photo", b.Cover)
	}
	got, err := s.Article(ctx, b.ID)
	if err != nil || got.Cover == nil || !got.Cover.Equal(m) {
		t.Fatalf("read cover %+v (%v), want %+v", got.Cover, err, m)
	}
	// An external photo is keyed by its address.
	e := newArticle(jarchy.English, "External")
	e.Cover = &jarchy.Media{URL: "https://img.example.org/a.jpg?x=1&y=2", Credit: "Reuters"}
	save(t, s, e)
	key := jarchy.ExternalMediaKey("https://img.example.org/a.jpg?x=1&y=2")
	if e.Cover.Key != key || !strings.HasPrefix(key, "url/") {
		t.Fatalf("external cover key %q, want %q", e.Cover.Key, key)
	}
	if m, err := s.Media(ctx, key); err != nil || m.URL != "https://img.example.org/a.jpg?x=1&y=2" || m.Credit != "Reuters" {
		t.Fatalf("external photo: %+v, %v", m, err)
	}
	// Summaries carry the cover too (cards show it).
	list, err := s.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, Summary: true})
	if err != nil || len(list.Articles) != 2 {
		t.Fatalf("summaries: %+v, %v", list, err)
	}
	for _, x := range list.Articles {
		if x.Cover == nil || x.Cover.Caption != "Биринчи жазуу" {
			t.Fatalf("summary %q cover %+v", x.Title, x.Cover)
		}
	}
}

// An article cannot be published while its cover has no alt text.
func testCoverAltRule(t *testing.T, s jarchy.Store) {
	saveMedia(t, s, &jarchy.Media{Key: "alt/none.jpg", Caption: "Жазуусу бар, сүрөттөмөсү жок"})
	saveMedia(t, s, photo("alt/ok.jpg"))
	wantRefused := func(what string, err error) {
		t.Helper()
		var e *jarchy.Error
		if !errors.As(err, &e) || e.Code != jarchy.EINVALID || e.Field != "cover" || e.MessageKey != "err.cover_alt_required" {
			t.Fatalf("%s: %v, want EINVALID cover err.cover_alt_required", what, err)
		}
	}
	a := published(jarchy.Kyrgyz, "Сүрөттөмөсүз", base)
	a.Cover = &jarchy.Media{Key: "alt/none.jpg"}
	wantRefused("publishing a new article", s.SaveArticle(ctx, a))
	if a.ID != 0 {
		t.Fatal("a refused save set the ID")
	}
	if list, err := s.Articles(ctx, jarchy.ArticleFilter{}); err != nil || len(list.Articles) != 0 {
		t.Fatalf("a refused save left %d articles (%v)", len(list.Articles), err)
	}
	// A new photo given inline without alt is refused as well (and not created).
	n := published(jarchy.Kyrgyz, "Жаңы сүрөт", base)
	n.Cover = &jarchy.Media{Key: "alt/inline.jpg", Caption: "c"}
	wantRefused("publishing with an inline photo", s.SaveArticle(ctx, n))
	if _, err := s.Media(ctx, "alt/inline.jpg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("a refused save created its photo: %v", err)
	}
	// A draft may have it; scheduling or publishing it may not.
	a.Status = jarchy.StatusDraft
	save(t, s, a)
	a.Status = jarchy.StatusScheduled
	a.PublishedAt = base.Add(100 * 365 * 24 * time.Hour)
	wantRefused("scheduling", s.SaveArticle(ctx, a))
	a.Status, a.PublishedAt = jarchy.StatusPublished, base
	wantRefused("publishing a draft", s.SaveArticle(ctx, a))
	// With alt text it goes.
	if _, err := s.UpdateMediaText(ctx, "alt/none.jpg", jarchy.MediaText{Caption: "c", Alt: "Тоолор"}); err != nil {
		t.Fatal(err)
	}
	save(t, s, a)
	// A public article whose photo lost its alt later stays editable…
	if _, err := s.UpdateMediaText(ctx, "alt/none.jpg", jarchy.MediaText{Caption: "c"}); err != nil {
		t.Fatal(err)
	}
	a.Title = "Сүрөттөмөсүз (оңдолду)"
	save(t, s, a)
	// …but cannot take another photo without alt.
	saveMedia(t, s, &jarchy.Media{Key: "alt/none2.jpg"})
	a.Cover = &jarchy.Media{Key: "alt/none2.jpg"}
	wantRefused("another cover without alt on a public article", s.SaveArticle(ctx, a))
	a.Cover = &jarchy.Media{Key: "alt/ok.jpg"}
	save(t, s, a)
}

// MediaBlobs names every blob of every photo, none of an external one.
func testMediaBlobs(t *testing.T, s jarchy.Store) {
	saveMedia(t, s, photo("b/1.jpg"))
	saveMedia(t, s, &jarchy.Media{Key: "b/2.jpg"})
	saveMedia(t, s, &jarchy.Media{URL: "https://img.example.org/x.jpg"})
	var got []string
	if err := s.MediaBlobs(ctx, func(k string) error { got = append(got, k); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{"b/1-320.jpg", "b/1-640.jpg", "b/1-og.jpg", "b/1.jpg", "b/2.jpg"}
	if !slices.Equal(got, want) {
		t.Fatalf("MediaBlobs = %q, want %q", got, want)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.MediaBlobs(ctx, func(string) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("fn's error: %v after %d calls, want it at once", err, n)
	}
}
