package web_test

import (
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/pagecache"
)

// TestSiteCommentFeedManyArticles: the site's comment feed names each
// comment's article (read with one ArticlesByID), leaves out the comments
// of an article that is no longer public, names every article it read in
// Surrogate-Key, and is dropped from the cache when one of them changes.
func TestSiteCommentFeedManyArticles(t *testing.T) {
	f := newFixture(t, 20)
	on := []string{"lead", "eco0", "eco1", "en", "lead"}
	var ids []int64
	for i, name := range on {
		c := &jarchy.Comment{ArticleID: f.a[name].ID, Name: "Окурман " + strconv.Itoa(i), Text: "Пикир " + strconv.Itoa(i)}
		if err := f.store.PostComment(ctx, c); err != nil {
			t.Fatalf("comment on %s: %v", name, err)
		}
		ids = append(ids, c.ID)
	}
	if err := f.store.ModerateComments(ctx, jarchy.RoleEditor, ids, jarchy.CommentApproved); err != nil {
		t.Fatal(err)
	}
	if r := f.get(t, "/comments/feed/rss.xml"); r.header.Get("Surrogate-Key") != "a/1 a/3 a/4 a/8 c/all m/covers%2Fala-too.jpg site" {
		t.Errorf("Surrogate-Key %q", r.header.Get("Surrogate-Key"))
	}

	cache := pagecache.New(pagecache.Options{MaxBytes: 16 << 20, QueryParams: f.site.QueryParams})
	t.Cleanup(pagecache.Watch(f.store, cache))
	srv := httptest.NewServer(cache.Handler(f.site))
	t.Cleanup(srv.Close)
	// feed reads the feed through the cache: X-Cache and "name: link"
	// (the article's name from the item title) per item, newest first.
	feed := func() (string, []string) {
		t.Helper()
		res, err := client.Get(srv.URL + "/comments/feed/rss.xml")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		fd, err := gofeed.NewParser().ParseString(string(b))
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("status %d, gofeed: %v", res.StatusCode, err)
		}
		var items []string
		for _, it := range fd.Items {
			items = append(items, it.Title+" → "+strings.TrimPrefix(it.Link, testBase))
		}
		return res.Header.Get("X-Cache"), items
	}
	item := func(i int, title, path string) string {
		if strings.HasPrefix(path, "/en/") {
			return "Окурман " + strconv.Itoa(i) + " on “" + title + "” → " + path + "#c-" + strconv.FormatInt(ids[i], 10)
		}
		return "Окурман " + strconv.Itoa(i) + ": " + title + " → " + path + "#c-" + strconv.FormatInt(ids[i], 10)
	}
	want := func(what, wantX string, wantItems ...string) {
		t.Helper()
		x, items := feed()
		if x != wantX {
			t.Errorf("%s: X-Cache %q, want %q", what, x, wantX)
		}
		if strings.Join(items, "\n") != strings.Join(wantItems, "\n") {
			t.Errorf("%s: items\n%s\nwant\n%s", what, strings.Join(items, "\n"), strings.Join(wantItems, "\n"))
		}
	}
	lead, eco0, eco1, en := f.a["lead"], f.a["eco0"], f.a["eco1"], f.a["en"]
	all := []string{
		item(4, lead.Title, articleURL(lead)),
		item(3, en.Title, articleURL(en)),
		item(2, eco1.Title, articleURL(eco1)),
		item(1, eco0.Title, articleURL(eco0)),
		item(0, lead.Title, articleURL(lead)),
	}
	want("first", "miss", all...)
	want("second", "hit", all...)

	// eco1 leaves the site: its comment leaves the feed.
	a, err := f.store.Article(ctx, eco1.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Status = jarchy.StatusUnpublished
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	want("after unpublishing eco1", "miss", all[0], all[1], all[3], all[4])

	// eco0 gets a new title: its item follows.
	if a, err = f.store.Article(ctx, eco0.ID); err != nil {
		t.Fatal(err)
	}
	a.Title = "Жаңы аталыш"
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	want("after retitling eco0", "miss", all[0], all[1], item(1, "Жаңы аталыш", articleURL(eco0)), all[4])
	want("again", "hit", all[0], all[1], item(1, "Жаңы аталыш", articleURL(eco0)), all[4])
}
