package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

// RunSettings runs the contract of jarchy.SettingsStore.
func RunSettings(t *testing.T, open Opener) {
	run(t, open, []test{
		{"Settings", store(testSettings)},
		{"BidiControls", store(testSettingsBidiControls)},
	})
}

func testSettings(t *testing.T, s jarchy.Store) {
	st, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SiteName == nil || st.Social == nil || len(st.SiteName) != 0 || len(st.Social) != 0 {
		t.Fatalf("fresh settings: %+v", st)
	}
	want := jarchy.Settings{
		SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы", jarchy.Russian: "Жарчы \"Вестник\"", jarchy.English: "The Herald"},
		Social:   map[string]string{"telegram": "https://t.me/jarchy", "x": "https://x.com/jarchy?a=1&b='2'"},
	}
	if err := s.SaveSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("settings: got %v, want %v", got, want)
	}
	// Empty values are dropped; saving replaces everything.
	if err := s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "H", jarchy.Kyrgyz: ""}, Social: map[string]string{"youtube": ""}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Settings(ctx)
	if fmt.Sprint(got.SiteName) != "map[en:H]" || len(got.Social) != 0 {
		t.Fatalf("settings after replace: %v", got)
	}
	for _, bad := range []jarchy.Settings{
		{SiteName: map[jarchy.Lang]string{"xx": "n"}},
		{SiteName: map[jarchy.Lang]string{jarchy.English: strings.Repeat("n", jarchy.MaxNameLen+1)}},
		{SiteName: map[jarchy.Lang]string{jarchy.English: "a\x00"}},
		{Social: map[string]string{"myspace": "https://myspace.com/x"}},
		{Social: map[string]string{"x": "javascript:alert(1)"}},
		{Social: map[string]string{"x": "https://x.com/" + strings.Repeat("a", jarchy.MaxURLLen)}},
	} {
		wantCode(t, fmt.Sprintf("SaveSettings(%.40v)", bad), s.SaveSettings(ctx, bad), jarchy.EINVALID)
	}
	got, _ = s.Settings(ctx)
	if fmt.Sprint(got.SiteName) != "map[en:H]" {
		t.Fatalf("failed SaveSettings changed settings: %v", got)
	}
}

// testSettingsBidiControls: site names lose their bidi controls; a name
// made of nothing else is dropped.
func testSettingsBidiControls(t *testing.T, s jarchy.Store) {
	const rlo = "\u202E"
	if err := s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жар" + rlo + "чы", jarchy.English: rlo}}); err != nil {
		t.Fatalf("SaveSettings: %v", err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st.SiteName, map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы"}) {
		t.Errorf("site names %q", st.SiteName)
	}
}
