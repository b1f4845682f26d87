package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/jarchy/jarchy"
)

// route is one entry of the route table. params are the query
// parameters its handler reads; requests reach it without the others
// (declaredQuery), and the page cache keys on these only (QueryParams).
type route struct {
	method  string
	pattern string
	handler handlerFunc
	params  []string
}

// Query parameters of the routes that read any.
var (
	listParams       = []string{"page"}
	searchPageParams = []string{"q", "section", "from", "to", "sort", "page"}
	apiListParams    = []string{"lang", "section", "tag", "author", "limit", "before"}
	apiSearchParams  = []string{"q", "lang", "limit", "offset", "section", "author", "from", "to", "sort"}
	apiSuggestParams = []string{"q", "lang"}
	slashRedirParams = listParams // /ky/politics?page=2 -> /ky/politics/?page=2
)

// langRoutes are registered once per site language: the pattern is put
// after "/{lang}" as a literal ("/ky/tag/{slug}"), so literal segments
// (tag, author, page, search, feed) always win over {section}. Section
// slugs tag, author, page, search and feed are reserved for that reason.
var langRoutes = []route{
	{"GET", "/{$}", home, nil},
	{"GET", "", redirectSlash, nil},                        // /ky -> /ky/
	{"GET", "/{section}", redirectSlash, slashRedirParams}, // /ky/politics -> /ky/politics/
	{"GET", "/{section}/{$}", section, listParams},         // ?page=N
	{"GET", "/{section}/{slug}", article, nil},             // old slug or wrong section -> 301
	{"GET", "/{section}/{slug}/{$}", trimSlash, nil},       // /ky/politics/story/ -> /ky/politics/story
	{"GET", "/tag/{slug}", tag, listParams},                // ?page=N
	{"GET", "/author/{slug}", author, listParams},          // ?page=N
	{"GET", "/page/{slug}", staticPage, nil},               // about, contacts
	{"GET", "/search", searchPage, searchPageParams},       // ?q=…&section=…&from=…&to=…&sort=…&page=N
	{"GET", "/opensearch.xml", openSearch, nil},            // OpenSearch description
	{"GET", "/feed/{file}", siteFeed, nil},                 // rss.xml, atom.xml, feed.json
	{"GET", "/feed/{kind}/{slug}/{file}", listFeed, nil},   // kind: section, tag, author
}

// siteRoutes are registered once, without a language prefix.
var siteRoutes = []route{
	{"GET", "/{$}", rootRedirect, nil},          // / -> /ky/
	{"GET", "/static/{name}", staticFile, nil},  // fingerprinted, immutable
	{"GET", "/media/{path...}", mediaFile, nil}, // blob store
	{"GET", "/sitemap.xml", sitemapIndex, nil},
	{"GET", "/sitemaps/{name}", sitemapPart, nil}, // pages.xml, {lang}-{n}.xml
	{"GET", "/news-sitemap.xml", newsSitemap, nil},
	{"GET", "/robots.txt", robots, nil},
	{"GET", "/api/v1/articles", apiArticles, apiListParams},
	{"GET", "/api/v1/articles/{id}", apiArticleByID, nil},
	{"GET", "/api/v1/search", apiSearch, apiSearchParams},           // ?q=…&lang=…&limit=…
	{"GET", "/api/v1/search/suggest", apiSuggest, apiSuggestParams}, // ?q=…&lang=…: up to 8 titles
	{"GET", "/api/v1/articles/{id}/comments", apiArticleComments, nil},
	{"POST", "/comments", postComment, nil},                             // the comment form (never cached: a POST)
	{"GET", "/comments/start", commentStart, nil},                       // a fresh form timestamp for the script (no-store)
	{"GET", "/comments/held/{article}", commentHeld, nil},               // "held for moderation"
	{"GET", "/comments/reply/{id}", commentReplyPage, nil},              // the reply form without the script (no-store)
	{"POST", "/comments/{id}/report", reportComment, nil},               // a reader's report
	{"GET", "/comments/feed/{file}", siteCommentFeed, nil},              // rss.xml, atom.xml: every approved comment
	{"GET", "/comments/feed/{article}/{file}", articleCommentFeed, nil}, // one article's comments
	{"", "/api/", apiNotFound, nil},                                     // JSON 404 for the rest of /api/
	{"", "/", notFound, nil},                                            // anything else: 404 in the language of the path
}

// routes registers the table on the mux. GET patterns also answer HEAD.
func (s *Server) routes() {
	for _, l := range jarchy.Langs {
		for _, rt := range langRoutes {
			s.handle(rt.method+" /"+string(l)+rt.pattern, s.wrap(rt.handler, l), rt.params)
		}
	}
	for _, rt := range siteRoutes {
		p := rt.pattern
		if rt.method != "" {
			p = rt.method + " " + p
		}
		s.handle(p, s.wrap(rt.handler, jarchy.DefaultLang), rt.params)
	}
}

func (s *Server) handle(pattern string, h http.Handler, params []string) {
	s.mux.Handle(pattern, h)
	if len(params) > 0 {
		s.params[pattern] = params
	}
}

// QueryParams returns the query parameters that the page at escapedPath
// (a path escaped as url.URL.EscapedPath escapes it) reads: those its route
// declares; nil for none. It asks the site's own router, so it matches
// exactly as the router does, trailing-slash and clean-path redirects
// included (those get the parameters of their target). The page cache
// keys on these parameters only (pagecache.Options.QueryParams).
func (s *Server) QueryParams(escapedPath string) []string {
	path, err := url.PathUnescape(escapedPath)
	if err != nil {
		return nil
	}
	r := http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawPath: escapedPath}}
	_, pattern := s.mux.Handler(&r)
	return s.params[pattern]
}

// declaredQuery removes from each request's query the parameters its
// route does not read (see QueryParams), tracking parameters (utm_*,
// fbclid…) included: handlers ignore them, and no redirect or link
// repeats them. Parameters a route reads are kept as given, so a
// malformed or repeated one is still the handler's to refuse.
func (s *Server) declaredQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if q := keepParams(r.URL.RawQuery, s.QueryParams(r.URL.EscapedPath())); q != r.URL.RawQuery {
				r2 := *r
				u := *r.URL
				u.RawQuery = q
				r2.URL = &u
				r = &r2
			}
		}
		next.ServeHTTP(w, r)
	})
}

// keepParams returns the &-separated parts of rawQuery whose name (the
// part before '=', query-unescaped) is in names, in their order.
func keepParams(rawQuery string, names []string) string {
	var b strings.Builder
	for rest := rawQuery; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		rawName, _, _ := strings.Cut(part, "=")
		if name, err := url.QueryUnescape(rawName); err != nil || part == "" || !slices.Contains(names, name) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(part)
	}
	return b.String()
}

// rootRedirect sends / to the default language's home.
func rootRedirect(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	http.Redirect(w, r, homePath(jarchy.DefaultLang), http.StatusFound)
	return nil
}

// redirectSlash adds the trailing slash of a home or section URL (301). The
// query holds only what the route declares (declaredQuery): a section's
// page number.
func redirectSlash(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	target := r.URL.EscapedPath() + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}

// trimSlash removes the trailing slash of an article URL (301). An article
// reads no query, so the target has none.
func trimSlash(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	target := strings.TrimSuffix(r.URL.EscapedPath(), "/")
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}
