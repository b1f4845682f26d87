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
		// The newsroom's photo library.
		"nr.nav.media":          {ky: "Сүрөттөр", ru: "Фото", en: "Photos"},
		"nr.media.title":        {ky: "Сүрөт китепканасы", ru: "Фотобиблиотека", en: "Photo library"},
		"nr.media.pick":         {ky: "Башкы сүрөттү тандоо", ru: "Выбор главного фото", en: "Choose the cover photo"},
		"nr.media.cover_set":    {ky: "Башкы сүрөт сакталды.", ru: "Главное фото сохранено.", en: "The cover photo is saved."},
		"nr.media.cover_now":    {ky: "Азыркы башкы сүрөт", ru: "Текущее главное фото", en: "Current cover photo"},
		"nr.media.no_cover":     {ky: "жок", ru: "нет", en: "none"},
		"nr.media.remove_cover": {ky: "Башкы сүрөттү алып салуу", ru: "Убрать главное фото", en: "Remove the cover photo"},
		"nr.media.use_as_cover": {ky: "Башкы сүрөт кылуу", ru: "Сделать главным фото", en: "Use as cover"},
		"nr.media.uploaded":     {ky: "Жүктөлгөн сүрөттөр: %d.", ru: "Загружено фото: %d.", en: "Photos uploaded: %d."},
		"nr.media.uploaded_one": {ky: "Сүрөт жүктөлдү. Анын жазуусун, авторун жана альтернативдик текстин текшериңиз.", ru: "Фото загружено. Проверьте подпись, автора и альтернативный текст.", en: "The photo is uploaded. Check its caption, credit and alt text."},
		"nr.media.deleted":      {ky: "Сүрөт өчүрүлдү.", ru: "Фото удалено.", en: "The photo was deleted."},
		"nr.media.search":       {ky: "Жазуусу же автору боюнча издөө", ru: "Поиск по подписи или автору", en: "Search captions and credits"},
		"nr.media.search_go":    {ky: "Издөө", ru: "Найти", en: "Search"},
		"nr.media.count":        {ky: "Сүрөттөр: %d", ru: "Фото: %d", en: "Photos: %d"},
		"nr.media.no_alt":       {ky: "Альтернативдик тексти жок: бул сүрөт менен макала жарыяланбайт.", ru: "Нет альтернативного текста: статью с этим фото нельзя опубликовать.", en: "No alt text: an article with this cover cannot be published."},
		"nr.media.edit":         {ky: "Сүрөттү түзөтүү", ru: "Редактировать фото", en: "Edit photo"},
		"nr.media.pages":        {ky: "Барактар", ru: "Страницы", en: "Pages"},
		"nr.media.prev":         {ky: "← Мурунку", ru: "← Назад", en: "← Previous"},
		"nr.media.next":         {ky: "Кийинки →", ru: "Дальше →", en: "Next →"},
		"nr.media.refused":      {ky: "Бул файлдар кабыл алынган жок:", ru: "Эти файлы не приняты:", en: "These files were refused:"},
		"nr.media.files":        {ky: "Сүрөттөр (JPEG, PNG, GIF, WebP)", ru: "Фото (JPEG, PNG, GIF, WebP)", en: "Photos (JPEG, PNG, GIF, WebP)"},
		"nr.media.drop":         {ky: "Сүрөттөрдү ушул жерге сүйрөп таштаңыз.", ru: "Перетащите фото сюда.", en: "Drop photos here."},
		"nr.media.caption":      {ky: "Сүрөттүн жазуусу", ru: "Подпись", en: "Caption"},
		"nr.media.credit":       {ky: "Сүрөттүн автору (мисалы, «Сүрөт: Жарчы»)", ru: "Автор фото (например, «Фото: Жарчы»)", en: "Credit (for example “Photo: Jarchy”)"},
		"nr.media.alt":          {ky: "Альтернативдик текст", ru: "Альтернативный текст", en: "Alt text"},
		"nr.media.alt_hint":     {ky: "Сүрөттө эмне көрүнүп турганын аны көрө албаган окурман үчүн кыскача жазыңыз. Ансыз макала жарыяланбайт.", ru: "Коротко опишите, что на фото, для читателей, которые его не видят. Без него статью не опубликовать.", en: "Briefly describe what the photo shows, for readers who cannot see it. An article cannot be published without it."},
		"nr.media.upload":       {ky: "Жүктөө", ru: "Загрузить", en: "Upload"},
		"nr.media.saved":        {ky: "Сакталды. Бул сүрөт турган бардык барактар жаңыланды.", ru: "Сохранено. Все страницы с этим фото обновлены.", en: "Saved. Every page showing this photo is updated."},
		"nr.media.save":         {ky: "Сактоо", ru: "Сохранить", en: "Save"},
		"nr.media.used_by":      {ky: "Бул сүрөт колдонулган макалалар", ru: "Статьи с этим фото", en: "Articles using this photo"},
		"nr.media.unused":       {ky: "Эч бир макалада колдонулган эмес.", ru: "Не используется ни в одной статье.", en: "No article uses it."},
		"nr.media.delete":       {ky: "Өчүрүү", ru: "Удалить", en: "Delete"},
		"nr.media.back":         {ky: "Китепканага кайтуу", ru: "Назад в фотобиблиотеку", en: "Back to the library"},
		"nr.media.no_store":     {ky: "Сүрөт сактагыч туураланган эмес, ошондуктан жүктөө мүмкүн эмес.", ru: "Хранилище фото не настроено, загрузка невозможна.", en: "No photo storage is configured, so uploads are not possible."},
		"nr.err.too_big":        {ky: "Файл өтө чоң: бир жолу 40 МБга чейин жүктөсө болот.", ru: "Файл слишком большой: за раз можно загрузить до 40 МБ.", en: "The file is too big: up to 40 MB can be uploaded at a time."},
		"nr.media.cover_photo":  {ky: "Башкы сүрөт китепканадан", ru: "Главное фото из фотобиблиотеки", en: "Cover photo from the library"},
		"nr.media.none_option":  {ky: "— сүрөтсүз —", ru: "— без фото —", en: "— no photo —"},
		"nr.media.choose":       {ky: "Китепканадан издеп тандоо", ru: "Найти и выбрать в фотобиблиотеке", en: "Search the library and choose"},
		"nr.media.edit_texts":   {ky: "Жазуусун, авторун жана альтернативдик текстин китепканадан түзөтүү", ru: "Подпись, автора и альтернативный текст правьте в фотобиблиотеке", en: "Edit the caption, credit and alt text in the library"},
		"err.media_unknown":     {ky: "Мындай сүрөт китепканада жок.", ru: "Такого фото нет в фотобиблиотеке.", en: "There is no such photo in the library."},
		"nr.media.no_file":      {ky: "Жүктөө үчүн сүрөт тандаңыз.", ru: "Выберите фото для загрузки.", en: "Choose a photo to upload."},

		"nr.media.status.draft":       {ky: "долбоор", ru: "черновик", en: "draft"},
		"nr.media.status.review":      {ky: "текшерүүдө", ru: "на проверке", en: "in review"},
		"nr.media.status.scheduled":   {ky: "пландалган", ru: "запланирована", en: "scheduled"},
		"nr.media.status.published":   {ky: "жарыяланган", ru: "опубликована", en: "published"},
		"nr.media.status.unpublished": {ky: "жарыядан алынган", ru: "снята с публикации", en: "unpublished"},
	})
}
