package jsonl

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// TestCorrectionsRoundTrip: corrections are imported with their times,
// exported as they were, re-imported without a write; a line without
// them keeps the stored ones, an empty list removes them, and a bad time
// fails the line.
func TestCorrectionsRoundTrip(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		in := line(good("c1", "corrections", []map[string]any{
			{"at": "2026-11-21T10:30:00+06:00", "text": "Датасы оңдолду."},
			{"at": "2026-11-22T04:00:00Z", "text": "Аты-жөнү оңдолду."},
		}))
		rep, err := Import(ctx, st, strings.NewReader(in+"\n"), Options{})
		if err != nil || !rep.OK() || rep.Created != 1 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		a, err := st.ArticleByExternalID(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint([]jarchy.Correction{
			{At: time.Date(2026, 11, 21, 4, 30, 0, 0, time.UTC), Text: "Датасы оңдолду."},
			{At: time.Date(2026, 11, 22, 4, 0, 0, 0, time.UTC), Text: "Аты-жөнү оңдолду."},
		})
		if got := fmt.Sprint(a.Corrections); got != want {
			t.Fatalf("stored corrections %s, want %s", got, want)
		}
		var out bytes.Buffer
		if _, err := Export(ctx, st, &out, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `"corrections":[{"at":"2026-11-21T04:30:00Z","text":"Датасы оңдолду."},{"at":"2026-11-22T04:00:00Z","text":"Аты-жөнү оңдолду."}]`) {
			t.Fatalf("export lacks the corrections:\n%s", out.String())
		}
		for what, src := range map[string]string{"the export": out.String(), "a line without corrections": line(good("c1")) + "\n"} {
			rep, err = Import(ctx, st, strings.NewReader(src), Options{})
			if err != nil || !rep.OK() || rep.Unchanged != 1 {
				t.Fatalf("re-import of %s: %+v %v, want unchanged", what, rep, err)
			}
		}
		rep, err = Import(ctx, st, strings.NewReader(line(good("c1", "corrections", []any{}))+"\n"), Options{})
		if err != nil || !rep.OK() || rep.Updated != 1 {
			t.Fatalf("import with corrections []: %+v %v", rep, err)
		}
		if a, _ = st.ArticleByExternalID(ctx, "c1"); len(a.Corrections) != 0 {
			t.Errorf("corrections [] left %v", a.Corrections)
		}
		for _, bad := range []any{
			[]map[string]any{{"text": "no time"}},
			[]map[string]any{{"at": "yesterday", "text": "x"}},
			[]map[string]any{{"at": "2026-11-21T10:30:00Z", "text": ""}},
			"not a list",
		} {
			rep, err = Import(ctx, st, strings.NewReader(line(good("c2", "corrections", bad))+"\n"), Options{})
			if err != nil || rep.OK() || len(rep.Errors) != 1 {
				t.Errorf("import with corrections %v: %+v %v, want the line to fail", bad, rep, err)
			}
		}
	})
}
