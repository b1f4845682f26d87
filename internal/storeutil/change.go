package storeutil

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/jarchy/jarchy"
)

// Highest holds the highest section, tag and author IDs before a write.
// IDs only grow, so a relation of a saved article with an ID above them
// was created by the write.
type Highest struct{ Section, Tag, Author int64 }

// ArticleSaveChange is the change of an article save: jarchy.ArticleChange
// of the stored row before (old, nil for a new article) and after (a),
// merged with the change of each section, tag and author the save created
// on the way (an ID above high): a new section is in the menu, a new tag
// or author has a page where a "not found" was.
func ArticleSaveChange(old, a *jarchy.Article, high Highest, now time.Time) jarchy.Change {
	ch := jarchy.ArticleChange(old, a, now)
	if a.Section.ID > high.Section {
		ch = ch.Merge(jarchy.SectionChange())
	}
	for i := range a.Tags {
		if a.Tags[i].ID > high.Tag {
			ch = ch.Merge(jarchy.TagChange(nil, &a.Tags[i]))
		}
	}
	for i := range a.Authors {
		if a.Authors[i].ID > high.Author {
			ch = ch.Merge(jarchy.AuthorChange(nil, &a.Authors[i]))
		}
	}
	return ch
}

// SearchChange touches the search results only: a write that rewrites the
// search index and nothing readers see elsewhere.
var SearchChange = jarchy.Change{Topics: []jarchy.Topic{jarchy.TopicSearch}}

// AuthorSaveChange is the change of an author save (old nil: created): the
// author's pages and bylines, and the search results when the name, which
// the index holds for the author's articles, changed.
func AuthorSaveChange(old, a *jarchy.Author) jarchy.Change {
	ch := jarchy.AuthorChange(old, a)
	if old != nil && old.Name != a.Name {
		ch = ch.Merge(SearchChange)
	}
	return ch
}

// ChangeText is the text form of ch that travels to other processes
// (jarchy.Change.String), or "*" (everything) when it is longer than max
// bytes: a write that touched that much (a big import batch) may as well
// drop every cached page elsewhere.
func ChangeText(ch jarchy.Change, max int) string {
	s := ch.String()
	if len(s) > max {
		return jarchy.Change{All: true}.String()
	}
	return s
}

// NewOrigin returns a random name for one store handle, which it puts on
// the changes it sends to other processes, so that it can skip its own
// when they come back.
func NewOrigin() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// MergeChanges is the one Change that touches what chs touch (what Merge
// gives, with one sort instead of one per change: a batch of a thousand
// articles).
func MergeChanges(chs []jarchy.Change) jarchy.Change {
	var all []jarchy.Topic
	for _, c := range chs {
		if c.All {
			return jarchy.Change{All: true}
		}
		all = append(all, c.Topics...)
	}
	return jarchy.Change{}.Merge(jarchy.Change{Topics: all})
}

// PublishedChange is what publishing the scheduled articles arts (loaded
// with their new status) at now makes: the merged change (each article
// went from scheduled to published) and each article's new content hash,
// which covers the status, in arts' order.
func PublishedChange(arts []*jarchy.Article, now time.Time) (jarchy.Change, []string) {
	changes := make([]jarchy.Change, 0, len(arts))
	hashes := make([]string, 0, len(arts))
	for _, a := range arts {
		before := *a
		before.Status = jarchy.StatusScheduled
		changes = append(changes, jarchy.ArticleChange(&before, a, now))
		hashes = append(hashes, ContentHash(a))
	}
	return MergeChanges(changes), hashes
}
