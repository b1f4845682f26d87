package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
	"github.com/jarchy/jarchy/search"
)

// maxQueryLen bounds the search text in the URL, in bytes (the box allows
// 200 characters); the analyser keeps search.MaxQueryRunes of it and the
// reader is told when it cut.
const maxQueryLen = 1000

// dateParam is the format of the from/to filters (a day in Bishkek).
const dateParam = "2006-01-02"

// searchParams are the reader's search, read from the URL.
type searchParams struct {
	Text      string
	Truncated bool // the analyser cut the text
	Section   string
	From, To  string // as given (YYYY-MM-DD)
	Sort      string // "" or "date"
	Page      int
	query     jarchy.SearchQuery
}

// readSearchParams reads q, section, from, to, sort and page. A malformed
// filter is a 400 (a page in the reader's language), never a search.
func (s *Server) readSearchParams(r *http.Request, lang jarchy.Lang, st *site) (*searchParams, error) {
	q, err := queryValues(r)
	if err != nil {
		return nil, err
	}
	sp := &searchParams{Page: 1}
	// Broken UTF-8 is repaired and an over-long text is cut, with a note:
	// the reader still gets results for what they typed.
	text := strings.ToValidUTF8(q.Get("q"), "\uFFFD")
	cut := len(text) > maxQueryLen
	if cut {
		text = truncateBytes(text, maxQueryLen)
	}
	sp.Text = strings.TrimSpace(text)
	sp.Truncated = cut || search.ParseQuery(lang, text).Truncated
	sq := jarchy.SearchQuery{Text: text, Lang: lang}
	if v := q.Get("section"); v != "" {
		found := false
		for _, sec := range st.sections {
			if sec.Slug == v {
				sq.SectionID, sp.Section, found = sec.ID, sec.Slug, true
			}
		}
		if !found {
			return nil, badRequest("unknown section %q", truncate(v, 40))
		}
	}
	day := func(name string) (time.Time, string, error) {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}, "", nil
		}
		t, err := time.ParseInLocation(dateParam, v, i18n.Zone)
		if err != nil || t.Year() < 1970 || t.Year() > 9999 {
			return time.Time{}, "", badRequest("bad %s date %q (want YYYY-MM-DD)", name, truncate(v, 40))
		}
		return t, v, nil
	}
	from, fromText, err := day("from")
	if err != nil {
		return nil, err
	}
	to, toText, err := day("to")
	if err != nil {
		return nil, err
	}
	sp.From, sp.To = fromText, toText
	sq.From = from
	if !to.IsZero() {
		sq.To = to.AddDate(0, 0, 1) // the whole "to" day
	}
	switch v := q.Get("sort"); v {
	case "", jarchy.SortRelevance:
	case jarchy.SortDate:
		sp.Sort, sq.Sort = v, v
	default:
		return nil, badRequest("bad sort %q", truncate(v, 40))
	}
	if sp.Page, err = pageNumber(r); err != nil {
		return nil, err
	}
	sq.Limit = s.cfg.PageSize
	sq.Offset = (sp.Page - 1) * s.cfg.PageSize
	if sq.Offset > jarchy.MaxSearchOffset {
		return nil, badRequest("page %d is too deep", sp.Page)
	}
	sp.query = sq
	return sp, nil
}

// url is the search page URL for these parameters with another text and
// page.
func (sp *searchParams) url(lang jarchy.Lang, text string, page int) string {
	v := url.Values{}
	v.Set("q", text)
	if sp.Section != "" {
		v.Set("section", sp.Section)
	}
	if sp.From != "" {
		v.Set("from", sp.From)
	}
	if sp.To != "" {
		v.Set("to", sp.To)
	}
	if sp.Sort != "" {
		v.Set("sort", sp.Sort)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/" + string(lang) + "/search?" + v.Encode()
}

// searchData is the body of the search page.
type searchData struct {
	Query         string
	Params        *searchParams
	Sections      []MenuLink // filter choices; Current marks the chosen one
	Searched      bool       // a query was given
	Empty         bool       // …with nothing to search for in it
	Total         int
	Found         string
	Fuzzy         bool
	Suggestion    string
	SuggestionURL string
	Hits          []searchHit
	Pager         *Pager
}

// searchHit is one result as the page shows it.
type searchHit struct {
	URL         string
	TitleHTML   template.HTML // escaped, query words in <mark>
	Snippet     template.HTML // escaped by the store (search.Query.SnippetHTML)
	SectionName string
	SectionURL  string
	ISO, Date   string
}

// searchPage renders /{lang}/search?q=…&section=…&from=…&to=…&sort=…&page=N:
// results in the reader's language, never indexed by robots.
func searchPage(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	st, err := s.loadSite(r.Context(), lang)
	if err != nil {
		return err
	}
	sp, err := s.readSearchParams(r, lang, st)
	if err != nil {
		return err
	}
	data := searchData{Query: sp.Text, Params: sp}
	for _, sec := range st.sections {
		data.Sections = append(data.Sections, MenuLink{Key: sec.Slug, Name: sec.Name(lang), Current: sec.Slug == sp.Section})
	}
	title := i18n.T(lang, "search.title")
	if sp.Text != "" {
		title = i18n.Tf(lang, "search.results_for", truncate(sp.Text, 200))
		data.Searched = true
		res, err := s.store.Search(r.Context(), sp.query)
		if err != nil {
			if jarchy.ErrorCode(err) == jarchy.EINVALID {
				return badRequest("search: %s", jarchy.ErrorMessage(err))
			}
			return err
		}
		data.Empty, data.Total, data.Fuzzy = res.Empty, res.Total, res.Fuzzy
		data.Found = i18n.Tf(lang, "search.found", i18n.Plural(lang, "count.articles", res.Total))
		if res.TotalCapped {
			data.Found = i18n.Tf(lang, "search.found_more", i18n.Plural(lang, "count.articles", res.Total))
		}
		if res.Fuzzy && res.Suggestion != "" && res.Suggestion != sp.Text {
			data.Suggestion = res.Suggestion
			data.SuggestionURL = sp.url(lang, res.Suggestion, 1)
		}
		if res.Total == 0 && !res.Empty && (sp.Section != "" || sp.From != "" || sp.To != "") {
			// Nothing within the filters: a spelling found outside them is
			// still worth suggesting (without the filters).
			wide, err := s.store.Search(r.Context(), jarchy.SearchQuery{Text: sp.query.Text, Lang: lang, Limit: s.cfg.PageSize, NoSnippets: true})
			if err != nil {
				return err
			}
			if wide.Fuzzy && wide.Suggestion != "" && wide.Suggestion != sp.Text {
				data.Suggestion = wide.Suggestion
				data.SuggestionURL = (&searchParams{}).url(lang, wide.Suggestion, 1)
			}
		}
		hl := search.ParseQuery(lang, sp.query.Text)
		for _, h := range res.Hits {
			a := h.Article
			data.Hits = append(data.Hits, searchHit{
				URL:         articlePath(a),
				TitleHTML:   template.HTML(hl.SnippetHTML(a.Title, jarchy.MaxTitleLen)),
				Snippet:     template.HTML(h.Snippet),
				SectionName: a.Section.Name(a.Lang),
				SectionURL:  sectionPath(a.Lang, a.Section.Slug),
				ISO:         i18n.ISODate(a.PublishedAt),
				Date:        i18n.FormatDate(a.Lang, a.PublishedAt),
			})
		}
		pages := max(1, (res.Total+s.cfg.PageSize-1)/s.cfg.PageSize)
		pg := &Pager{Lang: lang, Page: sp.Page, Pages: pages}
		if sp.Page > 1 {
			pg.Prev = sp.url(lang, sp.Text, sp.Page-1)
		}
		if sp.Page < pages {
			pg.Next = sp.url(lang, sp.Text, sp.Page+1)
		}
		data.Pager = pg
	}
	alt := samePathEverywhere(func(l jarchy.Lang) string { return "/" + string(l) + "/search" })
	p := s.newPage(st, lang, title, "/"+string(lang)+"/search", alt)
	p.Robots = "noindex"
	p.Description = i18n.T(lang, "search.label")
	p.JSONLD = s.webPageLD(p, "SearchResultsPage")
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.render(w, r, http.StatusOK, p, searchContent(p, &data))
}

// truncateBytes cuts valid UTF-8 text to at most n bytes at a rune boundary.
func truncateBytes(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}
