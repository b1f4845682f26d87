package i18n

import "github.com/jarchy/jarchy"

// The newsroom's account strings: the first admin's setup link, the
// user's own settings and password, the login throttle.
func init() {
	register(map[string]map[jarchy.Lang]string{
		"nr.setup.title":  {ky: "Биринчи администраторду түзүү", ru: "Создание первого администратора", en: "Create the first administrator"},
		"nr.setup.intro":  {ky: "Бул шилтеме бир жолу гана иштейт. Администратордун аккаунтун түзүңүз, андан кийин башка кызматкерлерди кошо аласыз.", ru: "Эта ссылка работает один раз. Создайте учётную запись администратора; потом вы сможете добавить остальных сотрудников.", en: "This link works once. Create the administrator's account; you can then add the rest of the staff."},
		"nr.setup.button": {ky: "Түзүү жана кирүү", ru: "Создать и войти", en: "Create and log in"},

		"nr.nav.account":            {ky: "Менин аккаунтум", ru: "Мой профиль", en: "My account"},
		"nr.account.title":          {ky: "Менин аккаунтум", ru: "Мой профиль", en: "My account"},
		"nr.account.lang":           {ky: "Редакциянын тили", ru: "Язык редакции", en: "Newsroom language"},
		"nr.account.save":           {ky: "Сактоо", ru: "Сохранить", en: "Save"},
		"nr.account.saved":          {ky: "Сакталды.", ru: "Сохранено.", en: "Saved."},
		"nr.password.change":        {ky: "Сырсөздү алмаштыруу", ru: "Смена пароля", en: "Change password"},
		"nr.password.hint":          {ky: "Сырсөздү алмаштырбасаңыз, бул талааларды бош калтырыңыз. Алмаштырганда башка түзмөктөрдөгү сессиялар жабылат.", ru: "Оставьте эти поля пустыми, если не меняете пароль. При смене пароля сессии на других устройствах завершатся.", en: "Leave these fields empty to keep your password. Changing it ends your sessions on other devices."},
		"nr.password.current":       {ky: "Азыркы сырсөз", ru: "Текущий пароль", en: "Current password"},
		"nr.password.new":           {ky: "Жаңы сырсөз (кеминде 10 белги)", ru: "Новый пароль (не меньше 10 символов)", en: "New password (at least 10 characters)"},
		"nr.password.again":         {ky: "Жаңы сырсөздү кайталаңыз", ru: "Повторите новый пароль", en: "New password again"},
		"nr.password.mismatch":      {ky: "Сырсөздөр дал келген жок.", ru: "Пароли не совпадают.", en: "The passwords do not match."},
		"nr.password.wrong_current": {ky: "Азыркы сырсөз туура эмес.", ru: "Текущий пароль неверен.", en: "The current password is wrong."},
		"nr.login.throttled":        {ky: "Өтө көп ийгиликсиз аракет болду. Бир аздан кийин кайра аракет кылыңыз.", ru: "Слишком много неудачных попыток. Попробуйте чуть позже.", en: "Too many failed attempts. Please try again a little later."},
	})
}
