package newsroom_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/browsertest"
	"github.com/jarchy/jarchy/scheduler"
)

// TestBrowserWriteReviewSchedulePublish drives Chromium through the
// newsroom: an author logs in and writes a Kyrgyz article (autosaved on the
// way, previewed), then submits it; an editor approves and schedules it a
// few seconds ahead; once the time has passed, the scheduler has put it on
// the home page and in the RSS feed. Screenshots go to
// $JARCHY_ARTIFACTS/newsroom (default: jarchy-artifacts/newsroom in the
// temp folder, as web's browser test), logged.
func TestBrowserWriteReviewSchedulePublish(t *testing.T) {
	bctx := browsertest.Start(t, chromedp.Flag("lang", "ky"))
	dir := browsertest.ArtifactsDir(t, "newsroom")
	t.Logf("screenshots in %s", dir)

	s := newSQLiteStack(t)
	politics, _ := seedSections(t, s.store)
	addUser(t, s.store, "aigul@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	addUser(t, s.store, "bolot@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	schedCtx, stopSched := context.WithCancel(context.Background())
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		scheduler.New(s.store, slog.New(slog.NewTextHandler(io.Discard, nil))).Run(schedCtx)
	}()
	t.Cleanup(func() { stopSched(); <-schedDone })

	ctx, cancel := context.WithTimeout(bctx, 150*time.Second)
	defer cancel()
	base := s.srv.URL
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	login := func(email string) {
		t.Helper()
		do("log in as "+email,
			chromedp.Navigate(base+"/newsroom/login"),
			chromedp.WaitVisible(chromedp.CSS("#f-email")),
			chromedp.SendKeys(chromedp.CSS("#f-email"), email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), password),
			chromedp.Click(chromedp.CSS(`.nr-login button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#drafts")),
		)
	}
	do("viewport", chromedp.EmulateViewport(1280, 900))

	// 1. The author writes and submits.
	login("aigul@example.kg")
	shot("1-author-dashboard.png")
	title := "Бишкекте жаңы китепкана ачылды"
	do("write the article",
		chromedp.Navigate(base+"/newsroom/articles/new"),
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
		chromedp.SetValue(chromedp.CSS("#f-section"), strconv.FormatInt(politics, 10)),
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SendKeys(chromedp.CSS("#f-lead"), "Шаардын борборунда балдар үчүн китепкана иштей баштады."),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Китепканада **он миң** китеп бар.\n\nАл күн сайын ачык."),
		chromedp.SendKeys(chromedp.CSS("#f-tags"), "Китеп, Бишкек"),
	)
	// The autosave keeps the draft (and the page's form now edits it).
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("autosave-status").textContent.includes("сакталды")`)); err != nil {
		t.Fatalf("no autosave: %v", err)
	}
	do("preview",
		chromedp.Click(chromedp.CSS(`button[name="preview"]`)),
		chromedp.WaitVisible(chromedp.CSS("#preview strong")),
	)
	shot("2-author-editor-autosaved-preview.png")
	do("submit for review",
		chromedp.Click(chromedp.CSS(`button[name="to"][value="review"]`)),
		chromedp.WaitVisible(chromedp.CSS(".nr-ok")),
	)
	shot("3-author-submitted.png")
	list, err := s.store.Articles(ctx, jarchy.ArticleFilter{})
	if err != nil || list.Total != 1 {
		t.Fatalf("%d articles stored (%v), want exactly the one written", list.Total, err)
	}
	a := loadArticle(t, s.store, list.Articles[0].ID)
	if a.Status != jarchy.StatusReview || a.Title != title || a.Lang != jarchy.Kyrgyz {
		t.Fatalf("after submit: status %s, title %q, lang %s", a.Status, a.Title, a.Lang)
	}
	do("log out", chromedp.Click(chromedp.CSS(`.nr-user button`)), chromedp.WaitVisible(chromedp.CSS("#f-email")))

	// 2. The editor approves and schedules it a few seconds ahead.
	login("bolot@example.kg")
	shot("4-editor-dashboard.png")
	at := time.Now().Add(8 * time.Second).In(bishkek)
	// On a loaded machine the field has been seen detached by a late
	// navigation ("could not set value on node"): open the page again then.
	err = nil
	for attempt := 0; attempt < 3; attempt++ {
		err = chromedp.Do(ctx,
			chromedp.Navigate(base+"/newsroom/articles/"+strconv.FormatInt(a.ID, 10)),
			chromedp.WaitVisible(chromedp.CSS(`button[name="to"][value="scheduled"]`)),
			chromedp.WaitVisible(chromedp.CSS("#f-published_at")),
			chromedp.SetValue(chromedp.CSS("#f-published_at"), at.Format("2006-01-02T15:04:05")),
		)
		var got string
		if err == nil {
			got, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("f-published_at").value`))
		}
		if err == nil && got != at.Format("2006-01-02T15:04:05") {
			err = fmt.Errorf("the field holds %q", got)
		}
		if err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	shot("5-editor-editor.png")
	do("approve and schedule",
		chromedp.Click(chromedp.CSS(`button[name="to"][value="scheduled"]`)),
		chromedp.WaitVisible(chromedp.CSS(".nr-ok")),
	)
	shot("6-editor-scheduled.png")
	if a = loadArticle(t, s.store, a.ID); a.Status != jarchy.StatusScheduled && a.Status != jarchy.StatusPublished {
		t.Fatalf("after scheduling: status %s", a.Status)
	}

	// 3. Once its time has passed, it is on the home page and in the feed.
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/ky/")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), title) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the article is not on the home page 60 s after its time (%v)", at)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if a = loadArticle(t, s.store, a.ID); a.Status != jarchy.StatusPublished || a.PublishedAt.Before(at.Add(-time.Second)) {
		t.Errorf("published: status %s at %v, want published at %v", a.Status, a.PublishedAt, at)
	}
	do("home page", chromedp.Navigate(base+"/ky/"), chromedp.WaitVisible(chromedp.CSS("main")))
	shot("7-home-published.png")
	feed, err := gofeed.NewParser().ParseURLWithContext(base+"/ky/feed/rss.xml", ctx)
	if err != nil {
		t.Fatalf("parse the RSS feed: %v", err)
	}
	found := false
	for _, it := range feed.Items {
		found = found || it.Title == title
	}
	if !found {
		t.Errorf("the RSS feed lacks %q", title)
	}
	if !regexp.MustCompile(`^bishkekte-`).MatchString(a.Slug) {
		t.Errorf("slug %q is not the Latin transliteration", a.Slug)
	}
}
