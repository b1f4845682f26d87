package jarchy

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCommentTransitions(t *testing.T) {
	P, A, R, S, D := CommentPending, CommentApproved, CommentRejected, CommentSpam, CommentDeleted
	cases := []struct {
		role     Role
		from, to CommentStatus
		code     string // "" allowed
	}{
		{RoleEditor, P, A, ""},
		{RoleAdmin, P, R, ""},
		{RoleEditor, P, S, ""},
		{RoleEditor, P, D, ""},
		{RoleEditor, A, R, ""},
		{RoleEditor, A, S, ""},
		{RoleEditor, A, D, ""},
		{RoleEditor, R, A, ""},
		{RoleEditor, S, A, ""},
		{RoleEditor, A, A, ""},
		{RoleEditor, A, P, EFORBIDDEN}, // no way back to the queue
		{RoleEditor, D, A, EFORBIDDEN}, // deleted stays deleted
		{RoleAdmin, D, P, EFORBIDDEN},
		{RoleAuthor, P, A, EFORBIDDEN},
		{RoleAuthor, A, A, EFORBIDDEN},
		{RoleSystem, D, A, ""},
		{RoleEditor, P, "hidden", EINVALID},
		{RoleSystem, "", A, EINVALID},
	}
	for _, c := range cases {
		err := CheckCommentTransition(c.role, c.from, c.to)
		if got := ErrorCode(err); got != c.code {
			t.Errorf("%s: %s → %s = %v, want code %q", c.role, c.from, c.to, err, c.code)
		}
	}
	var names []string
	for _, m := range CommentMoves(RoleEditor, CommentPending) {
		names = append(names, m.Action)
	}
	if !slices.Equal(names, []string{"approve", "reject", "spam", "delete"}) {
		t.Errorf("editor's moves from pending = %v", names)
	}
	if m := CommentMoves(RoleAuthor, CommentPending); len(m) != 0 {
		t.Errorf("author has moves %v", m)
	}
}

func TestInitialCommentStatus(t *testing.T) {
	post := CommentSettings{Mode: CommentModePost, Words: []string{"казино", "buy now"}}
	trusting := post
	trusting.TrustNewcomers = true
	cases := []struct {
		name     string
		s        CommentSettings
		mode     CommentMode
		newcomer bool
		text     string
		want     CommentStatus
		err      bool
	}{
		{"post, known reader", post, CommentModePost, false, "Жакшы макала", CommentApproved, false},
		{"post, newcomer", post, CommentModePost, true, "Жакшы макала", CommentPending, false},
		{"post, newcomer trusted", trusting, CommentModePost, true, "Жакшы макала", CommentApproved, false},
		{"pre, known reader", post, CommentModePre, false, "Жакшы макала", CommentPending, false},
		{"word hit", post, CommentModePost, false, "Ойно КАЗИНО, азыр!", CommentPending, false},
		{"phrase hit", trusting, CommentModePost, true, "please BUY   now.", CommentPending, false},
		{"word inside another", post, CommentModePost, false, "казинолор жабылды", CommentApproved, false},
		{"closed", post, CommentModeClosed, false, "x", "", true},
	}
	for _, c := range cases {
		got, err := InitialCommentStatus(c.s, c.mode, c.newcomer, c.text)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("%s: %q, %v; want %q (error %v)", c.name, got, err, c.want, c.err)
		}
	}
}

func TestEffectiveCommentMode(t *testing.T) {
	pub := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := CommentSettings{Mode: CommentModePre, CloseAfterDays: 10}
	cases := []struct {
		article CommentMode
		now     time.Time
		want    CommentMode
	}{
		{CommentModeDefault, pub.Add(time.Hour), CommentModePre},
		{CommentModePost, pub.Add(time.Hour), CommentModePost},
		{CommentModeClosed, pub.Add(time.Hour), CommentModeClosed},
		{CommentModePost, pub.AddDate(0, 0, 10).Add(-time.Nanosecond), CommentModePost},
		{CommentModePost, pub.AddDate(0, 0, 10), CommentModeClosed},
	}
	for _, c := range cases {
		if got := EffectiveCommentMode(s, c.article, pub, c.now); got != c.want {
			t.Errorf("article %q at %v: %q, want %q", c.article, c.now, got, c.want)
		}
	}
	never := CommentSettings{Mode: CommentModePost}
	if got := EffectiveCommentMode(never, "", pub, pub.AddDate(50, 0, 0)); got != CommentModePost {
		t.Errorf("CloseAfterDays 0 closed after 50 years: %q", got)
	}
}

func TestCommentValidate(t *testing.T) {
	cases := []struct {
		name string
		c    Comment
		key  string
	}{
		{"ok", Comment{ArticleID: 1, Name: "Айгүл", Text: "Саламатсызбы"}, ""},
		{"bidi override stripped", Comment{ArticleID: 1, Name: "a\u202Eb", Text: "x\u202Ey\u2066z"}, ""},
		{"no name", Comment{ArticleID: 1, Name: " \t", Text: "x"}, "err.comment_name_required"},
		{"no text", Comment{ArticleID: 1, Name: "N", Text: "\n\n "}, "err.comment_text_required"},
		{"long name", Comment{ArticleID: 1, Name: strings.Repeat("ы", MaxCommentNameLen+1), Text: "x"}, "err.comment_name_long"},
		{"long text", Comment{ArticleID: 1, Name: "N", Text: strings.Repeat("ы", MaxCommentTextLen+1)}, "err.comment_text_long"},
		{"longest text", Comment{ArticleID: 1, Name: "N", Text: strings.Repeat("ы", MaxCommentTextLen)}, ""},
		{"bad utf-8", Comment{ArticleID: 1, Name: "N", Text: "\xc3\x28"}, "err.utf8"},
		{"NUL in name", Comment{ArticleID: 1, Name: "a\x00b", Text: "x"}, "err.control"},
		{"escape", Comment{ArticleID: 1, Name: "N", Text: "a\x1bb"}, "err.comment_control"},
		{"C1", Comment{ArticleID: 1, Name: "N", Text: "a\u0085b"}, "err.comment_control"},
		{"DEL", Comment{ArticleID: 1, Name: "N", Text: "a\x7fb"}, "err.comment_control"},
		{"tabs and lines", Comment{ArticleID: 1, Name: "N", Text: "a\tb\nc"}, ""},
		{"3 links", Comment{ArticleID: 1, Name: "N", Text: "http://a.kg https://b.kg/x http://c.kg"}, ""},
		{"4 links", Comment{ArticleID: 1, Name: "N", Text: "http://a.kg https://b.kg/x http://c.kg HTTP://d.kg"}, "err.comment_links"},
		{"bad email", Comment{ArticleID: 1, Name: "N", Email: "a@b", Text: "x"}, "err.email"},
		{"bad ip", Comment{ArticleID: 1, Name: "N", Text: "x", IP: "1.2.3"}, "err.comment_ip"},
		{"markup is text", Comment{ArticleID: 1, Name: "<b>N</b>", Text: "<script>alert(1)</script>"}, ""},
	}
	for _, c := range cases {
		cm := c.c
		cm.Normalize()
		err := cm.Validate()
		var e *Error
		switch {
		case c.key == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.key != "" && (!errors.As(err, &e) || e.MessageKey != c.key):
			t.Errorf("%s: %v, want key %s", c.name, err, c.key)
		}
	}
	c := Comment{ArticleID: 1, Name: " a\u202Eb ", Text: " x\u202Ey\u200Fz \r\nsecond\r\n\r\n"}
	c.Normalize()
	if c.Name != "ab" || c.Text != "xy\u200Fz\nsecond" {
		t.Errorf("normalised %q / %q", c.Name, c.Text)
	}
}

func TestCommentEmailHash(t *testing.T) {
	k1, k2 := []byte("secret one"), []byte("secret two")
	h := CommentEmailHash(k1, " Aida@Example.KG ")
	if h != CommentEmailHash(k1, "aida@example.kg") || len(h) != 64 {
		t.Errorf("hash %q is not of the normalised address", h)
	}
	if h == CommentEmailHash(k2, "aida@example.kg") {
		t.Error("two secrets give the same hash")
	}
	// HMAC-SHA256("secret one", "aida@example.kg"), from openssl dgst -sha256 -hmac.
	if want := "cbbf94946eb86820954e7a3e73b9cbce4b762b7f42d3ebdc52ea85c7e0050aa0"; h != want {
		t.Errorf("hash %s, want %s", h, want)
	}
	if CommentEmailHash(k1, " ") != "" {
		t.Error("no email hashes to something")
	}
}

func TestCommentBan(t *testing.T) {
	cases := []struct {
		in      string
		norm    string
		valid   bool
		ip      string
		matches bool
	}{
		{"203.0.113.7", "203.0.113.7/32", true, "203.0.113.7", true},
		{"203.0.113.7", "203.0.113.7/32", true, "203.0.113.8", false},
		{"203.0.113.77/24", "203.0.113.0/24", true, "203.0.113.200", true},
		{"203.0.113.0/24", "203.0.113.0/24", true, "::ffff:203.0.113.5", true},
		{"2001:db8::/32", "2001:db8::/32", true, "2001:db8:ffff::1", true},
		{"2001:db8::/32", "2001:db8::/32", true, "2001:db9::1", false},
		{"0.0.0.0/0", "0.0.0.0/0", false, "", false},
		{"10.0.0.0/7", "10.0.0.0/7", false, "", false},
		{"::/8", "::/8", false, "", false},
		{"nonsense", "nonsense", false, "", false},
	}
	for _, c := range cases {
		b := CommentBan{IPRange: c.in}
		b.Normalize()
		if b.IPRange != c.norm {
			t.Errorf("%q normalised to %q, want %q", c.in, b.IPRange, c.norm)
		}
		if err := b.Validate(); (err == nil) != c.valid {
			t.Errorf("%q: Validate = %v, want valid %v", c.in, err, c.valid)
		}
		if c.valid && b.Matches("", c.ip) != c.matches {
			t.Errorf("%q matches %s: %v, want %v", c.in, c.ip, !c.matches, c.matches)
		}
	}
	byHash := CommentBan{EmailHash: strings.Repeat("ab", 32)}
	if !byHash.Matches(strings.Repeat("ab", 32), "192.0.2.1") || byHash.Matches("", "192.0.2.1") {
		t.Error("a ban by hash matches wrongly")
	}
}

func TestThread(t *testing.T) {
	c := func(id, parent int64) *Comment { return &Comment{ID: id, ParentID: parent} }
	// 1 ← 2 ← 3 ← 4 ← 5 (too deep: beside 4) ← 6 (beside 4 too); 7 top;
	// 8 answers 99, which is not shown: top level.
	roots := Thread([]*Comment{c(1, 0), c(2, 1), c(3, 2), c(4, 3), c(5, 4), c(6, 5), c(7, 0), c(8, 99)})
	var got []string
	var walk func(ns []*CommentNode)
	walk = func(ns []*CommentNode) {
		for _, n := range ns {
			got = append(got, strings.Repeat(">", n.Depth-1)+string(rune('0'+n.ID)))
			walk(n.Replies)
		}
	}
	walk(roots)
	want := []string{"1", ">2", ">>3", ">>>4", ">>>5", ">>>6", "7", "8"}
	if !slices.Equal(got, want) {
		t.Errorf("threads %v, want %v", got, want)
	}
}

func TestCommentChange(t *testing.T) {
	pending := &Comment{ArticleID: 7, Status: CommentPending}
	approved := &Comment{ArticleID: 7, Status: CommentApproved}
	spam := &Comment{ArticleID: 7, Status: CommentSpam}
	cases := []struct {
		old, new *Comment
		want     string
	}{
		{nil, pending, ""},
		{pending, spam, ""},
		{nil, approved, "c/7 c/all"},
		{pending, approved, "c/7 c/all"},
		{approved, spam, "c/7 c/all"},
		{approved, approved, "c/7 c/all"},
	}
	for _, c := range cases {
		if got := CommentChange(c.old, c.new).String(); got != c.want {
			t.Errorf("CommentChange(%v, %v) = %q, want %q", c.old, c.new, got, c.want)
		}
	}
	if CommentChange(nil, approved).Touches(TopicSite) {
		t.Error("an approval touches the site")
	}
}

func TestHitsWordList(t *testing.T) {
	words := CommentSettings{Words: []string{" Spam ", "free money", "казино"}}.Normalize().Words
	for text, want := range map[string]bool{
		"SPAM!":                 true,
		"spammer":               false,
		"get FREE\n\tmoney now": true,
		"free moneys":           false,
		"Казино-де":             true,
		"":                      false,
	} {
		if got := HitsWordList(words, text); got != want {
			t.Errorf("HitsWordList(%q) = %v, want %v", text, got, want)
		}
	}
}
