package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// latinToCyrillic maps Latin letters that look like Cyrillic ones (lower
// and upper case) to the Cyrillic letter a reader sees. Words typed with a
// mixed keyboard layout, or copied from sources such as UniMorph, hide them.
var latinToCyrillic = map[rune]rune{
	'a': 'а', 'c': 'с', 'e': 'е', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у', 'k': 'к',
	'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'K': 'К', 'M': 'М',
	'O': 'О', 'P': 'Р', 'T': 'Т', 'X': 'Х', 'Y': 'У',
}

// letterFix maps archaic or variant Cyrillic letters to the ones the index
// uses: ӊ→ң, ѳ→ө, ё→е (also upper case).
var letterFix = map[rune]rune{
	'ӊ': 'ң', 'Ӊ': 'Ң', 'ѳ': 'ө', 'Ѳ': 'Ө', 'ё': 'е', 'Ё': 'Е',
	'\u2019': '\'', '\u02BC': '\'', '\u2018': '\'',
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }
func isLatin(r rune) bool    { return unicode.Is(unicode.Latin, r) }

func nfc(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// fold returns the index form of one token: NFC, variant letters fixed,
// lower case.
func fold(s string) string {
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := letterFix[r]; ok {
			r = f
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// repairHomoglyphs replaces Latin look-alike letters in a word that also
// has Cyrillic letters, when every Latin letter in it is a look-alike.
// It reports whether the word still mixes scripts afterwards.
func repairHomoglyphs(word string) (string, bool) {
	var cyr, lat, lookalike int
	for _, r := range word {
		switch {
		case isCyrillic(r):
			cyr++
		case isLatin(r):
			lat++
			if _, ok := latinToCyrillic[r]; ok {
				lookalike++
			}
		}
	}
	if cyr == 0 || lat == 0 {
		return word, false
	}
	if lat != lookalike || acronymPlusSuffix(word) {
		return word, true
	}
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		if c, ok := latinToCyrillic[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	return b.String(), false
}

// acronymPlusSuffix reports words like "USAнын": two or more upper-case
// Latin letters followed only by lower-case Cyrillic letters.
func acronymPlusSuffix(word string) bool {
	i, n := 0, 0
	for i < len(word) {
		r, size := utf8.DecodeRuneInString(word[i:])
		if !isLatin(r) {
			break
		}
		if !unicode.IsUpper(r) {
			return false
		}
		n++
		i += size
	}
	if n < 2 || i == len(word) {
		return false
	}
	for _, r := range word[i:] {
		if !isCyrillic(r) || unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// Normalize returns text as the analyser sees it before tokenising: valid
// UTF-8, NFC, variant letters fixed and lower case. Latin look-alikes are
// repaired per word by Analyze, not here.
func Normalize(text string) string {
	return fold(strings.ToValidUTF8(text, "\uFFFD"))
}
