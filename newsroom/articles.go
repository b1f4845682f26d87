package newsroom

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/jarchy/jarchy"
)

// articlesPageSize is the number of articles per page of the list.
const articlesPageSize = 30

// articlesData is the article list with its filters.
type articlesData struct {
	List     jarchy.ArticleList
	Query    url.Values // the filters as given (kept in the form and the paging links)
	Sections []jarchy.Section
	Users    []*jarchy.User
	Page     int
	Pages    int
}

// articles lists every article (authors: their own), newest first, with
// filters for status, section, language, byline author (slug) and owner,
// and paging (?page=).
func articles(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	in := r.URL.Query()
	f := jarchy.ArticleFilter{Summary: true, Limit: articlesPageSize}
	if st := jarchy.Status(in.Get("status")); st != "" {
		if !st.Valid() {
			return badRequest("status %q", st)
		}
		f.Status = st
	}
	if l := in.Get("lang"); l != "" {
		lang, ok := jarchy.ParseLang(l)
		if !ok {
			return badRequest("lang %q", l)
		}
		f.Lang = lang
	}
	var err error
	if f.SectionID, err = optionalID(in.Get("section")); err != nil {
		return err
	}
	if f.OwnerID, err = optionalID(in.Get("owner")); err != nil {
		return err
	}
	if !q.IsEditor() {
		f.OwnerID = q.User.ID
	}
	noSuchAuthor := false
	if slug := in.Get("author"); slug != "" {
		au, err := s.store.AuthorBySlug(r.Context(), slug)
		if jarchy.IsNotFound(err) {
			noSuchAuthor = true
		} else if err != nil {
			return err
		} else {
			f.AuthorID = au.ID
		}
	}
	page := 1
	if p := in.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 || page > 100000 {
			return badRequest("page %q", p)
		}
	}
	f.Offset = (page - 1) * articlesPageSize
	var list jarchy.ArticleList
	if !noSuchAuthor {
		if list, err = s.store.Articles(r.Context(), f); err != nil {
			return err
		}
	}
	sections, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	var users []*jarchy.User
	if q.IsEditor() {
		if users, err = s.store.Users(r.Context()); err != nil {
			return err
		}
	}
	d := &articlesData{List: list, Query: in, Sections: sections, Users: users, Page: page,
		Pages: max(1, (list.Total+articlesPageSize-1)/articlesPageSize)}
	return s.render(w, r, http.StatusOK, q.T("nr.nav.articles"), articlesPage(d))
}

func optionalID(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("id %q", s)
	}
	return id, nil
}

// pageURL is the list's address for another page, filters kept.
func (d *articlesData) pageURL(page int) string {
	v := url.Values{}
	for k, vs := range d.Query {
		if k != "page" {
			v[k] = vs
		}
	}
	v.Set("page", strconv.Itoa(page))
	return Prefix + "/articles?" + v.Encode()
}
