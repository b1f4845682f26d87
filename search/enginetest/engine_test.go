// Package enginetest checks search's query rendering against the real
// engines: SQLite FTS5 (modernc.org/sqlite) and PostgreSQL tsquery
// (internal/pgtest). It lives apart from search so that the analysis
// package and its fuzz tests build without the database drivers.
package enginetest_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/search"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// hostileQueries are what readers (and attackers) type.
var hostileQueries = []string{
	"", " ", `"`, `""`, `"""`, `*`, `-`, `--`, `- -`, `-"`, `NEAR`, `NEAR(шайлоо депутат, 2)`,
	`title:шайлоо`, `^шайлоо`, `шайлоо*`, `(шайлоо OR депутат)`, `шайлоо AND`, `NOT шайлоо`,
	`'`, `''; DROP TABLE docs; --`, `\`, `a:*`, `!шайлоо`, `шайлоо & | ! <-> :*`, `{шайлоо}`,
	"\xff\xfe", "шайлоо\x00депутат", strings.Repeat(`"(`, 3000), strings.Repeat("ш", 10000),
	`шайлоо -"депутаттар`, `KOICAнын`, `оюн-зоок`, `-оюн-зоок`, `"оюн-зоок"`, `выборы`, `don't`,
	"шайл", "ж", "жа", "жана", "2020-жылы",
}

var engineDocs = []struct {
	lang        jarchy.Lang
	title, body string
}{
	{jarchy.Kyrgyz, "Шайлоо жыйынтыктары", "Борбордук шайлоо комиссиясы шайлоонун жыйынтыгын жарыялады."},
	{jarchy.Kyrgyz, "Депутаттар жыйналды", "Жогорку Кеңештин депутаттары шайлоолорго даярдык көрүштү."},
	{jarchy.Kyrgyz, "Оюн-зоок программасы", "Ош шаарында оюн-зоок программалар тартууланат."},
	{jarchy.Kyrgyz, "KOICA долбоору", "KOICAнын долбоору Нарында башталды."},
	{jarchy.Russian, "Выборы в парламент", "Итоги выборов объявлены комиссией."},
}

func TestQueriesOnSQLiteFTS5(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "fts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = "unicode61 remove_diacritics 0")`); err != nil {
		t.Fatal(err)
	}
	for i, d := range engineDocs {
		if _, err := db.Exec(`INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)`, i+1, search.IndexText(d.lang, d.title), search.IndexText(d.lang, d.body)); err != nil {
			t.Fatal(err)
		}
	}
	search := func(lang jarchy.Lang, s string) []int {
		t.Helper()
		expr := search.ParseQuery(lang, s).FTS5()
		if expr == "" {
			return nil
		}
		rows, err := db.Query(`SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0), rowid`, expr)
		if err != nil {
			t.Fatalf("query %q -> FTS5 %q: %v", s, expr, err)
		}
		defer rows.Close()
		var ids []int
		for rows.Next() {
			var id int
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("query %q -> FTS5 %q: %v", s, expr, err)
		}
		return ids
	}
	for _, lang := range jarchy.Langs {
		for _, s := range hostileQueries {
			search(lang, s) // must not fail
		}
	}
	checkResults(t, search)
}

func checkResults(t *testing.T, search func(jarchy.Lang, string) []int) {
	t.Helper()
	ky := jarchy.Kyrgyz
	cases := []struct {
		lang jarchy.Lang
		q    string
		want []int
	}{
		{ky, "шайлоо ", []int{1, 2}},
		{ky, "шайлоодон ", []int{1, 2}},
		{ky, "шайлоо -депутат ", []int{1}},
		{ky, `"жогорку кеңеш" `, []int{2}},
		{ky, `"кеңеш жогорку" `, nil},
		{ky, "оюн-зоок ", []int{3}},
		{ky, "KOICA ", []int{4}},
		{ky, "шайл", []int{1, 2}},
		{jarchy.Russian, "выборы ", []int{5}},
		{jarchy.Russian, "выборов ", []int{5}},
	}
	for _, c := range cases {
		got := search(c.lang, c.q)
		a, b := append([]int(nil), got...), append([]int(nil), c.want...)
		sortInts(a)
		sortInts(b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s %q: got %v, want %v", c.lang, c.q, got, c.want)
		}
	}
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func TestQueriesOnPostgreSQL(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE docs (id int PRIMARY KEY, doc tsvector)`); err != nil {
		t.Fatal(err)
	}
	for i, d := range engineDocs {
		doc := search.IndexText(d.lang, d.title) + " " + search.IndexText(d.lang, d.body)
		if _, err := conn.Exec(ctx, `INSERT INTO docs VALUES ($1, to_tsvector('simple', $2))`, i+1, doc); err != nil {
			t.Fatal(err)
		}
	}
	search := func(lang jarchy.Lang, s string) []int {
		t.Helper()
		expr := search.ParseQuery(lang, s).TSQuery()
		if expr == "" {
			return nil
		}
		rows, err := conn.Query(ctx, `SELECT id FROM docs WHERE doc @@ to_tsquery('simple', $1) ORDER BY id`, expr)
		if err != nil {
			t.Fatalf("query %q -> tsquery %q: %v", s, expr, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			t.Fatalf("query %q -> tsquery %q: %v", s, expr, err)
		}
		// the same text must also parse as a tsquery literal
		if _, err := conn.Exec(ctx, `SELECT $1::tsquery`, expr); err != nil {
			t.Fatalf("tsquery literal %q: %v", expr, err)
		}
		return ids
	}
	for _, lang := range jarchy.Langs {
		for _, s := range hostileQueries {
			search(lang, s)
		}
	}
	checkResults(t, search)
}
