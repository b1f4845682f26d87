package newsroom

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

// settingsForm shows the site settings: the site's name per language,
// social links and the Telegram channel.
func settingsForm(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return err
	}
	v := url.Values{"telegram_channel": {st.TelegramChannel}}
	for _, l := range jarchy.Langs {
		v.Set(langFieldName("site_name", l), st.SiteName[l])
	}
	for _, n := range jarchy.SocialNetworks {
		v.Set("social_"+n, st.Social[n])
	}
	return s.render(w, r, http.StatusOK, q.T("nr.settings.title"), settingsPage(newForm(q, v), notice(q, r)))
}

// settingsPost replaces the site settings; every field is checked first,
// so each wrong one says so and the form comes back as typed.
func settingsPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, r.PostForm)
	st := jarchy.Settings{SiteName: map[jarchy.Lang]string{}, Social: map[string]string{}, TelegramChannel: f.Get("telegram_channel")}
	for _, l := range jarchy.Langs {
		name := f.Get(langFieldName("site_name", l))
		if utf8.RuneCountInString(name) > jarchy.MaxNameLen || !utf8.ValidString(name) {
			f.Add(langFieldName("site_name", l), "err.too_long")
		}
		st.SiteName[l] = name
	}
	for _, n := range jarchy.SocialNetworks {
		u := strings.TrimSpace(f.Get("social_" + n))
		if u != "" && (len(u) > jarchy.MaxURLLen || !jarchy.ValidWebURL(u)) {
			f.Add("social_"+n, "err.url")
		}
		st.Social[n] = u
	}
	if !f.HasErrors() {
		if err := s.store.SaveSettings(r.Context(), st); err != nil {
			f.Fail(err, map[string]string{"telegram_channel": "telegram_channel"})
		}
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.settings.title"), settingsPage(f, ""))
	}
	return redirect(w, r, Prefix+"/settings?saved=1")
}
