package jarchy

import "context"

// Store is the whole persistence service, one interface per concept
// embedded: what a database package (sqlite/, postgres/) implements, and
// what cmd/ opens and wires. Every other package takes the narrowest of
// the interfaces it needs. storetest holds the contract both stores pass.
//
// Every write runs in one transaction, bumps the content generation, and is
// durable once it returns nil. Each store has its own clock (default
// time.Now) for every "now" it needs: publication checks, timestamps.
type Store interface {
	ArticleStore
	TaxonomyStore
	PageStore
	SettingsStore
	SearchStore
	ChangeFeed
	Close() error
}

// ChangeFeed tells about committed writes, for caches.
type ChangeFeed interface {
	// Generation is a counter that every committed write increases. It is
	// shared by every process using the same database, so a cache can tell
	// that content changed elsewhere.
	Generation(ctx context.Context) (int64, error)
	// Subscribe registers fn to run after every committed write: at once
	// (before the write returns) for writes by this process, and shortly
	// after for writes by other processes sharing the database. Subscribers
	// run in the order they subscribed. It returns a function that removes
	// the subscription.
	Subscribe(fn func()) (unsubscribe func())
}
