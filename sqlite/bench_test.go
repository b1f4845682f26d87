package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/sqlite"
)

// The benchmark corpus: JARCHY_BENCH_ARTICLES articles (default 5000),
// generated once per test binary into a temporary file, or the existing
// database JARCHY_BENCH_DB. To keep a big one:
//
//	KEEP_BENCH_DB=/tmp/b100k.db KEEP_BENCH_N=100000 go test ./sqlite -run TestKeepBenchDB
//	JARCHY_BENCH_DB=/tmp/b100k.db go test ./sqlite -run - -bench .
var (
	benchOnce sync.Once
	benchDB   *sqlite.DB
	benchDir  string
	benchErr  error
	benchInfo struct {
		slugs   []string // ky slugs of public articles
		section int64
		tag     int64
		author  int64
		sample  *jarchy.Article
	}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		benchDB.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

var benchWords = strings.Fields(`шайлоо бийлик өкмөт парламент экономика баа базар соода салык бюджет
	мектеп окуучу мугалим университет ден-соолук оорукана дарыгер спорт футбол күрөш маданият театр
	китеп акын музыка тоо көл суу жер айыл шаар Бишкек Ош Нарын Талас Жалал-Абад Баткен Ысык-Көл
	жол курулуш энергия электр газ көмүр алтын кен жумуш айлык пенсия үй-бүлө балдар жаштар аялдар`)

func benchCorpus(b *testing.B) *sqlite.DB {
	b.Helper()
	benchOnce.Do(func() {
		if path := os.Getenv("JARCHY_BENCH_DB"); path != "" {
			benchDB, benchErr = sqlite.Open(context.Background(), path)
			if benchErr == nil {
				benchErr = sampleExisting(benchDB)
			}
			return
		}
		n := 5000
		if v, err := strconv.Atoi(os.Getenv("JARCHY_BENCH_ARTICLES")); err == nil && v > 0 {
			n = v
		}
		benchDir, benchErr = os.MkdirTemp("", "jarchy-bench-")
		if benchErr != nil {
			return
		}
		benchDB, benchErr = sqlite.Open(context.Background(), filepath.Join(benchDir, "bench.db"))
		if benchErr != nil {
			return
		}
		start := time.Now()
		benchErr = generate(benchDB, n)
		fmt.Fprintf(os.Stderr, "bench corpus: %d articles in %v\n", n, time.Since(start).Round(time.Millisecond))
	})
	if benchErr != nil {
		b.Fatalf("bench corpus: %v", benchErr)
	}
	return benchDB
}

// sampleExisting fills benchInfo from an existing database
// (JARCHY_BENCH_DB, e.g. one made by TestKeepBenchDB).
func sampleExisting(db *sqlite.DB) error {
	ctx := context.Background()
	for off := 0; off < 2000; off += 100 {
		l, err := db.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, Limit: 100, Offset: off})
		if err != nil {
			return err
		}
		for _, a := range l.Articles {
			benchInfo.slugs = append(benchInfo.slugs, a.Slug)
			if benchInfo.sample == nil && len(a.Tags) > 0 && len(a.Authors) > 0 {
				benchInfo.sample = a
				benchInfo.section, benchInfo.tag, benchInfo.author = a.Section.ID, a.Tags[0].ID, a.Authors[0].ID
			}
		}
	}
	if benchInfo.sample == nil {
		return fmt.Errorf("no public ky article with tags and authors")
	}
	return nil
}

func generate(db *sqlite.DB, n int) error {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string { return benchWords[r.IntN(len(benchWords))] }
	sections := []string{"politics", "economy", "society", "sport", "culture", "world", "regions", "opinion"}
	t0 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(3 * 365 * 24 * time.Hour)
	body := strings.Repeat("Кыргызстанда жаңылыктар. ", 120)
	const batch = 1000
	var buf []*jarchy.Article
	for i := range n {
		lang := jarchy.Kyrgyz
		switch x := r.IntN(10); {
		case x >= 9:
			lang = jarchy.English
		case x >= 6:
			lang = jarchy.Russian
		}
		a := &jarchy.Article{
			Lang:        lang,
			Title:       fmt.Sprintf("%s %s %s %d", word(), word(), word(), i),
			Lead:        word() + " " + word() + " " + word(),
			Body:        body,
			Section:     jarchy.Section{Slug: sections[r.IntN(len(sections))]},
			Status:      jarchy.StatusPublished,
			PublishedAt: t0.Add(time.Duration(r.Int64N(span))),
			Cover:       &jarchy.Media{Key: fmt.Sprintf("bench/%d.jpg", i), Caption: "Сүрөт", Credit: "Jarchy", Alt: "сүрөт"},
		}
		if r.IntN(20) == 0 {
			a.Status = jarchy.StatusDraft
			a.PublishedAt = time.Time{}
		}
		for range 3 {
			a.Tags = append(a.Tags, jarchy.Tag{Name: word()})
		}
		for range 1 + r.IntN(2) {
			a.Authors = append(a.Authors, jarchy.Author{Name: fmt.Sprintf("Автор %d", r.IntN(50))})
		}
		buf = append(buf, a)
		if len(buf) == batch || i == n-1 {
			if err := db.SaveArticles(ctx, buf); err != nil {
				return err
			}
			for _, a := range buf {
				if a.Lang == jarchy.Kyrgyz && a.IsPublic(time.Now()) {
					benchInfo.slugs = append(benchInfo.slugs, a.Slug)
					if benchInfo.sample == nil {
						benchInfo.sample = a
						benchInfo.section = a.Section.ID
						benchInfo.tag = a.Tags[0].ID
						benchInfo.author = a.Authors[0].ID
					}
				}
			}
			buf = buf[:0]
		}
	}
	return nil
}

func BenchmarkArticles(b *testing.B) {
	db := benchCorpus(b)
	ctx := context.Background()
	cases := []struct {
		name string
		f    jarchy.ArticleFilter
	}{
		{"home", jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, Limit: 20}},
		{"home-summary", jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, Limit: 20, Summary: true}},
		{"section", jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, SectionID: benchInfo.section, Limit: 20}},
		{"tag", jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, TagID: benchInfo.tag, Limit: 20}},
		{"author", jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, AuthorID: benchInfo.author, Limit: 20}},
		{"page10", jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true, Limit: 20, Offset: 200}},
		{"sitemap48h", jarchy.ArticleFilter{PublicOnly: true, Since: time.Now().Add(-48 * time.Hour), Limit: 100}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				l, err := db.Articles(ctx, c.f)
				if err != nil {
					b.Fatal(err)
				}
				if l.Total == 0 && c.name != "sitemap48h" {
					b.Fatal("empty listing")
				}
			}
		})
	}
}

func BenchmarkArticleBySlug(b *testing.B) {
	db := benchCorpus(b)
	ctx := context.Background()
	slugs := benchInfo.slugs
	i := 0
	for b.Loop() {
		a, err := db.ArticleBySlug(ctx, jarchy.Kyrgyz, slugs[i%len(slugs)])
		if err != nil {
			b.Fatal(err)
		}
		if len(a.Tags) == 0 {
			b.Fatal("not hydrated")
		}
		i++
	}
}

func BenchmarkRelatedArticles(b *testing.B) {
	db := benchCorpus(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.RelatedArticles(ctx, benchInfo.sample, 4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveArticle(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "save.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: fmt.Sprintf("Макала %d", i), Body: "Текст",
			Section: jarchy.Section{Slug: "news"}, Tags: []jarchy.Tag{{Name: "Шайлоо"}}, Authors: []jarchy.Author{{Name: "Айбек"}},
			Status: jarchy.StatusPublished}
		if err := db.SaveArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func TestKeepBenchDB(t *testing.T) {
	if os.Getenv("KEEP_BENCH_DB") == "" {
		t.Skip()
	}
	db, err := sqlite.Open(context.Background(), os.Getenv("KEEP_BENCH_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("KEEP_BENCH_N")); err == nil {
		n = v
	}
	if err := generate(db, n); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkScheduleLook measures what each node's scheduler pays per look
// when nothing is due (at least once a second): PublishDue's read and
// NextScheduled, on the benchmark corpus with one article scheduled ahead.
func BenchmarkScheduleLook(b *testing.B) {
	db := benchCorpus(b)
	ctx := context.Background()
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Пландалган", Section: jarchy.Section{Slug: "news"},
		Status: jarchy.StatusScheduled, PublishedAt: time.Now().Add(100 * 365 * 24 * time.Hour)}
	if err := db.SaveArticle(ctx, a); err != nil {
		b.Fatal(err)
	}
	defer db.DeleteArticle(ctx, a.ID)
	for b.Loop() {
		if ids, err := db.PublishDue(ctx); err != nil || len(ids) != 0 {
			b.Fatal(ids, err)
		}
		if next, err := db.NextScheduled(ctx); err != nil || next.IsZero() {
			b.Fatal(next, err)
		}
	}
}

// BenchmarkBreakingLook measures what the scheduler's look adds for
// breaking news when none is due: ExpireBreaking's read and
// NextBreakingExpiry, on the benchmark corpus with one article flagged.
func BenchmarkBreakingLook(b *testing.B) {
	db := benchCorpus(b)
	ctx := context.Background()
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Шашылыш", Section: jarchy.Section{Slug: "news"},
		Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
	if err := db.SaveArticle(ctx, a); err != nil {
		b.Fatal(err)
	}
	defer db.DeleteArticle(ctx, a.ID)
	if err := db.SetBreaking(ctx, a.ID, time.Now().Add(time.Hour)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if n, err := db.ExpireBreaking(ctx); err != nil || n != 0 {
			b.Fatal(n, err)
		}
		if next, err := db.NextBreakingExpiry(ctx); err != nil || next.IsZero() {
			b.Fatal(next, err)
		}
	}
}
