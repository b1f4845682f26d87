package jarchy

import (
	"testing"
	"time"
)

// TestIsPublic checks IsPublic of articles and translations against fixed
// answers: only a published article whose publication time has come
// (equal to now included) is public.
func TestIsPublic(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC)
	before := time.Date(2026, 11, 27, 8, 29, 59, 999999000, time.UTC)
	after := time.Date(2026, 11, 27, 8, 30, 0, 1000, time.UTC)
	// The same instant as now in Bishkek time.
	equalBishkek := time.Date(2026, 11, 27, 14, 30, 0, 0, time.FixedZone("KGT", 6*3600))
	tests := []struct {
		status    Status
		published time.Time
		want      bool
	}{
		{StatusPublished, before, true},
		{StatusPublished, now, true},
		{StatusPublished, equalBishkek, true},
		{StatusPublished, after, false},
		{StatusPublished, time.Time{}, false},
		{StatusDraft, before, false},
		{StatusDraft, now, false},
		{StatusDraft, after, false},
		{StatusDraft, time.Time{}, false},
		{StatusReview, before, false},
		{StatusReview, now, false},
		{StatusScheduled, before, false},
		{StatusScheduled, now, false},
		{StatusScheduled, after, false},
		{StatusUnpublished, before, false},
		{StatusUnpublished, now, false},
		{StatusUnpublished, after, false},
		{"", before, false},
		{"PUBLISHED", before, false},
	}
	for _, tt := range tests {
		a := &Article{Status: tt.status, PublishedAt: tt.published}
		if got := a.IsPublic(now); got != tt.want {
			t.Errorf("Article{%q, %v}.IsPublic(%v) = %v, want %v", tt.status, tt.published, now, got, tt.want)
		}
		tr := Translation{Status: tt.status, PublishedAt: tt.published}
		if got := tr.IsPublic(now); got != tt.want {
			t.Errorf("Translation{%q, %v}.IsPublic(%v) = %v, want %v", tt.status, tt.published, now, got, tt.want)
		}
	}
}
