package i18n

import "github.com/jarchy/jarchy"

// The newsroom's strings (package newsroom). Keys start with "nr.".
func init() {
	register(map[string]map[jarchy.Lang]string{
		"nr.name":          {ky: "Жарчы — редакция", ru: "Жарчы — редакция", en: "Jarchy newsroom"},
		"nr.nav.label":     {ky: "Редакциянын менюсу", ru: "Меню редакции", en: "Newsroom menu"},
		"nr.nav.dashboard": {ky: "Башкы такта", ru: "Обзор", en: "Dashboard"},
		"nr.logout":        {ky: "Чыгуу", ru: "Выйти", en: "Log out"},
		"nr.role.admin":    {ky: "администратор", ru: "администратор", en: "admin"},
		"nr.role.editor":   {ky: "редактор", ru: "редактор", en: "editor"},
		"nr.role.author":   {ky: "автор", ru: "автор", en: "author"},

		"nr.login.title":  {ky: "Редакцияга кирүү", ru: "Вход в редакцию", en: "Log in to the newsroom"},
		"nr.login.button": {ky: "Кирүү", ru: "Войти", en: "Log in"},
		"nr.login.failed": {ky: "Электрондук почта же сырсөз туура эмес.", ru: "Неверная электронная почта или пароль.", en: "Wrong email or password."},

		"nr.dashboard.hello": {ky: "Кош келиңиз, %s!", ru: "Добро пожаловать, %s!", en: "Welcome, %s!"},

		"nr.form.fix":         {ky: "Белгиленген талааларды оңдоңуз. Жазганыңыз сакталды.", ru: "Исправьте отмеченные поля. Всё, что вы ввели, сохранено в форме.", en: "Please correct the marked fields. Everything you typed is kept."},
		"nr.error.title":      {ky: "Ката", ru: "Ошибка", en: "Error"},
		"nr.error.back":       {ky: "Редакциянын башкы тактасына кайтуу", ru: "Вернуться к обзору редакции", en: "Back to the newsroom dashboard"},
		"nr.err.form_token":   {ky: "Форманын мөөнөтү бүттү же ал башка жерден жөнөтүлдү. Баракты жаңылап, кайра аракет кылыңыз. Эч нерсе өзгөргөн жок.", ru: "Форма устарела или отправлена не отсюда. Обновите страницу и попробуйте снова. Ничего не изменено.", en: "The form has expired or was not sent from here. Reload the page and try again. Nothing was changed."},
		"nr.err.cross_origin": {ky: "Башка сайттан жөнөтүлгөн суроо четке кагылды. Эч нерсе өзгөргөн жок.", ru: "Запрос с другого сайта отклонён. Ничего не изменено.", en: "A request from another site was refused. Nothing was changed."},
		"nr.err.session":      {ky: "Сессияңыздын мөөнөтү бүттү. Кайра кириңиз; эч нерсе өзгөргөн жок.", ru: "Ваша сессия истекла. Войдите снова; ничего не изменено.", en: "Your session has ended. Please log in again; nothing was changed."},
	})
}
