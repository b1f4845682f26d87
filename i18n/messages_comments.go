package i18n

import "github.com/jarchy/jarchy"

// Reader comments: the form, the list, the notices, the errors a reader
// or a moderator reads, and the moderation queue.
func init() {
	register(map[string]map[jarchy.Lang]string{
		// Errors.
		"err.comment_name_required": {ky: "Атыңызды жазыңыз.", ru: "Укажите имя.", en: "Please give your name."},
		"err.comment_name_long":     {ky: "Ат өтө узун: 80 белгиден ашпасын.", ru: "Имя слишком длинное: не больше 80 знаков.", en: "The name is too long: at most 80 characters."},
		"err.comment_text_required": {ky: "Пикириңиз бош. Бир нерсе жазыңыз.", ru: "Комментарий пуст. Напишите что-нибудь.", en: "The comment is empty. Please write something."},
		"err.comment_text_long":     {ky: "Пикир өтө узун: 5000 белгиден ашпасын. Кыскартып, кайра жөнөтүңүз.", ru: "Комментарий слишком длинный: не больше 5000 знаков. Сократите и отправьте снова.", en: "The comment is too long: at most 5,000 characters. Shorten it and send again."},
		"err.comment_control":       {ky: "Текстте көрүнбөгөн башкаруу белгиси бар. Аны өчүрүп, кайра жөнөтүңүз.", ru: "В тексте есть невидимый управляющий символ. Удалите его и отправьте снова.", en: "The text contains an invisible control character. Remove it and send again."},
		"err.comment_links":         {ky: "Шилтемелер өтө көп: эң көп дегенде 3 шилтеме.", ru: "Слишком много ссылок: не больше 3.", en: "Too many links: at most 3."},
		"err.comment_closed":        {ky: "Бул макалага пикир жазуу жабык.", ru: "Комментарии к этой статье закрыты.", en: "Comments on this article are closed."},
		"err.comment_banned":        {ky: "Бул даректен пикир кабыл алынбайт.", ru: "Комментарии с этого адреса не принимаются.", en: "Comments from this address are not accepted."},
		"err.comment_duplicate":     {ky: "Бул текст бул жерде буга чейин жарыяланган.", ru: "Этот текст здесь уже публиковался.", en: "This text has already been posted here."},
		"err.comment_parent":        {ky: "Сиз жооп берген пикир табылган жок.", ru: "Комментарий, на который вы отвечаете, не найден.", en: "The comment you are replying to was not found."},
		"err.comment_status":        {ky: "Пикирдин абалы белгисиз.", ru: "Неизвестный статус комментария.", en: "Unknown comment status."},
		"err.comment_transition":    {ky: "Пикирди бул абалга которууга болбойт.", ru: "Комментарий нельзя перевести в этот статус.", en: "The comment cannot be moved to this status."},
		"err.comment_ip":            {ky: "IP дарек туура эмес.", ru: "Неверный IP-адрес.", en: "This is not a valid IP address."},
		"err.comment_mode":          {ky: "Модерация режими белгисиз.", ru: "Неизвестный режим модерации.", en: "Unknown moderation mode."},
		"err.comment_close_days":    {ky: "Күндөрдүн саны 0дон 36500гө чейин болушу керек.", ru: "Число дней должно быть от 0 до 36500.", en: "The number of days must be from 0 to 36500."},
		"err.comment_ban":           {ky: "Тыюу электрондук почтаны же IP диапазонун атайт, экөөнү тең эмес.", ru: "Запрет указывает адрес почты или диапазон IP, но не оба.", en: "A ban names an email or an IP range, not both."},
		"err.comment_ban_range":     {ky: "IP диапазону туура эмес (дарек же CIDR, IPv4 үчүн /8ден тар).", ru: "Неверный диапазон IP (адрес или CIDR, для IPv4 не шире /8).", en: "Not a valid IP range (an address or CIDR, /8 or narrower for IPv4)."},
		"err.comment_rate":          {ky: "Өтө көп пикир жөнөтүлдү. Бир аздан кийин кайталаңыз.", ru: "Слишком много комментариев. Попробуйте чуть позже.", en: "Too many comments. Please try again in a little while."},
		"err.comment_too_fast":      {ky: "Форма өтө тез жөнөтүлдү. Бир нече секунд күтүп, кайра жөнөтүңүз.", ru: "Форма отправлена слишком быстро. Подождите несколько секунд и отправьте снова.", en: "The form was sent too quickly. Wait a few seconds and send again."},
		"err.comment_stale":         {ky: "Форманын мөөнөтү өтүп кетти. Кайра жөнөтүңүз.", ru: "Форма устарела. Отправьте её снова.", en: "The form has expired. Please send it again."},
		"err.comment_origin":        {ky: "Форма башка сайттан жөнөтүлгөн.", ru: "Форма отправлена с другого сайта.", en: "The form was sent from another site."},
		"err.comment_form":          {ky: "Форма туура эмес толтурулган.", ru: "Форма заполнена неверно.", en: "The form is not filled in correctly."},

		// Field names.
		"field.text":             {ky: "Пикир", ru: "Комментарий", en: "Comment"},
		"field.ip":               {ky: "IP дарек", ru: "IP-адрес", en: "IP address"},
		"field.external_id":      {ky: "Тышкы ID", ru: "Внешний ID", en: "External ID"},
		"field.parent":           {ky: "Жооп берилген пикир", ru: "Комментарий, на который отвечают", en: "Replied-to comment"},
		"field.mode":             {ky: "Модерация режими", ru: "Режим модерации", en: "Moderation mode"},
		"field.close_after_days": {ky: "Пикирлер жабылат (күн)", ru: "Закрывать комментарии через (дней)", en: "Close comments after (days)"},
		"field.words":            {ky: "Тыюу салынган сөздөр", ru: "Стоп-слова", en: "Word list"},
		"field.ban":              {ky: "Тыюу", ru: "Запрет", en: "Ban"},
		"field.reason":           {ky: "Себеби", ru: "Причина", en: "Reason"},

		// The article page.
		"comments.none":         {ky: "Азырынча пикир жок. Биринчи болуп жазыңыз.", ru: "Комментариев пока нет. Будьте первым.", en: "No comments yet. Be the first."},
		"comments.add":          {ky: "Ой-пикир кошуңуз", ru: "Добавьте комментарий", en: "Add a comment"},
		"comments.reply_to":     {ky: "Жооп", ru: "Ответ", en: "Reply"},
		"comments.reply":        {ky: "Жооп берүү", ru: "Ответить", en: "Reply"},
		"comments.name":         {ky: "Атыңыз", ru: "Ваше имя", en: "Your name"},
		"comments.email":        {ky: "Электрондук почта (милдеттүү эмес, көрсөтүлбөйт)", ru: "Эл. почта (необязательно, не показывается)", en: "Email (optional, never shown)"},
		"comments.text":         {ky: "Пикириңиз", ru: "Ваш комментарий", en: "Your comment"},
		"comments.rules":        {ky: "Жөнөкөй текст. Шилтемелер эң көп дегенде %d. Пикирлер модерациядан өтөт.", ru: "Простой текст. Не больше %d ссылок. Комментарии модерируются.", en: "Plain text. At most %d links. Comments are moderated."},
		"comments.send":         {ky: "Жөнөтүү", ru: "Отправить", en: "Send"},
		"comments.honeypot":     {ky: "Бул талааны бош калтырыңыз", ru: "Оставьте это поле пустым", en: "Leave this field empty"},
		"comments.closed":       {ky: "Бул макалага пикир жазуу жабык.", ru: "Комментарии к этой статье закрыты.", en: "Comments on this article are closed."},
		"comments.edited":       {ky: "түзөтүлгөн", ru: "изменено", en: "edited"},
		"comments.report":       {ky: "Даттануу", ru: "Пожаловаться", en: "Report"},
		"comments.reported":     {ky: "Рахмат. Модераторлор пикирди карап чыгышат.", ru: "Спасибо. Модераторы посмотрят комментарий.", en: "Thank you. The moderators will look at the comment."},
		"comments.held":         {ky: "Рахмат! Пикириңиз модератор текшергенден кийин жарыяланат.", ru: "Спасибо! Комментарий появится после проверки модератором.", en: "Thank you! Your comment will appear once a moderator has checked it."},
		"comments.published":    {ky: "Пикириңиз жарыяланды.", ru: "Ваш комментарий опубликован.", en: "Your comment is published."},
		"comments.back":         {ky: "Макалага кайтуу", ru: "Вернуться к статье", en: "Back to the article"},
		"comments.error_title":  {ky: "Пикир жөнөтүлгөн жок", ru: "Комментарий не отправлен", en: "The comment was not sent"},
		"comments.feed":         {ky: "Пикирлердин тасмасы", ru: "Лента комментариев", en: "Comment feed"},
		"comments.feed_title":   {ky: "%s: пикирлер", ru: "%s: комментарии", en: "%s: comments"},
		"comments.site_feed":    {ky: "Бардык пикирлер", ru: "Все комментарии", en: "All comments"},
		"comments.on":           {ky: "%s: %s", ru: "%s о «%s»", en: "%s on “%s”"},
		"comments.sending":      {ky: "Жөнөтүлүүдө…", ru: "Отправка…", en: "Sending…"},
		"comments.count_label":  {ky: "Пикирлердин саны", ru: "Число комментариев", en: "Number of comments"},
		"comments.thread_label": {ky: "Жооптор", ru: "Ответы", en: "Replies"},
	})
	registerPlurals(map[string]map[jarchy.Lang][]string{
		"count.comments": {ky: {"%d пикир"}, ru: {"%d комментарий", "%d комментария", "%d комментариев"}, en: {"%d comment", "%d comments"}},
	})
}
