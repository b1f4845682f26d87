package newsroom

import (
	"net/http"
	"net/url"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
	"github.com/jarchy/jarchy/i18n"
)

// accountForm shows the user's own settings: UI language and password.
func accountForm(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, url.Values{"lang": {string(q.User.Lang)}})
	return s.render(w, r, http.StatusOK, q.T("nr.account.title"), accountPage(f, r.URL.Query().Get("saved") == "1"))
}

// accountPost saves the user's language, and a new password when one is
// given: the current password is needed for that, every other session
// of the user ends, and this browser gets a fresh session.
func accountPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	current, pw, again := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("password2")
	u := *q.User
	if l, ok := jarchy.ParseLang(r.PostFormValue("lang")); ok {
		u.Lang = l
	}
	q.Lang = u.Lang // the page answers in the language just chosen
	f := newForm(q, withoutPasswords(r.PostForm))
	changePassword := pw != "" || current != ""
	if changePassword {
		if ok, wait := s.logins.attempt(s.clientKey(r), u.Email); !ok {
			return tooManyAttempts(wait)
		}
		if ok, err := auth.Verify(current, q.User.PasswordHash); !ok || err != nil {
			f.Add("current", "nr.password.wrong_current")
		}
		checkNewPassword(f, pw, again)
		if !f.HasErrors() {
			s.logins.succeeded(u.Email)
			u.PasswordHash = auth.Hash(pw)
		}
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.account.title"), accountPage(f, false))
	}
	if err := s.store.SaveUser(r.Context(), &u); err != nil {
		return err
	}
	if changePassword {
		if err := s.store.DeleteUserSessions(r.Context(), u.ID); err != nil {
			return err
		}
		if _, err := s.startSession(w, r, &u); err != nil {
			return err
		}
		s.log.Info("newsroom: password changed, other sessions ended", "user", u.ID)
	}
	return redirect(w, r, Prefix+"/account?saved=1")
}

// uiLangs are the languages the newsroom speaks: the site's.
func uiLangs() []jarchy.Lang { return jarchy.Langs }

// langName is a language's name in itself ("Кыргызча").
func langName(l jarchy.Lang) string { return i18n.LangName(l) }
