package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
)

// apiMaxQueryLen bounds q in the search API, in bytes; the analyser keeps
// at most search.MaxQueryRunes runes of it anyway.
const apiMaxQueryLen = 32 << 10

type apiSearchResult struct {
	Total   int             `json:"total"`
	Results []apiSearchItem `json:"results"`
	// TotalCapped: more matches than total (jarchy.SearchTotalCap) exist.
	TotalCapped bool `json:"total_capped"`
	// Fuzzy: nothing matched as typed; these results match close spellings.
	Fuzzy      bool   `json:"fuzzy"`
	Suggestion string `json:"suggestion,omitempty"`
}

type apiSearchItem struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Lead        string `json:"lead"`
	PublishedAt string `json:"published_at"`
	Snippet     string `json:"snippet"` // HTML: escaped text, matches in <mark>
}

// apiSearch serves GET /api/v1/search?q=&lang=&limit=&offset=&section=&author=&from=&to=&sort=
// (see the README). Bad parameters are a JSON 400; the query text never is.
func apiSearch(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	s.apiServe(w, r, func(ctx context.Context) (any, error) {
		sq, err := s.apiSearchQuery(ctx, r)
		if err != nil {
			return nil, err
		}
		out := apiSearchResult{Results: []apiSearchItem{}}
		if strings.TrimSpace(sq.Text) == "" {
			return out, nil
		}
		res, err := s.store.Search(ctx, sq)
		if err != nil {
			return nil, err
		}
		out.Total, out.TotalCapped, out.Fuzzy, out.Suggestion = res.Total, res.TotalCapped, res.Fuzzy, res.Suggestion
		for _, h := range res.Hits {
			a := h.Article
			out.Results = append(out.Results, apiSearchItem{
				ID: a.ID, URL: s.abs(articlePath(a)), Lang: string(a.Lang), Title: a.Title, Lead: a.Lead,
				PublishedAt: a.PublishedAt.UTC().Format(time.RFC3339Nano), Snippet: h.Snippet,
			})
		}
		return out, nil
	})
	return nil
}

// apiSearchQuery validates the search parameters.
func (s *Server) apiSearchQuery(ctx context.Context, r *http.Request) (jarchy.SearchQuery, error) {
	sq := jarchy.SearchQuery{Limit: apiDefaultLimit}
	q, err := queryValues(r)
	if err != nil {
		return sq, apiBad("malformed query string")
	}
	get := func(name string, maxLen int) (string, error) {
		vals := q[name]
		switch {
		case len(vals) > 1:
			return "", apiBad("%s: given %d times", name, len(vals))
		case len(vals) == 0:
			return "", nil
		case len(vals[0]) > maxLen:
			return "", apiBad("%s: longer than %d bytes", name, maxLen)
		}
		return vals[0], nil
	}
	if sq.Text, err = get("q", apiMaxQueryLen); err != nil {
		return sq, err
	}
	sq.Text = strings.ToValidUTF8(sq.Text, "\uFFFD")
	if v, err := get("lang", apiMaxParamLen); err != nil {
		return sq, err
	} else if v != "" {
		l, ok := jarchy.ParseLang(v)
		if !ok {
			return sq, apiBad("lang: unknown language %q (ky, ru, en)", truncate(v, 40))
		}
		sq.Lang = l
	}
	intParam := func(name string, lo, hi int, dst *int) error {
		v, err := get(name, apiMaxParamLen)
		if err != nil || v == "" {
			return err
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return apiBad("%s: want an integer from %d to %d, got %q", name, lo, hi, truncate(v, 40))
		}
		*dst = n
		return nil
	}
	if err := intParam("limit", 1, apiMaxLimit, &sq.Limit); err != nil {
		return sq, err
	}
	if err := intParam("offset", 0, jarchy.MaxSearchOffset, &sq.Offset); err != nil {
		return sq, err
	}
	if v, err := get("section", apiMaxParamLen); err != nil {
		return sq, err
	} else if v != "" {
		sec, err := s.sectionBySlug(ctx, v)
		if err != nil {
			if statusOf(err) == http.StatusNotFound {
				return sq, apiBad("section: unknown section %q", truncate(v, 40))
			}
			return sq, err
		}
		sq.SectionID = sec.ID
	}
	if v, err := get("author", apiMaxParamLen); err != nil {
		return sq, err
	} else if v != "" {
		a, err := s.store.AuthorBySlug(ctx, v)
		if err != nil {
			if jarchy.IsNotFound(err) || jarchy.ErrorCode(err) == jarchy.EINVALID {
				return sq, apiBad("author: unknown author %q", truncate(v, 40))
			}
			return sq, err
		}
		sq.AuthorID = a.ID
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"from", &sq.From}, {"to", &sq.To}} {
		v, err := get(d.name, apiMaxParamLen)
		if err != nil {
			return sq, err
		}
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t, err = time.Parse(time.DateOnly, v)
		}
		if err != nil || t.Year() < 1970 || t.Year() > 9999 {
			return sq, apiBad("%s: want an RFC 3339 time or a YYYY-MM-DD date (UTC), got %q", d.name, truncate(v, 40))
		}
		*d.dst = t.UTC()
	}
	if v, err := get("sort", apiMaxParamLen); err != nil {
		return sq, err
	} else if v != "" && v != jarchy.SortRelevance && v != jarchy.SortDate {
		return sq, apiBad("sort: want relevance or date, got %q", truncate(v, 40))
	} else {
		sq.Sort = v
	}
	return sq, nil
}
