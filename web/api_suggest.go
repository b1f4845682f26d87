package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/jarchy/jarchy"
)

// apiSuggestLimit is how many titles a suggestion answer holds at most.
const apiSuggestLimit = 8

type apiSuggestResult struct {
	Suggestions []apiSuggestItem `json:"suggestions"`
}

type apiSuggestItem struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Lang  string `json:"lang"`
	Title string `json:"title"`
}

// apiSuggest serves GET /api/v1/search/suggest?q=&lang=: the titles of up
// to apiSuggestLimit public articles for a query being typed, best first.
// It is the search of /api/v1/search (the last word a prefix from its
// second letter, close spellings when nothing matches) without snippets.
// A bad lang or a repeated or over-long parameter is a JSON 400.
func apiSuggest(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	s.apiServe(w, r, func(ctx context.Context) (any, error) {
		sq, err := s.apiSearchQuery(ctx, r) // the route declares q and lang only
		if err != nil {
			return nil, err
		}
		sq.Limit, sq.NoSnippets = apiSuggestLimit, true
		out := apiSuggestResult{Suggestions: []apiSuggestItem{}}
		if strings.TrimSpace(sq.Text) == "" {
			return out, nil
		}
		res, err := s.store.Search(ctx, sq)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			a := h.Article
			out.Suggestions = append(out.Suggestions, apiSuggestItem{ID: a.ID, URL: s.abs(articlePath(a)), Lang: string(a.Lang), Title: a.Title})
		}
		return out, nil
	})
	return nil
}
