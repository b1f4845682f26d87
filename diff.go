package jarchy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DiffKind says what a DiffOp does.
type DiffKind int

// Diff operations.
const (
	DiffEqual  DiffKind = iota // in both texts
	DiffDelete                 // only in the old text
	DiffInsert                 // only in the new text
)

// DiffOp is a run of text that both texts share, or that one of them
// alone has.
type DiffOp struct {
	Kind DiffKind
	Text string
}

// WordDiff returns the word-level difference between a and b: runs of
// equal, deleted and inserted text, whose Equal and Delete texts in order
// make a, and whose Equal and Insert texts in order make b. The unit is a
// token: a word (letters, digits and combining marks of any script, so
// Cyrillic words stay whole), a run of white space, or one other character
// (punctuation). Tokens are compared with a shortest edit script (Myers,
// after the common head and tail are cut off); at a change, the deletion
// comes before the insertion, and neighbouring runs of one kind are merged.
func WordDiff(a, b string) []DiffOp {
	ta, tb := diffTokens(a), diffTokens(b)
	head := 0
	for head < len(ta) && head < len(tb) && ta[head] == tb[head] {
		head++
	}
	tail := 0
	for tail < len(ta)-head && tail < len(tb)-head && ta[len(ta)-1-tail] == tb[len(tb)-1-tail] {
		tail++
	}
	var ops []DiffOp
	add := func(k DiffKind, toks []string) {
		if len(toks) == 0 {
			return
		}
		s := strings.Join(toks, "")
		if n := len(ops); n > 0 && ops[n-1].Kind == k {
			ops[n-1].Text += s
			return
		}
		ops = append(ops, DiffOp{Kind: k, Text: s})
	}
	add(DiffEqual, ta[:head])
	for _, e := range myers(ta[head:len(ta)-tail], tb[head:len(tb)-tail]) {
		add(e.kind, e.toks)
	}
	add(DiffEqual, ta[len(ta)-tail:])
	return ops
}

// diffTokens splits s into words, runs of white space and single other
// characters; joined, they give s back.
func diffTokens(s string) []string {
	var toks []string
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 0
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		c := class(r)
		j := i + n
		if c != 0 {
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if class(r2) != c {
					break
				}
				j += n2
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

type diffEdit struct {
	kind DiffKind
	toks []string
}

// myers returns the edits of a shortest edit script from a to b, in
// order. It keeps the frontier of every step d (2d+1 entries), so memory
// grows with the square of the number of differences, not with the texts.
func myers(a, b []string) []diffEdit {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil
	}
	if n == 0 {
		return []diffEdit{{DiffInsert, b}}
	}
	if m == 0 {
		return []diffEdit{{DiffDelete, a}}
	}
	limit := n + m
	// trace[d][k+d] is the furthest x on diagonal k after d edits.
	var trace [][]int
	var prev []int // the frontier after d-1 edits
	var found bool
	for d := 0; d <= limit && !found; d++ {
		v := make([]int, 2*d+1)
		get := func(k int) int { // furthest x on diagonal k after d-1 edits
			dd := d - 1
			if k < -dd || k > dd {
				return -1
			}
			return prev[k+dd]
		}
		for k := -d; k <= d; k += 2 {
			var x int
			switch {
			case d == 0:
				x = 0
			case k == -d || (k != d && get(k-1) < get(k+1)):
				x = get(k + 1) // down: insert b[y-1]
			default:
				x = get(k-1) + 1 // right: delete a[x-1]
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[k+d] = x
			if x >= n && y >= m {
				found = true
			}
		}
		trace = append(trace, v)
		prev = v
	}
	// Walk back from (n, m), collecting edits in reverse.
	var rev []diffEdit
	push := func(k DiffKind, tok string) {
		rev = append(rev, diffEdit{k, []string{tok}})
	}
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		p := trace[d-1] // indexed by k+d-1
		k := x - y
		down := k == -d || (k != d && p[k-1+d-1] < p[k+1+d-1])
		if down { // from diagonal k+1: insert b[py], then the snake
			px := p[k+1+d-1]
			py := px - (k + 1)
			for y > py+1 {
				x, y = x-1, y-1
				push(DiffEqual, a[x])
			}
			push(DiffInsert, b[py])
			x, y = px, py
		} else { // from diagonal k-1: delete a[px], then the snake
			px := p[k-1+d-1]
			py := px - (k - 1)
			for x > px+1 {
				x, y = x-1, y-1
				push(DiffEqual, a[x])
			}
			push(DiffDelete, a[px])
			x, y = px, py
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		push(DiffEqual, a[x])
	}
	// Reverse, merging runs; within a change, deletions go first.
	var edits []diffEdit
	for i := len(rev) - 1; i >= 0; i-- {
		e := rev[i]
		if n := len(edits); n > 0 && edits[n-1].kind == e.kind {
			edits[n-1].toks = append(edits[n-1].toks, e.toks...)
			continue
		}
		edits = append(edits, e)
	}
	return deletesFirst(edits)
}

// deletesFirst swaps every Insert that directly precedes a Delete, and
// merges what then touches, so a change reads "old, then new".
func deletesFirst(edits []diffEdit) []diffEdit {
	var out []diffEdit
	for i := 0; i < len(edits); i++ {
		e := edits[i]
		if e.kind == DiffInsert && i+1 < len(edits) && edits[i+1].kind == DiffDelete {
			e, edits[i+1] = edits[i+1], e
		}
		if n := len(out); n > 0 && out[n-1].kind == e.kind {
			out[n-1].toks = append(out[n-1].toks, e.toks...)
			continue
		}
		out = append(out, e)
	}
	return out
}
