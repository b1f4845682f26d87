package search

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

func TestSnippetMarksOriginalForms(t *testing.T) {
	text := strings.Repeat("Бул жерде башка сөздөр турат. ", 20) +
		"Борбордук комиссия шайлоолорго даярдыкты баштады, шайлоодон кийин отчет берет. " +
		strings.Repeat("Андан ары дагы башка сөздөр. ", 20)
	q := ParseQuery(jarchy.Kyrgyz, "шайлоо отчет ")
	segs := q.Snippet(text, 120)
	var marked []string
	var all strings.Builder
	for _, s := range segs {
		if s.Match {
			marked = append(marked, s.Text)
		}
		all.WriteString(s.Text)
	}
	if strings.Join(marked, ",") != "шайлоолорго,шайлоодон,отчет" {
		t.Errorf("marked %q in %q", marked, all.String())
	}
	if n := utf8.RuneCountInString(all.String()); n > 130 {
		t.Errorf("snippet has %d runes, want about 120", n)
	}
	if !strings.HasPrefix(all.String(), "…") || !strings.HasSuffix(all.String(), "…") {
		t.Errorf("cut snippet should show ellipses: %q", all.String())
	}
}

func TestSnippetHTMLEscapes(t *testing.T) {
	text := `<script>alert("x")</script> Шайлоо & <b>шайлоонун</b> жыйынтыгы`
	got := ParseQuery(jarchy.Kyrgyz, "шайлоо ").SnippetHTML(text, 200)
	want := `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>Шайлоо</mark> &amp; &lt;b&gt;<mark>шайлоонун</mark>&lt;/b&gt; жыйынтыгы`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// no match: the start of the text, escaped, nothing marked
	got = ParseQuery(jarchy.Kyrgyz, "депутат ").SnippetHTML("a < b "+strings.Repeat("сөз ", 100), 20)
	if strings.Contains(got, "<mark>") || !strings.HasPrefix(got, "a &lt; b") {
		t.Errorf("no-match snippet %q", got)
	}
	// hyphenated word marked once, as written
	got = ParseQuery(jarchy.Kyrgyz, "оюн-зоок ").SnippetHTML("Ош шаарында оюн-зоок болот", 100)
	if got != "Ош шаарында <mark>оюн-зоок</mark> болот" {
		t.Errorf("hyphen snippet %q", got)
	}
	// invalid UTF-8 never leaks out
	got = ParseQuery(jarchy.Kyrgyz, "шайлоо").SnippetHTML("шайлоо \xff шайлоо", 100)
	if !utf8.ValidString(got) {
		t.Errorf("invalid UTF-8 in %q", got)
	}
}

func TestWriteAnalysis(t *testing.T) {
	var out bytes.Buffer
	in := "Шайлоолорго жана KOICAнын\nоюн-зоок"
	if err := WriteAnalysis(&out, strings.NewReader(in), jarchy.Kyrgyz); err != nil {
		t.Fatal(err)
	}
	want := "Шайлоолорго\t" + StemKyrgyz("шайлоо") + "\nжана\t\nKOICA\tkoica\nнын\t\nоюн\tоюн\nзоок\tзоок\nоюн-зоок\tоюнзоок\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	if err := WriteAnalysis(&out, strings.NewReader("x"), jarchy.Lang("de")); err == nil {
		t.Error("unknown language accepted")
	}
	// a long input, words across piece boundaries, no word lost or cut
	big := strings.Repeat("шайлоо ", 30000) + strings.Repeat("ж", 100000)
	out.Reset()
	if err := WriteAnalysis(&out, strings.NewReader(big), jarchy.Kyrgyz); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	n := 0
	for _, l := range lines {
		if l == "шайлоо\t"+StemKyrgyz("шайлоо") {
			n++
		}
		if !utf8.ValidString(l) {
			t.Fatalf("invalid UTF-8 line")
		}
	}
	if n != 30000 {
		t.Errorf("%d шайлоо lines, want 30000", n)
	}
}
