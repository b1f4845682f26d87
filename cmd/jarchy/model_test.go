package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" { // a child process of a test: be jarchy
		main()
		return
	}
	pgtest.Main(m)
}

// TestCacheModel is the model test of invalidation by topic: random
// writes through the store API (create, edit, retitle, new slug,
// re-section, retag, new authors, cover, unpublish, publish, redate,
// translation group, delete, draft autosaves, settings, sections, authors,
// static pages); the page cache hears of them only through the store's
// change feed (pagecache.Watch), as in serve. After each write every URL
// of a fixed list, fetched through the cache, must equal a fresh render of
// an uncached site on the same database. So the topics pages declare and
// the changes the stores publish are complete: a missing one leaves a
// stale page in the cache. After a draft autosave every page must still be
// a hit. The "two processes" runs write through one store handle and
// serve through another on the same database (another process, another
// node): its cache must be fresh once the change arrives (bounded wait).
//
// JARCHY_MODEL_SEED and JARCHY_MODEL_STEPS change the seed (default 1)
// and the number of writes (default 40).
func TestCacheModel(t *testing.T) {
	openSQLite := func(t *testing.T, path string) jarchy.Store {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	openPostgres := func(t *testing.T, url string) jarchy.Store {
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	t.Run("sqlite", func(t *testing.T) {
		st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
		runCacheModel(t, st, st)
	})
	t.Run("sqlite two processes", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "jarchy.db")
		runCacheModel(t, openSQLite(t, path), openSQLite(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		st := openPostgres(t, pgtest.URL(t))
		runCacheModel(t, st, st)
	})
	t.Run("postgres two nodes", func(t *testing.T) {
		url := pgtest.URL(t)
		runCacheModel(t, openPostgres(t, url), openPostgres(t, url))
	})
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

// model drives one store.
type model struct {
	t      *testing.T
	ctx    context.Context
	st     jarchy.Store
	rnd    *rand.Rand
	cache  *pagecache.Cache
	cached *modelClient // through the cache
	fresh  *modelClient // an uncached site on the same store
	urls   []string

	ids     []int64             // articles that exist
	titles  map[jarchy.Lang]int // titles used so far per language
	tags    map[int64]bool      // tag IDs that exist
	authors map[int64]bool
	newTags int // "Topic N" tags made so far
	base    time.Time
	// eventual: the cache serves another store handle than the writes go
	// through, so a change reaches it shortly after the write.
	eventual bool
}

var (
	modelSections = []string{"sayasat", "ekonomika", "madaniyat"}
	modelTags     = []string{"Budget", "Election", "Parliament", "Water"}
	modelAuthors  = []string{"Aigul Osmonova", "Nurlan Sadykov", "Bakyt Asanov"}
)

const (
	modelTitles   = 14 // "Story 0".."Story 13" per language: their URLs are checked
	modelMaxID    = 40 // API URLs /api/v1/articles/1..40
	modelNewTags  = 3  // "Topic 1".."Topic 3" may be made by article saves
	modelPageSize = 3
)

func runCacheModel(t *testing.T, st, served jarchy.Store) {
	seed := uint64(envInt(t, "JARCHY_MODEL_SEED", 1))
	steps := envInt(t, "JARCHY_MODEL_STEPS", 40)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := web.Config{BaseURL: "https://news.example", PageSize: modelPageSize, Logger: quiet}

	m := &model{t: t, ctx: ctx, st: st, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		titles: map[jarchy.Lang]int{}, tags: map[int64]bool{}, authors: map[int64]bool{},
		base: time.Now().UTC().Add(-time.Hour).Truncate(time.Second)}
	m.seed()

	site := web.New(cfg, served, nil)
	defer site.Close()
	m.cache = pagecache.New(pagecache.Options{MaxBytes: 256 << 20, QueryParams: site.QueryParams, ShortTTL: time.Hour})
	defer pagecache.Watch(served, m.cache)()
	m.eventual = served != st
	cachedSrv := httptest.NewServer(m.cache.Handler(site))
	defer cachedSrv.Close()
	freshSite := web.New(cfg, st, nil)
	defer freshSite.Close()
	freshSrv := httptest.NewServer(freshSite)
	defer freshSrv.Close()
	m.cached, m.fresh = newModelClient(t, cachedSrv.URL), newModelClient(t, freshSrv.URL)
	m.urls = modelURLs()

	m.compare("the seeded site", false)
	hits, total := 0, 0
	for step := 1; step <= steps; step++ {
		what, ch, autosave := m.write()
		h, n := m.compare(fmt.Sprintf("step %d (seed %d): %s, change %q", step, seed, what, ch.String()), autosave)
		hits, total = hits+h, total+n
	}
	s := m.cache.Stats()
	t.Logf("%d writes: %d of %d cached answers were hits (%.0f%%); %d changes dropped %d entries, %d renders raced",
		steps, hits, total, 100*float64(hits)/float64(total), s.Changes, s.Dropped, s.Raced)
	if hits == 0 {
		t.Error("no hit after any write: the cache kept nothing, the test proves nothing")
	}
}

// modelURLs is the fixed list of pages compared after each write.
func modelURLs() []string {
	var urls []string
	for _, l := range jarchy.Langs {
		p := "/" + string(l)
		urls = append(urls, p+"/", p+"/sayasat/?page=2", p+"/tag/budget?page=2", p+"/feed/rss.xml",
			p+"/feed/section/sayasat/atom.xml", p+"/feed/tag/budget/feed.json", p+"/feed/author/aigul-osmonova/rss.xml",
			p+"/search?q=story", p+"/search?q=budget&sort=date", p+"/page/about", p+"/page/contacts", p+"/opensearch.xml")
		for _, s := range append(slices.Clone(modelSections), "sport") {
			urls = append(urls, p+"/"+s+"/")
		}
		for _, tg := range modelTags {
			urls = append(urls, p+"/tag/"+jarchy.Slugify(l, tg))
		}
		for i := 1; i <= modelNewTags; i++ {
			urls = append(urls, p+"/tag/topic-"+strconv.Itoa(i))
		}
		for _, au := range append(slices.Clone(modelAuthors), "Reporter") {
			urls = append(urls, p+"/author/"+jarchy.Slugify(l, au))
		}
		for i := range modelTitles {
			urls = append(urls, p+"/sayasat/story-"+strconv.Itoa(i))
		}
	}
	urls = append(urls, "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/ky-1.xml", "/sitemaps/ru-1.xml",
		"/sitemaps/en-1.xml", "/news-sitemap.xml", "/api/v1/articles", "/api/v1/articles?lang=ky&limit=3",
		"/api/v1/articles?tag=budget", "/api/v1/articles?author=nurlan-sadykov", "/api/v1/search?q=story",
		"/robots.txt", "/nowhere")
	for id := 1; id <= modelMaxID; id++ {
		urls = append(urls, "/api/v1/articles/"+strconv.Itoa(id))
	}
	return urls
}

// seed makes the starting edition: settings, three sections, two static
// pages, and articles in every language, some translated, some drafts.
func (m *model) seed() {
	m.must(m.st.SaveSettings(m.ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы", jarchy.Russian: "Жарчы", jarchy.English: "Jarchy"}}))
	for i, slug := range modelSections {
		m.must(m.st.SaveSection(m.ctx, &jarchy.Section{Slug: slug, Position: i + 1,
			Names: map[jarchy.Lang]string{jarchy.Kyrgyz: slug + " ky", jarchy.Russian: slug + " ru", jarchy.English: slug + " en"}}))
	}
	m.must(m.st.SavePage(m.ctx, &jarchy.Page{Lang: jarchy.Kyrgyz, Slug: "about", Title: "Биз жөнүндө", Body: "Жарчы."}))
	m.must(m.st.SavePage(m.ctx, &jarchy.Page{Lang: jarchy.Russian, Slug: "about", Title: "О нас", Body: "Жарчы."}))
	for range 12 {
		m.create()
	}
}

func (m *model) must(err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
}

func (m *model) pick(n int) int { return m.rnd.IntN(n) }

func (m *model) chance(p float64) bool { return m.rnd.Float64() < p }

func (m *model) sections() []jarchy.Section {
	secs, err := m.st.Sections(m.ctx)
	m.must(err)
	return secs
}

// load returns the stored row of article id, or nil.
func (m *model) load(id int64) *jarchy.Article {
	a, err := m.st.Article(m.ctx, id)
	if jarchy.IsNotFound(err) {
		return nil
	}
	m.must(err)
	return a
}

func (m *model) randomTags() []jarchy.Tag {
	var ts []jarchy.Tag
	for _, name := range modelTags {
		if m.chance(0.35) {
			ts = append(ts, jarchy.Tag{Name: name})
		}
	}
	if m.newTags < modelNewTags && m.chance(0.1) {
		m.newTags++
		ts = append(ts, jarchy.Tag{Name: "Topic " + strconv.Itoa(m.newTags)})
	}
	return ts
}

func (m *model) randomAuthors() []jarchy.Author {
	var as []jarchy.Author
	if m.chance(0.8) {
		as = append(as, jarchy.Author{Name: modelAuthors[m.pick(len(modelAuthors))]})
	}
	if m.chance(0.1) {
		as = append(as, jarchy.Author{Name: "Reporter"})
	}
	return as
}

func (m *model) randomSection() jarchy.Section {
	if m.chance(0.05) {
		return jarchy.Section{Slug: "sport", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Спорт"}} // made by the save
	}
	secs := m.sections()
	return jarchy.Section{ID: secs[m.pick(len(secs))].ID}
}

func (m *model) randomTime() time.Time {
	return m.base.Add(-time.Duration(m.pick(20*60)) * time.Minute)
}

func (m *model) nextTitle(l jarchy.Lang) (string, bool) {
	n := m.titles[l]
	if n >= modelTitles {
		return "", false
	}
	m.titles[l]++
	return "Story " + strconv.Itoa(n), true
}

// save saves a (new when old is nil) and returns the change the store
// publishes: ArticleChange of the stored rows, merged with the changes
// of the section, tags and authors the save made on the way.
func (m *model) save(old, a *jarchy.Article) jarchy.Change {
	m.t.Helper()
	secsBefore := len(m.sections())
	m.must(m.st.SaveArticle(m.ctx, a))
	stored := m.load(a.ID)
	ch := jarchy.ArticleChange(old, stored, time.Now())
	if len(m.sections()) != secsBefore {
		ch = ch.Merge(jarchy.SectionChange())
	}
	for _, tg := range stored.Tags {
		if !m.tags[tg.ID] {
			m.tags[tg.ID] = true
			ch = ch.Merge(jarchy.TagChange(nil, &tg))
		}
	}
	for _, au := range stored.Authors {
		if !m.authors[au.ID] {
			m.authors[au.ID] = true
			ch = ch.Merge(jarchy.AuthorChange(nil, &au))
		}
	}
	if old == nil {
		m.ids = append(m.ids, stored.ID)
	}
	return ch
}

// create saves a new article: public mostly, sometimes a draft, sometimes
// a translation of another.
func (m *model) create() (string, jarchy.Change) {
	l := jarchy.Langs[m.pick(len(jarchy.Langs))]
	title, ok := m.nextTitle(l)
	if !ok {
		return "no title left", jarchy.Change{}
	}
	a := &jarchy.Article{Lang: l, Title: title, Lead: "Lead of " + title, Body: "Body of " + title + ".",
		Section: m.randomSection(), Tags: m.randomTags(), Authors: m.randomAuthors(),
		Status: jarchy.StatusPublished, PublishedAt: m.randomTime()}
	if m.chance(0.25) {
		a.Status, a.PublishedAt = jarchy.StatusDraft, time.Time{}
	}
	if m.chance(0.3) {
		a.Cover = &jarchy.Media{URL: "https://img.example/" + strconv.Itoa(m.pick(5)) + ".jpg", Alt: "photo"}
	}
	if len(m.ids) > 0 && m.chance(0.3) {
		if other := m.load(m.ids[m.pick(len(m.ids))]); other != nil && other.Lang != l {
			a.TranslationGroup = other.TranslationGroup
		}
	}
	return fmt.Sprintf("create %s %q (%s)", l, title, a.Status), m.save(nil, a)
}

// write makes one random write and returns what it did and its change;
// autosave marks a draft autosave, after which every page must be a hit.
func (m *model) write() (what string, ch jarchy.Change, autosave bool) {
	switch r := m.pick(100); {
	case r < 12 || len(m.ids) == 0:
		what, ch = m.create()
		return what, ch, false
	case r < 18:
		return m.siteWrite()
	case r < 24:
		return m.photoWrite()
	}
	id := m.ids[m.pick(len(m.ids))]
	old := m.load(id)
	a := *old
	a.Tags, a.Authors = slices.Clone(old.Tags), slices.Clone(old.Authors)
	op := ""
	switch r := m.pick(15); r {
	case 0:
		op = "delete"
		m.must(m.st.DeleteArticle(m.ctx, id))
		m.ids = slices.DeleteFunc(m.ids, func(x int64) bool { return x == id })
		return fmt.Sprintf("delete article %d (%s)", id, old.Status), jarchy.ArticleChange(old, nil, time.Now()), false
	case 1:
		op, a.Body = "body", a.Body+" More."
	case 2:
		op, a.Title = "retitle", a.Title+"!"
	case 3:
		title, ok := m.nextTitle(a.Lang)
		if !ok {
			op, a.Lead = "lead", a.Lead+" More."
			break
		}
		op, a.Title, a.Slug = "new slug", title, ""
	case 4:
		op, a.Section = "re-section", m.randomSection()
	case 5:
		op, a.Tags = "retag", m.randomTags()
	case 6:
		op, a.Authors = "new authors", m.randomAuthors()
	case 7:
		op, a.Status = "unpublish", jarchy.StatusUnpublished
	case 8:
		op, a.Status = "publish", jarchy.StatusPublished
		if a.PublishedAt.IsZero() || m.chance(0.5) {
			a.PublishedAt = m.randomTime()
		}
	case 9:
		op, a.PublishedAt = "redate", m.randomTime()
		if a.Status != jarchy.StatusPublished {
			a.Status = jarchy.StatusPublished
		}
	case 10:
		op = "cover"
		if a.Cover == nil {
			a.Cover = &jarchy.Media{URL: "https://img.example/cover.jpg", Alt: "photo"}
		} else {
			a.Cover = nil
		}
	case 11:
		op = "translation group"
		if other := m.load(m.ids[m.pick(len(m.ids))]); other != nil && other.Lang != a.Lang {
			a.TranslationGroup = other.TranslationGroup
		} else {
			a.TranslationGroup = "" // a group of its own
		}
	default: // a draft autosave: edit a draft, touching nothing public
		var drafts []int64
		for _, id := range m.ids {
			if d := m.load(id); d != nil && !d.IsPublic(time.Now()) {
				drafts = append(drafts, id)
			}
		}
		if len(drafts) == 0 {
			op, a.Body = "body", a.Body+" More."
			break
		}
		d := m.load(drafts[m.pick(len(drafts))])
		old, a = d, *d
		a.Body, a.Title = a.Body+" Draft.", a.Title+"?"
		ch = m.save(old, &a)
		if !ch.Empty() {
			m.t.Fatalf("a draft autosave touched %q", ch.String())
		}
		return fmt.Sprintf("autosave draft %d", a.ID), ch, true
	}
	return fmt.Sprintf("%s of article %d (%s %s)", op, id, old.Lang, old.Status), m.save(old, &a), false
}

// photoWrite edits the texts of a photo of the library (covers are these
// URLs), one that articles show when there is one: every page that shows
// it must change. A photo no article used yet is no write.
func (m *model) photoWrite() (string, jarchy.Change, bool) {
	urls := []string{"https://img.example/cover.jpg"}
	for i := range 5 {
		urls = append(urls, "https://img.example/"+strconv.Itoa(i)+".jpg")
	}
	m.rnd.Shuffle(len(urls), func(i, j int) { urls[i], urls[j] = urls[j], urls[i] })
	u := urls[0]
	for _, c := range urls {
		uses, err := m.st.MediaUses(m.ctx, jarchy.ExternalMediaKey(c))
		m.must(err)
		if len(uses) > 0 {
			u = c
			break
		}
	}
	key := jarchy.ExternalMediaKey(u)
	_, err := m.st.UpdateMediaText(m.ctx, key, jarchy.MediaText{Caption: "Сүрөт " + strconv.Itoa(m.pick(1000)),
		Credit: "Жарчы " + strconv.Itoa(m.pick(1000)), Alt: "photo " + strconv.Itoa(m.pick(1000))})
	if jarchy.IsNotFound(err) {
		return "photo " + u + " (none yet)", jarchy.Change{}, true
	}
	m.must(err)
	return "photo " + u, jarchy.MediaChange(key), false
}

// siteWrite changes settings, a section, an author or a static page.
func (m *model) siteWrite() (string, jarchy.Change, bool) {
	switch m.pick(5) {

	case 0:
		st, err := m.st.Settings(m.ctx)
		m.must(err)
		st.SiteName[jarchy.Kyrgyz] += "!"
		m.must(m.st.SaveSettings(m.ctx, st))
		return "settings", jarchy.SettingsChange(), false
	case 1:
		secs := m.sections()
		sec := secs[m.pick(len(secs))]
		sec.Names = map[jarchy.Lang]string{jarchy.Kyrgyz: sec.Name(jarchy.Kyrgyz) + "!", jarchy.English: sec.Name(jarchy.English)}
		m.must(m.st.SaveSection(m.ctx, &sec))
		return "section " + sec.Slug, jarchy.SectionChange(), false
	case 2:
		slug := jarchy.Slugify(jarchy.Kyrgyz, modelAuthors[m.pick(len(modelAuthors))])
		old, err := m.st.AuthorBySlug(m.ctx, slug)
		if jarchy.IsNotFound(err) {
			au := &jarchy.Author{Name: modelAuthors[0], Bio: "New."}
			m.must(m.st.SaveAuthor(m.ctx, au))
			m.authors[au.ID] = true
			return "author created", jarchy.AuthorChange(nil, au), false
		}
		m.must(err)
		au := *old
		au.Name, au.Bio = au.Name+"!", au.Bio+" Bio."
		m.must(m.st.SaveAuthor(m.ctx, &au))
		stored, err := m.st.AuthorBySlug(m.ctx, slug)
		m.must(err)
		return "author " + slug, jarchy.AuthorChange(old, stored), false
	default:
		l := jarchy.Langs[m.pick(len(jarchy.Langs))]
		slug := []string{"about", "contacts"}[m.pick(2)]
		old, err := m.st.PageBySlug(m.ctx, l, slug)
		if err != nil && !jarchy.IsNotFound(err) {
			m.t.Fatal(err)
		}
		if old != nil && m.chance(0.3) {
			m.must(m.st.DeletePage(m.ctx, old.ID))
			return "delete page " + string(l) + "/" + slug, jarchy.PageChange(old, nil), false
		}
		p := &jarchy.Page{Lang: l, Slug: slug, Title: "Page " + slug, Body: "Text."}
		if old != nil {
			cp := *old
			p = &cp
			p.Body += " More."
		}
		m.must(m.st.SavePage(m.ctx, p))
		stored, err := m.st.PageBySlug(m.ctx, l, slug)
		m.must(err)
		return "page " + string(l) + "/" + slug, jarchy.PageChange(old, stored), false
	}
}

// compare fetches every URL through the cache and fresh, and fails at
// the first difference. It returns the hits among the cacheable answers.
func (m *model) compare(after string, allHits bool) (hits, cacheable int) {
	m.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for _, u := range m.urls {
		want := m.fresh.get(u)
		got := m.cached.get(u)
		for got.status != want.status || got.location != want.location || got.ctype != want.ctype || got.body != want.body {
			if !m.eventual || time.Now().After(deadline) {
				m.t.Fatalf("after %s:\n%s through the cache (X-Cache %s) differs from a fresh render:\n%s", after, u, got.xcache, diffAnswers(got, want))
			}
			time.Sleep(10 * time.Millisecond) // the change is on its way from the other handle
			want, got = m.fresh.get(u), m.cached.get(u)
		}
		if got.status != 200 && got.status != 301 && got.status != 404 {
			continue // not stored
		}
		cacheable++
		if got.xcache == "hit" {
			hits++
		} else if allHits && !m.eventual { // a late change of an earlier write may still drop pages
			m.t.Errorf("after %s: %s was dropped (X-Cache %q)", after, u, got.xcache)
		}
	}
	return hits, cacheable
}

type modelAnswer struct {
	status                  int
	location, ctype, xcache string
	body                    string
}

type modelClient struct {
	t   *testing.T
	url string
	hc  *http.Client
}

func newModelClient(t *testing.T, url string) *modelClient {
	hc := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	t.Cleanup(hc.CloseIdleConnections)
	return &modelClient{t: t, url: url, hc: hc}
}

func (c *modelClient) get(path string) modelAnswer {
	c.t.Helper()
	res, err := c.hc.Get(c.url + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	// The comment form's timestamp is the page's render time by design
	// (its minimum time to submit), not content: a cached page keeps the
	// one it was rendered with.
	body := formTimestampRe.ReplaceAllString(string(b), `name="t" value=""`)
	return modelAnswer{status: res.StatusCode, location: res.Header.Get("Location"), ctype: res.Header.Get("Content-Type"),
		xcache: res.Header.Get("X-Cache"), body: body}
}

var formTimestampRe = regexp.MustCompile(`name="t" value="[0-9]+\.[A-Za-z0-9_-]+"`)

// diffAnswers shows the first difference of two answers.
func diffAnswers(got, want modelAnswer) string {
	if got.status != want.status || got.location != want.location || got.ctype != want.ctype {
		return fmt.Sprintf("cached %d %q %q, fresh %d %q %q", got.status, got.location, got.ctype, want.status, want.location, want.ctype)
	}
	g, w := strings.Split(got.body, "\n"), strings.Split(want.body, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			j := 0
			for j < len(gl) && j < len(wl) && gl[j] == wl[j] {
				j++
			}
			from := max(0, j-80)
			gl, wl = strings.ToValidUTF8(gl[from:], ""), strings.ToValidUTF8(wl[from:], "")
			return fmt.Sprintf("line %d, byte %d:\ncached: …%s\n fresh: …%s", i+1, j, clip(gl, 240), clip(wl, 240))
		}
	}
	return "bodies differ"
}

func clip(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}
