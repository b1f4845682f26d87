package web

import (
	"context"
	"time"

	"github.com/jarchy/jarchy"
)

// scheduleRecheck is how often WatchSchedule reads the schedule again
// without a change notification: dating a story ahead touches nothing
// public yet, so its save notifies no one.
const scheduleRecheck = time.Second

// WatchSchedule calls fn each time a published article dated in the future
// becomes public. No store write happens at that moment, so a page cache
// that invalidates on writes must be told (wire fn to its Invalidate). It
// re-reads the schedule after every store change and every
// scheduleRecheck, and returns when ctx ends.
func (s *Server) WatchSchedule(ctx context.Context, fn func()) {
	changed := make(chan struct{}, 1)
	unsubscribe := s.store.Subscribe(func(jarchy.Change) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer unsubscribe()
	for {
		wait := scheduleRecheck
		next, err := s.nextPublication(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.log.Error("read the publication schedule", "err", err)
			wait = time.Minute
		case !next.IsZero():
			wait = min(wait, next.Sub(s.now()))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
		if err == nil && !next.IsZero() && !next.After(s.now()) {
			fn()
		}
	}
}

// nextPublication returns the earliest publication time after now of a
// published article, or zero when there is none.
func (s *Server) nextPublication(ctx context.Context) (time.Time, error) {
	f := jarchy.ArticleFilter{Status: jarchy.StatusPublished, Since: s.now().Add(time.Microsecond), Limit: 1, Summary: true}
	list, err := s.store.Articles(ctx, f)
	if err != nil || list.Total == 0 {
		return time.Time{}, err
	}
	if list.Total > 1 { // newest first: the earliest is the last one
		f.Offset = list.Total - 1
		if list, err = s.store.Articles(ctx, f); err != nil {
			return time.Time{}, err
		}
	}
	if len(list.Articles) == 0 {
		return time.Time{}, nil
	}
	return list.Articles[0].PublishedAt, nil
}
