package jarchy

import "testing"

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
