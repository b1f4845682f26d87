package newsroom

import (
	"net/http"
	"net/url"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
)

// setupForm shows the form of the one-time link that creates the first
// admin (serve logs the link while no admin exists).
func setupForm(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	token := r.URL.Query().Get("token")
	if err := s.checkSetupToken(r, token); err != nil {
		return err
	}
	q.FormToken = s.loginToken(w, r)
	f := newForm(q, url.Values{"token": {token}, "lang": {string(q.Lang)}})
	return s.render(w, r, http.StatusOK, q.T("nr.setup.title"), setupPage(f))
}

// setupPost creates the first admin and logs them in. A refused form
// comes back with what was typed (passwords excepted) and the link still
// usable; a used or expired link is a clear page.
func setupPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	token := r.PostFormValue("token")
	if err := s.checkSetupToken(r, token); err != nil {
		return err
	}
	pw, again := r.PostFormValue("password"), r.PostFormValue("password2")
	f := newForm(q, withoutPasswords(r.PostForm))
	u := &jarchy.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: jarchy.RoleAdmin}
	if l, ok := jarchy.ParseLang(r.PostFormValue("lang")); ok {
		u.Lang = l
	}
	checkNewPassword(f, pw, again)
	if !f.HasErrors() {
		u.PasswordHash = auth.Hash(pw)
		actx := jarchy.WithActor(r.Context(), jarchy.Actor{Name: "setup link"})
		err := s.store.RedeemSetupToken(actx, token, u)
		switch jarchy.ErrorCode(err) {
		case "":
		case jarchy.EINVALID, jarchy.ECONFLICT:
			if e, ok := err.(*jarchy.Error); ok && e.Field == "token" {
				return err
			}
			f.Fail(err, map[string]string{"email": "email", "name": "name", "lang": "lang"})
		default:
			return err
		}
	}
	if f.HasErrors() {
		q.FormToken = s.loginToken(w, r)
		return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.setup.title"), setupPage(f))
	}
	s.log.Info("newsroom: first admin created through the setup link", "user", u.ID)
	if _, err := s.startSession(w, r, u); err != nil {
		return err
	}
	return redirect(w, r, Prefix+"/")
}

// checkSetupToken refuses a link that no longer works, saying why.
func (s *Server) checkSetupToken(r *http.Request, token string) error {
	if token == "" || len(token) > 200 {
		return jarchy.SetupUsed()
	}
	ok, err := s.store.SetupTokenValid(r.Context(), token)
	if err != nil || ok {
		return err
	}
	if admin, err := s.store.HasAdmin(r.Context()); err == nil && admin {
		return jarchy.AdminExists()
	}
	return jarchy.SetupUsed()
}

// checkNewPassword refuses a weak or mistyped new password.
func checkNewPassword(f *Form, pw, again string) {
	if err := jarchy.ValidPassword(pw); err != nil {
		f.Fail(err, map[string]string{"password": "password"})
		return
	}
	if pw != again {
		f.Add("password2", "nr.password.mismatch")
	}
}

// withoutPasswords is a copy of a posted form without its password
// fields: a form that comes back never repeats a password.
func withoutPasswords(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		switch k {
		case "password", "password2", "current":
		default:
			out[k] = vs
		}
	}
	return out
}
