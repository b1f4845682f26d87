package jarchy

import (
	"fmt"
	"strings"
	"testing"
)

// show writes parts as text with links in [text](href) form.
func show(parts []TextPart) string {
	var b strings.Builder
	for _, p := range parts {
		if p.URL == "" {
			b.WriteString(p.Text)
		} else {
			fmt.Fprintf(&b, "[%s](%s)", p.Text, p.URL)
		}
	}
	return b.String()
}

func TestSplitLinks(t *testing.T) {
	cases := []struct{ in, want string }{
		{"see https://kabar.kg/news/1 now", "see [https://kabar.kg/news/1](https://kabar.kg/news/1) now"},
		{"HTTP://Example.KG/A", "[HTTP://Example.KG/A](http://example.kg/A)"},
		{"end https://a.kg/x.", "end [https://a.kg/x](https://a.kg/x)."},
		{"(see https://a.kg/wiki/X_(y))", "(see [https://a.kg/wiki/X_(y)](https://a.kg/wiki/X_(y)))"},
		{"(see https://a.kg/x)", "(see [https://a.kg/x](https://a.kg/x))"},
		{"https://ky.wikipedia.org/wiki/Бишкек", "[https://ky.wikipedia.org/wiki/Бишкек](https://ky.wikipedia.org/wiki/%D0%91%D0%B8%D1%88%D0%BA%D0%B5%D0%BA)"},
		{"https://кабар.кг/", "[https://кабар.кг/](https://xn--80aac8a7a.xn--c1an/)"},
		{"http://[2001:db8::1]:8080/x", "[http://[2001:db8::1]:8080/x](http://[2001:db8::1]:8080/x)"},
		// Never a link: other schemes, no host, user info, glued to a word.
		{"javascript:alert(1)", "javascript:alert(1)"},
		{"JaVaScRiPt:alert(1)//http://a.kg", "JaVaScRiPt:alert(1)//[http://a.kg](http://a.kg)"},
		{"data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script>"},
		{"vbscript:msgbox", "vbscript:msgbox"},
		{"http://", "http://"},
		{"https:///etc/passwd", "https:///etc/passwd"},
		{"https://bank.kg@evil.example/", "https://bank.kg@evil.example/"},
		{"xhttp://a.kg", "xhttp://a.kg"},
		{"http://a_b.kg/", "http://a_b.kg/"},
		{"http://-a.kg/", "http://-a.kg/"},
		// The address stops at quotes, angle brackets, spaces, controls
		// and format characters, so none reaches an attribute.
		{`http://a.kg/"onmouseover="alert(1)`, `[http://a.kg/](http://a.kg/)"onmouseover="alert(1)`},
		{`http://a.kg/'onmouseover='alert(1)`, `[http://a.kg/](http://a.kg/)'onmouseover='alert(1)`},
		{"http://a.kg/<script>alert(1)</script>", "[http://a.kg/](http://a.kg/)<script>alert(1)</script>"},
		{"http://a.kg/`x`", "[http://a.kg/](http://a.kg/)`x`"},
		{"http://a.kg/x\u00a0y", "[http://a.kg/x](http://a.kg/x)\u00a0y"},
		{"http://a.kg/x\u200by", "[http://a.kg/x](http://a.kg/x)\u200by"},
		{"http://a.kg/x\u202egpj.exe", "[http://a.kg/x](http://a.kg/x)\u202egpj.exe"},
		{"http://a.kg/x\ny", "[http://a.kg/x](http://a.kg/x)\ny"},
		{"http://a.kg/%3Cscript%3E", "[http://a.kg/%3Cscript%3E](http://a.kg/%3Cscript%3E)"},
		{"http://a.kg/&lt;b&gt;", "[http://a.kg/&lt;b&gt](http://a.kg/&lt;b&gt);"},
		{"https://a.kg/?q=1&r=2#frag", "[https://a.kg/?q=1&r=2#frag](https://a.kg/?q=1&r=2#frag)"},
		{"http://a.kg/\xff", "[http://a.kg/](http://a.kg/)\xff"},
		{"two http://a.kg and https://b.kg!", "two [http://a.kg](http://a.kg) and [https://b.kg](https://b.kg)!"},
		{"", ""},
	}
	for _, c := range cases {
		if got := show(SplitLinks(c.in)); got != c.want {
			t.Errorf("SplitLinks(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
		// The parts always give back the text.
		var b strings.Builder
		for _, p := range SplitLinks(c.in) {
			b.WriteString(p.Text)
		}
		if b.String() != c.in {
			t.Errorf("SplitLinks(%q) parts join to %q", c.in, b.String())
		}
	}
	if n := CountLinks("http://a.kg javascript:x http://b.kg/ https://bank.kg@evil.kg"); n != 2 {
		t.Errorf("CountLinks = %d, want 2", n)
	}
}
