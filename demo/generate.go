package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
)

// Generation parameters.
const (
	genBatch  = 250 // articles per transaction
	genCovers = 21  // shared cover photos (3 per scene)
	genSpan   = 5 * 365 * 24 * time.Hour
)

// GenExternalID is the import id of the i-th generated article (from 1).
func GenExternalID(i int) string { return fmt.Sprintf("gen-%07d", i) }

// Generate adds n synthetic but plausible articles to st (a mix of Kyrgyz
// and Russian, in the demo sections, with authors, tags and shared
// generated covers), published over the last five years. Article i is the
// same on every run (external id gen-000000i), so running it again updates
// instead of duplicating. progress, when not nil, is called with the number
// of articles saved so far.
func Generate(ctx context.Context, st ArticleWriter, blobs media.Store, n int, progress func(done int)) error {
	if n <= 0 {
		return nil
	}
	if err := saveSections(ctx, st); err != nil {
		return err
	}
	if err := putGenCovers(ctx, blobs); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Minute)
	step := genSpan / time.Duration(n)
	build := func(from, to int) []*jarchy.Article {
		out := make([]*jarchy.Article, 0, to-from)
		for i := from; i < to; i++ {
			out = append(out, synthArticle(i+1, now.Add(-time.Duration(n-i)*step)))
		}
		return out
	}

	g, ctx := errgroup.WithContext(ctx)
	batches := make(chan []*jarchy.Article, 4)
	// Text generation (and the look-up of what a run again updates) runs
	// ahead of the writer on a second goroutine.
	g.Go(func() error {
		defer close(batches)
		for from := 0; from < n; from += genBatch {
			b := build(from, min(n, from+genBatch))
			if err := basedOnStored(ctx, st, b); err != nil {
				return err
			}
			select {
			case batches <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	var mu sync.Mutex
	done := 0
	report := func(k int) {
		mu.Lock()
		done += k
		d := done
		mu.Unlock()
		if progress != nil {
			progress(d)
		}
	}
	g.Go(func() error {
		for b := range batches {
			if err := st.SaveArticles(ctx, b); err != nil {
				return fmt.Errorf("demo: generate: %w", err)
			}
			report(len(b))
		}
		return nil
	})
	return g.Wait()
}

// basedOnStored readies generated articles for saving: each one already
// stored (a run again) is an update of the version stored, and every
// status move is checked against the one workflow table.
func basedOnStored(ctx context.Context, st ArticleWriter, as []*jarchy.Article) error {
	for _, a := range as {
		from := jarchy.Status("")
		stored, err := st.ArticleByExternalID(ctx, a.ExternalID)
		switch {
		case err == nil:
			a.Version, from = stored.Version, stored.Status
		case !jarchy.IsNotFound(err):
			return fmt.Errorf("demo: generate: look up %s: %w", a.ExternalID, err)
		}
		if err := jarchy.CheckTransition(jarchy.RoleSystem, from, a.Status); err != nil {
			return fmt.Errorf("demo: generate: %s: %w", a.ExternalID, err)
		}
	}
	return nil
}

func genCoverKey(i int) string { return fmt.Sprintf("demo/gen/cover-%02d.jpg", i) }

func putGenCovers(ctx context.Context, blobs media.Store) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for i := range genCovers {
		g.Go(func() error {
			key := genCoverKey(i)
			if ok, err := blobs.Exists(ctx, key); err != nil || ok {
				return err
			}
			img, err := media.PhotoJPEG(media.SceneFor(i), uint64(1000+i), media.PhotoWidth, media.PhotoHeight)
			if err != nil {
				return err
			}
			return blobs.Put(ctx, key, bytes.NewReader(img))
		})
	}
	return g.Wait()
}

// synthArticle builds generated article i (from 1), deterministically.
func synthArticle(i int, published time.Time) *jarchy.Article {
	r := rand.New(rand.NewPCG(uint64(i), 0x6a6172636879))
	lang := jarchy.Kyrgyz
	if r.IntN(5) < 2 {
		lang = jarchy.Russian
	}
	sec := sections[r.IntN(len(sections))]
	var title, lead, body string
	var tags []string
	if lang == jarchy.Kyrgyz {
		title, lead, body, tags = kyText(r)
	} else {
		title, lead, body, tags = ruText(r)
	}
	a := &jarchy.Article{
		ExternalID:       GenExternalID(i),
		Lang:             lang,
		TranslationGroup: GenExternalID(i),
		Title:            title,
		Slug:             jarchy.Slugify(lang, title) + "-" + strconv.Itoa(i),
		Lead:             lead,
		Body:             body,
		Section:          jarchy.Section{Slug: sec.slug, Names: sec.names},
		Status:           jarchy.StatusPublished,
		PublishedAt:      published,
	}
	if len(a.Slug) > jarchy.MaxSlugLen {
		suffix := "-" + strconv.Itoa(i)
		a.Slug = strings.TrimRight(a.Slug[:jarchy.MaxSlugLen-len(suffix)], "-") + suffix
	}
	if r.IntN(40) == 0 {
		a.Status = jarchy.StatusDraft
		a.PublishedAt = time.Time{}
	}
	for _, t := range tags {
		a.Tags = append(a.Tags, jarchy.Tag{Name: t})
	}
	for range 1 + r.IntN(2) {
		name := pick(r, genMale) + " " + pick(r, genLast)
		if r.IntN(2) == 0 {
			name = pick(r, genFemale) + " " + pick(r, genLast) + "а"
		}
		a.Authors = append(a.Authors, jarchy.Author{Slug: jarchy.Slugify(jarchy.Kyrgyz, name), Name: name})
	}
	if r.IntN(10) < 8 {
		credit := credits[lang]
		a.Cover = &jarchy.Media{Key: genCoverKey(r.IntN(genCovers)), Credit: credit,
			Caption: lead, Alt: title, Width: media.PhotoWidth, Height: media.PhotoHeight}
	}
	return a
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// fill replaces {X} and {X.form} slots in a template.
func fill(r *rand.Rand, tmpl string, slot func(name, form string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b.WriteString(tmpl[:i])
		name, form, _ := strings.Cut(tmpl[i+1:i+j], ".")
		b.WriteString(slot(name, form))
		tmpl = tmpl[i+j+1:]
	}
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func kyText(r *rand.Rand) (title, lead, body string, tags []string) {
	topic := pick(r, kyNouns)
	place := pick(r, kyPlaces)
	slot := func(name, form string) string {
		switch name {
		case "N":
			return kyForm(topic, form)
		case "M":
			return kyForm(pick(r, kyNouns), form)
		case "P":
			return kyForm(place, form)
		case "Q":
			return kyForm(pick(r, kyPlaces), form)
		case "O":
			return kyForm(pick(r, kyOrgs), form)
		case "A":
			return pick(r, kyAdjs)
		case "V":
			return pick(r, kyVerbs)
		case "D":
			return strconv.Itoa(2 + r.IntN(98))
		case "Y":
			return strconv.Itoa(2015 + r.IntN(12))
		}
		return name
	}
	title = upperFirst(fill(r, pick(r, kyTitles), slot))
	lead = upperFirst(fill(r, pick(r, kySentences), slot))
	body = paragraphs(r, kySentences, kyQuotes, slot)
	tags = []string{topic, place}
	if r.IntN(2) == 0 {
		tags = append(tags, pick(r, kyNouns))
	}
	return
}

func ruText(r *rand.Rand) (title, lead, body string, tags []string) {
	topic := pick(r, ruNouns)
	city := pick(r, ruPlaces)
	slot := func(name, form string) string {
		switch name {
		case "N":
			return ruForm(topic, form)
		case "M":
			return ruForm(pick(r, ruNouns), form)
		case "P":
			return ruForm(city, form)
		case "Q":
			return ruForm(pick(r, ruPlaces), form)
		case "O":
			return ruForm(pick(r, ruOrgs), form)
		case "D":
			return strconv.Itoa(2 + r.IntN(98))
		case "Y":
			return strconv.Itoa(2015 + r.IntN(12))
		}
		return name
	}
	title = upperFirst(fill(r, pick(r, ruTitles), slot))
	lead = upperFirst(fill(r, pick(r, ruSentences), slot))
	body = paragraphs(r, ruSentences, ruQuotes, slot)
	tags = []string{ruForm(topic, "nom"), ruForm(city, "nom")}
	return
}

func paragraphs(r *rand.Rand, sentences, quotes []string, slot func(string, string) string) string {
	var b strings.Builder
	np := 3 + r.IntN(4)
	quoteAt := -1
	if r.IntN(3) > 0 {
		quoteAt = 1 + r.IntN(np-1)
	}
	for p := range np {
		if p > 0 {
			b.WriteString("\n\n")
		}
		if p == quoteAt {
			b.WriteString("> " + upperFirst(fill(r, pick(r, quotes), slot)) + "\n\n")
		}
		for s := range 2 + r.IntN(4) {
			if s > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(upperFirst(fill(r, pick(r, sentences), slot)))
		}
	}
	return b.String()
}

// ruForm returns a form of a Russian word given as "nom|gen|acc|ins|prep".
func ruForm(w, form string) string {
	parts := strings.Split(w, "|")
	idx := map[string]int{"nom": 0, "gen": 1, "acc": 2, "ins": 3, "prep": 4}[form]
	if idx < len(parts) {
		return parts[idx]
	}
	return parts[0]
}
