package web

import (
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// listData is the body of a section, tag or author page.
type listData struct {
	Heading string
	Intro   string // author bio: plain text
	Count   string
	Cards   []card
	Pager   *Pager
}

// renderList renders one page of a listing: path is the listing's own
// path, alt its path in every language; kind and slug name its feeds.
func (s *Server) renderList(w http.ResponseWriter, r *http.Request, st *site, lang jarchy.Lang,
	f jarchy.ArticleFilter, heading, description, path string, alt map[jarchy.Lang]string, kind, slug string) (*Page, *listData, error) {
	list, pager, page, err := s.listing(r, f, path)
	if err != nil {
		return nil, nil, err
	}
	title := heading
	self := pageURL(path, page)
	if page > 1 {
		title += i18n.Tf(lang, "paging.title_sfx", page)
		for l, u := range alt {
			alt[l] = pageURL(u, page)
		}
	}
	p := s.newPage(st, lang, title, self, alt)
	p.Description = description
	p.addFeeds(kind, slug, heading)
	if len(list.Articles) > 0 {
		p.Modified = list.Articles[0].PublishedAt
		for _, a := range list.Articles {
			if img := s.coverImage(a.Cover); img != nil {
				p.Image = img // the share picture of the listing
				break
			}
		}
	} else {
		p.Robots = "noindex" // an empty listing is no page for search engines
	}
	p.JSONLD = s.webPageLD(p, "CollectionPage")
	d := &listData{
		Heading: heading,
		Count:   i18n.Plural(lang, "count.articles", list.Total),
		Pager:   pager,
	}
	for _, a := range list.Articles {
		d.Cards = append(d.Cards, s.newCard(a, 2, false))
	}
	shown := make([]*card, len(d.Cards))
	for i := range d.Cards {
		shown[i] = &d.Cards[i]
	}
	if err := s.fillCommentCounts(r.Context(), shown); err != nil {
		return nil, nil, err
	}
	return p, d, nil
}

// samePathEverywhere maps each language to build(lang).
func samePathEverywhere(build func(jarchy.Lang) string) map[jarchy.Lang]string {
	alt := make(map[jarchy.Lang]string, len(jarchy.Langs))
	for _, l := range jarchy.Langs {
		alt[l] = build(l)
	}
	return alt
}
