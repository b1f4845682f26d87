package markup

import (
	"html/template"
	"strings"
	"testing"
	"unicode"

	xhtml "golang.org/x/net/html"
)

func TestArticleBasics(t *testing.T) {
	md := "# Башкы\n\nБиринчи **абзац** жана *курсив* ~~өчүрүлгөн~~.\n\n" +
		"> Цитата\n\n- бир\n- эки\n\n1. a\n2. b\n\n###### Кичине\n\n" +
		"[сайт](https://example.org/x) [ички](/ky/sayasat/x) [кат](mailto:a@example.org)\n\n" +
		"![тоолор](/media/demo/a.jpg \"Ала-Тоо\")\n\n" +
		"| a | b |\n|:--|--:|\n| 1 | 2 |\n"
	got := string(Article(md))
	for _, want := range []string{
		"<h2>Башкы</h2>", "<strong>абзац</strong>", "<em>курсив</em>", "<del>өчүрүлгөн</del>",
		"<blockquote>", "<ul>", "<ol>", "<h4>Кичине</h4>",
		`<a href="https://example.org/x" rel="nofollow noopener">сайт</a>`,
		`<a href="/ky/sayasat/x">ички</a>`, `<a href="mailto:a@example.org">кат</a>`,
		`<figure><img src="/media/demo/a.jpg" alt="тоолор" title="Ала-Тоо"><figcaption>Ала-Тоо</figcaption></figure>`,
		"<table>", `<th align="left">a</th>`, `<td align="right">2</td>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Article output lacks %q\n%s", want, got)
		}
	}
	if strings.Contains(got, "<h1") || strings.Contains(got, "<h6") {
		t.Errorf("headings not kept within h2..h4:\n%s", got)
	}
}

func TestCommentIsStricter(t *testing.T) {
	got := string(Comment("## Башы\n\nтекст ![сүрөт](https://example.org/a.jpg) [шилтеме](https://example.org)"))
	if strings.Contains(got, "<h") || strings.Contains(got, "<img") {
		t.Errorf("comment kept heading or image:\n%s", got)
	}
	for _, want := range []string{"<p>Башы</p>", "сүрөт", `rel="nofollow noopener"`} {
		if !strings.Contains(got, want) {
			t.Errorf("comment lacks %q:\n%s", want, got)
		}
	}
}

var xssCases = []struct{ name, md string }{
	{"script tag", "hello <script>alert(1)</script> world"},
	{"script block", "<script>\nalert(1)\n</script>\n"},
	{"javascript link", "[click](javascript:alert(1))"},
	{"javascript link entity", "[click](jav&#x61;script:alert(1))"},
	{"javascript link case", "[click](JaVaScRiPt:alert(1))"},
	{"javascript autolink", "<javascript:alert(1)>"},
	{"vbscript", "[x](vbscript:msgbox(1))"},
	{"event handler html", `<img src="x" onerror="alert(1)">`},
	{"event handler a", `<a href="https://example.org" onclick="alert(1)">x</a>`},
	{"data url image", "![x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)"},
	{"data url link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
	{"iframe", `<iframe src="https://evil.example"></iframe>`},
	{"style", `<style>body{display:none}</style>`},
	{"svg", `<svg onload=alert(1)>`},
	{"image javascript", "![x](javascript:alert(1))"},
	{"image foreign scheme", "![x](ftp://example.org/a.jpg)"},
	{"image relative outside media", "![x](/admin/delete)"},
	{"protocol relative image", "![x](//evil.example/a.jpg)"},
	{"link title quote", `[x](https://example.org "a\" onmouseover=\"alert(1)")`},
	{"reference javascript", "[x][r]\n\n[r]: javascript:alert(1)"},
	{"html comment", "<!-- <script>alert(1)</script> -->"},
	{"form", `<form action="https://evil.example"><input name=x></form>`},
}

func TestXSSRemoved(t *testing.T) {
	for _, tc := range xssCases {
		for name, f := range map[string]func(string) template.HTML{"article": Article, "comment": Comment} {
			out := string(f(tc.md))
			if err := checkSafe(out); err != "" {
				t.Errorf("%s %s: %s in\n%s", name, tc.name, err, out)
			}
		}
	}
}

var safeElements = map[string]bool{"p": true, "br": true, "hr": true, "em": true, "strong": true, "del": true,
	"code": true, "pre": true, "blockquote": true, "ul": true, "ol": true, "li": true, "a": true, "h2": true,
	"h3": true, "h4": true, "figure": true, "figcaption": true, "table": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true, "img": true}

// checkSafe parses the output as a browser would and reports the first
// element, attribute or URL that could run script or load foreign content.
func checkSafe(out string) string {
	z := xhtml.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			if !safeElements[tok.Data] {
				return "element <" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on") || a.Key == "style":
					return "attribute " + a.Key
				case a.Key == "href" && !(strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") ||
					strings.HasPrefix(v, "mailto:") || (strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//"))):
					return "href " + v
				case a.Key == "src" && !(strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") ||
					strings.HasPrefix(v, "/media/")):
					return "src " + v
				}
			}
		}
	}
}

func TestBoundsAndEncoding(t *testing.T) {
	got := string(Article("a\x00b \xff\xfe c"))
	if strings.ContainsRune(got, 0) || !strings.Contains(got, "\uFFFD") {
		t.Errorf("NUL or invalid UTF-8 not replaced: %q", got)
	}
	long := strings.Repeat("сөз ", MaxArticleBytes) // far above the bound
	if out := Article(long); len(out) > 2*MaxArticleBytes {
		t.Errorf("output of over-long input is %d bytes, want bounded", len(out))
	}
	if out := Comment(long); len(out) > 2*MaxCommentBytes {
		t.Errorf("comment output is %d bytes, want bounded", len(out))
	}
}

func TestNestingCapped(t *testing.T) {
	got := string(Article(strings.Repeat("> ", 200) + "терең"))
	if n := strings.Count(got, "<blockquote>"); n > maxNesting {
		t.Errorf("%d nested blockquotes, want at most %d", n, maxNesting)
	}
	if !strings.Contains(got, "терең") {
		t.Errorf("text of flattened quote lost: %s", got)
	}
}

func TestPlain(t *testing.T) {
	md := "## Шайлоо\n\nБишкекте **шайлоо** өттү. [Кененирээк](https://example.org).\n\n<script>x</script>\n\n![сүрөт](/media/a.jpg)\n\n- бир\n- эки"
	got := Plain(md, 1000)
	want := "Шайлоо Бишкекте шайлоо өттү. Кененирээк. бир эки"
	if got != want {
		t.Errorf("Plain = %q, want %q", got, want)
	}
	short := Plain(md, 20)
	if n := len([]rune(short)); n > 20 || !strings.HasSuffix(short, "…") {
		t.Errorf("Plain(20) = %q (%d runes)", short, n)
	}
	if Plain("", 10) != "" || Plain("abc", 0) != "" {
		t.Error("empty cases")
	}
}

func TestDelimiterCap(t *testing.T) {
	got := string(Article(strings.Repeat("*a* ", 400)))
	if n := strings.Count(got, "<em>"); n != maxDelims/2 {
		t.Errorf("%d emphasis spans, want %d (delimiters beyond the cap escaped)", n, maxDelims/2)
	}
	// A new paragraph starts a new budget, and fenced code is untouched.
	got = string(Article(strings.Repeat("*a* ", 300) + "\n\n" + strings.Repeat("*b* ", 10) + "\n\n```\n" + strings.Repeat("*", 600) + "\n```\n"))
	if n := strings.Count(got, "<em>b</em>"); n != 10 {
		t.Errorf("second paragraph has %d emphasis spans, want 10", n)
	}
	if strings.Contains(got, `\*`) {
		t.Error("fenced code was escaped")
	}
}

// TestPlainOfLongBody: a short text of a 1 MiB body comes from its
// beginning (the same as from the whole body), and says when more follows
// beyond the part it read.
func TestPlainOfLongBody(t *testing.T) {
	long := "Биринчи абзац **маанилүү** [шилтеме](https://example.org).\n\n" + strings.Repeat("Кийинки абзацтар.\n\n", 1<<16)
	if got, want := Plain(long, 160), "Биринчи абзац маанилүү шилтеме. Кийинки абзацтар. Кийинки абзацтар. Кийинки абзацтар. "+
		"Кийинки абзацтар. Кийинки абзацтар. Кийинки абзацтар. Кийинки абзацтар…"; got != want {
		t.Errorf("Plain(1 MiB, 160) = %q, want %q", got, want)
	}
	images := "Кыска текст.\n\n" + strings.Repeat("![](a.jpg)\n\n", 1<<16) + "Акыркы сөз."
	for n, want := range map[int]string{160: "Кыска текст…", 3: "Кы…", 12: "Кыска текст…"} {
		if got := Plain(images, n); got != want {
			t.Errorf("Plain(text, 768 KiB of images, text; %d) = %q, want %q", n, got, want)
		}
	}
	if got, want := Plain(images, 1<<20), "Кыска текст. Акыркы сөз."; got != want {
		t.Errorf("Plain(text, images, text; 1 MiB) = %q, want %q", got, want)
	}
}

// collapseReference is collapse as first written, rune by rune with the
// unicode package; the fast path must give the same strings.
func collapseReference(s string) string {
	var b strings.Builder
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			pending = true
			continue
		}
		if pending && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", " a  b ", "\t\nшайлоо\u00a0жана\u2003x\x7f\x00y", "\xff\xfe a \xc3", "\u0085\u2028\u2029", "ӊ Ё \u200b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), collapseReference(s); got != want {
			t.Fatalf("collapse(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestCollapseEveryRune(t *testing.T) {
	for r := rune(0); r <= 0x3000; r++ {
		s := "a" + string(r) + "b " + string(r)
		if got, want := collapse(s), collapseReference(s); got != want {
			t.Fatalf("collapse(%q) = %q, want %q", s, got, want)
		}
	}
}
