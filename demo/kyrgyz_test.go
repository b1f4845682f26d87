package demo

import "testing"

func TestKyrgyzInflection(t *testing.T) {
	for _, c := range []struct{ w, form, want string }{
		{"шайлоо", "abl", "шайлоодон"},
		{"шайлоо", "pldat", "шайлоолорго"},
		{"шайлоо", "possloc", "шайлоосунда"},
		{"шайлоо", "gen", "шайлоонун"},
		{"бюджет", "loc", "бюджетте"},
		{"бюджет", "poss", "бюджети"},
		{"мектеп", "poss", "мектеби"},
		{"мектеп", "pl", "мектептер"},
		{"мыйзам", "pl", "мыйзамдар"},
		{"мыйзам", "acc", "мыйзамды"},
		{"үй", "pl", "үйлөр"},
		{"жол", "plgen", "жолдордун"},
		{"Бишкек", "dat", "Бишкекке"},
		{"Талас", "abl", "Таластан"},
		{"Нарын", "loc", "Нарында"},
		{"көпүрө", "poss", "көпүрөсү"},
		{"түшүм", "possdat", "түшүмүнө"},
		{"көл", "plloc", "көлдөрдө"},
	} {
		if got := kyForm(c.w, c.form); got != c.want {
			t.Errorf("kyForm(%q, %q) = %q, want %q", c.w, c.form, got, c.want)
		}
	}
}
