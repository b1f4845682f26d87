package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jarchy/jarchy"
)

// The read-only JSON API (documented in the README). Errors are JSON too:
// {"error": "..."} with 400, 404 or 500; a malformed parameter is always a
// 400, never a 500.

const (
	apiDefaultLimit = 20
	apiMaxLimit     = 100
	apiMaxParamLen  = 300
)

// apiArticle is an article as the API returns it.
type apiArticle struct {
	ID           int64            `json:"id"`
	ExternalID   string           `json:"external_id"`
	Lang         string           `json:"lang"`
	URL          string           `json:"url"`
	Title        string           `json:"title"`
	Slug         string           `json:"slug"`
	Lead         string           `json:"lead"`
	BodyHTML     string           `json:"body_html"`
	Section      apiRef           `json:"section"`
	Tags         []apiRef         `json:"tags"`
	Authors      []apiRef         `json:"authors"`
	Cover        *apiCover        `json:"cover"`
	PublishedAt  string           `json:"published_at"`
	UpdatedAt    string           `json:"updated_at"`
	Translations []apiTranslation `json:"translations"`
}

type apiRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiCover struct {
	URL     string `json:"url"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	Alt     string `json:"alt"`
}

type apiTranslation struct {
	Lang string `json:"lang"`
	URL  string `json:"url"`
}

type apiList struct {
	Articles []apiArticle `json:"articles"`
	// Next is the before= value of the next page; null on the last page.
	Next *string `json:"next"`
}

// apiError is an error with the status and message the client gets.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func apiBad(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// apiArticles serves GET /api/v1/articles?lang=&section=&tag=&author=&limit=&before=.
func apiArticles(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	s.apiServe(w, r, func(ctx context.Context) (any, error) {
		f, err := s.apiFilter(ctx, r)
		if err != nil {
			return nil, err
		}
		limit := f.Limit
		f.Limit = limit + 1 // one more tells whether there is a next page
		f.PublicOnly = true
		list, err := s.store.Articles(ctx, f)
		if err != nil {
			return nil, err
		}
		if len(list.Articles) == limit && list.Total > limit {
			// The store caps a listing at 100: fetch the one more apart.
			more := f
			more.Offset, more.Limit = limit, 1
			extra, err := s.store.Articles(ctx, more)
			if err != nil {
				return nil, err
			}
			list.Articles = append(list.Articles, extra.Articles...)
		}
		page, next, tied := cursorPage(list.Articles, limit)
		if tied {
			// More than a page of articles share one microsecond: return
			// them all, so that before=next loses none.
			rest, err := s.restOfInstant(ctx, f, next, len(page))
			if err != nil {
				return nil, err
			}
			page = append(page, rest...)
		}
		out := apiList{Articles: make([]apiArticle, 0, len(page))}
		for _, a := range page {
			out.Articles = append(out.Articles, s.apiArticle(a))
		}
		if !next.IsZero() {
			c := next.UTC().Format(time.RFC3339Nano)
			out.Next = &c
		}
		return out, nil
	})
	return nil
}

// cursorPage cuts up to limit+1 articles (newest first) to a page of at
// most limit and returns the before= cursor of the next page (zero when
// there is none). The cursor is a microsecond boundary: articles sharing
// the last article's microsecond are moved to the next page rather than
// lost. When the whole page shares one microsecond and more articles of it
// follow, tied is set and the caller adds the rest of that microsecond.
func cursorPage(as []*jarchy.Article, limit int) (page []*jarchy.Article, next time.Time, tied bool) {
	if len(as) <= limit {
		return as, time.Time{}, false
	}
	page, extra := as[:limit], as[limit]
	boundary := page[limit-1].PublishedAt.Truncate(time.Microsecond)
	if extra.PublishedAt.Before(boundary) {
		return page, boundary, false
	}
	// The extra article shares the last one's microsecond: end the page
	// before that microsecond and start the next page at its end.
	after := boundary.Add(time.Microsecond)
	cut := limit
	for cut > 0 && page[cut-1].PublishedAt.Before(after) {
		cut--
	}
	if cut == 0 {
		return page, boundary, true
	}
	return page[:cut], after, false
}

// apiMaxTied bounds the articles of one microsecond added to a page.
const apiMaxTied = 1000

// restOfInstant returns the articles matching f published in the
// microsecond starting at instant, after the first skip of them.
func (s *Server) restOfInstant(ctx context.Context, f jarchy.ArticleFilter, instant time.Time, skip int) ([]*jarchy.Article, error) {
	f.Since, f.Before, f.Offset = instant, instant.Add(time.Microsecond), skip
	var out []*jarchy.Article
	for len(out) < apiMaxTied {
		f.Limit = min(apiMaxLimit, apiMaxTied-len(out))
		list, err := s.store.Articles(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, list.Articles...)
		if len(list.Articles) < f.Limit {
			break
		}
		f.Offset += len(list.Articles)
	}
	return out, nil
}

// apiFilter validates the list parameters into a filter.
func (s *Server) apiFilter(ctx context.Context, r *http.Request) (jarchy.ArticleFilter, error) {
	f := jarchy.ArticleFilter{Limit: apiDefaultLimit}
	q, err := queryValues(r)
	if err != nil {
		return f, apiBad("malformed query string")
	}
	get := func(name string) (string, error) {
		vals := q[name]
		switch {
		case len(vals) > 1:
			return "", apiBad("%s: given %d times", name, len(vals))
		case len(vals) == 0:
			return "", nil
		case len(vals[0]) > apiMaxParamLen:
			return "", apiBad("%s: longer than %d bytes", name, apiMaxParamLen)
		}
		return vals[0], nil
	}
	if v, err := get("lang"); err != nil {
		return f, err
	} else if v != "" {
		l, ok := jarchy.ParseLang(v)
		if !ok {
			return f, apiBad("lang: unknown language %q (ky, ru, en)", v)
		}
		f.Lang = l
	}
	if v, err := get("section"); err != nil {
		return f, err
	} else if v != "" {
		sec, err := s.sectionBySlug(ctx, v)
		if err != nil {
			if statusOf(err) == http.StatusNotFound {
				return f, apiBad("section: unknown section %q", v)
			}
			return f, err
		}
		f.SectionID = sec.ID
	}
	if v, err := get("tag"); err != nil {
		return f, err
	} else if v != "" {
		t, err := s.store.TagBySlug(ctx, v)
		if err != nil {
			if jarchy.IsNotFound(err) || jarchy.ErrorCode(err) == jarchy.EINVALID {
				return f, apiBad("tag: unknown tag %q", v)
			}
			return f, err
		}
		f.TagID = t.ID
	}
	if v, err := get("author"); err != nil {
		return f, err
	} else if v != "" {
		a, err := s.store.AuthorBySlug(ctx, v)
		if err != nil {
			if jarchy.IsNotFound(err) || jarchy.ErrorCode(err) == jarchy.EINVALID {
				return f, apiBad("author: unknown author %q", v)
			}
			return f, err
		}
		f.AuthorID = a.ID
	}
	if v, err := get("limit"); err != nil {
		return f, err
	} else if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxLimit {
			return f, apiBad("limit: want an integer from 1 to %d, got %q", apiMaxLimit, v)
		}
		f.Limit = n
	}
	if v, err := get("before"); err != nil {
		return f, err
	} else if v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return f, apiBad("before: want an RFC 3339 time such as 2026-11-27T08:30:00Z, got %q", v)
		}
		if t.Year() < 1970 {
			return f, apiBad("before: %q is before 1970", v)
		}
		f.Before = t.UTC()
	}
	return f, nil
}

// apiArticleByID serves GET /api/v1/articles/{id}: one public article.
func apiArticleByID(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	s.apiServe(w, r, func(ctx context.Context) (any, error) {
		a, err := s.apiPublicArticle(ctx, r)
		if err != nil {
			return nil, err
		}
		return s.apiArticle(a), nil
	})
	return nil
}

// apiPublicArticle is the public article the path's {id} names: a 400
// for an id that is not a positive decimal, a 404 for one that names no
// public article.
func (s *Server) apiPublicArticle(ctx context.Context, r *http.Request) (*jarchy.Article, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, apiBad("id: want a positive integer, got %q", truncate(r.PathValue("id"), 40))
	}
	a, err := s.store.Article(ctx, id)
	if jarchy.IsNotFound(err) || (err == nil && !a.IsPublic(s.now())) {
		return nil, &apiError{status: http.StatusNotFound, msg: "article not found"}
	}
	return a, err
}

// apiArticle converts an article, with its public translations.
func (s *Server) apiArticle(a *jarchy.Article) apiArticle {
	out := apiArticle{
		ID:           a.ID,
		ExternalID:   a.ExternalID,
		Lang:         string(a.Lang),
		URL:          s.abs(articlePath(a)),
		Title:        a.Title,
		Slug:         a.Slug,
		Lead:         a.Lead,
		BodyHTML:     string(articleBody(a)),
		Section:      apiRef{Slug: a.Section.Slug, Name: a.Section.Name(a.Lang)},
		Tags:         make([]apiRef, 0, len(a.Tags)),
		Authors:      make([]apiRef, 0, len(a.Authors)),
		PublishedAt:  a.PublishedAt.UTC().Format(time.RFC3339Nano),
		UpdatedAt:    a.UpdatedAt.UTC().Format(time.RFC3339Nano),
		Translations: []apiTranslation{},
	}
	for _, t := range a.Tags {
		out.Tags = append(out.Tags, apiRef{Slug: t.Slug, Name: t.Name})
	}
	for _, au := range a.Authors {
		out.Authors = append(out.Authors, apiRef{Slug: au.Slug, Name: au.Name})
	}
	if img := s.coverImage(a.Cover); img != nil {
		out.Cover = &apiCover{URL: img.AbsURL, Caption: img.Caption, Credit: img.Credit, Alt: img.Alt}
	}
	paths := s.translationPaths(a, a.Translations)
	for _, l := range jarchy.Langs {
		if p, ok := paths[l]; ok && l != a.Lang {
			out.Translations = append(out.Translations, apiTranslation{Lang: string(l), URL: s.abs(p)})
		}
	}
	return out
}

// apiServe runs fn and writes its result or error as JSON.
func (s *Server) apiServe(w http.ResponseWriter, r *http.Request, fn func(context.Context) (any, error)) {
	v, err := fn(r.Context())
	status := http.StatusOK
	if err != nil {
		var ae *apiError
		switch {
		case errors.As(err, &ae):
			status, v = ae.status, map[string]string{"error": ae.msg}
		case errors.Is(err, context.Canceled):
			return
		case jarchy.ErrorCode(err) == jarchy.EINVALID:
			status, v = http.StatusBadRequest, map[string]string{"error": jarchy.ErrorMessage(err)}
		case jarchy.IsNotFound(err):
			status, v = http.StatusNotFound, map[string]string{"error": "not found"}
		default:
			s.log.Error("api failed", "path", r.URL.Path, "query", truncate(r.URL.RawQuery, 200), "err", err)
			status, v = http.StatusInternalServerError, map[string]string{"error": "internal error"}
		}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.log.Error("api encode", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error"}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if status >= 500 {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// truncate cuts s to at most n bytes for logs and messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// apiNotFound answers unknown /api/ paths in JSON.
func apiNotFound(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	s.apiServe(w, r, func(context.Context) (any, error) {
		return nil, &apiError{status: http.StatusNotFound, msg: "no such API endpoint"}
	})
	return nil
}
