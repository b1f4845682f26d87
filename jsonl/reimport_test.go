package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/jarchy/jarchy"
)

// variedFile returns n lines of JSON that exercise every way a line can
// differ from what the store keeps while meaning the same article:
// surrounding spaces, mixed-case section names, duplicate and
// punctuation-only tags, offsets other than UTC, sub-microsecond times,
// covers, translations in any order, chains and cycles, given and derived
// slugs that collide, defaulted statuses, decomposed Unicode, and ids that
// occur twice (near each other and more than a batch apart). The same seed
// gives the same file.
func variedFile(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	langs := []string{"ky", "ru", "en", " ky ", "RU"[:0] + "ru"}
	sections := []string{"Politics", "POLITICS", " politics ", "Саясат", "саясат", "САЯСАТ ", "Экономика", "экономика",
		"Economy", "Маданият", "культура", "Culture", "Спорт", "sport"}
	tags := []string{"шайлоо", "Шайлоо", " шайлоо ", "Жапаров", "жапаров", "Жалал-Абад", "Хан-Тенгри", "парламент",
		"Бишкек", "Ош", "!!!", "—", "…", "★", "Ωμέγα", "budget", "Budget ", norm.NFD.String("Өкмөт"), "Өкмөт", "ёлка", "Ёлка"}
	authors := []string{"Айгүл Асанова", "айгүл асанова", " Жылдыз Жумабаева ", "Жылдыз Жумабаева", "John Smith", "—",
		"Бакыт Сыдыков", norm.NFD.String("Нурбек Төлөгөнов")}
	titles := []string{"Жаңы мыйзам кабыл алынды", "Бюджет бекитилди", "Daily digest", "Жаңылыктар", "Выборы в парламент",
		"Шайлоо ", "  Экономика өсүүдө", norm.NFD.String("Өкмөттүн жыйыны"), "!!!", "«»", "Ёлка на площади"}
	zones := []string{"+06:00", "Z", "-03:30", "+05:45", "+00:00"}
	fracs := []string{"", ".5", ".123456", ".123456789", ".000000001", ".999999999"}
	var ids []string
	var b bytes.Buffer
	for i := range n {
		id := fmt.Sprintf("v-%d", i)
		switch {
		case i > 10 && i%37 == 0: // a near duplicate: the later line wins
			id = ids[len(ids)-1-r.IntN(5)]
		case i > 300 && i%101 == 0: // a duplicate more than a batch away
			id = ids[r.IntN(len(ids)-250)]
		}
		ids = append(ids, id)
		m := map[string]any{
			"id":      pick(id, " "+id, id+" "),
			"lang":    pick(langs...),
			"title":   pick(titles...) + pick("", " ", "  \t") + fmt.Sprint(r.IntN(40)),
			"section": pick(sections...),
		}
		if r.IntN(2) == 0 {
			m["title"] = pick(titles...) + pick("", " ")
		}
		if r.IntN(3) > 0 {
			m["lead"] = pick("Кыскача.", " Кыскача мазмуну. ", "Lead with trailing space ", "") + pick("", "\n")
		}
		if r.IntN(4) > 0 {
			m["body"] = pick("Биринчи абзац.\n\n> Цитата", "Body\r\nwith CRLF  \n", "## Heading\n\n* a\n* b\n", "") + fmt.Sprint(i)
		}
		var ts []string
		for range r.IntN(6) {
			ts = append(ts, pick(tags...))
		}
		if ts != nil || r.IntN(2) == 0 {
			m["tags"] = ts
		}
		var as []string
		for range r.IntN(4) {
			as = append(as, pick(authors...))
		}
		if as != nil {
			m["authors"] = as
		}
		if r.IntN(5) > 0 {
			m["published_at"] = fmt.Sprintf("2026-%02d-%02dT%02d:%02d:%02d%s%s", 1+r.IntN(12), 1+r.IntN(28), r.IntN(24),
				r.IntN(60), r.IntN(60), pick(fracs...), pick(zones...))
		}
		switch r.IntN(8) {
		case 0:
		case 1:
			m["status"] = "draft"
		case 2:
			m["status"] = " published "
		case 3:
			m["status"] = "unpublished"
		case 4:
			m["status"] = "review"
		default:
			m["status"] = "published"
		}
		switch r.IntN(6) {
		case 0:
			// A photo's texts are the library's, one per photo: each
			// article has its own (a file giving one photo two captions
			// is not idempotent: the later line's texts win).
			m["cover"] = map[string]any{"path": pick("photos/"+id+".jpg", " photos/"+id+".jpg "), "caption": pick("Сүрөт ", " caption", ""),
				"credit": pick("Сүрөт: редакция", "AP "), "alt": pick("тоолор", "тоолор "), "width": r.IntN(3) * 800, "height": r.IntN(3) * 600}
		case 1:
			m["cover"] = map[string]any{"url": pick("https://example.org/"+id+".jpg", " http://example.org/"+id+".png "), "credit": "Photo ", "alt": "x"}
		}
		if i > 0 && r.IntN(3) == 0 {
			switch r.IntN(5) {
			case 0: // forward: an id that comes later
				m["translation_of"] = fmt.Sprintf("v-%d", i+1+r.IntN(30))
			case 1: // itself
				m["translation_of"] = id
			case 2: // nowhere in the file
				m["translation_of"] = fmt.Sprintf("elsewhere-%d", r.IntN(5))
			default:
				m["translation_of"] = pick(" ", "") + ids[r.IntN(len(ids))]
			}
		}
		if r.IntN(5) == 0 {
			m["slug"] = pick("given-slug", "given-slug", " another-slug ", fmt.Sprintf("slug-%d", r.IntN(20)))
		}
		line, _ := json.Marshal(m)
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// writes counts the store's change notifications.
func writes(st jarchy.Store) (*atomic.Int64, func()) {
	var n atomic.Int64
	unsub := st.Subscribe(func(jarchy.Change) { n.Add(1) })
	return &n, unsub
}

// TestReimportWritesNothing imports a varied file, imports it again and
// expects no write at all the second time, then checks the round trip
// export → import into an empty store → export.
func TestReimportWritesNothing(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		in := variedFile(1200, 8)
		rep, err := Import(ctx, st, bytes.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("first import: %d lines, %d created, %d updated, %d unchanged, %d superseded, %d failed",
			rep.Lines, rep.Created, rep.Updated, rep.Unchanged, rep.Superseded, rep.Failed)
		for i, e := range rep.Errors {
			if i < 10 {
				t.Errorf("%s", e)
			}
		}
		n, unsub := writes(st)
		defer unsub()
		gen, _ := st.Generation(ctx)
		rep2, err := Import(ctx, st, bytes.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n.Load() != 0 || rep2.Created+rep2.Updated != 0 {
			t.Errorf("re-import wrote %d times: %d created, %d updated, %d unchanged", n.Load(), rep2.Created, rep2.Updated, rep2.Unchanged)
		}
		if g, _ := st.Generation(ctx); g != gen {
			t.Errorf("re-import moved the generation %d -> %d", gen, g)
		}
		if rep2.Unchanged != rep.Created+rep.Updated+rep.Unchanged || rep2.Superseded != rep.Superseded {
			t.Errorf("re-import: %d unchanged, %d superseded; first import: %d created, %d updated, %d unchanged, %d superseded",
				rep2.Unchanged, rep2.Superseded, rep.Created, rep.Updated, rep.Unchanged, rep.Superseded)
		}

		var first bytes.Buffer
		if _, err := Export(ctx, st, &first, nil); err != nil {
			t.Fatal(err)
		}
		dst := open(t)
		if rep, err := Import(ctx, dst, bytes.NewReader(first.Bytes()), Options{}); err != nil || !rep.OK() {
			t.Fatalf("import of the export: %+v %v", rep, err)
		}
		var second bytes.Buffer
		if _, err := Export(ctx, dst, &second, nil); err != nil {
			t.Fatal(err)
		}
		if a, b := strings.Split(first.String(), "\n"), strings.Split(second.String(), "\n"); len(a) != len(b) {
			t.Errorf("exports differ in length: %d vs %d lines", len(a), len(b))
		} else {
			bad := 0
			for i := range a {
				if a[i] != b[i] {
					if bad++; bad <= 5 {
						t.Errorf("export line %d differs:\n%s\n%s", i+1, a[i], b[i])
					}
				}
			}
		}
		// The export imported back into its source writes nothing.
		n.Store(0)
		if rep, err := Import(ctx, st, bytes.NewReader(first.Bytes()), Options{}); err != nil || rep.Unchanged != rep.Lines || n.Load() != 0 {
			t.Errorf("export imported into its source: %d writes, %+v %v", n.Load(), rep, err)
		}
	})
}
