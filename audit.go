package jarchy

import (
	"context"
	"fmt"
	"time"
)

// Audit actions: what the audit log records. The prefix before the dot
// is the kind of the target (AuditEntry.Kind).
const (
	AuditPublish   = "article.publish"   // made public (also by the scheduler)
	AuditSchedule  = "article.schedule"  // approved for a later time
	AuditUnpublish = "article.unpublish" // taken off the site, or a schedule withdrawn
	AuditDelete    = "article.delete"
	AuditRestore   = "article.restore"  // a revision restored (Detail: "revision N")
	AuditCorrect   = "article.correct"  // a correction added (Detail: its text)
	AuditBreaking  = "article.breaking" // flagged breaking (Detail: until, RFC 3339) or unflagged ("")
	AuditUserAdd   = "user.add"         // Detail: the role
	AuditUserRole  = "user.role"        // Detail: "old → new"
	AuditUserEdit  = "user.edit"        // email, name or language changed
	AuditDisable   = "user.disable"
	AuditEnable    = "user.enable"
	AuditPassword  = "user.password"
)

// AuditActions lists every action, for the log's filter.
var AuditActions = []string{AuditPublish, AuditSchedule, AuditUnpublish, AuditDelete, AuditRestore, AuditCorrect,
	AuditBreaking, AuditUserAdd, AuditUserRole, AuditUserEdit, AuditDisable, AuditEnable, AuditPassword}

// Actor is who makes a write: a newsroom user (UserID and Name), or a
// system actor (UserID 0 and a Name such as "cli", "scheduler", "import").
// It rides on the write's context (WithActor); the stores write the audit
// log from it inside the write's transaction, so no caller can forget it.
type Actor struct {
	UserID int64
	Name   string
}

// ActorSystem is the actor of a write whose context names none.
const ActorSystem = "system"

type actorKey struct{}

// WithActor returns ctx carrying the actor of the writes made under it.
// The revisions those writes make take its UserID as their author when
// the context carries no RevisionInfo author.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries: the one WithActor set, else
// the author of its RevisionInfo, else ActorSystem.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		if a.UserID == 0 && a.Name == "" {
			a.Name = ActorSystem
		}
		return a
	}
	if info, ok := ctx.Value(revisionInfoKey{}).(RevisionInfo); ok && info.AuthorID != 0 {
		return Actor{UserID: info.AuthorID}
	}
	return Actor{Name: ActorSystem}
}

// AuditEntry is one line of the audit log: who (the actor) did what
// (Action) to which target (an article or a user, by ID, with its title or
// email at the time), when (the store's clock).
type AuditEntry struct {
	ID        int64
	At        time.Time
	ActorID   int64  // 0 for a system actor
	ActorName string // the actor's name as the write's context gave it
	Action    string // one of AuditActions
	TargetID  int64
	Target    string // the article's title or the user's email
	Detail    string
}

// Kind is the kind of target: "article" or "user".
func (e AuditEntry) Kind() string {
	for i := range len(e.Action) {
		if e.Action[i] == '.' {
			return e.Action[:i]
		}
	}
	return e.Action
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Kind     string // "article" or "user"
	ActorID  int64
	TargetID int64 // with Kind
	Limit    int   // default 50, at most 200
	Offset   int
}

// Check validates f and applies the limit default.
func (f *AuditFilter) Check() error {
	switch f.Kind {
	case "", "article", "user":
	default:
		return Invalid("kind", "err.filter", "unknown audit kind %q", f.Kind)
	}
	if f.Limit < 0 || f.Offset < 0 {
		return Invalid("limit", "err.limit", "negative limit or offset")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	return nil
}

// AuditList is one page of the audit log, newest first, and the number of
// entries the filter matches.
type AuditList struct {
	Entries []AuditEntry
	Total   int
}

// AuditStore reads the audit log. There is no way to write it from
// outside: the stores append entries inside the transactions of the
// writes they record (publication, unpublication, deletion, restore,
// correction and breaking flag of articles; every change of a user), with
// the actor of the write's context (ActorFrom). Entries are never changed
// or deleted, and publish nothing (no Change).
type AuditStore interface {
	// AuditLog returns the entries f selects, newest first (by ID).
	AuditLog(ctx context.Context, f AuditFilter) (AuditList, error)
}

// ArticleAudit returns the audit entries of an article write, from the
// stored row before it (old; nil: created) and after it (new; nil:
// deleted), without ID, time and actor (the store sets them).
func ArticleAudit(old, new *Article) []AuditEntry {
	var out []AuditEntry
	add := func(a *Article, action, detail string) {
		out = append(out, AuditEntry{Action: action, TargetID: a.ID, Target: a.Title, Detail: detail})
	}
	if new == nil {
		if old != nil {
			add(old, AuditDelete, "")
		}
		return out
	}
	var was Status
	if old != nil {
		was = old.Status
	}
	if new.RestoredFrom != 0 {
		add(new, AuditRestore, fmt.Sprintf("revision %d", new.RestoredFrom))
	}
	switch {
	case new.Status == was:
	case new.Status == StatusPublished:
		add(new, AuditPublish, "")
	case new.Status == StatusScheduled:
		add(new, AuditSchedule, new.PublishedAt.UTC().Format(time.RFC3339))
	case was == StatusPublished || was == StatusScheduled:
		add(new, AuditUnpublish, string(new.Status))
	}
	oldN := 0
	if old != nil {
		oldN = len(old.Corrections)
	}
	for _, c := range new.Corrections[min(oldN, len(new.Corrections)):] {
		add(new, AuditCorrect, c.Text)
	}
	return out
}

// UserAudit returns the audit entries of a user write, from the stored
// row before it (nil: created) and after it.
func UserAudit(old, new *User) []AuditEntry {
	var out []AuditEntry
	add := func(action, detail string) {
		out = append(out, AuditEntry{Action: action, TargetID: new.ID, Target: new.Email, Detail: detail})
	}
	if old == nil {
		add(AuditUserAdd, string(new.Role))
		if new.Disabled {
			add(AuditDisable, "")
		}
		return out
	}
	if old.Role != new.Role {
		add(AuditUserRole, string(old.Role)+" → "+string(new.Role))
	}
	if old.Email != new.Email || old.Name != new.Name || old.Lang != new.Lang {
		add(AuditUserEdit, "")
	}
	if old.Disabled != new.Disabled {
		if new.Disabled {
			add(AuditDisable, "")
		} else {
			add(AuditEnable, "")
		}
	}
	if old.PasswordHash != new.PasswordHash {
		add(AuditPassword, "")
	}
	return out
}
