// Package jarchy holds the domain of the jarchy news publishing system:
// articles, sections, tags, authors, static pages, site settings, the
// workflow states, validation and error codes, and the service interfaces
// that the stores (sqlite/, postgres/) implement. It imports no database,
// HTTP or template package.
package jarchy

// Lang is a site language code used in URLs and content.
type Lang string

// The site languages. Kyrgyz is the default; Russian and English are peers.
const (
	Kyrgyz  Lang = "ky"
	Russian Lang = "ru"
	English Lang = "en"
)

// DefaultLang is the language of the site root and of pages whose language
// cannot be told from the URL.
const DefaultLang = Kyrgyz

// Langs lists the site languages in menu order.
var Langs = []Lang{Kyrgyz, Russian, English}

// ParseLang returns the Lang for a code, and whether it is a site language.
func ParseLang(s string) (Lang, bool) {
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// Valid reports whether l is a site language.
func (l Lang) Valid() bool { _, ok := ParseLang(string(l)); return ok }
