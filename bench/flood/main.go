// Command flood measures the page cache under a flood of misses (issue 8):
// while wrk loads a hot article at 64 connections and a reader walks the
// rest of the site's pages (the warm set), a second client requests 10,000
// distinct valid URLs that all render: search queries, page numbers past
// the end, unknown slugs, API listings and searches, and parameters no
// route reads. It prints the hot article's req/s, p50 and p99 without and
// with the flood, and the hit ratios of the hot article and of the warm
// set, counted exactly: every render that reaches the site is counted per
// URL behind the cache.
//
// The site is wired in this process as `jarchy serve` wires it: SQLite,
// the page cache keyed on the routes' parameters, the fast front and
// net/http with serve's timeouts and GC settings. Run it through
// bench/flood.sh; it needs wrk. Loopback only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

func main() {
	data := flag.String("data", "", "data folder (jarchy.db and media/); default: a temporary folder seeded with the demo edition")
	cacheMB := flag.Int("cache-mb", 64, "page cache size in MiB (serve's default)")
	duration := flag.Duration("duration", 20*time.Second, "wrk run per phase; the flood is cut off when wrk ends")
	conns := flag.Int("connections", 64, "wrk connections")
	threads := flag.Int("threads", 2, "wrk threads")
	floodN := flag.Int("flood", 10000, "distinct URLs the flood requests")
	floodConns := flag.Int("flood-conns", 4, "concurrent requests of the flood client")
	warmEvery := flag.Duration("warm-every", 5*time.Second, "the reader asks for each page of the warm set about once in this time")
	fast := flag.Bool("fast", true, "serve with the fast front, as serve does by default")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the flood phase to this file")
	flag.Parse()
	profile = *cpuProfile
	if err := run(*data, *cacheMB, *duration, *conns, *threads, *floodN, *floodConns, *fast, *warmEvery); err != nil {
		fmt.Fprintln(os.Stderr, "flood:", err)
		os.Exit(1)
	}
}

// profile is the file for the CPU profile of the flood phase ("" for none).
var profile string

// counter counts renders per URL (escaped path and query) of the hot and
// warm sets, behind the cache.
type counter struct {
	mu      sync.Mutex
	renders map[string]int
	other   atomic.Int64
}

func (c *counter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		c.mu.Lock()
		if _, ok := c.renders[u]; ok {
			c.renders[u]++
		} else {
			c.other.Add(1)
		}
		c.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (c *counter) track(urls ...string) {
	c.mu.Lock()
	for _, u := range urls {
		c.renders[u] = 0
	}
	c.mu.Unlock()
}

func (c *counter) sum(urls ...string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, u := range urls {
		n += c.renders[u]
	}
	return n
}

func (c *counter) reset() {
	c.mu.Lock()
	for u := range c.renders {
		c.renders[u] = 0
	}
	c.mu.Unlock()
	c.other.Store(0)
}

func run(data string, cacheMB int, duration time.Duration, conns, threads, floodN, floodConns int, fast bool, warmEvery time.Duration) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is missing (apt-get install -y wrk)")
	}
	ctx := context.Background()
	if data == "" {
		dir, err := os.MkdirTemp("", "jarchy-flood-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		data = dir
	}
	// serve's GC settings (cmd/jarchy/gc.go).
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(int64(cacheMB)<<20 + 64<<20)

	st, err := sqlite.Open(ctx, filepath.Join(data, "jarchy.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	blobs, err := media.OpenDir(filepath.Join(data, "media"))
	if err != nil {
		return err
	}
	defer blobs.Close()
	if err := demo.Seed(ctx, st, blobs); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	site := web.New(web.Config{BaseURL: base, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st, blobs.FS())
	defer site.Close()
	cache := pagecache.New(pagecache.Options{MaxBytes: int64(cacheMB) << 20, QueryParams: site.QueryParams})
	defer pagecache.Watch(st, cache)()
	count := &counter{renders: map[string]int{}}
	srv := &http.Server{
		Handler:           cache.Handler(count.wrap(site)),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
	}
	var fs *pagecache.FastServer
	if fast {
		fs = pagecache.NewFastServer(cache, srv)
		go fs.Serve(ln)
		defer fs.Shutdown(ctx)
	} else {
		go srv.Serve(ln)
		defer srv.Shutdown(ctx)
	}

	hot, warm, flood, err := urls(ctx, st, floodN)
	if err != nil {
		return err
	}
	count.track(hot)
	count.track(warm...)

	// Warm every page twice, each request on its own connection: the fast
	// front hands a connection whose request missed to net/http for good.
	once := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true}, Timeout: time.Minute}
	for _, u := range append([]string{hot}, warm...) {
		for range 2 {
			for _, ae := range []string{"gzip", "gzip, br"} {
				if _, err := get(once, base+u, ae); err != nil {
					return err
				}
			}
		}
	}
	fmt.Printf("hot article %s; warm set: %d pages, each read about every %s; flood: %d distinct URLs, %d at a time\n",
		hot, len(warm), warmEvery, len(flood), floodConns)
	fmt.Printf("wrk: %d threads, %d connections, %s per phase, Accept-Encoding: gzip; cache %d MiB; fast front %v\n",
		threads, conns, duration, cacheMB, fast)
	fmt.Printf("load average %s\n\n", loadavg())

	type phase struct {
		name                string
		rps, p50, p99, wrkN float64
		hotRenders          int
		warmReq, warmRend   int
		floodDone           int
		floodStatus         map[int]int
		floodRate           float64
		stats               pagecache.Stats
		handed              int64
	}
	var phases []phase
	for _, withFlood := range []bool{false, true} {
		p := phase{name: "without flood", floodStatus: map[int]int{}}
		if withFlood {
			p.name = "with flood"
		}
		count.reset()
		s0 := cache.Stats()
		var h0 int64
		if fs != nil {
			_, h0 = fs.Stats()
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		// The reader walks the warm set, one request at a time, each page
		// about once every warmEvery.
		var warmReq atomic.Int64
		reader := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: time.Minute}
		tick := time.NewTicker(warmEvery / time.Duration(len(warm)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				if _, err := get(reader, base+warm[i%len(warm)], "gzip, br"); err == nil {
					warmReq.Add(1)
				}
			}
		}()
		var floodDone atomic.Int64
		var statusMu sync.Mutex
		floodStart := time.Now()
		var floodEnd atomic.Int64
		if withFlood {
			next := atomic.Int64{}
			floodClient := &http.Client{
				Transport:     &http.Transport{MaxIdleConnsPerHost: floodConns},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
				Timeout:       time.Minute,
			}
			var fwg sync.WaitGroup
			for range floodConns {
				fwg.Add(1)
				go func() {
					defer fwg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= len(flood) {
							return
						}
						select {
						case <-stop:
							return
						default:
						}
						code, err := get(floodClient, base+flood[i], "gzip")
						if err != nil {
							code = -1
						}
						floodDone.Add(1)
						statusMu.Lock()
						p.floodStatus[code]++
						statusMu.Unlock()
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				fwg.Wait()
				floodEnd.Store(time.Now().UnixNano())
			}()
		}
		if withFlood && profile != "" {
			f, err := os.Create(profile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer f.Close()
		}
		out, err := exec.Command("wrk", "-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns),
			"-d"+strconv.Itoa(int(math.Ceil(duration.Seconds())))+"s", "--latency",
			"-H", "Accept-Encoding: gzip", base+hot).CombinedOutput()
		close(stop)
		wg.Wait()
		if withFlood && profile != "" {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return fmt.Errorf("wrk: %v\n%s", err, out)
		}
		if e := wrkErrors(string(out)); e != "" {
			fmt.Fprintf(os.Stderr, "%s: wrk: %s\n", p.name, e)
		}
		p.rps, p.p50, p.p99, p.wrkN = wrkFigures(string(out))
		p.hotRenders = count.sum(hot)
		p.warmReq, p.warmRend = int(warmReq.Load()), count.sum(warm...)
		p.floodDone = int(floodDone.Load())
		if end := floodEnd.Load(); end != 0 {
			p.floodRate = float64(p.floodDone) / time.Duration(end-floodStart.UnixNano()).Seconds()
		} else if p.floodDone > 0 {
			p.floodRate = float64(p.floodDone) / time.Since(floodStart).Seconds()
		}
		s1 := cache.Stats()
		p.stats = pagecache.Stats{Entries: s1.Entries, Bytes: s1.Bytes, Hits: s1.Hits - s0.Hits,
			Misses: s1.Misses - s0.Misses, Rejected: s1.Rejected - s0.Rejected, Evictions: s1.Evictions - s0.Evictions}
		if fs != nil {
			_, h1 := fs.Stats()
			p.handed = h1 - h0
		}
		phases = append(phases, p)
	}

	fmt.Printf("%-14s %9s %8s %8s %11s %11s %9s\n", "phase", "req/s", "p50 ms", "p99 ms", "hot hits", "warm hits", "flood")
	for _, p := range phases {
		flood := "-"
		if p.floodDone > 0 {
			flood = fmt.Sprintf("%d (%.0f/s)", p.floodDone, p.floodRate)
		}
		fmt.Printf("%-14s %9.0f %8.2f %8.2f %10s %10s  %s\n", p.name, p.rps, p.p50, p.p99,
			ratio(p.wrkN, p.hotRenders), ratio(float64(p.warmReq), p.warmRend), flood)
	}
	fmt.Println()
	for _, p := range phases {
		fmt.Printf("%s: hot article %0.f requests, %d renders; warm set %d requests, %d renders; cache: %d hits, %d misses, %d refused, %d evictions, %d entries, %.1f MiB; connections handed to net/http: %d\n",
			p.name, p.wrkN, p.hotRenders, p.warmReq, p.warmRend, p.stats.Hits, p.stats.Misses, p.stats.Rejected,
			p.stats.Evictions, p.stats.Entries, float64(p.stats.Bytes)/(1<<20), p.handed)
		if p.floodDone > 0 {
			var codes []int
			for c := range p.floodStatus {
				codes = append(codes, c)
			}
			slices.Sort(codes)
			var parts []string
			for _, c := range codes {
				parts = append(parts, fmt.Sprintf("%d×%d", p.floodStatus[c], c))
			}
			fmt.Printf("  flood answers: %s\n", strings.Join(parts, ", "))
		}
	}
	fmt.Printf("\nload average %s\n", loadavg())
	return nil
}

// ratio is the hit ratio of n requests of which renders missed.
func ratio(n float64, renders int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f%%", 100*(1-float64(renders)/n))
}

func get(c *http.Client, u, ae string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Encoding", ae)
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}

// urls returns the hot article (the newest Kyrgyz one), the warm set (the
// other public articles in every language, the homes, section, tag and
// author pages and the feeds) and the flood: n distinct URLs, each valid
// and rendered when asked for.
func urls(ctx context.Context, st jarchy.Store, n int) (hot string, warm, flood []string, err error) {
	secs, err := st.Sections(ctx)
	if err != nil {
		return "", nil, nil, err
	}
	if len(secs) == 0 {
		return "", nil, nil, errors.New("the store has no sections")
	}
	seen := map[string]bool{}
	add := func(u string) {
		if !seen[u] && u != hot {
			seen[u] = true
			warm = append(warm, u)
		}
	}
	for _, l := range jarchy.Langs {
		list, err := st.Articles(ctx, jarchy.ArticleFilter{Lang: l, PublicOnly: true, Limit: 100})
		if err != nil {
			return "", nil, nil, err
		}
		if l == jarchy.Kyrgyz {
			if len(list.Articles) == 0 {
				return "", nil, nil, errors.New("the store has no public Kyrgyz article")
			}
			a := list.Articles[0]
			hot = "/ky/" + a.Section.Slug + "/" + a.Slug
		}
		lp := "/" + string(l) + "/"
		add(lp)
		add(lp + "feed/rss.xml")
		for _, s := range secs {
			add(lp + s.Slug + "/")
		}
		for _, a := range list.Articles {
			add(lp + a.Section.Slug + "/" + a.Slug)
			for _, t := range a.Tags {
				add(lp + "tag/" + t.Slug)
			}
			for _, au := range a.Authors {
				add(lp + "author/" + au.Slug)
			}
		}
	}
	words := []string{"шайлоо", "бюджет", "мектеп", "Бишкек", "экономика", "жаңылык", "президент", "суу"}
	sec := secs[0].Slug
	for i := 0; len(flood) < n; i++ {
		w := url.QueryEscape(words[i%len(words)] + strconv.Itoa(i))
		switch i % 6 {
		case 0: // a search nobody made before
			flood = append(flood, "/ky/search?q="+w)
		case 1: // a page number past the end: 404
			flood = append(flood, "/ky/"+sec+"/?page="+strconv.Itoa(100+i/6))
		case 2: // an unknown slug: 404
			flood = append(flood, "/ky/"+sec+"/jok-makala-"+strconv.Itoa(i))
		case 3: // an API listing before a distinct time
			flood = append(flood, "/api/v1/articles?limit=5&before="+time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
		case 4: // an API search
			flood = append(flood, "/api/v1/search?q="+w)
		case 5: // a parameter no route reads: a hit on the page
			flood = append(flood, "/ky/?utm_source="+strconv.Itoa(i)+"&x="+w)
		}
	}
	return hot, warm, flood, nil
}

var (
	reqsRE = regexp.MustCompile(`(\d+) requests in`)
	rpsRE  = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	pctRE  = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$`)
)

// wrkFigures reads req/s, p50 and p99 in ms and the request count.
func wrkFigures(out string) (rps, p50, p99, n float64) {
	if m := rpsRE.FindStringSubmatch(out); m != nil {
		rps, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := reqsRE.FindStringSubmatch(out); m != nil {
		n, _ = strconv.ParseFloat(m[1], 64)
	}
	for _, m := range pctRE.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		switch m[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if m[1] == "50" {
			p50 = v
		} else {
			p99 = v
		}
	}
	return
}

func wrkErrors(out string) string {
	var errs []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "Non-2xx") || strings.Contains(l, "Socket errors") {
			errs = append(errs, strings.TrimSpace(l))
		}
	}
	return strings.Join(errs, "; ")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
