package media

import (
	"context"
	"fmt"
	"time"
)

// Sweep removes orphans: every blob that live does not name and that is
// older than minAge at now. The age keeps a blob whose row is still being
// written (Put returns before the row commits) from being taken. On a
// local folder it also removes temporary files of Puts that never
// finished, as old. It returns the keys removed.
func Sweep(ctx context.Context, st Store, live func(key string) bool, minAge time.Duration, now time.Time) ([]string, error) {
	before := now.Add(-minAge)
	var orphans []string
	err := st.List(ctx, func(b Info) error {
		if b.ModTime.Before(before) && !live(b.Key) {
			orphans = append(orphans, b.Key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	var removed []string
	for _, k := range orphans {
		// Written again since it was listed (the same photo uploaded
		// anew: keys are content hashes)? Then it is not an orphan.
		if b, err := st.Stat(ctx, k); err != nil || !b.ModTime.Before(before) {
			continue
		}
		if err := st.Delete(ctx, k); err != nil {
			return removed, fmt.Errorf("sweep: %w", err)
		}
		removed = append(removed, k)
	}
	if d, ok := st.(interface {
		removeStaleTemp(context.Context, time.Time) error
	}); ok {
		if err := d.removeStaleTemp(ctx, before); err != nil {
			return removed, fmt.Errorf("sweep: %w", err)
		}
	}
	return removed, nil
}
