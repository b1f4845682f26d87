// Package commentio moves comments in and out of a store: JSON Lines
// (every status, the email only as its keyed hash) both ways, and the
// wp:comment elements of a WordPress export (WXR) in.
package commentio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/jsonl"
)

// Store is what import and export need.
type Store interface {
	jarchy.CommentStore
	Article(ctx context.Context, id int64) (*jarchy.Article, error)
	ArticleByExternalID(ctx context.Context, externalID string) (*jarchy.Article, error)
	ArticleBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Article, error)
}

// Line is one comment in JSON Lines.
type Line struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"external_id,omitempty"`
	ArticleID  int64  `json:"article_id"`
	// Article names the article across stores: its import id, or
	// "jarchy-N" for article N (as `jarchy export` names articles).
	Article   string `json:"article"`
	ParentID  int64  `json:"parent_id,omitempty"`
	Name      string `json:"name"`
	Email     string `json:"email,omitempty"` // import only: hashed by the store
	EmailHash string `json:"email_hash,omitempty"`
	Text      string `json:"text"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	EditedAt  string `json:"edited_at,omitempty"`
	IP        string `json:"ip,omitempty"`
	Reports   int    `json:"reports,omitempty"`
}

// Export writes every comment, oldest first, one JSON object per line,
// and returns how many.
func Export(ctx context.Context, st Store, w io.Writer) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	names := map[int64]string{}
	n := 0
	err := st.ExportComments(ctx, func(c *jarchy.Comment) error {
		name, ok := names[c.ArticleID]
		if !ok {
			name = "jarchy-" + strconv.FormatInt(c.ArticleID, 10)
			if a, err := st.Article(ctx, c.ArticleID); err == nil && a.ExternalID != "" {
				name = a.ExternalID
			} else if err != nil && !jarchy.IsNotFound(err) {
				return err
			}
			names[c.ArticleID] = name
		}
		l := Line{ID: c.ID, ExternalID: c.ExternalID, ArticleID: c.ArticleID, Article: name, ParentID: c.ParentID,
			Name: c.Name, EmailHash: c.EmailHash, Text: c.Text, Status: string(c.Status),
			CreatedAt: c.CreatedAt.UTC().Format(time.RFC3339Nano), IP: c.IP, Reports: c.Reports}
		if c.Edited {
			l.EditedAt = c.EditedAt.UTC().Format(time.RFC3339Nano)
		}
		n++
		return enc.Encode(l)
	})
	if err != nil {
		return n, fmt.Errorf("export comments: %w", err)
	}
	return n, bw.Flush()
}

// Report is the outcome of an import.
type Report struct {
	Created, Skipped, Failed int
	Errors                   []string // "line N: reason"
}

func (r *Report) fail(line int, format string, args ...any) {
	r.Failed++
	if len(r.Errors) < 1000 {
		r.Errors = append(r.Errors, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
}

// Import reads JSON Lines (Line) and stores each comment as given
// (ImportComment): a comment is known by its external_id, or, for one
// exported from a jarchy store, by "jarchy-<id>"; a second import of the
// same file creates nothing. Parents are found among the lines read
// before (a file is oldest first); an unknown parent makes a top-level
// comment. A bad line is reported and skipped.
func Import(ctx context.Context, st Store, r io.Reader) (Report, error) {
	var rep Report
	ids := map[int64]int64{} // id in the file → id in the store
	// articles found (or not), by the line's name and id: a file holds
	// many comments per article, and each lookup loads a whole article.
	type articleRef struct {
		name string
		id   int64
	}
	type found struct {
		a   *jarchy.Article
		err error
	}
	articles := map[articleRef]found{}
	err := jsonl.EachLine(ctx, r, func(lineNo int, line []byte, tooLong bool) error {
		if tooLong {
			rep.fail(lineNo, "longer than %d bytes", jsonl.MaxLineBytes)
			return nil
		}
		var l Line
		if err := json.Unmarshal(bytes.TrimSpace(line), &l); err != nil {
			rep.fail(lineNo, "not a JSON object: %v", err)
			return nil
		}
		ref := articleRef{l.Article, l.ArticleID}
		f, ok := articles[ref]
		if !ok {
			f.a, f.err = findArticle(ctx, st, l)
			articles[ref] = f
		}
		if f.err != nil {
			rep.fail(lineNo, "%v", f.err)
			return nil
		}
		a := f.a
		c := &jarchy.Comment{ArticleID: a.ID, Name: l.Name, Email: l.Email, EmailHash: strings.ToLower(l.EmailHash), Text: l.Text,
			Status: jarchy.CommentStatus(l.Status), IP: l.IP, Reports: l.Reports, ExternalID: l.ExternalID}
		if c.ExternalID == "" && l.ID != 0 {
			c.ExternalID = "jarchy-" + strconv.FormatInt(l.ID, 10)
			// The same store exported it: the comment is there already.
			if old, err := st.Comment(ctx, l.ID); err == nil && old.ArticleID == a.ID && old.Text == jarchy.NormalizeCommentText(l.Text) {
				ids[l.ID] = old.ID
				rep.Skipped++
				return nil
			}
		}
		var err error
		if c.CreatedAt, err = parseTime(l.CreatedAt); err != nil {
			rep.fail(lineNo, "created_at: %v", err)
			return nil
		}
		if l.EditedAt != "" {
			if c.EditedAt, err = parseTime(l.EditedAt); err != nil {
				rep.fail(lineNo, "edited_at: %v", err)
				return nil
			}
			c.Edited = true
		}
		if l.ParentID != 0 {
			c.ParentID = ids[l.ParentID]
		}
		created, err := st.ImportComment(ctx, c)
		if err != nil {
			rep.fail(lineNo, "%s", jarchy.ErrorMessage(err))
			return nil
		}
		if l.ID != 0 {
			ids[l.ID] = c.ID
		}
		if created {
			rep.Created++
		} else {
			rep.Skipped++
		}
		return nil
	})
	return rep, err
}

// findArticle resolves a line's article: by its name (an import id, or
// jarchy-N), else by article_id.
func findArticle(ctx context.Context, st Store, l Line) (*jarchy.Article, error) {
	if l.Article != "" {
		a, err := st.ArticleByExternalID(ctx, l.Article)
		if err == nil {
			return a, nil
		}
		if !jarchy.IsNotFound(err) {
			return nil, err
		}
		if n, ok := strings.CutPrefix(l.Article, "jarchy-"); ok {
			if id, err := strconv.ParseInt(n, 10, 64); err == nil {
				return st.Article(ctx, id)
			}
		}
		return nil, fmt.Errorf("no article %q", l.Article)
	}
	if l.ArticleID > 0 {
		return st.Article(ctx, l.ArticleID)
	}
	return nil, errors.New("no article named (article or article_id)")
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want an RFC 3339 time, got %q", s)
	}
	return t.UTC(), nil
}
