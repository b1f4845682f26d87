package search

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
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestParseQuery(t *testing.T) {
	ky := jarchy.Kyrgyz
	q := ParseQuery(ky, `шайлоолорго "Жогорку Кеңеш" -депутаттар -"эл аралык" жана `)
	st := func(w string) string { return StemKyrgyz(fold(w)) }
	wantInc := [][]string{{st("шайлоолорго")}, {st("жогорку"), st("кеңеш")}}
	wantExc := [][]string{{st("депутаттар")}, {st("эл"), st("аралык")}}
	var inc, exc [][]string
	for _, c := range q.Include {
		inc = append(inc, c.Terms)
		if len(c.Prefixes) > 0 {
			t.Errorf("query ending in a space has a prefix clause: %+v", c)
		}
	}
	for _, c := range q.Exclude {
		exc = append(exc, c.Terms)
	}
	if !reflect.DeepEqual(inc, wantInc) || !reflect.DeepEqual(exc, wantExc) {
		t.Errorf("include %v exclude %v, want %v / %v", inc, exc, wantInc, wantExc)
	}

	// the last word being typed is a prefix
	q = ParseQuery(ky, "Бишкек шайло")
	last := q.Include[len(q.Include)-1]
	if len(last.Prefixes) == 0 || !strings.HasPrefix(st("шайлоо"), last.Prefixes[len(last.Prefixes)-1]) {
		t.Errorf("prefix clause = %+v; stem of шайлоо is %q", last, st("шайлоо"))
	}
	if q.Include[0].Prefixes != nil {
		t.Errorf("only the last word is a prefix")
	}

	// empty and stop-word-only queries are empty and render nothing
	for _, s := range []string{"", "   ", "жана ", `""`, "-шайлоо", "\"\" - -", "*:^()"} {
		q := ParseQuery(ky, s)
		if !q.Empty() || q.FTS5() != "" || q.TSQuery() != "" {
			t.Errorf("%q: want an empty query, got %+v fts5=%q ts=%q", s, q, q.FTS5(), q.TSQuery())
		}
	}

	// size bounds
	q = ParseQuery(ky, strings.Repeat("шайлоо ", 2000))
	if !q.Truncated || len(q.Terms()) > MaxQueryTerms {
		t.Errorf("10 KB query: truncated=%v terms=%d", q.Truncated, len(q.Terms()))
	}
	n := 0
	for _, c := range q.Include {
		n += len(c.Terms)
	}
	if n > MaxQueryTerms {
		t.Errorf("%d terms kept, max %d", n, MaxQueryTerms)
	}
}

func TestQueryRenderingIsQuoted(t *testing.T) {
	q := ParseQuery(jarchy.Kyrgyz, `NEAR(a b) title:x ^y "шайлоо`+"\xff"+`" -z* OR AND NOT`)
	f := q.FTS5()
	// every bare word of the output is an operator we wrote
	for _, w := range strings.FieldsFunc(f, func(r rune) bool { return strings.ContainsRune(` ()`, r) }) {
		if !strings.HasPrefix(w, `"`) && w != "AND" && w != "NOT" && w != "OR" {
			t.Errorf("unquoted token %q in FTS5 %q", w, f)
		}
	}
	// hand-built clauses with quotes are escaped
	hostile := Query{Lang: jarchy.Kyrgyz, Include: []Clause{{Terms: []string{`a"b`, `c'd\`}}}}
	if got := hostile.FTS5(); got != `("a""b c'd\")` {
		t.Errorf("FTS5 escaping: %s", got)
	}
	if got := hostile.TSQuery(); got != `( 'a"b' <-> 'c''d\\' )` {
		t.Errorf("tsquery escaping: %s", got)
	}
}

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
		if _, err := db.Exec(`INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)`, i+1, IndexText(d.lang, d.title), IndexText(d.lang, d.body)); err != nil {
			t.Fatal(err)
		}
	}
	search := func(lang jarchy.Lang, s string) []int {
		t.Helper()
		expr := ParseQuery(lang, s).FTS5()
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
		doc := IndexText(d.lang, d.title) + " " + IndexText(d.lang, d.body)
		if _, err := conn.Exec(ctx, `INSERT INTO docs VALUES ($1, to_tsvector('simple', $2))`, i+1, doc); err != nil {
			t.Fatal(err)
		}
	}
	search := func(lang jarchy.Lang, s string) []int {
		t.Helper()
		expr := ParseQuery(lang, s).TSQuery()
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
