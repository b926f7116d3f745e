package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// PilotStage is the stage the pilot municipalities start at: they signed the memorandum of
// understanding with UNICEF before the platform existed.
const PilotStage = voci.StageMemorandumSigned

// pilotStageNote explains, in the history, where the first stage came from.
const pilotStageNote = "Pilot municipality of the Romanian Child Friendly Cities pilot; first stage recorded by the platform's seed data."

// stageStore is what EnsurePilotStages needs of a store.
type stageStore interface {
	voci.MunicipalityStore
	voci.CFCIStore
}

// EnsurePilotStages gives each pilot municipality that is enrolled but has no stage yet
// PilotStage, effective on the day it runs (in Romania). It never touches a stage that is set,
// so a pause or progress recorded later survives every re-seed, and when two processes run it
// at once the compare-and-set of RecordStage lets one of them record it. It returns how many
// stages it recorded.
func EnsurePilotStages(ctx context.Context, store stageStore, now time.Time, newID voci.IDSource) (int, error) {
	recorded := 0
	for _, p := range Pilots {
		m, err := store.FindMunicipalityBySIRUTA(ctx, p.SIRUTA)
		if err != nil {
			return recorded, fmt.Errorf("pilot stage %d: %w", p.SIRUTA, err)
		}
		if !m.Enrolled || m.Stage != voci.StageNone {
			continue
		}
		c := &voci.StageChange{
			ID: newID(), Municipality: p.SIRUTA, Stage: PilotStage, Date: voci.Today(now),
			RecordedAt: now.UTC(), Note: pilotStageNote,
		}
		if err := m.CheckEnrolment(c, now); err != nil {
			return recorded, fmt.Errorf("pilot stage %d: %w", p.SIRUTA, err)
		}
		switch err := store.RecordStage(ctx, c, voci.StageNone, nil); voci.ErrorCode(err) {
		case "":
			recorded++
		case voci.ECONFLICT: // another process recorded it first
		default:
			return recorded, fmt.Errorf("pilot stage %d: %w", p.SIRUTA, err)
		}
	}
	return recorded, nil
}
