package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunRevisions runs the contract of jarchy.RevisionStore: every save that
// changes an article (SaveArticle, SaveArticles, the claim of PublishDue)
// stores one revision with the full snapshot in the same transaction; a
// save that changes nothing, or that fails, stores none; revisions outlive
// their article; restoring one is a save that adds a new revision.
func RunRevisions(t *testing.T, open Opener) {
	run(t, open, []test{
		{"Snapshot", testRevisionSnapshot},
		{"NoChangeNoRevision", store(testRevisionNoChange)},
		{"Batch", store(testRevisionBatch)},
		{"PublishDue", testRevisionPublishDue},
		{"Restore", store(testRevisionRestore)},
		{"KeptAfterDelete", store(testRevisionKeptAfterDelete)},
	})
}

// snap prints what a revision's snapshot holds, metadata included, so a
// test compares it with a fixed text.
func snap(a jarchy.Article) string {
	var tags, authors []string
	for _, tg := range a.Tags {
		tags = append(tags, tg.Slug+"="+tg.Name)
	}
	for _, au := range a.Authors {
		authors = append(authors, au.Slug+"="+au.Name)
	}
	cover := "-"
	if c := a.Cover; c != nil {
		cover = fmt.Sprintf("%s|%s|%s|%s|%s|%dx%d", c.Key, c.URL, c.Caption, c.Credit, c.Alt, c.Width, c.Height)
	}
	pub := "-"
	if !a.PublishedAt.IsZero() {
		pub = a.PublishedAt.Format(time.RFC3339Nano)
	}
	return strings.Join([]string{
		"ext=" + a.ExternalID, "lang=" + string(a.Lang), "title=" + a.Title, "slug=" + a.Slug,
		"lead=" + a.Lead, "body=" + a.Body,
		fmt.Sprintf("section=%s %s/%s/%s", a.Section.Slug, a.Section.Names[jarchy.Kyrgyz], a.Section.Names[jarchy.Russian], a.Section.Names[jarchy.English]),
		"tags=" + strings.Join(tags, ","), "authors=" + strings.Join(authors, ","),
		"cover=" + cover, "status=" + string(a.Status), "published=" + pub,
	}, "\n")
}

func revisions(t *testing.T, s jarchy.Store, articleID int64) []jarchy.Revision {
	t.Helper()
	revs, err := s.Revisions(ctx, articleID)
	if err != nil {
		t.Fatalf("Revisions(%d): %v", articleID, err)
	}
	return revs
}

func revision(t *testing.T, s jarchy.Store, id int64) *jarchy.Revision {
	t.Helper()
	r, err := s.Revision(ctx, id)
	if err != nil {
		t.Fatalf("Revision(%d): %v", id, err)
	}
	return r
}

// wantVersions checks the versions of an article's revisions, newest first.
func wantVersions(t *testing.T, s jarchy.Store, articleID int64, want ...int64) []jarchy.Revision {
	t.Helper()
	revs := revisions(t, s, articleID)
	var got []int64
	for _, r := range revs {
		got = append(got, r.Version)
		if r.ArticleID != articleID {
			t.Fatalf("revision %d of article %d has ArticleID %d", r.ID, articleID, r.ArticleID)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("versions of the revisions of article %d: %v, want %v", articleID, got, want)
	}
	return revs
}

const fullSnapshot = `ext=ext-42
lang=ky
title=Жогорку Кеңештин шайлоосу
slug=jogorku-kengeshtin-shayloosu
lead=Шайлоо жекшембиде өтөт.
body=# Баш

Текст **калың** жана [шилтеме](https://example.org).

section=politics Саясат/Политика/Politics
tags=shayloo=Шайлоо,bishkek=Бишкек,jogorku-kengesh=Жогорку Кеңеш
authors=umut-toktosunova=Үмүт Токтосунова,azamat-bekovich=Азамат Бекович,aygul-osmonova=Айгүл Осмонова
cover=2026/03/ala-too.jpg||Ала-Тоо аянты|Фото: Jarchy|Аянттагы адамдар|1600x900
status=published
published=2026-03-01T12:30:15.123456Z`

// testRevisionSnapshot: each save adds one revision holding the whole
// article as saved, metadata included, with the save's time, version and
// the RevisionInfo of its context; the list is newest first without
// bodies; an unknown revision is ENOTFOUND.
func testRevisionSnapshot(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	c.set(t0)
	a := save(t, s, fullArticle())
	revs := wantVersions(t, s, a.ID, 1)
	r1 := revision(t, s, revs[0].ID)
	if got := snap(r1.Article); got != fullSnapshot {
		t.Fatalf("first revision's snapshot:\n%s\nwant:\n%s", got, fullSnapshot)
	}
	if !r1.CreatedAt.Equal(t0) || r1.AuthorID != 0 || r1.Note != "" || r1.Version != 1 {
		t.Fatalf("first revision: created %v author %d note %q version %d; want %v, 0, \"\", 1", r1.CreatedAt, r1.AuthorID, r1.Note, r1.Version, t0)
	}

	t1 := t0.Add(time.Hour)
	c.set(t1)
	a.Title = "Шайлоонун жыйынтыгы"
	a.Body = "Жаңы текст."
	a.Tags = []jarchy.Tag{{Name: "Бишкек"}}
	a.Authors = a.Authors[1:2]
	a.Cover = nil
	info := jarchy.RevisionInfo{AuthorID: 7, Note: "Түзөтүү: шайлоонун күнү оңдолду"}
	if err := s.SaveArticle(jarchy.WithRevisionInfo(ctx, info), a); err != nil {
		t.Fatalf("second save: %v", err)
	}
	revs = wantVersions(t, s, a.ID, 2, 1)
	for _, r := range revs {
		if r.Article.Body != "" {
			t.Fatalf("Revisions lists revision %d with its body %q, want none", r.ID, r.Article.Body)
		}
	}
	if revs[0].Article.Title != "Шайлоонун жыйынтыгы" || revs[1].Article.Title != "Жогорку Кеңештин шайлоосу" {
		t.Fatalf("listed titles %q, %q", revs[0].Article.Title, revs[1].Article.Title)
	}
	r2 := revision(t, s, revs[0].ID)
	want2 := `ext=ext-42
lang=ky
title=Шайлоонун жыйынтыгы
slug=jogorku-kengeshtin-shayloosu
lead=Шайлоо жекшембиде өтөт.
body=Жаңы текст.
section=politics Саясат/Политика/Politics
tags=bishkek=Бишкек
authors=azamat-bekovich=Азамат Бекович
cover=-
status=published
published=2026-03-01T12:30:15.123456Z`
	if got := snap(r2.Article); got != want2 {
		t.Fatalf("second revision's snapshot:\n%s\nwant:\n%s", got, want2)
	}
	if !r2.CreatedAt.Equal(t1) || r2.AuthorID != 7 || r2.Note != info.Note || r2.Version != 2 {
		t.Fatalf("second revision: created %v author %d note %q version %d; want %v, 7, %q, 2", r2.CreatedAt, r2.AuthorID, r2.Note, r2.Version, t1, info.Note)
	}
	if got := snap(revision(t, s, r1.ID).Article); got != fullSnapshot {
		t.Fatalf("the first revision changed after the second save:\n%s", got)
	}
	_, err := s.Revision(ctx, r2.ID+1000)
	wantCode(t, "Revision(unknown)", err, jarchy.ENOTFOUND)
	if revs := revisions(t, s, a.ID+1000); len(revs) != 0 {
		t.Fatalf("Revisions(unknown article) = %d revisions, want none", len(revs))
	}
}

// testRevisionNoChange: a save that changes nothing (same content) adds
// no revision though the version moves on; a stale save adds none.
func testRevisionNoChange(t *testing.T, s jarchy.Store) {
	a := save(t, s, fullArticle())
	save(t, s, a) // the same content again
	if a.Version != 2 {
		t.Fatalf("unchanged save: version %d, want 2", a.Version)
	}
	wantVersions(t, s, a.ID, 1)
	a.Status = jarchy.StatusUnpublished // a status change is a change
	save(t, s, a)
	wantVersions(t, s, a.ID, 3, 1)
	stale := *a
	stale.Version = 2
	stale.Title = "Эскирген нуска"
	wantCode(t, "stale save", s.SaveArticle(ctx, &stale), jarchy.ECONFLICT)
	wantVersions(t, s, a.ID, 3, 1)
}

// testRevisionBatch: SaveArticles adds one revision per changed article;
// a batch that fails adds none.
func testRevisionBatch(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	as := []*jarchy.Article{newArticle(ky, "Биринчи"), newArticle(ky, "Экинчи"), newArticle(ky, "Үчүнчү")}
	if err := s.SaveArticles(ctx, as); err != nil {
		t.Fatalf("SaveArticles: %v", err)
	}
	for _, a := range as {
		wantVersions(t, s, a.ID, 1)
	}
	as[0].Title = "Биринчи, оңдолгон"
	as[2].Title = "Үчүнчү, оңдолгон"
	if err := s.SaveArticles(ctx, as); err != nil {
		t.Fatalf("SaveArticles again: %v", err)
	}
	wantVersions(t, s, as[0].ID, 2, 1)
	wantVersions(t, s, as[1].ID, 1) // unchanged in the batch
	wantVersions(t, s, as[2].ID, 2, 1)
	if got := revisions(t, s, as[2].ID)[0].Article.Title; got != "Үчүнчү, оңдолгон" {
		t.Fatalf("batch revision title %q", got)
	}

	as[0].Title = "Биринчи, үчүнчү жолу"
	as[1].Version = 99 // stale: the whole batch fails
	wantCode(t, "batch with a stale article", s.SaveArticles(ctx, as), jarchy.ECONFLICT)
	wantVersions(t, s, as[0].ID, 2, 1)
	wantVersions(t, s, as[1].ID, 1)
}

// testRevisionPublishDue: the scheduler's claim adds one revision, of the
// published article, at the claim's time.
func testRevisionPublishDue(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2031, 5, 6, 7, 0, 0, 0, time.UTC)
	c.set(t0)
	a := published(jarchy.Kyrgyz, "Пландалган макала", t0.Add(time.Minute))
	a.Tags = []jarchy.Tag{{Name: "Пландоо"}}
	save(t, s, a)
	revs := wantVersions(t, s, a.ID, 1)
	if revs[0].Article.Status != jarchy.StatusScheduled {
		t.Fatalf("first revision status %q, want scheduled", revs[0].Article.Status)
	}
	c.set(t0.Add(2 * time.Minute))
	if ids, err := s.PublishDue(ctx); err != nil || !slices.Equal(ids, []int64{a.ID}) {
		t.Fatalf("PublishDue = %v, %v; want [%d]", ids, err, a.ID)
	}
	revs = wantVersions(t, s, a.ID, 2, 1)
	r := revision(t, s, revs[0].ID)
	want := `ext=
lang=ky
title=Пландалган макала
slug=plandalgan-makala
lead=Lead of Пландалган макала
body=Body of *Пландалган макала*
section=news Жаңылыктар/Новости/News
tags=plandoo=Пландоо
authors=
cover=-
status=published
published=2031-05-06T07:01:00Z`
	if got := snap(r.Article); got != want {
		t.Fatalf("claimed revision's snapshot:\n%s\nwant:\n%s", got, want)
	}
	if !r.CreatedAt.Equal(t0.Add(2 * time.Minute)) {
		t.Fatalf("claimed revision created %v, want %v", r.CreatedAt, t0.Add(2*time.Minute))
	}
	if ids, err := s.PublishDue(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("second PublishDue = %v, %v; want nothing", ids, err)
	}
	wantVersions(t, s, a.ID, 2, 1)
}

// testRevisionRestore: restoring an old revision saves its content as a
// new version with a new revision, leaving the history as it was; a
// restore based on an old version is a conflict.
func testRevisionRestore(t *testing.T, s jarchy.Store) {
	a := save(t, s, fullArticle())
	first := revisions(t, s, a.ID)[0].ID
	a.Title = "Башка аталыш"
	a.Lead = "Башка лид."
	a.Body = "Башка текст."
	a.Tags = []jarchy.Tag{{Name: "Жаңы тег"}}
	a.Authors = nil
	a.Cover = nil
	a.Section = jarchy.Section{Slug: "world", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Дүйнө"}}
	save(t, s, a)

	r, err := jarchy.RestoreRevision(ctx, s, first, a.Version)
	if err != nil {
		t.Fatalf("RestoreRevision: %v", err)
	}
	save(t, s, r)
	if r.ID != a.ID || r.Version != 3 {
		t.Fatalf("restored as article %d version %d, want %d version 3", r.ID, r.Version, a.ID)
	}
	revs := wantVersions(t, s, a.ID, 3, 2, 1)
	if got := snap(revision(t, s, revs[0].ID).Article); got != fullSnapshot {
		t.Fatalf("the restore's revision:\n%s\nwant:\n%s", got, fullSnapshot)
	}
	if got := snap(revision(t, s, revs[1].ID).Article); !strings.Contains(got, "title=Башка аталыш") {
		t.Fatalf("the edit's revision changed after the restore:\n%s", got)
	}
	stored := load(t, s, a.ID)
	if got := snap(*stored); got != fullSnapshot {
		t.Fatalf("the restored article:\n%s\nwant:\n%s", got, fullSnapshot)
	}

	old, err := jarchy.RestoreRevision(ctx, s, revs[1].ID, 2) // based on a version saved over since
	if err != nil {
		t.Fatalf("RestoreRevision: %v", err)
	}
	wantCode(t, "restore based on an old version", s.SaveArticle(ctx, old), jarchy.ECONFLICT)
	wantVersions(t, s, a.ID, 3, 2, 1)
	_, err = jarchy.RestoreRevision(ctx, s, revs[0].ID+1000, 3)
	wantCode(t, "restore of an unknown revision", err, jarchy.ENOTFOUND)
}

// testRevisionKeptAfterDelete: deleting an article keeps its history
// readable.
func testRevisionKeptAfterDelete(t *testing.T, s jarchy.Store) {
	a := save(t, s, fullArticle())
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	revs := wantVersions(t, s, a.ID, 1)
	if got := snap(revision(t, s, revs[0].ID).Article); got != fullSnapshot {
		t.Fatalf("revision of a deleted article:\n%s\nwant:\n%s", got, fullSnapshot)
	}
}

// RevisionBaseline checks what a store does with an article saved before
// revisions existed: forget must delete the revisions of the article as
// the store keeps them (raw SQL) from s, a store open returned. Its next save first stores the article
// as it was (at its last save's time, with no author), then the new
// state: nothing is lost.
func RevisionBaseline(t *testing.T, open Opener, forget func(t *testing.T, s jarchy.Store, articleID int64)) {
	c := &clock{}
	s := open(t, c.now)
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	c.set(t0)
	a := save(t, s, fullArticle())
	forget(t, s, a.ID)
	if revs := revisions(t, s, a.ID); len(revs) != 0 {
		t.Fatalf("forget left %d revisions", len(revs))
	}
	c.set(t0.Add(time.Hour))
	a.Title = "Шайлоонун жыйынтыгы"
	info := jarchy.RevisionInfo{AuthorID: 3, Note: "оңдоо"}
	if err := s.SaveArticle(jarchy.WithRevisionInfo(ctx, info), a); err != nil {
		t.Fatalf("save after forget: %v", err)
	}
	revs := wantVersions(t, s, a.ID, 2, 1)
	base := revision(t, s, revs[1].ID)
	if got := snap(base.Article); got != fullSnapshot {
		t.Fatalf("the baseline revision:\n%s\nwant:\n%s", got, fullSnapshot)
	}
	if !base.CreatedAt.Equal(t0) || base.AuthorID != 0 || base.Note != "" {
		t.Fatalf("baseline: created %v author %d note %q; want %v, 0, \"\"", base.CreatedAt, base.AuthorID, base.Note, t0)
	}
	if r := revision(t, s, revs[0].ID); r.Article.Title != "Шайлоонун жыйынтыгы" || r.AuthorID != 3 || !r.CreatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("the save's revision: title %q author %d created %v", r.Article.Title, r.AuthorID, r.CreatedAt)
	}
	save(t, s, a) // the next save has history: no second baseline
	wantVersions(t, s, a.ID, 2, 1)
}
