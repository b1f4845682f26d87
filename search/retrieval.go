package search

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/jarchy/jarchy"
)

// RetrievalEval is the result of running a test collection through a
// simple in-memory BM25 ranking over the analysed text.
type RetrievalEval struct {
	Stemmed  bool
	Queries  int
	Recall10 float64 // mean share of relevant documents in the top 10
	MRR      float64 // mean reciprocal rank of the first relevant document
}

func (e RetrievalEval) String() string {
	mode := "without stemming"
	if e.Stemmed {
		mode = "with stemming"
	}
	return fmt.Sprintf("%-17s recall@10 %.3f, MRR %.3f over %d queries", mode, e.Recall10, e.MRR, e.Queries)
}

// analysedTerms returns the index terms of text, or with stem false the
// folded words (stop words still dropped): the baseline without stemming.
func analysedTerms(lang jarchy.Lang, text string, stem bool) []string {
	var out []string
	for _, t := range Analyze(lang, text) {
		if t.Term == "" {
			continue
		}
		if stem {
			out = append(out, t.Term)
		} else {
			out = append(out, foldWord(t.Text))
		}
	}
	return out
}

// Collection is a retrieval test collection: documents by id, and queries
// with the ids of their relevant documents.
type Collection struct {
	Docs    []CollectionDoc
	Queries []CollectionQuery
}

// CollectionDoc is one document of a Collection.
type CollectionDoc struct{ ID, Text string }

// CollectionQuery is one query of a Collection.
type CollectionQuery struct {
	Text     string
	Relevant []string // document ids
}

// KyrgyzCollection is the package's own Kyrgyz retrieval collection
// (testdata/ky-retrieval.tsv), for measuring search end to end.
func KyrgyzCollection() (Collection, error) {
	return ParseCollection(strings.NewReader(kyRetrievalCollection))
}

// ParseCollection reads a test collection: "D\tid\ttext" documents and
// "Q\tid\tquery\trelevant ids" queries; '#' lines are comments.
func ParseCollection(r io.Reader) (Collection, error) {
	var c Collection
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), "\t")
		switch {
		case len(f) == 0 || f[0] == "" || strings.HasPrefix(f[0], "#"):
		case f[0] == "D" && len(f) == 3:
			c.Docs = append(c.Docs, CollectionDoc{ID: f[1], Text: f[2]})
		case f[0] == "Q" && len(f) == 4:
			c.Queries = append(c.Queries, CollectionQuery{Text: f[2], Relevant: strings.Fields(f[3])})
		default:
			return Collection{}, fmt.Errorf("collection line %d: want D or Q record", line)
		}
	}
	if err := sc.Err(); err != nil {
		return Collection{}, fmt.Errorf("read collection: %w", err)
	}
	return c, nil
}

// EvalRetrieval reads a test collection (see testdata/ky-retrieval.tsv:
// "D\tid\ttext" documents and "Q\tid\tquery\trelevant ids" queries) and
// measures recall@10 and MRR with or without stemming.
func EvalRetrieval(lang jarchy.Lang, r io.Reader, stem bool) (RetrievalEval, error) {
	type doc struct {
		id string
		tf map[string]int
		n  int
	}
	type query struct {
		text string
		rel  map[string]bool
	}
	c, err := ParseCollection(r)
	if err != nil {
		return RetrievalEval{}, err
	}
	var docs []doc
	var queries []query
	for _, cd := range c.Docs {
		d := doc{id: cd.ID, tf: map[string]int{}}
		for _, t := range analysedTerms(lang, cd.Text, stem) {
			d.tf[t]++
			d.n++
		}
		docs = append(docs, d)
	}
	for _, cq := range c.Queries {
		q := query{text: cq.Text, rel: map[string]bool{}}
		for _, id := range cq.Relevant {
			q.rel[id] = true
		}
		queries = append(queries, q)
	}
	df := map[string]int{}
	total := 0
	for _, d := range docs {
		total += d.n
		for t := range d.tf {
			df[t]++
		}
	}
	avg := float64(total) / math.Max(1, float64(len(docs)))
	const k1, b = 1.2, 0.75
	res := RetrievalEval{Stemmed: stem, Queries: len(queries)}
	for _, q := range queries {
		qt := analysedTerms(lang, q.text, stem)
		type scored struct {
			id    string
			score float64
		}
		var ranked []scored
		for _, d := range docs {
			s := 0.0
			for _, t := range qt {
				tf := float64(d.tf[t])
				if tf == 0 {
					continue
				}
				idf := math.Log(1 + (float64(len(docs)-df[t])+0.5)/(float64(df[t])+0.5))
				s += idf * tf * (k1 + 1) / (tf + k1*(1-b+b*float64(d.n)/avg))
			}
			if s > 0 {
				ranked = append(ranked, scored{d.id, s})
			}
		}
		sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })
		found := 0
		for i, r := range ranked {
			if !q.rel[r.id] {
				continue
			}
			if found == 0 {
				res.MRR += 1 / float64(i+1)
			}
			if i < 10 {
				found++
			}
		}
		res.Recall10 += float64(found) / math.Max(1, float64(len(q.rel)))
	}
	if len(queries) > 0 {
		res.Recall10 /= float64(len(queries))
		res.MRR /= float64(len(queries))
	}
	return res, nil
}
