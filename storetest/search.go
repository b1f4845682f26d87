package storetest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/search"
)

// Search contract (issue 3), fixed here so both stores behave alike:
//   - Only public articles are found (published, publication time not
//     after the store's clock); the index follows every save and delete at
//     once.
//   - Query text is never an error: engine syntax is plain text, and a
//     query with nothing to search for gives Empty and no hits.
//   - A bad Lang, Sort, negative Limit/Offset or an Offset beyond
//     jarchy.MaxSearchOffset is EINVALID. Limit 0 means 20, above 100 is 100.
//   - Total counts every match; hits are ordered by relevance (then
//     newest) or by date (newest first, then ID).
//   - When nothing matches, close spellings are tried and Fuzzy is set.

// RunSearch runs the contract of jarchy.SearchStore.
func RunSearch(t *testing.T, open Opener) {
	run(t, open, []test{
		{"Stemming", store(testSearchStemming)},
		{"Syntax", store(testSearchSyntax)},
		{"Filters", store(testSearchFilters)},
		{"SortAndPaging", store(testSearchSortAndPaging)},
		{"FollowsWrites", store(testSearchFollowsWrites)},
		{"Fuzzy", store(testSearchFuzzy)},
		{"HostileQueries", store(testSearchHostileQueries)},
		{"InvalidParams", store(testSearchInvalidParams)},
		{"Reindex", store(testSearchReindex)},
		{"Cap", store(testSearchCap)},
		{"ShortPrefixes", store(testSearchShortPrefixes)},
		{"RetrievalCollection", store(testSearchRetrievalCollection)},
		{"Clock", testSearchClock},
	})
}

func runSearch(t *testing.T, s jarchy.Store, q jarchy.SearchQuery) jarchy.SearchResult {
	t.Helper()
	res, err := s.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func hitIDs(res jarchy.SearchResult) []int64 {
	out := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Article.ID
	}
	return out
}

func sortedIDs(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// wantFound checks the set of hits (any order) and that Total matches.
func wantFound(t *testing.T, s jarchy.Store, q jarchy.SearchQuery, want ...int64) jarchy.SearchResult {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	res := runSearch(t, s, q)
	got := sortedIDs(hitIDs(res))
	w := sortedIDs(want)
	if fmt.Sprint(got) != fmt.Sprint(w) || res.Total != len(want) {
		t.Errorf("Search(%q lang=%q): got %v (total %d), want %v", q.Text, q.Lang, got, res.Total, w)
	}
	return res
}

func story(lang jarchy.Lang, title, lead, body string, at time.Time) *jarchy.Article {
	a := published(lang, title, at)
	a.Lead, a.Body = lead, body
	return a
}

func testSearchStemming(t *testing.T, s jarchy.Store) {
	ky, ru := jarchy.Kyrgyz, jarchy.Russian
	a1 := save(t, s, story(ky, "Шайлоодон кийин", "Жыйынтыктар жарыяланды.", "Комиссия шайлоодон кийинки абалды талкуулады.", base))
	a2 := save(t, s, story(ky, "Партиялар даярданууда", "Партиялар шайлоолорго даярданып жатат.", "Бишкекте жыйын өттү.", base.Add(time.Hour)))
	a3 := save(t, s, story(ky, "Комиссиянын билдирүүсү", "Жаңы маалымат.", "Шайлоосунда **катышуу** жогору болду.", base.Add(2*time.Hour)))
	a4 := save(t, s, story(ky, "Футбол боюнча жаңылык", "Оюн болду.", "Бишкекте футбол оюну өттү.", base.Add(3*time.Hour)))
	r1 := save(t, s, story(ru, "Итоги выборов", "Комиссия подвела итоги.", "Явка на выборах была высокой.", base))
	r2 := save(t, s, story(ru, "Погода в Бишкеке", "Тепло.", "Солнечно и тепло.", base))

	res := wantFound(t, s, jarchy.SearchQuery{Text: "шайлоо", Lang: ky}, a1.ID, a2.ID, a3.ID)
	for _, h := range res.Hits {
		if !strings.Contains(h.Snippet, "<mark>") && h.Article.ID != a1.ID { // a1 matches in its body too
			t.Errorf("snippet of %d has no highlight: %q", h.Article.ID, h.Snippet)
		}
		if strings.Contains(h.Snippet, "**") {
			t.Errorf("snippet of %d shows Markdown: %q", h.Article.ID, h.Snippet)
		}
	}
	for _, h := range res.Hits {
		if h.Article.ID == a3.ID && !strings.Contains(h.Snippet, "<mark>Шайлоосунда</mark>") {
			t.Errorf("snippet should highlight the original form: %q", h.Snippet)
		}
		if h.Article.Title == "" || h.Article.Section.Slug == "" {
			t.Errorf("hit %d is not a loaded article: %+v", h.Article.ID, h.Article)
		}
	}
	// title suggestions ask for no snippets: the same hits, none built
	bare := runSearch(t, s, jarchy.SearchQuery{Text: "шайлоо", Lang: ky, Limit: 100, NoSnippets: true})
	if fmt.Sprint(hitIDs(bare)) != fmt.Sprint(hitIDs(res)) || bare.Total != res.Total {
		t.Errorf("NoSnippets changed the hits: %v (total %d), want %v (total %d)", hitIDs(bare), bare.Total, hitIDs(res), res.Total)
	}
	for _, h := range bare.Hits {
		if h.Snippet != "" || h.Article.Title == "" {
			t.Errorf("NoSnippets hit %d: snippet %q, title %q", h.Article.ID, h.Snippet, h.Article.Title)
		}
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "шайлоолордун", Lang: ky}, a1.ID, a2.ID, a3.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "выборы", Lang: ru}, r1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "бишкек", Lang: ky}, a2.ID, a4.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "Бишкеке", Lang: ru}, r2.ID)
	// no language: every language, analysed as Kyrgyz
	wantFound(t, s, jarchy.SearchQuery{Text: "футбол"}, a4.ID)
	// a title match ranks above a body match
	res = runSearch(t, s, jarchy.SearchQuery{Text: "комиссия ", Lang: ky})
	if len(res.Hits) != 2 || res.Hits[0].Article.ID != a3.ID {
		t.Errorf("комиссия: want the title match %d first, got %v", a3.ID, hitIDs(res))
	} else if res.Hits[0].Score < res.Hits[1].Score {
		t.Errorf("scores not descending: %v, %v", res.Hits[0].Score, res.Hits[1].Score)
	}
	// tags and authors are indexed
	a5 := story(ky, "Жаңы китеп", "Китеп чыкты.", "Текст.", base)
	a5.Tags = []jarchy.Tag{{Name: "Адабият"}}
	a5.Authors = []jarchy.Author{{Name: "Айгүл Асанова"}}
	save(t, s, a5)
	wantFound(t, s, jarchy.SearchQuery{Text: "адабият ", Lang: ky}, a5.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "Асанова ", Lang: ky}, a5.ID)
	// a renamed author is found by the new name only
	au := a5.Authors[0]
	au.Name = "Айгүл Токтосунова"
	if err := s.SaveAuthor(ctx, &au); err != nil {
		t.Fatal(err)
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "Асанова ", Lang: ky})
	wantFound(t, s, jarchy.SearchQuery{Text: "Токтосунова ", Lang: ky}, a5.ID)
}

func testSearchSyntax(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	a1 := save(t, s, story(ky, "Жогорку Кеңеш", "Жогорку Кеңештин депутаттары чогулду.", "Мыйзам кабыл алынды.", base))
	a2 := save(t, s, story(ky, "Шаардык кеңеш", "Кеңеш жогорку деңгээлде өттү.", "Депутаттар шайлоону талкуулашты.", base))
	a3 := save(t, s, story(ky, "Шайлоо комиссиясы", "Комиссия маалымат берди.", "Шайлоо жакында.", base))
	wantFound(t, s, jarchy.SearchQuery{Text: `"жогорку кеңеш" `, Lang: ky}, a1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "кеңеш жогорку ", Lang: ky}, a1.ID, a2.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "депутат -шайлоо ", Lang: ky}, a1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: `кеңеш -"жогорку кеңеш" `, Lang: ky}, a2.ID)
	// a prefix of the last word (search as you type)
	wantFound(t, s, jarchy.SearchQuery{Text: "комисс", Lang: ky}, a3.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "шайл", Lang: ky}, a2.ID, a3.ID)
	// … but not of a finished word
	wantFound(t, s, jarchy.SearchQuery{Text: "комисс ", Lang: ky})
}

func testSearchFilters(t *testing.T, s jarchy.Store) {
	ky, ru := jarchy.Kyrgyz, jarchy.Russian
	eco := jarchy.Section{Slug: "economy", Names: map[jarchy.Lang]string{ky: "Экономика"}}
	a1 := save(t, s, story(ky, "Базар жаңылыгы", "Базарда баалар өстү.", "", base))
	a2 := story(ky, "Базар экономикасы", "Базар өнүгүүдө.", "", base.Add(48*time.Hour))
	a2.Section = eco
	a2.Authors = []jarchy.Author{{Name: "Бакыт Токтогулов"}}
	save(t, s, a2)
	a3 := save(t, s, story(ru, "Базар в центре", "Базар открылся.", "", base.Add(24*time.Hour)))
	wantFound(t, s, jarchy.SearchQuery{Text: "базар "}, a1.ID, a2.ID, a3.ID) // every language
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ru}, a3.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ky, SectionID: a2.Section.ID}, a2.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ky, AuthorID: a2.Authors[0].ID}, a2.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ky, From: base.Add(time.Hour)}, a2.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ky, To: base.Add(time.Hour)}, a1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ky, From: base, To: base.Add(time.Microsecond)}, a1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "базар ", Lang: ky, SectionID: a2.Section.ID, To: base.Add(time.Hour)})
}

func testSearchSortAndPaging(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	var all []int64
	for i := 0; i < 7; i++ {
		body := "Мектеп жөнүндө."
		if i == 2 {
			body = "Мектеп, мектеп жана дагы мектеп: мектептер жөнүндө."
		}
		title := fmt.Sprintf("Жаңылык %d", i)
		if i == 2 {
			title = "Мектептер"
		}
		a := save(t, s, story(ky, title, "", body, base.Add(time.Duration(i)*time.Hour)))
		all = append(all, a.ID)
	}
	res := runSearch(t, s, jarchy.SearchQuery{Text: "мектеп ", Lang: ky, Limit: 3})
	if res.Total != 7 || len(res.Hits) != 3 || res.Hits[0].Article.ID != all[2] {
		t.Errorf("relevance page 1: total %d, hits %v; want 7 and %d first", res.Total, hitIDs(res), all[2])
	}
	res = runSearch(t, s, jarchy.SearchQuery{Text: "мектеп ", Lang: ky, Sort: jarchy.SortDate, Limit: 3})
	if fmt.Sprint(hitIDs(res)) != fmt.Sprint([]int64{all[6], all[5], all[4]}) || res.Total != 7 {
		t.Errorf("date page 1: %v (total %d), want %v", hitIDs(res), res.Total, []int64{all[6], all[5], all[4]})
	}
	var seen []int64
	for off := 0; off < 9; off += 3 {
		res = runSearch(t, s, jarchy.SearchQuery{Text: "мектеп ", Lang: ky, Sort: jarchy.SortDate, Limit: 3, Offset: off})
		if res.Total != 7 {
			t.Errorf("offset %d: total %d, want 7", off, res.Total)
		}
		seen = append(seen, hitIDs(res)...)
	}
	if fmt.Sprint(sortedIDs(seen)) != fmt.Sprint(sortedIDs(all)) {
		t.Errorf("pages by date: %v, want each of %v once", seen, all)
	}
	res = runSearch(t, s, jarchy.SearchQuery{Text: "мектеп ", Lang: ky, Limit: 3, Offset: 30})
	if res.Total != 7 || len(res.Hits) != 0 {
		t.Errorf("past the end: total %d, %d hits; want 7 and none", res.Total, len(res.Hits))
	}
	res = runSearch(t, s, jarchy.SearchQuery{Text: "мектеп ", Lang: ky, Limit: 1000})
	if len(res.Hits) != 7 {
		t.Errorf("limit 1000: %d hits", len(res.Hits))
	}
}

func testSearchFollowsWrites(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	q := jarchy.SearchQuery{Text: "тоолор ", Lang: ky}
	draft := newArticle(ky, "Тоолор жөнүндө")
	save(t, s, draft)
	wantFound(t, s, q) // drafts are not found

	draft.Status = jarchy.StatusPublished
	draft.PublishedAt = base
	save(t, s, draft)
	wantFound(t, s, q, draft.ID)

	future := published(ky, "Тоолордогу кар", time.Now().Add(24*time.Hour))
	save(t, s, future)
	if future.Status != jarchy.StatusScheduled {
		t.Fatalf("published with a future time: status %q, want scheduled", future.Status)
	}
	wantFound(t, s, q, draft.ID) // scheduled: not yet

	draft.Title = "Деңиздер жөнүндө"
	draft.Lead, draft.Body = "Жаңы текст.", "Деңиз."
	save(t, s, draft)
	wantFound(t, s, q)
	wantFound(t, s, jarchy.SearchQuery{Text: "деңиз ", Lang: ky}, draft.ID)

	draft.Status = jarchy.StatusUnpublished
	save(t, s, draft)
	wantFound(t, s, jarchy.SearchQuery{Text: "деңиз ", Lang: ky})

	draft.Status = jarchy.StatusPublished
	save(t, s, draft)
	wantFound(t, s, jarchy.SearchQuery{Text: "деңиз ", Lang: ky}, draft.ID)

	// a language change moves the article between language filters
	draft.Lang = jarchy.Russian
	draft.Slug = ""
	save(t, s, draft)
	wantFound(t, s, jarchy.SearchQuery{Text: "деңиз ", Lang: ky})

	if err := s.DeleteArticle(ctx, draft.ID); err != nil {
		t.Fatal(err)
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "деңиз "})

	// an unchanged re-save (a repeated import) keeps the article found
	a := story(ky, "Көл жээгинде", "Көлдө эс алуу.", "", base)
	a.ExternalID = "ext-1"
	save(t, s, a)
	b := story(ky, "Көл жээгинде", "Көлдө эс алуу.", "", base)
	b.ExternalID, b.Version = "ext-1", a.Version
	save(t, s, b)
	wantFound(t, s, jarchy.SearchQuery{Text: "көл ", Lang: ky}, a.ID)
}

func testSearchFuzzy(t *testing.T, s jarchy.Store) {
	ky, ru := jarchy.Kyrgyz, jarchy.Russian
	a := save(t, s, story(ky, "Парламенттеги талкуу", "Парламент жаңы мыйзамды карады.", "", base))
	r := save(t, s, story(ru, "Заседание парламента", "Парламент принял закон.", "", base))
	res := wantFound(t, s, jarchy.SearchQuery{Text: "парламнет ", Lang: ky}, a.ID)
	if !res.Fuzzy {
		t.Errorf("a misspelt word found its article without Fuzzy set")
	}
	if !strings.Contains(res.Suggestion, "парламент") {
		t.Errorf("suggestion %q does not name the word found", res.Suggestion)
	}
	if len(res.Hits) == 1 && !strings.Contains(res.Hits[0].Snippet, "<mark>") {
		t.Errorf("fuzzy snippet has no highlight: %q", res.Hits[0].Snippet)
	}
	res = wantFound(t, s, jarchy.SearchQuery{Text: "парламетн ", Lang: ru}, r.ID)
	if !res.Fuzzy {
		t.Errorf("ru: Fuzzy not set")
	}
	res = wantFound(t, s, jarchy.SearchQuery{Text: "парламент ", Lang: ky}, a.ID)
	if res.Fuzzy {
		t.Errorf("an exact match is marked fuzzy")
	}
	// nothing close: nothing found, not fuzzy
	res = wantFound(t, s, jarchy.SearchQuery{Text: "жолборс ", Lang: ky})
	if res.Fuzzy || res.Empty {
		t.Errorf("no match: Fuzzy %v Empty %v, want neither", res.Fuzzy, res.Empty)
	}
}

func testSearchHostileQueries(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	a := save(t, s, story(ky, "Шайлоо жыйынтыгы", "Шайлоо өттү.", "Депутаттар шайланды.", base))
	queries := []string{
		"", " ", `"`, `""`, `"""`, `*`, `-`, `--`, `-"`, "NEAR", "NEAR(шайлоо депутат, 2)", "шайлоо NEAR депутат",
		"title:шайлоо", "a:*", ":", "^шайлоо", "шайлоо*", "(шайлоо OR депутат)", "((((", "))", "шайлоо AND", "NOT шайлоо",
		"'", "''; DROP TABLE articles; --", `\`, "!шайлоо", "шайлоо & | ! <-> :*", "{шайлоо}", "\xff\xfe", "шайлоо\xff",
		"шайлоо\x00депутат", strings.Repeat(`"(`, 3000), strings.Repeat("ш", 10000), strings.Repeat("шайлоо ", 1500),
		"жана", "-шайлоо", `-"шайлоо"`, "ж", "2020-жылы", "шайлоо-", "🗳 шайлоо",
	}
	for _, text := range queries {
		for _, lang := range []jarchy.Lang{"", ky, jarchy.Russian, jarchy.English} {
			if _, err := s.Search(ctx, jarchy.SearchQuery{Text: text, Lang: lang}); err != nil {
				t.Errorf("Search(%.40q, %q): %v", text, lang, err)
			}
		}
	}
	for _, text := range []string{"", " ", `"`, "*", "-шайлоо", "жана ", "((( )))"} {
		res := runSearch(t, s, jarchy.SearchQuery{Text: text, Lang: ky})
		if !res.Empty || len(res.Hits) != 0 || res.Total != 0 {
			t.Errorf("Search(%q): %+v, want Empty and no hits", text, res)
		}
	}
	// engine syntax is text: the words in it still match
	for _, text := range []string{"title:шайлоо", "^шайлоо", "(шайлоо)", "шайлоо*", `"шайлоо`, "шайлоо\xff", "NEAR(шайлоо)"} {
		res := runSearch(t, s, jarchy.SearchQuery{Text: text, Lang: ky})
		if len(res.Hits) != 1 || res.Hits[0].Article.ID != a.ID {
			t.Errorf("Search(%q): %v, want [%d]", text, hitIDs(res), a.ID)
		}
	}
	res := runSearch(t, s, jarchy.SearchQuery{Text: strings.Repeat("шайлоо ", 1500), Lang: ky})
	if res.Total != 1 {
		t.Errorf("long query: total %d, want 1", res.Total)
	}
}

func testSearchInvalidParams(t *testing.T, s jarchy.Store) {
	for name, q := range map[string]jarchy.SearchQuery{
		"lang":   {Text: "x", Lang: "fr"},
		"sort":   {Text: "x", Sort: "random"},
		"limit":  {Text: "x", Limit: -1},
		"offset": {Text: "x", Offset: -1},
		"deep":   {Text: "x", Offset: jarchy.MaxSearchOffset + 1},
	} {
		_, err := s.Search(ctx, q)
		wantCode(t, "Search with bad "+name, err, jarchy.EINVALID)
	}
}

func testSearchReindex(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	var want []int64
	for i := 0; i < 12; i++ {
		a := save(t, s, story(ky, fmt.Sprintf("Суу тууралуу %d", i), "Суу маселеси.", "", base.Add(time.Duration(i)*time.Minute)))
		want = append(want, a.ID)
	}
	save(t, s, newArticle(ky, "Суу долбоору")) // a draft stays out
	gen := generation(t, s)
	var calls, last, total int
	err := s.Reindex(ctx, func(done, n int) {
		calls++
		if done < last || done > n {
			t.Errorf("progress %d/%d after %d", done, n, last)
		}
		last, total = done, n
	})
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	if calls == 0 || last != total || total != 13 {
		t.Errorf("progress: %d calls, last %d/%d; want done = total = 13", calls, last, total)
	}
	if generation(t, s) <= gen {
		t.Errorf("Reindex did not bump the generation")
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "суу ", Lang: ky}, want...)
	// the fuzzy vocabulary is rebuilt too
	res := wantFound(t, s, jarchy.SearchQuery{Text: "маселеис ", Lang: ky}, want...)
	if !res.Fuzzy {
		t.Errorf("after Reindex a misspelling is not found fuzzily")
	}
	// on an empty store
	if err := s.DeleteArticle(ctx, want[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.Reindex(ctx, nil); err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "суу ", Lang: ky}, want[1:]...)
}

// testSearchClock: the store's clock decides which articles search finds,
// with no write in between: an article published at its time is not found
// while the clock stands before that time. (A save dated ahead of the
// clock is scheduled instead; PublishDue publishes it.)
func testSearchClock(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
	c.set(t0.Add(time.Hour))
	soon := save(t, s, story(jarchy.Kyrgyz, "Тоодогу кар", "Кар жаады", "Тоолордо кар жаады.", t0.Add(time.Hour)))
	if soon.Status != jarchy.StatusPublished {
		t.Fatalf("published at the clock's time: status %q", soon.Status)
	}
	q := jarchy.SearchQuery{Text: "кар", Lang: jarchy.Kyrgyz}
	c.set(t0)
	wantFound(t, s, q)
	c.set(t0.Add(time.Hour))
	wantFound(t, s, q, soon.ID)
}

// testSearchCap: past jarchy.SearchTotalCap matches, Total is the cap,
// relevance ranks exactly the newest SearchTotalCap matches by ID (the
// best match of all, the oldest, is not among them), and date order is
// exact over every match (that oldest one is also the newest by date).
func testSearchCap(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	n := jarchy.SearchTotalCap + 6
	as := make([]*jarchy.Article, n)
	for i := range as {
		title, lead := fmt.Sprintf("Жаңылык %d", i), "Тоолордо кар жаады."
		switch i {
		case 0, 100, 300:
			title = fmt.Sprintf("Тоолор %d", i)
		case 200:
			lead = "Шаарда жамгыр жаады."
		}
		as[i] = story(ky, title, lead, "", base.Add(time.Duration(i)*time.Minute))
	}
	as[0].PublishedAt = base.Add(time.Duration(n) * time.Minute) // the oldest ID, the newest by date
	for from := 0; from < n; from += 100 {
		if err := s.SaveArticles(ctx, as[from:min(n, from+100)]); err != nil {
			t.Fatalf("SaveArticles: %v", err)
		}
	}
	res := runSearch(t, s, jarchy.SearchQuery{Text: "тоо ", Lang: ky, Limit: 3})
	if res.Total != jarchy.SearchTotalCap || !res.TotalCapped {
		t.Errorf("total %d capped %v, want %d and capped", res.Total, res.TotalCapped, jarchy.SearchTotalCap)
	}
	if got, want := hitIDs(res), []int64{as[300].ID, as[100].ID, as[n-1].ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("relevance: %v, want %v (title matches among the newest %d, then the newest)", got, want, jarchy.SearchTotalCap)
	}
	seen := map[int64]bool{}
	for off := 0; off < jarchy.SearchTotalCap; off += 100 {
		res := runSearch(t, s, jarchy.SearchQuery{Text: "тоо ", Lang: ky, Limit: 100, Offset: off})
		for _, h := range res.Hits {
			seen[h.Article.ID] = true
		}
	}
	if len(seen) != jarchy.SearchTotalCap || seen[as[0].ID] || seen[as[200].ID] || !seen[as[6].ID] {
		t.Errorf("relevance pages hold %d articles (the oldest %v, the one without the word %v, the 7th %v); want the newest %d matches",
			len(seen), seen[as[0].ID], seen[as[200].ID], seen[as[6].ID], jarchy.SearchTotalCap)
	}
	res = runSearch(t, s, jarchy.SearchQuery{Text: "тоо ", Lang: ky, Sort: jarchy.SortDate, Limit: 2})
	if got, want := hitIDs(res), []int64{as[0].ID, as[n-1].ID}; fmt.Sprint(got) != fmt.Sprint(want) || res.Total != jarchy.SearchTotalCap {
		t.Errorf("by date: %v (total %d), want %v", got, res.Total, want)
	}
	res = runSearch(t, s, jarchy.SearchQuery{Text: "тоо ", Lang: ky, Limit: 10, Offset: jarchy.SearchTotalCap})
	if len(res.Hits) != 0 || res.Total != jarchy.SearchTotalCap {
		t.Errorf("past the cap: %d hits, total %d", len(res.Hits), res.Total)
	}
	// a query with few matches among many articles: all of them, exactly
	wantFound(t, s, jarchy.SearchQuery{Text: "жамгыр ", Lang: ky}, as[200].ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "тоолор 300 ", Lang: ky}, as[300].ID)
}

// testSearchShortPrefixes: the last word of a query being typed matches
// as a prefix from its second letter (issue 13), alone or after other
// words, in every language; a finished word of two letters does not.
func testSearchShortPrefixes(t *testing.T, s jarchy.Store) {
	ky, ru := jarchy.Kyrgyz, jarchy.Russian
	a1 := save(t, s, story(ky, "Шайлоо жыйынтыгы", "Комиссия маалымат берди.", "", base))
	a2 := save(t, s, story(ky, "Шаардык кеңеш", "Кеңеш чогулду.", "", base.Add(time.Hour)))
	a3 := save(t, s, story(ky, "Футбол оюну", "Оюн болду.", "", base.Add(2*time.Hour)))
	r1 := save(t, s, story(ru, "Шахматный турнир", "Турнир закончился.", "", base))
	wantFound(t, s, jarchy.SearchQuery{Text: "ша", Lang: ky}, a1.ID, a2.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "шаа", Lang: ky}, a2.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "ФУ", Lang: ky}, a3.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "кеңеш ша", Lang: ky}, a2.ID)
	if res := wantFound(t, s, jarchy.SearchQuery{Text: "оюн ша", Lang: ky}, a3.ID); !res.Fuzzy {
		t.Errorf("оюн ша: found without its prefix but not marked fuzzy")
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "ша", Lang: ru}, r1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "ша"}, a1.ID, a2.ID, r1.ID)
	wantFound(t, s, jarchy.SearchQuery{Text: "ша ", Lang: ky})
	res := runSearch(t, s, jarchy.SearchQuery{Text: "ша", Lang: ky, Limit: 1})
	if res.Total != 2 || len(res.Hits) != 1 {
		t.Errorf("ша, limit 1: total %d, %d hits", res.Total, len(res.Hits))
	}
}

// testSearchRetrievalCollection runs the Kyrgyz retrieval collection
// (search.KyrgyzCollection: every query in one inflected form, its
// relevant documents in others) through the store's own search: stemming,
// matching and ranking together must put the relevant documents in the
// top 10, as the analysis alone does with BM25 (recall@10 >= 0.9).
func testSearchRetrievalCollection(t *testing.T, s jarchy.Store) {
	c, err := search.KyrgyzCollection()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	docOf := map[int64]string{}
	for i, d := range c.Docs {
		a := published(jarchy.Kyrgyz, "№ "+d.ID, at.Add(time.Duration(i)*time.Minute))
		a.Lead, a.Body = "", d.Text
		docOf[save(t, s, a).ID] = d.ID
	}
	var recall, mrr float64
	for _, q := range c.Queries {
		res := runSearch(t, s, jarchy.SearchQuery{Text: q.Text + " ", Lang: jarchy.Kyrgyz, Limit: 100})
		found, first := 0, 0
		for i, h := range res.Hits {
			if !slices.Contains(q.Relevant, docOf[h.Article.ID]) {
				continue
			}
			if first == 0 {
				first = i + 1
			}
			if i < 10 {
				found++
			}
		}
		if first > 0 {
			mrr += 1 / float64(first)
		}
		recall += float64(found) / float64(len(q.Relevant))
	}
	n := float64(len(c.Queries))
	t.Logf("%d queries over %d documents: recall@10 %.3f, MRR %.3f", len(c.Queries), len(c.Docs), recall/n, mrr/n)
	if recall/n < 0.9 {
		t.Errorf("recall@10 %.3f, want at least 0.9", recall/n)
	}
}
