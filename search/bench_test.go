package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

// benchText is the Kyrgyz (or Russian) side of the xwmt ky-ru news test
// set when ../shared is present, else this package's retrieval collection.
func benchText(b testing.TB, lang jarchy.Lang) string {
	name := "ky-ru.ky"
	if lang == jarchy.Russian {
		name = "ky-ru.ru"
	}
	data, err := os.ReadFile(filepath.Join(sharedDir(b), "kyrgyz", "xwmt-ky-ru", name))
	if err == nil {
		return string(data)
	}
	if lang == jarchy.Russian {
		return strings.Repeat("Центральная избирательная комиссия объявила итоги выборов в парламент. Депутаты обсудили бюджет и налоги. ", 200)
	}
	data, err = os.ReadFile("testdata/ky-retrieval.tsv")
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

func benchAnalyze(b *testing.B, lang jarchy.Lang) {
	text := benchText(b, lang)
	ntok := len(Analyze(lang, text))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		kyCache.reset() // every pass starts cold: only repeats within the text hit
		ruCache.reset()
		Analyze(lang, text)
	}
	b.ReportMetric(float64(ntok)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkAnalyzeKyrgyz(b *testing.B)  { benchAnalyze(b, jarchy.Kyrgyz) }
func BenchmarkAnalyzeRussian(b *testing.B) { benchAnalyze(b, jarchy.Russian) }

func BenchmarkParseQuery(b *testing.B) {
	for b.Loop() {
		q := ParseQuery(jarchy.Kyrgyz, `шайлоолорго "Жогорку Кеңеш" -депутаттар бишк`)
		_ = q.FTS5()
	}
}

// BenchmarkSnippet cuts a highlighted snippet from 2 KB of news text for a
// two-word query, as a search result does for each hit.
func BenchmarkSnippet(b *testing.B) {
	text := benchText(b, jarchy.Kyrgyz)
	if len(text) > 2048 {
		text = strings.ToValidUTF8(text[:2048], "")
	}
	words := strings.Fields(text)
	q := ParseQuery(jarchy.Kyrgyz, words[len(words)/2]+" "+words[len(words)/3])
	for b.Loop() {
		q.SnippetHTML(text, 240)
	}
}
