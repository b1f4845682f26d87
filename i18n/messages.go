package i18n

import "github.com/jarchy/jarchy"

const (
	ky = jarchy.Kyrgyz
	ru = jarchy.Russian
	en = jarchy.English
)

// messages maps a key to its text in every language. TestEveryKeyInEveryLang
// fails when a language lacks a key. Texts that take arguments hold fmt verbs.
var messages = map[string]map[jarchy.Lang]string{
	// Site and languages.
	"site.name":    {ky: "Жарчы", ru: "Жарчы", en: "Jarchy"},
	"site.tagline": {ky: "Кыргызстандын жана дүйнөнүн жаңылыктары", ru: "Новости Кыргызстана и мира", en: "News from Kyrgyzstan and the world"},
	"lang.name":    {ky: "Кыргызча", ru: "Русский", en: "English"},
	"lang.switch":  {ky: "Сайттын тили", ru: "Язык сайта", en: "Site language"},

	// Header and navigation.
	"nav.skip":     {ky: "Негизги мазмунга өтүү", ru: "Перейти к основному содержанию", en: "Skip to main content"},
	"nav.sections": {ky: "Бөлүмдөр", ru: "Разделы", en: "Sections"},
	"nav.home":     {ky: "Башкы бет", ru: "Главная", en: "Home"},
	"nav.top":      {ky: "Барактын башына", ru: "Наверх", en: "Back to top"},

	// Search box and page.
	"search.label":          {ky: "Сайттан издөө", ru: "Поиск по сайту", en: "Search the site"},
	"search.placeholder":    {ky: "Мисалы: шайлоо", ru: "Например: выборы", en: "For example: election"},
	"search.button":         {ky: "Издөө", ru: "Найти", en: "Search"},
	"search.title":          {ky: "Издөө", ru: "Поиск", en: "Search"},
	"search.results_for":    {ky: "«%s» боюнча издөө", ru: "Поиск: «%s»", en: "Search: “%s”"},
	"search.unavailable":    {ky: "Издөө азырынча иштебей турат. Бөлүмдөрдөн жана тегдерден карап көрүңүз.", ru: "Поиск пока не работает. Воспользуйтесь разделами и тегами.", en: "Search is not available yet. Please browse the sections and tags."},
	"search.found":          {ky: "Табылды: %s", ru: "Найдено: %s", en: "Found: %s"},
	"search.found_more":     {ky: "Табылды: %s жана андан да көп", ru: "Найдено: более %s", en: "Found: more than %s"},
	"search.nothing":        {ky: "«%s» боюнча эч нерсе табылган жок.", ru: "По запросу «%s» ничего не найдено.", en: "Nothing found for “%s”."},
	"search.nothing_hint":   {ky: "Башка сөздөрдү жазып же сүзгүлөрдү алып салып көрүңүз.", ru: "Попробуйте другие слова или уберите фильтры.", en: "Try other words or remove the filters."},
	"search.fuzzy":          {ky: "«%s» боюнча так дал келген материал жок. Окшош сөздөр боюнча табылгандар:", ru: "Точных совпадений по запросу «%s» нет. Найдено по похожим словам:", en: "No exact matches for “%s”. Showing results for similar words:"},
	"search.did_you_mean":   {ky: "Балким, сиз муну издегенсиз:", ru: "Возможно, вы искали:", en: "Did you mean:"},
	"search.empty":          {ky: "Издөө үчүн сөз жазыңыз.", ru: "Введите слова для поиска.", en: "Type some words to search for."},
	"search.truncated":      {ky: "Суроо өтө узун болгондуктан кыскартылды.", ru: "Запрос слишком длинный и был сокращён.", en: "The query was too long and has been shortened."},
	"search.filters":        {ky: "Сүзгүлөр", ru: "Фильтры", en: "Filters"},
	"search.section":        {ky: "Бөлүм", ru: "Раздел", en: "Section"},
	"search.all_sections":   {ky: "Бардык бөлүмдөр", ru: "Все разделы", en: "All sections"},
	"search.from":           {ky: "Башталышы", ru: "С даты", en: "From"},
	"search.to":             {ky: "Аягы", ru: "По дату", en: "To"},
	"search.sort":           {ky: "Иреттөө", ru: "Сортировка", en: "Sort by"},
	"search.sort_relevance": {ky: "Маанилүүлүгү боюнча", ru: "По релевантности", en: "Relevance"},
	"search.sort_date":      {ky: "Күнү боюнча", ru: "По дате", en: "Date"},
	"search.apply":          {ky: "Колдонуу", ru: "Применить", en: "Apply"},
	"search.results":        {ky: "Издөөнүн жыйынтыктары", ru: "Результаты поиска", en: "Search results"},

	// Home page.
	"home.title":       {ky: "Акыркы жаңылыктар", ru: "Последние новости", en: "Latest news"},
	"home.lead":        {ky: "Башкы жаңылык", ru: "Главная новость", en: "Top story"},
	"home.latest":      {ky: "Акыркы жаңылыктар", ru: "Последние новости", en: "Latest news"},
	"home.section_all": {ky: "«%s» бөлүмүнүн бардык материалдары", ru: "Все материалы раздела «%s»", en: "All stories in %s"},

	// Listings.
	"list.empty":       {ky: "Азырынча материал жок.", ru: "Пока нет материалов.", en: "No stories yet."},
	"section.desc":     {ky: "«%s» бөлүмүндөгү акыркы жаңылыктар", ru: "Последние новости раздела «%s»", en: "The latest stories in %s"},
	"tag.title":        {ky: "Тег: %s", ru: "Тег: %s", en: "Tag: %s"},
	"tag.desc":         {ky: "«%s» теги менен белгиленген материалдар", ru: "Материалы с тегом «%s»", en: "Stories tagged “%s”"},
	"author.title":     {ky: "Автор: %s", ru: "Автор: %s", en: "Author: %s"},
	"author.desc":      {ky: "%s жазган материалдар", ru: "Материалы автора: %s", en: "Stories by %s"},
	"paging.nav":       {ky: "Барактар", ru: "Страницы", en: "Pages"},
	"paging.prev":      {ky: "Мурунку", ru: "Назад", en: "Previous"},
	"paging.next":      {ky: "Кийинки", ru: "Дальше", en: "Next"},
	"paging.page":      {ky: "%d-барак", ru: "Страница %d", en: "Page %d"},
	"paging.page_of":   {ky: "%d-барак, жалпысынан %d", ru: "Страница %d из %d", en: "Page %d of %d"},
	"paging.title_sfx": {ky: " (%d-барак)", ru: " (страница %d)", en: " (page %d)"},

	// Article page.
	"article.byline":    {ky: "Автор", ru: "Автор", en: "By"},
	"article.published": {ky: "Жарыяланды", ru: "Опубликовано", en: "Published"},
	"article.updated":   {ky: "Жаңыртылды", ru: "Обновлено", en: "Updated"},
	"article.photo":     {ky: "Сүрөт", ru: "Фото", en: "Photo"},
	"article.tags":      {ky: "Тегдер", ru: "Теги", en: "Tags"},
	"article.share":     {ky: "Бөлүшүү", ru: "Поделиться", en: "Share"},
	"article.related":   {ky: "Дагы окуңуз", ru: "Читайте также", en: "Related stories"},
	"article.section":   {ky: "Бөлүм", ru: "Раздел", en: "Section"},
	"share.x":           {ky: "X (Twitter) аркылуу бөлүшүү", ru: "Поделиться в X (Twitter)", en: "Share on X (Twitter)"},
	"share.facebook":    {ky: "Facebook аркылуу бөлүшүү", ru: "Поделиться в Facebook", en: "Share on Facebook"},
	"share.telegram":    {ky: "Telegram аркылуу бөлүшүү", ru: "Поделиться в Telegram", en: "Share on Telegram"},
	"share.whatsapp":    {ky: "WhatsApp аркылуу бөлүшүү", ru: "Поделиться в WhatsApp", en: "Share on WhatsApp"},

	// Telegram invitation and comments.
	"telegram.title":  {ky: "Telegram каналыбызга жазылыңыз", ru: "Подпишитесь на наш Telegram-канал", en: "Follow us on Telegram"},
	"telegram.text":   {ky: "Эң маанилүү кабарлар телефонуңузга дароо келет.", ru: "Самые важные новости сразу придут на ваш телефон.", en: "The most important news, straight to your phone."},
	"telegram.button": {ky: "Каналга өтүү", ru: "Открыть канал", en: "Open the channel"},
	"comments.title":  {ky: "Пикирлер", ru: "Комментарии", en: "Comments"},
	"comments.soon":   {ky: "Пикир калтыруу мүмкүнчүлүгү жакында ачылат.", ru: "Возможность оставить комментарий скоро появится.", en: "Comments will open soon."},

	// Footer.
	"footer.social":    {ky: "Социалдык тармактар", ru: "Мы в соцсетях", en: "Follow us"},
	"footer.feeds":     {ky: "Жазылуу", ru: "Подписка", en: "Subscribe"},
	"footer.pages":     {ky: "Редакция", ru: "Редакция", en: "About us"},
	"footer.rights":    {ky: "Бардык укуктар корголгон.", ru: "Все права защищены.", en: "All rights reserved."},
	"feed.rss":         {ky: "RSS", ru: "RSS", en: "RSS"},
	"feed.atom":        {ky: "Atom", ru: "Atom", en: "Atom"},
	"feed.json":        {ky: "JSON Feed", ru: "JSON Feed", en: "JSON Feed"},
	"feed.title":       {ky: "%s: %s түрмөгү", ru: "%s: лента %s", en: "%s: %s feed"},
	"social.x":         {ky: "X (Twitter)", ru: "X (Twitter)", en: "X (Twitter)"},
	"social.facebook":  {ky: "Facebook", ru: "Facebook", en: "Facebook"},
	"social.youtube":   {ky: "YouTube", ru: "YouTube", en: "YouTube"},
	"social.instagram": {ky: "Instagram", ru: "Instagram", en: "Instagram"},
	"social.telegram":  {ky: "Telegram", ru: "Telegram", en: "Telegram"},

	// Error pages.
	"page.404.title": {ky: "Барак табылган жок", ru: "Страница не найдена", en: "Page not found"},
	"page.404.text":  {ky: "Мындай барак жок же ал өчүрүлгөн. Даректи текшериңиз же башкы бетке өтүңүз.", ru: "Такой страницы нет, или она удалена. Проверьте адрес или перейдите на главную.", en: "This page does not exist or has been removed. Check the address or go to the home page."},
	"page.400.title": {ky: "Туура эмес суроо-талап", ru: "Неверный запрос", en: "Bad request"},
	"page.400.text":  {ky: "Даректеги параметр туура эмес жазылган.", ru: "Параметр в адресе указан неверно.", en: "A parameter in the address is malformed."},
	"page.500.title": {ky: "Сервердеги ката", ru: "Ошибка сервера", en: "Server error"},
	"page.500.text":  {ky: "Бир нерсе туура эмес болуп калды. Бир аздан кийин кайра аракет кылыңыз.", ru: "Что-то пошло не так. Попробуйте ещё раз чуть позже.", en: "Something went wrong. Please try again in a moment."},
	"page.home_link": {ky: "Башкы бетке кайтуу", ru: "Вернуться на главную", en: "Go to the home page"},

	// Domain errors (jarchy.Error.MessageKey) and the fields they name.
	"err.invalid":          {ky: "Маалымат туура эмес.", ru: "Неверные данные.", en: "The data is not valid."},
	"err.not_found":        {ky: "Табылган жок.", ru: "Не найдено.", en: "Not found."},
	"err.conflict":         {ky: "Маалымат башка өзгөртүү менен кагылышты. Кайра аракет кылыңыз.", ru: "Данные конфликтуют с другим изменением. Попробуйте ещё раз.", en: "This conflicts with another change. Please try again."},
	"err.forbidden":        {ky: "Буга уруксатыңыз жок.", ru: "У вас нет прав на это действие.", en: "You are not allowed to do this."},
	"err.internal":         {ky: "Ички ката кетти.", ru: "Произошла внутренняя ошибка.", en: "An internal error occurred."},
	"err.lang":             {ky: "Белгисиз тил.", ru: "Неизвестный язык.", en: "Unknown language."},
	"err.status":           {ky: "Белгисиз абал.", ru: "Неизвестный статус.", en: "Unknown status."},
	"err.schedule_time":    {ky: "Пландалган макалага жарыялануу убактысы керек.", ru: "Для запланированной статьи нужно время публикации.", en: "A scheduled article needs a publication time."},
	"err.transition":       {ky: "Иш агымында мындай өтүү жок.", ru: "Такого перехода в редакционном процессе нет.", en: "The workflow has no such step."},
	"err.transition_role":  {ky: "Сиздин ролуңуз бул кадамга уруксат бербейт.", ru: "Ваша роль не позволяет этот шаг.", en: "Your role does not allow this step."},
	"err.utf8":             {ky: "Текстте бузулган символдор бар (UTF-8 эмес).", ru: "Текст содержит повреждённые символы (не UTF-8).", en: "The text contains broken characters (not UTF-8)."},
	"err.required":         {ky: "Толтуруу милдеттүү.", ru: "Обязательное поле.", en: "This is required."},
	"err.too_long":         {ky: "Өтө узун.", ru: "Слишком длинно.", en: "This is too long."},
	"err.too_many":         {ky: "Өтө көп.", ru: "Слишком много.", en: "There are too many."},
	"err.slug":             {ky: "Аталыштан дарек (slug) түзүлбөйт.", ru: "Из заголовка не получается адрес (slug).", en: "The title gives no address (slug)."},
	"err.section_required": {ky: "Бөлүмдү тандаңыз.", ru: "Выберите раздел.", en: "Choose a section."},
	"err.cover":            {ky: "Сүрөттүн дареги же жолу керек.", ru: "Для фото нужен адрес или путь к файлу.", en: "The photo needs an address or a file path."},
	"err.cover_url":        {ky: "Сүрөттүн дареги http же https менен башталышы керек.", ru: "Адрес фото должен начинаться с http или https.", en: "The photo address must start with http or https."},
	"err.cover_path":       {ky: "Сүрөттүн жолу туура эмес.", ru: "Неверный путь к файлу фото.", en: "The photo file path is not valid."},
	"err.control":          {ky: "Текстте уруксат берилбеген символ бар.", ru: "Текст содержит недопустимый символ.", en: "The text contains a character that is not allowed."},
	"err.slug_reserved":    {ky: "Бул дарек (slug) сайттын өзүнө керек, башкасын тандаңыз.", ru: "Этот адрес (slug) занят самим сайтом, выберите другой.", en: "The site uses this address (slug) itself; choose another."},
	"err.social":           {ky: "Белгисиз социалдык тармак.", ru: "Неизвестная социальная сеть.", en: "Unknown social network."},
	"err.url":              {ky: "Шилтеме http же https менен башталышы керек.", ru: "Ссылка должна начинаться с http или https.", en: "The link must start with http or https."},
	"err.email":            {ky: "Электрондук почтанын дареги туура эмес.", ru: "Неверный адрес электронной почты.", en: "This is not a valid email address."},
	"err.setup_used":       {ky: "Бул шилтеменин мөөнөтү бүткөн же ал буга чейин колдонулган.", ru: "Срок действия этой ссылки истёк, или она уже использована.", en: "This setup link has expired or was already used."},
	"err.admin_exists":     {ky: "Администратор мурунтан эле бар. Кирүү барагы аркылуу кириңиз.", ru: "Администратор уже есть. Войдите через страницу входа.", en: "An administrator already exists: log in instead."},
	"err.email_taken":      {ky: "Бул электрондук почта менен колдонуучу бар.", ru: "Пользователь с этим адресом почты уже есть.", en: "A user with this email already exists."},
	"err.role":             {ky: "Белгисиз роль (admin, editor же author).", ru: "Неизвестная роль (admin, editor или author).", en: "Unknown role (admin, editor or author)."},
	"err.password_short":   {ky: "Сырсөз кеминде 10 белгиден турушу керек.", ru: "Пароль должен содержать не меньше 10 символов.", en: "The password must have at least 10 characters."},
	"err.password_hash":    {ky: "Сырсөздүн хэши туура эмес.", ru: "Неверный хеш пароля.", en: "The password hash is not valid."},
	"err.section_unknown":  {ky: "Мындай бөлүм жок.", ru: "Такого раздела нет.", en: "There is no such section."},
	"err.tag_unknown":      {ky: "Мындай тег жок.", ru: "Такого тега нет.", en: "There is no such tag."},
	"err.author_unknown":   {ky: "Мындай автор жок.", ru: "Такого автора нет.", en: "There is no such author."},
	"err.slug_taken":       {ky: "Бул дарек (slug) мурунтан бар.", ru: "Этот адрес (slug) уже занят.", en: "This address (slug) is already taken."},
	"err.reference":        {ky: "Шилтеме берилген жазуу жок.", ru: "Запись, на которую есть ссылка, не существует.", en: "A referenced record does not exist."},
	"err.media_path":       {ky: "Файлдын жолу туура эмес.", ru: "Неверный путь к файлу.", en: "The file path is not valid."},
	"err.sort":             {ky: "Иреттөөнүн мындай түрү жок.", ru: "Такого порядка сортировки нет.", en: "Unknown sort order."},
	"err.limit":            {ky: "Сан туура эмес.", ru: "Неверное количество.", en: "The number is not valid."},
	"err.offset":           {ky: "Барактын орду туура эмес.", ru: "Неверное смещение страницы.", en: "The page offset is not valid."},
	"err.paging":           {ky: "Барактоо туура эмес.", ru: "Неверные параметры страниц.", en: "The paging is not valid."},
	"err.filter":           {ky: "Чыпка туура эмес.", ru: "Неверный фильтр.", en: "The filter is not valid."},
	"field.sort":           {ky: "Иреттөө", ru: "Сортировка", en: "Sort order"},
	"field.limit":          {ky: "Саны", ru: "Количество", en: "Limit"},
	"field.offset":         {ky: "Орду", ru: "Смещение", en: "Offset"},
	"field.filter":         {ky: "Чыпка", ru: "Фильтр", en: "Filter"},
	"field.article":        {ky: "Макала", ru: "Статья", en: "Article"},
	"field.path":           {ky: "Файлдын жолу", ru: "Путь к файлу", en: "File path"},
	"field.page":           {ky: "Барак", ru: "Страница", en: "Page"},
	"field.lang":           {ky: "Тил", ru: "Язык", en: "Language"},
	"field.status":         {ky: "Абал", ru: "Статус", en: "Status"},
	"field.published_at":   {ky: "Жарыялануу убактысы", ru: "Время публикации", en: "Publication time"},
	"field.version":        {ky: "Версия", ru: "Версия", en: "Version"},
	"field.title":          {ky: "Аталыш", ru: "Заголовок", en: "Title"},
	"field.lead":           {ky: "Кириш сөз", ru: "Лид", en: "Lead"},
	"field.body":           {ky: "Текст", ru: "Текст", en: "Body"},
	"field.slug":           {ky: "Дарек", ru: "Адрес", en: "Slug"},
	"field.tags":           {ky: "Тегдер", ru: "Теги", en: "Tags"},
	"field.authors":        {ky: "Авторлор", ru: "Авторы", en: "Authors"},
	"field.section":        {ky: "Бөлүм", ru: "Раздел", en: "Section"},
	"field.cover":          {ky: "Сүрөт", ru: "Фото", en: "Photo"},
	"field.author":         {ky: "Автор", ru: "Автор", en: "Author"},
	"field.bio":            {ky: "Өмүр баян", ru: "Биография", en: "Biography"},
	"field.site_name":      {ky: "Сайттын аталышы", ru: "Название сайта", en: "Site name"},
	"field.email":          {ky: "Электрондук почта", ru: "Электронная почта", en: "Email"},
	"field.name":           {ky: "Аты", ru: "Имя", en: "Name"},
	"field.role":           {ky: "Роль", ru: "Роль", en: "Role"},
	"field.password":       {ky: "Сырсөз", ru: "Пароль", en: "Password"},
	"field.social":         {ky: "Социалдык тармактар", ru: "Соцсети", en: "Social networks"},
}

// plurals maps a key to its plural forms per language; each form holds one
// %d. The number of forms per language is pluralForms.
var plurals = map[string]map[jarchy.Lang][]string{
	"count.articles": {
		ky: {"%d материал"},
		ru: {"%d материал", "%d материала", "%d материалов"},
		en: {"%d story", "%d stories"},
	},
}
