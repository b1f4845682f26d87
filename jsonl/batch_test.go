package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// TestCoverTextsOfABatch imports one batch of lines that show the same
// library photo with other texts: the photo ends with the last line's
// texts (and the width one line gave), written once for the batch; every
// article of the batch links it so; a line whose caption the store refuses
// fails with its number, and the others are saved.
func TestCoverTextsOfABatch(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		photo := &jarchy.Media{Key: "photos/shared.jpg", Caption: "Эски", Alt: "тоолор", Width: 640, Height: 480}
		if err := st.SaveMedia(ctx, photo); err != nil {
			t.Fatal(err)
		}
		cov := func(caption string, width int) map[string]any {
			c := map[string]any{"path": "photos/shared.jpg", "caption": caption, "alt": "тоолор"}
			if width > 0 {
				c["width"] = width
			}
			return c
		}
		in := line(good("c1", "cover", cov("Биринчи", 0))) + "\n" +
			line(good("c2", "cover", cov("Экинчи", 800))) + "\n" +
			line(good("c3", "cover", cov(strings.Repeat("ж", jarchy.MaxCaptionLen+1), 0))) + "\n" +
			line(good("c4", "cover", cov("Акыркы", 0))) + "\n"
		gen, err := st.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Import(ctx, st, strings.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 3 || rep.Failed != 1 || len(rep.Errors) != 1 || rep.Errors[0].Line != 3 ||
			!strings.HasPrefix(rep.Errors[0].Reason, "cover: ") {
			t.Fatalf("report %+v", rep)
		}
		if g, _ := st.Generation(ctx); g != gen+2 {
			t.Errorf("generation %d -> %d, want one write for the photo and one for the batch", gen, g)
		}
		m, err := st.Media(ctx, "photos/shared.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if m.Caption != "Акыркы" || m.Width != 800 || m.Height != 480 {
			t.Errorf("photo %q %dx%d, want \"Акыркы\" 800x480", m.Caption, m.Width, m.Height)
		}
		for _, id := range []string{"c1", "c2", "c4"} {
			a, err := st.ArticleByExternalID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			revs, err := st.Revisions(ctx, a.ID)
			if err != nil || len(revs) != 1 {
				t.Fatalf("%s: revisions %v %v", id, revs, err)
			}
			r, err := st.Revision(ctx, revs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.Cover == nil || a.Cover.Caption != "Акыркы" || r.Article.Cover == nil || r.Article.Cover.Caption != "Акыркы" {
				t.Errorf("%s: cover %+v, revision's %+v", id, a.Cover, r.Article.Cover)
			}
		}
	})
}

// TestOverlappedSameAsSequential imports the same files into two empty
// stores, one batch after the other and with the next batch read while
// the one before is saved (as Import does), and expects the same report,
// the same export and the same articles (IDs, versions, slugs, groups and
// revisions); then a second file on top (updates). The files have
// duplicates, translations in any order, bad lines, covers, names
// stored under a legacy slug, a tag that the batch before makes, and a "jarchy-N" id of an article without
// an external id that another line ("jarchy-0N") takes first.
func TestOverlappedSameAsSequential(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		legacy := []string{
			// batch 1 creates the tag "japarov"; batch 2 then finds it for
			// "Жапаров" instead of the legacy "zhaparov"
			line(good("l1", "tags", []string{"Japarov"})), line(good("l2")),
			line(good("l3", "tags", []string{"Жапаров"})), line(good("l4")),
		}
		var ids []int64
		clock := func() time.Time { return time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC) }
		prepare := func(st jarchy.Store) {
			old := &jarchy.Article{Lang: jarchy.Russian, Title: "Старое", Section: jarchy.Section{Slug: "news"},
				Tags: []jarchy.Tag{{Name: "Жапаров", Slug: "zhaparov"}}, TranslationGroup: "old"}
			if err := st.SaveArticle(ctx, old); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, old.ID)
		}
		var runs [2]struct {
			st   jarchy.Store
			reps []*Report
		}
		for k := range runs {
			st := open(t)
			prepare(st)
			runs[k].st = st
		}
		id := ids[0]
		files := [][]byte{
			append([]byte(strings.Join(legacy, "\n")+"\n"+
				line(good(fmt.Sprintf("jarchy-0%d", id), "title", "Биринчи"))+"\n"+line(good("l5"))+"\n"+
				line(good(fmt.Sprintf("jarchy-%d", id), "title", "Экинчи"))+"\n"+line(good("l6"))+"\n"+
				`{"id": "broken", "lang": `+"\n"+line(good("bad-lang", "lang", "de"))+"\n"),
				variedFile(600, 8)...),
			variedFile(600, 9),
		}
		for k := range runs {
			for _, f := range files {
				rep, err := Import(ctx, runs[k].st, bytes.NewReader(f), Options{BatchSize: 2, sequential: k == 0, Now: clock})
				if err != nil {
					t.Fatal(err)
				}
				rep.Duration = 0
				runs[k].reps = append(runs[k].reps, rep)
			}
		}
		for i := range files {
			if !reflect.DeepEqual(runs[0].reps[i], runs[1].reps[i]) {
				t.Errorf("file %d: report %+v, sequential %+v", i, runs[1].reps[i], runs[0].reps[i])
			}
		}
		if r := runs[0].reps[0]; r.Failed != 2 || r.Superseded == 0 || r.Created < 400 || runs[0].reps[1].Updated < 300 {
			t.Errorf("the files do not test much: %+v, %+v", r, runs[0].reps[1])
		}
		var exports [2]bytes.Buffer
		for k := range runs {
			if _, err := Export(ctx, runs[k].st, &exports[k], nil); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(exports[0].Bytes(), exports[1].Bytes()) {
			a, b := bytes.Split(exports[0].Bytes(), []byte("\n")), bytes.Split(exports[1].Bytes(), []byte("\n"))
			for i := range min(len(a), len(b)) {
				if !bytes.Equal(a[i], b[i]) {
					t.Errorf("exports differ at line %d:\n%s\nsequential:\n%s", i+1, b[i], a[i])
					break
				}
			}
		}
		type row struct {
			ID, Version     int64
			Slug, Group     string
			Tags, Revisions []int64
		}
		rows := func(st jarchy.Store, export []byte) []row {
			var out []row
			for _, l := range bytes.Split(bytes.TrimSpace(export), []byte("\n")) {
				var k struct{ ID string }
				if err := json.Unmarshal(l, &k); err != nil {
					t.Fatal(err)
				}
				a, err := st.ArticleByExternalID(ctx, k.ID)
				if jarchy.IsNotFound(err) {
					var n int64
					fmt.Sscanf(k.ID, "jarchy-%d", &n)
					a, err = st.Article(ctx, n)
				}
				if err != nil {
					t.Fatalf("%s: %v", k.ID, err)
				}
				r := row{ID: a.ID, Version: a.Version, Slug: a.Slug, Group: a.TranslationGroup}
				for _, tg := range a.Tags {
					r.Tags = append(r.Tags, tg.ID)
				}
				revs, err := st.Revisions(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, rv := range revs {
					r.Revisions = append(r.Revisions, rv.Version)
				}
				out = append(out, r)
			}
			return out
		}
		seq, over := rows(runs[0].st, exports[0].Bytes()), rows(runs[1].st, exports[1].Bytes())
		if !reflect.DeepEqual(seq, over) {
			for i := range min(len(seq), len(over)) {
				if !reflect.DeepEqual(seq[i], over[i]) {
					t.Errorf("article %d: %+v, sequential %+v", i, over[i], seq[i])
					break
				}
			}
			t.Errorf("%d articles, sequential %d", len(over), len(seq))
		}
		for k := range runs {
			l1, err1 := runs[k].st.ArticleByExternalID(ctx, "l1")
			l3, err3 := runs[k].st.ArticleByExternalID(ctx, "l3")
			if err1 != nil || err3 != nil || len(l3.Tags) != 1 || l3.Tags[0].ID != l1.Tags[0].ID {
				t.Errorf("run %d: l3's tags %+v, want l1's %+v", k, l3, l1)
			}
			a, err := runs[k].st.Article(ctx, id)
			if err != nil || a.ExternalID != fmt.Sprintf("jarchy-0%d", id) || a.Title != "Биринчи" {
				t.Errorf("run %d: article %d %+v %v", k, id, a, err)
			}
		}
	})
}

// TestOverlappedCoverInFlight: a stored article whose line names a photo
// that the batch in flight gives new texts is compared with its line after
// that save, as one batch after the other would: here B, stored with the
// photo's old caption and given it again, is updated back to it (K ends
// with the old caption), not counted unchanged against the caption read
// before the batch in flight wrote the new one.
func TestOverlappedCoverInFlight(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		cov := func(caption string) map[string]any {
			return map[string]any{"path": "photos/k.jpg", "caption": caption, "alt": "тоолор"}
		}
		first := line(good("a", "cover", cov("Эски"))) + "\n" + line(good("b", "cover", cov("Эски"))) + "\n"
		second := line(good("a", "title", "Жаңы аталыш", "cover", cov("Жаңы"))) + "\n" + line(good("b", "cover", cov("Эски"))) + "\n"
		var results [2]string
		for k, sequential := range []bool{true, false} {
			st := open(t)
			if err := st.SaveMedia(ctx, &jarchy.Media{Key: "photos/k.jpg", Caption: "Эски", Alt: "тоолор", Width: 640, Height: 480}); err != nil {
				t.Fatal(err)
			}
			if _, err := Import(ctx, st, strings.NewReader(first), Options{BatchSize: 1, sequential: sequential}); err != nil {
				t.Fatal(err)
			}
			rep, err := Import(ctx, st, strings.NewReader(second), Options{BatchSize: 1, sequential: sequential})
			if err != nil {
				t.Fatal(err)
			}
			m, err := st.Media(ctx, "photos/k.jpg")
			if err != nil {
				t.Fatal(err)
			}
			results[k] = fmt.Sprintf("updated %d, unchanged %d, caption %q", rep.Updated, rep.Unchanged, m.Caption)
		}
		if results[1] != results[0] {
			t.Errorf("overlapped: %s; sequential: %s", results[1], results[0])
		}
		if results[0] != `updated 2, unchanged 0, caption "Эски"` {
			t.Errorf("sequential: %s", results[0])
		}
	})
}
