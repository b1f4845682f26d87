// Package storetest is the contract test suite that every jarchy.Store
// implementation must pass. A store package runs it from its own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) jarchy.Store {
//			db := openTemp(t)
//			db.Now = now
//			return db
//		})
//		t.Run("Shared", func(t *testing.T) { storetest.RunShared(t, openTwoOnOneDB) })
//	}
//
// The suite has one file and one entry point per interface of the root
// package, each runnable alone: RunArticles (articles.go, and workflow.go
// for versions and scheduled publication), RunTaxonomy,
// RunPages, RunSettings, RunSearch, RunChanges, RunRevisions, RunUsers
// (users and sessions), RunCorrections, RunBreaking, RunAudit, RunAdmin
// (deleting sections, pages by ID, the Telegram channel), RunComments, and
// RunShared (shared.go) for two stores on one
// database. Run runs them all as subtests named Articles, Taxonomy, Pages,
// Settings, Search, Changes, Revisions, Users and Comments, so that
// go test -run 'TestContract/Articles' runs one. Every subtest runs in
// parallel on a fresh, empty store; the opener must register its own
// cleanup (t.Cleanup) to close the store.
//
// Contract details that the interfaces leave open, fixed here so both stores
// behave alike:
//   - Times are kept in UTC with microsecond precision: SaveArticle truncates
//     PublishedAt to the microsecond and converts it to UTC, and a stored
//     article reads back equal to what SaveArticle left in a.
//   - Tags and authors given with ID 0 are found by slug; an empty slug is
//     Slugify(jarchy.DefaultLang, name). A name that transliterates to
//     nothing ("!!!", "—") gets jarchy.FallbackSlug: "tag-" or "author-"
//     and 8 hex digits of the SHA-256 of the lower-cased name; an article
//     title likewise gets "article-…". An empty name is EINVALID. A found
//     tag or author keeps its stored name (and bio). Duplicates in one
//     article's list are kept once. Tags and authors keep the given order.
//   - A section given with ID 0 is found by slug or created with the given
//     Names and Position. A section ID that does not exist is EINVALID.
//     Section slugs are lower-case [a-z0-9-] and not reserved (tag, author,
//     page, search, feed).
//   - Article slugs are unique per language; a taken slug gets "-2", "-3"…
//     A slug is taken when another article has it now or had it before (a
//     redirect), so that old links keep pointing at the same story. An
//     article that gets back one of its own old slugs takes it back. A
//     given Slug must already be a clean slug ([a-z0-9] words joined by
//     single hyphens, at most jarchy.MaxSlugLen bytes), else EINVALID.
//   - On update, an empty TranslationGroup keeps the stored one.
//   - Articles: Limit 0 means 20, more than 100 means 100; a negative Offset
//     or Limit, an unknown Lang or Status is EINVALID. Articles without a
//     publication time sort after all dated ones.
//   - Translations returns the group ordered by jarchy.Langs, then ID.
//   - ArticlesByID takes any number of ids (each store sends them in
//     chunks), repeated, zero or negative ones included: its map holds one
//     summary per id that names an article.
//   - Pages: slug derived from the title when empty; (lang, slug) unique:
//     a duplicate is ECONFLICT. Pages(lang) is ordered by slug; lang ""
//     lists every language.
//   - Settings: SiteName keys are site languages; Social keys are among
//     jarchy.SocialNetworks with http(s) URLs; empty values are dropped.
//     Settings never returns nil maps.
//   - A write that breaks a uniqueness rule (an external id that another
//     article has, a page slug taken in that language) is ECONFLICT; a
//     failed write of any kind changes nothing and notifies no one.
//   - Domain rules (validation, slugs) live in the root package; store
//     mechanics shared by both stores (preparing a save, filter defaults,
//     content hash) in internal/storeutil.
//   - The store's clock decides every "now": which articles are public
//     (listings, related articles, search), CreatedAt, UpdatedAt, and the
//     PublishedAt of a published article saved without one.
//   - Versions: a new article gets Version 1, every save (and the claim of
//     PublishDue) moves it on by one, every read returns it. An update, by
//     ID or by ExternalID, whose Version is not the stored one (0
//     included) is a jarchy.StaleVersion ECONFLICT and writes nothing; in
//     SaveArticles it fails the whole batch (workflow.go).
//   - A published article dated after the store's clock is saved as
//     scheduled; a scheduled one needs a publication time. PublishDue
//     publishes the scheduled articles due by the store's clock, each once
//     across stores on one database (shared.go), and writes nothing when
//     none is due.
//   - Revisions: every save that changes an article (SaveArticle,
//     SaveArticles, the claim of PublishDue) stores one revision, in its
//     transaction, with the article's new version, the store's clock and a
//     full snapshot; a save with the same content (the version still moves
//     on) or a failed save stores none; Revisions lists newest first
//     without bodies; revisions outlive their article (revisions.go).
//   - Users: email normalised to lower case and unique (jarchy.EmailTaken,
//     ECONFLICT, field email); Users is ordered by email. Sessions are
//     kept as jarchy.HashToken of their token; a session is found until
//     its ExpiresAt (exclusive) while its user is enabled; saving a
//     disabled user deletes its sessions. Account and session writes
//     (TouchSession included) have an empty Change: no subscriber, here or
//     on another store, hears of them, and Generation stays.
//   - Comments (comments.go): the email is kept only as jarchy.CommentEmailHash
//     under the store's own secret; PostComment's status comes from
//     jarchy.InitialCommentStatus, its refusals are checked in the order of
//     storeutil.PrepareComment, a refused post writes nothing and leaves
//     c.ID 0; ModerateComments is all or none; only writes that make,
//     change or remove an approved comment publish a Change
//     (jarchy.CommentChange: the article's comments topic and the comment
//     feed, never the site); reports publish nothing.
//   - Setup links (setup.go): a token is valid until its expiry
//     (exclusive) while no enabled admin exists; redeeming creates an
//     enabled admin whatever role was asked and deletes every token; a
//     failed redemption writes nothing and keeps the token.
//   - Corrections (corrections.go) are the article's whole list, kept by
//     every save; a zero At is stamped with the store's clock; they are
//     content (UpdatedAt follows) and in every revision's snapshot.
//   - Breaking news (breaking.go): SetBreaking needs a public article;
//     BreakingNews reads by the store's clock; a flag's writes, its end
//     (ExpireBreaking) and the writes of an article breaking at the time
//     touch TopicSite; saves never set BreakingUntil.
//   - The audit log (audit.go) is written by the store in the transaction
//     of each publication, schedule, unpublication, deletion, restore,
//     correction, breaking flag and user change, with jarchy.ActorFrom of
//     the write's context; failed writes leave none.
//   - DeleteSection refuses a section holding articles of any status
//     (jarchy.SectionNotEmpty, ECONFLICT, N the count) and changes nothing.
//   - Subscribe: fn runs once per committed write of this store that
//     touched something public, synchronously, with the write's Change: the
//     domain's ArticleChange of the stored row before and after (merged
//     over a batch, with the SectionChange, TagChange or AuthorChange of
//     each relation the save created), PageChange, SettingsChange,
//     SectionChange, AuthorChange (plus TopicSearch when the name changed:
//     bylines are indexed); each Reindex transaction touches TopicSearch and
//     the articles whose body it renders again. Never for a write whose
//     Change is empty (a draft save) or that failed. A second store on the
//     database gets the same Change once it learns of the write, or All when
//     it cannot tell what it missed. fn must not write to the store.
package storetest

import (
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// Opener returns a fresh, empty store whose clock is now, and arranges for
// it to be closed.
type Opener func(t *testing.T, now func() time.Time) jarchy.Store

// SharedOpener returns two stores opened separately on the same fresh,
// empty database (as two processes would), and arranges for both to be closed.
type SharedOpener func(t *testing.T) (a, b jarchy.Store)

// Run runs the whole contract suite, one subtest per concept.
func Run(t *testing.T, open Opener) {
	t.Run("Articles", func(t *testing.T) { RunArticles(t, open) })
	t.Run("Taxonomy", func(t *testing.T) { RunTaxonomy(t, open) })
	t.Run("Pages", func(t *testing.T) { RunPages(t, open) })
	t.Run("Settings", func(t *testing.T) { RunSettings(t, open) })
	t.Run("Search", func(t *testing.T) { RunSearch(t, open) })
	t.Run("Changes", func(t *testing.T) { RunChanges(t, open) })
	t.Run("Revisions", func(t *testing.T) { RunRevisions(t, open) })
	t.Run("Users", func(t *testing.T) { RunUsers(t, open) })
	t.Run("Media", func(t *testing.T) { RunMedia(t, open) })
	t.Run("Corrections", func(t *testing.T) { RunCorrections(t, open) })
	t.Run("Breaking", func(t *testing.T) { RunBreaking(t, open) })
	t.Run("Audit", func(t *testing.T) { RunAudit(t, open) })
	t.Run("Admin", func(t *testing.T) { RunAdmin(t, open) })
	t.Run("Comments", func(t *testing.T) { RunComments(t, open) })
}

// test is one contract subtest. It gets a fresh store and the clock the
// store was opened with, which follows the real time until the test sets it.
type test struct {
	name string
	fn   func(t *testing.T, s jarchy.Store, c *clock)
}

// store adapts a test that needs no clock.
func store(fn func(t *testing.T, s jarchy.Store)) func(t *testing.T, s jarchy.Store, c *clock) {
	return func(t *testing.T, s jarchy.Store, _ *clock) { fn(t, s) }
}

// run runs tests as parallel subtests, each on a fresh store.
func run(t *testing.T, open Opener, tests []test) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &clock{}
			tt.fn(t, open(t, c.now), c)
		})
	}
}
