package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// articleData is the body of an article page.
type articleData struct {
	A           *jarchy.Article
	SectionName string
	SectionURL  string
	Body        template.HTML
	Cover       *Image
	Credit      string // the credit line as printed: "Сүрөт: Name"
	Authors     []MenuLink
	Tags        []MenuLink
	Updated     time.Time // zero unless the article changed after publication
	Share       []MenuLink
	Related     []card
	Comments    *commentsView
}

const relatedCount = 4

// article renders /{lang}/{section}/{slug}. Drafts, unpublished and
// future-scheduled articles are 404; an old slug or a wrong section segment
// gets a 301 to the canonical URL.
func article(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	if _, err := queryValues(r); err != nil {
		return err
	}
	ctx := r.Context()
	secSlug, slug := r.PathValue("section"), r.PathValue("slug")
	if reservedSlugs[secSlug] {
		return errNotFound
	}
	a, err := s.store.ArticleBySlug(ctx, lang, slug)
	if err != nil {
		return err
	}
	if a.Lang != lang || !a.IsPublic(s.now()) {
		return errNotFound
	}
	canonical := articlePath(a)
	if a.Slug != slug || a.Section.Slug != secSlug {
		http.Redirect(w, r, canonical, http.StatusMovedPermanently)
		return nil
	}

	alt := s.translationPaths(a, a.Translations)
	related, err := s.store.RelatedArticles(ctx, a, relatedCount)
	if err != nil {
		return err
	}
	st, err := s.loadSite(ctx, lang)
	if err != nil {
		return err
	}

	p := s.newPage(st, lang, a.Title, canonical, alt)
	p.markCurrent(a.Section.Slug)
	p.OGType = "article"
	p.Description = a.Lead
	if p.Description == "" {
		p.Description = a.Body
	}
	if a.SEODescription != "" {
		p.Description = a.SEODescription
	}
	if a.SEOTitle != "" {
		p.FullTitle = a.SEOTitle + " — " + p.SiteName
	}
	p.Description = describe(p.Description)
	p.Image = s.coverImage(a.Cover)
	p.Published = a.PublishedAt
	p.Modified = a.PublishedAt
	d := &articleData{
		A:           a,
		SectionName: a.Section.Name(lang),
		SectionURL:  sectionPath(lang, a.Section.Slug),
		Body:        articleBody(a),
		Cover:       p.Image,
		Credit:      creditLine(lang, p.Image),
	}
	if edited(a) {
		d.Updated = a.UpdatedAt
		p.Modified = a.UpdatedAt
	}
	// A correction is a public change of the article, however soon.
	if last := a.LastCorrection(); last.After(p.Modified) {
		p.Modified = last
		if last.After(d.Updated) {
			d.Updated = last
		}
	}
	meta := &ArticleMeta{Section: d.SectionName}
	for _, au := range a.Authors {
		d.Authors = append(d.Authors, MenuLink{Key: au.Slug, Name: au.Name, URL: authorPath(lang, au.Slug)})
		meta.Authors = append(meta.Authors, s.abs(authorPath(lang, au.Slug)))
	}
	for _, t := range a.Tags {
		d.Tags = append(d.Tags, MenuLink{Key: t.Slug, Name: t.Name, URL: tagPath(lang, t.Slug)})
		meta.Tags = append(meta.Tags, t.Name)
	}
	p.ArticleMeta = meta
	d.Share = shareLinks(lang, p.Canonical, a.Title)
	p.JSONLD = s.articleLD(p, a, d)
	for _, ra := range related {
		d.Related = append(d.Related, s.newCard(ra, 3, false))
	}
	if d.Comments, err = s.commentsSection(ctx, a, st.comments); err != nil {
		return err
	}
	if d.Comments.Open {
		p.Script, p.ScriptIntegrity = s.assets.path("comments.js"), commentsScriptIntegrity
	}
	return s.render(w, r, http.StatusOK, p, articleContent(p, d))
}

// edited reports whether the article changed after it was published. An
// import of an old story is created (and updated) long after its
// publication date; only a change after both counts as an update.
func edited(a *jarchy.Article) bool {
	since := a.PublishedAt
	if a.CreatedAt.After(since) {
		since = a.CreatedAt
	}
	return a.UpdatedAt.Sub(since) > 10*time.Minute
}

// shareLinks are plain links to the networks' share pages (no script).
func shareLinks(lang jarchy.Lang, pageURL, title string) []MenuLink {
	u, t := url.QueryEscape(pageURL), url.QueryEscape(title)
	return []MenuLink{
		{Key: "x", Name: i18n.T(lang, "share.x"), URL: "https://x.com/intent/post?url=" + u + "&text=" + t},
		{Key: "facebook", Name: i18n.T(lang, "share.facebook"), URL: "https://www.facebook.com/sharer/sharer.php?u=" + u},
		{Key: "telegram", Name: i18n.T(lang, "share.telegram"), URL: "https://t.me/share/url?url=" + u + "&text=" + t},
		{Key: "whatsapp", Name: i18n.T(lang, "share.whatsapp"), URL: "https://wa.me/?text=" + url.QueryEscape(title+" "+pageURL)},
	}
}

// articleLD is the NewsArticle JSON-LD of an article page.
func (s *Server) articleLD(p *Page, a *jarchy.Article, d *articleData) string {
	ld := ldNewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         a.Title,
		Description:      p.Description,
		DatePublished:    i18n.ISODate(p.Published),
		DateModified:     i18n.ISODate(p.Modified),
		Publisher:        s.publisher(p),
		MainEntityOfPage: p.Canonical,
		InLanguage:       string(a.Lang),
		ArticleSection:   d.SectionName,
	}
	if p.Image != nil {
		ld.Image = []ldImage{imageLD(p.Image)}
	}
	for _, au := range a.Authors {
		ld.Author = append(ld.Author, ldThing{Type: "Person", Name: au.Name, URL: s.abs(authorPath(a.Lang, au.Slug))})
	}
	if len(ld.Author) == 0 {
		ld.Author = []ldThing{{Type: "Organization", Name: p.SiteName, URL: s.abs(homePath(a.Lang))}}
	}
	for _, t := range a.Tags {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	for _, c := range a.Corrections {
		ld.Correction = append(ld.Correction, ldCorrection{Type: "CorrectionComment", Text: c.Text, DatePublished: i18n.ISODate(c.At)})
	}
	return jsonLD(ld)
}
