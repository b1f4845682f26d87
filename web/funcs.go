package web

import (
	"fmt"
	"html/template"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// card is what the "card" template renders: one article in a listing.
type card struct {
	A       *jarchy.Article
	Heading int // 2 or 3: the heading level in the page outline
	Image   *Image
	Big     bool
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
		"articleURL": articlePath,
		"sectionURL": func(a *jarchy.Article) string { return sectionPath(a.Lang, a.Section.Slug) },
		"sectionName": func(a *jarchy.Article) string {
			return a.Section.Name(a.Lang)
		},
		"asset": func(name string) string { return s.assets.path(name) },
		"card": func(a *jarchy.Article, heading int) card {
			return card{A: a, Heading: heading, Image: s.coverImage(a.Cover)}
		},
		"bigcard": func(a *jarchy.Article) card {
			return card{A: a, Heading: 2, Image: s.coverImage(a.Cover), Big: true}
		},
	}
}
