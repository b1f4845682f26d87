package jarchy

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// translit maps lower-case Cyrillic letters to Latin. Kyrgyz-specific
// letters ң ө ү have their own entries; ж and х differ by language.
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'ң': "ng", 'о': "o", 'ө': "o", 'п': "p", 'р': "r", 'с': "s",
	'т': "t", 'у': "u", 'ү': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch",
	'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya", 'ӊ': "ng", 'ѳ': "o", 'і': "i", 'һ': "h",
}

// kyrgyzTranslit overrides translit for Kyrgyz, following the usual Latin
// spelling of Kyrgyz names (Jogorku Kenesh, Bishkek).
var kyrgyzTranslit = map[rune]string{'ж': "j", 'х': "h"}

// MaxSlugLen bounds slugs in bytes.
const MaxSlugLen = 80

// ValidSlug reports whether s is a clean slug: lower-case ASCII letters and
// digits in words joined by single hyphens, at most MaxSlugLen bytes.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// FallbackSlug is the slug of a name that transliterates to nothing (only
// punctuation or symbols, such as "!!!", "—" or "…", or a script without a
// Latin spelling): prefix, a hyphen and 8 hex digits of the SHA-256 of the
// trimmed, lower-cased NFC name, so that one name always gets the same slug.
func FallbackSlug(prefix, name string) string {
	sum := sha256.Sum256([]byte(norm.NFC.String(strings.ToLower(strings.TrimSpace(name)))))
	return prefix + "-" + hex.EncodeToString(sum[:4])
}

// Slugify turns a title into a readable Latin URL slug: Cyrillic is
// transliterated, accents are dropped, invisible formatting characters
// (Unicode Cf: bidi controls, soft hyphens) are skipped, anything else
// becomes a hyphen.
func Slugify(lang Lang, s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		if r == 'ъ' || r == 'ь' || unicode.Is(unicode.Cf, r) {
			continue // silent letters; invisible formatting (bidi controls, soft hyphen)
		}
		out := latinize(lang, r)
		if out == "" {
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			out = "-" + out
			hyphen = false
		}
		if b.Len()+len(out) > MaxSlugLen {
			break
		}
		b.WriteString(out)
	}
	return b.String()
}

// latinize returns the Latin spelling of one lower-case rune, or "" for a
// rune that separates words.
func latinize(lang Lang, r rune) string {
	if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
		return string(r)
	}
	if t, ok := kyrgyzTranslit[r]; ok && lang == Kyrgyz {
		return t
	}
	if t, ok := translit[r]; ok {
		return t
	}
	// Accented Latin letters lose their accents: é → e.
	var base strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if d >= 'a' && d <= 'z' {
			base.WriteRune(d)
		} else if !unicode.Is(unicode.Mn, d) {
			return ""
		}
	}
	return base.String()
}
