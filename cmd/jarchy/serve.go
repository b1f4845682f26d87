package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/internal/clientip"
	"github.com/jarchy/jarchy/newsroom"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/scheduler"
	"github.com/jarchy/jarchy/web"
)

func init() {
	register(command{name: "serve", summary: "run the public site and the newsroom (/newsroom/)", run: runServe})
}

// testWrap, set only by tests, wraps the site handler (to add a slow
// endpoint for the graceful shutdown test).
var testWrap func(http.Handler) http.Handler

// shutdownTimeout bounds how long requests in flight may take to finish.
const shutdownTimeout = 30 * time.Second

// mediaAroundCache sends /media/ requests straight to the site, around
// the page cache: media bytes stay out of its memory (the OS page cache
// and http.ServeContent serve them), everything else goes through it.
func mediaAroundCache(site, cached http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/media/") {
			site.ServeHTTP(w, r)
			return
		}
		cached.ServeHTTP(w, r)
	})
}

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", "serve [flags]")
	var bad []string
	addr := stringFlag(fs, e, "addr", "127.0.0.1:8080", "address to listen on")
	sf := addStoreFlags(fs, e)
	noDemo := boolFlag(fs, e, "no-demo", false, "do not seed the demo edition into an empty store", &bad)
	baseURL := stringFlag(fs, e, "base-url", "", "public origin for canonical links (default http://<addr>)")
	cacheMB := intFlag(fs, e, "cache-mb", 64, "page cache size in MiB; 0 turns the cache off", &bad)
	fast := boolFlag(fs, e, "fast", true, "answer cache hits on a fast HTTP/1.1 path in front of net/http; false serves with net/http only", &bad)
	trustedProxies := stringFlag(fs, e, "trusted-proxies", "", "comma-separated addresses or prefixes (10.0.0.0/8) of reverse proxies whose X-Forwarded-For names the client; empty trusts no one, so rate limits key on the peer address")
	commentIPLimit := stringFlag(fs, e, "comment-ip-limit", "5/20s", "comments one client IP (an IPv6 /64) may post at once, then one per period: BURST/PERIOD")
	commentArticleLimit := stringFlag(fs, e, "comment-article-limit", "30/2s", "comments one article may take at once, then one per period: BURST/PERIOD")
	commentIPDays := intFlag(fs, e, "comment-ip-days", 30, "days a comment keeps its client IP before it is erased", &bad)
	pprofAddr := stringFlag(fs, e, "pprof", "", "also serve runtime profiles (net/http/pprof) on this address, e.g. 127.0.0.1:6060; keep it on loopback")
	if code := parse(fs, e, args, bad); code >= 0 {
		return code
	}
	clientIP, err := clientip.Parse(*trustedProxies)
	if err != nil {
		e.errorf("--trusted-proxies: %v", err)
		return 2
	}
	if fs.NArg() > 0 {
		e.errorf("serve takes no arguments, got %q", fs.Args())
		return 2
	}
	var limits web.CommentLimits
	if limits.IPBurst, limits.IPPer, err = parseLimit(*commentIPLimit); err != nil {
		e.errorf("--comment-ip-limit: %v", err)
		return 2
	}
	if limits.ArticleBurst, limits.ArticlePer, err = parseLimit(*commentArticleLimit); err != nil {
		e.errorf("--comment-article-limit: %v", err)
		return 2
	}
	if *commentIPDays < 1 {
		e.errorf("--comment-ip-days: want at least 1 day, got %d", *commentIPDays)
		return 2
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	if gogc, limit := tuneGC(e.getenv, int64(max(*cacheMB, 0))<<20); gogc != "" || limit != "" {
		log.Debug("garbage collector", "gogc", gogc, "memory_limit", limit)
	}

	if *pprofAddr != "" {
		stop, err := servePprof(*pprofAddr, log)
		if err != nil {
			e.errorf("cannot listen for pprof on %s: %v", *pprofAddr, err)
			return 1
		}
		defer stop()
	}

	st, blobs, err := sf.open(ctx)
	if err != nil {
		e.errorf("%v", err)
		return 1
	}
	defer st.Close()
	defer blobs.Close()

	if !*noDemo {
		empty, err := st.Empty(ctx)
		if err != nil {
			e.errorf("cannot read the database: %v", err)
			return 1
		}
		if empty {
			log.Info("seeding the demo edition (use --no-demo to skip)")
			if err := demo.Seed(ctx, st, blobs); err != nil {
				e.errorf("cannot seed the demo edition: %v", err)
				return 1
			}
		}
	}

	// Chores, at start and every hour, on every node (each is idempotent):
	// comments' client IPs erased after --comment-ip-days, expired
	// sessions deleted, media files no photo names removed after a day.
	choreCtx, stopChores := context.WithCancel(ctx)
	choresDone := make(chan struct{})
	go func() {
		defer close(choresDone)
		runEvery(choreCtx, time.Hour, func(ctx context.Context) {
			eraseCommentIPs(ctx, st, time.Duration(*commentIPDays)*24*time.Hour, log)
			if n, err := st.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				log.Error("delete expired sessions", "err", err)
			} else if n > 0 {
				log.Info("deleted expired sessions", "sessions", n)
			}
			if removed, _, err := sweepMedia(ctx, st, blobs, mediaSweepAge); err != nil && ctx.Err() == nil {
				log.Error("remove orphan media files", "err", err)
			} else if len(removed) > 0 {
				log.Info("removed media files no photo names", "files", len(removed))
			}
		})
	}()
	defer func() {
		stopChores()
		<-choresDone
	}()

	// Scheduled articles go live at their time on every node; what came due
	// while no node ran is published before the first request.
	sched := scheduler.New(st, log)
	if _, err := sched.PublishDue(ctx); err != nil {
		log.Error("publish scheduled articles", "err", err)
	}
	schedCtx, stopSched := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		sched.Run(schedCtx)
	}()
	defer func() { // before the store closes
		stopSched()
		<-schedDone
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		e.errorf("cannot listen on %s: %v", *addr, err)
		return 1
	}
	origin := *baseURL
	if origin == "" {
		origin = "http://" + ln.Addr().String()
	}
	if err := logSetupLink(ctx, st, origin, log); err != nil {
		e.errorf("%v", err)
		return 1
	}
	site := web.New(web.Config{BaseURL: origin, Logger: log, ClientIP: clientIP, CommentLimits: limits, MediaURL: blobs.URL}, st, blobs.FS())
	defer site.Close()

	var handler http.Handler = site
	if testWrap != nil {
		handler = testWrap(handler)
	}
	var cache *pagecache.Cache
	if *cacheMB > 0 {
		// The cache keys on the query parameters each route reads.
		cache = pagecache.New(pagecache.Options{MaxBytes: int64(*cacheMB) << 20, QueryParams: site.QueryParams})
		stop := pagecache.Watch(st, cache) // after web.New: the site forgets its settings first
		defer stop()
		// Teasers' comment counts are dropped at most every period.
		stopCounts := web.CoalesceCommentCounts(st, web.CommentCountsEvery, func() {
			cache.InvalidateTopics(string(jarchy.TopicCommentCounts))
		})
		defer stopCounts()
		handler = mediaAroundCache(handler, cache.Handler(handler))
	}
	// The newsroom sits beside the page cache, never behind it: its answers
	// are private, and a logged-in editor reading the site still gets
	// cached pages (its cookie is scoped to /newsroom).
	handler = newsroom.Beside(newsroom.New(newsroom.Config{BaseURL: origin, Logger: log, ClientIP: clientIP, Blobs: blobs}, st), handler)
	// The fast front keeps these timeouts too: a request head is due within
	// ReadHeaderTimeout (of the accept, or of its first byte on a kept-alive
	// connection), also when the front hands the connection to net/http.
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	type server interface {
		Serve(net.Listener) error
		Shutdown(context.Context) error
	}
	var s server = srv
	if *fast && cache != nil {
		s = pagecache.NewFastServer(cache, srv)
	}

	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	log.Info("serving", "url", "http://"+ln.Addr().String(), "base_url", origin, "cache_mb", *cacheMB, "fast", *fast && cache != nil)

	select {
	case err := <-served:
		e.errorf("server stopped: %v", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		e.errorf("shutdown: %v", err)
		return 1
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		e.errorf("server: %v", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// logSetupLink, when no enabled admin exists, stores a fresh one-time token
// and logs the link that creates the first admin with it. There is never a
// default password; `jarchy user add` is the other way in.
func logSetupLink(ctx context.Context, st jarchy.SetupStore, origin string, log *slog.Logger) error {
	ok, err := st.HasAdmin(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the accounts: %w", err)
	}
	if ok {
		return nil
	}
	token := jarchy.NewSessionToken()
	expires := time.Now().Add(jarchy.SetupTokenTTL)
	if err := st.CreateSetupToken(ctx, token, expires); err != nil {
		return fmt.Errorf("cannot store the setup link: %w", err)
	}
	log.Warn("no administrator yet: open this one-time link to create the first one (or run jarchy user add)",
		"url", origin+"/newsroom/setup?token="+token, "expires", expires.UTC().Format(time.RFC3339))
	return nil
}

// parseLimit reads a rate limit "BURST/PERIOD" ("5/20s").
func parseLimit(s string) (int, time.Duration, error) {
	b, p, ok := strings.Cut(s, "/")
	burst, err := strconv.Atoi(b)
	if !ok || err != nil || burst < 1 {
		return 0, 0, fmt.Errorf("want BURST/PERIOD such as 5/20s, got %q", s)
	}
	per, err := time.ParseDuration(p)
	if err != nil || per <= 0 {
		return 0, 0, fmt.Errorf("want BURST/PERIOD such as 5/20s, got %q", s)
	}
	return burst, per, nil
}

// eraseCommentIPs blanks the client IPs of comments older than keep.
func eraseCommentIPs(ctx context.Context, st jarchy.CommentStore, keep time.Duration, log *slog.Logger) {
	n, err := st.EraseCommentIPs(ctx, time.Now().Add(-keep))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Error("erase comment IPs", "err", err)
	case n > 0:
		log.Info("erased the client IPs of old comments", "comments", n)
	}
}

// runEvery runs fn now and then every period until ctx ends.
func runEvery(ctx context.Context, period time.Duration, fn func(context.Context)) {
	for {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(period):
		}
	}
}
