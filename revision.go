package jarchy

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Revision is one saved state of an article: a full snapshot of the
// article as a save left it, metadata included (section, tags, authors,
// cover, status, publication time, language, translation group). Stores
// write one in the transaction of every save that changed the article
// (SaveArticle, SaveArticles, the claim of PublishDue); a save that
// changes nothing (the same content hash) adds none. An article saved
// before revisions existed gets its stored state as a first revision
// (dated at its last save, no author) when it is next saved. Revisions are never
// changed or deleted, also when their article is deleted: a history that
// never loses a word. They publish nothing: the save's own Change covers it.
type Revision struct {
	ID        int64
	ArticleID int64
	// Version is the article's Version after the save this snapshots.
	Version int64
	// Article is the snapshot. It has no BodyHTML, Translations,
	// CreatedAt or UpdatedAt (the revision's CreatedAt is the save's
	// time). In the list of RevisionStore.Revisions its Body is empty.
	Article   Article
	AuthorID  int64  // who saved it, 0 when unknown (an import, the scheduler)
	Note      string // why, e.g. the text of a correction
	CreatedAt time.Time
}

// RevisionStore reads the history of articles.
type RevisionStore interface {
	// Revisions returns the revisions of an article, newest first, with
	// snapshots without Body; an article without revisions (or unknown)
	// has none (no error).
	Revisions(ctx context.Context, articleID int64) ([]Revision, error)
	// Revision returns one revision with its whole snapshot, or ENOTFOUND.
	Revision(ctx context.Context, id int64) (*Revision, error)
}

// RevisionInfo is what a writer tells about a save beyond the article:
// who saved and why. It rides on the context of the save
// (WithRevisionInfo), so every save path records it without new arguments.
type RevisionInfo struct {
	AuthorID int64
	Note     string
}

type revisionInfoKey struct{}

// WithRevisionInfo returns ctx carrying info for the revisions that saves
// under it write.
func WithRevisionInfo(ctx context.Context, info RevisionInfo) context.Context {
	return context.WithValue(ctx, revisionInfoKey{}, info)
}

// RevisionInfoFrom returns the RevisionInfo ctx carries, or the zero one;
// without an author, the user of the context's Actor (WithActor) is it.
func RevisionInfoFrom(ctx context.Context) RevisionInfo {
	info, _ := ctx.Value(revisionInfoKey{}).(RevisionInfo)
	if info.AuthorID == 0 {
		if a, ok := ctx.Value(actorKey{}).(Actor); ok {
			info.AuthorID = a.UserID
		}
	}
	return info
}

// snapshot is the stored form of a revision's article: one JSON document
// with stable names, so that a field added later needs no migration (old
// documents read it as zero).
type snapshot struct {
	ExternalID       string       `json:"external_id,omitempty"`
	Lang             Lang         `json:"lang"`
	TranslationGroup string       `json:"translation_group"`
	Title            string       `json:"title"`
	SEOTitle         string       `json:"seo_title,omitempty"`
	SEODescription   string       `json:"seo_description,omitempty"`
	Slug             string       `json:"slug"`
	Lead             string       `json:"lead"`
	Body             string       `json:"body"`
	Section          Section      `json:"section"`
	Tags             []Tag        `json:"tags"`
	Authors          []Author     `json:"authors"`
	Cover            *Media       `json:"cover,omitempty"`
	Status           Status       `json:"status"`
	PublishedAt      time.Time    `json:"published_at,omitzero"`
	Corrections      []Correction `json:"corrections,omitempty"`
}

// EncodeSnapshot returns the stored form of a revision's snapshot of a.
func EncodeSnapshot(a *Article) ([]byte, error) {
	b, err := json.Marshal(snapshot{
		ExternalID: a.ExternalID, Lang: a.Lang, TranslationGroup: a.TranslationGroup,
		Title: a.Title, SEOTitle: a.SEOTitle, SEODescription: a.SEODescription, Slug: a.Slug, Lead: a.Lead, Body: a.Body,
		Section: a.Section, Tags: a.Tags, Authors: a.Authors, Cover: a.Cover,
		Status: a.Status, PublishedAt: a.PublishedAt, Corrections: a.Corrections,
	})
	if err != nil {
		return nil, fmt.Errorf("encode snapshot of article %d: %w", a.ID, err)
	}
	return b, nil
}

// DecodeSnapshot reads what EncodeSnapshot wrote into an Article (without
// ID or Version: the Revision holds them).
func DecodeSnapshot(b []byte) (Article, error) {
	var s snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return Article{}, fmt.Errorf("decode revision snapshot: %w", err)
	}
	if s.Cover != nil && s.Cover.Key == "" {
		// Snapshots from before the media library named the cover's
		// key "Path".
		var old struct {
			Cover struct{ Path string } `json:"cover"`
		}
		if err := json.Unmarshal(b, &old); err == nil {
			s.Cover.Key = old.Cover.Path
		}
	}
	return Article{
		ExternalID: s.ExternalID, Lang: s.Lang, TranslationGroup: s.TranslationGroup,
		Title: s.Title, SEOTitle: s.SEOTitle, SEODescription: s.SEODescription, Slug: s.Slug, Lead: s.Lead, Body: s.Body,
		Section: s.Section, Tags: s.Tags, Authors: s.Authors, Cover: s.Cover,
		Status: s.Status, PublishedAt: s.PublishedAt.UTC(), Corrections: utcCorrections(s.Corrections),
	}, nil
}

// RestoreRevision returns the article to save to restore revision id: its
// snapshot with the article's ID and baseVersion, the version the restore
// is based on (the article's current version, so that a save in between is
// a StaleVersion conflict). Saving it writes a new revision: a restore
// never rewrites history. The section, tags and authors keep their IDs, so
// the restored article links the same entries (under their current names).
// The caller still checks the workflow (CheckTransition) for the restored
// status before it saves. The restored article keeps the corrections it
// has now (Article.KeepCorrections): restoring a text does not take back
// a published correction.
func RestoreRevision(ctx context.Context, s RevisionStore, id, baseVersion int64) (*Article, error) {
	r, err := s.Revision(ctx, id)
	if err != nil {
		return nil, err
	}
	a := r.Article
	a.ID, a.Version, a.RestoredFrom = r.ArticleID, baseVersion, r.ID
	return &a, nil
}

func utcCorrections(cs []Correction) []Correction {
	for i := range cs {
		cs[i].At = cs[i].At.UTC()
	}
	return cs
}
