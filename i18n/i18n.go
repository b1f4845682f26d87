// Package i18n holds the user-interface strings of the site in every site
// language (ky, ru, en), plural rules, month names and date formatting in
// the newsroom's time zone (Asia/Bishkek).
package i18n

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jarchy/jarchy"
)

// register adds the messages of one area (a file per area: messages.go for
// the public site, messages_newsroom.go, ...). A key defined twice panics at
// start, so two areas never silently overwrite each other.
func register(area map[string]map[jarchy.Lang]string) {
	for k, v := range area {
		if _, dup := messages[k]; dup {
			panic("i18n: message key defined twice: " + k)
		}
		messages[k] = v
	}
}

// registerPlurals is register for plural forms.
func registerPlurals(area map[string]map[jarchy.Lang][]string) {
	for k, v := range area {
		if _, dup := plurals[k]; dup {
			panic("i18n: plural key defined twice: " + k)
		}
		plurals[k] = v
	}
}

// T returns the UI string for key in lang. A key missing in lang falls back
// to the default language, then to English, then to the key itself (tests
// make sure that never happens).
func T(lang jarchy.Lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if s, ok := m[lang]; ok {
		return s
	}
	if s, ok := m[jarchy.DefaultLang]; ok {
		return s
	}
	if s, ok := m[jarchy.English]; ok {
		return s
	}
	return key
}

// Tf is T followed by fmt.Sprintf with args.
func Tf(lang jarchy.Lang, key string, args ...any) string {
	return fmt.Sprintf(T(lang, key), args...)
}

// Has reports whether key is a known UI string or plural key.
func Has(key string) bool {
	if _, ok := messages[key]; ok {
		return true
	}
	_, ok := plurals[key]
	return ok
}

// Keys returns every message key, sorted.
func Keys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Plural returns the form of key that suits the number n in lang,
// formatted with n (the forms hold one %d).
//
// Russian has three forms (one, few, many), English two (one, other) and
// Kyrgyz one: a noun after a numeral stays singular ("5 макала").
func Plural(lang jarchy.Lang, key string, n int) string {
	forms := plurals[key][lang]
	if len(forms) == 0 {
		forms = plurals[key][jarchy.English]
	}
	if len(forms) == 0 {
		return key
	}
	i := pluralIndex(lang, n)
	if i >= len(forms) {
		i = len(forms) - 1
	}
	return fmt.Sprintf(forms[i], n)
}

// pluralForms is how many plural forms each language has.
var pluralForms = map[jarchy.Lang]int{jarchy.Kyrgyz: 1, jarchy.Russian: 3, jarchy.English: 2}

func pluralIndex(lang jarchy.Lang, n int) int {
	if n < 0 {
		n = -n
	}
	switch lang {
	case jarchy.Russian:
		switch {
		case n%10 == 1 && n%100 != 11:
			return 0
		case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
			return 1
		default:
			return 2
		}
	case jarchy.English:
		if n == 1 {
			return 0
		}
		return 1
	default:
		return 0
	}
}

// LangName returns the name of a language in that language (its autonym),
// as a language switcher shows it.
func LangName(l jarchy.Lang) string { return T(l, "lang.name") }

// Locale returns the Open Graph locale of a language (ky_KG, ru_RU, en_US).
func Locale(l jarchy.Lang) string {
	switch l {
	case jarchy.Russian:
		return "ru_RU"
	case jarchy.English:
		return "en_US"
	default:
		return "ky_KG"
	}
}

// ErrorMessage translates an error for a user: a *jarchy.Error with a
// MessageKey becomes "<field>: <message>" in lang; anything else becomes a
// generic message for its code, never internal details.
func ErrorMessage(lang jarchy.Lang, err error) string {
	if err == nil {
		return ""
	}
	var e *jarchy.Error
	if !errors.As(err, &e) {
		return T(lang, "err.internal")
	}
	msg := ""
	if e.MessageKey != "" {
		if _, ok := messages[e.MessageKey]; ok {
			msg = T(lang, e.MessageKey)
		}
	}
	if msg != "" && e.N != 0 && strings.Count(msg, "%d") == 1 {
		msg = fmt.Sprintf(msg, e.N) // a message naming a number (jarchy.Error.N)
	}
	if msg == "" {
		switch e.Code {
		case jarchy.EINVALID, jarchy.ENOTFOUND, jarchy.ECONFLICT, jarchy.EFORBIDDEN:
			msg = T(lang, "err."+e.Code)
		default:
			msg = T(lang, "err.internal")
		}
	}
	if e.Field != "" {
		if _, ok := messages["field."+e.Field]; ok {
			return T(lang, "field."+e.Field) + ": " + msg
		}
	}
	return msg
}
