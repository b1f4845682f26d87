package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// openSearchDesc is an OpenSearch 1.1 description document.
type openSearchDesc struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Language      string          `xml:"Language"`
	Image         openSearchImage `xml:"Image"`
	URLs          []openSearchURL `xml:"Url"`
}

type openSearchImage struct {
	Type  string `xml:"type,attr"`
	Width int    `xml:"width,attr"`
	Heigh int    `xml:"height,attr"`
	URL   string `xml:",chardata"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Method   string `xml:"method,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// openSearch serves /{lang}/opensearch.xml, which lets browsers add the
// site's search in that language.
func openSearch(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	st, err := s.loadSite(r.Context(), lang)
	if err != nil {
		return err
	}
	name := s.siteName(st.settings, lang)
	short := name
	if utf8.RuneCountInString(short) > 16 { // the spec's limit
		short = string([]rune(short)[:16])
	}
	doc := openSearchDesc{
		ShortName:     short,
		Description:   name + ": " + i18n.T(lang, "search.label"),
		InputEncoding: "UTF-8",
		Language:      string(lang),
		Image:         openSearchImage{Type: "image/svg+xml", Width: 16, Heigh: 16, URL: s.abs(s.assets.path("favicon.svg"))},
		URLs: []openSearchURL{
			{Type: "text/html", Method: "get", Template: s.abs("/"+string(lang)+"/search") + "?q={searchTerms}"},
			{Type: "application/json", Method: "get", Template: s.abs("/api/v1/search") + "?q={searchTerms}&lang=" + string(lang)},
			{Type: "application/opensearchdescription+xml", Rel: "self", Template: s.abs("/" + string(lang) + "/opensearch.xml")},
		},
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	buf.WriteByte('\n')
	h := w.Header()
	h.Set("Content-Type", "application/opensearchdescription+xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}
