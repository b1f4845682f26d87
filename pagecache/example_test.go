package pagecache_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/pagecache"
)

// registry stands in for a jarchy.Store: Subscribe is all Watch needs.
type registry struct{ fns []func(jarchy.Change) }

func (r *registry) Subscribe(fn func(jarchy.Change)) func() {
	r.fns = append(r.fns, fn)
	return func() {}
}
func (r *registry) commit(ch jarchy.Change) {
	for _, fn := range r.fns {
		fn(ch)
	}
}

func Example() {
	title := "Шайлоо өттү"
	renders := 0
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<h1>"+title+"</h1>")
	})

	store := &registry{}
	c := pagecache.New(pagecache.Options{MaxBytes: 32 << 20})
	defer pagecache.Watch(store, c)()
	srv := httptest.NewServer(c.Handler(page))
	defer srv.Close()

	get := func() string {
		res, err := http.Get(srv.URL + "/ky/news/shailoo")
		if err != nil {
			panic(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	fmt.Println(get(), renders)
	fmt.Println(get(), renders)
	title = "Шайлоо өттү: жыйынтыктар"                                          // an edit is saved...
	store.commit(jarchy.Change{Topics: []jarchy.Topic{jarchy.ArticleTopic(1)}}) // ...and the store tells what changed
	fmt.Println(get(), renders)
	// Output:
	// <h1>Шайлоо өттү</h1> 1
	// <h1>Шайлоо өттү</h1> 1
	// <h1>Шайлоо өттү: жыйынтыктар</h1> 2
}

// Pages name their topics in Surrogate-Key; a change drops only the pages
// built from a topic it names.
func ExampleCache_InvalidateTopics() {
	renders := map[string]int{}
	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders[r.URL.Path]++
		switch r.URL.Path {
		case "/ky/":
			w.Header().Set("Surrogate-Key", "site l/lang/ky a/1 a/2")
		case "/ky/politics/a1":
			w.Header().Set("Surrogate-Key", "site a/1")
		case "/ky/economy/a2":
			w.Header().Set("Surrogate-Key", "site a/2")
		}
		io.WriteString(w, "page "+r.URL.Path)
	})
	c := pagecache.New(pagecache.Options{})
	srv := httptest.NewServer(c.Handler(site))
	defer srv.Close()
	get := func(path string) (xcache string, sent []string) {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		return res.Header.Get("X-Cache"), res.Header["Surrogate-Key"]
	}
	paths := []string{"/ky/", "/ky/politics/a1", "/ky/economy/a2"}
	for _, p := range paths {
		get(p)
	}
	c.InvalidateTopics("a/2") // article 2 was edited
	for _, p := range paths {
		xcache, sent := get(p)
		fmt.Println(p, xcache, sent)
	}
	// Output:
	// /ky/ miss []
	// /ky/politics/a1 hit []
	// /ky/economy/a2 miss []
}
