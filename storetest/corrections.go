package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunCorrections runs the contract of Article.Corrections: stored with
// the article, stamped with the store's clock, part of the content (the
// update time follows), of every revision, and validated.
func RunCorrections(t *testing.T, open Opener) {
	run(t, open, []test{
		{"AddedAndKept", testCorrectionsAddedAndKept},
		{"Invalid", store(testCorrectionsInvalid)},
		{"KeptByRestore", store(testCorrectionsKeptByRestore)},
	})
}

// testCorrectionsKeptByRestore: restoring a revision from before a
// correction restores the text, not the correction's removal.
func testCorrectionsKeptByRestore(t *testing.T, s jarchy.Store) {
	a := save(t, s, published(jarchy.Kyrgyz, "Бюджет кабыл алынды", base))
	first := a.Version
	a.Body = "Бюджет 300 миллиард сом."
	if err := jarchy.AddCorrection(a, "Сумма оңдолду: 300 миллиард."); err != nil {
		t.Fatal(err)
	}
	save(t, s, a)
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var old int64
	for _, r := range revs {
		if r.Version == first {
			old = r.ID
		}
	}
	restored, err := jarchy.RestoreRevision(ctx, s, old, a.Version)
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, restored)
	got := load(t, s, a.ID)
	if got.Body != "Body of *Бюджет кабыл алынды*" {
		t.Errorf("restored body %q", got.Body)
	}
	if len(got.Corrections) != 1 || got.Corrections[0].Text != "Сумма оңдолду: 300 миллиард." {
		t.Fatalf("the restore dropped the correction: %+v", got.Corrections)
	}
}

func testCorrectionsAddedAndKept(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c.set(t0)
	a := save(t, s, published(jarchy.Kyrgyz, "Шайлоонун жыйынтыгы", t0.Add(-time.Hour)))
	if len(a.Corrections) != 0 || len(load(t, s, a.ID).Corrections) != 0 {
		t.Fatalf("a new article has corrections: %+v", load(t, s, a.ID).Corrections)
	}

	t1 := t0.Add(2 * time.Hour)
	c.set(t1)
	a = load(t, s, a.ID)
	a.Body = "Добуштардын саны: 51 %."
	if err := jarchy.AddCorrection(a, "  Мурунку версияда добуштардын саны\u202e туура эмес берилген.  "); err != nil {
		t.Fatal(err)
	}
	save(t, s, a)
	want := []jarchy.Correction{{At: t1, Text: "Мурунку версияда добуштардын саны туура эмес берилген."}}
	got := load(t, s, a.ID)
	if fmt.Sprint(got.Corrections) != fmt.Sprint(want) || got.Corrections[0].At.Location() != time.UTC {
		t.Fatalf("corrections after the save: %+v, want %+v", got.Corrections, want)
	}
	if !got.UpdatedAt.Equal(t1) {
		t.Errorf("UpdatedAt %v, want the correction's save %v", got.UpdatedAt, t1)
	}
	if fmt.Sprint(a.Corrections) != fmt.Sprint(want) {
		t.Errorf("SaveArticle left a.Corrections %+v, want %+v", a.Corrections, want)
	}

	// A later save that only adds a correction changes the content too;
	// the earlier one keeps its time.
	t2 := t1.Add(time.Hour)
	c.set(t2)
	a = load(t, s, a.ID)
	if err := jarchy.AddCorrection(a, "Second correction."); err != nil {
		t.Fatal(err)
	}
	save(t, s, a)
	want = append(want, jarchy.Correction{At: t2, Text: "Second correction."})
	got = load(t, s, a.ID)
	if fmt.Sprint(got.Corrections) != fmt.Sprint(want) || !got.UpdatedAt.Equal(t2) {
		t.Fatalf("after a second correction: %+v (updated %v), want %+v (updated %v)", got.Corrections, got.UpdatedAt, want, t2)
	}

	// A save that does not touch them keeps them.
	c.set(t2.Add(time.Hour))
	got.Title = "Шайлоонун акыркы жыйынтыгы"
	save(t, s, got)
	if got = load(t, s, a.ID); fmt.Sprint(got.Corrections) != fmt.Sprint(want) {
		t.Fatalf("a title edit changed the corrections: %+v", got.Corrections)
	}

	// Every revision holds the corrections of its time.
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var counts []int
	for _, r := range revs {
		full, err := s.Revision(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, len(full.Article.Corrections))
		if len(r.Article.Corrections) != len(full.Article.Corrections) {
			t.Errorf("revision %d lists %d corrections, has %d", r.ID, len(r.Article.Corrections), len(full.Article.Corrections))
		}
	}
	if fmt.Sprint(counts) != "[2 2 1 0]" {
		t.Fatalf("corrections per revision, newest first: %v, want [2 2 1 0]", counts)
	}
	full, _ := s.Revision(ctx, revs[0].ID)
	if fmt.Sprint(full.Article.Corrections) != fmt.Sprint(want) {
		t.Errorf("newest revision's corrections %+v, want %+v", full.Article.Corrections, want)
	}

	// Summaries do not carry them.
	l := list(t, s, jarchy.ArticleFilter{Summary: true})
	if len(l.Articles) != 1 || l.Articles[0].Corrections != nil {
		t.Errorf("a summary carries corrections: %+v", l.Articles)
	}
}

func testCorrectionsInvalid(t *testing.T, s jarchy.Store) {
	a := save(t, s, published(jarchy.English, "Figures", base))
	for _, bad := range []string{"", "   ", "\u202e", strings.Repeat("я", jarchy.MaxCorrectionLen+1), "a\x00b"} {
		if err := jarchy.AddCorrection(load(t, s, a.ID), bad); jarchy.ErrorCode(err) != jarchy.EINVALID {
			t.Errorf("AddCorrection(%.20q): %v, want EINVALID", bad, err)
		}
		// Given straight in the list, the store refuses it.
		b := load(t, s, a.ID)
		b.Corrections = append(b.Corrections, jarchy.Correction{Text: bad})
		wantCode(t, fmt.Sprintf("SaveArticle with correction %.20q", bad), s.SaveArticle(ctx, b), jarchy.EINVALID)
	}
	b := load(t, s, a.ID)
	for range jarchy.MaxCorrections {
		b.Corrections = append(b.Corrections, jarchy.Correction{Text: "c"})
	}
	if err := jarchy.AddCorrection(b, "one too many"); jarchy.ErrorCode(err) != jarchy.EINVALID {
		t.Errorf("AddCorrection beyond %d: %v", jarchy.MaxCorrections, err)
	}
	b.Corrections = append(b.Corrections, jarchy.Correction{Text: "c"})
	wantCode(t, "SaveArticle with too many corrections", s.SaveArticle(ctx, b), jarchy.EINVALID)
	if got := load(t, s, a.ID); len(got.Corrections) != 0 || got.Version != a.Version {
		t.Fatalf("failed saves changed the article: %d corrections, version %d", len(got.Corrections), got.Version)
	}
}
