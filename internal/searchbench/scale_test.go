// Package searchbench measures search at scale on both stores: indexing
// throughput and query latency over a generated corpus (demo.Generate, a
// mix of Kyrgyz and Russian). It runs only with JARCHY_SCALE=1 (see
// bench/search.sh); JARCHY_SCALE_N sets the corpus size (default 100000)
// and JARCHY_SCALE_STORES the stores ("sqlite,postgres"). With
// JARCHY_SCALE_DIR the SQLite database is kept in that folder and reused
// by later runs (which then measure queries only); JARCHY_SCALE_PG_URL
// does the same for PostgreSQL: that database is used instead of a
// throwaway one, and reused when it already holds the corpus.
package searchbench_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/search"
	"github.com/jarchy/jarchy/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSearchScale(t *testing.T) {
	if os.Getenv("JARCHY_SCALE") != "1" {
		t.Skip("scale measurement: set JARCHY_SCALE=1 (see bench/search.sh)")
	}
	n := 100_000
	if v := os.Getenv("JARCHY_SCALE_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 {
			t.Fatalf("JARCHY_SCALE_N=%q", v)
		}
	}
	stores := "sqlite,postgres"
	if v := os.Getenv("JARCHY_SCALE_STORES"); v != "" {
		stores = v
	}
	for _, name := range strings.Split(stores, ",") {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var st jarchy.Store
			var err error
			reuse := false
			switch name {
			case "sqlite":
				dir := os.Getenv("JARCHY_SCALE_DIR")
				if dir == "" {
					dir = t.TempDir()
				}
				path := filepath.Join(dir, fmt.Sprintf("scale-%d.db", n))
				if _, err := os.Stat(path); err == nil {
					reuse = true
				}
				st, err = sqlite.Open(ctx, path)
			case "postgres":
				url := os.Getenv("JARCHY_SCALE_PG_URL")
				if url == "" {
					url = pgtest.URL(t)
				}
				var db *postgres.DB
				if db, err = postgres.Open(ctx, url); err == nil {
					st = db
					_, lerr := db.ArticleByExternalID(ctx, demo.GenExternalID(n))
					reuse = lerr == nil
				}
			default:
				t.Fatalf("unknown store %q", name)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			measure(t, st, n, reuse)
		})
	}
}

func measure(t *testing.T, st jarchy.Store, n int, reuse bool) {
	if !reuse {
		build(t, st, n)
	}
	queryLatency(t, st, n)
}

func build(t *testing.T, st jarchy.Store, n int) {
	ctx := context.Background()
	blobs, err := media.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer blobs.Close()

	start := time.Now()
	last := time.Now()
	err = demo.Generate(ctx, st, blobs, n, func(done int) {
		if time.Since(last) > 30*time.Second {
			last = time.Now()
			t.Logf("  generated %d/%d (%.0f/s)", done, n, float64(done)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	gen := time.Since(start)
	t.Logf("RESULT %s: generated and indexed %d articles in %v: %.0f articles/s (store write + index in the same transactions)",
		t.Name(), n, gen.Round(time.Second), float64(n)/gen.Seconds())

	start = time.Now()
	if err := st.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	re := time.Since(start)
	t.Logf("RESULT %s: Reindex of %d articles in %v: %.0f articles/s", t.Name(), n, re.Round(time.Second), float64(n)/re.Seconds())
}

func queryLatency(t *testing.T, st jarchy.Store, n int) {
	ctx := context.Background()
	if os.Getenv("GOGC") == "" {
		// searches run inside `jarchy serve`, which collects garbage at
		// GOGC=400 (cmd/jarchy/gc.go); measure them the same way
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}

	queries := twoWordQueries(t, st, n, 300)
	for _, mode := range []struct {
		name   string
		suffix string
		sort   string
		cut    int  // keep this many letters of the last word (0: all)
		titles bool // title suggestions: 8 hits, no snippets (/api/v1/search/suggest)
	}{
		{"typed (prefix on the last word), relevance", "", "", 0, false},
		{"typed, 2 letters of the last word, relevance", "", "", 2, false},
		{"typed, 3 letters of the last word, relevance", "", "", 3, false},
		{"finished words, relevance", " ", "", 0, false},
		{"finished words, by date", " ", jarchy.SortDate, 0, false},
		{"title suggestions, 2 letters of the last word", "", "", 2, true},
		{"title suggestions, typed", "", "", 0, true},
	} {
		var lat []time.Duration
		totals := 0
		var cpu time.Duration
		for round := 0; round < 2; round++ { // the first round warms caches
			lat = lat[:0]
			totals = 0
			cpu0 := cpuTime()
			for _, q := range queries {
				t0 := time.Now()
				text := q.text
				if mode.cut > 0 {
					text = cutLastWord(text, mode.cut)
				}
				sq := jarchy.SearchQuery{Text: text + mode.suffix, Lang: q.lang, Sort: mode.sort, Limit: 20}
				if mode.titles {
					sq.Limit, sq.NoSnippets = 8, true
				}
				res, err := st.Search(ctx, sq)
				if err != nil {
					t.Fatalf("%q: %v", q.text, err)
				}
				lat = append(lat, time.Since(t0))
				totals += res.Total
			}
			cpu = cpuTime() - cpu0
		}
		slices.Sort(lat)
		t.Logf("RESULT %s: %d two-word queries, %s: p50 %v, p90 %v, p99 %v, max %v; CPU of this process %v per query; mean matches %d",
			t.Name(), len(lat), mode.name, pct(lat, 50), pct(lat, 90), pct(lat, 99), lat[len(lat)-1],
			(cpu / time.Duration(len(lat))).Round(10*time.Microsecond), totals/len(lat))
	}
	// misspelt words: the fuzzy fallback
	var lat []time.Duration
	fuzzy := 0
	cpu0 := cpuTime()
	for _, q := range queries[:100] {
		typo := misspell(q.text)
		t0 := time.Now()
		res, err := st.Search(ctx, jarchy.SearchQuery{Text: typo + " ", Lang: q.lang, Limit: 20})
		if err != nil {
			t.Fatalf("%q: %v", typo, err)
		}
		lat = append(lat, time.Since(t0))
		if res.Fuzzy {
			fuzzy++
		}
	}
	cpu := cpuTime() - cpu0
	slices.Sort(lat)
	t.Logf("RESULT %s: %d misspelt two-word queries: p50 %v, p99 %v; CPU of this process %v per query; %d answered fuzzily", t.Name(), len(lat),
		pct(lat, 50), pct(lat, 99), (cpu / time.Duration(len(lat))).Round(10*time.Microsecond), fuzzy)
}

// cpuTime is the user+system CPU time of this process (a measure that
// other load on a shared machine does not inflate, unlike latency).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func pct(d []time.Duration, p int) time.Duration {
	i := (len(d)*p + 99) / 100
	return d[min(max(i-1, 0), len(d)-1)].Round(10 * time.Microsecond)
}

type query struct {
	lang jarchy.Lang
	text string
}

// twoWordQueries picks two content words from the title and lead of
// random generated articles, so each query has matches.
func twoWordQueries(t *testing.T, st jarchy.Store, n, count int) []query {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	var out []query
	for tries := 0; len(out) < count && tries < count*10; tries++ {
		a, err := st.ArticleByExternalID(ctx, demo.GenExternalID(1+r.IntN(n)))
		if err != nil {
			t.Fatal(err)
		}
		var words []string
		for _, tok := range search.Analyze(a.Lang, a.Title+" "+a.Lead) {
			if tok.Term != "" && utf8.RuneCountInString(tok.Text) >= 4 && !strings.ContainsAny(tok.Text, "-'’") {
				words = append(words, strings.ToLower(tok.Text))
			}
		}
		if len(words) < 2 {
			continue
		}
		i := r.IntN(len(words))
		j := r.IntN(len(words) - 1)
		if j >= i {
			j++
		}
		out = append(out, query{a.Lang, words[i] + " " + words[j]})
	}
	if len(out) == 0 {
		t.Fatal("no queries")
	}
	return out
}

// cutLastWord keeps the first n letters of the last word of s.
func cutLastWord(s string, n int) string {
	i := strings.LastIndexByte(s, ' ')
	r := []rune(s[i+1:])
	return s[:i+1] + string(r[:min(n, len(r))])
}

// misspell swaps two inner letters of the first word.
func misspell(s string) string {
	w, rest, _ := strings.Cut(s, " ")
	r := []rune(w)
	if len(r) >= 5 {
		r[2], r[3] = r[3], r[2]
	}
	return fmt.Sprintf("%s %s", string(r), rest)
}
