package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/jarchy/jarchy"
)

// maxPage bounds ?page=N so that an offset stays cheap for the store.
const maxPage = 10000

// queryValues parses the query strictly: a malformed query is a 400 rather
// than being half-read.
func queryValues(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("malformed query: %v", err)
	}
	return q, nil
}

// pageNumber reads ?page=N (default 1). Anything but one integer in
// 1..maxPage is a 400.
func pageNumber(r *http.Request) (int, error) {
	q, err := queryValues(r)
	if err != nil {
		return 0, err
	}
	vals, ok := q["page"]
	if !ok {
		return 1, nil
	}
	if len(vals) != 1 {
		return 0, badRequest("page given %d times", len(vals))
	}
	n, err := strconv.Atoi(vals[0])
	if err != nil || n < 1 || n > maxPage {
		return 0, badRequest("bad page %q", vals[0])
	}
	return n, nil
}

// Pager links the pages of a listing.
type Pager struct {
	Lang        jarchy.Lang
	Page, Pages int
	Prev, Next  string
}

// listing loads one page of articles for a listing at path (whose query
// holds only ?page=N). A page past the end is a 404, except page 1.
func (s *Server) listing(r *http.Request, f jarchy.ArticleFilter, path string) (jarchy.ArticleList, *Pager, int, error) {
	page, err := pageNumber(r)
	if err != nil {
		return jarchy.ArticleList{}, nil, 0, err
	}
	f.PublicOnly, f.Summary = true, true
	f.Limit = s.cfg.PageSize
	f.Offset = (page - 1) * s.cfg.PageSize
	list, err := s.store.Articles(r.Context(), f)
	if err != nil {
		return list, nil, 0, err
	}
	if page > 1 && len(list.Articles) == 0 {
		return list, nil, 0, errNotFound
	}
	pages := (list.Total + s.cfg.PageSize - 1) / s.cfg.PageSize
	if pages < 1 {
		pages = 1
	}
	pg := &Pager{Lang: f.Lang, Page: page, Pages: pages}
	if page > 1 {
		pg.Prev = pageURL(path, page-1)
	}
	if page < pages {
		pg.Next = pageURL(path, page+1)
	}
	return list, pg, page, nil
}

// pageURL is the URL of page n of a listing at path.
func pageURL(path string, n int) string {
	if n <= 1 {
		return path
	}
	return path + "?page=" + strconv.Itoa(n)
}
