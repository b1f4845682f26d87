package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
	"github.com/jarchy/jarchy/markup"
)

// Page is what the layout renders: the head metadata shared by every page
// type, the header and footer, and the page's own Data.
type Page struct {
	Lang        jarchy.Lang
	SiteName    string
	Title       string // the page's own title (og:title, h1)
	FullTitle   string // <title>: page title and site name
	Description string
	Canonical   string // absolute URL; empty on error pages
	Robots      string // "noindex" on error and search pages
	Alternates  []Link // hreflang alternates, x-default last
	Langs       []LangLink
	Sections    []MenuLink
	Social      []MenuLink
	Telegram    string // Telegram channel URL, when set
	Breaking    *BreakingLink
	StaticPages []MenuLink
	Feeds       []FeedLink
	OGType      string // website or article
	Image       *Image
	Published   time.Time
	Modified    time.Time
	ArticleMeta *ArticleMeta
	TwitterSite string // @handle from the X profile URL
	JSONLD      string // JSON, HTML-safe (see jsonLD)
	Year        int
	Stylesheet  string // fingerprinted asset paths
	Icon        string
	// Script is the one script a page may load (the comment form's), with
	// its Subresource Integrity: the CSP allows that hash and nothing else.
	Script          string
	ScriptIntegrity string
}

// BreakingLink is the breaking-news banner: the article's title and URL,
// and its language when it is not the page's.
type BreakingLink struct {
	Title string
	URL   string
	Lang  string // "" when the page's language
}

// breakingLink returns the banner of a page in lang at now: the latest
// flagged article still breaking, in lang if there is one, or nil.
func breakingLink(list []*jarchy.Article, lang jarchy.Lang, now time.Time) *BreakingLink {
	var pick *jarchy.Article
	for _, a := range list {
		if !a.IsBreaking(now) {
			continue
		}
		if a.Lang == lang {
			pick = a
			break
		}
		if pick == nil {
			pick = a
		}
	}
	if pick == nil {
		return nil
	}
	b := &BreakingLink{Title: pick.Title, URL: articlePath(pick)}
	if pick.Lang != lang {
		b.Lang = string(pick.Lang)
	}
	return b
}

// Link is an alternate URL in one language (hreflang).
type Link struct {
	Lang string // language code or "x-default"
	URL  string
}

// LangLink is one entry of the language switcher.
type LangLink struct {
	Lang    jarchy.Lang
	Name    string
	URL     string
	Current bool
}

// MenuLink is a named link; Current marks the page being shown.
type MenuLink struct {
	Key     string
	Name    string
	URL     string
	Current bool
}

// FeedLink is a feed offered for autodiscovery.
type FeedLink struct {
	Type  string
	Title string
	URL   string
}

// Image is a picture ready for an <img> or og:image.
type Image struct {
	URL     string // as the page links it (relative for local media): src
	AbsURL  string
	Alt     string
	Caption string
	Credit  string // as stored
	Width   int    // of the original: the <img> width and height give the aspect ratio
	Height  int
	// SrcSet lists the stored variants and the original with their widths
	// ("/media/a-320.jpg 320w, …"); "" when there are none.
	SrcSet string
	// OG is the picture for og:image and feeds' enclosures: the 1200×630
	// crop when one was made, else the original.
	OG ImageFile
}

// ImageFile is one stored file of a picture.
type ImageFile struct {
	AbsURL        string
	Width, Height int
}

// coverSizes is the sizes attribute of cover images: the column is at
// most 46rem wide, the whole viewport on phones.
const coverSizes = "(max-width: 46rem) 100vw, 46rem"

// cardSizes is the sizes attribute of listing cards' images.
const cardSizes = "(max-width: 40rem) 100vw, 20rem"

// ArticleMeta holds the Open Graph article:* properties.
type ArticleMeta struct {
	Section string
	Tags    []string
	Authors []string
}

// site is the per-request site data: settings, menu, static pages.
type site struct {
	settings jarchy.Settings
	sections []jarchy.Section
	pages    []*jarchy.Page
	breaking []*jarchy.Article // flagged when loaded; newPage checks the time
	comments jarchy.CommentSettings
}

// loadSite returns the site data for lang from memory, loading it from the
// store after any change. The store's Subscribe reports every committed
// write (of this process at once, of others shortly after), so settings,
// the menu and the static pages cost no query per request.
func (s *Server) loadSite(ctx context.Context, lang jarchy.Lang) (*site, error) {
	dependOn(ctx, jarchy.TopicSite)
	s.siteMu.Lock()
	st, gen := s.siteByLang[lang], s.siteGen
	s.siteMu.Unlock()
	if st != nil {
		return st, nil
	}
	// After a change, concurrent requests share one load per language.
	v, err, _ := s.siteLoads.Do(string(lang)+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
		st, err := s.fetchSite(context.WithoutCancel(ctx), lang)
		if err != nil {
			return nil, err
		}
		s.siteMu.Lock()
		if s.siteGen == gen { // no write happened while loading
			s.siteByLang[lang] = st
		}
		s.siteMu.Unlock()
		return st, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*site), nil
}

// forgetSite drops the cached site data; the store calls it after writes
// that touch the site topic.
func (s *Server) forgetSite() {
	s.siteMu.Lock()
	s.siteGen++
	clear(s.siteByLang)
	s.siteMu.Unlock()
}

func (s *Server) fetchSite(ctx context.Context, lang jarchy.Lang) (*site, error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("load settings: %w", err)
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, fmt.Errorf("load sections: %w", err)
	}
	pages, err := s.store.Pages(ctx, lang)
	if err != nil {
		return nil, fmt.Errorf("load pages: %w", err)
	}
	breaking, err := s.store.BreakingNews(ctx)
	if err != nil {
		return nil, fmt.Errorf("load breaking news: %w", err)
	}
	cs, err := s.store.CommentSettings(ctx)
	if err != nil {
		return nil, fmt.Errorf("load comment settings: %w", err)
	}
	return &site{settings: st, sections: secs, pages: pages, breaking: breaking, comments: cs}, nil
}

// newPage fills the parts of a Page every page type shares. path is the
// page's own path (for the canonical URL); alt maps each language to the
// path of the same page in it (missing languages lead to their home).
func (s *Server) newPage(st *site, lang jarchy.Lang, title, path string, alt map[jarchy.Lang]string) *Page {
	p := &Page{
		Stylesheet: s.assets.path("site.css"),
		Icon:       s.assets.path("favicon.svg"),
		Lang:       lang,
		SiteName:   s.siteName(st.settings, lang),
		Title:      title,
		OGType:     "website",
		Year:       s.now().In(i18n.Zone).Year(),
	}
	if title == "" || title == p.SiteName {
		p.Title = p.SiteName
		p.FullTitle = p.SiteName
	} else {
		p.FullTitle = title + " — " + p.SiteName
	}
	if path != "" {
		p.Canonical = s.abs(path)
	}
	for _, l := range jarchy.Langs {
		target, ok := alt[l]
		if ok && path != "" {
			p.Alternates = append(p.Alternates, Link{Lang: string(l), URL: s.abs(target)})
		}
		if !ok {
			target = homePath(l)
		}
		if l == lang && path != "" {
			target = path
		}
		p.Langs = append(p.Langs, LangLink{Lang: l, Name: i18n.LangName(l), URL: target, Current: l == lang})
	}
	if def, ok := alt[jarchy.DefaultLang]; ok && path != "" {
		p.Alternates = append(p.Alternates, Link{Lang: "x-default", URL: s.abs(def)})
	} else if path != "" && len(p.Alternates) > 0 {
		p.Alternates = append(p.Alternates, Link{Lang: "x-default", URL: s.abs(path)})
	}
	for _, sec := range st.sections {
		p.Sections = append(p.Sections, MenuLink{Key: sec.Slug, Name: sec.Name(lang), URL: sectionPath(lang, sec.Slug)})
	}
	for _, n := range jarchy.SocialNetworks {
		u := strings.TrimSpace(st.settings.Social[n])
		if !safeURL(u) {
			continue
		}
		p.Social = append(p.Social, MenuLink{Key: n, Name: i18n.T(lang, "social."+n), URL: u})
		switch n {
		case "telegram":
			p.Telegram = u
		case "x":
			p.TwitterSite = twitterHandle(u)
		}
	}
	if p.Telegram == "" && st.settings.TelegramURL() != "" { // the channel, when no Telegram link is set
		p.Telegram = st.settings.TelegramURL()
		p.Social = append(p.Social, MenuLink{Key: "telegram", Name: i18n.T(lang, "social.telegram"), URL: p.Telegram})
	}
	p.Breaking = breakingLink(st.breaking, lang, s.now())
	for _, pg := range st.pages {
		p.StaticPages = append(p.StaticPages, MenuLink{Key: pg.Slug, Name: pg.Title, URL: staticPath(lang, pg.Slug)})
	}
	p.Feeds = feedLinks(lang, p.SiteName)
	return p
}

// markCurrent marks the menu entry for the section being shown.
func (p *Page) markCurrent(sectionSlug string) {
	for i := range p.Sections {
		p.Sections[i].Current = p.Sections[i].Key == sectionSlug
	}
}

// feedFormats are the feed files every feed URL offers.
var feedFormats = []struct{ file, mime, key string }{
	{"rss.xml", "application/rss+xml", "feed.rss"},
	{"atom.xml", "application/atom+xml", "feed.atom"},
	{"feed.json", "application/feed+json", "feed.json"},
}

// feedLinks returns the site feeds of lang, named after the site.
func feedLinks(lang jarchy.Lang, name string) []FeedLink {
	var links []FeedLink
	for _, f := range feedFormats {
		links = append(links, FeedLink{Type: f.mime, Title: i18n.Tf(lang, "feed.title", name, i18n.T(lang, f.key)), URL: "/" + string(lang) + "/feed/" + f.file})
	}
	return links
}

// addFeeds adds the feeds of one section, tag or author before the site feeds.
func (p *Page) addFeeds(kind, slug, name string) {
	var links []FeedLink
	for _, f := range feedFormats {
		links = append(links, FeedLink{
			Type:  f.mime,
			Title: i18n.Tf(p.Lang, "feed.title", name, i18n.T(p.Lang, f.key)),
			URL:   "/" + string(p.Lang) + "/feed/" + kind + "/" + url.PathEscape(slug) + "/" + f.file,
		})
	}
	p.Feeds = append(links, p.Feeds...)
}

// URL paths. Slugs are Latin, but stored data is hostile: escape anyway.
func homePath(l jarchy.Lang) string { return "/" + string(l) + "/" }
func sectionPath(l jarchy.Lang, slug string) string {
	return "/" + string(l) + "/" + url.PathEscape(slug) + "/"
}
func articlePath(a *jarchy.Article) string { return jarchy.ArticlePath(a) }

// coverAlt is the alt text of a cover: its alt, else its caption.
func coverAlt(img *Image) string {
	if img.Alt != "" {
		return img.Alt
	}
	return img.Caption
}

// localeOf is the Open Graph locale of a language code.
func localeOf(code string) string {
	l, _ := jarchy.ParseLang(code)
	return i18n.Locale(l)
}

// articleBody is a's body as HTML: the store's rendering, made by
// markup.Article when the article was saved, or rendered now when the store
// has none from the current renderer.
func articleBody(a *jarchy.Article) template.HTML {
	if a.BodyHTML != "" {
		return template.HTML(a.BodyHTML) //nolint:gosec // sanitised by markup.Article at save time
	}
	return markup.Article(a.Body)
}

func translationPath(t jarchy.Translation) string {
	return "/" + string(t.Lang) + "/" + url.PathEscape(t.SectionSlug) + "/" + url.PathEscape(t.Slug)
}
func tagPath(l jarchy.Lang, slug string) string {
	return "/" + string(l) + "/tag/" + url.PathEscape(slug)
}
func authorPath(l jarchy.Lang, slug string) string {
	return "/" + string(l) + "/author/" + url.PathEscape(slug)
}
func staticPath(l jarchy.Lang, slug string) string { return jarchy.PagePath(l, slug) }

// abs makes a site path absolute with the configured base URL.
func (s *Server) abs(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return s.cfg.BaseURL + path
}

// safeURL accepts only absolute http(s) URLs for links from settings.
func safeURL(u string) bool {
	if u == "" || len(u) > jarchy.MaxURLLen || !utf8.ValidString(u) {
		return false
	}
	pu, err := url.Parse(u)
	return err == nil && (pu.Scheme == "https" || pu.Scheme == "http") && pu.Host != ""
}

// twitterHandle returns "@name" for an x.com or twitter.com profile URL.
func twitterHandle(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(pu.Hostname(), "www.")
	if host != "x.com" && host != "twitter.com" {
		return ""
	}
	name := strings.Trim(pu.Path, "/")
	if name == "" || strings.Contains(name, "/") {
		return ""
	}
	return "@" + name
}

// coverImage turns an article's cover into an Image, or nil.
func (s *Server) coverImage(m *jarchy.Media) *Image {
	if m == nil {
		return nil
	}
	img := &Image{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, Width: m.Width, Height: m.Height}
	switch {
	case m.URL != "":
		if !safeURL(m.URL) {
			return nil
		}
		img.URL = m.URL
		img.AbsURL = m.URL
		img.OG = ImageFile{AbsURL: m.URL, Width: m.Width, Height: m.Height}
		return img
	case jarchy.ValidMediaPath(m.Key):
		img.URL, img.AbsURL = s.mediaURL(m.Key)
	default:
		return nil
	}
	img.OG = ImageFile{AbsURL: img.AbsURL, Width: m.Width, Height: m.Height}
	if og := m.OG; og != nil && jarchy.ValidMediaPath(og.Key) {
		_, abs := s.mediaURL(og.Key)
		img.OG = ImageFile{AbsURL: abs, Width: og.Width, Height: og.Height}
	}
	// src: the widest variant up to 1024 pixels (what a browser without
	// srcset shows); srcset: every variant, and the original when it is
	// wider than them all.
	var set []string
	widest := 0
	for _, v := range m.Variants {
		if !jarchy.ValidMediaPath(v.Key) || v.Width <= 0 {
			continue
		}
		u, _ := s.mediaURL(v.Key)
		set = append(set, u+" "+strconv.Itoa(v.Width)+"w")
		if v.Width <= 1024 {
			img.URL = u
		}
		widest = max(widest, v.Width)
	}
	if len(set) > 0 && m.Width > widest {
		u, _ := s.mediaURL(m.Key)
		set = append(set, u+" "+strconv.Itoa(m.Width)+"w")
	}
	img.SrcSet = strings.Join(set, ", ")
	return img
}

// creditLine prefixes a photo credit with "Сүрөт:" ("Фото:", "Photo:")
// unless the credit already starts with such a word in any language.
func creditLine(lang jarchy.Lang, img *Image) string {
	if img == nil {
		return ""
	}
	credit := strings.TrimSpace(img.Credit)
	if credit == "" {
		return ""
	}
	lower := strings.ToLower(credit)
	for _, l := range jarchy.Langs {
		if strings.HasPrefix(lower, strings.ToLower(i18n.T(l, "article.photo"))) {
			return credit
		}
	}
	return i18n.T(lang, "article.photo") + ": " + credit
}

// mediaURL is the address of a media key as a page links it (rel) and in
// full (abs): the configured media base URL (Config.MediaURL), else the
// site's own /media/<key>.
func (s *Server) mediaURL(key string) (rel, abs string) {
	if s.cfg.MediaURL != nil {
		if u := s.cfg.MediaURL(key); u != "" {
			return u, u
		}
	}
	p := mediaPath(key)
	return p, s.abs(p)
}

func mediaPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return "/media/" + strings.Join(parts, "/")
}

// describe returns a meta description: text cut to about 160 characters.
func describe(text string) string {
	return markup.Plain(text, 160)
}

// jsonLD marshals v for a <script type="application/ld+json"> element.
// encoding/json escapes <, > and & so the data cannot end the element.
func jsonLD(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// Schema.org shapes used in JSON-LD.
type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type ldOrganization struct {
	Type   string   `json:"@type"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Logo   *ldImage `json:"logo,omitempty"`
	SameAs []string `json:"sameAs,omitempty"`
}

type ldImage struct {
	Type            string   `json:"@type"`
	URL             string   `json:"url"`
	Width           int      `json:"width,omitempty"`
	Height          int      `json:"height,omitempty"`
	Caption         string   `json:"caption,omitempty"`
	CreditText      string   `json:"creditText,omitempty"`
	CopyrightHolder *ldThing `json:"copyrightHolder,omitempty"`
}

// imageLD is a cover as a schema.org ImageObject: its caption, and its
// credit as creditText and (without a "Photo:" label) copyrightHolder.
func imageLD(img *Image) ldImage {
	ld := ldImage{Type: "ImageObject", URL: img.AbsURL, Width: img.Width, Height: img.Height,
		Caption: img.Caption, CreditText: strings.TrimSpace(img.Credit)}
	if holder := creditHolder(ld.CreditText); holder != "" {
		ld.CopyrightHolder = &ldThing{Type: "Organization", Name: holder}
	}
	return ld
}

// creditHolder is a credit without the label before a colon that names
// it a photo credit in any language ("Сүрөт: Жарчы" → "Жарчы").
func creditHolder(credit string) string {
	if label, rest, ok := strings.Cut(credit, ":"); ok {
		for _, l := range jarchy.Langs {
			if strings.EqualFold(strings.TrimSpace(label), i18n.T(l, "article.photo")) {
				return strings.TrimSpace(rest)
			}
		}
	}
	return credit
}

type ldWebPage struct {
	Context     string          `json:"@context"`
	Type        string          `json:"@type"`
	Name        string          `json:"name"`
	URL         string          `json:"url,omitempty"`
	Description string          `json:"description,omitempty"`
	InLanguage  string          `json:"inLanguage"`
	IsPartOf    *ldThing        `json:"isPartOf,omitempty"`
	Publisher   *ldOrganization `json:"publisher,omitempty"`
	Action      *ldSearchAction `json:"potentialAction,omitempty"`
}

type ldSearchAction struct {
	Type   string `json:"@type"`
	Target string `json:"target"`
	Query  string `json:"query-input"`
}

type ldNewsArticle struct {
	Context          string          `json:"@context"`
	Type             string          `json:"@type"`
	Headline         string          `json:"headline"`
	Description      string          `json:"description,omitempty"`
	Image            []ldImage       `json:"image,omitempty"`
	DatePublished    string          `json:"datePublished"`
	DateModified     string          `json:"dateModified"`
	Author           []ldThing       `json:"author,omitempty"`
	Publisher        *ldOrganization `json:"publisher"`
	MainEntityOfPage string          `json:"mainEntityOfPage"`
	InLanguage       string          `json:"inLanguage"`
	ArticleSection   string          `json:"articleSection,omitempty"`
	Keywords         []string        `json:"keywords,omitempty"`
	Correction       []ldCorrection  `json:"correction,omitempty"`
}

// ldCorrection is a schema.org CorrectionComment: a public correction note.
type ldCorrection struct {
	Type          string `json:"@type"`
	Text          string `json:"text"`
	DatePublished string `json:"datePublished"`
}

func (s *Server) publisher(p *Page) *ldOrganization {
	org := &ldOrganization{
		Type: "Organization",
		Name: p.SiteName,
		URL:  s.abs(homePath(p.Lang)),
		Logo: &ldImage{Type: "ImageObject", URL: s.abs(s.assets.path("logo.svg"))},
	}
	for _, l := range p.Social {
		org.SameAs = append(org.SameAs, l.URL)
	}
	return org
}

// webPageLD is the JSON-LD of a non-article page (typ: WebSite,
// CollectionPage, WebPage).
func (s *Server) webPageLD(p *Page, typ string) string {
	ld := ldWebPage{
		Context:     "https://schema.org",
		Type:        typ,
		Name:        p.Title,
		URL:         p.Canonical,
		Description: p.Description,
		InLanguage:  string(p.Lang),
		Publisher:   s.publisher(p),
	}
	if typ == "WebSite" {
		ld.Action = &ldSearchAction{
			Type:   "SearchAction",
			Target: s.abs("/"+string(p.Lang)+"/search") + "?q={search_term_string}",
			Query:  "required name=search_term_string",
		}
	} else {
		ld.IsPartOf = &ldThing{Type: "WebSite", Name: p.SiteName, URL: s.abs(homePath(p.Lang))}
	}
	return jsonLD(ld)
}
