package i18n

import "github.com/jarchy/jarchy"

// The newsroom's admin pages: sections, static pages, site settings,
// users and the audit log (package newsroom, admins only).
func init() {
	register(map[string]map[jarchy.Lang]string{
		"nr.nav.sections": {ky: "Бөлүмдөр", ru: "Разделы", en: "Sections"},
		"nr.nav.pages":    {ky: "Туруктуу барактар", ru: "Страницы", en: "Pages"},
		"nr.nav.settings": {ky: "Сайттын жөндөөлөрү", ru: "Настройки сайта", en: "Site settings"},
		"nr.nav.users":    {ky: "Колдонуучулар", ru: "Пользователи", en: "Users"},
		"nr.nav.audit":    {ky: "Аракеттер журналы", ru: "Журнал действий", en: "Audit log"},

		"nr.admin.saved":   {ky: "Сакталды.", ru: "Сохранено.", en: "Saved."},
		"nr.admin.deleted": {ky: "Өчүрүлдү.", ru: "Удалено.", en: "Deleted."},
		"nr.admin.save":    {ky: "Сактоо", ru: "Сохранить", en: "Save"},
		"nr.admin.delete":  {ky: "Өчүрүү", ru: "Удалить", en: "Delete"},
		"nr.admin.edit":    {ky: "Оңдоо", ru: "Изменить", en: "Edit"},
		"nr.admin.back":    {ky: "Тизмеге кайтуу", ru: "Назад к списку", en: "Back to the list"},
		"nr.admin.none":    {ky: "Азырынча эч нерсе жок.", ru: "Пока ничего нет.", en: "Nothing yet."},
		"nr.admin.number":  {ky: "Бүтүн сан жазыңыз.", ru: "Введите целое число.", en: "Enter a whole number."},
		"nr.admin.self":    {ky: "Өзүңүздүн ролуңузду өзгөртүүгө же өзүңүздү бөгөттөөгө болбойт: муну башка администратор жасашы керек.", ru: "Нельзя менять свою роль или блокировать себя: это делает другой администратор.", en: "You cannot change your own role or disable yourself: another admin has to."},

		// Sections.
		"nr.sections.title":         {ky: "Бөлүмдөр", ru: "Разделы", en: "Sections"},
		"nr.sections.new":           {ky: "Жаңы бөлүм", ru: "Новый раздел", en: "New section"},
		"nr.sections.edit":          {ky: "Бөлүмдү оңдоо", ru: "Изменить раздел", en: "Edit the section"},
		"nr.sections.slug":          {ky: "Дарек (slug)", ru: "Адрес (slug)", en: "Address (slug)"},
		"nr.sections.slug_hint":     {ky: "Латын тамгалары, сандар жана сызыкча. Бош калса, кыргызча аталыштан жасалат.", ru: "Латинские буквы, цифры и дефис. Если пусто — из названия на кыргызском.", en: "Latin letters, digits and hyphens. Empty: made from the Kyrgyz name."},
		"nr.sections.position":      {ky: "Менюдагы орду", ru: "Место в меню", en: "Place in the menu"},
		"nr.sections.name":          {ky: "Аталышы (%s)", ru: "Название (%s)", en: "Name (%s)"},
		"nr.sections.articles":      {ky: "Материалдар", ru: "Материалы", en: "Articles"},
		"nr.sections.name_required": {ky: "Жок дегенде бир тилде аталыш жазыңыз.", ru: "Укажите название хотя бы на одном языке.", en: "Give a name in at least one language."},
		"nr.sections.delete_hint":   {ky: "Материалдары бар бөлүмдү өчүрүүгө болбойт.", ru: "Раздел с материалами удалить нельзя.", en: "A section that holds articles cannot be deleted."},

		// Static pages.
		"nr.pages.title":      {ky: "Туруктуу барактар", ru: "Постоянные страницы", en: "Static pages"},
		"nr.pages.new":        {ky: "Жаңы барак", ru: "Новая страница", en: "New page"},
		"nr.pages.edit":       {ky: "Баракты оңдоо", ru: "Изменить страницу", en: "Edit the page"},
		"nr.pages.lang":       {ky: "Тили", ru: "Язык", en: "Language"},
		"nr.pages.page_title": {ky: "Аталышы", ru: "Заголовок", en: "Title"},
		"nr.pages.slug":       {ky: "Дарек (slug)", ru: "Адрес (slug)", en: "Address (slug)"},
		"nr.pages.body":       {ky: "Тексти (Markdown)", ru: "Текст (Markdown)", en: "Text (Markdown)"},
		"nr.pages.preview":    {ky: "Алдын ала көрүү", ru: "Предпросмотр", en: "Preview"},
		"nr.pages.view":       {ky: "Сайтта көрүү", ru: "Открыть на сайте", en: "View on the site"},

		// Site settings.
		"nr.settings.title":       {ky: "Сайттын жөндөөлөрү", ru: "Настройки сайта", en: "Site settings"},
		"nr.settings.site_name":   {ky: "Сайттын аталышы (%s)", ru: "Название сайта (%s)", en: "Site name (%s)"},
		"nr.settings.social":      {ky: "Социалдык тармактардагы баракчалар", ru: "Страницы в соцсетях", en: "Social network profiles"},
		"nr.settings.social_hint": {ky: "Толук дарек, https:// менен. Бош калса, шилтеме көрсөтүлбөйт.", ru: "Полный адрес с https://. Пустое поле — ссылка скрыта.", en: "The full address, with https://. Empty: the link is hidden."},
		"nr.settings.telegram":    {ky: "Telegram канал (@ белгисиз, аты гана)", ru: "Telegram-канал (имя без @)", en: "Telegram channel (the name, without @)"},

		// Users.
		"nr.users.title":        {ky: "Колдонуучулар", ru: "Пользователи", en: "Users"},
		"nr.users.new":          {ky: "Жаңы колдонуучу", ru: "Новый пользователь", en: "New user"},
		"nr.users.email":        {ky: "Электрондук почта", ru: "Электронная почта", en: "Email"},
		"nr.users.name":         {ky: "Аты-жөнү", ru: "Имя", en: "Name"},
		"nr.users.role":         {ky: "Ролу", ru: "Роль", en: "Role"},
		"nr.users.lang":         {ky: "Редакциянын тили", ru: "Язык редакции", en: "Newsroom language"},
		"nr.users.password":     {ky: "Баштапкы сырсөз (10 белгиден кем эмес)", ru: "Начальный пароль (не меньше 10 символов)", en: "First password (at least 10 characters)"},
		"nr.users.add":          {ky: "Кошуу", ru: "Добавить", en: "Add"},
		"nr.users.state":        {ky: "Абалы", ru: "Состояние", en: "State"},
		"nr.users.active":       {ky: "иштейт", ru: "активен", en: "active"},
		"nr.users.disabled":     {ky: "бөгөттөлгөн", ru: "заблокирован", en: "disabled"},
		"nr.users.change_role":  {ky: "Ролду өзгөртүү", ru: "Сменить роль", en: "Change role"},
		"nr.users.disable":      {ky: "Бөгөттөө", ru: "Заблокировать", en: "Disable"},
		"nr.users.enable":       {ky: "Бөгөттөн чыгаруу", ru: "Разблокировать", en: "Enable"},
		"nr.users.disable_hint": {ky: "Бөгөттөлгөн колдонуучу кире албайт, анын бардык сессиялары ошол замат жабылат.", ru: "Заблокированный не может войти, все его сессии сразу завершаются.", en: "A disabled user cannot log in, and all their sessions end at once."},

		// Audit log.
		"nr.audit.title":        {ky: "Аракеттер журналы", ru: "Журнал действий", en: "Audit log"},
		"nr.audit.when":         {ky: "Качан", ru: "Когда", en: "When"},
		"nr.audit.who":          {ky: "Ким", ru: "Кто", en: "Who"},
		"nr.audit.what":         {ky: "Эмне кылды", ru: "Что сделал", en: "What"},
		"nr.audit.target":       {ky: "Эмнени", ru: "С чем", en: "Target"},
		"nr.audit.detail":       {ky: "Кошумча", ru: "Подробности", en: "Details"},
		"nr.audit.all":          {ky: "Баары", ru: "Все", en: "All"},
		"nr.audit.kind.article": {ky: "Материалдар", ru: "Материалы", en: "Articles"},
		"nr.audit.kind.user":    {ky: "Колдонуучулар", ru: "Пользователи", en: "Users"},
		"nr.audit.newer":        {ky: "← Жаңыраактар", ru: "← Новее", en: "← Newer"},
		"nr.audit.older":        {ky: "Эскирээктер →", ru: "Старее →", en: "Older →"},
		"nr.audit.page":         {ky: "%d-барак, бардыгы %d жазуу", ru: "Страница %d, всего записей: %d", en: "Page %d, %d entries in all"},

		"nr.audit.article.publish":   {ky: "жарыялады", ru: "опубликовал(а)", en: "published"},
		"nr.audit.article.schedule":  {ky: "жарыялоого пландады", ru: "запланировал(а) публикацию", en: "scheduled"},
		"nr.audit.article.unpublish": {ky: "жарыялоодон алды", ru: "снял(а) с публикации", en: "unpublished"},
		"nr.audit.article.delete":    {ky: "өчүрдү", ru: "удалил(а)", en: "deleted"},
		"nr.audit.article.restore":   {ky: "мурунку версиясын кайтарды", ru: "восстановил(а) версию", en: "restored a revision"},
		"nr.audit.article.correct":   {ky: "оңдоо кошту", ru: "добавил(а) исправление", en: "added a correction"},
		"nr.audit.article.breaking":  {ky: "шашылыш кабар белгисин өзгөрттү", ru: "изменил(а) отметку «срочно»", en: "changed the breaking-news flag"},
		"nr.audit.user.add":          {ky: "колдонуучу кошту", ru: "добавил(а) пользователя", en: "added a user"},
		"nr.audit.user.role":         {ky: "ролун өзгөрттү", ru: "сменил(а) роль", en: "changed the role"},
		"nr.audit.user.edit":         {ky: "маалыматын өзгөрттү", ru: "изменил(а) данные", en: "edited the account"},
		"nr.audit.user.disable":      {ky: "бөгөттөдү", ru: "заблокировал(а)", en: "disabled"},
		"nr.audit.user.enable":       {ky: "бөгөттөн чыгарды", ru: "разблокировал(а)", en: "enabled"},
		"nr.audit.user.password":     {ky: "сырсөзүн өзгөрттү", ru: "сменил(а) пароль", en: "changed the password"},
	})
}
