package newsroom_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/browsertest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/jarchy/jarchy"
)

// noScript turns JavaScript off in the tab.
func noScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// A reader comments with JavaScript off, then again with it on (the post
// happens in place); an editor approves both in the newsroom; the reader
// sees them on the article page and in its comment feed. Comments that
// try to run script are shown as text and run nothing.
func TestBrowserCommentFlow(t *testing.T) {
	bctx := browsertest.Start(t)
	s := newSQLiteStack(t)
	addUser(t, s.store, "editor@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	a, _ := commentFixture(t, s.store)
	page := s.srv.URL + "/ky/news/" + a.Slug
	timeout := func(parent context.Context) context.Context {
		ctx, cancel := context.WithTimeout(parent, 60*time.Second)
		t.Cleanup(cancel)
		return ctx
	}

	// Without JavaScript: a plain post, then the "held" notice.
	plain, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx := timeout(plain)
	err := chromedp.Do(ctx, noScript(),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("#comment-form")),
		chromedp.SendKeys(chromedp.CSS("#comment-name"), "Айгүл"),
		chromedp.SendKeys(chromedp.CSS("#comment-text"), "Скриптсиз жазылган пикир"),
		chromedp.Sleep(3200*time.Millisecond), // the form's minimum time
		chromedp.Click(chromedp.CSS(`#comment-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".comment-notice")),
	)
	if err != nil {
		t.Fatalf("post without script: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/comments/held/"+strconv.FormatInt(a.ID, 10)) {
		t.Fatalf("after the plain post the reader is at %q (%v)", loc, err)
	}

	// With JavaScript: the script posts in place and says it is held.
	js, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ctx = timeout(js)
	err = chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("#comment-form")),
		chromedp.Click(chromedp.CSS("#comment-name")), // focus: the script fetches a fresh timestamp
		chromedp.SendKeys(chromedp.CSS("#comment-name"), "Азамат"),
		chromedp.SendKeys(chromedp.CSS("#comment-text"), "Скрипт менен жазылган пикир"),
		chromedp.Sleep(3200*time.Millisecond),
		chromedp.Click(chromedp.CSS(`#comment-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#comment-status.ok")),
	)
	if err != nil {
		t.Fatalf("post with script: %v", err)
	}
	var status string
	for range 100 { // the answer comes after the fetch
		status, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("comment-status").textContent`))
		if err != nil || strings.Contains(status, "модератор") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil || !strings.Contains(status, "модератор") {
		t.Fatalf("status after the in-place post: %q (%v)", status, err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != page {
		t.Fatalf("the in-place post left the page for %q", loc)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("comment-text").value`)); text != "" {
		t.Errorf("the form kept %q after a post", text)
	}

	// The editor approves both from the queue.
	list, err := s.store.Comments(ctx, jarchy.CommentFilter{Status: jarchy.CommentPending})
	if err != nil || list.Total != 2 {
		t.Fatalf("pending: %d (%v), want the 2 posts", list.Total, err)
	}
	editor, cancel := chromedp.NewContext(bctx)
	defer cancel()
	ectx := timeout(editor)
	err = chromedp.Do(ectx,
		chromedp.Navigate(s.srv.URL+"/newsroom/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="email"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "editor@example.kg"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(".nr-dash-comments")),
		chromedp.Navigate(s.srv.URL+"/newsroom/comments"),
		chromedp.WaitVisible(chromedp.CSS("#nr-queue")),
	)
	if err != nil {
		t.Fatalf("editor opens the queue: %v", err)
	}
	for _, c := range list.Comments {
		if err := chromedp.Do(ectx, chromedp.Click(chromedp.CSS(`#nr-queue input[value="`+strconv.FormatInt(c.ID, 10)+`"]`))); err != nil {
			t.Fatalf("check comment %d: %v", c.ID, err)
		}
	}
	err = chromedp.Do(ectx,
		chromedp.Click(chromedp.CSS(`#nr-queue button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(".nr-notice")),
	)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}

	// The reader sees both, on the page and in the feed.
	ctx = timeout(js)
	// Reload (the page's max-age lets a plain visit come from the browser's
	// own cache for 30 s; a reload asks the server, whose cache the
	// approval has updated).
	err = chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#comment-list li.comment")))
	if err != nil {
		t.Fatalf("reload the article: %v", err)
	}
	if dir := os.Getenv("JARCHY_ARTIFACTS"); dir != "" { // a picture for people
		if b, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#comments"))); err == nil {
			_ = os.MkdirAll(dir, 0o755)
			_ = os.WriteFile(filepath.Join(dir, "comments-article.png"), b, 0o644)
		}
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#comment-list")))
	if err != nil || !strings.Contains(shown, "Скриптсиз жазылган пикир") || !strings.Contains(shown, "Скрипт менен жазылган пикир") {
		t.Fatalf("the article shows %q (%v)", shown, err)
	}
	feed := s.srv.URL + "/comments/feed/" + strconv.FormatInt(a.ID, 10) + "/atom.xml"
	err = chromedp.Do(ctx, chromedp.Navigate(feed))
	if err != nil {
		t.Fatal(err)
	}
	xml, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.textContent`))
	if err != nil || !strings.Contains(xml, "Скриптсиз жазылган пикир") || !strings.Contains(xml, "Скрипт менен жазылган пикир") {
		t.Fatalf("the comment feed holds %q (%v)", xml, err)
	}

	// Comments that try to run script stay text.
	for i, v := range []string{
		`<script>window.__pwned=1</script>`,
		`<img src=x onerror="window.__pwned=2">`,
		`<svg/onload=window.__pwned=3>`,
		`"><script>window.__pwned=4</script>`,
		`http://a.kg/"onmouseover="window.__pwned=5"autofocus onfocus="window.__pwned=6`,
		`javascript:window.__pwned=7`,
		`<iframe srcdoc="<script>parent.__pwned=8</script>">`,
	} {
		c := &jarchy.Comment{ArticleID: a.ID, Name: "<b>x</b>" + strconv.Itoa(i), Text: v}
		if err := s.store.PostComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.store.ModerateComments(ctx, jarchy.RoleEditor, []int64{c.ID}, jarchy.CommentApproved); err != nil {
			t.Fatal(err)
		}
	}
	err = chromedp.Do(ctx, chromedp.Navigate(page), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#comment-list")), chromedp.Sleep(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__pwned !== undefined || document.querySelector("#comment-list script, #comment-list img, #comment-list svg, #comment-list iframe") !== null`))
	if err != nil || pwned {
		t.Fatalf("a comment ran script or became markup (%v)", err)
	}
	shown, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#comment-list")))
	if !strings.Contains(shown, `<script>window.__pwned=1</script>`) {
		t.Errorf("the vector is not shown as text: %q", shown)
	}
}
