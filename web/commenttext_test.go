package web

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestCommentHTML(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Салам", "<p>Салам</p>"},
		{"one\ntwo\n\n\nthree", "<p>one<br>two</p><p>three</p>"},
		{"\n\n  \n\nx\n\n", "<p>x</p>"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{`<img src=x onerror="alert(1)">`, "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>"},
		{"&lt;script&gt; &amp; &#x3C;", "<p>&amp;lt;script&amp;gt; &amp;amp; &amp;#x3C;</p>"},
		{"it's \"quoted\"", "<p>it&#39;s &#34;quoted&#34;</p>"},
		{"javascript:alert(1)", "<p>javascript:alert(1)</p>"},
		{"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "<p>data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</p>"},
		{"see https://kabar.kg/a?b=1&c=2.", `<p>see <a href="https://kabar.kg/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer">https://kabar.kg/a?b=1&amp;c=2</a>.</p>`},
		{`http://a.kg/"><script>alert(1)</script>`, `<p><a href="http://a.kg/" rel="nofollow ugc noopener noreferrer">http://a.kg/</a>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>`},
		{`http://a.kg/' onmouseover='alert(1)`, `<p><a href="http://a.kg/" rel="nofollow ugc noopener noreferrer">http://a.kg/</a>&#39; onmouseover=&#39;alert(1)</p>`},
		{"http://a.kg/<b>x</b>", `<p><a href="http://a.kg/" rel="nofollow ugc noopener noreferrer">http://a.kg/</a>&lt;b&gt;x&lt;/b&gt;</p>`},
		{"https://ky.wikipedia.org/wiki/Бишкек", `<p><a href="https://ky.wikipedia.org/wiki/%D0%91%D0%B8%D1%88%D0%BA%D0%B5%D0%BA" rel="nofollow ugc noopener noreferrer">https://ky.wikipedia.org/wiki/Бишкек</a></p>`},
		{"https://user:pw@evil.kg/", "<p>https://user:pw@evil.kg/</p>"},
		{"http://a.kg/x\u202Egpj.exe", "<p><a href=\"http://a.kg/x\" rel=\"nofollow ugc noopener noreferrer\">http://a.kg/x</a>\u202Egpj.exe</p>"},
	}
	for _, c := range cases {
		if got := string(commentHTML(c.in)); got != c.want {
			t.Errorf("commentHTML(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// injectionVectors are texts that try to become markup or script.
var injectionVectors = []string{
	"<script>alert(1)</script>",
	"<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
	"<img src=x onerror=alert(1)>",
	"<svg/onload=alert(1)>",
	"<svg><script>alert(1)</script></svg>",
	"<iframe src=javascript:alert(1)>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
	"<body onload=alert(1)>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<style>@import 'javascript:alert(1)';</style>",
	"<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
	"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
	"\"><script>alert(1)</script>",
	"'><script>alert(1)</script>",
	"</textarea><script>alert(1)</script>",
	"</p></section><script>alert(1)</script>",
	"<!--<script>alert(1)//-->",
	"<![CDATA[<script>alert(1)</script>]]>",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"&#60;script&#62;alert(1)&#60;/script&#62;",
	"\u003cscript\u003ealert(1)\u003c/script\u003e",
	"＜script＞alert(1)＜/script＞",
	"<scr<script>ipt>alert(1)</scr</script>ipt>",
	"http://a.kg/\"onmouseover=\"alert(1)",
	"http://a.kg/'onfocus='alert(1)'autofocus='",
	"https://a.kg/<img/src/onerror=alert(1)>",
	"https://a.kg/`onmouseover=alert(1)`",
	"https://a.kg/x?q=\"><svg onload=alert(1)>",
	"http://javascript:alert(1)",
	"https://a.kg@javascript:alert(1)",
	"https://[::1]\"><script>alert(1)</script>",
	"HTTPS://A.KG/%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
	"https://a.kg/\u0000<script>",
	"{{constructor.constructor('alert(1)')()}}",
	"${alert(1)}",
	"<a href=\"https://a.kg\" onclick=\"alert(1)\">x</a>",
	"<details open ontoggle=alert(1)>",
	"<input autofocus onfocus=alert(1)>",
	"<form action=javascript:alert(1)><button>x</button></form>",
	"<base href=\"javascript:/\">",
	"<link rel=import href=data:text/html,<script>alert(1)</script>>",
}

// Every vector, rendered, parses as HTML into nothing but p, br and a
// elements, whose only attributes are an http(s) href and rel, and whose
// text is exactly what the reader wrote.
func TestCommentHTMLInjection(t *testing.T) {
	for _, v := range injectionVectors {
		out := string(commentHTML(v))
		doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><html><body><div>" + out + "</div></body></html>"))
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		var text strings.Builder
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "html", "head", "body", "div", "p", "br":
					if n.Data != "div" && len(n.Attr) > 0 {
						t.Errorf("%q: <%s> has attributes %v", v, n.Data, n.Attr)
					}
				case "a":
					for _, a := range n.Attr {
						switch a.Key {
						case "rel":
							if a.Val != "nofollow ugc noopener noreferrer" {
								t.Errorf("%q: rel=%q", v, a.Val)
							}
						case "href":
							u, err := url.Parse(a.Val)
							if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
								t.Errorf("%q: href=%q", v, a.Val)
							}
						default:
							t.Errorf("%q: <a> has attribute %s=%q", v, a.Key, a.Val)
						}
					}
				default:
					t.Errorf("%q: renders a <%s> element: %s", v, n.Data, out)
				}
			}
			if n.Type == html.TextNode {
				text.WriteString(n.Data)
			}
			if n.Type == html.CommentNode {
				t.Errorf("%q: renders an HTML comment", v)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		want := strings.ReplaceAll(v, "\x00", "") // the parser drops NUL (validation refuses it anyway)
		if got := text.String(); got != want {
			t.Errorf("%q: reads back as %q", v, got)
		}
	}
}
