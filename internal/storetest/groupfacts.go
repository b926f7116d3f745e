package storetest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testGroupFacts: a session's group facts round-trip, a second recording replaces the first
// (categories left out are gone), and a session with none answers ENOTFOUND.
func testGroupFacts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	_, err := s.FindGroupFacts(ctx, "live-g")
	wantCode(t, "nothing recorded", err, voci.ENOTFOUND)

	first := &voci.GroupFacts{SessionID: "live-g", ConsultationID: "cons-g", Municipality: 20297, Present: 24,
		Counts:      map[voci.GroupCategory]int{voci.GroupRoma: 6, voci.GroupDisability: 2, voci.GroupRural: 0},
		Adaptations: []voci.Adaptation{voci.AdaptEasyRead, voci.AdaptSharedDevices}, RecordedBy: "fac-1", RecordedAt: liveStart}
	if err := s.SetGroupFacts(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindGroupFacts(ctx, "live-g")
	if err != nil || got.ConsultationID != "cons-g" || got.Municipality != 20297 || got.Present != 24 ||
		!maps.Equal(got.Counts, first.Counts) || !slices.Equal(got.Adaptations, first.Adaptations) ||
		got.RecordedBy != "fac-1" || !got.RecordedAt.Equal(liveStart) {
		t.Fatalf("round trip %+v %v", got, err)
	}

	second := &voci.GroupFacts{SessionID: "live-g", ConsultationID: "cons-g", Municipality: 20297, Present: 25,
		Counts: map[voci.GroupCategory]int{voci.GroupRoma: 7}, RecordedBy: "fac-2", RecordedAt: liveStart.Add(time.Hour)}
	if err := s.SetGroupFacts(ctx, second, nil); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindGroupFacts(ctx, "live-g")
	if err != nil || got.Present != 25 || !maps.Equal(got.Counts, second.Counts) || len(got.Adaptations) != 0 ||
		got.RecordedBy != "fac-2" || !got.RecordedAt.Equal(liveStart.Add(time.Hour)) {
		t.Fatalf("replaced %+v %v", got, err)
	}
}
