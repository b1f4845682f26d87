package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/feed"
	"github.com/jarchy/jarchy/i18n"
)

// Comment feeds: one per article and one for the whole site, in RSS and
// Atom (rss.xml, atom.xml; feed.json too), newest approved comments first.
// Item content is the comment's text through commentHTML.

// siteCommentFeed serves /comments/feed/{file}: the site's newest
// approved comments.
func siteCommentFeed(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	format, ok := feed.ParseFileName(r.PathValue("file"))
	if !ok {
		return errNotFound
	}
	ctx := r.Context()
	cs, err := s.store.RecentComments(ctx, feedItems)
	if err != nil {
		return fmt.Errorf("comment feed: %w", err)
	}
	st, err := s.loadSite(ctx, lang) // the settings, from memory
	if err != nil {
		return fmt.Errorf("comment feed: %w", err)
	}
	fd := &feed.Feed{
		Title:   s.siteName(st.settings, lang) + ": " + i18n.T(lang, "comments.site_feed"),
		Link:    s.abs(homePath(lang)),
		FeedURL: s.abs("/comments/feed/" + format.FileName()),
		Lang:    string(lang),
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ArticleID
	}
	articles, err := s.store.ArticlesByID(ctx, ids) // summaries: what a link needs
	if err != nil {
		return fmt.Errorf("comment feed: %w", err)
	}
	for _, c := range cs {
		a := articles[c.ArticleID]
		if a == nil || !a.IsPublic(s.now()) {
			continue
		}
		fd.Items = append(fd.Items, s.commentFeedItem(a, c, true))
	}
	return writeCommentFeed(w, r, format, fd)
}

// articleCommentFeed serves /comments/feed/{article}/{file}: one public
// article's approved comments, newest first.
func articleCommentFeed(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	format, ok := feed.ParseFileName(r.PathValue("file"))
	if !ok {
		return errNotFound
	}
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	cs, err := s.store.ArticleComments(ctx, id)
	if err != nil {
		return fmt.Errorf("comment feed: %w", err)
	}
	fd := &feed.Feed{
		Title:   i18n.Tf(a.Lang, "comments.feed_title", a.Title),
		Link:    s.abs(articlePath(a) + "#comments"),
		FeedURL: s.abs(articleCommentFeedPath(a.ID, format.FileName())),
		Lang:    string(a.Lang),
	}
	for i := len(cs) - 1; i >= 0 && len(fd.Items) < feedItems; i-- {
		fd.Items = append(fd.Items, s.commentFeedItem(a, cs[i], false))
	}
	if len(fd.Items) == 0 {
		fd.Updated = a.PublishedAt
	}
	return writeCommentFeed(w, r, format, fd)
}

// commentFeedItem is a comment as a feed item: its author's name, its text
// as HTML and a link to its anchor. withArticle names the article in the
// title (the site feed).
func (s *Server) commentFeedItem(a *jarchy.Article, c *jarchy.Comment, withArticle bool) feed.Item {
	title := c.Name
	if withArticle {
		title = i18n.Tf(a.Lang, "comments.on", c.Name, a.Title)
	}
	it := feed.Item{
		ID:          s.tagURI("comment", c.CreatedAt, c.ID),
		Title:       title,
		Link:        s.abs(articlePath(a) + "#" + commentAnchor(c.ID)),
		ContentHTML: string(commentHTML(c.Text)),
		Published:   c.CreatedAt,
		Authors:     []feed.Person{{Name: c.Name}},
	}
	if c.Edited {
		it.Updated = c.EditedAt
	}
	return it
}

func writeCommentFeed(w http.ResponseWriter, r *http.Request, format feed.Format, fd *feed.Feed) error {
	if fd.Updated.IsZero() && len(fd.Items) == 0 {
		fd.Updated = time.Unix(0, 0).UTC()
	}
	var buf bytes.Buffer
	if err := feed.Write(&buf, format, fd); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", format.ContentType())
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// apiComment is a comment as the API returns it: never an email, a hash
// or an address.
type apiComment struct {
	ID        int64   `json:"id"`
	ParentID  *int64  `json:"parent_id"`
	Name      string  `json:"name"`
	Text      string  `json:"text"`
	HTML      string  `json:"html"`
	URL       string  `json:"url"`
	CreatedAt string  `json:"created_at"`
	EditedAt  *string `json:"edited_at"`
}

type apiCommentList struct {
	ArticleID int64        `json:"article_id"`
	Comments  []apiComment `json:"comments"`
}

// apiArticleComments serves GET /api/v1/articles/{id}/comments: the
// approved comments of a public article, oldest first.
func apiArticleComments(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	s.apiServe(w, r, func(ctx context.Context) (any, error) {
		a, err := s.apiPublicArticle(ctx, r)
		if err != nil {
			return nil, err
		}
		cs, err := s.store.ArticleComments(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		out := apiCommentList{ArticleID: a.ID, Comments: make([]apiComment, 0, len(cs))}
		for _, c := range cs {
			ac := apiComment{
				ID: c.ID, Name: c.Name, Text: c.Text, HTML: string(commentHTML(c.Text)),
				URL:       s.abs(articlePath(a) + "#" + commentAnchor(c.ID)),
				CreatedAt: c.CreatedAt.UTC().Format(time.RFC3339Nano),
			}
			if c.ParentID != 0 {
				ac.ParentID = &c.ParentID
			}
			if c.Edited {
				e := c.EditedAt.UTC().Format(time.RFC3339Nano)
				ac.EditedAt = &e
			}
			out.Comments = append(out.Comments, ac)
		}
		return out, nil
	})
	return nil
}
