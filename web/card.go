package web

import (
	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// card is what cardView renders: one article in a listing, its strings
// computed in Go.
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
	Comments    string // "3 пикир"; "" for none (fillCommentCounts)
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
