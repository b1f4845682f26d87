package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/clientip"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/web"
)

// commentForm reads the comment form's fields from an article page.
func commentForm(t *testing.T, doc *html.Node) url.Values {
	t.Helper()
	form := find(doc, byID("comment-form"))
	if form == nil {
		t.Fatal("the page has no comment form")
	}
	if attr(form, "method") != "post" || attr(form, "action") != "/comments" {
		t.Fatalf("form posts %s to %s", attr(form, "method"), attr(form, "action"))
	}
	v := url.Values{}
	for _, in := range findAll(form, tagIs("input")) {
		v.Set(attr(in, "name"), attr(in, "value"))
	}
	return v
}

// postComment posts form values to /comments with extra headers.
func postComment(t *testing.T, base string, v url.Values, header map[string]string) *response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/comments", strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, h := range header {
		req.Header.Set(k, h)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &response{status: res.StatusCode, header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		r.doc, _ = html.Parse(strings.NewReader(r.body))
	}
	return r
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestCommentPostWithoutScript(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	page := f.get(t, articleURL(a))
	form := commentForm(t, page.doc)
	if form.Get("article") != strconv.FormatInt(a.ID, 10) || form.Get("lang") != "ky" || form.Get("t") == "" || form.Get("website") != "" {
		t.Fatalf("form fields %v", form)
	}
	if find(page.doc, func(n *html.Node) bool { return n.Data == "script" && isCommentScript(n) }) == nil {
		t.Error("the article page does not load the comment script")
	}
	f.clock.set(5 * time.Second) // the reader takes a few seconds

	// A newcomer's first comment waits: 303 to the notice, nothing shown.
	r := postComment(t, f.srv.URL, with(form, "name", "Айгүл", "email", "aigul@example.kg", "text", "Биринчи пикир\n\nhttps://kabar.kg/x"), nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/comments/held/"+strconv.FormatInt(a.ID, 10) {
		t.Fatalf("newcomer's post: %d → %q", r.status, r.header.Get("Location"))
	}
	held := f.get(t, r.header.Get("Location"))
	if held.status != 200 || !strings.Contains(held.body, "модератор") {
		t.Fatalf("held notice: %d %s", held.status, held.body)
	}
	list, err := f.store.Comments(ctx, jarchy.CommentFilter{Status: jarchy.CommentPending})
	if err != nil || list.Total != 1 {
		t.Fatalf("pending queue: %+v, %v", list, err)
	}
	first := list.Comments[0]
	if first.IP != "127.0.0.1" || first.EmailHash == "" || first.Text != "Биринчи пикир\n\nhttps://kabar.kg/x" {
		t.Fatalf("stored: %+v", first)
	}
	if page := f.get(t, articleURL(a)); find(page.doc, byID("c-"+strconv.FormatInt(first.ID, 10))) != nil {
		t.Fatal("a pending comment is shown")
	}
	if err := f.store.ModerateComments(ctx, jarchy.RoleEditor, []int64{first.ID}, jarchy.CommentApproved); err != nil {
		t.Fatal(err)
	}
	// Now known: the next comment is published at once, 303 to its anchor.
	r = postComment(t, f.srv.URL, with(form, "name", "Айгүл", "email", "AIGUL@example.kg", "text", "<script>alert(1)</script>", "parent", strconv.FormatInt(first.ID, 10)), nil)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, articleURL(a)+"#c-") {
		t.Fatalf("known reader's reply: %d → %q", r.status, loc)
	}
	page = f.get(t, articleURL(a))
	item := find(page.doc, byID(strings.TrimPrefix(loc, articleURL(a)+"#")))
	if item == nil {
		t.Fatalf("the approved reply %s is not on the page", loc)
	}
	if got := text(find(item, classIs("comment-text"))); got != "<script>alert(1)</script>" {
		t.Errorf("reply text shows as %q", got)
	}
	if parent := find(page.doc, byID("c-"+strconv.FormatInt(first.ID, 10))); parent == nil || find(parent, byID(item.Attr[1].Val)) == nil {
		t.Error("the reply is not inside its parent's thread")
	}
	link := find(page.doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "https://kabar.kg/x" })
	if link == nil || attr(link, "rel") != "nofollow ugc noopener noreferrer" {
		t.Errorf("auto-link: %v", link)
	}
	if live := liveMarkup(page.doc); len(live) > 0 {
		t.Errorf("comment text became markup: %v", live)
	}
}

func classIs(c string) func(*html.Node) bool {
	return func(n *html.Node) bool { return strings.Contains(" "+attr(n, "class")+" ", " "+c+" ") }
}

func TestCommentRefusals(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	form := commentForm(t, f.get(t, articleURL(a)).doc)
	long := strings.Repeat("ы", jarchy.MaxCommentTextLen+1)
	cases := []struct {
		name   string
		shift  time.Duration
		values url.Values
		header map[string]string
		status int
		msg    string // in Kyrgyz
		text   string // the textarea keeps this
	}{
		{"too fast", 0, with(form, "name", "N", "text", "тез"), nil, 400, "Форма өтө тез жөнөтүлдү", "тез"},
		{"forged token", 5 * time.Second, with(form, "name", "N", "text", "жалган", "t", "1700000000.AAAA"), nil, 400, "Форманын мөөнөтү өтүп кетти", "жалган"},
		{"too old", 25 * time.Hour, with(form, "name", "N", "text", "эски"), nil, 400, "Форманын мөөнөтү өтүп кетти", "эски"},
		{"links", 5 * time.Second, with(form, "name", "N", "text", "http://a.kg http://b.kg http://c.kg http://d.kg"), nil, 422, "Шилтемелер өтө көп", "http://a.kg http://b.kg http://c.kg http://d.kg"},
		{"too long", 5 * time.Second, with(form, "name", "N", "text", long), nil, 422, "Пикир өтө узун", long},
		{"empty", 5 * time.Second, with(form, "name", "N", "text", "  "), nil, 422, "Пикириңиз бош", ""},
		{"no name", 5 * time.Second, with(form, "name", "", "text", "аты жок"), nil, 422, "Атыңызды жазыңыз", "аты жок"},
		{"control", 5 * time.Second, with(form, "name", "N", "text", "a\x1b[31mb"), nil, 422, "башкаруу белгиси", "a\x1b[31mb"},
		{"bad utf-8", 5 * time.Second, with(form, "name", "N", "text", "a\xffb"), nil, 422, "UTF-8", ""},
		{"cross-site", 5 * time.Second, with(form, "name", "N", "text", "башка сайттан"), map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "башка сайттан жөнөтүлгөн", "башка сайттан"},
		{"other origin", 5 * time.Second, with(form, "name", "N", "text", "origin"), map[string]string{"Origin": "https://evil.example"}, 403, "башка сайттан жөнөтүлгөн", "origin"},
	}
	for _, c := range cases {
		f.clock.set(c.shift)
		r := postComment(t, f.srv.URL, c.values, c.header)
		if r.status != c.status || r.doc == nil {
			t.Errorf("%s: status %d, want %d\n%s", c.name, r.status, c.status, r.body)
			continue
		}
		status := find(r.doc, byID("comment-status"))
		if status == nil || !strings.Contains(text(status), c.msg) {
			t.Errorf("%s: message %q, want it to say %q", c.name, text(status), c.msg)
		}
		ta := find(r.doc, byID("comment-text"))
		if c.text != "" && (ta == nil || text(ta) != c.text) {
			t.Errorf("%s: the textarea holds %q, want the reader's text", c.name, text(ta))
		}
		if fresh := commentForm(t, r.doc).Get("t"); fresh == "" || c.shift != 0 && fresh == form.Get("t") {
			t.Errorf("%s: the form came back without a fresh timestamp", c.name)
		}
	}
	// The honeypot: answered as if held, nothing stored.
	f.clock.set(5 * time.Second)
	r := postComment(t, f.srv.URL, with(form, "name", "Bot", "text", "buy", "website", "http://spam.example"), nil)
	if r.status != http.StatusSeeOther {
		t.Errorf("honeypot: %d", r.status)
	}
	if list, _ := f.store.Comments(ctx, jarchy.CommentFilter{}); list.Total != 0 {
		t.Fatalf("refused posts stored %d comments", list.Total)
	}
	// A Russian article answers in Russian; a closed one says so.
	ru := f.a["lead_ru"]
	ruForm := commentForm(t, f.get(t, articleURL(ru)).doc)
	f.clock.set(10 * time.Second)
	r = postComment(t, f.srv.URL, with(ruForm, "name", "N", "text", strings.Repeat("я", 5001)), nil)
	if !strings.Contains(text(find(r.doc, byID("comment-status"))), "Комментарий слишком длинный") {
		t.Errorf("Russian message: %q", text(find(r.doc, byID("comment-status"))))
	}
	if err := f.store.SetArticleCommentMode(ctx, a.ID, jarchy.CommentModeClosed); err != nil {
		t.Fatal(err)
	}
	r = postComment(t, f.srv.URL, with(form, "name", "N", "text", "жабык"), nil)
	if r.status != http.StatusForbidden || !strings.Contains(text(find(r.doc, byID("comment-status"))), "жабык") {
		t.Errorf("closed: %d %q", r.status, text(find(r.doc, byID("comment-status"))))
	}
	if page := f.get(t, articleURL(a)); find(page.doc, byID("comment-form")) != nil || !strings.Contains(page.body, "пикир жазуу жабык") {
		t.Error("a closed article still shows the form")
	}
}

func TestCommentRateLimits(t *testing.T) {
	f := newFixture(t, 20)
	proxies, err := clientip.Parse("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	site := web.New(web.Config{
		BaseURL: testBase, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.clock.now,
		ClientIP:      proxies,
		CommentLimits: web.CommentLimits{IPBurst: 2, IPPer: time.Hour, ArticleBurst: 3, ArticlePer: time.Hour},
	}, f.store, nil)
	t.Cleanup(func() { site.Close() })
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	a, other := f.a["lead"], f.a["eco0"]
	form := commentForm(t, f.get(t, articleURL(a)).doc)
	otherForm := commentForm(t, f.get(t, articleURL(other)).doc)
	f.clock.set(5 * time.Second)
	post := func(v url.Values, ip, text string) *response {
		return postComment(t, srv.URL, with(v, "name", "N", "text", text), map[string]string{"X-Forwarded-For": ip})
	}
	for i, c := range []struct {
		form   url.Values
		ip     string
		status int
	}{
		{form, "198.51.100.1", 303},
		{form, "198.51.100.1", 303},
		{form, "198.51.100.1", 429},      // the address's burst is spent
		{otherForm, "198.51.100.1", 429}, // on every article
		{form, "2001:db8:1:2::1", 303},   // another client
		{form, "2001:db8:1:2::2", 429},   // IPv6 is limited by its /64
		{form, "203.0.113.5", 429},       // the article's burst is spent
		{otherForm, "203.0.113.5", 303},  // not another article's
	} {
		r := post(c.form, c.ip, "comment "+strconv.Itoa(i))
		if r.status != c.status {
			t.Errorf("post %d from %s: %d, want %d", i, c.ip, r.status, c.status)
		}
		if c.status == 429 {
			if r.header.Get("Retry-After") == "" || !strings.Contains(text(find(r.doc, byID("comment-status"))), "Өтө көп пикир") {
				t.Errorf("post %d: no Retry-After or no message", i)
			}
		}
	}
	list, err := f.store.Comments(ctx, jarchy.CommentFilter{})
	if err != nil || list.Total != 4 {
		t.Fatalf("stored %d comments, want the 4 allowed", list.Total)
	}
	for _, c := range list.Comments {
		if c.IP == "127.0.0.1" {
			t.Errorf("comment %d keeps the proxy's address, not the client's", c.ID)
		}
	}
}

func TestCommentPostWithScript(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	form := commentForm(t, f.get(t, articleURL(a)).doc)
	// The script fetches a fresh timestamp when the reader starts.
	start := f.get(t, "/comments/start")
	var tok struct{ T string }
	if err := json.Unmarshal([]byte(start.body), &tok); err != nil || tok.T == "" || start.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("/comments/start: %s %v (Cache-Control %q)", start.body, err, start.header.Get("Cache-Control"))
	}
	if err := f.store.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: jarchy.CommentModePost, TrustNewcomers: true}); err != nil {
		t.Fatal(err)
	}
	f.clock.set(5 * time.Second)
	js := map[string]string{"Accept": "application/json"}
	r := postComment(t, f.srv.URL, with(form, "t", tok.T, "name", "Азамат", "text", "JS менен <b>жазылды</b>"), js)
	var rep struct {
		Status, Message, HTML string
		ID                    int64
		Errors                []string
	}
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil || r.status != 200 || rep.Status != "approved" || rep.ID == 0 {
		t.Fatalf("JSON post: %d %s", r.status, r.body)
	}
	frag := parseFragment(t, rep.HTML)
	if li := find(frag, byID("c-"+strconv.FormatInt(rep.ID, 10))); li == nil || text(find(li, classIs("comment-text"))) != "JS менен <b>жазылды</b>" {
		t.Errorf("returned HTML: %s", rep.HTML)
	}
	if live := liveMarkup(frag); len(live) > 0 {
		t.Errorf("returned HTML has live markup %v", live)
	}
	r = postComment(t, f.srv.URL, with(form, "t", tok.T, "name", "Азамат", "text", ""), js)
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil || r.status != 422 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "бош") {
		t.Fatalf("JSON refusal: %d %s", r.status, r.body)
	}
}

func TestCommentFeedsAndAPI(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	var ids []int64
	for _, text := range []string{"Биринчи <b>пикир</b>", "Экинчи пикир https://kabar.kg/", "Күтүүдөгү пикир"} {
		c := &jarchy.Comment{ArticleID: a.ID, Name: "Окурман & Co", Email: "r@example.kg", Text: text, IP: "192.0.2.7"}
		if err := f.store.PostComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := f.store.ModerateComments(ctx, jarchy.RoleEditor, ids[:2], jarchy.CommentApproved); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/comments/feed/" + strconv.FormatInt(a.ID, 10) + "/rss.xml", "/comments/feed/" + strconv.FormatInt(a.ID, 10) + "/atom.xml", "/comments/feed/rss.xml", "/comments/feed/atom.xml"} {
		r := f.get(t, path)
		if r.status != 200 {
			t.Fatalf("%s: %d", path, r.status)
		}
		fd, err := gofeed.NewParser().ParseString(r.body)
		if err != nil {
			t.Fatalf("%s: gofeed: %v", path, err)
		}
		if len(fd.Items) != 2 || !strings.HasSuffix(fd.Items[0].Link, articleURL(a)+"#c-"+strconv.FormatInt(ids[1], 10)) {
			t.Fatalf("%s: %d items, first %q", path, len(fd.Items), fd.Items[0].Link)
		}
		if !strings.Contains(fd.Items[1].Content+fd.Items[1].Description, "&lt;b&gt;") || strings.Contains(r.body, "192.0.2.7") || strings.Contains(r.body, "r@example.kg") {
			t.Errorf("%s: item text not escaped, or an address leaked", path)
		}
	}
	r := f.get(t, "/api/v1/articles/"+strconv.FormatInt(a.ID, 10)+"/comments")
	var out struct {
		ArticleID int64            `json:"article_id"`
		Comments  []map[string]any `json:"comments"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || r.status != 200 || len(out.Comments) != 2 {
		t.Fatalf("API: %d %s", r.status, r.body)
	}
	c0 := out.Comments[0]
	if c0["text"] != "Биринчи <b>пикир</b>" || c0["html"] != "<p>Биринчи &lt;b&gt;пикир&lt;/b&gt;</p>" || c0["parent_id"] != nil {
		t.Errorf("API comment: %v", c0)
	}
	for k := range c0 {
		if k != "id" && k != "parent_id" && k != "name" && k != "text" && k != "html" && k != "url" && k != "created_at" && k != "edited_at" {
			t.Errorf("API comment has field %q", k)
		}
	}
	if r.header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Error("API headers differ from the rest of the API")
	}
	for path, want := range map[string]int{
		"/api/v1/articles/abc/comments":                                            400,
		"/api/v1/articles/0/comments":                                              400,
		"/api/v1/articles/9999/comments":                                           404,
		"/api/v1/articles/" + strconv.FormatInt(f.a["draft"].ID, 10) + "/comments": 404,
	} {
		if r := f.get(t, path); r.status != want {
			t.Errorf("%s: %d, want %d", path, r.status, want)
		}
	}
}

// Approving a comment drops its article's page and comment feed from the
// page cache, not the home page; a pending comment drops nothing.
func TestCommentApprovalThroughCache(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	cache := pagecache.New(pagecache.Options{MaxBytes: 16 << 20, QueryParams: f.site.QueryParams})
	stop := pagecache.Watch(f.store, cache)
	t.Cleanup(stop)
	srv := httptest.NewServer(cache.Handler(f.site))
	t.Cleanup(srv.Close)
	get := func(path string) (string, string) {
		t.Helper()
		res, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.Header.Get("X-Cache"), string(b)
	}
	articlePage, feedPath, home := articleURL(a), "/comments/feed/"+strconv.FormatInt(a.ID, 10)+"/atom.xml", "/ky/"
	for _, p := range []string{articlePage, feedPath, home} {
		get(p)
		if x, _ := get(p); x != "hit" {
			t.Fatalf("%s: X-Cache %q on the second GET", p, x)
		}
	}
	c := &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "Кэштен өтөт"}
	if err := f.store.PostComment(ctx, c); err != nil || c.Status != jarchy.CommentPending {
		t.Fatalf("post: %v, %s", err, c.Status)
	}
	for _, p := range []string{articlePage, feedPath, home} {
		if x, _ := get(p); x != "hit" {
			t.Errorf("%s: X-Cache %q after a pending comment, want hit", p, x)
		}
	}
	if err := f.store.ModerateComments(ctx, jarchy.RoleEditor, []int64{c.ID}, jarchy.CommentApproved); err != nil {
		t.Fatal(err)
	}
	if x, body := get(articlePage); x != "miss" || !strings.Contains(body, "Кэштен өтөт") {
		t.Errorf("article after approval: X-Cache %q, comment shown %v", x, strings.Contains(body, "Кэштен өтөт"))
	}
	if x, body := get(feedPath); x != "miss" || !strings.Contains(body, "Кэштен өтөт") {
		t.Errorf("comment feed after approval: X-Cache %q", x)
	}
	if x, _ := get(home); x != "hit" {
		t.Errorf("home after approval: X-Cache %q, want hit (counts lag)", x)
	}
}

// A burst of approvals drops the teaser counts once, after the period;
// writes that touch no approved comment drop nothing.
func TestCoalesceCommentCounts(t *testing.T) {
	f := newFixture(t, 20)
	drops := make(chan time.Time, 10)
	stop := web.CoalesceCommentCounts(f.store, time.Second, func() { drops <- time.Now() })
	defer stop()
	a := f.a["lead"]
	var ids []int64
	for i := range 3 {
		c := &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "burst " + strconv.Itoa(i)}
		if err := f.store.PostComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	select {
	case <-drops:
		t.Fatal("pending comments dropped the counts")
	case <-time.After(1500 * time.Millisecond):
	}
	start := time.Now()
	for _, id := range ids {
		if err := f.store.ModerateComments(ctx, jarchy.RoleEditor, []int64{id}, jarchy.CommentApproved); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case at := <-drops:
		if at.Sub(start) < time.Second {
			t.Errorf("dropped %v after the first approval, before the period", at.Sub(start))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("three approvals never dropped the counts")
	}
	select {
	case <-drops:
		t.Fatal("three approvals in one period dropped the counts twice")
	case <-time.After(2 * time.Second):
	}
}

// TestCommentFormEndsWithArticleAge: comments that close by the article's
// age close on a cached page too. The page with the form tells the cache
// to keep it no longer than that (Surrogate-Control max-age, which never
// reaches the reader); once it is past, the page is rendered again,
// without the form. No store write happens at that time, so nothing else
// would drop it.
func TestCommentFormEndsWithArticleAge(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	days := int(f.clock.now().Sub(a.PublishedAt)/(24*time.Hour)) + 2
	if err := f.store.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: jarchy.CommentModePost, CloseAfterDays: days}); err != nil {
		t.Fatal(err)
	}
	closes := a.PublishedAt.AddDate(0, 0, days)
	const form = `id="comment-text"`

	// straight from the site: the page says how long it holds
	direct := httptest.NewServer(f.site)
	t.Cleanup(direct.Close)
	res, err := client.Get(direct.URL + articleURL(a))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	maxAge, err := strconv.Atoi(strings.TrimPrefix(res.Header.Get("Surrogate-Control"), "max-age="))
	if left := closes.Sub(f.clock.now()); err != nil || maxAge < int(left/time.Second) || maxAge > int(left/time.Second)+2 {
		t.Fatalf("Surrogate-Control %q, want max-age of about %v", res.Header.Get("Surrogate-Control"), left)
	}

	// through the cache, with the closing time 1.5 s away
	f.clock.set(time.Until(closes) - 1500*time.Millisecond)
	cache := pagecache.New(pagecache.Options{MaxBytes: 16 << 20, QueryParams: f.site.QueryParams})
	stop := pagecache.Watch(f.store, cache)
	t.Cleanup(stop)
	srv := httptest.NewServer(cache.Handler(f.site))
	t.Cleanup(srv.Close)
	get := func() (xcache, surrogate, body string) {
		t.Helper()
		res, err := client.Get(srv.URL + articleURL(a))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.Header.Get("X-Cache"), res.Header.Get("Surrogate-Control"), string(b)
	}
	if _, sc, body := get(); !strings.Contains(body, form) || sc != "" {
		t.Fatalf("first view: form shown %v, Surrogate-Control %q reached the reader", strings.Contains(body, form), sc)
	}
	if x, _, _ := get(); x != "hit" {
		t.Fatalf("second view: X-Cache %q, want hit", x)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		x, _, body := get()
		if x != "hit" {
			if strings.Contains(body, form) {
				t.Fatalf("rendered again at %v (closing %v) still with the form", f.clock.now(), closes)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cached page with the form outlived its closing time by %v", f.clock.now().Sub(closes))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// closed pages hold until a change, as before
	if _, sc, _ := get(); sc != "" {
		t.Errorf("closed page: Surrogate-Control %q", sc)
	}
}

// TestCommentPostAfterSectionRename: a post goes back to the article's
// page at its section's current slug, also after the section was renamed
// since an earlier post (the cached post target follows the site change).
func TestCommentPostAfterSectionRename(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["lead"]
	if err := f.store.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: jarchy.CommentModePost, TrustNewcomers: true}); err != nil {
		t.Fatal(err)
	}
	form := commentForm(t, f.get(t, articleURL(a)).doc)
	f.clock.set(5 * time.Second)
	post := func(text string) string {
		t.Helper()
		r := postComment(t, f.srv.URL, with(form, "name", "Айгүл", "email", "aigul@example.kg", "text", text), nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("post: %d %s", r.status, r.body)
		}
		loc, _, _ := strings.Cut(r.header.Get("Location"), "#")
		return loc
	}
	if got := post("Биринчи пикир"); got != articleURL(a) {
		t.Fatalf("first post back to %q, want %q", got, articleURL(a))
	}
	sec := a.Section
	sec.Slug = "sayasat-jangy"
	if err := f.store.SaveSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	want := "/ky/sayasat-jangy/" + a.Slug
	var got string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) { // the change reaches the site asynchronously
		if got = post("Экинчи пикир " + time.Now().String()); got == want || time.Now().After(deadline) {
			break
		}
	}
	if got != want {
		t.Errorf("after the rename the post goes back to %q, want %q", got, want)
	}
}
