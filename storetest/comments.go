package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunComments runs the contract of jarchy.CommentStore.
func RunComments(t *testing.T, open Opener) {
	run(t, open, []test{
		{"PostAndRead", testCommentPost},
		{"Refused", testCommentRefused},
		{"Modes", testCommentModes},
		{"Queue", testCommentQueue},
		{"Moderate", testCommentModerate},
		{"Edit", testCommentEdit},
		{"Report", testCommentReport},
		{"Bans", testCommentBans},
		{"Counts", testCommentCounts},
		{"EraseIPs", testCommentEraseIPs},
		{"ExportImport", testCommentExportImport},
		{"Changes", testCommentChanges},
		{"Concurrent", testCommentConcurrent},
		{"Key", store(testCommentKey)},
	})
}

// commentAt is the fixed time the comment tests run at.
var commentAt = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

// commentArticle saves a public article published a day before commentAt.
func commentArticle(t *testing.T, s jarchy.Store, c *clock, title string) *jarchy.Article {
	t.Helper()
	c.set(commentAt)
	return save(t, s, published(jarchy.Kyrgyz, title, commentAt.Add(-24*time.Hour)))
}

func post(t *testing.T, s jarchy.Store, c *jarchy.Comment) *jarchy.Comment {
	t.Helper()
	if err := s.PostComment(ctx, c); err != nil {
		t.Fatalf("PostComment(%q): %v", c.Text, err)
	}
	return c
}

func moderate(t *testing.T, s jarchy.Store, to jarchy.CommentStatus, ids ...int64) {
	t.Helper()
	if err := s.ModerateComments(ctx, jarchy.RoleEditor, ids, to); err != nil {
		t.Fatalf("ModerateComments(%v → %s): %v", ids, to, err)
	}
}

func commentIDs(cs []*jarchy.Comment) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func testCommentPost(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Comments here")
	first := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: " Айгүл\u202E ", Email: " Aigul@Example.KG ", Text: "Биринчи\r\n\r\nпикир  \n", IP: "203.0.113.9"})
	plain := sha256.Sum256([]byte("aigul@example.kg"))
	switch {
	case first.ID == 0, first.Status != jarchy.CommentPending, first.Email != "",
		len(first.EmailHash) != 64, first.EmailHash == hex.EncodeToString(plain[:]),
		first.Name != "Айгүл", first.Text != "Биринчи\n\nпикир", !first.CreatedAt.Equal(commentAt):
		t.Fatalf("a newcomer's first comment: %+v (want pending, email kept only as a keyed hash, texts normalised)", first)
	}
	got, err := s.Comment(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *first {
		t.Errorf("read back %+v\nwant %+v", got, first)
	}
	if cs, err := s.ArticleComments(ctx, a.ID); err != nil || len(cs) != 0 {
		t.Fatalf("ArticleComments before approval = %d, %v; want none", len(cs), err)
	}
	moderate(t, s, jarchy.CommentApproved, first.ID)
	// A known reader (an approved comment from the same email) is
	// published at once in post mode, the reply included.
	second := post(t, s, &jarchy.Comment{ArticleID: a.ID, ParentID: first.ID, Name: "Айгүл", Email: "AIGUL@example.kg", Text: "Экинчи пикир"})
	if second.Status != jarchy.CommentApproved || second.EmailHash != first.EmailHash {
		t.Fatalf("known reader's reply: status %s, hash %s (want approved, %s)", second.Status, second.EmailHash, first.EmailHash)
	}
	anon := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "Аноним", Text: "Электрондук почтасыз"})
	if anon.Status != jarchy.CommentPending || anon.EmailHash != "" {
		t.Fatalf("comment without email: %+v, want pending without hash", anon)
	}
	cs, err := s.ArticleComments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := commentIDs(cs); !slices.Equal(got, []int64{first.ID, second.ID}) || cs[1].ParentID != first.ID {
		t.Fatalf("ArticleComments = %v, want [%d %d] with the reply's parent", got, first.ID, second.ID)
	}
	recent, err := s.RecentComments(ctx, 10)
	if err != nil || !slices.Equal(commentIDs(recent), []int64{second.ID, first.ID}) {
		t.Fatalf("RecentComments = %v, %v; want newest approved first", commentIDs(recent), err)
	}
	_, err = s.Comment(ctx, 999999)
	wantCode(t, "Comment(unknown)", err, jarchy.ENOTFOUND)
}

func testCommentRefused(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Refusals")
	b := commentArticle(t, s, c, "Other article")
	draft := save(t, s, newArticle(jarchy.Kyrgyz, "A draft"))
	parent := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "P", Text: "Pending parent"})
	other := post(t, s, &jarchy.Comment{ArticleID: b.ID, Name: "O", Text: "On the other article"})
	moderate(t, s, jarchy.CommentApproved, other.ID)
	post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "D", Text: "Саламатсызбы, дүйнө!"})
	cases := []struct {
		name string
		c    jarchy.Comment
		code string
		key  string
	}{
		{"draft article", jarchy.Comment{ArticleID: draft.ID, Name: "N", Text: "x"}, jarchy.ENOTFOUND, ""},
		{"missing article", jarchy.Comment{ArticleID: 999999, Name: "N", Text: "x"}, jarchy.ENOTFOUND, ""},
		{"empty text", jarchy.Comment{ArticleID: a.ID, Name: "N", Text: " \n\t "}, jarchy.EINVALID, "err.comment_text_required"},
		{"empty name", jarchy.Comment{ArticleID: a.ID, Name: "\u202E", Text: "x"}, jarchy.EINVALID, "err.comment_name_required"},
		{"long text", jarchy.Comment{ArticleID: a.ID, Name: "N", Text: strings.Repeat("ы", jarchy.MaxCommentTextLen+1)}, jarchy.EINVALID, "err.comment_text_long"},
		{"long name", jarchy.Comment{ArticleID: a.ID, Name: strings.Repeat("n", jarchy.MaxCommentNameLen+1), Text: "x"}, jarchy.EINVALID, "err.comment_name_long"},
		{"bad utf-8", jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "a\xffb"}, jarchy.EINVALID, "err.utf8"},
		{"control", jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "a\x1b[2Jb"}, jarchy.EINVALID, "err.comment_control"},
		{"links", jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "http://a.kg http://b.kg https://c.kg http://d.kg"}, jarchy.EINVALID, "err.comment_links"},
		{"bad email", jarchy.Comment{ArticleID: a.ID, Name: "N", Email: "not-an-email", Text: "x"}, jarchy.EINVALID, "err.email"},
		{"pending parent", jarchy.Comment{ArticleID: a.ID, ParentID: parent.ID, Name: "N", Text: "reply"}, jarchy.EINVALID, "err.comment_parent"},
		{"parent elsewhere", jarchy.Comment{ArticleID: a.ID, ParentID: other.ID, Name: "N", Text: "reply"}, jarchy.EINVALID, "err.comment_parent"},
		{"duplicate", jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "  саламатсызбы ДҮЙНӨ  "}, jarchy.ECONFLICT, "err.comment_duplicate"},
	}
	for _, tc := range cases {
		cm := tc.c
		err := s.PostComment(ctx, &cm)
		wantCode(t, tc.name, err, tc.code)
		if tc.key != "" {
			if e, ok := asError(err); !ok || e.MessageKey != tc.key {
				t.Errorf("%s: error %v, want message key %s", tc.name, err, tc.key)
			}
		}
		if cm.ID != 0 {
			t.Errorf("%s: refused comment got ID %d", tc.name, cm.ID)
		}
	}
	// The same text on another article is no duplicate.
	post(t, s, &jarchy.Comment{ArticleID: b.ID, Name: "D", Text: "Саламатсызбы, дүйнө!"})
	if list, err := s.Comments(ctx, jarchy.CommentFilter{ArticleID: a.ID}); err != nil || list.Total != 2 {
		t.Fatalf("article a holds %d comments (%v), want the 2 accepted ones", list.Total, err)
	}
}

func testCommentModes(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Modes")
	known := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "K", Email: "k@example.kg", Text: "first"})
	moderate(t, s, jarchy.CommentApproved, known.ID)
	status := func(text string) (jarchy.CommentStatus, error) {
		cm := &jarchy.Comment{ArticleID: a.ID, Name: "K", Email: "k@example.kg", Text: text}
		err := s.PostComment(ctx, cm)
		return cm.Status, err
	}
	if st, err := status("post mode"); err != nil || st != jarchy.CommentApproved {
		t.Fatalf("post mode, known reader: %s, %v", st, err)
	}
	if err := s.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: jarchy.CommentModePre, CloseAfterDays: 30, Words: []string{" Казино ", "казино", ""}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CommentSettings(ctx)
	if err != nil || got.Mode != jarchy.CommentModePre || !slices.Equal(got.Words, []string{"казино"}) {
		t.Fatalf("CommentSettings = %+v, %v", got, err)
	}
	if st, err := status("pre mode"); err != nil || st != jarchy.CommentPending {
		t.Fatalf("pre mode: %s, %v", st, err)
	}
	if err := s.SetArticleCommentMode(ctx, a.ID, jarchy.CommentModePost); err != nil {
		t.Fatal(err)
	}
	if m, err := s.ArticleCommentMode(ctx, a.ID); err != nil || m != jarchy.CommentModePost {
		t.Fatalf("ArticleCommentMode = %q, %v", m, err)
	}
	if st, err := status("article in post mode"); err != nil || st != jarchy.CommentApproved {
		t.Fatalf("article post mode over site pre: %s, %v", st, err)
	}
	if st, err := status("Ойноо КАЗИНО!"); err != nil || st != jarchy.CommentPending {
		t.Fatalf("word list hit: %s, %v (want pending)", st, err)
	}
	if err := s.SetArticleCommentMode(ctx, a.ID, jarchy.CommentModeClosed); err != nil {
		t.Fatal(err)
	}
	_, err = status("closed")
	wantCode(t, "closed article", err, jarchy.EFORBIDDEN)
	if err := s.SetArticleCommentMode(ctx, a.ID, jarchy.CommentModeDefault); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.ArticleCommentMode(ctx, a.ID); m != jarchy.CommentModeDefault {
		t.Fatalf("mode after reset = %q", m)
	}
	wantCode(t, "mode of a missing article", s.SetArticleCommentMode(ctx, 999999, jarchy.CommentModePre), jarchy.ENOTFOUND)
	wantCode(t, "unknown mode", s.SetArticleCommentMode(ctx, a.ID, "sometimes"), jarchy.EINVALID)
	// Comments close by themselves CloseAfterDays after publication.
	c.set(a.PublishedAt.AddDate(0, 0, 30).Add(-time.Second))
	if _, err := status("just in time"); err != nil {
		t.Fatalf("a second before closing: %v", err)
	}
	c.set(a.PublishedAt.AddDate(0, 0, 30))
	_, err = status("too late")
	wantCode(t, "auto-closed", err, jarchy.EFORBIDDEN)
	wantCode(t, "bad settings", s.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: "x"}), jarchy.EINVALID)
}

func testCommentQueue(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Queue")
	b := commentArticle(t, s, c, "Queue two")
	var ids []int64
	for i := range 7 {
		ids = append(ids, post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: fmt.Sprintf("comment %d", i)}).ID)
	}
	onB := post(t, s, &jarchy.Comment{ArticleID: b.ID, Name: "N", Text: "on b"})
	moderate(t, s, jarchy.CommentDeleted, ids[0])
	list, err := s.Comments(ctx, jarchy.CommentFilter{ArticleID: a.ID, Status: jarchy.CommentPending, Limit: 3, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != 6 || !slices.Equal(commentIDs(list.Comments), []int64{ids[4], ids[3], ids[2]}) {
		t.Fatalf("page 2 of the pending queue: total %d, %v", list.Total, commentIDs(list.Comments))
	}
	all, err := s.Comments(ctx, jarchy.CommentFilter{})
	if err != nil || all.Total != 7 || all.Comments[0].ID != onB.ID {
		t.Fatalf("whole queue (deleted left out): total %d, %v", all.Total, err)
	}
	del, err := s.Comments(ctx, jarchy.CommentFilter{Status: jarchy.CommentDeleted})
	if err != nil || del.Total != 1 || del.Comments[0].ID != ids[0] {
		t.Fatalf("deleted: %+v, %v", del, err)
	}
	_, err = s.Comments(ctx, jarchy.CommentFilter{Status: "lost"})
	wantCode(t, "unknown status", err, jarchy.EINVALID)
	_, err = s.Comments(ctx, jarchy.CommentFilter{Limit: -1})
	wantCode(t, "negative limit", err, jarchy.EINVALID)
}

func testCommentModerate(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Moderation")
	x := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "x"})
	y := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "y"})
	z := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "z"})
	moderate(t, s, jarchy.CommentDeleted, z.ID)
	// Bulk: all or none.
	wantCode(t, "bulk with a deleted one", s.ModerateComments(ctx, jarchy.RoleEditor, []int64{x.ID, y.ID, z.ID}, jarchy.CommentApproved), jarchy.EFORBIDDEN)
	wantCode(t, "bulk with a missing one", s.ModerateComments(ctx, jarchy.RoleEditor, []int64{x.ID, 999999}, jarchy.CommentApproved), jarchy.ENOTFOUND)
	if cs, _ := s.ArticleComments(ctx, a.ID); len(cs) != 0 {
		t.Fatalf("a refused bulk action approved %d comments", len(cs))
	}
	wantCode(t, "author moderates", s.ModerateComments(ctx, jarchy.RoleAuthor, []int64{x.ID}, jarchy.CommentApproved), jarchy.EFORBIDDEN)
	wantCode(t, "unknown status", s.ModerateComments(ctx, jarchy.RoleEditor, []int64{x.ID}, "gone"), jarchy.EINVALID)
	moderate(t, s, jarchy.CommentApproved, x.ID, y.ID)
	moderate(t, s, jarchy.CommentSpam, y.ID)
	cs, err := s.ArticleComments(ctx, a.ID)
	if err != nil || !slices.Equal(commentIDs(cs), []int64{x.ID}) {
		t.Fatalf("after approve x, y and spam y: %v, %v", commentIDs(cs), err)
	}
	if err := s.ModerateComments(ctx, jarchy.RoleSystem, []int64{z.ID}, jarchy.CommentPending); err != nil {
		t.Fatalf("the system restores a deleted comment: %v", err)
	}
}

func testCommentEdit(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Edits")
	x := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "typo teh"})
	later := commentAt.Add(time.Hour)
	c.set(later)
	if err := s.EditComment(ctx, x.ID, " Name\u202E ", "typo the\r\n"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Comment(ctx, x.ID)
	if err != nil || got.Text != "typo the" || got.Name != "Name" || !got.Edited || !got.EditedAt.Equal(later) || !got.CreatedAt.Equal(commentAt) {
		t.Fatalf("edited: %+v, %v", got, err)
	}
	wantCode(t, "edit to empty", s.EditComment(ctx, x.ID, "N", " "), jarchy.EINVALID)
	wantCode(t, "edit missing", s.EditComment(ctx, 999999, "N", "t"), jarchy.ENOTFOUND)
	if got, _ := s.Comment(ctx, x.ID); got.Text != "typo the" {
		t.Fatalf("a refused edit changed the text to %q", got.Text)
	}
}

func testCommentReport(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Reports")
	x := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "x"})
	wantCode(t, "report a pending comment", s.ReportComment(ctx, x.ID), jarchy.ENOTFOUND)
	moderate(t, s, jarchy.CommentApproved, x.ID)
	for range 2 {
		if err := s.ReportComment(ctx, x.ID); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Comments(ctx, jarchy.CommentFilter{Reported: true})
	if err != nil || list.Total != 1 || list.Comments[0].Reports != 2 {
		t.Fatalf("reported queue: %+v, %v", list, err)
	}
	counts, err := s.CommentStatusCounts(ctx)
	if err != nil || counts["reported"] != 1 || counts["approved"] != 1 {
		t.Fatalf("status counts %v, %v", counts, err)
	}
	moderate(t, s, jarchy.CommentRejected, x.ID)
	moderate(t, s, jarchy.CommentApproved, x.ID)
	if got, _ := s.Comment(ctx, x.ID); got.Reports != 0 {
		t.Fatalf("approval kept %d reports", got.Reports)
	}
}

func testCommentBans(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Bans")
	byEmail := &jarchy.CommentBan{Email: "Troll@Example.KG", Reason: "abuse"}
	if err := s.AddCommentBan(ctx, byEmail); err != nil {
		t.Fatal(err)
	}
	if byEmail.Email != "" || len(byEmail.EmailHash) != 64 {
		t.Fatalf("a ban by email keeps %+v, want only the hash", byEmail)
	}
	for _, r := range []string{"198.51.100.0/24", "2001:db8::/32"} {
		if err := s.AddCommentBan(ctx, &jarchy.CommentBan{IPRange: r}); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "ban of both", s.AddCommentBan(ctx, &jarchy.CommentBan{Email: "a@b.kg", IPRange: "10.0.0.0/8"}), jarchy.EINVALID)
	wantCode(t, "ban of a bad range", s.AddCommentBan(ctx, &jarchy.CommentBan{IPRange: "10.0.0.0/33"}), jarchy.EINVALID)
	refused := []jarchy.Comment{
		{ArticleID: a.ID, Name: "T", Email: "troll@example.kg", Text: "by email", IP: "192.0.2.1"},
		{ArticleID: a.ID, Name: "T", Text: "by IPv4 range", IP: "198.51.100.77"},
		{ArticleID: a.ID, Name: "T", Text: "by IPv4 in IPv6", IP: "::ffff:198.51.100.77"},
		{ArticleID: a.ID, Name: "T", Text: "by IPv6 range", IP: "2001:db8:1::5"},
	}
	for _, cm := range refused {
		err := s.PostComment(ctx, &cm)
		wantCode(t, cm.Text, err, jarchy.EFORBIDDEN)
	}
	post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "T", Email: "friend@example.kg", Text: "outside the range", IP: "198.51.101.1"})
	bans, err := s.CommentBans(ctx)
	if err != nil || len(bans) != 3 || bans[0].IPRange != "2001:db8::/32" || bans[2].EmailHash != byEmail.EmailHash {
		t.Fatalf("CommentBans = %v, %v", bans, err)
	}
	if err := s.DeleteCommentBan(ctx, byEmail.ID); err != nil {
		t.Fatal(err)
	}
	post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "T", Email: "troll@example.kg", Text: "ban lifted"})
}

func testCommentCounts(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Counts a")
	b := commentArticle(t, s, c, "Counts b")
	empty := commentArticle(t, s, c, "Counts none")
	var ids []int64
	for i := range 3 {
		ids = append(ids, post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: fmt.Sprint("a", i)}).ID)
	}
	ids = append(ids, post(t, s, &jarchy.Comment{ArticleID: b.ID, Name: "N", Text: "b"}).ID)
	moderate(t, s, jarchy.CommentApproved, ids[0], ids[1], ids[3])
	got, err := s.CommentCounts(ctx, []int64{a.ID, b.ID, empty.ID})
	if err != nil || len(got) != 2 || got[a.ID] != 2 || got[b.ID] != 1 {
		t.Fatalf("CommentCounts = %v, %v; want {%d:2 %d:1}", got, err, a.ID, b.ID)
	}
	if got, err := s.CommentCounts(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("CommentCounts(nil) = %v, %v", got, err)
	}
	counts, err := s.CommentStatusCounts(ctx)
	if err != nil || counts["approved"] != 3 || counts["pending"] != 1 {
		t.Fatalf("CommentStatusCounts = %v, %v", counts, err)
	}
}

func testCommentEraseIPs(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Privacy")
	old := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "old", IP: "203.0.113.1"})
	c.set(commentAt.Add(48 * time.Hour))
	fresh := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "fresh", IP: "2001:db8::1"})
	n, err := s.EraseCommentIPs(ctx, commentAt.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("EraseCommentIPs = %d, %v; want 1", n, err)
	}
	if got, _ := s.Comment(ctx, old.ID); got.IP != "" {
		t.Errorf("old comment keeps IP %q", got.IP)
	}
	if got, _ := s.Comment(ctx, fresh.ID); got.IP != "2001:db8::1" {
		t.Errorf("fresh comment's IP = %q", got.IP)
	}
	if n, err := s.EraseCommentIPs(ctx, commentAt.Add(24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("second erase = %d, %v", n, err)
	}
}

func testCommentExportImport(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Export")
	x := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Email: "n@example.kg", Text: "x", IP: "203.0.113.1"})
	y := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "y"})
	moderate(t, s, jarchy.CommentSpam, y.ID)
	var got []*jarchy.Comment
	if err := s.ExportComments(ctx, func(c *jarchy.Comment) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != x.ID || got[0].EmailHash != x.EmailHash || got[0].Email != "" || got[1].Status != jarchy.CommentSpam {
		t.Fatalf("export: %+v", got)
	}
	when := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	imp := &jarchy.Comment{ArticleID: a.ID, ParentID: x.ID, Name: "WP", Email: "wp@example.kg", Text: "imported", Status: jarchy.CommentApproved, CreatedAt: when, ExternalID: "wp-7", Reports: 1}
	created, err := s.ImportComment(ctx, imp)
	if err != nil || !created || imp.ID == 0 {
		t.Fatalf("ImportComment = %v, %v (id %d)", created, err, imp.ID)
	}
	back, err := s.Comment(ctx, imp.ID)
	if err != nil || back.Status != jarchy.CommentApproved || !back.CreatedAt.Equal(when) || back.ExternalID != "wp-7" || back.EmailHash == "" || back.Reports != 1 || back.ParentID != x.ID {
		t.Fatalf("imported comment read back: %+v, %v", back, err)
	}
	again := &jarchy.Comment{ArticleID: a.ID, Name: "WP", Text: "imported twice", Status: jarchy.CommentApproved, ExternalID: "wp-7"}
	if created, err := s.ImportComment(ctx, again); err != nil || created || again.ID != imp.ID {
		t.Fatalf("second import of wp-7 = %v, %v (id %d, want %d)", created, err, again.ID, imp.ID)
	}
	_, err = s.ImportComment(ctx, &jarchy.Comment{ArticleID: 999999, Name: "N", Text: "t", Status: jarchy.CommentApproved})
	wantCode(t, "import on a missing article", err, jarchy.ENOTFOUND)
}

func testCommentChanges(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Changes")
	var mu sync.Mutex
	var got []jarchy.Change
	defer s.Subscribe(func(ch jarchy.Change) { mu.Lock(); got = append(got, ch); mu.Unlock() })()
	take := func() []jarchy.Change {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
	x := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: "pending"})
	if err := s.EditComment(ctx, x.ID, "N", "pending, edited"); err != nil {
		t.Fatal(err)
	}
	if ch := take(); len(ch) != 0 {
		t.Fatalf("a pending comment published %v", ch)
	}
	moderate(t, s, jarchy.CommentApproved, x.ID)
	want := jarchy.ParseChange(fmt.Sprintf("c/%d c/all", a.ID))
	if ch := take(); len(ch) != 1 || ch[0].String() != want.String() {
		t.Fatalf("approval published %v, want exactly %v", ch, want)
	}
	if err := s.ReportComment(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	if ch := take(); len(ch) != 0 {
		t.Fatalf("a report published %v", ch)
	}
	if err := s.EditComment(ctx, x.ID, "N", "approved, edited"); err != nil {
		t.Fatal(err)
	}
	moderate(t, s, jarchy.CommentDeleted, x.ID)
	if ch := take(); len(ch) != 2 || ch[0].String() != want.String() || ch[1].String() != want.String() {
		t.Fatalf("edit and delete of an approved comment published %v, want %v twice", ch, want)
	}
	if err := s.SetArticleCommentMode(ctx, a.ID, jarchy.CommentModeClosed); err != nil {
		t.Fatal(err)
	}
	if ch := take(); len(ch) != 1 || ch[0].String() != string(jarchy.CommentsTopic(a.ID)) {
		t.Fatalf("closing the article published %v", ch)
	}
}

func testCommentConcurrent(t *testing.T, s jarchy.Store, c *clock) {
	a := commentArticle(t, s, c, "Many at once")
	if err := s.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: jarchy.CommentModePost, TrustNewcomers: true}); err != nil {
		t.Fatal(err)
	}
	const n = 60
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			text := fmt.Sprintf("comment number %d", i)
			if i%10 == 9 {
				text = "comment number 0" // a duplicate: refused, the others still go in
			}
			cm := &jarchy.Comment{ArticleID: a.ID, Name: "N", Text: text}
			errs[i] = s.PostComment(ctx, cm)
			ids[i] = cm.ID
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	refused := 0
	for i, err := range errs {
		switch {
		case err != nil && jarchy.ErrorCode(err) == jarchy.ECONFLICT && ids[i] == 0:
			refused++
		case err != nil:
			t.Fatalf("post %d: %v", i, err)
		case seen[ids[i]] || ids[i] == 0:
			t.Fatalf("post %d: id %d given twice or not at all", i, ids[i])
		default:
			seen[ids[i]] = true
		}
	}
	// Of the 7 posts of "comment number 0", exactly one went in.
	if refused != n/10 {
		t.Fatalf("%d duplicates refused, want %d", refused, n/10)
	}
	cs, err := s.ArticleComments(ctx, a.ID)
	if err != nil || len(cs) != n-n/10 {
		t.Fatalf("stored %d comments (%v), want %d", len(cs), err, n-n/10)
	}
	for _, cm := range cs {
		if !seen[cm.ID] {
			t.Fatalf("stored comment %d was never acknowledged", cm.ID)
		}
	}
}

func asError(err error) (*jarchy.Error, bool) {
	var e *jarchy.Error
	ok := errors.As(err, &e)
	return e, ok
}

func testCommentKey(t *testing.T, s jarchy.Store) {
	k1, err := s.CommentKey(ctx, "form")
	if err != nil || len(k1) != 32 {
		t.Fatalf("CommentKey = %x, %v", k1, err)
	}
	k2, err := s.CommentKey(ctx, "form")
	if err != nil || string(k2) != string(k1) {
		t.Fatalf("second CommentKey differs: %x, %v", k2, err)
	}
	if k3, _ := s.CommentKey(ctx, "other"); string(k3) == string(k1) {
		t.Fatal("two purposes give one key")
	}
	// The email hash uses the same secret, made once.
	a := save(t, s, published(jarchy.Kyrgyz, "Key", time.Now().Add(-time.Hour)))
	c := post(t, s, &jarchy.Comment{ArticleID: a.ID, Name: "N", Email: "n@example.kg", Text: "x"})
	if c.EmailHash == "" || c.EmailHash == jarchy.CommentEmailHash(k1, "n@example.kg") {
		t.Fatalf("email hash %q: empty, or made with a derived key instead of the secret", c.EmailHash)
	}
}
