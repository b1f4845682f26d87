package storeutil

import (
	"crypto/rand"
	"encoding/json"
	"time"

	"github.com/jarchy/jarchy"
)

// CommentLookups are the reads a store makes, inside its write
// transaction, to accept a new comment (PrepareComment).
type CommentLookups struct {
	// Article returns whether the article exists and is public at now,
	// its publication time and its own comment mode.
	Article func(id int64) (public bool, published time.Time, mode jarchy.CommentMode, err error)
	// Parent returns the article and status of comment id (found false
	// when there is none).
	Parent func(id int64) (articleID int64, status jarchy.CommentStatus, found bool, err error)
	// Duplicate reports whether a non-deleted comment of the article has
	// the text hash.
	Duplicate func(articleID int64, textHash string) (bool, error)
	// Approved reports whether an approved comment has the email hash.
	Approved func(emailHash string) (bool, error)
}

// PrepareComment runs the checks of CommentStore.PostComment on a
// normalised, validated comment, in this order: the article is public
// (ENOTFOUND), takes comments (CommentsClosed), the reader is not banned
// (CommentBanned), the parent is an approved comment of the article, the
// text is new there (CommentDuplicate). It sets EmailHash (clearing
// Email), Status and CreatedAt, and returns the text hash to store.
func PrepareComment(c *jarchy.Comment, s jarchy.CommentSettings, secret []byte, bans []*jarchy.CommentBan, now time.Time, l CommentLookups) (textHash string, err error) {
	public, published, mode, err := l.Article(c.ArticleID)
	if err != nil {
		return "", err
	}
	if !public {
		return "", &jarchy.Error{Code: jarchy.ENOTFOUND, Field: "article", MessageKey: "err.not_found", Message: "no public article with this id"}
	}
	effective := jarchy.EffectiveCommentMode(s, mode, published, now)
	if effective == jarchy.CommentModeClosed {
		return "", jarchy.CommentsClosed()
	}
	if c.Email != "" {
		c.EmailHash = jarchy.CommentEmailHash(secret, c.Email)
		c.Email = ""
	}
	for _, b := range bans {
		if b.Matches(c.EmailHash, c.IP) {
			return "", jarchy.CommentBanned()
		}
	}
	if c.ParentID != 0 {
		art, st, found, err := l.Parent(c.ParentID)
		if err != nil {
			return "", err
		}
		if !found || art != c.ArticleID || st != jarchy.CommentApproved {
			return "", jarchy.Invalid("parent", "err.comment_parent", "comment %d is not a published comment of this article", c.ParentID)
		}
	}
	textHash = jarchy.CommentTextHash(c.Text)
	dup, err := l.Duplicate(c.ArticleID, textHash)
	if err != nil {
		return "", err
	}
	if dup {
		return "", jarchy.CommentDuplicate()
	}
	newcomer := true
	if c.EmailHash != "" {
		known, err := l.Approved(c.EmailHash)
		if err != nil {
			return "", err
		}
		newcomer = !known
	}
	c.Status, err = jarchy.InitialCommentStatus(s, effective, newcomer, c.Text)
	if err != nil {
		return "", err
	}
	c.CreatedAt = now
	c.Edited, c.EditedAt, c.Reports = false, time.Time{}, 0
	return textHash, nil
}

// CommentSettingsOf decodes stored settings JSON ("" for never saved).
func CommentSettingsOf(raw []byte) (jarchy.CommentSettings, error) {
	if len(raw) == 0 {
		return jarchy.DefaultCommentSettings(), nil
	}
	s := jarchy.DefaultCommentSettings()
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, err
	}
	return s.Normalize(), nil
}

// CommentPage checks a queue filter and returns its limit (default 50, at
// most 200) and offset.
func CommentPage(f jarchy.CommentFilter) (limit, offset int, err error) {
	if f.Status != "" && !f.Status.Valid() {
		return 0, 0, jarchy.Invalid("status", "err.comment_status", "unknown comment status %q", f.Status)
	}
	if f.Limit < 0 || f.Offset < 0 {
		return 0, 0, jarchy.Invalid("limit", "err.limit", "limit and offset must not be negative")
	}
	limit = f.Limit
	if limit == 0 {
		limit = 50
	}
	return min(limit, 200), f.Offset, nil
}

// EditedComment is old with a moderator's name and text, normalised and
// validated, marked as edited at now.
func EditedComment(old *jarchy.Comment, name, text string, now time.Time) (*jarchy.Comment, error) {
	nw := *old
	nw.Name, nw.Text, nw.Email = name, text, ""
	nw.Normalize()
	if err := nw.Validate(); err != nil {
		return nil, err
	}
	nw.Edited, nw.EditedAt = true, now
	return &nw, nil
}

// RandomBytes returns n bytes from crypto/rand.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}

// PrepareImportedComment checks and completes a comment for ImportComment
// before its write: normalised and valid, created now when it names no
// time, both times to the microsecond. It returns the edit time to store:
// zero for a comment not edited, the creation time for one edited at an
// unknown time.
func PrepareImportedComment(c *jarchy.Comment, now time.Time) (editedAt time.Time, err error) {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return time.Time{}, err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.CreatedAt, c.EditedAt = Micro(c.CreatedAt), Micro(c.EditedAt)
	if !c.Edited {
		return time.Time{}, nil
	}
	if c.EditedAt.IsZero() {
		return c.CreatedAt, nil
	}
	return c.EditedAt, nil
}

// ModerationPlan checks moving the comments ids to status to by role, on
// the comments as loaded (by id), in the order of ids as moving one after
// the other would: it returns the first id not loaded (missing), else the
// first refused move (err), else the ids whose status changes and the
// change that publishes it.
func ModerationPlan(role jarchy.Role, ids []int64, loaded map[int64]*jarchy.Comment, to jarchy.CommentStatus) (changed []int64, ch jarchy.Change, missing int64, err error) {
	seen := map[int64]bool{}
	for _, id := range ids {
		old := loaded[id]
		if old == nil {
			return nil, jarchy.Change{}, id, nil
		}
		if err := jarchy.CheckCommentTransition(role, old.Status, to); err != nil {
			return nil, jarchy.Change{}, 0, err
		}
		if old.Status == to || seen[id] {
			continue
		}
		seen[id] = true
		changed = append(changed, id)
		nw := *old
		nw.Status = to
		ch = ch.Merge(jarchy.CommentChange(old, &nw))
	}
	return changed, ch, 0, nil
}

// CommentsByID maps comments by their id.
func CommentsByID(list []*jarchy.Comment) map[int64]*jarchy.Comment {
	m := make(map[int64]*jarchy.Comment, len(list))
	for _, c := range list {
		m[c.ID] = c
	}
	return m
}
