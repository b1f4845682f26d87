package search

import (
	"os"
	"testing"

	"github.com/jarchy/jarchy"
)

func TestKyrgyzRetrievalCollection(t *testing.T) {
	var res [2]RetrievalEval
	for i, stem := range []bool{false, true} {
		f, err := os.Open("testdata/ky-retrieval.tsv")
		if err != nil {
			t.Fatal(err)
		}
		res[i], err = EvalRetrieval(jarchy.Kyrgyz, f, stem)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Log(res[i].String())
	}
	if res[0].Queries < 20 {
		t.Fatalf("collection has %d queries, want at least 20", res[0].Queries)
	}
	if res[1].Recall10 < 0.9 || res[1].Recall10 < res[0].Recall10+0.3 {
		t.Errorf("stemming should lift recall@10 to at least 0.9 and by 0.3: %.3f -> %.3f", res[0].Recall10, res[1].Recall10)
	}
}
