// Command comments measures comment posting on SQLite while article pages
// are read (bench/comments.sh builds and runs it).
//
// It starts `jarchy serve` (the binary given by --bin) on a fresh demo
// store with the page cache and the fast front, behind 127.0.0.1 as a
// trusted proxy so that each poster can name its own client address in
// X-Forwarded-For (documentation ranges; the only target is loopback).
// Then for --duration, --posters goroutines post comments as the comment
// script does (POST /comments, Accept: application/json) to every public
// article, each with a new text, while --readers goroutines read article
// pages over kept-alive connections. It prints the accepted comments per
// second, the readers' requests per second and latency percentiles, and
// the share of article reads served from the cache (X-Cache: hit).
//
// --trust publishes every comment at once (post-moderation with trusted
// newcomers): each accepted comment then drops its article page from the
// cache. By default newcomers' comments wait for moderation (the site's
// default) and publish nothing.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/sqlite"
)

func main() {
	bin := flag.String("bin", "", "jarchy binary")
	duration := flag.Duration("duration", 10*time.Second, "how long to post and read")
	posters := flag.Int("posters", 64, "concurrent comment posters")
	readers := flag.Int("readers", 4, "concurrent article readers")
	trust := flag.Bool("trust", false, "publish every comment at once (drops its article page)")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "comments: --bin is required")
		os.Exit(2)
	}
	if err := run(*bin, *duration, *posters, *readers, *trust); err != nil {
		fmt.Fprintln(os.Stderr, "comments:", err)
		os.Exit(1)
	}
}

func run(bin string, duration time.Duration, posters, readers int, trust bool) error {
	dir, err := os.MkdirTemp("", "jarchy-comments-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := seed(dir, trust); err != nil {
		return err
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--no-demo", "--trusted-proxies", "127.0.0.1",
		"--comment-ip-limit", "5/20s", "--comment-article-limit", "1000000/1s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	base, err := waitServing(stderr)
	if err != nil {
		return err
	}
	articles, err := articleList(base)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: posters + readers}}
	for _, a := range articles { // warm the cache
		for range 2 {
			if _, _, err := get(client, base+a.path); err != nil {
				return err
			}
		}
	}
	token, err := formToken(client, base)
	if err != nil {
		return err
	}
	time.Sleep(3100 * time.Millisecond) // the form's minimum time to submit

	var accepted, refused, failed, approved atomic.Int64
	var hits, reads atomic.Int64
	var latMu sync.Mutex
	var lat []time.Duration
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var ipSeq atomic.Uint32
	for p := range posters {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(p), 7))
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a := articles[rng.IntN(len(articles))]
				n := ipSeq.Add(1) // a new client address for every post: the per-IP limit is not what is measured
				ip := fmt.Sprintf("198.%d.%d.%d", 18+n>>16%2, n>>8%256, n%256)
				status, st, err := post(client, base, a, token, ip, fmt.Sprintf("Пикир %d/%d: жаңы сессия тууралуу ой %d.", p, i, rng.Uint64()))
				switch {
				case err != nil:
					failed.Add(1)
				case status == http.StatusOK:
					accepted.Add(1)
					if st == "approved" {
						approved.Add(1)
					}
				default:
					refused.Add(1)
				}
			}
		})
	}
	for r := range readers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 11))
			var mine []time.Duration
			defer func() {
				latMu.Lock()
				lat = append(lat, mine...)
				latMu.Unlock()
			}()
			for {
				select {
				case <-stop:
					return
				default:
				}
				a := articles[rng.IntN(len(articles))]
				t0 := time.Now()
				_, xcache, err := get(client, base+a.path)
				if err != nil {
					failed.Add(1)
					continue
				}
				mine = append(mine, time.Since(t0))
				reads.Add(1)
				if xcache == "hit" {
					hits.Add(1)
				}
			}
		})
	}
	start := time.Now()
	time.Sleep(duration)
	close(stop)
	wg.Wait()
	secs := time.Since(start).Seconds()

	slices.Sort(lat)
	pct := func(q float64) string {
		if len(lat) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds())/1000)
	}
	mode := "newcomers held for moderation (default)"
	if trust {
		mode = "every comment published at once (--trust)"
	}
	fmt.Printf("mode: %s; %d articles, %d posters, %d readers, %.1f s\n", mode, len(articles), posters, readers, secs)
	fmt.Printf("comments accepted: %d (%.0f/s), of them published at once: %d; refused: %d; failed requests: %d\n",
		accepted.Load(), float64(accepted.Load())/secs, approved.Load(), refused.Load(), failed.Load())
	fmt.Printf("article reads: %d (%.0f/s), cache hits %.2f%%; latency ms p50 %s, p90 %s, p99 %s, max %s\n",
		reads.Load(), float64(reads.Load())/secs, 100*float64(hits.Load())/float64(max(reads.Load(), 1)), pct(0.5), pct(0.9), pct(0.99), pct(1))
	return nil
}

// seed makes the demo edition and the comment settings.
func seed(dir string, trust bool) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "jarchy.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	blobs, err := media.OpenDir(filepath.Join(dir, "media"))
	if err != nil {
		return err
	}
	defer blobs.Close()
	if err := demo.Seed(ctx, st, blobs); err != nil {
		return err
	}
	s := jarchy.DefaultCommentSettings()
	s.CloseAfterDays = 0 // demo articles may be older than the default
	s.TrustNewcomers = trust
	return st.SaveCommentSettings(ctx, s)
}

var servingRe = regexp.MustCompile(`msg=serving url=(http://\S+)`)

func waitServing(r io.Reader) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case base := <-found:
		return base, nil
	case <-time.After(60 * time.Second):
		return "", fmt.Errorf("jarchy serve did not start within 60 s")
	}
}

type article struct {
	id   int64
	lang string
	path string
}

func articleList(base string) ([]article, error) {
	var out []article
	for _, lang := range []string{"ky", "ru", "en"} {
		res, err := http.Get(base + "/api/v1/articles?limit=100&lang=" + lang)
		if err != nil {
			return nil, err
		}
		var v struct {
			Articles []struct {
				ID  int64
				URL string
			}
		}
		err = json.NewDecoder(res.Body).Decode(&v)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		for _, a := range v.Articles {
			u, err := url.Parse(a.URL)
			if err != nil {
				return nil, err
			}
			out = append(out, article{id: a.ID, lang: lang, path: u.EscapedPath()})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no public articles")
	}
	return out, nil
}

func get(client *http.Client, u string) (int, string, error) {
	res, err := client.Get(u)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, "", err
	}
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, "", fmt.Errorf("GET %s: %d", u, res.StatusCode)
	}
	return res.StatusCode, res.Header.Get("X-Cache"), nil
}

func formToken(client *http.Client, base string) (string, error) {
	res, err := client.Get(base + "/comments/start")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var v struct{ T string }
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || v.T == "" {
		return "", fmt.Errorf("/comments/start: %v", err)
	}
	return v.T, nil
}

func post(client *http.Client, base string, a article, token, ip, text string) (int, string, error) {
	v := url.Values{"article": {strconv.FormatInt(a.id, 10)}, "lang": {a.lang}, "t": {token}, "name": {"Окурман"}, "text": {text}}
	req, err := http.NewRequest(http.MethodPost, base+"/comments", strings.NewReader(v.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var rep struct{ Status string }
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", err
	}
	_ = json.Unmarshal(b, &rep)
	return res.StatusCode, rep.Status, nil
}
