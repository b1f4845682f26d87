package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunPages runs the contract of jarchy.PageStore.
func RunPages(t *testing.T, open Opener) {
	run(t, open, []test{
		{"Pages", store(testPages)},
		{"NotFound", store(testPageNotFound)},
		{"BidiControls", store(testPageBidiControls)},
		{"Clock", testPageClock},
	})
}

func testPages(t *testing.T, s jarchy.Store) {
	p := &jarchy.Page{Lang: jarchy.Kyrgyz, Title: "Биз жөнүндө", Body: "# Биз\n\nРедакция."}
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.Slug != "biz-jonundo" || p.UpdatedAt.IsZero() {
		t.Fatalf("SavePage filled %+v", p)
	}
	en := &jarchy.Page{Lang: jarchy.English, Slug: "about", Title: "About us", Body: "We."}
	contacts := &jarchy.Page{Lang: jarchy.English, Slug: "contacts", Title: "Contacts", Body: "Mail us."}
	for _, x := range []*jarchy.Page{contacts, en} {
		if err := s.SavePage(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PageBySlug(ctx, jarchy.Kyrgyz, "biz-jonundo")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != p.ID || got.Title != p.Title || got.Body != p.Body || got.Lang != p.Lang || !got.UpdatedAt.Equal(p.UpdatedAt) || got.UpdatedAt.Location() != time.UTC {
		t.Fatalf("PageBySlug: %+v, want %+v", got, p)
	}
	_, err = s.PageBySlug(ctx, jarchy.Russian, "about")
	wantCode(t, "page in other language", err, jarchy.ENOTFOUND)
	ps, err := s.Pages(ctx, jarchy.English)
	if err != nil || len(ps) != 2 || ps[0].Slug != "about" || ps[1].Slug != "contacts" {
		t.Fatalf("Pages(en): %v, %v", ps, err)
	}
	ps, err = s.Pages(ctx, "")
	if err != nil || len(ps) != 3 {
		t.Fatalf("Pages(all): %d, %v", len(ps), err)
	}
	// Update.
	en.Body = "We are a newspaper."
	if err := s.SavePage(ctx, en); err != nil {
		t.Fatal(err)
	}
	got, _ = s.PageBySlug(ctx, jarchy.English, "about")
	if got.Body != "We are a newspaper." || got.ID != en.ID {
		t.Fatalf("updated page %+v", got)
	}
	// Same slug in another language is fine; a duplicate in one language conflicts.
	if err := s.SavePage(ctx, &jarchy.Page{Lang: jarchy.Russian, Slug: "about", Title: "О нас"}); err != nil {
		t.Fatalf("same slug in ru: %v", err)
	}
	wantSlugTaken(t, "duplicate page slug", s.SavePage(ctx, &jarchy.Page{Lang: jarchy.English, Slug: "about", Title: "Dup"}))
	contacts.Slug = "about"
	wantSlugTaken(t, "rename onto a taken slug", s.SavePage(ctx, contacts))
	for _, bad := range []jarchy.Page{
		{Lang: "xx", Title: "t"}, {Lang: jarchy.English, Title: ""}, {Lang: jarchy.English, Title: "!!!"},
		{Lang: jarchy.English, Title: "t", Slug: "Bad/Slug"}, {Lang: jarchy.English, Title: "t\x00"},
		{Lang: jarchy.English, Title: strings.Repeat("t", jarchy.MaxTitleLen+1)},
		{Lang: jarchy.English, Title: "t", Body: strings.Repeat("b", jarchy.MaxBodyLen+1)},
		{Lang: jarchy.English, Title: "t", Body: "\xff"},
	} {
		x := bad
		wantCode(t, fmt.Sprintf("SavePage(%.20q)", bad.Title), s.SavePage(ctx, &x), jarchy.EINVALID)
	}
	wantCode(t, "SavePage(missing id)", s.SavePage(ctx, &jarchy.Page{ID: 999, Lang: jarchy.English, Title: "x"}), jarchy.ENOTFOUND)
	// Delete.
	if err := s.DeletePage(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.PageBySlug(ctx, jarchy.Kyrgyz, "biz-jonundo")
	wantCode(t, "deleted page", err, jarchy.ENOTFOUND)
	wantCode(t, "delete page again", s.DeletePage(ctx, p.ID), jarchy.ENOTFOUND)
}

func testPageNotFound(t *testing.T, s jarchy.Store) {
	wantCode(t, "PageBySlug", func() error { _, err := s.PageBySlug(ctx, jarchy.Kyrgyz, "nope"); return err }(), jarchy.ENOTFOUND)
	wantCode(t, "DeletePage", s.DeletePage(ctx, 999999), jarchy.ENOTFOUND)
	wantCode(t, "SavePage of a missing ID", s.SavePage(ctx, &jarchy.Page{ID: 999999, Lang: jarchy.English, Title: "Nope"}), jarchy.ENOTFOUND)
}

// testPageBidiControls: a page's title loses its bidi controls, its body
// keeps only the direction marks.
func testPageBidiControls(t *testing.T, s jarchy.Store) {
	const rlo, rlm = "\u202E", "\u200F"
	p := jarchy.Page{Lang: jarchy.Russian, Title: rlo + "О нас", Body: "Текст" + rlo + "." + rlm}
	if err := s.SavePage(ctx, &p); err != nil {
		t.Fatalf("SavePage: %v", err)
	}
	if got, err := s.PageBySlug(ctx, jarchy.Russian, "o-nas"); err != nil || got.Title != "О нас" || got.Body != "Текст."+rlm {
		t.Errorf("page: %+v %v", got, err)
	}
}

// testPageClock: a page's UpdatedAt is the store's clock at the save.
func testPageClock(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2031, 2, 3, 4, 5, 6, 7000, time.UTC)
	c.set(t0)
	p := &jarchy.Page{Lang: jarchy.English, Title: "About"}
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.PageBySlug(ctx, jarchy.English, "about")
	if err != nil || !got.UpdatedAt.Equal(t0) || !p.UpdatedAt.Equal(t0) {
		t.Fatalf("UpdatedAt %v (given back %v), %v; want the clock's %v", got.UpdatedAt, p.UpdatedAt, err, t0)
	}
}

// wantSlugTaken checks that err is the slug-taken conflict on the slug
// field, which the form shows in the editor's language on both stores.
func wantSlugTaken(t *testing.T, what string, err error) {
	t.Helper()
	var e *jarchy.Error
	if !errors.As(err, &e) || e.Code != jarchy.ECONFLICT || e.Field != "slug" || e.MessageKey != "err.slug_taken" {
		t.Fatalf("%s: error %#v, want ECONFLICT on slug with err.slug_taken", what, err)
	}
}
