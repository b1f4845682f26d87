package jarchy

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		lang Lang
		in   string
		want string
	}{
		{Kyrgyz, "Жогорку Кеңештин шайлоосу", "jogorku-kengeshtin-shayloosu"},
		{Kyrgyz, "Өкмөт жана үй-бүлө", "okmot-jana-uy-bulo"},
		{Russian, "Объявление о выборах: итоги!", "obyavlenie-o-vyborakh-itogi"},
		{Russian, "Жизнь в Бишкеке", "zhizn-v-bishkeke"},
		{English, "Café  --  Résumé 2026", "cafe-resume-2026"},
		{Kyrgyz, "  «Ала-Тоо» ", "ala-too"},
		{Kyrgyz, "йод ёлка", "yod-yolka"},
		{Kyrgyz, "!!!", ""},
	}
	for _, tt := range tests {
		if got := Slugify(tt.lang, tt.in); got != tt.want {
			t.Errorf("Slugify(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
}

func TestSlugifyBounded(t *testing.T) {
	long := ""
	for range 100 {
		long += "шайлоо "
	}
	if got := Slugify(Kyrgyz, long); len(got) > MaxSlugLen || got[len(got)-1] == '-' {
		t.Fatalf("slug %q is longer than %d or ends in a hyphen", got, MaxSlugLen)
	}
}

// Invisible formatting characters are skipped, not turned into hyphens, so
// a name and its cleaned form (CleanLine) give the same slug.
func TestSlugifySkipsFormatCharacters(t *testing.T) {
	tests := []struct{ in, want string }{
		{"evil\u202Egpj.exe", "evilgpj-exe"},
		{"шай\u00ADлоо", "shayloo"},
		{"\u2067Бишкек\u2069 шаары", "bishkek-shaary"},
		{"a\u200Eb\u200Fc\u061Cd\u200Be", "abcde"},
	}
	for _, tt := range tests {
		if got := Slugify(Kyrgyz, tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidSlug(t *testing.T) {
	for _, s := range []string{"a", "abc-123", "jogorku-kengesh", strings.Repeat("a", MaxSlugLen)} {
		if !ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-a", "a-", "a--b", "A", "a b", "a/b", "a_b", "кир", "a\x00", strings.Repeat("a", MaxSlugLen+1)} {
		if ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = true", s)
		}
	}
}
