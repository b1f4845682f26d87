package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

func TestParseLimit(t *testing.T) {
	for in, want := range map[string]struct {
		burst int
		per   time.Duration
		ok    bool
	}{
		"5/20s":   {5, 20 * time.Second, true},
		"30/2s":   {30, 2 * time.Second, true},
		"1/1h30m": {1, 90 * time.Minute, true},
		"0/1s":    {0, 0, false},
		"5":       {0, 0, false},
		"5/0s":    {0, 0, false},
		"x/1s":    {0, 0, false},
		"5/soon":  {0, 0, false},
	} {
		b, p, err := parseLimit(in)
		if (err == nil) != want.ok || b != want.burst || p != want.per {
			t.Errorf("parseLimit(%q) = %d, %v, %v; want %d, %v (ok %v)", in, b, p, err, want.burst, want.per, want.ok)
		}
	}
}

// The IP eraser blanks the addresses of comments older than the
// retention at once, and keeps the newer ones.
func TestEraseCommentIPs(t *testing.T) {
	st := openData(t, t.TempDir())
	old := time.Now().Add(-40 * 24 * time.Hour)
	st.Now = func() time.Time { return old }
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Макала", Body: "x", Status: jarchy.StatusPublished, PublishedAt: old.Add(-time.Hour),
		Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}}
	if err := st.SaveArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCommentSettings(context.Background(), jarchy.CommentSettings{Mode: jarchy.CommentModePost}); err != nil {
		t.Fatal(err)
	}
	oldC := &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "эски", IP: "203.0.113.1"}
	if err := st.PostComment(context.Background(), oldC); err != nil {
		t.Fatal(err)
	}
	st.Now = time.Now
	newC := &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "жаңы", IP: "203.0.113.2"}
	if err := st.PostComment(context.Background(), newC); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		runEvery(ctx, time.Hour, func(ctx context.Context) { eraseCommentIPs(ctx, st, 30*24*time.Hour, log) })
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := st.Comment(context.Background(), oldC.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.IP == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the old comment's IP was not erased within 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	testwait.RecvWithin(t, done, 10*time.Second, "the eraser stops with its context")
	if c, _ := st.Comment(context.Background(), newC.ID); c.IP != "203.0.113.2" {
		t.Errorf("a fresh comment's IP became %q", c.IP)
	}
}
