package jarchy

import (
	"testing"
	"time"
)

// TestNormalizeSchedulesFuturePublication: a published article dated after
// now is scheduled (one meaning for "approved, waiting for its time");
// every other status and time stays as given, and a zero now decides
// nothing.
func TestNormalizeSchedulesFuturePublication(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC)
	past := time.Date(2026, 11, 27, 8, 29, 59, 999999000, time.UTC)
	future := time.Date(2026, 11, 27, 8, 30, 0, 1000, time.UTC)
	// 14:30:01 in Bishkek is 08:30:01 UTC: after now.
	futureBishkek := time.Date(2026, 11, 27, 14, 30, 1, 0, time.FixedZone("KGT", 6*3600))
	tests := []struct {
		name       string
		status     Status
		published  time.Time
		now        time.Time
		wantStatus Status
		wantTime   time.Time
	}{
		{"published in the future", StatusPublished, future, now, StatusScheduled, future},
		{"published in the future, other zone", StatusPublished, futureBishkek, now, StatusScheduled, time.Date(2026, 11, 27, 8, 30, 1, 0, time.UTC)},
		{"published now", StatusPublished, now, now, StatusPublished, now},
		{"published in the past", StatusPublished, past, now, StatusPublished, past},
		{"published without a time", StatusPublished, time.Time{}, now, StatusPublished, now},
		{"scheduled in the past stays for the scheduler", StatusScheduled, past, now, StatusScheduled, past},
		{"scheduled in the future", StatusScheduled, future, now, StatusScheduled, future},
		{"draft with a future time", StatusDraft, future, now, StatusDraft, future},
		{"review with a future time", StatusReview, future, now, StatusReview, future},
		{"unpublished with a future time", StatusUnpublished, future, now, StatusUnpublished, future},
		{"no status", "", future, now, StatusDraft, future},
		{"no clock decides nothing", StatusPublished, future, time.Time{}, StatusPublished, future},
	}
	for _, tt := range tests {
		a := &Article{Lang: Kyrgyz, Title: "Макала", Section: Section{Slug: "news"}, Status: tt.status, PublishedAt: tt.published}
		a.Normalize(tt.now)
		if a.Status != tt.wantStatus || !a.PublishedAt.Equal(tt.wantTime) || a.PublishedAt.Location() != time.UTC {
			t.Errorf("%s: got %q at %v, want %q at %v (UTC)", tt.name, a.Status, a.PublishedAt, tt.wantStatus, tt.wantTime)
		}
		if err := a.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", tt.name, err)
		}
	}
}

// A scheduled article without a publication time would never go live.
func TestValidateScheduledNeedsTime(t *testing.T) {
	a := &Article{Lang: Kyrgyz, Title: "Макала", Section: Section{Slug: "news"}, Status: StatusScheduled}
	a.Normalize(time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC))
	wantInvalid(t, "scheduled without a time", a.Validate(), "published_at")
}

func TestStaleVersion(t *testing.T) {
	err := StaleVersion(7, 2, 3)
	if ErrorCode(err) != ECONFLICT || err.MessageKey != "err.conflict" || !IsStaleVersion(err) {
		t.Fatalf("StaleVersion = %#v", err)
	}
	if want := "jarchy: conflict: version: article 7 was saved by someone else since (this save is based on version 2, the stored one is 3): load it again"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if IsStaleVersion(Errorf(ECONFLICT, "external id taken")) || IsStaleVersion(nil) {
		t.Error("IsStaleVersion is true for another error")
	}
}
