package xmltext

import (
	"bytes"
	"encoding/xml"
	"testing"
)

func TestCleanAndEscape(t *testing.T) {
	for _, c := range []struct{ in, clean, esc string }{
		{"plain Кыргызча", "plain Кыргызча", "plain Кыргызча"},
		{"a\x00b\x01c\x1fd\x7fe", "abcd\x7fe", "abcd\x7fe"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r", "tab&#x9;nl\ncr&#xD;"},
		{"bad \xff\xfe utf8 \xc3", "bad  utf8 ", "bad  utf8 "},
		{"\ufffe\uffff\U0001F600", "\U0001F600", "\U0001F600"},
		{`<a href="x">&'`, `<a href="x">&'`, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"},
		{"]]>", "]]>", "]]&gt;"},
	} {
		if got := Clean(c.in); got != c.clean {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.clean)
		}
		got := Escape(c.in)
		if got != c.esc {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.esc)
		}
		// What Escape writes parses back to Clean's text, in text and in
		// an attribute.
		var v struct {
			A    string `xml:"a,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(`<x a="`+EscapeAttr(c.in)+`">`+got+`</x>`), &v); err != nil {
			t.Errorf("Escape(%q) does not parse: %v", c.in, err)
		} else if v.Text != c.clean || v.A != c.clean {
			t.Errorf("Escape(%q) parses to %q / %q, want %q", c.in, v.Text, v.A, c.clean)
		}
	}
}

func TestEscapeAttrKeepsNewlines(t *testing.T) {
	if got := EscapeAttr("a\nb\t\"c\""); got != "a&#xA;b&#x9;&quot;c&quot;" {
		t.Errorf("EscapeAttr = %q", got)
	}
	if got := Escape("a\nb"); got != "a\nb" {
		t.Errorf("Escape = %q", got)
	}
}

func TestWriterKeepsFirstError(t *testing.T) {
	var b bytes.Buffer
	x := NewWriter(&b)
	x.Elem("t", "a<b", false)
	x.Elem("e", "", true)
	if b.String() != "<t>a&lt;b</t>" || x.Written() != int64(b.Len()) || x.Err() != nil {
		t.Errorf("wrote %q (%d), err %v", b.String(), x.Written(), x.Err())
	}
}
