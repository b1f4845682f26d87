package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// jarchy comments export, then import into another data folder; a
// WordPress file is recognised by its first character.
func TestCommentsCommand(t *testing.T) {
	src := t.TempDir()
	st := openData(t, src)
	a := &jarchy.Article{ExternalID: "ext-7", Lang: jarchy.Kyrgyz, Title: "Макала", Slug: "makala", Body: "x", Status: jarchy.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}}
	if err := st.SaveArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Биринчи", "Экинчи"} {
		if err := st.PostComment(context.Background(), &jarchy.Comment{ArticleID: a.ID, Name: "N", Email: "n@example.kg", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	file := filepath.Join(t.TempDir(), "comments.jsonl")
	code, _, stderr := runCLI(t, "", "comments", "export", "--data", src, file)
	if code != 0 || !strings.Contains(stderr, "exported 2 comments") {
		t.Fatalf("export: %d %s", code, stderr)
	}
	b, err := os.ReadFile(file)
	if err != nil || strings.Contains(string(b), "n@example.kg") || strings.Count(string(b), "\n") != 2 {
		t.Fatalf("export file: %v\n%s", err, b)
	}

	dst := t.TempDir()
	st = openData(t, dst)
	if err := st.SaveArticle(context.Background(), &jarchy.Article{ExternalID: "ext-7", Lang: jarchy.Kyrgyz, Title: "Макала", Slug: "makala", Body: "x",
		Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, stdout, stderr := runCLI(t, "", "comments", "import", "--data", dst, file)
	if code != 0 || !strings.Contains(stdout, "2 created, 0 already there or skipped, 0 failed") {
		t.Fatalf("import: %d %s %s", code, stdout, stderr)
	}
	wxr := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_id>1</wp:post_id><wp:post_name>makala</wp:post_name>` +
		`<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_author>WP</wp:comment_author><wp:comment_content>from WordPress</wp:comment_content>` +
		`<wp:comment_approved>1</wp:comment_approved></wp:comment></item></channel></rss>`
	code, stdout, stderr = runCLI(t, wxr, "comments", "import", "--data", dst, "-")
	if code != 0 || !strings.Contains(stdout, "1 created") {
		t.Fatalf("WXR import: %d %s %s", code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, `{"article":"nope","name":"N","text":"x","status":"approved"}`+"\n", "comments", "import", "--data", dst, "-")
	if code != 1 || !strings.Contains(stderr, `line 1: no article "nope"`) {
		t.Fatalf("bad line: %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "comments", "frobnicate"); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}
