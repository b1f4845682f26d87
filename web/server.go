// Package web is the public, server-rendered news site: one route table
// (routes.go), one handler per file, templ components (*.templ, compiled
// to *_templ.go by go generate) and static assets embedded in the binary.
// Reading needs no JavaScript.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/sync/singleflight"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
	"github.com/jarchy/jarchy/internal/clientip"
)

//go:generate go run github.com/a-h/templ/cmd/templ@v0.3.1100 generate

// Config is what the site needs besides its store and media.
type Config struct {
	// BaseURL is the public origin, e.g. "https://jarchy.kg", used for
	// canonical and Open Graph URLs. Pages never depend on the request Host.
	BaseURL string
	// SiteName is shown when Settings.SiteName has no name for a language;
	// empty means the i18n default ("Жарчы").
	SiteName map[jarchy.Lang]string
	// PageSize is the number of articles per listing page (default 20).
	PageSize int
	// Logger receives request errors and recovered panics (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock for publication checks (default time.Now): give it
	// the store's clock.
	Now func() time.Time
	// ClientIP finds a reader's address for rate limits: X-Forwarded-For
	// counts only from the trusted proxies it holds (serve's
	// --trusted-proxies). The zero value trusts no one.
	ClientIP clientip.Resolver
	// CommentLimits tune the comment form's spam defences.
	CommentLimits CommentLimits
	// MediaURL, when set, gives the public address of a media key (a CDN
	// or a bucket: media.Store's URL); pages link photos there. nil, or
	// "" for a key: the site's own /media/<key>.
	MediaURL func(key string) string
}

// Store is what the site reads: every concept of the domain, and the
// change feed that tells it when what it keeps is stale.
type Store interface {
	jarchy.ArticleStore
	jarchy.TaxonomyStore
	jarchy.PageStore
	jarchy.SettingsStore
	jarchy.SearchStore
	jarchy.CommentStore
	jarchy.ChangeFeed
	// BreakingNews is jarchy.BreakingStore's reader: the banner on every
	// page.
	BreakingNews(ctx context.Context) ([]*jarchy.Article, error)
}

// Server is the public site. It implements http.Handler.
type Server struct {
	cfg     Config
	tagHost string // the base URL's host, in feed ids (tagURI)
	store   Store  // a readTracker: reads name their topics (topics.go)
	blobs   fs.FS
	mux     *http.ServeMux
	params  map[string][]string // query parameters by route pattern
	handler http.Handler
	log     *slog.Logger
	assets  *assets

	comments *commentGuard // the comment form's defences

	// Site data (settings, menu, static pages) per language, dropped on
	// every store change; siteGen counts the changes.
	siteMu      sync.Mutex
	siteGen     uint64
	siteByLang  map[jarchy.Lang]*site
	siteLoads   singleflight.Group
	unsubscribe func()
}

// New builds the site and registers the routes. blobs is the media store
// served under /media/ (nil serves none).
func New(cfg Config, store Store, blobs fs.FS) *Server {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://127.0.0.1:8080"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, tagHost: tagHostOf(cfg.BaseURL), store: readTracker{store}, blobs: blobs, log: cfg.Logger, mux: http.NewServeMux(),
		params: map[string][]string{}, siteByLang: map[jarchy.Lang]*site{}}
	s.assets = loadAssets()
	s.comments = newCommentGuard(cfg.CommentLimits, cfg.Now)
	s.unsubscribe = store.Subscribe(func(ch jarchy.Change) {
		if ch.Touches(jarchy.TopicSite) { // settings, menu, static pages
			s.forgetSite()
		}
		s.comments.forgetTargets(ch)
	})
	s.routes()
	s.handler = s.secure(s.recoverPanics(s.declaredQuery(s.mux)))
	return s
}

// Close stops listening to store changes.
func (s *Server) Close() error {
	s.unsubscribe()
	return nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// httpError is an error with the status a reader gets.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string {
	if e.err == nil {
		return http.StatusText(e.status)
	}
	return e.err.Error()
}
func (e *httpError) Unwrap() error { return e.err }

var errNotFound = &httpError{status: http.StatusNotFound}

func badRequest(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, err: fmt.Errorf(format, args...)}
}

// statusOf maps an error to the HTTP status a reader gets.
func statusOf(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.status
	}
	switch jarchy.ErrorCode(err) {
	case jarchy.ENOTFOUND:
		return http.StatusNotFound
	case jarchy.EINVALID:
		return http.StatusBadRequest
	}
	if errors.Is(err, context.Canceled) {
		return 499 // client went away; nobody reads the answer
	}
	return http.StatusInternalServerError
}

// handlerFunc is a page handler: it renders the page or returns an error
// that becomes a 4xx/5xx page in lang.
type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error

// wrap turns a handlerFunc for one language into an http.Handler. The
// answer, error pages included, names the topics of what the handler read
// in its Surrogate-Key header (topics.go).
func (s *Server) wrap(h handlerFunc, lang jarchy.Lang) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w, r = withTopics(w, r)
		if err := h(s, w, r, lang); err != nil {
			s.fail(w, r, lang, err)
		}
	})
}

// fail answers with the error page for err in lang.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang jarchy.Lang, err error) {
	status := statusOf(err)
	switch {
	case status == 499:
		return
	case status >= 500:
		s.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case status == http.StatusBadRequest:
		s.log.Debug("bad request", "path", r.URL.Path, "err", err)
	}
	s.errorPage(w, r, lang, status)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes page p with its content component. Rendering to a
// buffer first means a failure still becomes a clean 500 page instead of
// half a page, and the page goes out with a Content-Length.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, p *Page, content templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	if err := layout(p, content).Render(r.Context(), buf); err != nil {
		return fmt.Errorf("render %s: %w", r.URL.Path, err)
	}
	h := w.Header()
	if p.Script != "" { // the comment form's page: its one script may run
		h.Set("Content-Security-Policy", commentsPagePolicy)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(p.Lang))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	// No Last-Modified: a page holds more than its main content (menu,
	// related stories, latest news), so no content date can promise that
	// the bytes did not change since. The page cache dates what it stores.
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// now is the site's clock, for publication checks.
func (s *Server) now() time.Time { return s.cfg.Now() }

// siteName returns the site's name in lang.
func (s *Server) siteName(st jarchy.Settings, lang jarchy.Lang) string {
	if n := strings.TrimSpace(st.SiteName[lang]); n != "" {
		return n
	}
	if n := strings.TrimSpace(s.cfg.SiteName[lang]); n != "" {
		return n
	}
	return i18n.T(lang, "site.name")
}
