package i18n

import (
	"fmt"
	"testing"

	"github.com/jarchy/jarchy"
)

// TestSectionNotEmptyNamesTheCount: the refusal to delete a section names
// the field and the number of its articles in the user's language.
func TestSectionNotEmptyNamesTheCount(t *testing.T) {
	err := fmt.Errorf("delete section 3: %w", jarchy.SectionNotEmpty("sport", 12))
	for lang, want := range map[jarchy.Lang]string{
		jarchy.Kyrgyz:  "Бөлүм: өчүрүүгө болбойт, анда материалдар бар (12). Адегенде аларды башка бөлүмгө көчүрүңүз же өчүрүңүз.",
		jarchy.Russian: "Раздел: нельзя удалить, в нём есть материалы (12). Сначала перенесите их в другой раздел или удалите.",
		jarchy.English: "Section: cannot be deleted, articles are filed under it (12). Move them to another section or delete them first.",
	} {
		if got := ErrorMessage(lang, err); got != want {
			t.Errorf("%s: %q\nwant %q", lang, got, want)
		}
	}
}
