// Package scheduler publishes scheduled articles when their time comes.
// Every node runs one (jarchy serve does): the store claims each due
// article with a conditional update (jarchy.ArticleStore.PublishDue), so of
// all nodes exactly one publishes it, and the claim is a store write whose
// change notification reaches the page caches of every node. It ends
// breaking news the same way at its time (jarchy.BreakingStore.ExpireBreaking),
// so that no cached page keeps an expired banner. Its writes are audited
// as the actor "scheduler".
package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/jarchy/jarchy"
)

// Defaults of a Scheduler.
const (
	// MaxWait bounds the wait between two looks at the schedule: a
	// schedule made on another node whose change notification was lost,
	// or a clock that disagrees with the store's, costs at most this.
	MaxWait = time.Second
	// retryWait is the pause after a look that found an article due but
	// published none (another node was first, or the store's clock is
	// behind this one).
	retryWait = 100 * time.Millisecond
	// lateness is added to the wait for the next publication time, so
	// that the store's clock (kept to the microsecond) has passed it.
	lateness = time.Millisecond
)

// Store is what the scheduler needs of a store.
type Store interface {
	PublishDue(ctx context.Context) ([]int64, error)
	NextScheduled(ctx context.Context) (time.Time, error)
	ExpireBreaking(ctx context.Context) (int, error)
	NextBreakingExpiry(ctx context.Context) (time.Time, error)
	jarchy.ChangeFeed
}

// Scheduler publishes the scheduled articles of a store at their time.
type Scheduler struct {
	store Store
	log   *slog.Logger
	// Now is the scheduler's clock (default time.Now), for how long to
	// wait; what is due is the store's clock's call.
	Now func() time.Time
	// MaxWait bounds every wait (default MaxWait).
	MaxWait time.Duration
}

// New returns a scheduler of st that logs to log (slog.Default when nil).
func New(st Store, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.Default()
	}
	return &Scheduler{store: st, log: log, Now: time.Now, MaxWait: MaxWait}
}

// PublishDue publishes every article that is due now (once at start: what
// came due while no node ran) and logs each one. It returns the IDs this
// call published.
func (s *Scheduler) PublishDue(ctx context.Context) ([]int64, error) {
	ids, err := s.store.PublishDue(jarchy.WithActor(ctx, jarchy.Actor{Name: "scheduler"}))
	for _, id := range ids {
		s.log.Info("published a scheduled article", "id", id)
	}
	return ids, err
}

// Run publishes scheduled articles at their time until ctx ends: it
// publishes what is due, then waits until the next publication time, at
// most MaxWait, and looks again earlier when the store reports a change.
// A schedule set or moved is not a public change and is not reported: the
// MaxWait look finds it.
func (s *Scheduler) Run(ctx context.Context) {
	changed := make(chan struct{}, 1)
	defer s.store.Subscribe(func(jarchy.Change) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-timer.C:
		}
		timer.Reset(s.round(ctx))
	}
}

// round publishes what is due and returns how long to wait before the
// next look.
func (s *Scheduler) round(ctx context.Context) time.Duration {
	ids, err := s.PublishDue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("publish scheduled articles", "err", err)
		}
		return s.MaxWait
	}
	next, err := s.store.NextScheduled(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("read the publication schedule", "err", err)
		}
		return s.MaxWait
	}
	// Breaking news ends by a write too (its banner is on every cached
	// page), at its time like a publication.
	if n, err := s.store.ExpireBreaking(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Error("end breaking news", "err", err)
		}
		return s.MaxWait
	} else if n > 0 {
		s.log.Info("ended breaking news", "articles", n)
	}
	end, err := s.store.NextBreakingExpiry(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("read the breaking news", "err", err)
		}
		return s.MaxWait
	}
	if !end.IsZero() && (next.IsZero() || end.Before(next)) {
		next = end
	}
	if next.IsZero() {
		return s.MaxWait
	}
	wait := next.Sub(s.Now())
	switch {
	case wait > 0:
		return min(wait+lateness, s.MaxWait)
	case len(ids) > 0:
		return 0 // another one came due meanwhile
	default:
		return min(retryWait, s.MaxWait)
	}
}
