package storeutil

import (
	"encoding/json"
	"fmt"

	"github.com/jarchy/jarchy"
)

// CorrectionsJSON is the stored form of an article's corrections: a JSON
// array ("[]" for none), times in RFC 3339 UTC.
func CorrectionsJSON(cs []jarchy.Correction) string {
	if len(cs) == 0 {
		return "[]"
	}
	b, err := json.Marshal(cs)
	if err != nil { // a Correction always marshals
		panic(fmt.Sprintf("storeutil: marshal corrections: %v", err))
	}
	return string(b)
}

// ParseCorrections reads what CorrectionsJSON wrote; nil for none.
func ParseCorrections(b []byte) ([]jarchy.Correction, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var cs []jarchy.Correction
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("stored corrections: %w", err)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	for i := range cs {
		cs[i].At = cs[i].At.UTC()
	}
	return cs, nil
}
