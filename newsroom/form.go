package newsroom

import (
	"errors"
	"net/url"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// Form is a submitted form on its way back to the user: everything typed
// (Values), and messages in the user's language for the fields that were
// refused (Errors) or for the whole form (Message). A handler whose save
// fails renders the same page again with it, so nothing typed is lost.
type Form struct {
	Values  url.Values
	Errors  map[string]string
	Message string
	lang    jarchy.Lang
}

// newForm is an empty form for the user.
func newForm(q *Request, values url.Values) *Form {
	if values == nil {
		values = url.Values{}
	}
	return &Form{Values: values, Errors: map[string]string{}, lang: q.Lang}
}

// Get returns what the user typed in field name.
func (f *Form) Get(name string) string { return f.Values.Get(name) }

// Error returns the message for field name, "" when it is fine.
func (f *Form) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether anything was refused.
func (f *Form) HasErrors() bool { return len(f.Errors) > 0 || f.Message != "" }

// Add refuses field with the message of i18n key in the user's language.
func (f *Form) Add(field, key string) {
	if _, ok := f.Errors[field]; !ok {
		f.Errors[field] = i18n.T(f.lang, key)
	}
}

// Fail records a store or domain error: a *jarchy.Error about a field goes
// to that field, anything else to the whole form (never internal details).
// fieldOf maps the domain's field names to the form fields that show
// them; an error about a field the form does not show goes to the whole
// form, with the field's name.
func (f *Form) Fail(err error, fieldOf map[string]string) {
	var e *jarchy.Error
	if errors.As(err, &e) && e.MessageKey != "" {
		field, ok := fieldOf[e.Field]
		if !ok {
			f.Message = i18n.ErrorMessage(f.lang, err)
			return
		}
		if _, ok := f.Errors[field]; !ok {
			f.Errors[field] = i18n.T(f.lang, e.MessageKey)
		}
		return
	}
	f.Message = i18n.ErrorMessage(f.lang, err)
}
