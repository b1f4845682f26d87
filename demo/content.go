package demo

import "github.com/jarchy/jarchy"

// The demo edition: original news-style writing for a fictional week in
// Kyrgyzstan. People quoted are invented; places are real.

type sectionDef struct {
	slug  string
	names map[jarchy.Lang]string
}

var sections = []sectionDef{
	{"sayasat", map[jarchy.Lang]string{jarchy.Kyrgyz: "Саясат", jarchy.Russian: "Политика", jarchy.English: "Politics"}},
	{"ekonomika", map[jarchy.Lang]string{jarchy.Kyrgyz: "Экономика", jarchy.Russian: "Экономика", jarchy.English: "Economy"}},
	{"koom", map[jarchy.Lang]string{jarchy.Kyrgyz: "Коом", jarchy.Russian: "Общество", jarchy.English: "Society"}},
	{"madaniyat", map[jarchy.Lang]string{jarchy.Kyrgyz: "Маданият", jarchy.Russian: "Культура", jarchy.English: "Culture"}},
	{"sport", map[jarchy.Lang]string{jarchy.Kyrgyz: "Спорт", jarchy.Russian: "Спорт", jarchy.English: "Sport"}},
}

type authorDef struct {
	slug  string // key used by stories
	names map[jarchy.Lang]string
	bio   string
}

var authors = []authorDef{
	{"aigul-toktogulova", map[jarchy.Lang]string{jarchy.Kyrgyz: "Айгүл Токтогулова", jarchy.Russian: "Айгуль Токтогулова", jarchy.English: "Aigul Toktogulova"},
		"Саясий баяндамачы. Парламенттин ишин он жылдан бери чагылдырат."},
	{"bakyt-sydykov", map[jarchy.Lang]string{jarchy.Kyrgyz: "Бакыт Сыдыков", jarchy.Russian: "Бакыт Сыдыков", jarchy.English: "Bakyt Sydykov"},
		"Экономика бөлүмүнүн редактору."},
	{"nurlan-asanov", map[jarchy.Lang]string{jarchy.Kyrgyz: "Нурлан Асанов", jarchy.Russian: "Нурлан Асанов", jarchy.English: "Nurlan Asanov"},
		"Спорт жана коом темаларында жазат."},
	{"saltanat-beisheeva", map[jarchy.Lang]string{jarchy.Kyrgyz: "Салтанат Бейшеева", jarchy.Russian: "Салтанат Бейшеева", jarchy.English: "Saltanat Beisheeva"},
		"Маданият бөлүмүнүн кабарчысы."},
	{"emil-osmonov", map[jarchy.Lang]string{jarchy.Kyrgyz: "Эмил Осмонов", jarchy.Russian: "Эмиль Осмонов", jarchy.English: "Emil Osmonov"},
		"Аймактардагы кабарчы, Ош шаарында иштейт."},
}

// text is one language version of a story.
type text struct {
	title, lead, body string
	tags              []string
	caption, alt      string
}

type story struct {
	key      string // stable: external ids are demo-<lang>-<key>
	section  string
	scene    int // media.Scene
	hoursAgo float64
	authors  []string // author slugs
	texts    map[jarchy.Lang]text
}

var credits = map[jarchy.Lang]string{
	jarchy.Kyrgyz:  "Сүрөт: «Жарчы» (демо)",
	jarchy.Russian: "Фото: «Жарчы» (демо)",
	jarchy.English: "Photo: Jarchy (demo)",
}

// storeSlug is the author's slug in the store: the Kyrgyz name
// transliterated, as an import of the name in any language derives it.
func (a authorDef) storeSlug() string { return jarchy.Slugify(jarchy.Kyrgyz, a.names[jarchy.Kyrgyz]) }
