package jarchy

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Topic names one thing public pages are built from. A page declares the
// topics it read (the web layer sends them to the page cache in the
// Surrogate-Key header), a committed write publishes the topics it touched
// (a Change), and the page cache drops exactly the pages whose topics the
// change names. A topic is a short ASCII string without spaces.
type Topic string

// Topics without an argument.
const (
	// TopicSite is what every page shows: the settings (site names,
	// social links), the menu (the sections with their names, slugs and
	// order) and the list of static pages.
	TopicSite Topic = "site"
	// TopicSearch is search results, on the search page and in the API:
	// every change of a public article touches it.
	TopicSearch Topic = "search"
	// TopicTags and TopicAuthors are which tags and authors exist: the
	// page of a tag or author slug that answered "not found".
	TopicTags    Topic = "tags"
	TopicAuthors Topic = "authors"
)

// ArticleTopic is article id as pages show it: its own page, a card in
// a listing, a feed item, a related link, a translation link, a sitemap
// URL, an API object.
func ArticleTopic(id int64) Topic { return Topic("a/" + strconv.FormatInt(id, 10)) }

// GroupTopic is the membership of a translation group: the language
// switcher and hreflang alternates of its articles.
func GroupTopic(group string) Topic { return Topic("g/" + escapeTopic(group)) }

// LangListTopic is the membership and order of every listing in lang:
// the home page, the language's feeds, its sitemaps, the news sitemap.
func LangListTopic(lang Lang) Topic { return Topic("l/lang/" + escapeTopic(string(lang))) }

// SlugTopic is the "not found" of article URLs with slug in lang: a
// public article that comes to hold the slug touches it.
func SlugTopic(lang Lang, slug string) Topic {
	return Topic("s/" + escapeTopic(string(lang)) + "/" + escapeTopic(slug))
}

// SectionListTopic, TagListTopic and AuthorListTopic are the membership
// and order of the listings of one section, tag or author (their pages,
// feeds, home blocks, related articles).
func SectionListTopic(id int64) Topic { return Topic("l/section/" + strconv.FormatInt(id, 10)) }
func TagListTopic(id int64) Topic     { return Topic("l/tag/" + strconv.FormatInt(id, 10)) }
func AuthorListTopic(id int64) Topic  { return Topic("l/author/" + strconv.FormatInt(id, 10)) }

// TagTopic and AuthorTopic are one tag's or author's own fields (name,
// slug, bio) wherever they are shown.
func TagTopic(id int64) Topic    { return Topic("tag/" + strconv.FormatInt(id, 10)) }
func AuthorTopic(id int64) Topic { return Topic("author/" + strconv.FormatInt(id, 10)) }

// PageTopic is the static page slug in lang, or its absence.
func PageTopic(lang Lang, slug string) Topic {
	return Topic("p/" + escapeTopic(string(lang)) + "/" + escapeTopic(slug))
}

// MediaTopic is one photo of the library (its texts, sizes and
// variants) wherever a page shows it.
func MediaTopic(key string) Topic { return Topic("m/" + escapeTopic(key)) }

// MediaChange is the change of a write to the photo key: the pages that
// show it.
func MediaChange(key string) Change { return changeOf(MediaTopic(key)) }

// escapeTopic percent-encodes every byte of s but ASCII letters, digits
// and "-._~", so a stored string (a translation group, a page slug) can
// never split a topic or make two topics equal.
func escapeTopic(s string) string {
	const hex = "0123456789ABCDEF"
	plain := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !plain(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; plain(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

// Change is what one committed write touched: its Topics, or All when
// everything must be taken as changed (a read error on the change feed,
// a subscriber that fell behind). The zero Change touches nothing
// public: a draft autosave, a session, a comment awaiting moderation.
type Change struct {
	All    bool
	Topics []Topic // sorted, without duplicates; nil when All
}

// changeOf returns the change of ts, sorted and without duplicates.
func changeOf(ts ...Topic) Change {
	if len(ts) == 0 {
		return Change{}
	}
	ts = slices.Clone(ts)
	slices.Sort(ts)
	return Change{Topics: slices.Compact(ts)}
}

// Empty reports whether c touches nothing.
func (c Change) Empty() bool { return !c.All && len(c.Topics) == 0 }

// Touches reports whether c touches topic t (All touches every topic).
func (c Change) Touches(t Topic) bool {
	if c.All {
		return true
	}
	_, ok := slices.BinarySearch(c.Topics, t)
	return ok
}

// Merge returns the change that touches what c and o touch: a write
// that creates a section or a tag on the way publishes both.
func (c Change) Merge(o Change) Change {
	if c.All || o.All {
		return Change{All: true}
	}
	return changeOf(append(slices.Clone(c.Topics), o.Topics...)...)
}

// Strings returns the topics as strings (for the page cache).
func (c Change) Strings() []string {
	out := make([]string, len(c.Topics))
	for i, t := range c.Topics {
		out[i] = string(t)
	}
	return out
}

// String is the text form of c, for a change table or a NOTIFY payload:
// "*" for All, else the topics separated by spaces ("" for none).
// ParseChange reads it back.
func (c Change) String() string {
	if c.All {
		return "*"
	}
	return strings.Join(c.Strings(), " ")
}

// ParseChange reads the text form of a change (Change.String).
func ParseChange(s string) Change {
	if s == "*" {
		return Change{All: true}
	}
	var ts []Topic
	for _, f := range strings.Fields(s) {
		ts = append(ts, Topic(f))
	}
	return changeOf(ts...)
}

// ArticleChange is the change of one article write, computed from the
// stored row before the write (old; nil when the write created it) and
// after it (new; nil when the write deleted it), with their tags and
// authors, at time now. Both stores call it inside the write's
// transaction. A write that creates a section, tag or author on the way
// merges SectionChange, TagChange or AuthorChange of the new row.
//
//   - Neither side public at now: nothing public changed (empty change).
//   - Otherwise the article itself, the translation groups of both sides
//     and the search results; when the write can move the article in or
//     out of a listing or within it (public or not, language, section,
//     tags, authors, publication time, deletion), the listings of each
//     public side; when the public comes to see the article at a
//     language and slug, that slug (its URL could answer "not found");
//     and when either side is breaking news at now (IsBreaking), the site
//     (its banner is on every page).
func ArticleChange(old, new *Article, now time.Time) Change {
	oldPub := old != nil && old.IsPublic(now)
	newPub := new != nil && new.IsPublic(now)
	if !oldPub && !newPub {
		return Change{}
	}
	var ts []Topic
	for _, a := range []*Article{old, new} {
		if a != nil {
			ts = append(ts, ArticleTopic(a.ID))
			if a.TranslationGroup != "" {
				ts = append(ts, GroupTopic(a.TranslationGroup))
			}
		}
	}
	ts = append(ts, TopicSearch)
	if oldPub != newPub || !sameListings(old, new) {
		if oldPub {
			ts = append(ts, listTopics(old)...)
		}
		if newPub {
			ts = append(ts, listTopics(new)...)
		}
	}
	if newPub && (!oldPub || old.Lang != new.Lang || old.Slug != new.Slug) {
		ts = append(ts, SlugTopic(new.Lang, new.Slug))
	}
	// A breaking article is in the banner of every page.
	if old != nil && old.IsBreaking(now) || new != nil && new.IsBreaking(now) {
		ts = append(ts, TopicSite)
	}
	return changeOf(ts...)
}

// sameListings reports whether two rows of one article sit in the same
// listings at the same place.
func sameListings(a, b *Article) bool {
	if a == nil || b == nil {
		return false
	}
	return a.Lang == b.Lang && a.Section.ID == b.Section.ID && a.PublishedAt.Equal(b.PublishedAt) &&
		sameIDs(tagIDs(a.Tags), tagIDs(b.Tags)) && sameIDs(authorIDs(a.Authors), authorIDs(b.Authors))
}

// listTopics are the listings a public article appears in.
func listTopics(a *Article) []Topic {
	ts := []Topic{LangListTopic(a.Lang)}
	if a.Section.ID != 0 {
		ts = append(ts, SectionListTopic(a.Section.ID))
	}
	for _, t := range a.Tags {
		ts = append(ts, TagListTopic(t.ID))
	}
	for _, au := range a.Authors {
		ts = append(ts, AuthorListTopic(au.ID))
	}
	return ts
}

func tagIDs(ts []Tag) []int64 {
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}

func authorIDs(as []Author) []int64 {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

// sameIDs compares two ID lists as sets.
func sameIDs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// SettingsChange is the change of a settings write.
func SettingsChange() Change { return changeOf(TopicSite) }

// SectionChange is the change of a section write (the menu), also of
// an article write that creates its section.
func SectionChange() Change { return changeOf(TopicSite) }

// PageChange is the change of a static page write (nil old: created;
// nil new: deleted): the menu lists the pages, and each side's slug.
func PageChange(old, new *Page) Change {
	ts := []Topic{TopicSite}
	for _, p := range []*Page{old, new} {
		if p != nil {
			ts = append(ts, PageTopic(p.Lang, p.Slug))
		}
	}
	return changeOf(ts...)
}

// TagChange is the change of a tag write (nil old: created, also by an
// article write that names a new tag).
func TagChange(old, new *Tag) Change {
	var ts []Topic
	if old == nil {
		ts = append(ts, TopicTags)
	}
	for _, t := range []*Tag{old, new} {
		if t != nil {
			ts = append(ts, TagTopic(t.ID))
		}
	}
	return changeOf(ts...)
}

// AuthorChange is the change of an author write (nil old: created, also
// by an article write that names a new author).
func AuthorChange(old, new *Author) Change {
	var ts []Topic
	if old == nil {
		ts = append(ts, TopicAuthors)
	}
	for _, a := range []*Author{old, new} {
		if a != nil {
			ts = append(ts, AuthorTopic(a.ID))
		}
	}
	return changeOf(ts...)
}
