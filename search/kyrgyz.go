package search

import "strings"

// The Kyrgyz stemmer. Kyrgyz is agglutinative: nominal suffixes stack in a
// fixed order,
//
//	stem (+derivation) (+plural) (+possessive) (+case | -дагы | -ныкы | -дай | -ча) (+copula person) (+question)
//
// and verbs add voice, negation, tense/aspect (or a participle, which can
// then take nominal suffixes) and person. StemKyrgyz strips suffixes right
// to left, one slot at a time, never going back to an outer slot. Each
// suffix is written with archiphonemes; a candidate is accepted only when
// the suffix the remaining stem would really take (vowel harmony and
// consonant assimilation) is exactly what the word has. Stem-final к/п that
// voiced to г/б before a vowel are restored.
//
// Archiphonemes in suffix templates:
//
//	A  low vowel:  after и е э → е; ү ө → ө; а ы я у ю → а; о → о
//	I  high vowel: after и е э → и; ү ө → ү; а ы я → ы; о у ю → у
//	U  rounded high vowel (infinitive): front → ү, back → у
//	L  plural consonant: л after vowels, й, р; т after voiceless; else д
//	K  derivational -лык/-луу consonant: as L, but д after р (шаардык)
//	N  genitive/accusative: н after vowels; т after voiceless; else д
//	D  locative/ablative/past: д after vowels and voiced; т after voiceless
//	G  dative/participle: г after vowels and voiced; к after voiceless
//	B  negation/question: б after vowels and voiced; п after voiceless

func isKyVowel(r rune) bool {
	switch r {
	case 'а', 'е', 'ё', 'и', 'о', 'у', 'ү', 'ы', 'э', 'ю', 'я', 'ө':
		return true
	}
	return false
}

func isVoiceless(r rune) bool {
	switch r {
	case 'к', 'п', 'т', 'с', 'ш', 'ч', 'х', 'ф', 'ц', 'щ':
		return true
	}
	return false
}

func lastVowel(w []rune) rune {
	for i := len(w) - 1; i >= 0; i-- {
		if isKyVowel(w[i]) {
			return w[i]
		}
	}
	return 0
}

func vowelCount(w []rune) int {
	n := 0
	for _, r := range w {
		if isKyVowel(r) {
			n++
		}
	}
	return n
}

func isFront(v rune) bool {
	switch v {
	case 'е', 'и', 'э', 'ү', 'ө':
		return true
	}
	return false
}

func lowVowel(v rune) rune {
	switch v {
	case 'и', 'е', 'э':
		return 'е'
	case 'ү', 'ө':
		return 'ө'
	case 'о', 'ё':
		return 'о'
	}
	return 'а'
}

func highVowel(v rune) rune {
	switch v {
	case 'и', 'е', 'э':
		return 'и'
	case 'ү', 'ө':
		return 'ү'
	case 'о', 'у', 'ё', 'ю':
		return 'у'
	}
	return 'ы'
}

// realize returns the surface form of suffix template tpl after stem.
func realize(stem []rune, tpl []rune, buf []rune) []rune {
	cur := append(buf[:0], stem...)
	for _, t := range tpl {
		var last rune
		if len(cur) > 0 {
			last = cur[len(cur)-1]
		}
		vowelEnd := last == 0 || isKyVowel(last)
		var r rune
		switch t {
		case 'A':
			r = lowVowel(lastVowel(cur))
		case 'I':
			r = highVowel(lastVowel(cur))
		case 'U':
			if isFront(lastVowel(cur)) {
				r = 'ү'
			} else {
				r = 'у'
			}
		case 'L', 'K':
			switch {
			case vowelEnd || last == 'й' || last == 'р' && t == 'L':
				r = 'л'
			case isVoiceless(last):
				r = 'т'
			default:
				r = 'д'
			}
		case 'N':
			switch {
			case vowelEnd:
				r = 'н'
			case isVoiceless(last):
				r = 'т'
			default:
				r = 'д'
			}
		case 'D', 'G', 'B':
			voiceless := isVoiceless(last)
			switch {
			case t == 'D' && voiceless:
				r = 'т'
			case t == 'D':
				r = 'д'
			case t == 'G' && voiceless:
				r = 'к'
			case t == 'G':
				r = 'г'
			case voiceless:
				r = 'п'
			default:
				r = 'б'
			}
		default:
			r = t
		}
		cur = append(cur, r)
	}
	return cur[len(stem):]
}

// Suffix slots, outermost first. A word is stripped from the right; after
// a suffix of slot s only suffixes of a lower slot may follow (inwards).
const (
	slotQuestion = 90
	slotPerson   = 80 // copula / verbal person
	slotCase     = 70
	slotPoss     = 60
	slotPlural   = 50
	slotDeriv    = 45 // nominal derivation: -лык, -луу, -сыз, -чы
	slotVerbal   = 40 // tense, aspect, participles, infinitive, converb
	slotNeg      = 30
	slotVoice    = 20
)

type after int

const (
	afterAny after = iota
	afterVowel
	afterConsonant
)

type kyRule struct {
	tpl     []rune
	slot    int
	after   after
	minStem int     // minimum runes left
	weight  float64 // per stripped letter, for ranking analyses
	verbal  bool    // the suffix only occurs on verbs
	// needOuter: only when a suffix of one of these slots was stripped to
	// its right (e.g. present tense -а only before a person ending).
	needOuter []int
	// needVerbal: only inside a verb (after a verbal suffix was stripped)
	needVerbal bool
	// fused marks the infinitive оо/өө of vowel-final stems (айда+уу =
	// айдоо): the stem gets its low vowel back.
	fused bool
}

// nr is a nominal suffix rule, vr a verbal one.
func nr(tpl string, slot int, a after, minStem int) kyRule {
	return kyRule{tpl: []rune(tpl), slot: slot, after: a, minStem: minStem, weight: 1}
}

func vr(tpl string, slot int, a after, minStem int) kyRule {
	k := nr(tpl, slot, a, minStem)
	k.verbal = true
	return k
}

// rare lowers the weight of a suffix that is uncommon in news text, so an
// analysis with common suffixes wins over it.
func rare(k kyRule) kyRule { k.weight = 0.6; return k }

// only marks a suffix that occurs only before a suffix of one of the
// given slots; such a suffix, when confirmed, is worth a little more.
func only(k kyRule, slots ...int) kyRule { k.needOuter = slots; k.weight = 1.2; return k }

var kyRules = buildKyRules()

func buildKyRules() []kyRule {
	rules := []kyRule{
		// question particle written together
		rare(nr("BI", slotQuestion, afterAny, 4)),

		// copula / person endings (nominal predicates and verbs)
		nr("мIн", slotPerson, afterAny, 3),
		nr("сIң", slotPerson, afterAny, 3),
		nr("сIз", slotPerson, afterAny, 3),
		nr("BIз", slotPerson, afterAny, 3),
		nr("сIңAр", slotPerson, afterAny, 3),
		nr("сIздAр", slotPerson, afterAny, 3),
		// person endings after past -ды and conditional -са
		only(nr("м", slotPerson, afterVowel, 3), slotVerbal),
		only(nr("ң", slotPerson, afterVowel, 3), slotVerbal),
		only(nr("ңIз", slotPerson, afterVowel, 3), slotVerbal),
		only(nr("к", slotPerson, afterVowel, 3), slotVerbal),
		only(nr("ңAр", slotPerson, afterVowel, 3), slotVerbal),
		only(nr("ңIздAр", slotPerson, afterVowel, 3), slotVerbal),

		// cases
		nr("NIн", slotCase, afterAny, 2),  // genitive
		nr("NI", slotCase, afterAny, 2),   // accusative
		nr("GA", slotCase, afterAny, 2),   // dative
		nr("DA", slotCase, afterAny, 2),   // locative
		nr("DAн", slotCase, afterAny, 2),  // ablative
		nr("DAгI", slotCase, afterAny, 2), // -дагы
		rare(nr("NIкI", slotCase, afterAny, 2)),
		rare(nr("DAй", slotCase, afterAny, 3)),
		rare(nr("чA", slotCase, afterAny, 3)),
		rare(nr("GAчA", slotCase, afterAny, 2)),
		// dative after 1st/2nd person possessive: атам|а
		only(nr("A", slotCase, afterConsonant, 2), slotPoss),
		// cases after the 3rd person possessive, stripped together with it
		nr("IнA", slotCase, afterConsonant, 2), nr("сIнA", slotCase, afterVowel, 2),
		nr("IндA", slotCase, afterConsonant, 2), nr("сIндA", slotCase, afterVowel, 2),
		nr("IнAн", slotCase, afterConsonant, 2), nr("сIнAн", slotCase, afterVowel, 2),
		nr("Iн", slotCase, afterConsonant, 2), nr("сIн", slotCase, afterVowel, 2),
		nr("IндAгI", slotCase, afterConsonant, 2), nr("сIндAгI", slotCase, afterVowel, 2),
		rare(nr("IнчA", slotCase, afterConsonant, 2)), rare(nr("сIнчA", slotCase, afterVowel, 2)),

		// possessives
		// 1st/2nd person singular: rare in news, and a bare -м/-ң ends
		// many stems (көлөм, форум), so only before a case or copula
		only(nr("Iм", slotPoss, afterConsonant, 2), slotCase, slotPerson),
		only(nr("м", slotPoss, afterVowel, 3), slotCase, slotPerson),
		only(nr("Iң", slotPoss, afterConsonant, 2), slotCase, slotPerson),
		only(nr("ң", slotPoss, afterVowel, 3), slotCase, slotPerson),
		nr("IңIз", slotPoss, afterConsonant, 2), nr("ңIз", slotPoss, afterVowel, 2),
		nr("IбIз", slotPoss, afterConsonant, 2), nr("бIз", slotPoss, afterVowel, 2),
		nr("IңAр", slotPoss, afterConsonant, 2), nr("ңAр", slotPoss, afterVowel, 2),
		nr("I", slotPoss, afterConsonant, 2), nr("сI", slotPoss, afterVowel, 2),

		// plural
		nr("LAр", slotPlural, afterAny, 2),

		// nominal derivation
		nr("KIк", slotDeriv, afterAny, 3),               // -лык: шаардык
		nr("KUU", slotDeriv, afterAny, 3),               // -луу: ыктыярдуу
		nr("GI", slotDeriv, afterAny, 2),                // -кы: башкы, ички, негизги
		rare(nr("ий", slotDeriv, afterConsonant, 3)),    // илимий
		rare(nr("IрAAк", slotDeriv, afterConsonant, 3)), // comparative
		rare(nr("рAAк", slotDeriv, afterVowel, 3)),
		nr("сIз", slotDeriv, afterAny, 3), // -сыз: without
		rare(nr("чIл", slotDeriv, afterAny, 3)),
		nr("чIлIк", slotDeriv, afterAny, 3),
		rare(nr("чI", slotDeriv, afterAny, 3)), // agent -чы

		// verbal: participles, tenses, infinitive, converb
		vr("GAн", slotVerbal, afterAny, 2),                  // perfect participle -ган
		only(vr("GA", slotVerbal, afterAny, 2), slotPerson), // жатка|мын
		vr("чU", slotVerbal, afterAny, 2),                   // habitual -чу
		vr("UUчU", slotVerbal, afterConsonant, 2),
		vr("DI", slotVerbal, afterAny, 2),       // past -ды
		vr("Aт", slotVerbal, afterConsonant, 2), // present 3rd: келет
		vr("йт", slotVerbal, afterVowel, 2),     // present 3rd: айдайт
		only(vr("Aр", slotVerbal, afterConsonant, 2), slotPerson),
		only(vr("р", slotVerbal, afterVowel, 3), slotPerson),
		vr("BAс", slotVerbal, afterAny, 2),                  // negative future -бас
		only(vr("сA", slotVerbal, afterAny, 2), slotPerson), // conditional
		vr("Iп", slotVerbal, afterConsonant, 2),
		vr("п", slotVerbal, afterVowel, 3), // converb
		rare(vr("Iптир", slotVerbal, afterConsonant, 2)),
		rare(vr("птир", slotVerbal, afterVowel, 3)),
		vr("UU", slotVerbal, afterConsonant, 2), // infinitive
		vr("U", slotVerbal, afterVowel, 2),
		vr("UUдA", slotVerbal, afterConsonant, 2), // present continuous
		rare(vr("сIн", slotVerbal, afterAny, 2)),  // 3rd person imperative
		rare(vr("IңIз", slotVerbal, afterConsonant, 2)),
		rare(vr("GIлA", slotVerbal, afterAny, 2)),
		rare(vr("Aлы", slotVerbal, afterConsonant, 2)),
		// present tense vowel / glide before a person ending: келе|мин, айдай|быз
		only(vr("A", slotVerbal, afterConsonant, 2), slotPerson),
		only(vr("й", slotVerbal, afterVowel, 2), slotPerson),

		// negation
		vr("BA", slotNeg, afterAny, 2),

		// voice: passive / reflexive / reciprocal
		vr("Iл", slotVoice, afterConsonant, 3),
		vr("л", slotVoice, afterVowel, 3),
		vr("Iн", slotVoice, afterConsonant, 3),
		vr("н", slotVoice, afterVowel, 3),
		vr("Iш", slotVoice, afterConsonant, 2),
		vr("ш", slotVoice, afterVowel, 3),
	}
	// Infinitive of a stem ending in а/о/е/ө: айда → айдоо, төлө → төлөө.
	fo := vr("оо", slotVerbal, afterConsonant, 2)
	fo.fused = true
	fe := vr("өө", slotVerbal, afterConsonant, 2)
	fe.fused = true
	return append(rules, fo, fe)
}

// kyExceptions are words the suffix rules would damage. The value is the
// stem; an empty value keeps the word as it is.
var kyExceptions = map[string]string{}

// kyIrregularPrefix rewrites irregular stems before stripping:
// балдар (children) is the plural of бала.
var kyIrregularPrefix = []struct{ from, to string }{
	{"балдар", "бала"},
	{"кичинекей", "кичине"},
}

// kyElision maps stems whose last high vowel drops before a vowel-initial
// suffix back to the full stem: орун → орду, мурун → мурду.
var kyElision = map[string]string{
	"орд": "орун", "мурд": "мурун", "эрд": "эрин", "ойн": "ойун", "курс": "курсак",
	"ичег": "ичеги", "көйн": "көйнөк", "оозд": "ооз",
}

const kyMinStem = 2

// StemKyrgyz returns the stem of one folded Kyrgyz word (lower case,
// Cyrillic). Words shorter than three letters are returned as they are.
func StemKyrgyz(word string) string {
	if s, ok := kyExceptions[word]; ok {
		if s == "" {
			return word
		}
		return s
	}
	for _, ir := range kyIrregularPrefix {
		if strings.HasPrefix(word, ir.from) {
			rest := strings.TrimPrefix(word, ir.from)
			if rest == "" {
				return ir.to
			}
			// strip the remaining suffixes as if after a regular plural
			return stemKyRunes([]rune(ir.to + "лар" + rest))
		}
	}
	return stemKyRunes([]rune(word))
}

func stemKyRunes(w []rune) string {
	// Strip until nothing changes: a form whose first pass ends on its
	// lemma then always ends where the lemma itself ends.
	for range 4 {
		next := stemKyOnce(w, nil)
		if next == string(w) {
			break
		}
		w = []rune(next)
	}
	return string(w)
}

// stemKyOnce runs one search for the best analysis of w; trace, when not
// nil, receives the stripped suffixes of the winning analysis.
func stemKyOnce(w []rune, trace *[]string) string {
	if len(w) < 3 || vowelCount(w) == 0 {
		return string(w)
	}
	var st kyState
	st.best = w
	st.search(w, 100, 0, 0, false, nil)
	out := append([]rune(nil), st.best...)
	if full, ok := kyElision[string(out)]; ok {
		out = []rune(full)
	}
	if st.bestVerbal {
		out = dropHighVowel(out)
	}
	if trace != nil {
		*trace = st.bestPath
	}
	return string(devoiceFinal(out))
}

// kyState is a depth-first search over all ways to strip w; the analysis
// with the highest score (weighted stripped length) wins.
type kyState struct {
	best       []rune
	bestScore  float64
	bestVerbal bool
	bestPath   []string
	buf        [64]rune
	steps      int
}

const kyMaxSteps = 400 // bound on explored analyses per word

func (st *kyState) search(w []rune, slot, outer int, score float64, verbal bool, path []string) {
	st.steps++
	if len(path) > 0 {
		score -= stemPenalty(w)
	}
	if score > st.bestScore {
		st.best, st.bestScore, st.bestVerbal = w, score, verbal
		st.bestPath = append([]string(nil), path...)
	}
	if st.steps > kyMaxSteps {
		return
	}
	for i := range kyRules {
		k := &kyRules[i]
		n := len(k.tpl)
		if k.slot >= slot || len(w)-n < k.minStem || len(w)-n < kyMinStem {
			continue
		}
		if k.needOuter != nil && !contains(k.needOuter, outer) {
			continue
		}
		if k.needVerbal && !verbal {
			continue
		}
		stem := w[:len(w)-n]
		last := stem[len(stem)-1]
		if k.after == afterVowel && !isKyVowel(last) || k.after == afterConsonant && isKyVowel(last) {
			continue
		}
		suf := w[len(w)-n:]
		switch {
		case vowelCount(stem) == 0:
			// an acronym (КМШ|нын, ИДП|нын): its suffixes follow the
			// spoken letter names, so only the suffix's shape is checked
			if k.verbal || !acronymSuffix(k.tpl, suf) {
				continue
			}
		case k.fused:
			lv := lowVowel(lastVowel(stem))
			if suf[0] != suf[1] || isFront(lv) != (suf[0] == 'ө') {
				continue
			}
		default:
			if !runesEqual(realize(stem, k.tpl, st.buf[:0]), suf) {
				continue
			}
		}
		if protectedEnding(stem, w) {
			continue
		}
		next := append([]rune(nil), stem...)
		if k.fused {
			next = append(next, lowVowel(lastVowel(next)))
		}
		if isKyVowel(suf[0]) {
			next = restoreKP(next)
		}
		st.search(next, k.slot, k.slot, score+stemPenalty(w)*b2f(len(path) > 0)+k.weight*float64(n), verbal || k.verbal, append(path, string(k.tpl)+"="+string(suf)))
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// stemPenalty scores how unlikely w is as a Kyrgyz stem: two-letter stems
// and stems ending in a high vowel after a consonant (other than the
// agent suffix -чы) are rarer than the analyses that leave them, as in
// күн|ү (not кү|нү) and облус|у (not облу|су).
func stemPenalty(w []rune) float64 {
	n := len(w)
	p := 0.0
	if n <= 2 {
		p += 1
	}
	if n >= 2 {
		switch w[n-1] {
		case 'ы', 'и', 'у', 'ү':
			if !isKyVowel(w[n-2]) && w[n-2] != 'ч' {
				p += 1.5
			}
		}
	}
	return p
}

// acronymSuffix matches suf against tpl letting every archiphoneme stand
// for any of its forms.
func acronymSuffix(tpl, suf []rune) bool {
	for i, t := range tpl {
		c := suf[i]
		var ok bool
		switch t {
		case 'A':
			ok = c == 'а' || c == 'е' || c == 'о' || c == 'ө'
		case 'I', 'U':
			ok = c == 'ы' || c == 'и' || c == 'у' || c == 'ү'
		case 'L', 'K', 'N', 'D', 'G', 'B':
			ok = !isKyVowel(c)
		default:
			ok = c == t
		}
		if !ok {
			return false
		}
	}
	return true
}

// protectedEnding keeps -стан toponyms whole: a cut must not fall inside
// the last "стан" of the word (Кыргызстан is not Кыргызс + ablative).
func protectedEnding(stem, w []rune) bool {
	for i := len(w) - 4; i >= 0; i-- {
		if w[i] == 'с' && w[i+1] == 'т' && w[i+2] == 'а' && w[i+3] == 'н' {
			return len(stem) > i && len(stem) < i+4
		}
	}
	return false
}

// restoreKP turns a stem-final г/б, voiced before a vowel-initial suffix,
// back into к/п: аймаг|ы → аймак, талаб|ы → талап.
func restoreKP(w []rune) []rune { return devoiceFinal(w) }

// devoiceFinal writes every stem-final г/б as к/п, so that аймак,
// аймагы, клуб and клубу share one term whatever the spelling of the root.
func devoiceFinal(w []rune) []rune {
	if n := len(w); n > 1 {
		switch w[n-1] {
		case 'г':
			w[n-1] = 'к'
		case 'б':
			w[n-1] = 'п'
		}
	}
	return w
}

// dropHighVowel removes a stem-final high vowel after a consonant in verb
// stems: оку|ду and ок|уу (infinitive) share the term ок.
func dropHighVowel(w []rune) []rune {
	n := len(w)
	if n >= 3 && !isKyVowel(w[n-2]) && vowelCount(w) > 1 {
		switch w[n-1] {
		case 'у', 'ү', 'ы', 'и':
			return w[:n-1]
		}
	}
	return w
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func runesEqual(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// kyrgyzSuffixOnly reports whether w is only a chain of Kyrgyz suffixes,
// as in the нын of KOICAнын.
func kyrgyzSuffixOnly(w string) bool {
	if len([]rune(w)) > 10 {
		return false
	}
	for _, dummy := range []string{"бак", "бек", "бок", "бөк", "бука", "бала", "беке", "боло", "бөлө", "бүкү"} {
		if StemKyrgyz(dummy+w) == StemKyrgyz(dummy) {
			return true
		}
	}
	return false
}
