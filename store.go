package jarchy

import "context"

// Store is the whole persistence service, one interface per concept
// embedded: what a database package (sqlite/, postgres/) implements, and
// what cmd/ opens and wires. Every other package takes the narrowest of
// the interfaces it needs. storetest holds the contract both stores pass.
//
// Every write runs in one transaction that also computes its Change (the
// topics it touched, with the domain's functions: ArticleChange and its
// siblings), bumps the content generation, and is durable once it returns
// nil; then ChangeFeed subscribers receive the Change. Each store has its own clock (default
// time.Now) for every "now" it needs: publication checks, timestamps.
type Store interface {
	ArticleStore
	TaxonomyStore
	PageStore
	SettingsStore
	SearchStore
	RevisionStore
	BreakingStore
	AuditStore
	UserStore
	MediaStore
	SessionStore
	CommentStore
	SetupStore
	ChangeFeed
	Close() error
}

// ChangeFeed tells caches what committed writes changed.
type ChangeFeed interface {
	// Generation is a counter that every committed write of content
	// (articles, taxonomy, pages, settings, comments) increases, also one
	// that changed nothing public, such as a draft save. Writes of data no
	// page shows (accounts, sessions, setup links) leave it alone. It is
	// shared by every process using the same database.
	Generation(ctx context.Context) (int64, error)
	// Subscribe registers fn to receive the Change of every committed write
	// that touched something public (a write whose Change is empty, such as
	// a draft autosave, calls no one): synchronously after commit, before
	// the write returns, for writes through this store; for writes by other
	// processes sharing the database, as soon as the store learns of them
	// (several may arrive merged into one Change). When the store cannot
	// tell what it missed (it fell behind the change log, could not read it,
	// or lost its connection to the change feed) it delivers All.
	//
	// A cache applies a Change by dropping every entry built from one of
	// its Topics (and every entry that did not say what it was built from),
	// or everything for All. Each Change goes to the subscribers in the
	// order they subscribed; Changes of different writes may be delivered
	// concurrently (from writers' goroutines and the feed's). fn must not
	// write to the store. Subscribe returns the function that removes the
	// subscription.
	Subscribe(fn func(Change)) (unsubscribe func())
}
