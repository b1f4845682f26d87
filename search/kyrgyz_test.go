package search

import (
	"bytes"
	"os"
	"testing"

	"github.com/jarchy/jarchy"
)

// TestKyrgyzFalseMerges: unrelated words that once shared a stem keep
// apart, while the forms of each still share theirs.
func TestKyrgyzFalseMerges(t *testing.T) {
	apart := [][2]string{
		{"катышкан", "кат"}, {"катышуучулар", "каттар"}, {"мектеп", "мек"},
		{"мектептерде", "мекке"}, {"Кеген", "ке"}, {"Өзгөндө", "өз"},
		{"эсебинен", "эсе"}, {"Маданий", "ма"}, {"алдыда", "ал"},
	}
	for _, p := range apart {
		if a, b := terms(jarchy.Kyrgyz, p[0]), terms(jarchy.Kyrgyz, p[1]); a == b {
			t.Errorf("%s and %s share the stem %q", p[0], p[1], a)
		}
	}
	together := [][]string{
		{"мектеп", "мектептер", "мектепке", "мектептин", "мектептерде"},
		{"катыш", "катышкан", "катышты", "катышууда"},
		{"кат", "каттар", "катты"},
		{"Кеген", "Кегенде", "Кегенден"},
		{"Өзгөн", "Өзгөндө", "Өзгөндүн"},
		{"эсеп", "эсеби", "эсебинен"},
		// no converb -п under a case ending: not телефо|н|уңуз|да
		{"телефон", "телефонуңузда", "телефондо"},
	}
	for _, ws := range together {
		want := terms(jarchy.Kyrgyz, ws[0])
		for _, w := range ws[1:] {
			if got := terms(jarchy.Kyrgyz, w); got != want {
				t.Errorf("%s -> %q, want %q (as %s)", w, got, want, ws[0])
			}
		}
	}
}

// TestKyrgyzAcronyms: an acronym with case endings written after it in
// lower case is indexed as the acronym, like the acronym alone.
func TestKyrgyzAcronyms(t *testing.T) {
	for _, c := range []struct{ words, want string }{
		{"ИДПнын ИДПны ИДПсы ИДП", "идп идп идп идп"},
		{"КРдин КРде КР", "кр кр кр"},
		{"ЖКнын ЖК", "жк жк"},
		{"ГЭСинде ГЭСи ГЭСтер ГЭС", "гэс гэс гэс гэс"},
		{"ЕАЭБдин ЕАЭБ", "еаэб еаэб"},
		{"ОшМУнун ОшМУ", "ошму ошму"},
	} {
		if got := terms(jarchy.Kyrgyz, c.words); got != c.want {
			t.Errorf("%s -> %q, want %q", c.words, got, c.want)
		}
	}
	// a long word in capitals is a word: ШАЙЛОО is шайлоо
	if a, b := terms(jarchy.Kyrgyz, "ШАЙЛООДО"), terms(jarchy.Kyrgyz, "шайлоодо"); a != b {
		t.Errorf("ШАЙЛООДО -> %q, шайлоодо -> %q", a, b)
	}
	// lower-case letters that are no case ending are not cut off
	if got := terms(jarchy.Kyrgyz, "КРмектеп"); got == "кр" {
		t.Errorf("КРмектеп -> %q", got)
	}
}

// TestKyrgyzNamesKeepTheirStem: names that look like inflected words keep
// a stem of their own.
func TestKyrgyzNamesKeepTheirStem(t *testing.T) {
	for _, c := range [][2]string{
		{"Кеген", "кеген"}, {"Өзгөн", "өзгөн"}, {"Талас", "талас"},
		{"Токтогул", "токтогул"}, {"Баткен", "баткен"}, {"Кыргызстан", "кыргызстан"},
		{"Толстой", "толстой"}, {"Толстойдун", "толстой"}, {"Арстанбап", "арстанбап"},
		{"Абдыганы", "абдыганы"}, {"Сокулукта", "сокулук"},
	} {
		if got := terms(jarchy.Kyrgyz, c[0]); got != c[1] {
			t.Errorf("%s -> %q, want %q", c[0], got, c[1])
		}
	}
}

// TestPlausibleStemEnd: no analysis leaves a stem ending in a consonant
// cluster no Kyrgyz word ends in (without protection: толс|той, кызыкд|ар
// are no analyses), while loans in -тр, -кт, -кл keep theirs.
func TestPlausibleStemEnd(t *testing.T) {
	none := map[string]bool{}
	for w, bad := range map[string]string{"толстой": "толс", "толстойдун": "толс", "кызыкдар": "кызыкд"} {
		if got := stemKyrgyz(w, none); got == bad {
			t.Errorf("%s -> %q", w, got)
		}
	}
	for w, want := range map[string]string{"министрлер": "министр", "мотоциклдер": "мотоцикл", "туризмди": "туризм", "салттар": "салт", "досттор": "дост", "банктар": "банк"} {
		if got := stemKyrgyz(w, none); got != want {
			t.Errorf("%s -> %q, want %q", w, got, want)
		}
	}
}

// TestProtectedFloor: a protected stem is a floor no analysis cuts below,
// also when its final к/п is voiced in the word.
func TestProtectedFloor(t *testing.T) {
	none := map[string]bool{}
	if got := stemKyrgyz("катышкан", none); got != "кат" {
		t.Fatalf("without protection катышкан -> %q, want кат (the test needs a word the rules overcut)", got)
	}
	set := map[string]bool{"катыш": true, "калып": true}
	for w, want := range map[string]string{
		"катышкан": "катыш", "катыш": "катыш", "катышууда": "катыш", "каттар": "кат",
		"калыбына": "калып",
	} {
		if got := stemKyrgyz(w, set); got != want {
			t.Errorf("protected: %s -> %q, want %q", w, got, want)
		}
	}
}

// TestProtectedStemsGenerated: ky_protected.go is what `go generate`
// makes from the gold data (skipped without it).
func TestProtectedStemsGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating the protected stems takes seconds")
	}
	dir := kyrgyzGold(t)
	var b bytes.Buffer
	if err := WriteProtectedStems(&b, dir); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("ky_protected.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), committed) {
		t.Error("ky_protected.go is stale: run go generate ./search (with JARCHY_SHARED set if needed)")
	}
}
