package markup

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sharedDir finds /work/shared: $JARCHY_SHARED, else ../shared from the
// repository root.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("JARCHY_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared data not found at %s (set JARCHY_SHARED): %v", dir, err)
	}
	return dir
}

type pathoCase struct {
	Name       string `json:"name"`
	Prefix     string `json:"prefix"`
	Unit       string `json:"unit"`
	Repeat     int    `json:"repeat"`
	Suffix     string `json:"suffix"`
	ThenUnit   string `json:"then_unit"`
	ThenRepeat int    `json:"then_repeat"`
	Generator  string `json:"generator"`
	Literal    string `json:"literal"`
}

func (c pathoCase) build() (string, error) {
	switch {
	case c.Literal != "":
		return c.Literal, nil
	case c.Generator != "":
		var b strings.Builder
		switch {
		case strings.Contains(c.Generator, "'* a"): // deeply nested lists
			for x := 0; x <= 999; x++ {
				b.WriteString(strings.Repeat("  ", x) + "* a\n")
			}
		case strings.Contains(c.Generator, "'`'"): // backticks
			for x := 1; x <= 9999; x++ {
				b.WriteString("e" + strings.Repeat("`", x))
			}
		case strings.Contains(c.Generator, "]: u"): // many references
			for x := 1; x <= 800000; x++ {
				fmt.Fprintf(&b, "[%d]: u\n", x)
			}
			b.WriteString(strings.Repeat("[0] ", 50000))
		default:
			return "", fmt.Errorf("unknown generator %q", c.Generator)
		}
		return b.String(), nil
	}
	return c.Prefix + strings.Repeat(c.Unit, c.Repeat) + c.Suffix + strings.Repeat(c.ThenUnit, c.ThenRepeat), nil
}

// TestPathological renders every case of the shared hostile Markdown set
// through the public functions (which bound the input size first).
// The deadline only stops a hung test; it is not a speed assertion.
func TestPathological(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(sharedDir(t), "testdata-hostile", "markdown", "pathological-markdown.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Cases []pathoCase }
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range set.Cases {
		t.Run(c.Name, func(t *testing.T) {
			in, err := c.build()
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan string, 1)
			go func() {
				start := time.Now()
				out := string(Article(in))
				t.Logf("%d bytes in, %d bytes out, %v", len(in), len(out), time.Since(start))
				_ = Comment(in)
				_ = Plain(in, 300)
				done <- out
			}()
			select {
			case out := <-done:
				if len(out) > 40*len(in)+1024 {
					t.Errorf("output %d bytes for %d bytes of input", len(out), len(in))
				}
				if err := checkSafe(out); err != "" {
					t.Errorf("unsafe output: %s", err)
				}
			case <-time.After(2 * time.Minute):
				t.Fatalf("rendering %d bytes did not finish", len(in))
			}
		})
	}
}
