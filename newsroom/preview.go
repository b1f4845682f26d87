package newsroom

import (
	"net/http"
	"strconv"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
)

// preview renders Markdown with the site's own pipeline (markup.Article,
// what the store keeps as the body's HTML): the editor's script shows it
// beside the text. Without the script, the editor's Preview button does
// the same in a whole page.
func preview(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	body := r.PostFormValue("body")
	if len(body) > jarchy.MaxBodyLen {
		return badRequest("body over %d bytes", jarchy.MaxBodyLen)
	}
	html := string(markup.Article(jarchy.CleanText(body)))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(html)))
	_, _ = w.Write([]byte(html))
	return nil
}

// slug answers the slug the domain derives from a title in a language
// (GET /slug?lang=ky&title=…), for the editor's script; without it the
// store derives the same on save.
func slug(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	lang, ok := jarchy.ParseLang(r.URL.Query().Get("lang"))
	if !ok {
		lang = q.Lang
	}
	title := jarchy.CleanLine(r.URL.Query().Get("title"))
	if len(title) > 4*jarchy.MaxTitleLen {
		return badRequest("title too long")
	}
	out := jarchy.ArticleSlug(lang, title)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(out))
	return nil
}
