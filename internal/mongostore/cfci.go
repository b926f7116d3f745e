package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// A municipality's stage history and profile are embedded in its document:
//
//	{_id: 20297, name: "Bacău", …, enrolled: true, stage: "memorandum_signed", stageSince: "2025-10-06",
//	 stageHistory: [{id, stage, date, recordedAt, recordedBy, recordedByEmail, note}, …],
//	 profile: {childPopulation: {under_10: 1200, …}, safeguardingLead: {name, phone, email},
//	           feedbackDeadlineDays: 60, updatedAt, updatedBy}}
//
// so that recording a stage ($push to the history with $set of the current stage, filtered on
// the stage the caller read) and updating a profile are single-document atomic updates. A
// municipality sees a few stage changes a year, so the array stays small.

// stageChangeDoc is one entry of stageHistory, in the order recorded.
type stageChangeDoc struct {
	ID              string    `bson:"id"`
	Stage           string    `bson:"stage"`
	Date            string    `bson:"date"` // YYYY-MM-DD
	RecordedAt      time.Time `bson:"recordedAt"`
	RecordedBy      string    `bson:"recordedBy"`
	RecordedByEmail string    `bson:"recordedByEmail"`
	Note            string    `bson:"note"`
}

type contactDoc struct {
	Name  string `bson:"name"`
	Phone string `bson:"phone"`
	Email string `bson:"email"`
}

type profileDoc struct {
	ChildPopulation      map[string]int `bson:"childPopulation,omitempty"`
	SafeguardingLead     *contactDoc    `bson:"safeguardingLead,omitempty"`
	FeedbackDeadlineDays int            `bson:"feedbackDeadlineDays,omitempty"`
	UpdatedAt            time.Time      `bson:"updatedAt"`
	UpdatedBy            string         `bson:"updatedBy"`
}

// municipalitySummary leaves the embedded history and profile out of what a lookup or a
// listing reads.
func municipalitySummary() bson.D {
	return bson.D{{Key: "stageHistory", Value: 0}, {Key: "profile", Value: 0}}
}

func notFound(siruta int) error {
	return voci.Errorf(voci.ENOTFOUND, "No municipality has the SIRUTA code %d.", siruta)
}

// stageIs matches a document whose current stage is s; a municipality never enrolled has no
// stage field.
func stageIs(s voci.Stage) any {
	if s == voci.StageNone {
		return bson.D{{Key: "$in", Value: bson.A{nil, ""}}}
	}
	return string(s)
}

// RecordStage pushes the change onto the history and sets the current stage and the enrolled
// flag in one update, filtered on the stage the caller read and on the ID not being in the
// history yet. When nothing matches it reads the document once to say why: ENOTFOUND for an
// unknown municipality, ECONFLICT otherwise.
func (s *Store) RecordStage(ctx context.Context, c *voci.StageChange, from voci.Stage, audit *voci.AuditEntry) error {
	op := fmt.Sprintf("record stage of municipality %d", c.Municipality)
	filter := bson.D{
		{Key: "_id", Value: c.Municipality},
		{Key: "stage", Value: stageIs(from)},
		{Key: "stageHistory.id", Value: bson.D{{Key: "$ne", Value: c.ID}}},
	}
	update := bson.D{
		{Key: "$push", Value: withPendingPush(bson.D{{Key: "stageHistory", Value: stageChangeDoc{
			ID: c.ID, Stage: string(c.Stage), Date: voci.FormatDate(c.Date), RecordedAt: c.RecordedAt.UTC(),
			RecordedBy: c.RecordedBy, RecordedByEmail: c.RecordedByEmail, Note: c.Note,
		}}}, audit)},
		{Key: "$set", Value: bson.D{
			{Key: "stage", Value: string(c.Stage)},
			{Key: "stageSince", Value: voci.FormatDate(c.Date)},
			{Key: "enrolled", Value: c.Stage != voci.StagePaused},
		}},
	}
	res, err := s.municipalities.UpdateOne(ctx, filter, update)
	if err != nil {
		return storeError(op, err)
	}
	if res.MatchedCount == 1 {
		if audit != nil {
			s.completeOne(ctx, s.municipalities, c.Municipality)
		}
		return nil
	}
	var d struct {
		Stage   string           `bson:"stage"`
		History []stageChangeDoc `bson:"stageHistory"`
	}
	err = s.municipalities.FindOne(ctx, bson.D{{Key: "_id", Value: c.Municipality}},
		options.FindOne().SetProjection(bson.D{{Key: "stage", Value: 1}, {Key: "stageHistory.id", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notFound(c.Municipality)
	}
	if err != nil {
		return storeError(op, err)
	}
	if slices.ContainsFunc(d.History, func(h stageChangeDoc) bool { return h.ID == c.ID }) {
		return voci.Errorf(voci.ECONFLICT, "A stage change with this identifier already exists.")
	}
	current := "not enrolled"
	if d.Stage != "" {
		current = d.Stage
	}
	return voci.Errorf(voci.ECONFLICT, "The stage of this municipality was changed meanwhile (it is now %s); reload and try again.", current)
}

// ListStageHistory returns the changes most recently recorded first; ENOTFOUND for an unknown
// municipality.
func (s *Store) ListStageHistory(ctx context.Context, siruta int) ([]voci.StageChange, error) {
	var d struct {
		History []stageChangeDoc `bson:"stageHistory"`
	}
	err := s.municipalities.FindOne(ctx, bson.D{{Key: "_id", Value: siruta}},
		options.FindOne().SetProjection(bson.D{{Key: "stageHistory", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound(siruta)
	}
	if err != nil {
		return nil, storeError(fmt.Sprintf("list stage history of municipality %d", siruta), err)
	}
	history := make([]voci.StageChange, 0, len(d.History))
	for i := len(d.History) - 1; i >= 0; i-- {
		h := d.History[i]
		date, err := time.Parse(time.DateOnly, h.Date)
		if err != nil {
			return nil, fmt.Errorf("stage history of municipality %d: stored date %q: %w", siruta, h.Date, err)
		}
		history = append(history, voci.StageChange{
			ID: h.ID, Municipality: siruta, Stage: voci.Stage(h.Stage), Date: date, RecordedAt: h.RecordedAt.UTC(),
			RecordedBy: h.RecordedBy, RecordedByEmail: h.RecordedByEmail, Note: h.Note,
		})
	}
	return history, nil
}

func (d *profileDoc) profile(siruta int) *voci.MunicipalityProfile {
	p := voci.NewMunicipalityProfile(siruta)
	if d == nil {
		return p
	}
	for band, n := range d.ChildPopulation {
		p.ChildPopulation[voci.AgeBand(band)] = n
	}
	if d.SafeguardingLead != nil {
		p.SafeguardingLead = voci.Contact{Name: d.SafeguardingLead.Name, Phone: d.SafeguardingLead.Phone, Email: d.SafeguardingLead.Email}
	}
	if d.FeedbackDeadlineDays != 0 {
		p.FeedbackDeadlineDays = d.FeedbackDeadlineDays
	}
	if !d.UpdatedAt.IsZero() {
		p.UpdatedAt = d.UpdatedAt.UTC()
	}
	p.UpdatedBy = d.UpdatedBy
	return p
}

// FindMunicipalityProfile returns the stored profile, or the defaults when none is stored;
// ENOTFOUND for an unknown municipality.
func (s *Store) FindMunicipalityProfile(ctx context.Context, siruta int) (*voci.MunicipalityProfile, error) {
	var d struct {
		Profile *profileDoc `bson:"profile"`
	}
	err := s.municipalities.FindOne(ctx, bson.D{{Key: "_id", Value: siruta}},
		options.FindOne().SetProjection(bson.D{{Key: "profile", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound(siruta)
	}
	if err != nil {
		return nil, storeError(fmt.Sprintf("find profile of municipality %d", siruta), err)
	}
	return d.Profile.profile(siruta), nil
}

// UpdateMunicipalityProfile sets and unsets only the fields the update names, in one
// findAndModify, so that two people changing different fields at once both keep their change.
func (s *Store) UpdateMunicipalityProfile(ctx context.Context, siruta int, u voci.ProfileUpdate) (*voci.MunicipalityProfile, error) {
	set := bson.D{
		{Key: "profile.updatedAt", Value: u.UpdatedAt.UTC()},
		{Key: "profile.updatedBy", Value: u.UpdatedBy},
	}
	unset := bson.D{}
	// Bands in a fixed order, so the update document does not depend on map order.
	for _, band := range voci.AgeBands {
		n, ok := u.ChildPopulation[band]
		switch {
		case !ok:
		case n == nil:
			unset = append(unset, bson.E{Key: "profile.childPopulation." + string(band), Value: ""})
		default:
			set = append(set, bson.E{Key: "profile.childPopulation." + string(band), Value: *n})
		}
	}
	if c := u.SafeguardingLead; c != nil {
		if *c == (voci.Contact{}) {
			unset = append(unset, bson.E{Key: "profile.safeguardingLead", Value: ""})
		} else {
			set = append(set, bson.E{Key: "profile.safeguardingLead", Value: contactDoc{Name: c.Name, Phone: c.Phone, Email: c.Email}})
		}
	}
	if d := u.FeedbackDeadlineDays; d != nil {
		set = append(set, bson.E{Key: "profile.feedbackDeadlineDays", Value: *d})
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	update = withPending(update, u.Audit)
	var d struct {
		Profile *profileDoc `bson:"profile"`
	}
	err := s.municipalities.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: siruta}}, update,
		// No projection: FerretDB v1 does not support one on findAndModify, and the document
		// is small. Decoding into d keeps only the profile.
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound(siruta)
	}
	if err != nil {
		return nil, storeError(fmt.Sprintf("update profile of municipality %d", siruta), err)
	}
	if u.Audit != nil {
		s.completeOne(ctx, s.municipalities, siruta)
	}
	return d.Profile.profile(siruta), nil
}
