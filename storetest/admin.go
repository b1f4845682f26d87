package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jarchy/jarchy"
)

// RunAdmin runs the contract of what the newsroom's admin pages need
// beyond the readers: deleting sections (refused while they hold
// articles), their article counts, pages by ID, the Telegram channel.
func RunAdmin(t *testing.T, open Opener) {
	run(t, open, []test{
		{"DeleteSection", store(testDeleteSection)},
		{"PageByID", store(testPageByID)},
		{"TelegramChannel", store(testTelegramChannel)},
	})
}

func testDeleteSection(t *testing.T, s jarchy.Store) {
	news := &jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}
	empty := &jarchy.Section{Slug: "sport", Position: 2, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Спорт", jarchy.English: "Sport"}}
	for _, sec := range []*jarchy.Section{news, empty} {
		if err := s.SaveSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
	}
	save(t, s, published(jarchy.Kyrgyz, "Бир", base))
	save(t, s, newArticle(jarchy.Russian, "Два")) // a draft counts too
	counts, err := s.SectionArticleCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(counts) != fmt.Sprintf("map[%d:2]", news.ID) {
		t.Fatalf("SectionArticleCounts %v, want map[%d:2]", counts, news.ID)
	}
	rec := record(t, s)
	err = s.DeleteSection(ctx, news.ID)
	wantCode(t, "DeleteSection(with articles)", err, jarchy.ECONFLICT)
	var e *jarchy.Error
	if !errors.As(err, &e) || e.MessageKey != "err.section_not_empty" || e.N != 2 || e.Field != "section" {
		t.Fatalf("DeleteSection(with articles): %#v, want err.section_not_empty naming 2", e)
	}
	rec.wantChanges(t, "refused DeleteSection")
	if err := s.DeleteSection(ctx, empty.ID); err != nil {
		t.Fatal(err)
	}
	rec.wantChanges(t, "DeleteSection", "site")
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 1 || secs[0].ID != news.ID {
		t.Fatalf("sections after the delete: %+v", secs)
	}
	wantCode(t, "DeleteSection(again)", s.DeleteSection(ctx, empty.ID), jarchy.ENOTFOUND)
	// The slug is free again, with no names left behind.
	again := &jarchy.Section{Slug: "sport"}
	if err := s.SaveSection(ctx, again); err != nil {
		t.Fatal(err)
	}
	secs, _ = s.Sections(ctx)
	for _, sec := range secs {
		if sec.Slug == "sport" && len(sec.Names) != 0 {
			t.Errorf("a re-created section has the deleted one's names: %v", sec.Names)
		}
	}
}

func testPageByID(t *testing.T, s jarchy.Store) {
	p := &jarchy.Page{Lang: jarchy.Kyrgyz, Title: "Биз жөнүндө", Body: "*Жарчы*"}
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Page(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != p.ID || got.Slug != "biz-jonundo" || got.Title != p.Title || got.Body != p.Body || got.Lang != jarchy.Kyrgyz {
		t.Fatalf("Page(%d) = %+v", p.ID, got)
	}
	if err := s.DeletePage(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Page(ctx, p.ID)
	wantCode(t, "Page(deleted)", err, jarchy.ENOTFOUND)
}

func testTelegramChannel(t *testing.T, s jarchy.Store) {
	for in, want := range map[string]string{"@jarchy_kg": "jarchy_kg", " https://t.me/Jarchy_news ": "Jarchy_news", "": ""} {
		if err := s.SaveSettings(ctx, jarchy.Settings{TelegramChannel: in}); err != nil {
			t.Fatalf("SaveSettings(TelegramChannel %q): %v", in, err)
		}
		st, err := s.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.TelegramChannel != want {
			t.Errorf("TelegramChannel %q saved as %q, want %q", in, st.TelegramChannel, want)
		}
	}
	if err := s.SaveSettings(ctx, jarchy.Settings{TelegramChannel: "jarchy_kg"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"abc", "1jarchy", "jar chy", "jarchy-kg", "<script>", "@" + string(make([]byte, 40))} {
		wantCode(t, fmt.Sprintf("SaveSettings(TelegramChannel %q)", bad), s.SaveSettings(ctx, jarchy.Settings{TelegramChannel: bad}), jarchy.EINVALID)
	}
	if st, _ := s.Settings(ctx); st.TelegramChannel != "jarchy_kg" {
		t.Errorf("failed saves changed the channel to %q", st.TelegramChannel)
	}
}
