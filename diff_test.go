package jarchy

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestWordDiff(t *testing.T) {
	eq := func(s string) DiffOp { return DiffOp{DiffEqual, s} }
	del := func(s string) DiffOp { return DiffOp{DiffDelete, s} }
	ins := func(s string) DiffOp { return DiffOp{DiffInsert, s} }
	tests := []struct {
		name string
		a, b string
		want []DiffOp
	}{
		{"both empty", "", "", nil},
		{"same", "Бишкекте жаан жаады.", "Бишкекте жаан жаады.", []DiffOp{eq("Бишкекте жаан жаады.")}},
		{"from nothing", "", "Жаңы макала", []DiffOp{ins("Жаңы макала")}},
		{"to nothing", "Эски текст", "", []DiffOp{del("Эски текст")}},
		{"one Kyrgyz word replaced", "Бүгүн Бишкекте жаан жаады.", "Бүгүн Ошто жаан жаады.",
			[]DiffOp{eq("Бүгүн "), del("Бишкекте"), ins("Ошто"), eq(" жаан жаады.")}},
		{"a Russian word inserted", "Парламент принял закон.", "Парламент вчера принял закон.",
			[]DiffOp{eq("Парламент "), ins("вчера "), eq("принял закон.")}},
		{"a word deleted", "Президент жана өкмөт жыйын өткөрдү", "Президент жыйын өткөрдү",
			[]DiffOp{eq("Президент "), del("жана өкмөт "), eq("жыйын өткөрдү")}},
		{"punctuation is its own token", "Ош, Жалал-Абад", "Ош; Жалал-Абад!",
			[]DiffOp{eq("Ош"), del(","), ins(";"), eq(" Жалал-Абад"), ins("!")}},
		{"a word is whole, not its letters", "үйлөр", "үйлөрү",
			[]DiffOp{del("үйлөр"), ins("үйлөрү")}},
		{"numbers and marks", "Баасы 100 сом", "Баасы 120 сом",
			[]DiffOp{eq("Баасы "), del("100"), ins("120"), eq(" сом")}},
		{"white space change", "бир эки", "бир\n\nэки",
			[]DiffOp{eq("бир"), del(" "), ins("\n\n"), eq("эки")}},
		{"two changes", "Кечээ Нарында кар жаады, жолдор жабылды.", "Бүгүн Нарында кар жаады, жолдор ачылды.",
			[]DiffOp{del("Кечээ"), ins("Бүгүн"), eq(" Нарында кар жаады, жолдор "), del("жабылды"), ins("ачылды"), eq(".")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WordDiff(tt.a, tt.b); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("WordDiff(%q, %q)\n got %v\nwant %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestWordDiffApplies: on random texts from a small vocabulary (so that
// they share much), the Equal and Delete runs give a back, the Equal and
// Insert runs give b, no two neighbouring runs have one kind, a deletion
// comes before the insertion next to it, no run is
// empty, and the kept tokens are a longest common subsequence (checked
// against a plain dynamic programme).
func TestWordDiffApplies(t *testing.T) {
	words := []string{"Бишкек", "Ош", "жаан", "кар", "закон", "принял", "үй", "a", " ", "  ", "\n", ",", ".", "—", "ң", "1"}
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var sb strings.Builder
		for range r.IntN(40) {
			sb.WriteString(words[r.IntN(len(words))])
		}
		return sb.String()
	}
	for i := range 3000 {
		a, b := text(), text()
		ops := WordDiff(a, b)
		var gotA, gotB strings.Builder
		for j, op := range ops {
			if op.Text == "" {
				t.Fatalf("case %d: empty run in %v", i, ops)
			}
			if j > 0 && ops[j-1].Kind == op.Kind {
				t.Fatalf("case %d: unmerged runs in %v", i, ops)
			}
			if j > 0 && ops[j-1].Kind == DiffInsert && op.Kind == DiffDelete {
				t.Fatalf("case %d: an insertion before a deletion in %v", i, ops)
			}
			if op.Kind != DiffInsert {
				gotA.WriteString(op.Text)
			}
			if op.Kind != DiffDelete {
				gotB.WriteString(op.Text)
			}
		}
		if gotA.String() != a || gotB.String() != b {
			t.Fatalf("case %d: WordDiff(%q, %q) = %v gives back %q and %q", i, a, b, ops, gotA.String(), gotB.String())
		}
		kept := 0
		for _, op := range ops {
			if op.Kind == DiffEqual {
				kept += len(diffTokens(op.Text))
			}
		}
		if want := lcsLen(diffTokens(a), diffTokens(b)); kept != want {
			t.Fatalf("case %d: WordDiff(%q, %q) keeps %d tokens, the longest common subsequence has %d", i, a, b, kept, want)
		}
		if a == b && len(ops) > 1 {
			t.Fatalf("case %d: equal texts give %v", i, ops)
		}
	}
}

// lcsLen is the textbook dynamic programme for the length of a longest
// common subsequence.
func lcsLen(a, b []string) int {
	row := make([]int, len(b)+1)
	for i := range a {
		prev := 0 // row[j] of the previous i
		for j := range b {
			cur := row[j+1]
			if a[i] == b[j] {
				row[j+1] = prev + 1
			} else {
				row[j+1] = max(row[j+1], row[j])
			}
			prev = cur
		}
	}
	return row[len(b)]
}

func BenchmarkWordDiff(b *testing.B) {
	var sb strings.Builder
	for i := range 3000 {
		sb.WriteString("Бишкекте жаан жаады, ")
		if i%100 == 0 {
			sb.WriteString("жолдор жабылды. ")
		}
	}
	old := sb.String()
	edited := strings.Replace(strings.Replace(old, "жолдор жабылды", "жолдор ачылды", 5), "жаан", "кар", 20)
	b.ReportAllocs()
	for b.Loop() {
		WordDiff(old, edited)
	}
}
