package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir finds ../shared (or $JARCHY_SHARED) relative to the repo root.
func sharedDir(t testing.TB) string {
	if d := os.Getenv("JARCHY_SHARED"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared")
}

func kyrgyzGold(t testing.TB) string {
	d := filepath.Join(sharedDir(t), "kyrgyz")
	if _, err := os.Stat(filepath.Join(d, "ud-kyrgyz-ktmu")); err != nil {
		t.Skipf("Kyrgyz gold data not found at %s (set JARCHY_SHARED): %v", d, err)
	}
	return d
}

func TestStemmerOnGoldData(t *testing.T) {
	evals, err := EvalKyrgyzGold(kyrgyzGold(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evals {
		t.Log(e.String())
		// misses are shown only for the tuning sets: TueCL stays held out
		if testing.Verbose() && !strings.Contains(e.Name, "held out") {
			for _, m := range e.TopMisses(25) {
				t.Log("   miss ", m)
			}
			if os.Getenv("CONFLATED") != "" {
				for _, c := range e.ConflatedStems {
					t.Log("   conflated ", c)
				}
			}
		}
	}
}
