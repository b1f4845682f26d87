package i18n

import "github.com/jarchy/jarchy"

// The public side of the newsroom's domain (corrections, breaking news)
// and the errors of the admin's writes (sections, settings).
func init() {
	register(map[string]map[jarchy.Lang]string{
		// Public site.
		"breaking.label":      {ky: "Шашылыш кабар", ru: "Срочно", en: "Breaking"},
		"article.corrections": {ky: "Оңдоолор", ru: "Исправления", en: "Corrections"},
		"article.correction":  {ky: "Оңдоо", ru: "Исправление", en: "Correction"},

		// Domain errors and their fields.
		"err.section_not_empty": {
			ky: "өчүрүүгө болбойт, анда материалдар бар (%d). Адегенде аларды башка бөлүмгө көчүрүңүз же өчүрүңүз.",
			ru: "нельзя удалить, в нём есть материалы (%d). Сначала перенесите их в другой раздел или удалите.",
			en: "cannot be deleted, articles are filed under it (%d). Move them to another section or delete them first.",
		},
		"err.breaking_public": {
			ky: "Шашылыш кабар катары жарыяланган материалды гана белгилөөгө болот.",
			ru: "Срочной новостью можно отметить только опубликованный материал.",
			en: "Only a published article can be flagged as breaking news.",
		},
		"err.breaking_hours": {
			ky: "Шашылыш кабар 1 сааттан 72 саатка чейин көрсөтүлөт.",
			ru: "Срочная новость показывается от 1 до 72 часов.",
			en: "Breaking news is shown for 1 to 72 hours.",
		},
		"err.telegram_channel": {
			ky: "Telegram каналынын аты 5–32 латын тамгасы, сан же «_» болушу керек жана тамга менен башталышы керек.",
			ru: "Имя Telegram-канала: от 5 до 32 латинских букв, цифр или «_», начинается с буквы.",
			en: "A Telegram channel name has 5 to 32 Latin letters, digits or “_”, starting with a letter.",
		},
		"field.correction":       {ky: "Оңдоо", ru: "Исправление", en: "Correction"},
		"field.breaking":         {ky: "Шашылыш кабар", ru: "Срочная новость", en: "Breaking news"},
		"field.breaking_hours":   {ky: "Шашылыш кабардын узактыгы", ru: "Длительность срочной новости", en: "Breaking news duration"},
		"field.telegram_channel": {ky: "Telegram канал", ru: "Telegram-канал", en: "Telegram channel"},
		"field.kind":             {ky: "Түрү", ru: "Тип", en: "Kind"},
	})
}
