package commentio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/commentio"
	"github.com/jarchy/jarchy/jsonl"
	"github.com/jarchy/jarchy/sqlite"
)

var ctx = context.Background()

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func article(t *testing.T, st *sqlite.DB, ext, slug string) *jarchy.Article {
	t.Helper()
	a := &jarchy.Article{ExternalID: ext, Lang: jarchy.Kyrgyz, Title: "Макала " + slug, Slug: slug, Body: "x", Status: jarchy.StatusPublished,
		PublishedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}}
	if err := st.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// lines decodes an export.
func lines(t *testing.T, b []byte) []commentio.Line {
	t.Helper()
	var out []commentio.Line
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var v commentio.Line
		if err := json.Unmarshal(l, &v); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		out = append(out, v)
	}
	return out
}

func TestExportImport(t *testing.T) {
	src := openStore(t)
	a := article(t, src, "ext-1", "birinchi")
	if err := src.SaveCommentSettings(ctx, jarchy.CommentSettings{Mode: jarchy.CommentModePost, TrustNewcomers: true}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, text := range []string{"Биринчи", "Экинчи", "Үчүнчү", "Төртүнчү"} {
		c := &jarchy.Comment{ArticleID: a.ID, Name: "Окурман", Email: "r@example.kg", Text: text, IP: "203.0.113.1"}
		if len(ids) > 0 {
			c.ParentID = ids[0]
		}
		if err := src.PostComment(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := src.ModerateComments(ctx, jarchy.RoleEditor, ids[2:3], jarchy.CommentSpam); err != nil {
		t.Fatal(err)
	}
	if err := src.ModerateComments(ctx, jarchy.RoleEditor, ids[3:4], jarchy.CommentDeleted); err != nil {
		t.Fatal(err)
	}
	if err := src.EditComment(ctx, ids[1], "Окурман", "Экинчи, оңдолгон"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n, err := commentio.Export(ctx, src, &out)
	if err != nil || n != 4 {
		t.Fatalf("Export = %d, %v", n, err)
	}
	if strings.Contains(out.String(), "r@example.kg") || !strings.Contains(out.String(), `"email_hash":"`) {
		t.Fatalf("export holds the email in clear or no hash:\n%s", out.String())
	}
	first := lines(t, out.Bytes())
	if first[0].Article != "ext-1" || first[2].Status != "spam" || first[3].Status != "deleted" || first[1].EditedAt == "" || first[1].ParentID != ids[0] {
		t.Fatalf("export lines: %+v", first)
	}

	// Into the same store: nothing new.
	rep, err := commentio.Import(ctx, src, bytes.NewReader(out.Bytes()))
	if err != nil || rep.Created != 0 || rep.Skipped != 4 || rep.Failed != 0 {
		t.Fatalf("re-import into the source: %+v, %v", rep, err)
	}

	// Into another store with the same article: the same comments, every
	// status, parents mapped to the new ids; a second import adds none.
	dst := openStore(t)
	article(t, dst, "other", "other") // ids differ between the stores
	b := article(t, dst, "ext-1", "birinchi")
	rep, err = commentio.Import(ctx, dst, bytes.NewReader(out.Bytes()))
	if err != nil || rep.Created != 4 || rep.Failed != 0 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	rep, err = commentio.Import(ctx, dst, bytes.NewReader(out.Bytes()))
	if err != nil || rep.Created != 0 || rep.Skipped != 4 {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	var again bytes.Buffer
	if _, err := commentio.Export(ctx, dst, &again); err != nil {
		t.Fatal(err)
	}
	second := lines(t, again.Bytes())
	for i := range first {
		f, s := first[i], second[i]
		if s.ArticleID != b.ID || s.Text != f.Text || s.Status != f.Status || s.CreatedAt != f.CreatedAt || s.EditedAt != f.EditedAt ||
			s.IP != f.IP || s.Name != f.Name || s.ExternalID != "jarchy-"+itoa(f.ID) || (f.ParentID != 0) != (s.ParentID == second[0].ID) {
			t.Errorf("line %d: %+v\nfrom %+v", i, s, f)
		}
	}
	// a line over the limit is reported and the import goes on
	bad := `{"article":"nowhere","name":"N","text":"x","status":"approved"}` + "\n" + `not json` + "\n" +
		`{"article":"ext-1","name":"","text":"x","status":"approved"}` + "\n" +
		`{"article":"ext-1","name":"L","text":"` + strings.Repeat("ж", jsonl.MaxLineBytes/2) + `"}` + "\n" +
		`{"article":"ext-1","name":"После","text":"after the long line","status":"approved","external_id":"after-long"}` + "\n"
	rep, err = commentio.Import(ctx, dst, strings.NewReader(bad))
	if err != nil || rep.Failed != 4 || rep.Created != 1 || len(rep.Errors) != 4 || !strings.HasPrefix(rep.Errors[1], "line 2: ") ||
		!strings.HasPrefix(rep.Errors[3], "line 4: ") {
		t.Fatalf("bad lines: %+v, %v", rep, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const wxr = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Old site</title>
	<wp:wxr_version>1.2</wp:wxr_version>
	<item>
		<title>Шайлоо жыйынтыктары</title>
		<wp:post_id>17</wp:post_id>
		<wp:post_name><![CDATA[shailoo]]></wp:post_name>
		<wp:comment>
			<wp:comment_id>101</wp:comment_id>
			<wp:comment_author><![CDATA[Айгүл]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[Aigul@Example.KG]]></wp:comment_author_email>
			<wp:comment_author_IP><![CDATA[192.0.2.44]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2019-05-02 15:04:05]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2019-05-02 09:04:05]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Жакшы <b>макала</b>!<br />Көрүңүз: <a href="https://kabar.kg/x" rel="nofollow">булак</a><p>Экинчи абзац &amp; <script>alert(1)</script></p>]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>102</wp:comment_id>
			<wp:comment_author><![CDATA[Бот]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[not an email]]></wp:comment_author_email>
			<wp:comment_date_gmt><![CDATA[2019-05-03 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Арзан дары]]></wp:comment_content>
			<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>
			<wp:comment_parent>101</wp:comment_parent>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>103</wp:comment_id>
			<wp:comment_author><![CDATA[Асан]]></wp:comment_author>
			<wp:comment_date_gmt><![CDATA[2019-05-04 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Жооп]]></wp:comment_content>
			<wp:comment_approved><![CDATA[0]]></wp:comment_approved>
			<wp:comment_parent>101</wp:comment_parent>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>104</wp:comment_id>
			<wp:comment_author><![CDATA[blog]]></wp:comment_author>
			<wp:comment_content><![CDATA[pingback]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[pingback]]></wp:comment_type>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>105</wp:comment_id>
			<wp:comment_author><![CDATA[Таштанды]]></wp:comment_author>
			<wp:comment_date_gmt><![CDATA[2019-05-05 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Өчүрүлгөн]]></wp:comment_content>
			<wp:comment_approved><![CDATA[trash]]></wp:comment_approved>
		</wp:comment>
	</item>
	<item>
		<title>Жок макала</title>
		<wp:post_id>99</wp:post_id>
		<wp:post_name>jok</wp:post_name>
		<wp:comment>
			<wp:comment_id>201</wp:comment_id>
			<wp:comment_author>X</wp:comment_author>
			<wp:comment_content>orphan</wp:comment_content>
			<wp:comment_approved>1</wp:comment_approved>
		</wp:comment>
	</item>
	<item><title>No comments</title><wp:post_id>5</wp:post_id></item>
</channel>
</rss>`

func TestImportWXR(t *testing.T) {
	st := openStore(t)
	a := article(t, st, "", "shailoo") // found by its slug
	rep, err := commentio.ImportWXR(ctx, st, strings.NewReader(wxr))
	if err != nil || rep.Created != 4 || rep.Skipped != 1 || rep.Failed != 1 || !strings.Contains(rep.Errors[0], "post 99") {
		t.Fatalf("ImportWXR: %+v, %v", rep, err)
	}
	var got []*jarchy.Comment
	if err := st.ExportComments(ctx, func(c *jarchy.Comment) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d comments stored", len(got))
	}
	first := got[0]
	if first.ArticleID != a.ID || first.Status != jarchy.CommentApproved || first.Name != "Айгүл" || first.EmailHash == "" ||
		first.IP != "192.0.2.44" || !first.CreatedAt.Equal(time.Date(2019, 5, 2, 9, 4, 5, 0, time.UTC)) || first.ExternalID != "wp-comment-101" {
		t.Errorf("first: %+v", first)
	}
	if want := "Жакшы макала!\nКөрүңүз: булак https://kabar.kg/x\n\nЭкинчи абзац & alert(1)"; first.Text != want {
		t.Errorf("text %q, want %q", first.Text, want)
	}
	if got[1].Status != jarchy.CommentSpam || got[1].ParentID != first.ID || got[1].EmailHash != "" {
		t.Errorf("spam reply: %+v", got[1])
	}
	if got[2].Status != jarchy.CommentPending || got[2].ParentID != first.ID {
		t.Errorf("pending reply: %+v", got[2])
	}
	if got[3].Status != jarchy.CommentDeleted {
		t.Errorf("trash: %+v", got[3])
	}
	rep, err = commentio.ImportWXR(ctx, st, strings.NewReader(wxr))
	if err != nil || rep.Created != 0 || rep.Skipped != 5 {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	if _, err := commentio.ImportWXR(ctx, st, strings.NewReader(wxr[:len(wxr)/2])); err == nil {
		t.Error("a cut WXR file gave no error")
	}
}

// articleCounter is the real store, counting the article lookups.
type articleCounter struct {
	*sqlite.DB
	lookups int
}

func (c *articleCounter) Article(ctx context.Context, id int64) (*jarchy.Article, error) {
	c.lookups++
	return c.DB.Article(ctx, id)
}

func (c *articleCounter) ArticleByExternalID(ctx context.Context, ext string) (*jarchy.Article, error) {
	c.lookups++
	return c.DB.ArticleByExternalID(ctx, ext)
}

// TestImportFindsEachArticleOnce: a file of many comments on one article
// loads that article once, not once per comment.
func TestImportFindsEachArticleOnce(t *testing.T) {
	st := &articleCounter{DB: openStore(t)}
	article(t, st.DB, "ext-1", "birinchi")
	var in strings.Builder
	for i := 1; i <= 5; i++ {
		in.WriteString(`{"id":` + strconv.Itoa(i) + `,"external_id":"x-` + strconv.Itoa(i) + `","article":"ext-1","name":"Айгүл","text":"Пикир ` + strconv.Itoa(i) + `","status":"approved","created_at":"2024-02-01T10:00:00Z"}` + "\n")
	}
	rep, err := commentio.Import(ctx, st, strings.NewReader(in.String()))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 5 || len(rep.Errors) != 0 {
		t.Fatalf("report %+v, want 5 created", rep)
	}
	if st.lookups != 1 {
		t.Errorf("%d article lookups for 5 comments on one article, want 1", st.lookups)
	}
}
