package demo

import (
	"strings"
	"unicode/utf8"
)

// A small Kyrgyz noun inflector for the synthetic corpus: plural, case and
// third-person possessive suffixes with vowel harmony and consonant
// assimilation, so generated text holds the many word forms a Kyrgyz
// search must cope with.

const vowels = "аеиоуүөыэюяё"

func isVowel(r rune) bool { return strings.ContainsRune(vowels, r) }

func isVoiceless(r rune) bool { return strings.ContainsRune("кпстфхцчшщ", r) }

// lastVowel returns the last vowel of w ('а' when it has none).
func lastVowel(w string) rune {
	for i := len(w); i > 0; {
		r, size := utf8.DecodeLastRuneInString(w[:i])
		i -= size
		if isVowel(r) {
			switch r {
			case 'я':
				return 'а'
			case 'ю':
				return 'у'
			case 'ё':
				return 'о'
			case 'э':
				return 'е'
			}
			return r
		}
	}
	return 'а'
}

func lastRune(w string) rune {
	r, _ := utf8.DecodeLastRuneInString(w)
	return r
}

// harmA picks the low vowel of a suffix: а е о ө (а after у: суулар,
// шайлоосунда).
func harmA(w string) string {
	switch lastVowel(w) {
	case 'е', 'и':
		return "е"
	case 'о':
		return "о"
	case 'ө', 'ү':
		return "ө"
	}
	return "а"
}

// harmY picks the high vowel of a suffix: ы и у ү.
func harmY(w string) string {
	switch lastVowel(w) {
	case 'е', 'и':
		return "и"
	case 'о', 'у':
		return "у"
	case 'ө', 'ү':
		return "ү"
	}
	return "ы"
}

// soften voices a final к or п before a vowel-initial suffix (мектеп ->
// мектеби, жүрөк -> жүрөгү).
func soften(w string) string {
	switch lastRune(w) {
	case 'к':
		return w[:len(w)-len("к")] + "г"
	case 'п':
		return w[:len(w)-len("п")] + "б"
	}
	return w
}

func plural(w string) string {
	r := lastRune(w)
	switch {
	case isVowel(r) || r == 'й' || r == 'р':
		return w + "л" + harmA(w) + "р"
	case isVoiceless(r):
		return w + "т" + harmA(w) + "р"
	}
	return w + "д" + harmA(w) + "р"
}

// dt returns д or т for a suffix after w.
func dt(w string) string {
	if isVoiceless(lastRune(w)) {
		return "т"
	}
	return "д"
}

func locative(w string) string { return w + dt(w) + harmA(w) }
func ablative(w string) string { return w + dt(w) + harmA(w) + "н" }

func dative(w string) string {
	r := lastRune(w)
	if isVoiceless(r) {
		return w + "к" + harmA(w)
	}
	return w + "г" + harmA(w)
}

func genitive(w string) string {
	r := lastRune(w)
	switch {
	case isVowel(r):
		return w + "н" + harmY(w) + "н"
	case isVoiceless(r):
		return w + "т" + harmY(w) + "н"
	}
	return w + "д" + harmY(w) + "н"
}

func accusative(w string) string {
	g := genitive(w)
	return g[:len(g)-len("н")]
}

func possessive3(w string) string {
	if isVowel(lastRune(w)) {
		return w + "с" + harmY(w)
	}
	return soften(w) + harmY(w)
}

// Cases after a third-person possessive take a pronominal н.
func possLocative(w string) string { p := possessive3(w); return p + "нд" + harmA(p) }
func possDative(w string) string   { p := possessive3(w); return p + "н" + harmA(p) }
func possAblative(w string) string { p := possessive3(w); return p + "нд" + harmA(p) + "н" }
func possAccus(w string) string    { return possessive3(w) + "н" }

// kyForm inflects w by a form name used in the sentence templates.
func kyForm(w, form string) string {
	switch form {
	case "pl":
		return plural(w)
	case "loc":
		return locative(w)
	case "abl":
		return ablative(w)
	case "dat":
		return dative(w)
	case "gen":
		return genitive(w)
	case "acc":
		return accusative(w)
	case "poss":
		return possessive3(w)
	case "possloc":
		return possLocative(w)
	case "possdat":
		return possDative(w)
	case "possabl":
		return possAblative(w)
	case "possacc":
		return possAccus(w)
	case "plloc":
		return locative(plural(w))
	case "pldat":
		return dative(plural(w))
	case "plgen":
		return genitive(plural(w))
	case "plabl":
		return ablative(plural(w))
	case "plposs":
		return possessive3(plural(w))
	case "placc":
		return accusative(plural(w))
	}
	return w
}
