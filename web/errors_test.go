package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/web"
)

// panicStore is the real store with one method that panics.
type panicStore struct{ jarchy.Store }

func (panicStore) RelatedArticles(context.Context, *jarchy.Article, int) ([]*jarchy.Article, error) {
	panic("boom: secret internal state")
}

// failStore is the real store with one read failing like a broken database.
type failStore struct{ jarchy.Store }

func (failStore) Articles(context.Context, jarchy.ArticleFilter) (jarchy.ArticleList, error) {
	return jarchy.ArticleList{}, errors.New("sqlite: database disk image is malformed at /srv/secret.db")
}

func TestReaderNeverSeesAStackTrace(t *testing.T) {
	f := newFixture(t, 20)
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	for name, st := range map[string]jarchy.Store{"panic": panicStore{f.store}, "error": failStore{f.store}} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(web.New(web.Config{BaseURL: testBase, Logger: logger}, st, nil))
			defer srv.Close()
			path := articleURL(f.a["lead_ru"])
			if name == "error" {
				path = "/ru/"
			}
			res, err := client.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			body := string(b)
			if res.StatusCode != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", res.StatusCode)
			}
			if !strings.Contains(body, "Ошибка сервера") || !strings.Contains(body, `lang="ru"`) {
				t.Error("500 page is not in Russian")
			}
			for _, leak := range []string{"goroutine", ".go:", "boom", "secret", "sqlite"} {
				if strings.Contains(body, leak) {
					t.Errorf("500 page leaks %q", leak)
				}
			}
		})
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "malformed") {
		t.Error("the failures were not logged")
	}
}

func TestMethodsOtherThanGet(t *testing.T) {
	f := newFixture(t, 20)
	r := f.do(t, http.MethodPost, "/ky/")
	if r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /ky/: %d, want 405", r.status)
	}
}
