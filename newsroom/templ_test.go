package newsroom

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/a-h/templ/generator"
	parser "github.com/a-h/templ/parser/v2"
)

// The committed *_templ.go files are what templ generates from the *.templ
// files: an edit without `go generate ./newsroom` fails here.
func TestGeneratedTemplatesAreCurrent(t *testing.T) {
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templ files: %v", err)
	}
	for _, name := range files {
		tf, err := parser.Parse(name)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		var b bytes.Buffer
		if _, err := generator.Generate(tf, &b, generator.WithVersion(templ.Version()), generator.WithFileName(name)); err != nil {
			t.Fatalf("generate %s: %v", name, err)
		}
		want, err := format.Source(b.Bytes())
		if err != nil {
			t.Fatalf("format %s: %v", name, err)
		}
		goFile := strings.TrimSuffix(name, ".templ") + "_templ.go"
		got, err := os.ReadFile(goFile)
		if err != nil {
			t.Fatalf("%s has no generated %s: run go generate ./newsroom", name, goFile)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what %s generates: run go generate ./newsroom", goFile, name)
		}
	}
}
