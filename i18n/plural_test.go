package i18n

import (
	"testing"

	"github.com/jarchy/jarchy"
)

// TestPluralFixed pins every plural form with written-out expectations:
// Russian one (1, 21, 101 but not 11, 111), few (2–4, 22–24 but not
// 12–14, 112–114) and many; English one and other; Kyrgyz one form.
func TestPluralFixed(t *testing.T) {
	cases := []struct {
		lang jarchy.Lang
		n    int
		want string
	}{
		{jarchy.Russian, 0, "0 материалов"},
		{jarchy.Russian, 1, "1 материал"},
		{jarchy.Russian, 2, "2 материала"},
		{jarchy.Russian, 3, "3 материала"},
		{jarchy.Russian, 4, "4 материала"},
		{jarchy.Russian, 5, "5 материалов"},
		{jarchy.Russian, 10, "10 материалов"},
		{jarchy.Russian, 11, "11 материалов"},
		{jarchy.Russian, 12, "12 материалов"},
		{jarchy.Russian, 13, "13 материалов"},
		{jarchy.Russian, 14, "14 материалов"},
		{jarchy.Russian, 15, "15 материалов"},
		{jarchy.Russian, 20, "20 материалов"},
		{jarchy.Russian, 21, "21 материал"},
		{jarchy.Russian, 22, "22 материала"},
		{jarchy.Russian, 24, "24 материала"},
		{jarchy.Russian, 25, "25 материалов"},
		{jarchy.Russian, 100, "100 материалов"},
		{jarchy.Russian, 101, "101 материал"},
		{jarchy.Russian, 102, "102 материала"},
		{jarchy.Russian, 111, "111 материалов"},
		{jarchy.Russian, 112, "112 материалов"},
		{jarchy.Russian, 114, "114 материалов"},
		{jarchy.Russian, 121, "121 материал"},
		{jarchy.Russian, 122, "122 материала"},
		{jarchy.Russian, 1011, "1011 материалов"},
		{jarchy.Russian, 1021, "1021 материал"},
		{jarchy.Russian, 500, "500 материалов"},
		{jarchy.English, 0, "0 stories"},
		{jarchy.English, 1, "1 story"},
		{jarchy.English, 2, "2 stories"},
		{jarchy.English, 11, "11 stories"},
		{jarchy.English, 21, "21 stories"},
		{jarchy.English, 101, "101 stories"},
		{jarchy.Kyrgyz, 0, "0 материал"},
		{jarchy.Kyrgyz, 1, "1 материал"},
		{jarchy.Kyrgyz, 2, "2 материал"},
		{jarchy.Kyrgyz, 5, "5 материал"},
		{jarchy.Kyrgyz, 12, "12 материал"},
		{jarchy.Kyrgyz, 21, "21 материал"},
	}
	for _, c := range cases {
		if got := Plural(c.lang, "count.articles", c.n); got != c.want {
			t.Errorf("Plural(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
