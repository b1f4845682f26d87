package newsroom

import (
	"net/http"
	"net/url"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
	"github.com/jarchy/jarchy/i18n"
)

// userFields maps the domain's field names of a user to the add form's.
var userFields = map[string]string{"email": "email", "name": "name", "role": "role", "lang": "lang", "password": "password"}

// userList shows every account and the form that adds one.
func userList(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, url.Values{"role": {string(jarchy.RoleAuthor)}, "lang": {string(q.Lang)}})
	return s.renderUsers(w, r, q, http.StatusOK, f, notice(q, r))
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, q *Request, status int, f *Form, note string) error {
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, status, q.T("nr.users.title"), usersPage(users, f, note))
}

// userCreate adds an account with a role and a first password (never
// shown again: the form comes back without it).
func userCreate(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	pw := r.PostFormValue("password")
	f := newForm(q, withoutPasswords(r.PostForm))
	u := &jarchy.User{Email: f.Get("email"), Name: f.Get("name"), Role: jarchy.Role(f.Get("role"))}
	if l, ok := jarchy.ParseLang(f.Get("lang")); ok {
		u.Lang = l
	} else {
		f.Add("lang", "err.lang")
	}
	if err := jarchy.ValidPassword(pw); err != nil {
		f.Fail(err, userFields)
	}
	if !f.HasErrors() {
		u.Normalize()
		if err := u.Validate(); err != nil {
			f.Fail(err, userFields)
		}
	}
	if !f.HasErrors() {
		u.PasswordHash = auth.Hash(pw)
		if err := s.store.SaveUser(r.Context(), u); err != nil {
			f.Fail(err, userFields)
		}
	}
	if f.HasErrors() {
		return s.renderUsers(w, r, q, http.StatusUnprocessableEntity, f, "")
	}
	s.log.Info("newsroom: user added", "user", u.ID, "role", u.Role, "by", q.User.ID)
	return redirect(w, r, Prefix+"/users?saved=1")
}

// userRole changes an account's role.
func userRole(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return s.changeUser(w, r, q, func(u *jarchy.User) error {
		role := jarchy.Role(r.PostFormValue("role"))
		if !role.Valid() {
			return jarchy.Invalid("role", "err.role", "unknown role %q", role)
		}
		u.Role = role
		return nil
	})
}

// userDisable disables an account: it cannot log in, and the store ends
// its sessions in the same write.
func userDisable(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return s.changeUser(w, r, q, func(u *jarchy.User) error { u.Disabled = true; return nil })
}

// userEnable lets a disabled account log in again.
func userEnable(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return s.changeUser(w, r, q, func(u *jarchy.User) error { u.Disabled = false; return nil })
}

// changeUser applies change to the account of the route's {id} and saves
// it. An admin cannot change their own role or disable themselves (no
// newsroom is left without the admin who runs it by a slip).
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request, q *Request, change func(*jarchy.User) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		return err
	}
	f := newForm(q, url.Values{"role": {string(jarchy.RoleAuthor)}, "lang": {string(q.Lang)}})
	if u.ID == q.User.ID {
		f.Message = q.T("nr.admin.self")
		return s.renderUsers(w, r, q, http.StatusConflict, f, "")
	}
	if err := change(u); err != nil {
		f.Message = i18n.ErrorMessage(q.Lang, err)
		return s.renderUsers(w, r, q, http.StatusUnprocessableEntity, f, "")
	}
	if err := s.store.SaveUser(r.Context(), u); err != nil {
		return err
	}
	s.log.Info("newsroom: user changed", "user", u.ID, "role", u.Role, "disabled", u.Disabled, "by", q.User.ID)
	return redirect(w, r, Prefix+"/users?saved=1")
}

// roles are the roles an admin gives, in the order the form lists them.
var roles = []jarchy.Role{jarchy.RoleAuthor, jarchy.RoleEditor, jarchy.RoleAdmin}
