package web

import (
	"bytes"
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/sitemap"
)

// robots serves /robots.txt: search result pages are not crawled, and
// the sitemaps are announced.
func robots(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	rb := sitemap.Robots{Sitemaps: []string{s.abs("/sitemap.xml"), s.abs("/news-sitemap.xml")}}
	for _, l := range jarchy.Langs {
		rb.Disallow = append(rb.Disallow, "/"+string(l)+"/search")
	}
	var buf bytes.Buffer
	if err := sitemap.WriteRobots(&buf, rb); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}
