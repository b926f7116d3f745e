package voci

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Romania's zone must be known even in a static binary on a bare image
	"unicode"
)

// Stage is where a municipality stands in the Child Friendly Cities Initiative. The empty
// Stage means the municipality has never been enrolled.
type Stage string

const (
	StageInterested        Stage = "interested"
	StageMemorandumSigned  Stage = "memorandum_signed"
	StageSituationAnalysis Stage = "situation_analysis"
	StageActionPlanAdopted Stage = "action_plan_adopted"
	StageImplementation    Stage = "implementation"
	StageEvaluation        Stage = "evaluation"
	StageRecognised        Stage = "recognised"
	StagePaused            Stage = "paused"
	StageNone              Stage = "" // never enrolled
)

const (
	// MaxStageNoteChars bounds the note on a stage change.
	MaxStageNoteChars = 1000
	// earliestStageDate is when the initiative began; no stage can be older.
	earliestStageDate = "1996-01-01"
)

// Stages lists every stage in the order of the initiative's cycle, paused last.
var Stages = []Stage{
	StageInterested, StageMemorandumSigned, StageSituationAnalysis, StageActionPlanAdopted,
	StageImplementation, StageEvaluation, StageRecognised, StagePaused,
}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool {
	for _, k := range Stages {
		if s == k {
			return true
		}
	}
	return false
}

// nextStages says where a municipality may go from each active stage, besides pausing. The
// cycle moves one step at a time, so the history records every step with its date; an
// evaluation may send a municipality back to implementation, and recognition is for one cycle,
// after which a new situation analysis starts the next.
var nextStages = map[Stage][]Stage{
	StageInterested:        {StageMemorandumSigned},
	StageMemorandumSigned:  {StageSituationAnalysis},
	StageSituationAnalysis: {StageActionPlanAdopted},
	StageActionPlanAdopted: {StageImplementation},
	StageImplementation:    {StageEvaluation},
	StageEvaluation:        {StageRecognised, StageImplementation},
	StageRecognised:        {StageSituationAnalysis},
}

// romania is the zone of the calendar days people record: "today" is Romania's today.
var romania = mustLoadLocation("Europe/Bucharest")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded, so this cannot happen
	}
	return loc
}

// ParseDate reads a calendar day written YYYY-MM-DD. It returns midnight UTC of that day, so
// that a day compares and stores the same everywhere, or EINVALID naming param.
func ParseDate(param, s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, InvalidParam(param, "Write the date as YYYY-MM-DD, for example 2025-10-06.")
	}
	return d, nil
}

// FormatDate writes a calendar day as YYYY-MM-DD.
func FormatDate(d time.Time) string { return d.Format(time.DateOnly) }

// Today is the calendar day it is in Romania at now, as midnight UTC (see ParseDate).
func Today(now time.Time) time.Time {
	y, m, d := now.In(romania).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StartOfDay is the instant the calendar day d (midnight UTC, see ParseDate) begins in Romania.
func StartOfDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, romania).UTC()
}

// StageChange is one entry of a municipality's CFCI history. Entries are only ever appended.
type StageChange struct {
	ID           string
	Municipality int // SIRUTA code
	Stage        Stage
	// Date is the calendar day the stage took effect (midnight UTC): the day the memorandum
	// was signed or the action plan adopted, which may be before the day it was recorded.
	Date       time.Time
	RecordedAt time.Time
	// RecordedBy is the account that recorded the change, "" when the platform did (the pilots'
	// first stage, set by the seeds). RecordedByEmail is kept as it was then.
	RecordedBy      string
	RecordedByEmail string
	Note            string
}

// validate checks what a change must satisfy on its own: a known stage, a date between the
// initiative's start and today in Romania, a note of at most 1000 characters without control
// characters (line breaks and tabs are allowed).
func (c *StageChange) validate(now time.Time) error {
	if !c.Stage.Valid() {
		return InvalidParam("stage", "Unknown stage %q. The stages are: %s.", c.Stage, stageList())
	}
	earliest, _ := time.Parse(time.DateOnly, earliestStageDate)
	switch {
	case c.Date.IsZero():
		return InvalidParam("date", "Give the date the stage took effect.")
	case c.Date.After(Today(now)):
		return InvalidParam("date", "The date %s is in the future; record a stage once it has taken effect.", FormatDate(c.Date))
	case c.Date.Before(earliest):
		return InvalidParam("date", "The date %s is before the initiative began (%s).", FormatDate(c.Date), earliestStageDate)
	}
	c.Note = strings.TrimSpace(strings.ReplaceAll(c.Note, "\r\n", "\n"))
	n := 0
	for _, r := range c.Note {
		if r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return InvalidParam("note", "The note contains characters that are not allowed.")
		}
		n++
	}
	if n > MaxStageNoteChars {
		return InvalidParam("note", "The note may have at most %d characters; it has %d.", MaxStageNoteChars, n)
	}
	if c.Municipality <= 0 {
		return InvalidParam("siruta", "A SIRUTA code is a positive whole number.")
	}
	return nil
}

func stageList() string {
	names := make([]string, len(Stages))
	for i, s := range Stages {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// CheckEnrolment decides whether m may be enrolled with c as its first stage (or, when m was
// paused, enrolled again). It returns EINVALID naming the field at fault, and ECONFLICT when m
// takes part in the initiative already.
func (m *Municipality) CheckEnrolment(c *StageChange, now time.Time) error {
	if err := c.validate(now); err != nil {
		return err
	}
	if m.Stage != StageNone && m.Stage != StagePaused {
		return Errorf(ECONFLICT, "%s is enrolled already (stage %s); record a stage change instead.", m.Name, m.Stage)
	}
	if c.Stage == StagePaused {
		return InvalidParam("stage", "A municipality cannot be enrolled as paused; choose the stage it is at.")
	}
	return m.checkChronology(c)
}

// CheckStageChange decides whether m, enrolled, may move to c's stage: one step along the
// cycle (see nextStages), a pause from any stage, or a return from a pause to any stage. Any
// other move (a skipped step, a step back) is recorded only with a note that gives the reason,
// so that the history explains it; without one it returns EOUTOFORDER naming the note. It
// returns EINVALID naming the field at fault, and ECONFLICT when m has never been enrolled.
func (m *Municipality) CheckStageChange(c *StageChange, now time.Time) error {
	if err := c.validate(now); err != nil {
		return err
	}
	if m.Stage == StageNone {
		return Errorf(ECONFLICT, "%s has not been enrolled; enrol it first.", m.Name)
	}
	if c.Stage == m.Stage {
		return InvalidParam("stage", "%s is at the stage %s already.", m.Name, m.Stage)
	}
	allowed := m.NextStages()
	if !slices.Contains(allowed, c.Stage) && c.Note == "" {
		names := make([]string, len(allowed))
		for i, s := range allowed {
			names[i] = string(s)
		}
		return &Error{Code: EOUTOFORDER, Param: "note", Message: fmt.Sprintf(
			"From %s the cycle goes on to: %s. To record %s out of order, give the reason in the note.", m.Stage, strings.Join(names, ", "), c.Stage)}
	}
	return m.checkChronology(c)
}

// EOUTOFORDER answers a stage change that leaves the cycle's order (skips a step or goes back)
// without a note giving the reason.
const EOUTOFORDER = "stage_out_of_order"

// NextStages lists the stages m may be given now: any active stage when it is not enrolled
// (never, or paused), otherwise the next steps of the cycle and paused.
func (m *Municipality) NextStages() []Stage {
	if m.Stage == StageNone || m.Stage == StagePaused {
		return slices.DeleteFunc(slices.Clone(Stages), func(s Stage) bool { return s == StagePaused })
	}
	return append(slices.Clone(nextStages[m.Stage]), StagePaused)
}

// checkChronology keeps the history in date order: no stage takes effect before the current one.
func (m *Municipality) checkChronology(c *StageChange) error {
	if m.Stage != StageNone && !m.StageSince.IsZero() && c.Date.Before(m.StageSince) {
		return InvalidParam("date", "The date may not be before %s, when the current stage (%s) took effect.", FormatDate(m.StageSince), m.Stage)
	}
	return nil
}

// Bounds of a municipality's profile.
const (
	// MaxChildrenPerBand is far above any Romanian municipality (Bucharest has under 200,000
	// children in any band), so only a typing mistake reaches it.
	MaxChildrenPerBand          = 1_000_000
	MinFeedbackDeadlineDays     = 7
	MaxFeedbackDeadlineDays     = 180
	DefaultFeedbackDeadlineDays = 84
)

// Contact is an adult's professional contact. The zero Contact means "none given".
type Contact struct {
	Name  string
	Phone string
	Email string
}

// MunicipalityProfile is what a municipality's coordinator keeps about it for the initiative.
type MunicipalityProfile struct {
	Municipality int
	// ChildPopulation holds the number of children per age band; a band that is absent is
	// not known.
	ChildPopulation map[AgeBand]int
	// SafeguardingLead is whom to call about a child's safety; zero when not given.
	SafeguardingLead Contact
	// FeedbackDeadlineDays is how many days after a consultation closes its audience must
	// answer the children: a new consultation is offered that date as its AnswerBy (see
	// OfferAnswerBy). 84 (12 weeks) unless the municipality chooses otherwise.
	FeedbackDeadlineDays int
	UpdatedAt            time.Time // zero while nothing was ever recorded
	UpdatedBy            string    // account ID
}

// NewMunicipalityProfile is the profile of a municipality about which nothing is recorded yet.
func NewMunicipalityProfile(siruta int) *MunicipalityProfile {
	return &MunicipalityProfile{Municipality: siruta, ChildPopulation: map[AgeBand]int{}, FeedbackDeadlineDays: DefaultFeedbackDeadlineDays}
}

// ProfileUpdate holds the changes to a profile; nil means "leave as it is".
type ProfileUpdate struct {
	// ChildPopulation sets the bands it names; a nil count makes that band unknown again.
	ChildPopulation map[AgeBand]*int
	// SafeguardingLead replaces the contact; a pointer to the zero Contact removes it.
	SafeguardingLead     *Contact
	FeedbackDeadlineDays *int
	UpdatedAt            time.Time
	UpdatedBy            string
	// Audit, when not nil, is the change's audit entry, written with it (see AuditStore).
	Audit *AuditEntry
}

// Empty reports whether the update changes nothing.
func (u *ProfileUpdate) Empty() bool {
	return len(u.ChildPopulation) == 0 && u.SafeguardingLead == nil && u.FeedbackDeadlineDays == nil
}

// Validate checks and normalizes the update: known age bands with whole counts from 0 to
// MaxChildrenPerBand; a contact with a name of 1–100 characters and a valid phone number or
// email address (or both), or no contact at all; a feedback deadline of 7–180 days. It
// returns EINVALID naming the field at fault (for example "childPopulation.under_10" or
// "safeguardingLead.phone").
func (u *ProfileUpdate) Validate() error {
	if u.Empty() {
		return InvalidParam("", "Send at least one of childPopulation, safeguardingLead, feedbackDeadlineDays.")
	}
	for band, n := range u.ChildPopulation {
		param := "childPopulation." + string(band)
		if !band.Valid() {
			return InvalidParam(param, "Unknown age band %q. The bands are: %s.", band, bandList())
		}
		if n != nil && (*n < 0 || *n > MaxChildrenPerBand) {
			return InvalidParam(param, "The number of children must be a whole number from 0 to %d.", MaxChildrenPerBand)
		}
	}
	if c := u.SafeguardingLead; c != nil {
		c.Name, c.Phone, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
		if *c != (Contact{}) {
			if err := ValidateText("safeguardingLead.name", c.Name, 1, 100); err != nil {
				return err
			}
			if c.Phone == "" && c.Email == "" {
				return InvalidParam("safeguardingLead.phone", "Give a phone number or an email address (or both) for the safeguarding lead.")
			}
			if c.Phone != "" {
				phone, err := NormalizePhone("safeguardingLead.phone", c.Phone)
				if err != nil {
					return err
				}
				c.Phone = phone
			}
			if c.Email != "" {
				email, err := NormalizeEmail(c.Email)
				if err != nil {
					return InvalidParam("safeguardingLead.email", "%s", ErrorMessage(err))
				}
				c.Email = email
			}
		}
	}
	if d := u.FeedbackDeadlineDays; d != nil && (*d < MinFeedbackDeadlineDays || *d > MaxFeedbackDeadlineDays) {
		return InvalidParam("feedbackDeadlineDays", "The feedback deadline must be from %d to %d days.", MinFeedbackDeadlineDays, MaxFeedbackDeadlineDays)
	}
	return nil
}

// Apply makes the update's changes to p. Stores that cannot update fields in place use it, so
// that both stores agree on what an update means.
func (u *ProfileUpdate) Apply(p *MunicipalityProfile) {
	if p.ChildPopulation == nil {
		p.ChildPopulation = map[AgeBand]int{}
	}
	for band, n := range u.ChildPopulation {
		if n == nil {
			delete(p.ChildPopulation, band)
		} else {
			p.ChildPopulation[band] = *n
		}
	}
	if u.SafeguardingLead != nil {
		p.SafeguardingLead = *u.SafeguardingLead
	}
	if u.FeedbackDeadlineDays != nil {
		p.FeedbackDeadlineDays = *u.FeedbackDeadlineDays
	}
	p.UpdatedAt, p.UpdatedBy = u.UpdatedAt, u.UpdatedBy
}

func bandList() string {
	names := make([]string, len(AgeBands))
	for i, b := range AgeBands {
		names[i] = string(b)
	}
	return strings.Join(names, ", ")
}

// NormalizePhone accepts a phone number as people write it (digits, spaces, dots, dashes,
// brackets and a leading +) with 6 to 15 digits, the most E.164 allows, and returns it with
// its spacing tidied. It returns EINVALID naming param otherwise.
func NormalizePhone(param, s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/':
		default:
			return "", InvalidParam(param, "A phone number may hold only digits, spaces, dots, dashes, brackets and a leading +.")
		}
	}
	if digits < 6 || digits > 15 || len(s) > 30 {
		return "", InvalidParam(param, "A phone number has from 6 to 15 digits.")
	}
	return s, nil
}

// CFCIStore keeps each municipality's place in the initiative and its profile.
type CFCIStore interface {
	// RecordStage appends c to the history of c.Municipality and makes it the current stage
	// (with Enrolled true unless the stage is paused), in one atomic step, provided the current
	// stage is still from. Callers check the change first (CheckEnrolment, CheckStageChange)
	// against the municipality as they read it, and pass the stage they read as from, so that
	// of two people recording a stage at once one wins and the other gets ECONFLICT. It returns
	// ENOTFOUND for an unknown municipality and ECONFLICT when the ID is taken.
	RecordStage(ctx context.Context, c *StageChange, from Stage, audit *AuditEntry) error

	// ListStageHistory returns a municipality's stage changes, most recently recorded first;
	// ENOTFOUND for an unknown municipality.
	ListStageHistory(ctx context.Context, siruta int) ([]StageChange, error)

	// FindMunicipalityProfile returns the profile, or NewMunicipalityProfile's defaults when
	// nothing was recorded; ENOTFOUND for an unknown municipality.
	FindMunicipalityProfile(ctx context.Context, siruta int) (*MunicipalityProfile, error)

	// UpdateMunicipalityProfile applies a validated update atomically and returns the profile
	// as it then is; ENOTFOUND for an unknown municipality.
	UpdateMunicipalityProfile(ctx context.Context, siruta int, u ProfileUpdate) (*MunicipalityProfile, error)
}
