package i18n

import "github.com/jarchy/jarchy"

// The photo library: its errors, and the newsroom's library pages.
func init() {
	register(map[string]map[jarchy.Lang]string{
		"field.media": {ky: "Сүрөт", ru: "Фото", en: "Photo"},
		"field.q":     {ky: "Издөө", ru: "Поиск", en: "Search"},

		"err.media_in_use": {
			ky: "Бул сүрөт макалаларда колдонулуп жатат, ошондуктан өчүрүлбөйт. Адегенде аны ал макалалардан алып салыңыз.",
			ru: "Это фото используется в статьях, поэтому его нельзя удалить. Сначала уберите его из этих статей.",
			en: "This photo is used by articles, so it cannot be deleted. Remove it from those articles first.",
		},
		"err.cover_alt_required": {
			ky: "Башкы сүрөттүн альтернативдик тексти жок: жарыялоодон мурун сүрөттө эмне көрүнүп турганын жазыңыз.",
			ru: "У главного фото нет альтернативного текста: опишите, что на нём, прежде чем публиковать.",
			en: "The cover photo has no alt text: describe what it shows before publishing.",
		},
		"err.media_key": {
			ky: "Сүрөттүн ачкычы анын дарегине туура келбейт.",
			ru: "Ключ фото не соответствует его адресу.",
			en: "The photo's key does not match its address.",
		},
		"err.media_size": {
			ky: "Сүрөттүн туурасы жана бийиктиги 0дөн 100 000 пикселге чейин болушу керек.",
			ru: "Ширина и высота фото должны быть от 0 до 100 000 пикселей.",
			en: "The photo's width and height must be between 0 and 100,000 pixels.",
		},
		"err.media_variant": {
			ky: "Сүрөттүн кичирейтилген нускасы туура эмес.",
			ru: "Неверная уменьшенная копия фото.",
			en: "A resized copy of the photo is not valid.",
		},
	})
}
