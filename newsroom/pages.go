package newsroom

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
)

// pageFields maps the domain's field names of a page to the form's.
var pageFields = map[string]string{"lang": "lang", "title": "title", "slug": "slug", "body": "body"}

// pageList shows every static page, in every language.
func pageList(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	pages, err := s.store.Pages(r.Context(), "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, q.T("nr.pages.title"), pagesPage(pages, notice(q, r)))
}

// pageNew shows an empty page form in the user's language.
func pageNew(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, url.Values{"lang": {string(q.Lang)}})
	return s.render(w, r, http.StatusOK, q.T("nr.pages.new"), pageEditPage(nil, f, ""))
}

// pageEdit shows a page's form with its text rendered as the site shows it.
func pageEdit(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.store.Page(r.Context(), id)
	if err != nil {
		return err
	}
	f := newForm(q, url.Values{"lang": {string(p.Lang)}, "title": {p.Title}, "slug": {p.Slug}, "body": {p.Body}})
	return s.render(w, r, http.StatusOK, q.T("nr.pages.edit"), pageEditPage(p, f, markup.Article(p.Body)))
}

// pageSave creates (no {id}) or updates a page; "preview" renders the
// typed text through the site's markup pipeline without saving.
func pageSave(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	var old *jarchy.Page
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if old, err = s.store.Page(r.Context(), id); err != nil {
			return err
		}
	}
	f := newForm(q, r.PostForm)
	title := q.T("nr.pages.new")
	if old != nil {
		title = q.T("nr.pages.edit")
	}
	if r.PostFormValue("preview") != "" {
		return s.render(w, r, http.StatusOK, title, pageEditPage(old, f, markup.Article(jarchy.CleanText(f.Get("body")))))
	}
	p := &jarchy.Page{Title: f.Get("title"), Slug: f.Get("slug"), Body: f.Get("body")}
	if old != nil {
		p.ID = old.ID
	}
	if l, ok := jarchy.ParseLang(f.Get("lang")); ok {
		p.Lang = l
	} else {
		f.Add("lang", "err.lang")
	}
	if !f.HasErrors() {
		if err := s.store.SavePage(r.Context(), p); err != nil {
			f.Fail(err, pageFields)
		}
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, title, pageEditPage(old, f, template.HTML("")))
	}
	return redirect(w, r, Prefix+"/pages?saved=1")
}

// pageDelete removes a page.
func pageDelete(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.DeletePage(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, Prefix+"/pages?deleted=1")
}

// publicPagePath is where the site shows a static page.
func publicPagePath(p *jarchy.Page) string { return jarchy.PagePath(p.Lang, p.Slug) }
