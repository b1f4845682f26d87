package main

import (
	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/pagecache"
)

// applyChange applies what a committed write touched to the page cache:
// All drops every page, topics drop the pages built from them (their
// Surrogate-Key names one), an empty change drops nothing.
func applyChange(c *pagecache.Cache, ch jarchy.Change) {
	if ch.All {
		c.Invalidate()
		return
	}
	c.InvalidateTopics(ch.Strings()...)
}

// watchCache applies every change the store reports to the page cache,
// after the site's own subscribers (web.New subscribed first), and
// returns the function that stops it. The store reports only that
// something changed, so for now every report is a change of everything.
func watchCache(st jarchy.Store, c *pagecache.Cache) (stop func()) {
	return st.Subscribe(func() { applyChange(c, jarchy.Change{All: true}) })
}
