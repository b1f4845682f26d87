package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

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

// plausibleEnd tells whether a stem may end as it does: in a vowel, one
// consonant, or a cluster Kyrgyz words and common loans end in (айт,
// түрк, салт, дост, министр, мотоцикл, факт, туризм): абд|ыганы,
// толс|той are no analyses.
func plausibleEnd(w []rune) bool {
	n := len(w)
	if n < 2 || isKyVowel(w[n-1]) || isKyVowel(w[n-2]) || !isCyrillic(w[n-1]) || !isCyrillic(w[n-2]) {
		return true // not judged: digits and Latin (100|дөн, KITA|нын)
	}
	a, b := w[n-2], w[n-1]
	switch {
	case b == 'р' || b == 'л' || b == 'ь' || a == 'ь':
		return true
	case a == 'р' || a == 'й':
		return true
	case a == 'л' || a == 'н' || a == 'ң' || a == 'м':
		return strings.ContainsRune("ткпчдгбс", b) && !(a == 'л' && b == 'с')
	case a == 'с' || a == 'ш':
		return b == 'т'
	}
	switch string(w[n-2:]) {
	case "кт", "пт", "фт", "зм", "кс", "дж":
		return true
	}
	return false
}

func isLowVowel(v rune) bool { return v == 'а' || v == 'е' || v == 'о' || v == 'ө' }

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
	if len(stem) > 12 {
		stem = stem[len(stem)-12:] // harmony only looks at the stem's end
	}
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
	slotPast     = 41 // past -ды, conditional -са: before person -м, -ң, -к
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
	// stemEnd, when set, lists the letters the stem may end in.
	stemEnd string
	// notLong: the stem must not end in a doubled vowel.
	notLong bool
	// causative: see causative().
	causative bool
	// finite: a verb form no nominal suffix follows (converb -ып, present
	// -ат, past -ды…), so not below a case, possessive, plural or
	// derivation: эсеб|инен is not эсе|п|инен.
	finite bool
	// afterLA: the stem must end in л + low vowel.
	afterLA bool
	// presentStem: the stem must look like a verb stem (presentStemOK).
	presentStem bool
	// needNext: the next suffix inwards must be of one of these slots.
	needNext []int
	// last is the set of letters the suffix can end in (a quick filter),
	// a bit per rune from U+0400.
	last [4]uint64
	// next, when set, is the slot to continue below instead of slot.
	next int
	// fused marks the infinitive оо/өө of vowel-final stems (айда+уу =
	// айдоо): the stem gets its low vowel back.
	fused bool
}

// nr is a nominal suffix rule, vr a verbal one.
func nr(tpl string, slot int, a after, minStem int) kyRule {
	return kyRule{tpl: []rune(tpl), slot: slot, after: a, minStem: minStem, weight: 1}
}

// vv is a verbal suffix that sits inside a verb (negation, voice): it is
// only stripped after an outer verbal suffix, so кабыл, мезгил, жакын
// keep their -ыл/-ил/-ын.
func vv(tpl string, slot int, a after, minStem int) kyRule {
	k := vr(tpl, slot, a, minStem)
	k.needVerbal = true
	return k
}

func vr(tpl string, slot int, a after, minStem int) kyRule {
	k := nr(tpl, slot, a, minStem)
	k.verbal = true
	return k
}

// rare lowers the weight of a suffix that is uncommon in news text, so an
// analysis with common suffixes wins over it.
func rare(k kyRule) kyRule { k.weight = 0.6; return k }

// present marks the 3rd person present -ат/-ет, which many nouns end in
// (мамлекет, саясат, кызмат): see presentStemOK.
func present(k kyRule) kyRule { k.presentStem = true; return k }

// causative marks the causative -т, which follows a verb stem ending in
// a low vowel after л, д, т, р, н (токто|т, орно|т): мамлеке|т is no verb.
func causative(k kyRule) kyRule { k.causative = true; return k }

// fin marks a finite verb form: see kyRule.finite.
func fin(k kyRule) kyRule { k.finite = true; return k }

// nominalSlot tells the slots of nominal suffixes.
func nominalSlot(s int) bool {
	return s == slotCase || s == slotPoss || s == slotPlural || s == slotDeriv
}

// ends limits a suffix to stems ending in one of the given letters.
func ends(k kyRule, letters string) kyRule { k.stemEnd = letters; return k }

// notLong keeps a suffix off stems ending in a long vowel: жооп is not
// жоо|п.
func notLong(k kyRule) kyRule { k.notLong = true; return k }

// lan marks a suffix allowed only after a stem ending in -ла/-ле/-ло/-лө.
func lan(k kyRule) kyRule { k.afterLA = true; return k }

func weigh(k kyRule, w float64) kyRule { k.weight = w; return k }

// only marks a suffix that occurs only before a suffix of one of the
// given slots; such a suffix, when confirmed, is worth a little more.
func only(k kyRule, slots ...int) kyRule { k.needOuter = slots; k.weight = 1.2; return k }

// then marks a suffix that must be followed inwards by one of the given
// slots: the person endings -м, -ң, -к come only after past -ды or
// conditional -са (бер|ди|м).
func then(k kyRule, slots ...int) kyRule { k.needNext = slots; return k }

// p3 marks a case ending fused with the 3rd person possessive
// (аймаг|ында): the possessive slot is used up with it.
func p3(k kyRule) kyRule { k.next = slotPoss; return k }

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
		then(nr("м", slotPerson, afterVowel, 3), slotPast),
		then(nr("ң", slotPerson, afterVowel, 3), slotPast),
		then(nr("ңIз", slotPerson, afterVowel, 3), slotPast),
		rare(then(nr("к", slotPerson, afterVowel, 3), slotPast)),
		then(nr("ңAр", slotPerson, afterVowel, 3), slotPast),
		then(nr("ңIздAр", slotPerson, afterVowel, 3), slotPast),

		// cases
		nr("NIн", slotCase, afterAny, 2),  // genitive
		nr("NI", slotCase, afterAny, 2),   // accusative
		nr("GA", slotCase, afterAny, 2),   // dative
		nr("DA", slotCase, afterAny, 2),   // locative
		nr("DAн", slotCase, afterAny, 2),  // ablative
		nr("DAгI", slotCase, afterAny, 2), // -дагы
		rare(nr("NIкI", slotCase, afterAny, 2)),
		rare(nr("DAй", slotCase, afterAny, 3)),
		rare(nr("GAчA", slotCase, afterAny, 2)),
		// dative after 1st/2nd person possessive: атам|а
		only(nr("A", slotCase, afterConsonant, 2), slotPoss),
		// cases after the 3rd person possessive, stripped together with it
		p3(nr("IнA", slotCase, afterConsonant, 2)), p3(nr("сIнA", slotCase, afterVowel, 2)),
		p3(nr("IндA", slotCase, afterConsonant, 2)), p3(nr("сIндA", slotCase, afterVowel, 2)),
		p3(nr("IнAн", slotCase, afterConsonant, 2)), p3(nr("сIнAн", slotCase, afterVowel, 2)),
		p3(nr("Iн", slotCase, afterConsonant, 2)), p3(nr("сIн", slotCase, afterVowel, 2)),
		p3(nr("IндAгI", slotCase, afterConsonant, 2)), p3(nr("сIндAгI", slotCase, afterVowel, 2)),
		rare(p3(nr("IнчA", slotCase, afterConsonant, 2))), rare(p3(nr("сIнчA", slotCase, afterVowel, 2))),

		// possessives
		// 1st/2nd person singular: rare in news, and a bare -м/-ң ends
		// many stems (көлөм, форум, адам), so only before a case, and
		// with a low weight
		weigh(only(nr("Iм", slotPoss, afterConsonant, 2), slotCase), 0.3),
		weigh(only(nr("м", slotPoss, afterVowel, 3), slotCase), 0.3),
		weigh(only(nr("Iң", slotPoss, afterConsonant, 2), slotCase), 0.3),
		weigh(only(nr("ң", slotPoss, afterVowel, 3), slotCase), 0.3),
		rare(nr("IңIз", slotPoss, afterConsonant, 2)), rare(nr("ңIз", slotPoss, afterVowel, 2)),
		nr("IбIз", slotPoss, afterConsonant, 2), nr("бIз", slotPoss, afterVowel, 2),
		nr("IңAр", slotPoss, afterConsonant, 2), nr("ңAр", slotPoss, afterVowel, 2),
		nr("I", slotPoss, afterConsonant, 2), nr("сI", slotPoss, afterVowel, 2),

		// plural
		nr("LAр", slotPlural, afterAny, 2),

		// nominal derivation
		nr("KIк", slotDeriv, afterConsonant, 2), // -лык: шаардык, элдик
		nr("KIк", slotDeriv, afterVowel, 3),
		weigh(nr("KUU", slotDeriv, afterConsonant, 2), 0.9), // -луу: ыктыярдуу
		weigh(nr("KUU", slotDeriv, afterVowel, 3), 0.9),
		// -кы/-гы: башкы, ички, кийинки, мурунку, негизги, жазгы (к
		// also after voiced consonants, so both are accepted)
		weigh(nr("GI", slotDeriv, afterConsonant, 2), 1.1),
		weigh(ends(nr("кI", slotDeriv, afterConsonant, 4), "нңрлй"), 1.1),
		// ordinal -ынчы: биринчи, экинчи, үчүнчү
		nr("IнчI", slotDeriv, afterConsonant, 2), nr("нчI", slotDeriv, afterVowel, 2),
		// -лык after р in loans: долларлык (native шаардык is covered above)
		ends(nr("лIк", slotDeriv, afterConsonant, 3), "р"),
		rare(nr("ий", slotDeriv, afterConsonant, 3)),    // илимий
		rare(nr("IрAAк", slotDeriv, afterConsonant, 3)), // comparative
		rare(nr("рAAк", slotDeriv, afterVowel, 3)),
		nr("сIз", slotDeriv, afterAny, 3), // -сыз: without

		// verbal: participles, tenses, infinitive, converb
		vr("GAн", slotVerbal, afterAny, 2),                  // perfect participle -ган
		only(vr("GA", slotVerbal, afterAny, 2), slotPerson), // жатка|мын
		// habitual -чу; agent nouns in -уучу/-оочу (шайлоочу, окуучу)
		// are words of their own
		notLong(vr("чU", slotVerbal, afterAny, 2)),
		fin(vr("DI", slotPast, afterAny, 2)),                  // past -ды
		fin(present(vr("Aт", slotVerbal, afterConsonant, 2))), // present 3rd: келет
		fin(vr("йт", slotVerbal, afterVowel, 2)),              // present 3rd: айдайт
		only(vr("Aр", slotVerbal, afterConsonant, 2), slotPerson),
		only(vr("р", slotVerbal, afterVowel, 3), slotPerson),
		vr("BAс", slotVerbal, afterAny, 2),                     // negative future -бас
		fin(only(vr("сA", slotPast, afterAny, 2), slotPerson)), // conditional
		fin(rare(vr("сA", slotPast, afterAny, 3))),
		fin(vr("Iп", slotVerbal, afterConsonant, 2)),
		fin(notLong(vr("п", slotVerbal, afterVowel, 3))),      // converb
		fin(rare(vr("IптIр", slotVerbal, afterConsonant, 2))), // evidential: барыптыр
		fin(rare(vr("птIр", slotVerbal, afterVowel, 3))),
		fin(vr("BAй", slotVerbal, afterAny, 2)), // negative converb: көрбөй
		vr("UU", slotVerbal, afterConsonant, 2), // infinitive
		vr("U", slotVerbal, afterVowel, 2),
		fin(vr("UUдA", slotVerbal, afterConsonant, 2)), // present continuous
		fin(rare(vr("сIн", slotVerbal, afterAny, 2))),  // 3rd person imperative
		fin(rare(vr("IңIз", slotVerbal, afterConsonant, 2))),
		fin(rare(vr("GIлA", slotVerbal, afterAny, 2))),
		fin(rare(vr("Aлы", slotVerbal, afterConsonant, 2))),
		// present tense vowel / glide before a person ending: келе|мин, айдай|быз
		fin(only(vr("A", slotVerbal, afterConsonant, 2), slotPerson)),
		fin(only(vr("й", slotVerbal, afterVowel, 2), slotPerson)),

		// negation
		vv("BA", slotNeg, afterAny, 2),

		// voice: passive / reflexive / reciprocal
		vv("Iл", slotVoice, afterConsonant, 3),
		vv("л", slotVoice, afterVowel, 3),
		vv("Iн", slotVoice, afterConsonant, 3),
		vv("н", slotVoice, afterVowel, 3),
		// passive / reflexive -н of a -ла verb needs no outer suffix:
		// талкуула|н, пайдала|н, белгиле|н
		lan(vr("н", slotVoice, afterVowel, 4)),
		vv("Iш", slotVoice, afterConsonant, 2),
		vv("ш", slotVoice, afterVowel, 3),
		// causative -т after a vowel: токто|т|ул|ду
		causative(vv("т", slotVoice, afterVowel, 4)),
	}
	// Infinitive of a stem ending in а/о/е/ө: айда → айдоо, төлө → төлөө.
	fo := vr("оо", slotVerbal, afterConsonant, 2)
	fo.fused = true
	fe := vr("өө", slotVerbal, afterConsonant, 2)
	fe.fused = true
	rules = append(rules, fo, fe)
	for i := range rules {
		for _, r := range finalLetters(rules[i].tpl[len(rules[i].tpl)-1]) {
			rules[i].last[(r-0x400)/64] |= 1 << ((r - 0x400) % 64)
		}
	}
	return rules
}

func (k *kyRule) endsIn(r rune) bool {
	r -= 0x400
	return r >= 0 && r < 256 && k.last[r/64]&(1<<(r%64)) != 0
}

// finalLetters lists the letters a template character can stand for.
func finalLetters(t rune) string {
	switch t {
	case 'A':
		return "аеоө"
	case 'I', 'U':
		return "ыиуү"
	case 'L', 'K':
		return "лдт"
	case 'N':
		return "ндт"
	case 'D':
		return "дт"
	case 'G':
		return "гк"
	case 'B':
		return "бп"
	}
	return string(t)
}

// kyExceptions are words the suffix rules would damage. The value is the
// stem; an empty value keeps the word as it is.
var kyExceptions = map[string]string{
	// де- (say): its two-letter stem is below what the rules strip to
	"деп": "де", "деди": "де", "дешти": "де", "дейт": "де", "деген": "де",
	"десе": "де", "дебей": "де", "дебейт": "де",
}

// kyShortVerbs are the two-letter verb roots, a closed set: a verbal
// suffix that begins with a consonant leaves no other two-letter stem.
var kyShortVerbs = map[string]bool{
	"ак": true, "ал": true, "ат": true, "ач": true, "аш": true, "де": true, "же": true,
	"жу": true, "ий": true, "из": true, "ич": true, "ки": true, "ой": true, "ор": true,
	"ук": true, "ур": true, "ут": true, "уч": true, "ый": true, "эк": true, "эт": true,
	"ээ": true, "өл": true, "өс": true, "өт": true, "өч": true,
}

// kyIrregularPrefix rewrites irregular stems before stripping:
// балдар (children) is the plural of бала.
var kyIrregularPrefix = []struct{ from, to string }{
	{"балдар", "бала"},
	{"кичинекей", "кичине"},
}

// kyElision maps stems whose last high vowel drops before a vowel-initial
// suffix back to the full stem: орун → орду, мурун → мурду.
var kyElision = map[string]string{
	"орд": "орун", "мурд": "мурун", "эрд": "эрин",
}

//go:generate go run ./internal/kygen -out ky_protected.go

const kyMinStem = 2

// StemKyrgyz returns the stem of one folded Kyrgyz word (lower case,
// Cyrillic). Words shorter than three letters are returned as they are.
func StemKyrgyz(word string) string {
	if s, ok := kyCache.get(word); ok {
		return s
	}
	s := stemKyrgyz(word, kyProtected)
	kyCache.put(word, s)
	return s
}

// kyProtected holds the protected stems: words the suffix rules must not
// cut into. Most are chosen on the tuning data (ky_protected.go); a few
// are kept by hand where the treebank's own lemmas disagree: эсеп
// ("account") voices its final consonant before a vowel (эсеби), and
// KTMU lemmatises some of its forms as "эсеб", so the chooser would let
// it fall to эсе ("times").
var kyProtected = protectedSet(append(slices.Clone(kyProtectedStems), kyProtectedByHand...))

var kyProtectedByHand = []string{"эсеп"}

func protectedSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// protectedFloor returns the length in runes of the longest protected
// stem that word begins with (its final к/п may be voiced to г/б in the
// word: аймак in аймагы): no analysis cuts the word shorter.
func protectedFloor(word string, protected map[string]bool) int {
	if len(protected) == 0 {
		return 0
	}
	floor, n := 0, 0
	for i := range word {
		if n >= 2 {
			// word[:i] is the prefix of n runes
			if protected[word[:i]] {
				floor = n
			} else if last, size := utf8.DecodeLastRuneInString(word[:i]); last == 'г' || last == 'б' {
				devoiced := "к"
				if last == 'б' {
					devoiced = "п"
				}
				if protected[word[:i-size]+devoiced] {
					floor = n
				}
			}
		}
		n++
	}
	if protected[word] {
		floor = n
	}
	return floor
}

func stemKyrgyz(word string, protected map[string]bool) string {
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
			return stemKyRunes([]rune(ir.to+"лар"+rest), protected)
		}
	}
	return stemKyRunes([]rune(word), protected)
}

// splitIotated writes ю, я after a vowel as й + у, й + а, the sounds the
// suffix rules see: коюлду = кой|ул|ду. Not in the second letter, where
// it would leave two-letter stems (оюн is not ой|ун).
func splitIotated(w []rune) []rune {
	var out []rune
	for i, r := range w {
		if (r == 'ю' || r == 'я') && i > 1 && isKyVowel(w[i-1]) {
			if out == nil {
				out = append(make([]rune, 0, len(w)+2), w[:i]...)
			}
			out = append(out, 'й', map[rune]rune{'ю': 'у', 'я': 'а'}[r])
			continue
		}
		if out != nil {
			out = append(out, r)
		}
	}
	if out == nil {
		return w
	}
	return out
}

// joinIotated undoes splitIotated on a stem.
func joinIotated(w []rune) []rune {
	out := w[:0:0]
	for i := 0; i < len(w); i++ {
		if w[i] == 'й' && i > 0 && i+1 < len(w) && isKyVowel(w[i-1]) && (w[i+1] == 'у' || w[i+1] == 'а') {
			out = append(out, map[rune]rune{'у': 'ю', 'а': 'я'}[w[i+1]])
			i++
			continue
		}
		out = append(out, w[i])
	}
	return out
}

// kyMaxWord: longer "words" (no real Kyrgyz word is near it) are not
// stemmed, which bounds the work hostile input can cause.
const kyMaxWord = 40

func stemKyRunes(w []rune, protected map[string]bool) string {
	if len(w) > kyMaxWord {
		return string(w)
	}
	floor := protectedFloor(string(w), protected)
	if floor == len(w) {
		return string(w)
	}
	if floor > 0 {
		floor = len(splitIotated(w[:floor]))
	}
	w = splitIotated(w)
	// Strip until nothing changes: a form whose first pass ends on its
	// lemma then always ends where the lemma itself ends. A stem found
	// to be a verb stays one in the next pass.
	verbal, nominal := false, false
	for range 4 {
		next, v, n := stemKyOnce(w, verbal, nominal, floor, nil)
		verbal, nominal = v, n
		if next == string(w) {
			break
		}
		w = []rune(next)
	}
	return string(joinIotated(w))
}

// stemKyOnce runs one search for the best analysis of w; trace, when not
// nil, receives the stripped suffixes of the winning analysis. It reports
// whether the analysis found a verb, and whether its innermost suffix
// was nominal (nominal tells the same of the pass before).
func stemKyOnce(w []rune, verbal, nominal bool, floor int, trace *[]string) (string, bool, bool) {
	if len(w) < 3 || vowelCount(w) == 0 || len(w) <= floor {
		return string(w), verbal, nominal
	}
	var st kyState
	st.trace = trace != nil
	st.best = w
	st.bestVerbal = verbal
	st.floor = floor
	st.nominal = nominal
	st.search(w, 100, 0, 0, verbal, verbal, nil, nil)
	out := append([]rune(nil), st.best...)
	if full, ok := kyElision[string(out)]; ok {
		out = []rune(full)
	}
	var dropped []rune
	if st.bestVerbal {
		dropped = dropHighVowel(out)
	} else {
		dropped = dropRoundedVowel(out)
	}
	if len(dropped) >= floor {
		out = dropped
	}
	if trace != nil {
		*trace = st.bestPath
	}
	return string(devoiceFinal(out)), st.bestVerbal, nominalSlot(st.bestOuter)
}

// kyState is a depth-first search over all ways to strip w; the analysis
// with the highest score (weighted stripped length) wins.
type kyState struct {
	best       []rune
	bestScore  float64
	bestVerbal bool
	bestPath   []string
	trace      bool // record the suffixes of the best path
	floor      int  // no stem shorter than this (a protected stem)
	nominal    bool // an earlier pass left w by a nominal suffix
	bestOuter  int  // the slot of the innermost suffix of the best analysis
	buf        [64]rune
	steps      int
}

// kySuffixCost is subtracted per stripped suffix: of two analyses that
// strip the same letters, the one with fewer suffixes wins
// (мамлекет|тик, not мамлеке|т|ти|к).
const kySuffixCost = 0.4

const kyMaxSteps = 400 // bound on explored analyses per word

// verbal tells whether a verbal suffix was stripped further out; inner
// whether the innermost suffix stripped so far is verbal (so the stem
// left is a verb stem).
func (st *kyState) search(w []rune, slot, outer int, score float64, verbal, inner bool, path []string, require []int) {
	st.steps++
	if len(path) > 0 {
		score -= stemPenalty(w)
	}
	if require == nil && score > st.bestScore {
		st.best, st.bestScore, st.bestVerbal, st.bestOuter = w, score, inner, outer
		if st.trace {
			st.bestPath = append([]string(nil), path...)
		}
	}
	if st.steps > kyMaxSteps {
		return
	}
	lastR := w[len(w)-1]
	for i := range kyRules {
		k := &kyRules[i]
		n := len(k.tpl)
		if !k.endsIn(lastR) {
			continue
		}
		if k.slot >= slot || len(w)-n < k.minStem || len(w)-n < kyMinStem || len(w)-n < st.floor {
			continue
		}
		if k.needOuter != nil && !slices.Contains(k.needOuter, outer) {
			continue
		}
		if require != nil && !slices.Contains(require, k.slot) {
			continue
		}
		if k.needVerbal && !inner {
			continue
		}
		if k.finite && nominalSlot(outer) {
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
			if suf[0] != suf[1] || suf[0] != 'о' && suf[0] != 'ө' || isFront(lv) != (suf[0] == 'ө') {
				continue
			}
		default:
			if !slices.Equal(realize(stem, k.tpl, st.buf[:0]), suf) {
				continue
			}
		}
		if k.afterLA && !(len(stem) >= 2 && stem[len(stem)-2] == 'л' && isLowVowel(stem[len(stem)-1])) {
			continue
		}
		if k.causative && !(len(stem) >= 2 && strings.ContainsRune("лдтрн", stem[len(stem)-2]) && isLowVowel(stem[len(stem)-1])) {
			continue
		}
		if len(stem) == 2 && !kyShortVerbs[string(stem)] && (k.verbal && !isKyVowel(suf[0]) || !isKyVowel(stem[0])) {
			// Кеген is not ке|ген, Өзгөн not өз|гөн; and a two-letter
			// stem is a vowel and a consonant (үй, эл, ош), not ма|дан
			continue
		}
		if !k.fused && !plausibleEnd(stem) {
			continue
		}
		if k.stemEnd != "" && !strings.ContainsRune(k.stemEnd, last) {
			continue
		}
		if k.notLong && len(stem) >= 2 && stem[len(stem)-1] == stem[len(stem)-2] {
			continue
		}
		if k.presentStem && !presentStemOK(stem) {
			continue
		}
		if protectedEnding(stem, w) || !k.fused && voicedBeforeVowel(stem, suf) {
			continue
		}
		next := append([]rune(nil), stem...)
		if k.fused {
			next = append(next, lowVowel(lastVowel(next)))
		}
		if isKyVowel(suf[0]) {
			next = restoreKP(next)
		}
		nextSlot := k.slot
		if k.next != 0 {
			nextSlot = k.next
		}
		var p []string
		if st.trace {
			p = append(path[:len(path):len(path)], string(k.tpl)+"="+string(suf))
		} else {
			p = path[:len(path):len(path)]
			p = append(p, "")
		}
		st.search(next, nextSlot, k.slot, score+stemPenalty(w)*b2f(len(path) > 0)+k.weight*float64(n)-kySuffixCost, verbal || k.verbal, k.verbal, p, k.needNext)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// presentStemOK tells a verb stem before present -ат/-ет from the end of a
// noun in -ат/-ет: a one-syllable root (кел|ет, айт|ат) that does not end
// in д or in a cluster verbs do not have (кызм|ат), or a stem ending in a
// voice suffix (тартуулан|ат, жазыл|ат, токтот|от).
func presentStemOK(stem []rune) bool {
	n := len(stem)
	if n < 2 {
		return false
	}
	last, prev := stem[n-1], stem[n-2]
	if isKyVowel(prev) && (last == 'л' || last == 'н' || last == 'ш' || last == 'т') && vowelCount(stem) > 1 {
		return true
	}
	if vowelCount(stem) != 1 || last == 'д' {
		return false
	}
	if !isKyVowel(prev) {
		switch prev {
		case 'й', 'р', 'л', 'н', 'с', 'ш', 'ң':
		default:
			return false
		}
		switch last {
		case 'т', 'к', 'п', 'с':
		default:
			return false
		}
	}
	return true
}

// voicedBeforeVowel rejects a cut that leaves a polysyllabic stem ending
// in vowel + к/п before a vowel-initial suffix: there Kyrgyz writes г/б
// (аймагы, not аймакы), so ичк|и is not an analysis of ички.
//
// Before a vowel a stem also does not end in consonant + г/б (корг|ор):
// those voiced stops only come from к/п after a vowel.
func voicedBeforeVowel(stem, suf []rune) bool {
	n := len(stem)
	if n < 2 || !isKyVowel(suf[0]) {
		return false
	}
	if (stem[n-1] == 'г' || stem[n-1] == 'б') && !isKyVowel(stem[n-2]) {
		return true
	}
	if vowelCount(stem) < 2 {
		return false
	}
	return (stem[n-1] == 'к' || stem[n-1] == 'п') && isKyVowel(stem[n-2])
}

// stemPenalty scores how unlikely w is as a Kyrgyz stem: two-letter stems
// and stems ending in a high vowel after a consonant (other than the
// agent suffix -чы) are rarer than the analyses that leave them, as in
// күн|ү (not кү|нү) and облус|у (not облу|су).
func stemPenalty(w []rune) float64 {
	n := len(w)
	p := 0.0
	if n <= 2 {
		if isKyVowel(w[n-1]) {
			p += 2
		} else {
			p += 0.8
		}
	}
	if n >= 2 && w[n-1] == 'д' {
		p += 0.5 // native stems do not end in д
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

// dropRoundedVowel removes a final у/ү after a consonant (not ч) from a
// stem of two or more syllables: the bare verb stem оку is written like
// the stem left of its infinitive окуу and past окуду.
func dropRoundedVowel(w []rune) []rune {
	n := len(w)
	if n >= 3 && (w[n-1] == 'у' || w[n-1] == 'ү') && !isKyVowel(w[n-2]) && w[n-2] != 'ч' && vowelCount(w) > 1 {
		return w[:n-1]
	}
	return w
}

// kyrgyzSuffixOnly reports whether w is only a chain of Kyrgyz suffixes,
// as in the нын of KOICAнын.
func kyrgyzSuffixOnly(w string) bool {
	if len([]rune(w)) > 10 {
		return false
	}
	for _, dummy := range []string{"бак", "бек", "бок", "бөк", "бука", "бала", "беке", "боло", "бөлө", "бүкү", "жол", "жер", "көл", "жыл"} {
		if StemKyrgyz(dummy+w) == StemKyrgyz(dummy) {
			return true
		}
	}
	return false
}
