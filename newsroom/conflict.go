package newsroom

import (
	"net/http"
	"strconv"

	"github.com/jarchy/jarchy"
)

// conflictData is the page of a save that came too late: someone saved
// the article since the editor was opened.
type conflictData struct {
	Theirs *jarchy.Article
	Diffs  []fieldDiff // theirs (stored) → yours (typed)
	Form   *Form       // what the user typed, now based on their version
}

// conflict shows both versions, the stored one and the one typed, word by
// word, and lets the user keep theirs or carry on with their own text on
// top of it. Nothing was written.
func (s *Server) conflict(w http.ResponseWriter, r *http.Request, q *Request, base, mine *jarchy.Article, f *Form) error {
	theirs, err := s.store.Article(r.Context(), base.ID)
	if err != nil {
		return err
	}
	sections, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	f.Values.Set("version", strconv.FormatInt(theirs.Version, 10))
	f.Values.Del("to")
	d := &conflictData{Theirs: theirs, Diffs: diffArticles(q, theirs, mine, sections), Form: f}
	return s.render(w, r, http.StatusConflict, q.T("nr.conflict.title"), conflictPage(d))
}
