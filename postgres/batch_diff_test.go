package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// TestBatchSameAsOneByOne is the differential test of the pipelined
// batch save: the same sequence of varied batches (new and updated
// articles, drafts, published and scheduled ones, sections, tags and
// authors created on the way, slug collisions and moves, translations,
// covers new and known, corrections, SEO texts, owners, actors and
// revision notes on the context, an article named twice, a re-import by
// external id, saves that change nothing) is saved through SaveArticles
// (every other batch through PrepareSave, as the importer saves) into one
// database and through saveOneByOne into another; then every
// table the stores read (articles, links, sections, tags, authors, media,
// revisions, the audit log, redirects, the search index and vocabulary),
// every article as Article and ArticleBySlug read it, a few searches, the
// filled-in articles SaveArticles returned and the Changes a subscriber
// got must be the same. Translation groups are random, so each store's
// are renamed in the order their articles were created.
func TestBatchSameAsOneByOne(t *testing.T) {
	for _, seed := range []uint64{7, 8, 9} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { testBatchSameAsOneByOne(t, seed) })
	}
}

func testBatchSameAsOneByOne(t *testing.T, seed uint64) {
	ctx := context.Background()
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	open := func(oneByOne bool) (*DB, *[]jarchy.Change) {
		db, err := Open(ctx, pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now, db.oneByOne = now, oneByOne
		var chs []jarchy.Change
		var cmu sync.Mutex
		db.Subscribe(func(c jarchy.Change) { cmu.Lock(); chs = append(chs, c); cmu.Unlock() })
		return db, &chs
	}
	batch, batchChanges := open(false)
	single, singleChanges := open(true)
	stores := []*DB{batch, single}

	r := rand.New(rand.NewPCG(seed, 13))
	titles := []string{"Бишкекте жаңы мектеп", "Ош шаарында базар", "Парламент мыйзам кабыл алды", "Новости спорта",
		"Выборы в Бишкеке", "Weather in Naryn", "Бишкекте жаңы мектеп ачылды", "Market report"}
	langs := []jarchy.Lang{jarchy.Kyrgyz, jarchy.Russian, jarchy.English}
	sectionNames := map[jarchy.Lang]string{jarchy.Kyrgyz: "Бөлүм", jarchy.Russian: "Раздел", jarchy.English: "Section"}
	var ids []int64 // the stored articles, the same in both stores
	ext := 0
	seen := map[string]bool{} // lang/slug ever given, for ArticleBySlug

	// newArticle draws a new article; its translation group, when it
	// joins another article's, is read from each store.
	type op func(s *DB) (*jarchy.Article, error)
	newOp := func(round int) op {
		lang := langs[r.IntN(3)]
		title := titles[r.IntN(len(titles))]
		if r.IntN(3) == 0 {
			title += fmt.Sprintf(" %d", r.IntN(4))
		}
		status := []jarchy.Status{jarchy.StatusDraft, jarchy.StatusPublished, jarchy.StatusPublished, jarchy.StatusScheduled}[r.IntN(4)]
		var pub time.Time
		switch status {
		case jarchy.StatusPublished:
			pub = clock.Add(-time.Duration(r.IntN(5000)) * time.Minute)
		case jarchy.StatusScheduled:
			status, pub = jarchy.StatusPublished, clock.Add(time.Duration(1+r.IntN(5000))*time.Minute)
		}
		sec := jarchy.Section{Slug: []string{"news", "sport", fmt.Sprintf("extra-%d", round%3)}[r.IntN(3)], Names: sectionNames, Position: r.IntN(3)}
		var tags []jarchy.Tag
		for range r.IntN(4) {
			k := r.IntN(12)
			tags = append(tags, jarchy.Tag{Slug: fmt.Sprintf("tag-%d", k), Name: fmt.Sprintf("Тег %d v%d", k, r.IntN(2))})
		}
		var authors []jarchy.Author
		for range r.IntN(3) {
			k := r.IntN(6)
			authors = append(authors, jarchy.Author{Slug: fmt.Sprintf("author-%d", k), Name: fmt.Sprintf("Автор %d", k), Bio: fmt.Sprintf("bio %d", r.IntN(2))})
		}
		var cover *jarchy.Media
		if r.IntN(2) == 0 {
			k := r.IntN(6)
			url := fmt.Sprintf("https://photos.example/%d.jpg", k)
			cover = &jarchy.Media{Key: jarchy.ExternalMediaKey(url), URL: url, Type: "image/jpeg",
				Width: 800, Height: 600, Caption: fmt.Sprintf("Caption %d/%d", k, r.IntN(3)), Credit: "Сүрөт: KG", Alt: fmt.Sprintf("Alt %d", k)}
		}
		extID := ""
		if r.IntN(3) == 0 {
			ext++
			extID = fmt.Sprintf("ext-%d", ext)
		}
		var corrections []jarchy.Correction
		if r.IntN(5) == 0 {
			corrections = []jarchy.Correction{{At: clock.Add(-time.Hour), Text: "Аты оңдолду."}}
		}
		seoTitle, seoDesc := "", ""
		if r.IntN(4) == 0 {
			seoTitle, seoDesc = "SEO "+title, "Description of "+title
		}
		owner := int64(r.IntN(4))
		join := -1
		if len(ids) > 0 && r.IntN(4) == 0 {
			join = r.IntN(len(ids))
		}
		body := fmt.Sprintf("Текст **%s** %d: мектеп базар мыйзам школа market weather.", title, r.IntN(1000))
		return func(s *DB) (*jarchy.Article, error) {
			a := &jarchy.Article{ExternalID: extID, Lang: lang, Title: title, Lead: "Лид: " + title, Body: body,
				Section: sec, Tags: append([]jarchy.Tag(nil), tags...), Authors: append([]jarchy.Author(nil), authors...),
				SEOTitle: seoTitle, SEODescription: seoDesc, OwnerID: owner, Status: status, PublishedAt: pub,
				Corrections: append([]jarchy.Correction(nil), corrections...)}
			if cover != nil {
				c := *cover
				a.Cover = &c
			}
			if join >= 0 {
				other, err := s.Article(ctx, ids[join])
				if err != nil {
					return nil, err
				}
				a.TranslationGroup = other.TranslationGroup
			}
			return a, nil
		}
	}
	// updateOp draws changes to a stored article, applied to each store's
	// copy as read.
	updateOp := func(taken map[int64]bool, id int64) op {
		if id == 0 {
			id = ids[r.IntN(len(ids))]
		}
		if taken[id] {
			return nil
		}
		taken[id] = true
		kind := r.IntN(11)
		lang := langs[r.IntN(3)]
		slug := fmt.Sprintf("given-%d", r.IntN(3))
		title := titles[r.IntN(len(titles))] + " (жаңыланды)"
		k := r.IntN(12)
		byExternal := r.IntN(3) == 0
		return func(s *DB) (*jarchy.Article, error) {
			a, err := s.Article(ctx, id)
			if err != nil {
				return nil, err
			}
			a.Translations = nil
			switch kind {
			case 9: // another language: the old slug redirects in the old one
				a.Lang = lang
			case 10: // a slug of its own, maybe taken
				a.Slug = slug
			case 0: // nothing changes
			case 1: // a new title and so a new slug; the old one redirects
				a.Title, a.Slug = title, ""
			case 2:
				a.Status, a.PublishedAt = jarchy.StatusPublished, clock.Add(-time.Minute)
			case 3:
				a.Status = jarchy.StatusDraft
			case 4:
				a.Tags = append(a.Tags, jarchy.Tag{Slug: fmt.Sprintf("tag-%d", k+20), Name: "Жаңы тег"})
				a.Authors = nil
			case 5:
				if err := jarchy.AddCorrection(a, fmt.Sprintf("Оңдоо %d.", k)); err != nil {
					return nil, err
				}
			case 6:
				url := fmt.Sprintf("https://photos.example/%d.jpg", k)
				a.Cover = &jarchy.Media{Key: jarchy.ExternalMediaKey(url), URL: url, Type: "image/jpeg", Alt: "alt"}
				a.SEOTitle = "Жаңы SEO"
			case 8: // a restore keeps the stored corrections
				revs, err := s.Revisions(ctx, id)
				if err != nil {
					return nil, err
				}
				a.RestoredFrom, a.Corrections, a.Lead = revs[len(revs)-1].ID, nil, "Калыбына келтирилди"
			case 7:
				a.Body += "\n\nКошумча абзац."
				a.Section = jarchy.Section{Slug: "late", Names: sectionNames}
			}
			if byExternal && a.ExternalID != "" {
				a.ID = 0 // a re-import finds it by its external id
			}
			return a, nil
		}
	}

	for round := range 30 {
		mu.Lock()
		clock = clock.Add(time.Duration(1+r.IntN(90)) * time.Minute)
		mu.Unlock()
		var ops []op
		n := 1 + r.IntN(12)
		if round%4 == 3 {
			n = 40 // more collisions within a batch
		}
		taken := map[int64]bool{}
		for range n {
			if len(ids) > 0 && r.IntN(3) == 0 {
				if o := updateOp(taken, 0); o != nil {
					ops = append(ops, o)
				}
			} else {
				ops = append(ops, newOp(round))
			}
		}
		twice := round%7 == 6 && len(ids) > 0 // an article named twice: saved one by one
		var id int64
		if twice {
			id = ids[r.IntN(len(ids))]
		}
		if twice && !taken[id] {
			taken[id] = true
			ops = append(ops, func(s *DB) (*jarchy.Article, error) {
				a, err := s.Article(ctx, id)
				if err == nil {
					a.Translations, a.Title, a.Slug = nil, "Twice "+a.Title, ""
				}
				return a, err
			}, func(s *DB) (*jarchy.Article, error) {
				a, err := s.Article(ctx, id)
				if err == nil {
					a.Translations, a.Version, a.Lead = nil, a.Version+1, "Second save in one batch"
				}
				return a, err
			})
		}
		actx := jarchy.WithActor(ctx, jarchy.Actor{UserID: int64(round % 3), Name: fmt.Sprintf("editor %d", round%3)})
		if round%2 == 0 {
			actx = jarchy.WithRevisionInfo(actx, jarchy.RevisionInfo{AuthorID: int64(round % 4), Note: fmt.Sprintf("round %d", round)})
		}
		if round%5 == 4 { // some stored articles are breaking news, and saved
			for _, id := range ids[:12] {
				var errs [2]string
				for si, s := range stores {
					errs[si] = fmt.Sprint(s.SetBreaking(ctx, id, clock.Add(time.Hour))) // drafts are refused
				}
				if errs[0] != errs[1] {
					t.Fatalf("SetBreaking(%d): %s and %s", id, errs[0], errs[1])
				}
				if errs[0] == "<nil>" {
					if o := updateOp(taken, id); o != nil {
						ops = append(ops, o)
					}
				}
			}
		}
		var saved [2][]*jarchy.Article
		var errs [2]error
		for si, s := range stores {
			for _, o := range ops {
				a, err := o(s)
				if err != nil {
					t.Fatalf("round %d: building the batch: %v", round, err)
				}
				saved[si] = append(saved[si], a)
			}
			if si == 0 && round%2 == 1 { // the importer's way: prepared ahead, then saved
				errs[si] = s.PrepareSave(saved[si])(actx)
			} else {
				errs[si] = s.SaveArticles(actx, saved[si])
			}
		}
		if fmt.Sprint(errs[0]) != fmt.Sprint(errs[1]) {
			t.Fatalf("round %d: batch error %v, one by one %v", round, errs[0], errs[1])
		}
		if errs[0] != nil {
			t.Fatalf("round %d: %v", round, errs[0])
		}
		for i := range saved[0] {
			b, o := *saved[0][i], *saved[1][i]
			b.TranslationGroup, o.TranslationGroup = "", ""
			if !reflect.DeepEqual(b, o) {
				t.Fatalf("round %d: article %d of the batch saved differently:\n%s", round, i+1, firstDiff(jsonText(t, b), jsonText(t, o)))
			}
			if !containsID(ids, b.ID) {
				ids = append(ids, b.ID)
			}
			seen[string(b.Lang)+"/"+b.Slug] = true
		}
	}
	if len(ids) < 100 {
		t.Fatalf("only %d articles were saved", len(ids))
	}

	// Failed batches: the same error, nothing written.
	failing := [][]*jarchy.Article{
		{{Lang: jarchy.Kyrgyz, Title: "Жакшы", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"}},
			{Lang: jarchy.Kyrgyz, Title: "Сүрөтү жазуусуз", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"},
				Status: jarchy.StatusPublished, Cover: &jarchy.Media{Key: jarchy.ExternalMediaKey("https://photos.example/no-alt.jpg"), URL: "https://photos.example/no-alt.jpg"}}},
		{{Lang: jarchy.Russian, Title: "Тег по номеру", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"}, Tags: []jarchy.Tag{{ID: 987654}}}},
		{{ID: ids[0], Lang: jarchy.Kyrgyz, Title: "Эски версия", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"}, Version: 99}},
		// two faults: one by one meets the first article's first
		{{Lang: jarchy.Russian, Title: "Тег по номеру", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"}, Tags: []jarchy.Tag{{ID: 987654}}},
			{ID: ids[1], Lang: jarchy.Kyrgyz, Title: "Эски версия", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"}, Version: 99}},
		{{Lang: jarchy.Kyrgyz, Title: "Сүрөтү жазуусуз", Lead: "l", Body: "b", Section: jarchy.Section{Slug: "news"},
			Status: jarchy.StatusPublished, Cover: &jarchy.Media{Key: jarchy.ExternalMediaKey("https://photos.example/no-alt.jpg"), URL: "https://photos.example/no-alt.jpg"}},
			{Lang: jarchy.Russian, Title: "Неизвестный раздел", Lead: "l", Body: "b", Section: jarchy.Section{ID: 424242}}},
	}
	for k, as := range failing {
		var msgs [2]string
		for si, s := range stores {
			cp := make([]*jarchy.Article, len(as))
			for i, a := range as {
				c := *a
				cp[i] = &c
			}
			var err error
			if si == 0 && k%2 == 1 {
				err = s.PrepareSave(cp)(ctx)
			} else {
				err = s.SaveArticles(ctx, cp)
			}
			if err == nil {
				t.Fatalf("failing batch %d saved on store %d", k, si)
			}
			msgs[si] = fmt.Sprintf("%s: %v", jarchy.ErrorCode(err), err)
		}
		if msgs[0] != msgs[1] {
			t.Errorf("failing batch %d: batch %q, one by one %q", k, msgs[0], msgs[1])
		}
	}

	// Every table the stores read, row by row.
	dumps := [2]map[string]string{}
	for si, s := range stores {
		dumps[si] = dumpTables(t, s)
	}
	for table, b := range dumps[0] {
		if o := dumps[1][table]; b != o {
			t.Errorf("table %s differs:\n%s", table, firstDiff(b, o))
		}
	}
	if !strings.Contains(dumps[0]["audit_log"], "editor 2") || !strings.Contains(dumps[0]["revisions"], "round 4") ||
		!strings.Contains(dumps[0]["media"], "photos.example") || !strings.Contains(dumps[0]["audit_log"], "article.breaking") ||
		!strings.Contains(dumps[0]["revisions"], "Калыбына") || !strings.Contains(dumps[0]["slug_redirects"], "article_id") {
		t.Errorf("the sequence did not reach actors, revision notes, covers or redirects")
	}

	// What readers get.
	groups := [2]map[string]string{groupNames(t, batch), groupNames(t, single)}
	for _, id := range ids {
		var got [2]string
		for si, s := range stores {
			a, err := s.Article(ctx, id)
			if err != nil {
				t.Fatalf("Article(%d): %v", id, err)
			}
			var hash string
			if err := s.pool.QueryRow(ctx, "SELECT content_hash FROM articles WHERE id = $1", id).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if want := storeutil.ContentHash(a); hash != want {
				t.Errorf("store %d: article %d has content hash %s, its content %s", si, id, hash, want)
			}
			revs, err := s.Revisions(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			got[si] = renameGroups(jsonText(t, a)+"\n"+jsonText(t, revs), groups[si])
		}
		if got[0] != got[1] {
			t.Errorf("article %d reads differently:\n%s", id, firstDiff(got[0], got[1]))
		}
	}
	for key := range seen {
		lang, slug, _ := strings.Cut(key, "/")
		var got [2]string
		for si, s := range stores {
			a, err := s.ArticleBySlug(ctx, jarchy.Lang(lang), slug)
			if err != nil {
				got[si] = err.Error()
			} else {
				got[si] = fmt.Sprint(a.ID, a.Slug)
			}
		}
		if got[0] != got[1] {
			t.Errorf("%s leads to %s in the batch's store, %s in the other", key, got[0], got[1])
		}
	}
	for _, q := range []jarchy.SearchQuery{{Text: "мектеп"}, {Text: "школа", Lang: jarchy.Russian}, {Text: "market", Lang: jarchy.English},
		{Text: "тег", Sort: jarchy.SortDate}, {Text: "автор мыйзам"}} {
		var got [2]string
		for si, s := range stores {
			res, err := s.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got[si] = renameGroups(jsonText(t, res), groups[si])
		}
		if got[0] != got[1] {
			t.Errorf("search %q:\n%s", q.Text, firstDiff(got[0], got[1]))
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, o := changesText(*batchChanges, groups[0]), changesText(*singleChanges, groups[1]); b == o && len(*batchChanges) > 10 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("changes differ (%d and %d):\n%s", len(*batchChanges), len(*singleChanges), firstDiff(b, o))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jsonText is v as indented JSON (pointers followed).
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// changesText is the changes one per line, their topics with translation
// groups renamed and sorted again.
func changesText(chs []jarchy.Change, names map[string]string) string {
	var b strings.Builder
	for _, c := range chs {
		topics := make([]string, len(c.Topics))
		for i, tp := range c.Topics {
			topics[i] = renameGroups(string(tp), names)
		}
		slices.Sort(topics)
		fmt.Fprintln(&b, c.All, topics)
	}
	return b.String()
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// groupNames names each translation group of s after the order its first
// article was created in.
func groupNames(t *testing.T, s *DB) map[string]string {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), "SELECT translation_group FROM articles ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			t.Fatal(err)
		}
		if _, ok := names[g]; !ok {
			names[g] = fmt.Sprintf("group#%d", len(names)+1)
		}
	}
	return names
}

var groupLike = regexp.MustCompile(`g-[0-9a-f]{24}`)

func renameGroups(s string, names map[string]string) string {
	return groupLike.ReplaceAllStringFunc(s, func(g string) string {
		if n, ok := names[g]; ok {
			return n
		}
		return g
	})
}

// dumpTables returns every row of the tables a save writes, as JSON text
// in a fixed order, translation groups renamed.
func dumpTables(t *testing.T, s *DB) map[string]string {
	t.Helper()
	names := groupNames(t, s)
	out := map[string]string{}
	for _, table := range []string{"site_state", "articles", "article_tags", "article_authors", "sections", "tags", "authors",
		"media", "revisions", "audit_log", "slug_redirects", "search_docs", "search_match", "search_text", "search_terms"} {
		// The content hash covers the (random) translation group: it is
		// checked apart, against the article read back.
		row := "to_jsonb(t)"
		if table == "articles" {
			row = "(to_jsonb(t) - 'content_hash')"
		}
		var text string
		err := s.pool.QueryRow(context.Background(),
			"SELECT COALESCE(string_agg("+row+"::text, E'\\n' ORDER BY "+row+"::text), '') FROM "+table+" t").Scan(&text)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		out[table] = renameGroups(text, names)
	}
	return out
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			c := 0
			for c < len(x) && c < len(y) && x[c] == y[c] {
				c++
			}
			from := max(0, c-200)
			return fmt.Sprintf("line %d, from byte %d\n  batch:      %.500s\n  one by one: %.500s", i+1, from, x[from:], y[from:])
		}
	}
	return "(same lines)"
}
