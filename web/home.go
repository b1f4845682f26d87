package web

import (
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// homeData is the body of the home page.
type homeData struct {
	Lead   *card
	Latest []card
	Blocks []sectionBlock
}

// sectionBlock is the block of one section on the home page.
type sectionBlock struct {
	Name     string
	URL      string
	AllLabel string
	Cards    []card
}

const (
	homeLatest     = 10 // articles under the lead story
	homePerSection = 4
)

// home renders /{lang}/: the lead story, the latest articles and a block
// for each section.
func home(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	if _, err := queryValues(r); err != nil {
		return err
	}
	ctx := r.Context()
	st, err := s.loadSite(ctx, lang)
	if err != nil {
		return err
	}
	latest, err := s.store.Articles(ctx, jarchy.ArticleFilter{Lang: lang, PublicOnly: true, Summary: true, NoTotal: true, Limit: homeLatest + 1})
	if err != nil {
		return err
	}
	d := homeData{}
	shown := map[int64]bool{}
	if arts := latest.Articles; len(arts) > 0 {
		// The lead story is the newest article with a photo, else the newest.
		lead := 0
		for i, a := range arts {
			if a.Cover != nil {
				lead = i
				break
			}
		}
		leadCard := s.newCard(arts[lead], 2, true)
		d.Lead = &leadCard
		for i, a := range arts {
			if i != lead && len(d.Latest) < homeLatest {
				d.Latest = append(d.Latest, s.newCard(a, 3, false))
			}
		}
		for _, a := range arts {
			shown[a.ID] = true
		}
	}
	for _, sec := range st.sections {
		list, err := s.store.Articles(ctx, jarchy.ArticleFilter{Lang: lang, SectionID: sec.ID, PublicOnly: true, Summary: true, NoTotal: true,
			Limit: homePerSection + 4})
		if err != nil {
			return err
		}
		b := sectionBlock{Name: sec.Name(lang), URL: sectionPath(lang, sec.Slug)}
		b.AllLabel = i18n.Tf(lang, "home.section_all", b.Name)
		var picked []*jarchy.Article
		for _, a := range list.Articles {
			if !shown[a.ID] && len(picked) < homePerSection {
				picked = append(picked, a)
			}
		}
		if len(picked) == 0 {
			picked = list.Articles[:min(homePerSection, len(list.Articles))]
		}
		for _, a := range picked {
			b.Cards = append(b.Cards, s.newCard(a, 3, false))
		}
		if len(b.Cards) > 0 {
			d.Blocks = append(d.Blocks, b)
		}
	}

	var shownCards []*card
	if d.Lead != nil {
		shownCards = append(shownCards, d.Lead)
	}
	for i := range d.Latest {
		shownCards = append(shownCards, &d.Latest[i])
	}
	for i := range d.Blocks {
		for j := range d.Blocks[i].Cards {
			shownCards = append(shownCards, &d.Blocks[i].Cards[j])
		}
	}
	if err := s.fillCommentCounts(ctx, shownCards); err != nil {
		return err
	}

	alt := map[jarchy.Lang]string{}
	for _, l := range jarchy.Langs {
		alt[l] = homePath(l)
	}
	p := s.newPage(st, lang, "", homePath(lang), alt)
	p.Description = i18n.T(lang, "site.tagline")
	if d.Lead != nil {
		p.Image = d.Lead.Image
		p.Modified = d.Lead.A.PublishedAt
	}
	p.JSONLD = s.webPageLD(p, "WebSite")
	return s.render(w, r, http.StatusOK, p, homeContent(p, &d))
}
