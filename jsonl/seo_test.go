package jsonl

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestImportSEO: seo_title and seo_description are imported and
// exported; a line without them keeps the stored ones (the newsroom's),
// "" clears them, and a re-import of the same line writes nothing.
func TestImportSEO(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		importString(t, st, lines(good("seo", "seo_title", "Издөө үчүн аталыш", "seo_description", "Издөө үчүн сүрөттөмө")), Options{})
		a, err := st.ArticleByExternalID(ctx, "seo")
		if err != nil {
			t.Fatal(err)
		}
		if a.SEOTitle != "Издөө үчүн аталыш" || a.SEODescription != "Издөө үчүн сүрөттөмө" {
			t.Fatalf("imported SEO %q / %q", a.SEOTitle, a.SEODescription)
		}
		var out bytes.Buffer
		if _, err := Export(ctx, st, &out, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `"seo_title":"Издөө үчүн аталыш"`) || !strings.Contains(out.String(), `"seo_description":"Издөө үчүн сүрөттөмө"`) {
			t.Errorf("export lacks the SEO fields: %s", out.String())
		}
		if rep := importString(t, st, out.String(), Options{}); rep.Unchanged != 1 {
			t.Errorf("re-import of the export %+v, want unchanged", rep)
		}

		rep := importString(t, st, lines(good("seo", "title", "Жаңы аталыш")), Options{})
		if rep.Updated != 1 {
			t.Errorf("import of a new title %+v, want updated", rep)
		}
		got, err := st.ArticleByExternalID(ctx, "seo")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Жаңы аталыш" || got.SEOTitle != "Издөө үчүн аталыш" || got.SEODescription != "Издөө үчүн сүрөттөмө" {
			t.Errorf("a line without SEO fields: title %q, SEO %q / %q; want the stored SEO kept", got.Title, got.SEOTitle, got.SEODescription)
		}
		importString(t, st, lines(good("seo", "title", "Жаңы аталыш", "seo_title", "")), Options{})
		if got, _ = st.ArticleByExternalID(ctx, "seo"); got.SEOTitle != "" || got.SEODescription != "Издөө үчүн сүрөттөмө" {
			t.Errorf(`seo_title "": SEO %q / %q, want the title cleared, the description kept`, got.SEOTitle, got.SEODescription)
		}
	})
}
