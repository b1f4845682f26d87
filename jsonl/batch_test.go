package jsonl

import (
	"context"
	"strings"
	"testing"

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
