// Package newsroom is the editors' web application at /newsroom/: one
// route table (routes.go), one handler per file, templ components
// (*.templ, compiled to *_templ.go by go generate ./newsroom) and a little
// embedded JavaScript (autosave, preview); every page works without it.
// It is mounted beside the public page cache, never inside it: every
// answer is private and no-store.
package newsroom

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/clientip"
	"github.com/jarchy/jarchy/media"
)

//go:generate go run github.com/a-h/templ/cmd/templ@v0.3.1100 generate

// Prefix is where the newsroom lives; its cookies are scoped to it.
const Prefix = "/newsroom"

// Config is what the newsroom needs besides its store.
type Config struct {
	// BaseURL is the public origin ("https://jarchy.kg"): an https origin
	// makes the session cookie Secure also behind a TLS-terminating proxy.
	BaseURL string
	// Logger receives request errors and recovered panics (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now): give it the store's clock.
	Now func() time.Time
	// SessionIdle is how long a session lives without use (default 12 hours).
	SessionIdle time.Duration
	// ClientIP finds the client's address for the login throttle:
	// X-Forwarded-For counts only from its trusted proxies.
	ClientIP clientip.Resolver
	// Blobs keeps the photos the library's uploads store (nil: uploads
	// are refused; the rest of the library works).
	Blobs media.Store
}

// Store is what the newsroom reads and writes.
type Store interface {
	jarchy.ArticleStore
	jarchy.TaxonomyStore
	jarchy.RevisionStore
	jarchy.BreakingStore
	jarchy.UserStore
	jarchy.SessionStore
	jarchy.SetupStore
	jarchy.PageStore     // admin: static pages
	jarchy.SettingsStore // admin: site settings
	jarchy.AuditStore    // admin: the audit log
	jarchy.CommentStore
	jarchy.MediaStore
}

// Server is the newsroom. It implements http.Handler.
type Server struct {
	cfg     Config
	store   Store
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	secure  bool // the site is served over https: Secure cookies always
	logins  *loginThrottle
}

// New builds the newsroom and registers its routes.
func New(cfg Config, store Store) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 12 * time.Hour
	}
	s := &Server{cfg: cfg, store: store, log: cfg.Logger, mux: http.NewServeMux(),
		secure: strings.HasPrefix(strings.ToLower(cfg.BaseURL), "https://"), logins: newLoginThrottle(cfg.Now)}
	s.routes()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	s.handler = s.headers(s.recoverPanics(cop.Handler(s.mux)))
	return s
}

// ServeHTTP serves one newsroom request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Owns reports whether path belongs to the newsroom (what a front mux
// sends here instead of to the page cache).
func Owns(path string) bool {
	return path == Prefix || strings.HasPrefix(path, Prefix+"/")
}

// Beside returns a handler that sends newsroom paths to nr and every other
// request to site (the page cache and the public site).
func Beside(nr, site http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if Owns(r.URL.Path) {
			nr.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(w, r)
	})
}

func (s *Server) now() time.Time { return s.cfg.Now() }
