package newsroom

import (
	"context"
	"strconv"
	"time"

	"github.com/jarchy/jarchy/i18n"
)

func itoa(n int) string { return strconv.Itoa(n) }

// currentPath is the path of the page being rendered (for the menu).
func currentPath(ctx context.Context) string { return requestFrom(ctx).Path }

// localTime formats t in Asia/Bishkek for the user ("" for zero).
func localTime(q *Request, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return i18n.FormatDateTime(q.Lang, t)
}
