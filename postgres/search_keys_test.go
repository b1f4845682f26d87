package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
)

func TestIndexForm(t *testing.T) {
	for _, c := range []struct {
		in, lexemes string
		keys        []string
	}{
		{`'жол' & 'ка':*`, `'жол'`, []string{"\x01ка"}},
		{`'ка':* & 'жол' & 'со':*`, `'жол'`, []string{"\x01ка", "\x01со"}},
		{`'жол' & 'сом':*`, `'жол' & 'сом':*`, nil}, // three letters: a partial match
		{`'к':*`, `'к':*`, nil},
		{`'жол' & ( 'ал' | 'ала':* )`, `'жол' & ( 'ал' | 'ала':* )`, nil}, // not alone
		{`'жол' & !'ка':*`, `'жол' & !'ка':*`, nil},
		{`'ка':* | 'жол' & 'со':*`, `'ка':* | 'жол' & 'со':*`, nil}, // an OR at the top
		{`'a''':* & 'x'`, `'x'`, []string{"\x01a'"}},
		{`'a\\':* & 'x'`, `'x'`, []string{"\x01a\\"}},
		{`'a' & 'bc':* & 'd':*`, `'a' & 'd':*`, []string{"\x01bc"}}, // one letter: no key
		{`'&&':* & '(x':*`, ``, []string{"\x01&&", "\x01(x"}},
		{`'ab' & 'c'`, `'ab' & 'c'`, nil},
		{``, ``, nil},
	} {
		lexemes, keys := indexForm(c.in)
		if lexemes != c.lexemes || !slices.Equal(keys, c.keys) {
			t.Errorf("indexForm(%q) = %q, %q; want %q, %q", c.in, lexemes, keys, c.lexemes, c.keys)
		}
	}
	for q, want := range map[string]int{`'a':*`: 1, `'жол' & ( 'ал' | 'кара':*A )`: 4, `'a*b'`: 0, `'a' & 'b'`: 0,
		`'сом':* & 'депутат':*`: 3, `'ж''о':*`: 3, `'ж\\':* & 'ab:*'`: 2, `'ab' & 'cd':A`: 0, `'ab':AB*`: 2} {
		if got := shortestPrefix(q); got != want {
			t.Errorf("shortestPrefix(%q) = %d, want %d", q, got, want)
		}
	}
}

// TestIndexMatchesSameAsRowCheck: the word index, asked with two-letter
// prefixes, the language and the section as keys
// (indexMatches), finds exactly the matches that checking every row with
// the query finds, for typed prefixes of two letters and more, alone and
// beside other words, with and without filters. And the statement does
// ask the index for the keys.
func TestIndexMatchesSameAsRowCheck(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sections []int64
	for _, slug := range []string{"news", "sport", "culture"} {
		sec := &jarchy.Section{Slug: slug, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: slug}}
		if err := db.SaveSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
		sections = append(sections, sec.ID)
	}
	r := rand.New(rand.NewPCG(7, 11))
	letters := []rune("абвжкалмнопрстүөңыя")
	var words []string
	for range 60 {
		w := make([]rune, 1+r.IntN(8))
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		words = append(words, string(w))
	}
	words = append(words, "2020-жылы", "кара-суу", "ka", "kab1")
	at := time.Now().Add(-time.Hour)
	var arts []*jarchy.Article
	for i := range 240 {
		var body []string
		for range 3 + r.IntN(12) {
			body = append(body, words[r.IntN(len(words))])
		}
		lang := []jarchy.Lang{jarchy.Kyrgyz, jarchy.Russian}[i%2]
		arts = append(arts, &jarchy.Article{Lang: lang, Title: fmt.Sprintf("Макала %d", i), Body: strings.Join(body, " "),
			Status: jarchy.StatusPublished, PublishedAt: at, Section: jarchy.Section{ID: sections[i%3]}})
	}
	if err := db.SaveArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}

	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	keyed, checked := 0, 0
	for i := range 400 {
		w1, w2 := []rune(words[r.IntN(len(words))]), []rune(words[r.IntN(len(words))])
		text := string(w1) + " " + string(w2[:min(len(w2), 2+i%4)])
		if i%5 == 0 {
			text = string(w2[:min(len(w2), 2+i%2)]) // a prefix alone
		}
		if i%7 == 0 {
			text += " -" + words[r.IntN(len(words))]
		}
		q := search.ParseQuery(jarchy.Kyrgyz, text)
		if q.Empty() {
			continue
		}
		m, err := prepareMatch(ctx, tx, q.TSQuery())
		if err != nil {
			t.Fatal(err)
		}
		if m.none {
			continue
		}
		if len(m.prefixKeys) > 0 {
			keyed++
		}
		p := searchindex.Plan{}
		switch i % 4 {
		case 1:
			p.Lang = jarchy.Kyrgyz
		case 2:
			p.Lang, p.SectionID = jarchy.Russian, sections[i%3]
		case 3:
			p.SectionID = sections[(i+1)%3]
		}
		got, err := indexMatches(ctx, tx, p, m, m.top, 1000)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		where, args := searchWhere(p, m, false)
		want, err := scanScored(tx.Query(ctx, "SELECT d.article_id, "+pubMicros+", 0::float4"+where+" ORDER BY d.article_id DESC",
			append([]any{pgx.QueryExecModeExec}, args...)...))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q (%s, lang %q, section %d): the index found %d matches, checking rows %d",
				text, m.loose, p.Lang, p.SectionID, len(got), len(want))
		}
		checked += len(want)
	}
	if keyed < 100 || checked < 1000 {
		t.Fatalf("only %d queries with prefix keys, %d matches: the test tests little", keyed, checked)
	}

	// The keys the index is asked: the prefixes', the language's and the
	// section's, and no partial match; beside a longer prefix no filter.
	sectionKeyOf := sectionKey + fmt.Sprint(sections[1])
	for q, want := range map[string][]string{
		"'жол' & 'ка':*":          {prefixKey + "ка", langKey + "ky", sectionKeyOf},
		"'ка':* & 'жол' & 'ал':*": {prefixKey + "ка", prefixKey + "ал", langKey + "ky", sectionKeyOf},
		"'жол'":                   {langKey + "ky", sectionKeyOf},
		"'жол' & 'сом':*":         nil,
	} {
		m, err := prepareMatch(ctx, tx, q)
		if err != nil {
			t.Fatal(err)
		}
		where, args := searchWhere(searchindex.Plan{Lang: jarchy.Kyrgyz, SectionID: sections[1]}, m, true)
		plan := explain(t, tx, "SELECT d.article_id"+where+" AND d.article_id + 0 <= 1000", append([]any{pgx.QueryExecModeExec}, args...)...)
		_, cond, _ := strings.Cut(plan, "Index Cond")
		cond, _, _ = strings.Cut(cond, "\n")
		asked := strings.Contains(cond, "search_match_keys(")
		for _, k := range want {
			asked = asked && strings.Contains(cond, "'"+k+"'")
		}
		if asked != (want != nil) || want != nil && strings.Contains(cond, ":*") {
			t.Errorf("%s: the index is not asked for the keys %q alone:\n%s", q, want, plan)
		}
	}
}
