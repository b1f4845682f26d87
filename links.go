package jarchy

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// TextPart is a piece of a plain text: a run of text, or an address to
// link (URL holds the href: the parsed address in its escaped form).
type TextPart struct {
	Text string // as written
	URL  string // "" for plain text
}

// SplitLinks cuts a plain text (a comment) into runs of text and the
// http(s) addresses in it, the one scanner that counts links
// (CountLinks) and auto-links them on pages. An address starts with
// "http://" or "https://" (any case) not preceded by a letter or digit,
// and runs to the first space, control or format character or one of
// < > " ' ` { } | \ ^; a trailing . , ; : ! ? and an unbalanced closing
// bracket are left out. It is linked only when it parses with a host
// name (letters, digits, hyphens and dots, or an IP literal, an optional
// port) and no user info ("https://bank.kg@evil.example" stays text).
func SplitLinks(s string) []TextPart {
	var parts []TextPart
	last := 0
	for i := 0; i < len(s); {
		j := indexScheme(s, i)
		if j < 0 {
			break
		}
		end := linkEnd(s, j)
		href, ok := linkHref(s[j:end])
		if !ok || j > 0 && precededByWord(s[:j]) {
			i = j + 4
			continue
		}
		if j > last {
			parts = append(parts, TextPart{Text: s[last:j]})
		}
		parts = append(parts, TextPart{Text: s[j:end], URL: href})
		last, i = end, end
	}
	if last < len(s) {
		parts = append(parts, TextPart{Text: s[last:]})
	}
	return parts
}

// CountLinks is how many addresses SplitLinks links in s.
func CountLinks(s string) int {
	n := 0
	for _, p := range SplitLinks(s) {
		if p.URL != "" {
			n++
		}
	}
	return n
}

// indexScheme returns the index of the next "http://" or "https://" (any
// case) at or after from, or -1.
func indexScheme(s string, from int) int {
	for i := from; i+7 <= len(s); i++ {
		if c := s[i]; c != 'h' && c != 'H' {
			continue
		}
		if hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://") {
			return i
		}
	}
	return -1
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func precededByWord(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return isLetterOrDigit(r)
}

// linkEnd returns where the address starting at s[start] ends.
func linkEnd(s string, start int) int {
	end := start
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if r == utf8.RuneError && n <= 1 || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
			strings.ContainsRune("<>\"'`{}|\\^", r) {
			break
		}
		end += n
	}
	for end > start {
		c := s[end-1]
		if strings.IndexByte(".,;:!?", c) >= 0 ||
			c == ')' && strings.Count(s[start:end], "(") < strings.Count(s[start:end], ")") ||
			c == ']' && strings.Count(s[start:end], "[") < strings.Count(s[start:end], "]") {
			end--
			continue
		}
		break
	}
	return end
}

// linkHref returns the href of an address, and whether it is one to link.
func linkHref(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	host := u.Hostname()
	if host == "" || !validHost(host) {
		return "", false
	}
	if !strings.Contains(host, ":") { // a name, not an IPv6 literal: IDNA to ASCII (кабар.кг → xn--80aac8a7a.xn--c1an)
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", false
		}
		if p := u.Port(); p != "" {
			ascii += ":" + p
		}
		u.Host = ascii
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String(), true
}

// validHost accepts a DNS name of letters (any script), digits, hyphens
// and dots, or an IP literal.
func validHost(h string) bool {
	if strings.Contains(h, ":") { // IPv6 literal (Hostname dropped the brackets)
		for _, r := range h {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == ':' || r == '.') {
				return false
			}
		}
		return true
	}
	if strings.HasPrefix(h, ".") || strings.HasPrefix(h, "-") || strings.Contains(h, "..") {
		return false
	}
	for _, r := range h {
		if !(isLetterOrDigit(r) || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
