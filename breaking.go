package jarchy

import (
	"context"
	"time"
)

// MaxBreakingHours bounds how long an article can be flagged as breaking
// news at once.
const MaxBreakingHours = 72

// BreakingFor returns the time until which an article flagged at now for
// hours stays breaking news: 1 to MaxBreakingHours hours, else EINVALID.
func BreakingFor(now time.Time, hours int) (time.Time, error) {
	if hours < 1 || hours > MaxBreakingHours {
		return time.Time{}, Invalid("breaking_hours", "err.breaking_hours", "breaking news lasts 1 to %d hours, not %d", MaxBreakingHours, hours)
	}
	return now.Add(time.Duration(hours) * time.Hour), nil
}

// IsBreaking reports whether readers see a as breaking news at now: public
// and flagged until after now.
func (a *Article) IsBreaking(now time.Time) bool {
	return a.IsPublic(now) && a.BreakingUntil.After(now)
}

// BreakingStore keeps which articles are breaking news. Every public page
// shows a banner for them, so a flag is part of the site (TopicSite): its
// writes, and those of an article flagged at the time, touch TopicSite,
// and the flag's end is a write too (ExpireBreaking), which the scheduler
// makes when the time comes, so no cached page shows an expired banner.
type BreakingStore interface {
	// SetBreaking flags article id as breaking news until until (by the
	// store's clock); a zero until, or one not after now, ends the flag.
	// Flagging needs a public article (else EINVALID, err.breaking_public);
	// ENOTFOUND for an unknown id. It moves no version and writes no
	// revision; it is audited (article.breaking). Its Change is TopicSite
	// and the article.
	SetBreaking(ctx context.Context, id int64, until time.Time) error
	// BreakingNews returns the public articles flagged breaking at the
	// store's now, as summaries with BreakingUntil, the latest flagged
	// first (by BreakingUntil, then ID, descending).
	BreakingNews(ctx context.Context) ([]*Article, error)
	// ExpireBreaking ends the flags whose time has come by the store's
	// clock, in one write whose Change is TopicSite and their articles,
	// and returns how many it ended; none due writes nothing.
	ExpireBreaking(ctx context.Context) (int, error)
	// NextBreakingExpiry returns the earliest end of a flag still set,
	// or zero.
	NextBreakingExpiry(ctx context.Context) (time.Time, error)
}

// BreakingChange is the change of a breaking-news write on the articles
// with ids: the banner is on every page (TopicSite), and the articles.
func BreakingChange(ids ...int64) Change {
	ts := []Topic{TopicSite}
	for _, id := range ids {
		ts = append(ts, ArticleTopic(id))
	}
	return changeOf(ts...)
}

// BreakingAudit is the audit entry of SetBreaking on article id titled
// title: the end of the flag in UTC (RFC 3339), or "" when it ends.
func BreakingAudit(id int64, title string, until time.Time) AuditEntry {
	detail := ""
	if !until.IsZero() {
		detail = until.UTC().Format(time.RFC3339)
	}
	return AuditEntry{Action: AuditBreaking, TargetID: id, Target: title, Detail: detail}
}
