package web

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/feed"
	"github.com/jarchy/jarchy/i18n"
)

// feedItems is the number of newest articles a feed carries.
const feedItems = 30

// siteFeed serves /{lang}/feed/{file}: the newest articles in lang as
// rss.xml, atom.xml or feed.json.
func siteFeed(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	format, ok := feed.ParseFileName(r.PathValue("file"))
	if !ok {
		return errNotFound
	}
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	name := s.siteName(st, lang)
	return s.writeFeed(w, r, format, jarchy.ArticleFilter{Lang: lang}, &feed.Feed{
		Title:       name,
		Link:        s.abs(homePath(lang)),
		FeedURL:     s.abs(feedPath(lang, "", "", format)),
		Description: i18n.T(lang, "site.tagline"),
	}, lang)
}

// listFeed serves /{lang}/feed/{kind}/{slug}/{file}: the feed of one
// section, tag or author.
func listFeed(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	format, ok := feed.ParseFileName(r.PathValue("file"))
	if !ok {
		return errNotFound
	}
	ctx := r.Context()
	slug := r.PathValue("slug")
	f := jarchy.ArticleFilter{Lang: lang}
	kind := r.PathValue("kind")
	var name, link string
	switch kind {
	case "section":
		sec, err := s.sectionBySlug(ctx, slug)
		if err != nil {
			return err
		}
		f.SectionID, name, link, slug = sec.ID, sec.Name(lang), sectionPath(lang, sec.Slug), sec.Slug
	case "tag":
		t, err := s.store.TagBySlug(ctx, slug)
		if err != nil {
			return err
		}
		f.TagID, name, link, slug = t.ID, t.Name, tagPath(lang, t.Slug), t.Slug
	case "author":
		a, err := s.store.AuthorBySlug(ctx, slug)
		if err != nil {
			return err
		}
		f.AuthorID, name, link, slug = a.ID, a.Name, authorPath(lang, a.Slug), a.Slug
	default:
		return errNotFound
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	return s.writeFeed(w, r, format, f, &feed.Feed{
		Title:       name + " — " + s.siteName(st, lang),
		Link:        s.abs(link),
		FeedURL:     s.abs(feedPath(lang, kind, slug, format)),
		Description: i18n.T(lang, "site.tagline"),
	}, lang)
}

// feedPath is the canonical path of a feed; kind "" is the site feed.
func feedPath(lang jarchy.Lang, kind, slug string, f feed.Format) string {
	if kind == "" {
		return "/" + string(lang) + "/feed/" + f.FileName()
	}
	return "/" + string(lang) + "/feed/" + kind + "/" + url.PathEscape(slug) + "/" + f.FileName()
}

// sectionBySlug finds a section, or returns a not-found error.
func (s *Server) sectionBySlug(ctx context.Context, slug string) (*jarchy.Section, error) {
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, fmt.Errorf("load sections: %w", err)
	}
	for i := range secs {
		if secs[i].Slug == slug {
			return &secs[i], nil
		}
	}
	return nil, errNotFound
}

// writeFeed loads the newest public articles matching f and writes them
// in format; fd carries the feed's title, link and description.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, format feed.Format, f jarchy.ArticleFilter, fd *feed.Feed, lang jarchy.Lang) error {
	f.PublicOnly, f.NoTotal = true, true
	f.Limit = feedItems
	list, err := s.store.Articles(r.Context(), f)
	if err != nil {
		return fmt.Errorf("feed: %w", err)
	}
	fd.Lang = string(lang)
	for _, a := range list.Articles {
		fd.Items = append(fd.Items, s.feedItem(a))
	}
	var buf bytes.Buffer
	if err := feed.Write(&buf, format, fd); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", format.ContentType())
	h.Set("Content-Language", string(lang))
	// No Last-Modified: a feed also changes when an item is removed, which
	// no item date shows; the page cache dates each body when it first sees it.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// feedItem turns an article into a feed item with absolute links, the
// sanitised body and the cover as enclosure.
func (s *Server) feedItem(a *jarchy.Article) feed.Item {
	it := feed.Item{
		ID:          s.articleTag(a),
		Title:       a.Title,
		Link:        s.abs(articlePath(a)),
		Summary:     a.Lead,
		ContentHTML: string(articleBody(a)),
		Published:   a.PublishedAt,
		Updated:     a.UpdatedAt,
	}
	if a.Section.Slug != "" {
		it.Categories = append(it.Categories, a.Section.Name(a.Lang))
	}
	for _, t := range a.Tags {
		it.Categories = append(it.Categories, t.Name)
	}
	for _, au := range a.Authors {
		it.Authors = append(it.Authors, feed.Person{Name: au.Name, URL: s.abs(authorPath(a.Lang, au.Slug))})
	}
	if img := s.coverImage(a.Cover); img != nil {
		it.Enclosure = &feed.Enclosure{URL: img.AbsURL, Type: imageType(img.AbsURL), Length: s.blobSize(a.Cover),
			Width: img.Width, Height: img.Height, Caption: img.Caption, Credit: img.Credit}
	}
	return it
}

// articleTag is an article's permanent feed id, a tag: URI (RFC 4151) that
// survives slug and section changes: tag:host,created-date:article/ID.
func (s *Server) articleTag(a *jarchy.Article) string {
	day := a.CreatedAt
	if day.IsZero() {
		day = a.PublishedAt
	}
	return s.tagURI("article", day, a.ID)
}

// tagURI is a feed id of the form tag:host,day:kind/id (RFC 4151), the
// host that of the site's base URL (parsed once, in New).
func (s *Server) tagURI(kind string, day time.Time, id int64) string {
	return fmt.Sprintf("tag:%s,%s:%s/%d", s.tagHost, day.UTC().Format("2006-01-02"), kind, id)
}

// tagHostOf is the host of base for tag URIs ("jarchy" without one).
func tagHostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "jarchy"
}

// imageType guesses an image's MIME type from its URL's extension.
func imageType(u string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	if t := contentType(path.Ext(p)); t != "application/octet-stream" {
		return t
	}
	return "image/jpeg"
}

// blobSize returns the size of a cover kept in the blob store, or 0.
func (s *Server) blobSize(m *jarchy.Media) int64 {
	if s.blobs == nil || m == nil || m.URL != "" || m.Key == "" || !fs.ValidPath(m.Key) {
		return 0
	}
	st, err := fs.Stat(s.blobs, m.Key)
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	return st.Size()
}
