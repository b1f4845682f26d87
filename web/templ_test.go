package web

import (
	"testing"

	"github.com/jarchy/jarchy/internal/templtest"
)

// The committed *_templ.go files are what templ generates from the *.templ
// files: an edit without `go generate ./web` fails here.
func TestGeneratedTemplatesAreCurrent(t *testing.T) { templtest.Current(t, "./web") }
