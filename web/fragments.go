package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
)

// The head links, the header, the menu and the footer are the same on
// every page of a language (the menu differs only in the section marked
// current), so they are rendered once per language, site change and
// variant, and inserted as HTML. The
// cache lives in the site data, which every store change drops.

// fragment returns the rendered template name ("menu", "footer"…) for p,
// from the cache of p's site data under key.
func (s *Server) fragment(p *Page, name, key string) (template.HTML, error) {
	st := p.site
	if st == nil {
		return s.execFragment(p, name)
	}
	st.mu.Lock()
	h, ok := st.fragments[name+"\x00"+key]
	st.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := s.execFragment(p, name)
	if err != nil {
		return "", err
	}
	st.mu.Lock()
	if st.fragments == nil {
		st.fragments = map[string]template.HTML{}
	}
	st.fragments[name+"\x00"+key] = h
	st.mu.Unlock()
	return h, nil
}

func (s *Server) execFragment(p *Page, name string) (template.HTML, error) {
	var buf bytes.Buffer
	// Every page set holds the layout's templates; any one renders them.
	if err := s.pages["error"].ExecuteTemplate(&buf, name, p); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil // rendered by html/template: escaped
}

// fillFragments sets p's fragments: Head, Top, Search, Menu and Footer.
func (s *Server) fillFragments(p *Page) error {
	current := ""
	for _, m := range p.Sections {
		if m.Current {
			current = m.Key
		}
	}
	var err error
	if p.Head, err = s.fragment(p, "head", ""); err != nil {
		return err
	}
	if p.Top, err = s.fragment(p, "top", ""); err != nil {
		return err
	}
	if p.Search, err = s.fragment(p, "search", ""); err != nil {
		return err
	}
	if p.Menu, err = s.fragment(p, "menu", current); err != nil {
		return err
	}
	p.Footer, err = s.fragment(p, "footer", strconv.Itoa(p.Year))
	return err
}
