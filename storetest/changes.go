package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunChanges runs the contract of jarchy.ChangeFeed in one store: every
// committed write, and no other, moves the generation; a write gives the
// subscribers the Change the domain says it makes (the topics it touched),
// and a write that touched nothing public gives them nothing. RunShared
// checks that the same Changes reach a second store on the database.
func RunChanges(t *testing.T, open Opener) {
	run(t, open, []test{
		{"GenerationEveryWrite", store(testGenerationEveryWrite)},
		{"Subscribe", store(testSubscribe)},
		{"SubscribeOrder", store(testSubscribeOrder)},
		{"ArticleTopics", testArticleTopics},
		{"SiteTopics", store(testSiteTopics)},
	})
}

func testGenerationEveryWrite(t *testing.T, s jarchy.Store) {
	var art *jarchy.Article
	var page *jarchy.Page
	writes := []struct {
		name string
		fn   func() error
	}{
		{"SaveArticle insert", func() error { art = newArticle(jarchy.Kyrgyz, "Муун"); return s.SaveArticle(ctx, art) }},
		{"SaveArticle update", func() error { art.Lead = "new"; return s.SaveArticle(ctx, art) }},
		{"SaveArticle unchanged", func() error { return s.SaveArticle(ctx, art) }},
		{"SaveSection", func() error { return s.SaveSection(ctx, &jarchy.Section{Slug: "sport", Position: 1}) }},
		{"SaveSection update", func() error { return s.SaveSection(ctx, &jarchy.Section{Slug: "sport", Position: 2}) }},
		{"SaveAuthor", func() error { return s.SaveAuthor(ctx, &jarchy.Author{Name: "Бакыт"}) }},
		{"SavePage", func() error {
			page = &jarchy.Page{Lang: jarchy.English, Title: "About"}
			return s.SavePage(ctx, page)
		}},
		{"SavePage update", func() error { page.Body = "x"; return s.SavePage(ctx, page) }},
		{"SaveSettings", func() error {
			return s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "H"}})
		}},
		{"DeletePage", func() error { return s.DeletePage(ctx, page.ID) }},
		{"DeleteArticle", func() error { return s.DeleteArticle(ctx, art.ID) }},
	}
	prev := generation(t, s)
	for _, w := range writes {
		if err := w.fn(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		g := generation(t, s)
		if g <= prev {
			t.Fatalf("%s: generation %d -> %d, want an increase", w.name, prev, g)
		}
		prev = g
	}
	// A failed write leaves it alone.
	_ = s.SaveArticle(ctx, newArticle("xx", "bad"))
	_ = s.DeleteArticle(ctx, 424242)
	if g := generation(t, s); g != prev {
		t.Fatalf("failed writes moved generation %d -> %d", prev, g)
	}
}

func testSubscribe(t *testing.T, s jarchy.Store) {
	var calls atomic.Int64
	unsub := s.Subscribe(func(jarchy.Change) { calls.Add(1) })
	var second atomic.Int64
	unsub2 := s.Subscribe(func(jarchy.Change) { second.Add(1) })
	check := func(what string, want int64) {
		t.Helper()
		if got := calls.Load(); got != want {
			t.Fatalf("%s: subscriber called %d times, want %d", what, got, want)
		}
	}
	a := published(jarchy.Kyrgyz, "Жазылуу", base)
	if err := s.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	check("after SaveArticle (synchronous)", 1)
	if err := s.SaveSettings(ctx, jarchy.Settings{}); err != nil {
		t.Fatal(err)
	}
	check("after SaveSettings", 2)
	if err := s.SaveSection(ctx, &jarchy.Section{Slug: "x-files"}); err != nil {
		t.Fatal(err)
	}
	check("after SaveSection", 3)
	// Failed writes do not notify.
	_ = s.SaveArticle(ctx, newArticle(jarchy.Kyrgyz, ""))
	_ = s.DeleteArticle(ctx, a.ID+100)
	_ = s.SaveSection(ctx, &jarchy.Section{Slug: "feed"})
	_ = s.DeletePage(ctx, 77)
	check("after failed writes", 3)
	// Reads do not notify.
	_, _ = s.Article(ctx, a.ID)
	_, _ = s.Articles(ctx, jarchy.ArticleFilter{})
	check("after reads", 3)
	// A committed write that touches nothing public notifies no one.
	draft := newArticle(jarchy.Kyrgyz, "Долбоор")
	if err := s.SaveArticle(ctx, draft); err != nil {
		t.Fatal(err)
	}
	check("after a draft save", 3)
	if second.Load() != 3 {
		t.Fatalf("second subscriber called %d times, want 3", second.Load())
	}
	unsub()
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	check("after unsubscribe", 3)
	if second.Load() != 4 {
		t.Fatalf("remaining subscriber called %d times, want 4", second.Load())
	}
	unsub2()
	unsub2() // unsubscribing twice is harmless
}

// testSubscribeOrder: subscribers run in the order they subscribed, so
// that a cache of site data is forgotten before a page cache that reads
// it refills.
func testSubscribeOrder(t *testing.T, s jarchy.Store) {
	var mu sync.Mutex
	var calls []int
	for i := range 8 {
		defer s.Subscribe(func(jarchy.Change) {
			mu.Lock()
			calls = append(calls, i)
			mu.Unlock()
		})()
	}
	for range 3 {
		if err := s.SaveSettings(ctx, jarchy.Settings{}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := "[0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7]"
	if got := fmt.Sprint(calls); got != want {
		t.Fatalf("subscribers ran in the order %s, want %s", got, want)
	}
}

// recorder collects the Changes a store delivers.
type recorder struct {
	in chan jarchy.Change
}

func record(t *testing.T, s jarchy.Store) *recorder {
	r := &recorder{in: make(chan jarchy.Change, 1000)}
	t.Cleanup(s.Subscribe(func(ch jarchy.Change) {
		select {
		case r.in <- ch:
		default:
			t.Errorf("more than %d deliveries not taken", cap(r.in))
		}
	}))
	return r
}

// take returns the Changes delivered and not taken yet.
func (r *recorder) take() []jarchy.Change {
	var got []jarchy.Change
	for {
		select {
		case ch := <-r.in:
			got = append(got, ch)
		default:
			return got
		}
	}
}

// topics is a Change written as its topics separated by spaces, in any
// order ("*" for All), as the tests spell the expected ones.
func topics(ch jarchy.Change) string {
	if ch.All {
		return "*"
	}
	return strings.Join(ch.Strings(), " ")
}

// sameTopics reports whether a Change equals want, a space-separated list
// of topics in any order ("*" for All).
func sameTopics(ch jarchy.Change, want string) bool {
	if want == "*" || ch.All {
		return want == "*" && ch.All
	}
	w := strings.Fields(want)
	slices.Sort(w)
	return slices.Equal(ch.Strings(), w)
}

// wantChanges checks that what wrote delivered exactly the Changes want
// (one string per delivery, see sameTopics), synchronously.
func (r *recorder) wantChanges(t *testing.T, what string, want ...string) {
	t.Helper()
	got := r.take()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = sameTopics(got[i], want[i])
	}
	if !ok {
		var gs []string
		for _, ch := range got {
			gs = append(gs, "{"+topics(ch)+"}")
		}
		t.Errorf("%s delivered %s\nwant {%s}", what, strings.Join(gs, ", "), strings.Join(want, "}, {"))
	}
}

// testArticleTopics: each article write delivers the topics the domain's
// rule names (jarchy.ArticleChange), with fixed expectations: a draft
// save nothing; a body edit of a public article its own topics only;
// publishing, re-sectioning, retagging, unpublishing and deleting the
// listings of both sides; relations created on the way their own topics.
func testArticleTopics(t *testing.T, s jarchy.Store, c *clock) {
	now := base.Add(24 * time.Hour)
	c.set(now)
	news := &jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}
	sport := &jarchy.Section{Slug: "sport", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Спорт"}}
	author := &jarchy.Author{Name: "Айгүл Осмонова"}
	r := record(t, s)
	for _, sec := range []*jarchy.Section{news, sport} {
		if err := s.SaveSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
		r.wantChanges(t, "SaveSection "+sec.Slug, "site")
	}
	if err := s.SaveAuthor(ctx, author); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SaveAuthor (new)", fmt.Sprintf("authors author/%d", author.ID))

	a := newArticle(jarchy.Kyrgyz, "Шайлоо")
	a.TranslationGroup = "tg-1"
	a.Section = jarchy.Section{ID: news.ID}
	a.Authors = []jarchy.Author{*author}
	save(t, s, a)
	r.wantChanges(t, "a draft created")
	a.Body = "Жаңы текст."
	save(t, s, a)
	r.wantChanges(t, "a draft autosave")
	a.Section = jarchy.Section{ID: sport.ID}
	save(t, s, a)
	r.wantChanges(t, "a draft re-sectioned")

	itself := fmt.Sprintf("a/%d g/tg-1 search", a.ID)
	lists := func(sec int64, more string) string {
		return fmt.Sprintf("%s l/lang/ky l/section/%d l/author/%d %s", itself, sec, author.ID, more)
	}
	a.Status, a.PublishedAt = jarchy.StatusPublished, base
	save(t, s, a)
	r.wantChanges(t, "published", lists(sport.ID, "s/ky/shayloo"))
	a.Body = "Оңдолгон текст."
	save(t, s, a)
	r.wantChanges(t, "a body edit of a public article", itself)
	a.Title, a.Slug = "Шайлоо өттү", ""
	save(t, s, a)
	r.wantChanges(t, "a retitle of a public article", itself+" s/ky/shayloo-ottu")
	a.Section = jarchy.Section{ID: news.ID}
	save(t, s, a)
	r.wantChanges(t, "re-sectioned", lists(sport.ID, fmt.Sprintf("l/section/%d", news.ID)))
	a.Tags = []jarchy.Tag{{Name: "Бюджет"}}
	save(t, s, a)
	tag := a.Tags[0].ID
	r.wantChanges(t, "tagged with a new tag", lists(news.ID, fmt.Sprintf("l/tag/%d tags tag/%d", tag, tag)))
	a.Tags = a.Tags[:1]
	a.PublishedAt = base.Add(time.Minute)
	save(t, s, a)
	r.wantChanges(t, "redated", lists(news.ID, fmt.Sprintf("l/tag/%d", tag)))
	a.PublishedAt = now.Add(time.Hour)
	save(t, s, a)
	r.wantChanges(t, "postponed (scheduled for later)", lists(news.ID, fmt.Sprintf("l/tag/%d", tag)))
	a.Status, a.PublishedAt = jarchy.StatusPublished, base // it was stored as scheduled
	save(t, s, a)
	r.wantChanges(t, "published again", lists(news.ID, fmt.Sprintf("l/tag/%d s/ky/shayloo-ottu", tag)))
	a.Status = jarchy.StatusUnpublished
	save(t, s, a)
	r.wantChanges(t, "unpublished", lists(news.ID, fmt.Sprintf("l/tag/%d", tag)))
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "an unpublished article deleted")

	b := published(jarchy.Russian, "Выборы", base)
	b.TranslationGroup = "tg-2"
	b.Section = jarchy.Section{ID: news.ID}
	save(t, s, b)
	r.wantChanges(t, "created public", fmt.Sprintf("a/%d g/tg-2 search l/lang/ru l/section/%d s/ru/vybory", b.ID, news.ID))
	b.TranslationGroup = "tg-1"
	save(t, s, b)
	r.wantChanges(t, "moved to another translation group", fmt.Sprintf("a/%d g/tg-1 g/tg-2 search", b.ID))

	// A batch is one delivery with the topics of all its articles.
	d := published(jarchy.English, "Elections", base)
	d.TranslationGroup = "tg-1"
	d.Section = jarchy.Section{ID: news.ID}
	e := newArticle(jarchy.English, "Draft in a batch")
	e.Section = jarchy.Section{ID: news.ID}
	b.Lead = "Новый лид"
	if err := s.SaveArticles(ctx, []*jarchy.Article{d, e, b}); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SaveArticles", fmt.Sprintf("a/%d a/%d g/tg-1 search l/lang/en l/section/%d s/en/elections", d.ID, b.ID, news.ID))
	if err := s.SaveArticles(ctx, []*jarchy.Article{e}); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SaveArticles of a draft")

	if err := s.DeleteArticle(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "a public article deleted", fmt.Sprintf("a/%d g/tg-1 search l/lang/ru l/section/%d", b.ID, news.ID))

	// A draft that creates its section changes the menu; one that creates
	// a tag or author makes their pages exist.
	f := newArticle(jarchy.Kyrgyz, "Жаңы бөлүмдө")
	f.Section = jarchy.Section{Slug: "culture"}
	f.Tags = []jarchy.Tag{{Name: "Театр"}}
	f.Authors = []jarchy.Author{{Name: "Бакыт Асанов"}}
	save(t, s, f)
	r.wantChanges(t, "a draft that creates a section, tag and author",
		fmt.Sprintf("site tags tag/%d authors author/%d", f.Tags[0].ID, f.Authors[0].ID))

	// Authors: a rename is also a change of the search results (bylines
	// are indexed); a new bio is not.
	author.Name = "Айгүл Осмон кызы"
	if err := s.SaveAuthor(ctx, author); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SaveAuthor (renamed)", fmt.Sprintf("author/%d search", author.ID))
	author.Bio = "Саясат бөлүмүнүн кабарчысы."
	if err := s.SaveAuthor(ctx, author); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SaveAuthor (bio)", fmt.Sprintf("author/%d", author.ID))

	// Reindex: the search results, in each of its transactions (one batch
	// here, and the finish).
	if err := s.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "Reindex", "search", "search")
}

// testSiteTopics: settings and static pages touch the site (the menu and
// footer every page shows) and the pages' own topics.
func testSiteTopics(t *testing.T, s jarchy.Store) {
	r := record(t, s)
	if err := s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Jarchy"}}); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SaveSettings", "site")
	p := &jarchy.Page{Lang: jarchy.English, Title: "About us"}
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SavePage (new)", "site p/en/about-us")
	p.Body = "We are a newspaper."
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SavePage (edit)", "site p/en/about-us")
	p.Slug = "who-we-are"
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "SavePage (new slug)", "site p/en/about-us p/en/who-we-are")
	if err := s.DeletePage(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	r.wantChanges(t, "DeletePage", "site p/en/who-we-are")
	wantCode(t, "DeletePage again", s.DeletePage(ctx, p.ID), jarchy.ENOTFOUND)
	r.wantChanges(t, "a failed DeletePage")
}
