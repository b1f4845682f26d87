package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/sitemap"
)

// sitemapChunk is the number of articles per child sitemap
// (/sitemaps/{lang}-{n}.xml), well under the protocol's 50,000 so that one
// file renders quickly. Chunk 1 holds each language's newest articles.
var sitemapChunk = 2000

// newsWindow is how far back the Google News sitemap reaches.
const newsWindow = 48 * time.Hour

// sitemapIndex serves /sitemap.xml: pages.xml plus the article chunks of
// every language.
func sitemapIndex(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	ctx := r.Context()
	type chunk struct {
		lang jarchy.Lang
		n    int
	}
	var chunks []chunk
	for _, l := range jarchy.Langs {
		n, err := s.sitemapChunks(ctx, l)
		if err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			chunks = append(chunks, chunk{l, i})
		}
	}
	var buf bytes.Buffer
	sw := sitemap.NewIndexWriter(&buf)
	if err := sw.Add(sitemap.Sitemap{Loc: s.abs("/sitemaps/pages.xml")}); err != nil {
		return err
	}
	for _, c := range chunks {
		if err := sw.Add(sitemap.Sitemap{Loc: s.abs(chunkPath(c.lang, c.n))}); err != nil {
			s.log.Error("sitemap index", "err", err)
			break
		}
	}
	return s.sendXML(w, r, &buf, sw.Close())
}

func chunkPath(l jarchy.Lang, n int) string {
	return "/sitemaps/" + string(l) + "-" + strconv.Itoa(n) + ".xml"
}

// sitemapChunks returns how many article sitemaps lang has.
func (s *Server) sitemapChunks(ctx context.Context, l jarchy.Lang) (int, error) {
	list, err := s.store.Articles(ctx, jarchy.ArticleFilter{Lang: l, PublicOnly: true, Limit: 1, Summary: true})
	if err != nil {
		return 0, fmt.Errorf("sitemap: count %s: %w", l, err)
	}
	return (list.Total + sitemapChunk - 1) / sitemapChunk, nil
}

// sitemapPart serves /sitemaps/pages.xml and /sitemaps/{lang}-{n}.xml.
func sitemapPart(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	name := r.PathValue("name")
	if name == "pages.xml" {
		return s.pagesSitemap(w, r)
	}
	base, ok := strings.CutSuffix(name, ".xml")
	if !ok {
		return errNotFound
	}
	code, num, ok := strings.Cut(base, "-")
	lang, okLang := jarchy.ParseLang(code)
	n, err := strconv.Atoi(num)
	if !ok || !okLang || err != nil || n < 1 || strconv.Itoa(n) != num {
		return errNotFound
	}
	chunks, err := s.sitemapChunks(r.Context(), lang)
	if err != nil {
		return err
	}
	if n > chunks {
		return errNotFound
	}
	return s.articleSitemap(w, r, lang, n)
}

// pagesSitemap lists every language's home, section pages and static
// pages, each with its translations as hreflang alternates.
func (s *Server) pagesSitemap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return fmt.Errorf("sitemap: %w", err)
	}
	pages := map[jarchy.Lang][]*jarchy.Page{}
	bySlug := map[string]map[jarchy.Lang]string{} // static page slug -> lang -> path
	for _, l := range jarchy.Langs {
		ps, err := s.store.Pages(ctx, l)
		if err != nil {
			return fmt.Errorf("sitemap: pages %s: %w", l, err)
		}
		pages[l] = ps
		for _, p := range ps {
			if bySlug[p.Slug] == nil {
				bySlug[p.Slug] = map[jarchy.Lang]string{}
			}
			bySlug[p.Slug][l] = staticPath(l, p.Slug)
		}
	}
	everyLang := func(path func(jarchy.Lang) string) map[jarchy.Lang]string {
		m := map[jarchy.Lang]string{}
		for _, l := range jarchy.Langs {
			m[l] = path(l)
		}
		return m
	}
	var buf bytes.Buffer
	sw := sitemap.NewWriter(&buf)
	add := func(u sitemap.URL) {
		if err := sw.Add(u); err != nil {
			s.log.Error("sitemap pages", "loc", u.Loc, "err", err)
		}
	}
	for _, l := range jarchy.Langs {
		homes := everyLang(homePath)
		add(sitemap.URL{Loc: s.abs(homes[l]), Alternates: s.alternates(homes)})
		for _, sec := range secs {
			paths := everyLang(func(l jarchy.Lang) string { return sectionPath(l, sec.Slug) })
			add(sitemap.URL{Loc: s.abs(paths[l]), Alternates: s.alternates(paths)})
		}
		for _, p := range pages[l] {
			add(sitemap.URL{Loc: s.abs(staticPath(l, p.Slug)), LastMod: p.UpdatedAt, Alternates: s.alternates(bySlug[p.Slug])})
		}
	}
	return s.sendXML(w, r, &buf, sw.Close())
}

// articleSitemap streams chunk n (1-based, newest first) of lang's public
// articles, each with its public translations as alternates.
func (s *Server) articleSitemap(w http.ResponseWriter, r *http.Request, lang jarchy.Lang, n int) error {
	ctx := r.Context()
	var buf bytes.Buffer
	sw := sitemap.NewWriter(&buf)
	// Whole articles, not summaries: they come with their translations,
	// one statement for a hundred articles instead of one per article.
	f := jarchy.ArticleFilter{Lang: lang, PublicOnly: true, Offset: (n - 1) * sitemapChunk}
	err := s.eachPage(ctx, f, sitemapChunk, func(page []*jarchy.Article) error {
		for _, a := range page {
			paths := s.translationPaths(a, a.Translations)
			err := sw.Add(sitemap.URL{Loc: s.abs(articlePath(a)), LastMod: a.UpdatedAt, Alternates: s.alternates(paths)})
			if errors.Is(err, sitemap.ErrInvalid) {
				s.log.Warn("sitemap: article skipped", "id", a.ID, "err", err)
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sitemap %s-%d: %w", lang, n, err)
	}
	return s.sendXML(w, r, &buf, sw.Close())
}

// translationPaths maps each language to the path of a's public version in
// it (a itself included), from trs, the other articles of a's group. Only
// a's language when it has no public translations.
func (s *Server) translationPaths(a *jarchy.Article, trs []jarchy.Translation) map[jarchy.Lang]string {
	paths := map[jarchy.Lang]string{a.Lang: articlePath(a)}
	t := s.now()
	for _, o := range trs {
		if _, dup := paths[o.Lang]; !dup && o.ID != a.ID && o.Lang.Valid() && o.IsPublic(t) {
			paths[o.Lang] = translationPath(o)
		}
	}
	return paths
}

// alternates turns language paths into hreflang alternates with an
// x-default (the Kyrgyz version, else the first). None for one language.
func (s *Server) alternates(paths map[jarchy.Lang]string) []sitemap.Alternate {
	if len(paths) < 2 {
		return nil
	}
	var alts []sitemap.Alternate
	def := ""
	for _, l := range jarchy.Langs {
		p, ok := paths[l]
		if !ok {
			continue
		}
		alts = append(alts, sitemap.Alternate{Lang: string(l), URL: s.abs(p)})
		if def == "" {
			def = s.abs(p)
		}
	}
	return append(alts, sitemap.Alternate{Lang: "x-default", URL: def})
}

// newsSitemap serves /news-sitemap.xml: public articles of the last 48
// hours in every language (at most 1,000, newest first).
func newsSitemap(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	ctx := r.Context()
	st, err := s.store.Settings(ctx)
	if err != nil {
		return fmt.Errorf("news sitemap: %w", err)
	}
	var buf bytes.Buffer
	nw := sitemap.NewNewsWriter(&buf)
	f := jarchy.ArticleFilter{PublicOnly: true, Since: s.now().Add(-newsWindow), Summary: true}
	err = s.eachArticle(ctx, f, sitemap.MaxNewsURLs, func(a *jarchy.Article) error {
		err := nw.Add(sitemap.News{
			Loc:         s.abs(articlePath(a)),
			Publication: s.siteName(st, a.Lang),
			Lang:        string(a.Lang),
			Published:   a.PublishedAt,
			Title:       a.Title,
		})
		if errors.Is(err, sitemap.ErrInvalid) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("news sitemap: %w", err)
	}
	return s.sendXML(w, r, &buf, nw.Close())
}

// sendXML writes a sitemap rendered into buf, or returns the error that
// stopped it (a 500 page rather than a truncated file that a cache would
// keep). A file holds at most sitemapChunk URLs, so the buffer stays small;
// the sitemap writers themselves stream.
func (s *Server) sendXML(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer, err error) error {
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", sitemap.ContentType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// eachArticle calls fn for up to max articles matching f, newest first,
// starting at f.Offset.
func (s *Server) eachArticle(ctx context.Context, f jarchy.ArticleFilter, max int, fn func(*jarchy.Article) error) error {
	return s.eachPage(ctx, f, max, func(page []*jarchy.Article) error {
		for _, a := range page {
			if err := fn(a); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachPage calls fn with pages of up to 100 of the first max articles
// matching f, newest first, starting at f.Offset. It pages with a time
// cursor, so deep chunks do not re-skip everything before them; the few
// articles published within the same microsecond as a page boundary are
// skipped by a small offset, so none is lost or repeated.
func (s *Server) eachPage(ctx context.Context, f jarchy.ArticleFilter, max int, fn func([]*jarchy.Article) error) error {
	const page = 100
	done := 0
	for first := true; done < max; first = false {
		f.Limit = min(page, max-done)
		// Counting is needed only to place the start offset (below).
		f.NoTotal = !first || f.Offset == 0
		list, err := s.store.Articles(ctx, f)
		if err != nil {
			return fmt.Errorf("list articles: %w", err)
		}
		if len(list.Articles) > 0 {
			if err := fn(list.Articles); err != nil {
				return err
			}
		}
		done += len(list.Articles)
		if len(list.Articles) < f.Limit {
			return nil
		}
		// Next page: everything strictly before the microsecond after the
		// last article, skipping the ones of that microsecond already seen.
		last := list.Articles[len(list.Articles)-1].PublishedAt
		next := last.Truncate(time.Microsecond).Add(time.Microsecond)
		seen := 0
		for i := len(list.Articles) - 1; i >= 0 && list.Articles[i].PublishedAt.Before(next); i-- {
			seen++
		}
		switch {
		case next.Equal(f.Before):
			f.Offset += seen
		case first && f.Offset > 0:
			// The start offset may have skipped articles of that same
			// microsecond: count where the articles before next begin.
			// Later offsets only skip articles of the boundary microsecond.
			before := f
			before.Before, before.Offset, before.Limit, before.NoTotal = next, 0, 1, false
			rest, err := s.store.Articles(ctx, before)
			if err != nil {
				return fmt.Errorf("list articles: %w", err)
			}
			consumed := f.Offset + len(list.Articles)
			f.Before, f.Offset = next, consumed-(list.Total-rest.Total)
		default:
			f.Before, f.Offset = next, seen
		}
	}
	return nil
}
