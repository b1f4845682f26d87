package search

import (
	"os"
	"strings"
	"testing"
)

// TestTraceKyrgyz prints the analysis of the words in $KYW (a debugging
// aid: KYW="шайлоодон балдарга" go test -run TraceKyrgyz -v ./search).
func TestTraceKyrgyz(t *testing.T) {
	words := strings.Fields(os.Getenv("KYW"))
	if len(words) == 0 {
		t.Skip("set KYW to words to trace")
	}
	for _, w := range words {
		var tr []string
		once, _, _ := stemKyOnce([]rune(fold(w)), false, false, 0, &tr)
		t.Logf("%s -> %s (first pass %s %v)", w, StemKyrgyz(fold(w)), once, tr)
	}
}
