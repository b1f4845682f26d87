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
