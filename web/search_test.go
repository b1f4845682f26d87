package web_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func resultLinks(doc *html.Node) []string {
	var out []string
	ol := find(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "ol" && attr(n, "class") == "search-results"
	})
	if ol == nil {
		return nil
	}
	for _, h3 := range findAll(ol, tagIs("h3")) {
		if a := find(h3, tagIs("a")); a != nil {
			out = append(out, attr(a, "href"))
		}
	}
	return out
}

func searchURL(lang, q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/" + lang + "/search?" + v.Encode()
}

func TestSearchFindsInflectedForms(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, searchURL("ky", "бюджет "))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	links := resultLinks(r.doc)
	if len(links) != 6 { // the lead story (бюджетти) and five economy stories (tag бюджет)
		t.Errorf("бюджет: %d results %v, want 6", len(links), links)
	}
	if !strings.Contains(r.body, "<mark>бюджетти</mark>") {
		t.Error("the snippet does not highlight the original form бюджетти")
	}
	if meta(r.doc, "name", "robots") != "noindex" || r.header.Get("X-Robots-Tag") != "noindex" {
		t.Error("result pages must be noindex")
	}
	if in := find(r.doc, byID("page-q")); in == nil || attr(in, "value") != "бюджет" {
		t.Error("the search box does not keep the query")
	}
	if !strings.Contains(r.body, "Табылды: 6 материал") {
		t.Error("no Kyrgyz result count")
	}
	// title words are highlighted; drafts and scheduled stories are not found
	r = f.get(t, searchURL("ky", "сессия "))
	if links := resultLinks(r.doc); len(links) != 1 || !strings.Contains(r.body, "<mark>сессиясы</mark>") {
		t.Errorf("сессия: %v; title highlight present: %v", links, strings.Contains(r.body, "<mark>сессиясы</mark>"))
	}
	for _, q := range []string{"черновик ", "келечектеги "} {
		if links := resultLinks(f.get(t, searchURL("ky", q)).doc); len(links) != 0 {
			t.Errorf("%s: found %v, want nothing", q, links)
		}
	}
	// the reader's language: Russian results on the Russian page
	r = f.get(t, searchURL("ru", "бюджета "))
	if links := resultLinks(r.doc); len(links) != 1 || !strings.HasPrefix(links[0], "/ru/") || !strings.Contains(r.body, "Найдено: 1 материал") {
		t.Errorf("ru бюджета: %v", links)
	}
	// hostile text is searched as words
	script := f.a["hostile"]
	r = f.get(t, searchURL("ky", `кавычка"`))
	if links := resultLinks(r.doc); len(links) != 1 || links[0] != articleURL(script) {
		t.Errorf("hostile article: %v", links)
	}
	if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
		t.Error("hostile text reached the page unescaped")
	}
}

func TestSearchFiltersSortPaging(t *testing.T) {
	f := newFixture(t, 2)
	r := f.get(t, searchURL("ky", "бюджет ", "section", "sayasat"))
	if links := resultLinks(r.doc); len(links) != 1 || links[0] != articleURL(f.a["lead"]) {
		t.Errorf("section filter: %v", links)
	}
	r = f.get(t, searchURL("ky", "бюджет ", "sort", "date", "section", "ekonomika"))
	links := resultLinks(r.doc)
	if len(links) != 2 || links[0] != articleURL(f.a["eco4"]) || links[1] != articleURL(f.a["eco3"]) {
		t.Errorf("by date, page 1: %v", links)
	}
	next := find(r.doc, tagAttr("a", "rel", "next"))
	if next == nil {
		t.Fatal("no next page link")
	}
	r = f.get(t, attr(next, "href"))
	if links := resultLinks(r.doc); len(links) != 2 || links[0] != articleURL(f.a["eco2"]) {
		t.Errorf("by date, page 2 (%s): %v", attr(next, "href"), links)
	}
	// the lead story was published on 21 November in Bishkek (20 November UTC)
	r = f.get(t, searchURL("ky", "бюджет ", "from", "2026-11-21", "to", "2026-11-21"))
	if links := resultLinks(r.doc); len(links) != 1 || links[0] != articleURL(f.a["lead"]) {
		t.Errorf("date filter: %v", links)
	}
	for _, bad := range []string{
		searchURL("ky", "бюджет", "section", "nope"), searchURL("ky", "бюджет", "from", "yesterday"),
		searchURL("ky", "бюджет", "to", "2026-13-40"), searchURL("ky", "бюджет", "sort", "random"),
		searchURL("ky", "бюджет", "page", "0"), searchURL("ky", "бюджет", "page", "9999"),
	} {
		if r := f.get(t, bad); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, r.status)
		}
	}
}

func TestSearchMessages(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, searchURL("ky", "жолборс "))
	if r.status != http.StatusOK || !strings.Contains(r.body, "«жолборс» боюнча эч нерсе табылган жок.") {
		t.Errorf("nothing found: %d, message missing", r.status)
	}
	r = f.get(t, searchURL("ru", "жолборс "))
	if !strings.Contains(r.body, "По запросу «жолборс» ничего не найдено.") {
		t.Error("no Russian 'nothing found'")
	}
	r = f.get(t, searchURL("ky", "бюжет "))
	if !strings.Contains(r.body, "так дал келген материал жок") || !strings.Contains(r.body, "Балким, сиз муну издегенсиз:") {
		t.Errorf("misspelt word: no fuzzy message")
	}
	if len(resultLinks(r.doc)) == 0 {
		t.Error("misspelt word: no fuzzy results")
	}
	// nothing within the filters: the spelling found outside them is offered
	for _, c := range []struct{ lang, nothing, didYouMean string }{
		{"ky", "«бюжет» боюнча эч нерсе табылган жок.", "Балким, сиз муну издегенсиз:"},
		{"ru", "По запросу «бюжет» ничего не найдено.", "Возможно, вы искали:"},
	} {
		r = f.get(t, searchURL(c.lang, "бюжет ", "from", "2030-01-01"))
		if !strings.Contains(r.body, c.nothing) || !strings.Contains(r.body, c.didYouMean) || len(resultLinks(r.doc)) != 0 {
			t.Errorf("%s, nothing within the filters: no suggestion", c.lang)
		}
		if !strings.Contains(r.body, `href="/`+c.lang+`/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82`) {
			t.Errorf("%s: the suggestion does not link to a search for бюджет… without the filters", c.lang)
		}
	}
	r = f.get(t, searchURL("ky", "бюджет ", "from", "2030-01-01"))
	if strings.Contains(r.body, "Балким, сиз муну издегенсиз:") {
		t.Error("a word found outside the filters as typed is offered as a spelling")
	}
	for _, q := range []string{"", "   ", "the ", `"`, "-budget"} {
		r = f.get(t, searchURL("en", q))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Type some words to search for.") {
			t.Errorf("%q: %d, want the empty-query message", q, r.status)
		}
	}
	for _, q := range []string{`"`, "*", "NEAR(бюджет)", "title:бюджет", "^бюджет", "(бюджет OR", ":", "бюджет*", "'; DROP TABLE articles; --", strings.Repeat("бюджет ", 70)} {
		if r := f.get(t, searchURL("ky", q)); r.status != http.StatusOK {
			t.Errorf("%.30q: %d, want 200", q, r.status)
		}
	}
	r = f.get(t, searchURL("ky", strings.Repeat("бюджет ", 60)))
	if !strings.Contains(r.body, "кыскартылды") {
		t.Error("a query cut by the analyser does not say so")
	}
	// A 10 KB query is cut, answered, and the reader is told.
	r = f.get(t, searchURL("ky", strings.Repeat("бюджет ", 1500)))
	if r.status != http.StatusOK || !strings.Contains(r.body, "кыскартылды") || len(resultLinks(r.doc)) == 0 {
		t.Errorf("10 KB query: %d, want 200 with results and the shortened note", r.status)
	}
}

func TestOpenSearch(t *testing.T) {
	f := newFixture(t, 20)
	for _, lang := range []string{"ky", "ru", "en"} {
		r := f.get(t, "/"+lang+"/opensearch.xml")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/opensearchdescription+xml") {
			t.Fatalf("%s: %d %s", lang, r.status, r.header.Get("Content-Type"))
		}
		var doc struct {
			XMLName   xml.Name
			ShortName string
			Language  string
			URLs      []struct {
				Type     string `xml:"type,attr"`
				Template string `xml:"template,attr"`
			} `xml:"Url"`
		}
		if err := xml.Unmarshal([]byte(r.body), &doc); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if doc.XMLName.Space != "http://a9.com/-/spec/opensearch/1.1/" || doc.ShortName == "" || doc.Language != lang {
			t.Errorf("%s: %+v", lang, doc)
		}
		want := testBase + "/" + lang + "/search?q={searchTerms}"
		if len(doc.URLs) == 0 || doc.URLs[0].Type != "text/html" || doc.URLs[0].Template != want {
			t.Errorf("%s: urls %+v, want %s first", lang, doc.URLs, want)
		}
		home := f.get(t, "/"+lang+"/")
		link := find(home.doc, tagAttr("link", "rel", "search"))
		if link == nil || attr(link, "type") != "application/opensearchdescription+xml" || attr(link, "href") != "/"+lang+"/opensearch.xml" {
			t.Errorf("%s home: no OpenSearch link", lang)
		}
	}
}

func TestAPISearch(t *testing.T) {
	f := newFixture(t, 20)
	type result struct {
		Total   int `json:"total"`
		Results []struct {
			ID          int64  `json:"id"`
			URL         string `json:"url"`
			Title       string `json:"title"`
			Lead        string `json:"lead"`
			PublishedAt string `json:"published_at"`
			Snippet     string `json:"snippet"`
		} `json:"results"`
		Fuzzy bool `json:"fuzzy"`
	}
	get := func(query string, wantStatus int) result {
		t.Helper()
		r := f.get(t, "/api/v1/search?"+query)
		if r.status != wantStatus || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("%.80s: %d %s, want %d JSON: %.200s", query, r.status, r.header.Get("Content-Type"), wantStatus, r.body)
		}
		var out result
		if err := json.Unmarshal([]byte(r.body), &out); err != nil {
			t.Fatalf("%.80s: %v", query, err)
		}
		if wantStatus == http.StatusOK && out.Results == nil {
			t.Fatalf("%.80s: results is not an array: %.200s", query, r.body)
		}
		return out
	}
	res := get("q="+url.QueryEscape("бюджет")+"&lang=ky&limit=2", http.StatusOK)
	if res.Total != 6 || len(res.Results) != 2 {
		t.Errorf("total %d, %d results; want 6 and 2", res.Total, len(res.Results))
	}
	for _, it := range res.Results {
		if it.ID == 0 || !strings.HasPrefix(it.URL, testBase+"/ky/") || it.Title == "" || it.PublishedAt == "" || !strings.Contains(it.Snippet+it.Title, "") {
			t.Errorf("incomplete result %+v", it)
		}
	}
	lead := f.a["lead"]
	res = get("q="+url.QueryEscape("сессиясында")+"&lang=ky", http.StatusOK)
	if len(res.Results) != 1 || res.Results[0].ID != lead.ID || res.Results[0].Lead != lead.Lead {
		t.Errorf("сессиясында: %+v", res.Results)
	}
	res = get("q="+url.QueryEscape("бюжет")+"&lang=ky", http.StatusOK)
	if !res.Fuzzy || res.Total == 0 {
		t.Errorf("misspelling: fuzzy %v total %d", res.Fuzzy, res.Total)
	}
	if res := get("lang=ky", http.StatusOK); res.Total != 0 || len(res.Results) != 0 {
		t.Errorf("no q: %+v", res)
	}
	for _, q := range []string{`"`, "*", "NEAR(a b)", "title:x", "^", "((", ":*", "\xff\xfe", strings.Repeat("бюджет ", 1500), strings.Repeat("ы", 10000)} {
		get("q="+url.QueryEscape(q)+"&lang=ky", http.StatusOK)
	}
	for _, bad := range []string{"q=x&lang=fr", "q=x&limit=0", "q=x&limit=101", "q=x&limit=abc", "q=x&offset=-1",
		"q=x&offset=99999999", "q=x&sort=random", "q=x&from=yesterday", "q=x&section=nope", "q=x&q=y", "q=%zz",
		"q=" + strings.Repeat("x", 33<<10)} {
		r := f.get(t, "/api/v1/search?"+bad)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"error"`) {
			t.Errorf("%.40s: %d %.200s, want a JSON 400", bad, r.status, r.body)
		}
	}
}

// TestAPISuggest: /api/v1/search/suggest gives up to 8 titles of public
// articles for a word being typed, from its second letter, in the reader's
// language; bad parameters are a JSON 400.
func TestAPISuggest(t *testing.T) {
	f := newFixture(t, 20)
	type result struct {
		Suggestions []struct {
			ID    int64  `json:"id"`
			URL   string `json:"url"`
			Lang  string `json:"lang"`
			Title string `json:"title"`
		} `json:"suggestions"`
	}
	get := func(query string) result {
		t.Helper()
		r := f.get(t, "/api/v1/search/suggest?"+query)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("%.80s: %d %s, want 200 JSON: %.200s", query, r.status, r.header.Get("Content-Type"), r.body)
		}
		var out result
		if err := json.Unmarshal([]byte(r.body), &out); err != nil || out.Suggestions == nil {
			t.Fatalf("%.80s: %v, suggestions not an array: %.200s", query, err, r.body)
		}
		return out
	}
	lead := f.a["lead"]
	res := get("q=" + url.QueryEscape("бю") + "&lang=ky")
	if len(res.Suggestions) != 6 {
		t.Errorf("бю: %d suggestions, want the 6 Kyrgyz articles on the budget", len(res.Suggestions))
	}
	found := false
	for _, s := range res.Suggestions {
		if s.Lang != "ky" || !strings.HasPrefix(s.URL, testBase+"/ky/") || s.Title == "" {
			t.Errorf("бю: incomplete suggestion %+v", s)
		}
		found = found || s.ID == lead.ID && s.Title == lead.Title && s.URL == testBase+articleURL(lead)
	}
	if !found {
		t.Errorf("бю: %+v lacks the lead story", res.Suggestions)
	}
	if res := get("q=" + url.QueryEscape("Жогорку се") + "&lang=ky"); len(res.Suggestions) != 1 || res.Suggestions[0].ID != lead.ID {
		t.Errorf("Жогорку се: %+v, want the lead story", res.Suggestions)
	}
	if res := get("q=" + url.QueryEscape("се") + "&lang=ru"); len(res.Suggestions) != 1 || res.Suggestions[0].Lang != "ru" {
		t.Errorf("се in Russian: %+v, want the Russian story", res.Suggestions)
	}
	if res := get("q=" + url.QueryEscape("эк") + "&lang=ky"); len(res.Suggestions) == 0 || len(res.Suggestions) > 8 {
		t.Errorf("эк: %d suggestions, want 1 to 8", len(res.Suggestions))
	}
	for _, q := range []string{"", "lang=ky", "q=++&lang=en", "q=" + url.QueryEscape(`"*:(`)} {
		if res := get(q); len(res.Suggestions) != 0 {
			t.Errorf("%q: %+v, want none", q, res.Suggestions)
		}
	}
	for _, bad := range []string{"q=x&lang=fr", "q=x&q=y", "q=x&lang=ky&lang=ru", "q=%zz", "q=" + strings.Repeat("x", 33<<10)} {
		r := f.get(t, "/api/v1/search/suggest?"+bad)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"error"`) {
			t.Errorf("%.40s: %d %.200s, want a JSON 400", bad, r.status, r.body)
		}
	}
}
