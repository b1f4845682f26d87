package i18n

import "github.com/jarchy/jarchy"

// The messages of photo intake (media.Intake): why an upload was refused.
func init() {
	register(map[string]map[jarchy.Lang]string{
		"field.upload": {ky: "Жүктөлгөн файл", ru: "Загруженный файл", en: "Uploaded file"},
		"err.media_empty": {
			ky: "Файл бош.",
			ru: "Файл пустой.",
			en: "The file is empty.",
		},
		"err.media_too_big": {
			ky: "Файл өтө чоң (эң көп 40 МБ). Кичирээк файл жүктөңүз.",
			ru: "Файл слишком большой (не больше 40 МБ). Загрузите файл поменьше.",
			en: "The file is too large (40 MB at most). Upload a smaller file.",
		},
		"err.media_type": {
			ky: "Бул сүрөт эмес же анын түрү колдоого алынбайт. JPEG, PNG, GIF же WebP жүктөңүз.",
			ru: "Это не изображение или его формат не поддерживается. Загрузите JPEG, PNG, GIF или WebP.",
			en: "This is not an image, or not of a supported type. Upload a JPEG, PNG, GIF or WebP file.",
		},
		"err.media_svg": {
			ky: "SVG сүрөттөрү кабыл алынбайт: аларда скрипт болушу мүмкүн. JPEG, PNG, GIF же WebP жүктөңүз.",
			ru: "Изображения SVG не принимаются: в них могут быть скрипты. Загрузите JPEG, PNG, GIF или WebP.",
			en: "SVG images are not accepted: they can carry scripts. Upload a JPEG, PNG, GIF or WebP file.",
		},
		"err.media_corrupt": {
			ky: "Сүрөттү окуу мүмкүн эмес: файл бузулган же толук эмес.",
			ru: "Изображение не читается: файл повреждён или неполный.",
			en: "The image cannot be read: the file is damaged or incomplete.",
		},
		"err.media_pixels": {
			ky: "Сүрөттө пикселдер өтө көп. Аны кичирейтип (мисалы, 6000 × 4000 чейин) кайра жүктөңүз.",
			ru: "В изображении слишком много пикселей. Уменьшите его (например, до 6000 × 4000) и загрузите снова.",
			en: "The image has too many pixels. Make it smaller (for example 6000 × 4000) and upload it again.",
		},
		"err.media_frames": {
			ky: "GIF анимациясында кадрлар өтө көп.",
			ru: "В GIF-анимации слишком много кадров.",
			en: "The GIF animation has too many frames.",
		},
	})
}
