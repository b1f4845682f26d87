package newsroom

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// sectionList shows the sections with their article counts and the form
// that adds one.
func sectionList(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return s.renderSections(w, r, q, http.StatusOK, newForm(q, nil), notice(q, r))
}

func (s *Server) renderSections(w http.ResponseWriter, r *http.Request, q *Request, status int, f *Form, note string) error {
	secs, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	counts, err := s.store.SectionArticleCounts(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, status, q.T("nr.sections.title"), sectionsPage(secs, counts, f, note))
}

// sectionCreate adds a section; a taken slug is refused (the store's
// SaveSection would update the section that has it).
func sectionCreate(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, r.PostForm)
	sec, ok := sectionFromForm(f)
	if ok {
		secs, err := s.store.Sections(r.Context())
		if err != nil {
			return err
		}
		if slices.ContainsFunc(secs, func(x jarchy.Section) bool { return x.Slug == sec.Slug }) {
			f.Add("slug", "err.slug_taken")
		} else if err := s.store.SaveSection(r.Context(), sec); err != nil {
			f.Fail(err, map[string]string{"section": "slug"})
		}
	}
	if f.HasErrors() {
		return s.renderSections(w, r, q, http.StatusUnprocessableEntity, f, "")
	}
	return redirect(w, r, Prefix+"/sections?saved=1")
}

// sectionEdit shows one section's form.
func sectionEdit(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	sec, n, err := s.section(r)
	if err != nil {
		return err
	}
	v := url.Values{"slug": {sec.Slug}, "position": {strconv.Itoa(sec.Position)}}
	for _, l := range jarchy.Langs {
		v.Set(langFieldName("name", l), sec.Names[l])
	}
	return s.render(w, r, http.StatusOK, q.T("nr.sections.edit"), sectionEditPage(sec, n, newForm(q, v)))
}

// sectionUpdate saves one section's slug, place and names.
func sectionUpdate(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	old, n, err := s.section(r)
	if err != nil {
		return err
	}
	f := newForm(q, r.PostForm)
	sec, ok := sectionFromForm(f)
	if ok {
		secs, err := s.store.Sections(r.Context())
		if err != nil {
			return err
		}
		if slices.ContainsFunc(secs, func(x jarchy.Section) bool { return x.Slug == sec.Slug && x.ID != old.ID }) {
			f.Add("slug", "err.slug_taken")
		} else {
			sec.ID = old.ID
			if err := s.store.SaveSection(r.Context(), sec); err != nil {
				f.Fail(err, map[string]string{"section": "slug"})
			}
		}
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.sections.edit"), sectionEditPage(old, n, f))
	}
	return redirect(w, r, Prefix+"/sections?saved=1")
}

// sectionDelete removes an empty section; one that holds articles is
// refused, and the list says why (with their number).
func sectionDelete(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.store.DeleteSection(r.Context(), id)
	if jarchy.ErrorCode(err) == jarchy.ECONFLICT {
		f := newForm(q, nil)
		f.Message = i18n.ErrorMessage(q.Lang, err)
		return s.renderSections(w, r, q, http.StatusConflict, f, "")
	}
	if err != nil {
		return err
	}
	return redirect(w, r, Prefix+"/sections?deleted=1")
}

// section is the section of the route's {id} and its article count.
func (s *Server) section(r *http.Request) (*jarchy.Section, int, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, 0, err
	}
	secs, err := s.store.Sections(r.Context())
	if err != nil {
		return nil, 0, err
	}
	i := slices.IndexFunc(secs, func(x jarchy.Section) bool { return x.ID == id })
	if i < 0 {
		return nil, 0, errNotFound
	}
	counts, err := s.store.SectionArticleCounts(r.Context())
	if err != nil {
		return nil, 0, err
	}
	return &secs[i], counts[id], nil
}

// sectionFromForm reads a section from the form, refusing in f what it
// can check itself (names, place, a slug to derive); the store validates
// the rest.
func sectionFromForm(f *Form) (*jarchy.Section, bool) {
	sec := &jarchy.Section{Slug: jarchy.CleanLine(f.Get("slug")), Names: map[jarchy.Lang]string{}}
	for _, l := range jarchy.Langs {
		name := jarchy.CleanLine(f.Get(langFieldName("name", l)))
		if utf8.RuneCountInString(name) > jarchy.MaxNameLen || !utf8.ValidString(name) {
			f.Add(langFieldName("name", l), "err.too_long")
		}
		if name != "" {
			sec.Names[l] = name
		}
	}
	if len(sec.Names) == 0 {
		f.Add(langFieldName("name", jarchy.DefaultLang), "nr.sections.name_required")
	}
	pos, ok := formInt(f.Get("position"))
	if !ok {
		f.Add("position", "nr.admin.number")
	}
	sec.Position = pos
	if sec.Slug == "" {
		for _, l := range jarchy.Langs {
			if sec.Slug = jarchy.Slugify(l, sec.Names[l]); sec.Slug != "" {
				break
			}
		}
		if sec.Slug == "" && len(sec.Names) > 0 {
			f.Add("slug", "err.slug")
		}
	}
	return sec, !f.HasErrors()
}
