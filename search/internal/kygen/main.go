// Command kygen writes search/ky_protected.go, the Kyrgyz stemmer's
// protected stems, from the Kyrgyz gold data (../shared/kyrgyz, or
// $JARCHY_SHARED/kyrgyz). `go generate ./search` runs it; the output is
// committed, as clones have no shared folder.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jarchy/jarchy/search"
)

func main() {
	shared := os.Getenv("JARCHY_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "shared")
	}
	dir := flag.String("data", filepath.Join(shared, "kyrgyz"), "folder of the Kyrgyz gold data")
	out := flag.String("out", "ky_protected.go", "file to write")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*dir, "ud-kyrgyz-ktmu")); err != nil {
		fmt.Fprintf(os.Stderr, "kygen: Kyrgyz gold data not found at %s (set JARCHY_SHARED or -data): %v\n", *dir, err)
		os.Exit(1)
	}
	var b bytes.Buffer
	if err := search.WriteProtectedStems(&b, *dir); err != nil {
		fmt.Fprintf(os.Stderr, "kygen: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "kygen: %v\n", err)
		os.Exit(1)
	}
}
