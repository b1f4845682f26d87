package jarchy

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Media is a photo with the texts a newspaper prints beside it. Path is a
// key in the media blob store; URL is an external address. One of them is set.
type Media struct {
	Path    string
	URL     string
	Caption string
	Credit  string
	Alt     string
	Width   int
	Height  int
}

// Normalize cleans the texts printed beside the photo (CleanLine). The
// address is left as it is: it names a file or a page, not text.
func (m *Media) Normalize() {
	m.Caption = CleanLine(m.Caption)
	m.Credit = CleanLine(m.Credit)
	m.Alt = CleanLine(m.Alt)
}

// ValidMediaPath reports whether p is a clean, relative, slash-separated
// UTF-8 path with no parent references and no hidden (dot) parts, safe to
// join under a media root: a key the media store can hold.
func ValidMediaPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) || !utf8.ValidString(p) {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// ValidWebURL reports whether u is an absolute http or https URL with a
// host: the one check of an external address a page links or embeds.
func ValidWebURL(u string) bool {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && p.Host != ""
}
