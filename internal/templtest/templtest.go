// Package templtest checks that the committed *_templ.go files of a
// package are what templ generates from its *.templ files.
package templtest

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

// Current fails t for every *.templ file of the working folder (a
// package's tests run in its folder) whose generated file is missing or
// stale; pkg names the package in the message ("./web").
func Current(t *testing.T, pkg string) {
	t.Helper()
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
			t.Fatalf("%s has no generated %s: run go generate %s", name, goFile, pkg)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what %s generates: run go generate %s", goFile, name, pkg)
		}
	}
}
