package web

import (
	"fmt"
	"html/template"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// card is what the "card" template renders: one article in a listing.
// Its strings are computed in Go: one template call per card instead of one
// per field keeps rendering cheap.
type card struct {
	A           *jarchy.Article
	Heading     int // 2 or 3: the heading level in the page outline
	Image       *Image
	Big         bool
	URL         string
	SectionURL  string
	SectionName string
	ISO         string // publication time for <time datetime>
	Date        string // publication day as readers read it
}

func (s *Server) newCard(a *jarchy.Article, heading int, big bool) card {
	return card{
		A: a, Heading: heading, Image: s.coverImage(a.Cover), Big: big,
		URL:         articlePath(a),
		SectionURL:  sectionPath(a.Lang, a.Section.Slug),
		SectionName: a.Section.Name(a.Lang),
		ISO:         i18n.ISODate(a.PublishedAt),
		Date:        i18n.FormatDate(a.Lang, a.PublishedAt),
	}
}

// funcs are the template functions. Every UI string goes through t, tf or
// plural with a key that i18n's tests check.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"t":        i18n.T,
		"tf":       i18n.Tf,
		"plural":   i18n.Plural,
		"date":     i18n.FormatDate,
		"datetime": i18n.FormatDateTime,
		"iso":      i18n.ISODate,
		"locale": func(l any) string {
			code, _ := jarchy.ParseLang(fmt.Sprint(l))
			return i18n.Locale(code)
		},
		"asset":   func(name string) string { return s.assets.path(name) },
		"card":    func(a *jarchy.Article, heading int) card { return s.newCard(a, heading, false) },
		"bigcard": func(a *jarchy.Article) card { return s.newCard(a, 2, true) },
	}
}
