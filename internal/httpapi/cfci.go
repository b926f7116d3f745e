package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/strictjson"
	"github.com/voci-platform/voci/internal/voci"
)

// sirutaParam reads the route's :siruta.
func sirutaParam(c *fiber.Ctx) (int, error) {
	siruta, err := strconv.Atoi(c.Params("siruta"))
	if err != nil || siruta <= 0 {
		return 0, voci.InvalidParam("siruta", "A SIRUTA code is a positive whole number.")
	}
	return siruta, nil
}

type accountRefJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// stageChangeJSON is one entry of a municipality's stage history.
type stageChangeJSON struct {
	ID         string    `json:"id"`
	Stage      string    `json:"stage"`
	Date       string    `json:"date"` // YYYY-MM-DD, the day the stage took effect
	Note       string    `json:"note"`
	RecordedAt time.Time `json:"recordedAt"`
	// RecordedBy is null when the platform recorded the change (the pilots' first stage).
	RecordedBy *accountRefJSON `json:"recordedBy"`
}

func toStageChangeJSON(c *voci.StageChange) stageChangeJSON {
	j := stageChangeJSON{ID: c.ID, Stage: string(c.Stage), Date: voci.FormatDate(c.Date), Note: c.Note, RecordedAt: c.RecordedAt.UTC()}
	if c.RecordedBy != "" {
		j.RecordedBy = &accountRefJSON{ID: c.RecordedBy, Email: c.RecordedByEmail}
	}
	return j
}

func stageNames(stages []voci.Stage) []string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = string(s)
	}
	return names
}

// handleRecordStage enrols a municipality (enrol) or records its next stage. The domain
// decides whether the change makes sense for the municipality as read; the store applies it
// only if nobody changed the stage since.
func (s *Server) handleRecordStage(enrol bool) fiber.Handler {
	type request struct {
		Stage string `json:"stage" validate:"required"`
		Date  string `json:"date" validate:"required"`
		Note  string `json:"note"`
	}
	type response struct {
		Municipality municipalityJSON `json:"municipality"`
		Change       stageChangeJSON  `json:"change"`
	}
	return func(c *fiber.Ctx) error {
		siruta, err := sirutaParam(c)
		if err != nil {
			return err
		}
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		date, err := voci.ParseDate("date", req.Date)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		m, err := s.Store.FindMunicipalityBySIRUTA(ctx, siruta)
		if err != nil {
			return err
		}
		p := principalOf(c)
		now := s.Clock()
		change := &voci.StageChange{
			ID: voci.RandomID(), Municipality: siruta, Stage: voci.Stage(req.Stage), Date: date, RecordedAt: now.UTC(),
			RecordedBy: p.account.ID, RecordedByEmail: p.account.Email, Note: req.Note,
		}
		action := "municipality.stage"
		if enrol {
			action = "municipality.enrol"
			err = m.CheckEnrolment(change, now)
		} else {
			err = m.CheckStageChange(change, now)
		}
		if err != nil {
			return err
		}
		was := "not enrolled"
		if m.Stage != voci.StageNone {
			was = string(m.Stage)
		}
		audit := s.entryOf(c, p.account, auditEvent{
			Municipality: siruta, Action: action, ObjectType: "municipality", ObjectID: strconv.Itoa(siruta),
			Detail: fmt.Sprintf("%s: stage %s from %s (was %s)", m.Name, change.Stage, voci.FormatDate(change.Date), was),
		})
		if err := s.Store.RecordStage(ctx, change, m.Stage, audit); err != nil {
			return err
		}
		m.Stage, m.StageSince, m.Enrolled = change.Stage, change.Date, change.Stage != voci.StagePaused
		return c.Status(fiber.StatusCreated).JSON(response{Municipality: toMunicipalityJSON(m), Change: toStageChangeJSON(change)})
	}
}

func (s *Server) handleStageHistory() fiber.Handler {
	type response struct {
		SIRUTA     int               `json:"siruta"`
		Enrolled   bool              `json:"enrolled"`
		Stage      *string           `json:"stage"`
		StageSince *string           `json:"stageSince"`
		NextStages []string          `json:"nextStages"` // what may be recorded now
		Items      []stageChangeJSON `json:"items"`      // most recently recorded first
	}
	return func(c *fiber.Ctx) error {
		siruta, err := sirutaParam(c)
		if err != nil {
			return err
		}
		m, err := s.Store.FindMunicipalityBySIRUTA(c.UserContext(), siruta)
		if err != nil {
			return err
		}
		history, err := s.Store.ListStageHistory(c.UserContext(), siruta)
		if err != nil {
			return err
		}
		mj := toMunicipalityJSON(m)
		resp := response{SIRUTA: siruta, Enrolled: m.Enrolled, Stage: mj.Stage, StageSince: mj.StageSince,
			NextStages: stageNames(m.NextStages()), Items: make([]stageChangeJSON, len(history))}
		for i := range history {
			resp.Items[i] = toStageChangeJSON(&history[i])
		}
		return c.JSON(resp)
	}
}

type contactJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// profileJSON is a municipality's profile. Every age band is present, null when not known.
type profileJSON struct {
	SIRUTA               int             `json:"siruta"`
	AgeBands             []string        `json:"ageBands"` // the bands, youngest first
	ChildPopulation      map[string]*int `json:"childPopulation"`
	SafeguardingLead     *contactJSON    `json:"safeguardingLead"` // null when none is given
	FeedbackDeadlineDays int             `json:"feedbackDeadlineDays"`
	UpdatedAt            *time.Time      `json:"updatedAt"` // null while nothing was recorded
}

func toProfileJSON(p *voci.MunicipalityProfile) profileJSON {
	j := profileJSON{SIRUTA: p.Municipality, ChildPopulation: map[string]*int{}, FeedbackDeadlineDays: p.FeedbackDeadlineDays}
	for _, b := range voci.AgeBands {
		j.AgeBands = append(j.AgeBands, string(b))
		if n, ok := p.ChildPopulation[b]; ok {
			j.ChildPopulation[string(b)] = &n
		} else {
			j.ChildPopulation[string(b)] = nil
		}
	}
	if p.SafeguardingLead != (voci.Contact{}) {
		j.SafeguardingLead = &contactJSON{Name: p.SafeguardingLead.Name, Phone: p.SafeguardingLead.Phone, Email: p.SafeguardingLead.Email}
	}
	if !p.UpdatedAt.IsZero() {
		at := p.UpdatedAt.UTC()
		j.UpdatedAt = &at
	}
	return j
}

func (s *Server) handleGetProfile() fiber.Handler {
	return func(c *fiber.Ctx) error {
		siruta, err := sirutaParam(c)
		if err != nil {
			return err
		}
		p, err := s.Store.FindMunicipalityProfile(c.UserContext(), siruta)
		if err != nil {
			return err
		}
		return c.JSON(toProfileJSON(p))
	}
}

// handleUpdateProfile changes the fields of a profile that the request names. The
// municipality's identity, name and enrolment are not fields here, so a request that sends
// them is refused as naming an unknown field rather than silently ignored.
func (s *Server) handleUpdateProfile() fiber.Handler {
	type request struct {
		// ChildPopulation sets the bands it names; null for a band makes it unknown again.
		ChildPopulation map[string]*int `json:"childPopulation"`
		// SafeguardingLead replaces the contact; null removes it.
		SafeguardingLead     json.RawMessage `json:"safeguardingLead"`
		FeedbackDeadlineDays *int            `json:"feedbackDeadlineDays"`
	}
	return func(c *fiber.Ctx) error {
		siruta, err := sirutaParam(c)
		if err != nil {
			return err
		}
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p := principalOf(c)
		upd := voci.ProfileUpdate{FeedbackDeadlineDays: req.FeedbackDeadlineDays, UpdatedAt: s.Clock().UTC(), UpdatedBy: p.account.ID}
		var changed []string
		if len(req.ChildPopulation) > 0 {
			upd.ChildPopulation = make(map[voci.AgeBand]*int, len(req.ChildPopulation))
			for band, n := range req.ChildPopulation {
				upd.ChildPopulation[voci.AgeBand(band)] = n
			}
			changed = append(changed, "childPopulation")
		}
		if len(req.SafeguardingLead) > 0 {
			lead, err := decodeContact(req.SafeguardingLead)
			if err != nil {
				return err
			}
			upd.SafeguardingLead = &lead
			changed = append(changed, "safeguardingLead")
		}
		if upd.FeedbackDeadlineDays != nil {
			changed = append(changed, "feedbackDeadlineDays")
		}
		if err := upd.Validate(); err != nil {
			return err
		}
		// The detail names the fields, never their values: the lead's contact is personal data.
		upd.Audit = s.entryOf(c, p.account, auditEvent{
			Municipality: siruta, Action: "municipality.profile_update", ObjectType: "municipality", ObjectID: strconv.Itoa(siruta),
			Detail: "Changed " + strings.Join(changed, ", "),
		})
		profile, err := s.Store.UpdateMunicipalityProfile(c.UserContext(), siruta, upd)
		if err != nil {
			return err
		}
		return c.JSON(toProfileJSON(profile))
	}
}

// decodeContact reads the safeguarding lead's contact: null is "no contact", an object must
// hold only name, phone and email, as strings.
func decodeContact(raw json.RawMessage) (voci.Contact, error) {
	if string(bytes.TrimSpace(raw)) == "null" {
		return voci.Contact{}, nil
	}
	var cj contactJSON
	if err := strictjson.Decode(raw, &cj); err != nil {
		e, ok := errors.AsType[*voci.Error](bodyError(err))
		if ok && e.Param != "" {
			e.Param = "safeguardingLead." + e.Param
		} else if ok && !errors.Is(err, strictjson.ErrEmpty) {
			e.Param = "safeguardingLead"
			e.Message = `The field "safeguardingLead" must be an object with name, phone and email, or null.`
		}
		return voci.Contact{}, e
	}
	return voci.Contact{Name: cj.Name, Phone: cj.Phone, Email: cj.Email}, nil
}
