package jsonl

import (
	"context"
	"testing"
)

// TestImportKeepsSEO: the format has no SEO fields, so importing a line
// over an article keeps the SEO title and description the newsroom gave
// it, and a re-import of the same line writes nothing.
func TestImportKeepsSEO(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		importString(t, st, lines(good("seo")), Options{})
		a, err := st.ArticleByExternalID(ctx, "seo")
		if err != nil {
			t.Fatal(err)
		}
		a.SEOTitle, a.SEODescription = "Издөө үчүн аталыш", "Издөө үчүн сүрөттөмө"
		if err := st.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		rep := importString(t, st, lines(good("seo")), Options{})
		if rep.Unchanged != 1 {
			t.Errorf("re-import %+v, want unchanged", rep)
		}
		rep = importString(t, st, lines(good("seo", "title", "Жаңы аталыш")), Options{})
		if rep.Updated != 1 {
			t.Errorf("import of a new title %+v, want updated", rep)
		}
		got, err := st.ArticleByExternalID(ctx, "seo")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Жаңы аталыш" || got.SEOTitle != "Издөө үчүн аталыш" || got.SEODescription != "Издөө үчүн сүрөттөмө" {
			t.Errorf("after import: title %q, SEO %q / %q", got.Title, got.SEOTitle, got.SEODescription)
		}
	})
}
