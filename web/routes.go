package web

import (
	"net/http"
	"strings"

	"github.com/jarchy/jarchy"
)

// route is one entry of the route table.
type route struct {
	method  string
	pattern string
	handler handlerFunc
}

// langRoutes are registered once per site language: the pattern is put
// after "/{lang}" as a literal ("/ky/tag/{slug}"), so literal segments
// (tag, author, page, search, feed) always win over {section}. Section
// slugs tag, author, page, search and feed are reserved for that reason.
var langRoutes = []route{
	{"GET", "/{$}", home},
	{"GET", "", redirectSlash},                      // /ky -> /ky/
	{"GET", "/{section}", redirectSlash},            // /ky/politics -> /ky/politics/
	{"GET", "/{section}/{$}", section},              // ?page=N
	{"GET", "/{section}/{slug}", article},           // old slug or wrong section -> 301
	{"GET", "/{section}/{slug}/{$}", trimSlash},     // /ky/politics/story/ -> /ky/politics/story
	{"GET", "/tag/{slug}", tag},                     // ?page=N
	{"GET", "/author/{slug}", author},               // ?page=N
	{"GET", "/page/{slug}", staticPage},             // about, contacts
	{"GET", "/search", searchPage},                  // ?q=…&section=…&from=…&to=…&sort=…&page=N
	{"GET", "/opensearch.xml", openSearch},          // OpenSearch description
	{"GET", "/feed/{file}", siteFeed},               // rss.xml, atom.xml, feed.json
	{"GET", "/feed/{kind}/{slug}/{file}", listFeed}, // kind: section, tag, author
}

// siteRoutes are registered once, without a language prefix.
var siteRoutes = []route{
	{"GET", "/{$}", rootRedirect},          // / -> /ky/
	{"GET", "/static/{name}", staticFile},  // fingerprinted, immutable
	{"GET", "/media/{path...}", mediaFile}, // blob store
	{"GET", "/sitemap.xml", sitemapIndex},
	{"GET", "/sitemaps/{name}", sitemapPart}, // pages.xml, {lang}-{n}.xml
	{"GET", "/news-sitemap.xml", newsSitemap},
	{"GET", "/robots.txt", robots},
	{"GET", "/api/v1/articles", apiArticles},
	{"GET", "/api/v1/articles/{id}", apiArticleByID},
	{"GET", "/api/v1/search", apiSearch}, // ?q=…&lang=…&limit=…
	{"", "/api/", apiNotFound},           // JSON 404 for the rest of /api/
	{"", "/", notFound},                  // anything else: 404 in the language of the path
}

// routes registers the table on the mux. GET patterns also answer HEAD.
func (s *Server) routes() {
	for _, l := range jarchy.Langs {
		for _, rt := range langRoutes {
			s.mux.Handle(rt.method+" /"+string(l)+rt.pattern, s.wrap(rt.handler, l))
		}
	}
	for _, rt := range siteRoutes {
		p := rt.pattern
		if rt.method != "" {
			p = rt.method + " " + p
		}
		s.mux.Handle(p, s.wrap(rt.handler, jarchy.DefaultLang))
	}
}

// rootRedirect sends / to the default language's home.
func rootRedirect(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	http.Redirect(w, r, homePath(jarchy.DefaultLang), http.StatusFound)
	return nil
}

// redirectSlash adds the trailing slash of a home or section URL (301).
func redirectSlash(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	target := r.URL.EscapedPath() + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}

// trimSlash removes the trailing slash of an article URL (301).
func trimSlash(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	target := strings.TrimSuffix(r.URL.EscapedPath(), "/")
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}
