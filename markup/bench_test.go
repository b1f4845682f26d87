package markup

import (
	"fmt"
	"strings"
	"testing"
)

// lawText returns about n bytes of Markdown shaped like the full text of a
// law: chapters, numbered articles, lists, emphasis and links.
func lawText(n int) string {
	var b strings.Builder
	for i := 1; b.Len() < n; i++ {
		if i%40 == 1 {
			fmt.Fprintf(&b, "## %d-глава. Жалпы жоболор\n\n", i/40+1)
		}
		fmt.Fprintf(&b, "**%d-берене.** Ушул Мыйзамдын максаты — жарандардын укуктарын коргоо жана "+
			"мамлекеттик органдардын ишин *ачык-айкын* жүргүзүү. Кошумча маалымат [расмий булакта](https://example.kg/law/%d).\n\n", i, i)
		if i%5 == 0 {
			b.WriteString("1. биринчи пункт;\n2. экинчи пункт;\n3. үчүнчү пункт.\n\n")
		}
		if i%17 == 0 {
			b.WriteString("| Көрсөткүч | Мааниси |\n|---|---|\n| А | 1 |\n| Б | 2 |\n\n")
		}
	}
	return b.String()[:n]
}

// BenchmarkArticle1MiB renders bodies of jarchy.MaxBodyLen (1 MiB): a law,
// and hostile shapes at the same size.
func BenchmarkArticle1MiB(b *testing.B) {
	const n = 1 << 20
	cases := map[string]string{
		"law":       lawText(n),
		"emphasis":  strings.Repeat("*a _b ", n/6),
		"brackets":  strings.Repeat("[a](", n/4),
		"quotes":    strings.Repeat("> ", n/2),
		"list":      strings.Repeat("* a\n", n/4),
		"table":     "| a | b |\n|---|---|\n" + strings.Repeat("| x | y |\n", n/10),
		"one-line":  strings.Repeat("сөз ", n/8),
		"backticks": strings.Repeat("`a", n/2),
	}
	for _, name := range []string{"law", "emphasis", "brackets", "quotes", "list", "table", "one-line", "backticks"} {
		in := cases[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				_ = Article(in)
			}
		})
	}
}

// BenchmarkPlain1MiB is the text the search index takes from a 1 MiB body.
func BenchmarkPlain1MiB(b *testing.B) {
	in := lawText(1 << 20)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		_ = Plain(in, 1<<20)
	}
}

// BenchmarkDescription1MiB is a page's meta description of a 1 MiB body
// without a lead.
func BenchmarkDescription1MiB(b *testing.B) {
	in := lawText(1 << 20)
	for b.Loop() {
		_ = Plain(in, 160)
	}
}
