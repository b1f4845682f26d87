package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

func TestEveryKeyInEveryLang(t *testing.T) {
	for key, m := range messages {
		for _, l := range jarchy.Langs {
			s, ok := m[l]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("key %q has no %s text", key, l)
			}
		}
		for l := range m {
			if !l.Valid() {
				t.Errorf("key %q has text for unknown language %q", key, l)
			}
		}
	}
	for key, m := range plurals {
		for _, l := range jarchy.Langs {
			if got, want := len(m[l]), pluralForms[l]; got != want {
				t.Errorf("plural %q has %d forms in %s, want %d", key, got, l, want)
			}
		}
	}
}

var verbRe = regexp.MustCompile(`%[dsvq]`)

// The same key must take the same arguments in every language.
func TestFormatVerbsAgree(t *testing.T) {
	for key, m := range messages {
		want := strings.Join(verbRe.FindAllString(m[jarchy.English], -1), "")
		for _, l := range jarchy.Langs {
			if got := strings.Join(verbRe.FindAllString(m[l], -1), ""); got != want {
				t.Errorf("key %q: %s has verbs %q, en has %q", key, l, got, want)
			}
			if !utf8.ValidString(m[l]) {
				t.Errorf("key %q: %s text is not UTF-8", key, l)
			}
		}
	}
}

func TestT(t *testing.T) {
	if got := T(jarchy.Russian, "nav.top"); got != "Наверх" {
		t.Errorf("T(ru, nav.top) = %q", got)
	}
	if got := T(jarchy.Kyrgyz, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gives %q, want the key", got)
	}
	if got := Tf(jarchy.English, "paging.page", 3); got != "Page 3" {
		t.Errorf("Tf = %q", got)
	}
	if LangName(jarchy.Kyrgyz) != "Кыргызча" || LangName(jarchy.Russian) != "Русский" {
		t.Error("LangName is not the autonym")
	}
}

func TestPlural(t *testing.T) {
	cases := []struct {
		lang jarchy.Lang
		n    int
		want string
	}{
		{jarchy.Russian, 1, "1 материал"},
		{jarchy.Russian, 2, "2 материала"},
		{jarchy.Russian, 5, "5 материалов"},
		{jarchy.Russian, 11, "11 материалов"},
		{jarchy.Russian, 21, "21 материал"},
		{jarchy.Russian, 22, "22 материала"},
		{jarchy.Russian, 112, "112 материалов"},
		{jarchy.English, 1, "1 story"},
		{jarchy.English, 0, "0 stories"},
		{jarchy.Kyrgyz, 5, "5 материал"},
	}
	for _, c := range cases {
		if got := Plural(c.lang, "count.articles", c.n); got != c.want {
			t.Errorf("Plural(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestFormatDateInBishkek(t *testing.T) {
	// 20:30 UTC on 27 November is 02:30 on 28 November in Bishkek (UTC+6).
	ts := time.Date(2026, 11, 27, 20, 30, 0, 0, time.UTC)
	cases := map[jarchy.Lang]string{
		jarchy.Kyrgyz:  "28-ноябрь, 2026, 02:30",
		jarchy.Russian: "28 ноября 2026, 02:30",
		jarchy.English: "28 November 2026, 02:30",
	}
	for l, want := range cases {
		if got := FormatDateTime(l, ts); got != want {
			t.Errorf("FormatDateTime(%s) = %q, want %q", l, got, want)
		}
	}
	if got := FormatDate(jarchy.Russian, time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)); got != "8 марта 2026" {
		t.Errorf("FormatDate(ru) = %q", got)
	}
	if got := ISODate(ts); got != "2026-11-28T02:30:00+06:00" {
		t.Errorf("ISODate = %q", got)
	}
	if FormatDate(jarchy.Kyrgyz, time.Time{}) != "" {
		t.Error("zero time should format as empty")
	}
	if Zone.String() != "Asia/Bishkek" {
		t.Errorf("zone = %s, want Asia/Bishkek (time/tzdata is embedded)", Zone)
	}
}

func TestMonthNames(t *testing.T) {
	for _, l := range jarchy.Langs {
		seen := map[string]bool{}
		for m := time.January; m <= time.December; m++ {
			n := MonthName(l, m)
			if n == "" || seen[n] {
				t.Errorf("%s month %d: %q empty or repeated", l, m, n)
			}
			seen[n] = true
		}
	}
	if MonthName(jarchy.Kyrgyz, time.May) != "май" || MonthName(jarchy.Russian, time.May) != "мая" {
		t.Error("wrong May")
	}
}

func TestErrorMessage(t *testing.T) {
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Status: jarchy.StatusDraft}
	err := fmt.Errorf("save: %w", a.Validate())
	if got := ErrorMessage(jarchy.Russian, err); got != "Заголовок: Обязательное поле." {
		t.Errorf("ru = %q", got)
	}
	if got := ErrorMessage(jarchy.Kyrgyz, err); got != "Аталыш: Толтуруу милдеттүү." {
		t.Errorf("ky = %q", got)
	}
	if got := ErrorMessage(jarchy.English, errors.New("pq: secret detail")); got != T(jarchy.English, "err.internal") {
		t.Errorf("internal error leaks: %q", got)
	}
	if got := ErrorMessage(jarchy.English, jarchy.Errorf(jarchy.ENOTFOUND, "article 7")); got != "Not found." {
		t.Errorf("not found = %q", got)
	}
}

// Every i18n key the root package uses in its errors must exist.
func TestDomainErrorKeysExist(t *testing.T) {
	// Every non-test Go file of the module: the domain, the stores and
	// their helpers all raise errors a user reads.
	re := regexp.MustCompile(`(?:Invalid\("[a-z_]+",\s*|MessageKey:\s*)"(err\.[a-z0-9_.]+)"`)
	fieldRe := regexp.MustCompile(`Invalid\("([a-z_]+)"`)
	var files []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files found under the module: %v", err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s uses key %q that i18n lacks", f, m[1])
			}
		}
		for _, m := range fieldRe.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messages["field."+m[1]]; !ok {
				t.Errorf("%s names field %q that i18n lacks (field.%s)", f, m[1], m[1])
			}
		}
	}
	if n == 0 {
		t.Error("found no err.* keys in the module; the scan is broken")
	}
}

// Every key used by the web templates and handlers must exist.
func TestTemplateKeysExist(t *testing.T) {
	tmpls, _ := filepath.Glob("../web/*.templ")
	gos, _ := filepath.Glob("../web/*.go")
	if len(tmpls) == 0 {
		t.Skip("no ../web/*.templ yet")
	}
	// i18n.T(lang, "key") / i18n.Tf / i18n.Plural, in templ and Go.
	re := regexp.MustCompile(`i18n\.(?:T|Tf|Plural)\([^,]+,\s*"([^"]*[^".])"\s*[,)]`)
	inTemplates := 0
	for _, f := range append(tmpls, gos...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if strings.HasSuffix(f, ".templ") {
				inTemplates++
			}
			if !Has(m[1]) {
				t.Errorf("%s uses key %q that i18n lacks", f, m[1])
			}
		}
	}
	if inTemplates < 40 {
		t.Errorf("found %d keys in the templates; the scan is broken", inTemplates)
	}
}

// Keys that code builds from parts (social.<network>, page.<status>.*,
// err.<code>) must exist for every part.
func TestComposedKeysExist(t *testing.T) {
	var keys []string
	for _, n := range jarchy.SocialNetworks {
		keys = append(keys, "social."+n)
	}
	for _, st := range []string{"400", "404", "500"} {
		keys = append(keys, "page."+st+".title", "page."+st+".text")
	}
	for _, c := range []string{jarchy.EINVALID, jarchy.ENOTFOUND, jarchy.ECONFLICT, jarchy.EFORBIDDEN, jarchy.EINTERNAL} {
		keys = append(keys, "err."+c)
	}
	for _, k := range keys {
		if !Has(k) {
			t.Errorf("composed key %q is missing", k)
		}
	}
}

func TestRegisterRefusesDuplicateKeys(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering an existing key did not panic")
		}
	}()
	register(map[string]map[jarchy.Lang]string{"site.name": {jarchy.English: "x"}})
}

// The comment error texts name the domain's limits: they must agree.
func TestCommentLimitsInMessages(t *testing.T) {
	for key, n := range map[string]int{"err.comment_name_long": jarchy.MaxCommentNameLen, "err.comment_text_long": jarchy.MaxCommentTextLen, "err.comment_links": jarchy.MaxCommentLinks} {
		for _, l := range []jarchy.Lang{jarchy.Kyrgyz, jarchy.Russian} {
			if !strings.Contains(T(l, key), strconv.Itoa(n)) {
				t.Errorf("%s in %s = %q does not name the limit %d", key, l, T(l, key), n)
			}
		}
	}
}
