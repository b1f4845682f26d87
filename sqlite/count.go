package sqlite

import (
	"context"
	"database/sql"
	"math"
	"sync"
	"time"

	"github.com/jarchy/jarchy"
)

// countCache keeps listing totals, which cost a scan of the matching index
// range (tens of thousands of entries on a big site), while the content
// generation stays the same. A total of public articles also depends on
// the clock: it holds only until the next future-dated published article
// becomes visible.
type countCache struct {
	mu  sync.Mutex
	gen int64
	m   map[jarchy.ArticleFilter]countEntry
}

type countEntry struct {
	total int
	until int64 // unix µs; the entry is valid while now < until
}

const maxCountEntries = 10000

// total sets *n to the number of rows countQuery finds, from the cache when
// it is still valid for the snapshot that tx reads at time now.
func (c *countCache) total(ctx context.Context, tx *qtx, f jarchy.ArticleFilter, now time.Time, countQuery string, args []any, n *int) error {
	// Cursors and time windows make one-off keys: not worth caching.
	if !f.Before.IsZero() || !f.Since.IsZero() {
		return tx.QueryRowContext(ctx, countQuery, args...).Scan(n)
	}
	key := f
	key.Limit, key.Offset, key.Summary = 0, 0, false // the count is the same
	var gen int64
	if err := tx.QueryRowContext(ctx, "SELECT generation FROM site_state").Scan(&gen); err != nil {
		return err
	}
	nowMicro := now.UnixMicro()
	c.mu.Lock()
	e, ok := c.m[key]
	ok = ok && c.gen == gen && nowMicro < e.until
	c.mu.Unlock()
	if ok {
		*n = e.total
		return nil
	}
	if err := tx.QueryRowContext(ctx, countQuery, args...).Scan(n); err != nil {
		return err
	}
	e = countEntry{total: *n, until: math.MaxInt64}
	if f.PublicOnly {
		var next sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT MIN(published_at) FROM articles WHERE status = ? AND published_at > ?",
			jarchy.StatusPublished, nowMicro).Scan(&next)
		if err != nil {
			return err
		}
		if next.Valid {
			e.until = next.Int64
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen > c.gen || c.m == nil || len(c.m) >= maxCountEntries {
		c.gen, c.m = gen, map[jarchy.ArticleFilter]countEntry{}
	}
	if gen == c.gen {
		c.m[key] = e
	}
	return nil
}
