package search

import (
	"bufio"
	"embed"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

//go:embed stopwords/*.txt
var stopwordFiles embed.FS

var stopwords = map[jarchy.Lang]map[string]bool{
	jarchy.Kyrgyz:  loadStopwords("stopwords/ky.txt"),
	jarchy.Russian: loadStopwords("stopwords/ru.txt"),
	jarchy.English: loadStopwords("stopwords/en.txt"),
}

// loadStopwords reads one word per line; '#' starts a comment.
func loadStopwords(name string) map[string]bool {
	data, err := stopwordFiles.ReadFile(name)
	if err != nil {
		panic("search: missing embedded " + name)
	}
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			m[fold(w)] = true
		}
	}
	return m
}

func isStopWord(lang jarchy.Lang, w string) bool { return stopwords[lang][w] }

// IsStopWord reports whether the folded word w is a stop word of lang.
func IsStopWord(lang jarchy.Lang, w string) bool { return isStopWord(lang, fold(w)) }

// Stem returns the stem of one folded (lower-case, NFC) word in lang.
// Words in another script than the language's are still stemmed by the
// stemmer of their script: Latin words in ky/ru text by English Snowball,
// Cyrillic words in en text by the Russian one.
func Stem(lang jarchy.Lang, w string) string {
	latin, cyr := scriptCounts(w)
	switch {
	case latin == 0 && cyr == 0:
		return w
	case lang == jarchy.English || cyr == 0:
		if cyr > 0 {
			return cachedStem(ruCache, w, russianStem)
		}
		return cachedStem(enCache, w, englishStem)
	case lang == jarchy.Russian:
		return cachedStem(ruCache, w, russianStem)
	default:
		return StemKyrgyz(w)
	}
}

var ruCache, enCache = newStemCache(), newStemCache()

func russianStem(w string) string { return russian.Stem(w, true) }
func englishStem(w string) string { return english.Stem(w, true) }

func cachedStem(c *stemCache, w string, stem func(string) string) string {
	if s, ok := c.get(w); ok {
		return s
	}
	s := stem(w)
	c.put(w, s)
	return s
}

func scriptCounts(w string) (latin, cyr int) {
	for _, r := range w {
		if r < 0x80 {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				latin++
			}
			continue
		}
		if isCyrillic(r) {
			cyr++
		} else if isLatin(r) {
			latin++
		}
	}
	return
}
