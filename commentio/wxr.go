package commentio

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/jarchy/jarchy"
)

// The WordPress export (WXR, RSS 2.0 with the wp: namespace): each
// <item> is a post with its <wp:comment> elements. It is read as a
// stream (encoding/xml), one item at a time.

type wxrItem struct {
	Title    string       `xml:"title"`
	PostID   string       `xml:"post_id"`
	PostName string       `xml:"post_name"`
	Comments []wxrComment `xml:"comment"`
}

type wxrComment struct {
	ID       string `xml:"comment_id"`
	Author   string `xml:"comment_author"`
	Email    string `xml:"comment_author_email"`
	IP       string `xml:"comment_author_IP"`
	Date     string `xml:"comment_date"`
	DateGMT  string `xml:"comment_date_gmt"`
	Content  string `xml:"comment_content"`
	Approved string `xml:"comment_approved"`
	Type     string `xml:"comment_type"`
	Parent   string `xml:"comment_parent"`
}

// ImportWXR reads the wp:comment elements of a WordPress export. A post
// is found among the store's articles by the import id "wp-<post_id>",
// then "<post_id>", then its slug (wp:post_name) in any language. Each
// comment keeps its status (1 approved, 0 pending, spam, trash deleted),
// time (comment_date_gmt), author, email (hashed by the store), IP and
// parent; pingbacks and trackbacks are skipped. Its HTML becomes plain
// text: line breaks and paragraphs as new lines, a link as its text
// followed by its address. It is known by "wp-comment-<comment_id>", so
// a second import creates nothing. Errors name the comment.
func ImportWXR(ctx context.Context, st Store, r io.Reader) (Report, error) {
	var rep Report
	dec := xml.NewDecoder(r)
	dec.Strict = true
	ids := map[string]int64{} // wp comment id → store id
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if err != nil {
			return rep, fmt.Errorf("read the WXR file (line %d): %w", lineOf(dec), err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "item" {
			continue
		}
		line := lineOf(dec)
		var it wxrItem
		if err := dec.DecodeElement(&it, &se); err != nil {
			return rep, fmt.Errorf("read the WXR item at line %d: %w", line, err)
		}
		if len(it.Comments) == 0 {
			continue
		}
		a, err := findWPArticle(ctx, st, it)
		if err != nil {
			for range it.Comments {
				rep.fail(line, "post %s (%q): %v", it.PostID, it.Title, err)
			}
			continue
		}
		for _, wc := range it.Comments {
			if wc.Type == "pingback" || wc.Type == "trackback" {
				rep.Skipped++
				continue
			}
			c := &jarchy.Comment{ArticleID: a.ID, Name: wc.Author, Email: wc.Email, Text: wpText(wc.Content),
				Status: wpStatus(wc.Approved), ExternalID: "wp-comment-" + strings.TrimSpace(wc.ID)}
			if c.Name == "" {
				c.Name = "Anonymous"
			}
			if ip := strings.TrimSpace(wc.IP); ip != "" {
				c.IP = ip
			}
			if jarchy.ValidEmail(strings.ToLower(strings.TrimSpace(c.Email))) != nil {
				c.Email = "" // WordPress keeps whatever was typed
			}
			c.CreatedAt = wpTime(wc.DateGMT, wc.Date)
			if p := strings.TrimSpace(wc.Parent); p != "" && p != "0" {
				c.ParentID = ids[p]
			}
			created, err := st.ImportComment(ctx, c)
			if err != nil {
				rep.fail(line, "comment %s on post %s: %s", wc.ID, it.PostID, jarchy.ErrorMessage(err))
				continue
			}
			ids[strings.TrimSpace(wc.ID)] = c.ID
			if created {
				rep.Created++
			} else {
				rep.Skipped++
			}
		}
	}
}

func lineOf(dec *xml.Decoder) int {
	line, _ := dec.InputPos()
	return line
}

func findWPArticle(ctx context.Context, st Store, it wxrItem) (*jarchy.Article, error) {
	id := strings.TrimSpace(it.PostID)
	for _, ext := range []string{"wp-" + id, id} {
		if id == "" {
			break
		}
		a, err := st.ArticleByExternalID(ctx, ext)
		if err == nil {
			return a, nil
		}
		if !jarchy.IsNotFound(err) {
			return nil, err
		}
	}
	if slug := strings.TrimSpace(it.PostName); slug != "" {
		for _, l := range jarchy.Langs {
			a, err := st.ArticleBySlug(ctx, l, slug)
			if err == nil {
				return a, nil
			}
			if !jarchy.IsNotFound(err) {
				return nil, err
			}
		}
	}
	return nil, errors.New("no article with the import id wp-" + id + ", " + id + " or the slug " + strconv.Quote(it.PostName))
}

func wpStatus(s string) jarchy.CommentStatus {
	switch strings.TrimSpace(s) {
	case "1", "approve":
		return jarchy.CommentApproved
	case "spam":
		return jarchy.CommentSpam
	case "trash", "post-trashed":
		return jarchy.CommentDeleted
	}
	return jarchy.CommentPending
}

// wpTime reads WordPress's "2006-01-02 15:04:05" in UTC (the GMT date,
// else the local one, whose zone WXR does not say).
func wpTime(gmt, local string) time.Time {
	for _, s := range []string{gmt, local} {
		if t, err := time.Parse(time.DateTime, strings.TrimSpace(s)); err == nil && t.Year() > 1970 {
			return t
		}
	}
	return time.Time{}
}

// wpText turns a WordPress comment's HTML into plain text.
func wpText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	var href string
	var linkText strings.Builder
	inLink := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			t := string(z.Text())
			b.WriteString(t)
			if inLink {
				linkText.WriteString(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "br":
				b.WriteString("\n")
			case "p":
				b.WriteString("\n\n")
			case "a":
				inLink, href = true, ""
				linkText.Reset()
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						href = string(v)
					}
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p":
				b.WriteString("\n\n")
			case "a":
				if inLink && href != "" && strings.TrimSpace(linkText.String()) != href {
					b.WriteString(" " + href)
				}
				inLink = false
			}
		}
	}
}
