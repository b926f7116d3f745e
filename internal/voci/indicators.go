package voci

import (
	"context"
	"slices"
	"time"
)

// Indicator keys: the names of the flat indicators map every national page, API and export
// uses. Activity counts are about what adults did and are live; children's figures come from
// the latest frozen release only (see releases.go).
const (
	IndSessionsLive                = "sessionsLive"
	IndSessionsSelfPaced           = "sessionsSelfPaced"
	IndPaperForms                  = "paperForms"
	IndConsultationsOpened         = "consultationsOpened"
	IndConsultationsClosed         = "consultationsClosed"
	IndConsultationsAnswered       = "consultationsAnswered"
	IndConsultationsAnsweredOnTime = "consultationsAnsweredOnTime"
	IndConsultationsOverdue        = "consultationsOverdue"
	IndMedianDaysToFeedback        = "medianDaysToFeedback"
	IndReceiptsOpenedAfterFeedback = "receiptsOpenedAfterFeedback"
	IndRecommendationsSent         = "recommendationsSent"
	IndRecommendationsAnswered     = "recommendationsAnswered"
	IndDecisionsLinked             = "decisionsLinked"
	IndDecisionsAdopted            = "decisionsAdopted"
	IndMeetingsHeld                = "meetingsHeld"
	IndMeetingAttendanceRate       = "meetingAttendanceRate"
	IndMotionsPassed               = "motionsPassed"

	IndChildrenReached = "childrenReached"
	IndChildrenUrban   = "childrenUrban"
	IndChildrenRural   = "childrenRural"
	// Prefixes: childrenByAge.<band>, childrenByGender.<gender>, groupFacts.<category>,
	// adaptations.<adaptation>, representativeness.<band>, representativenessWarning.<band>.
	IndChildrenByAge             = "childrenByAge."
	IndChildrenByGender          = "childrenByGender."
	IndGroupFacts                = "groupFacts."
	IndAdaptations               = "adaptations."
	IndRepresentativeness        = "representativeness."
	IndRepresentativenessWarning = "representativenessWarning."
)

// ActivityIndicators lists the activity counts in the order tables show them.
var ActivityIndicators = []string{
	IndSessionsLive, IndSessionsSelfPaced, IndPaperForms,
	IndConsultationsOpened, IndConsultationsClosed, IndConsultationsAnswered, IndConsultationsAnsweredOnTime,
	IndConsultationsOverdue, IndMedianDaysToFeedback, IndReceiptsOpenedAfterFeedback,
	IndRecommendationsSent, IndRecommendationsAnswered, IndDecisionsLinked, IndDecisionsAdopted,
	IndMeetingsHeld, IndMeetingAttendanceRate, IndMotionsPassed,
}

// notYetRecorded are the indicators whose records Voci does not keep yet: none now. The youth
// council's (meetings held, attendance, motions passed) are counted from the summary written
// when each meeting ends (MeetingFigures).
var notYetRecorded = map[string]bool{}

// IsNotYetRecorded reports whether an indicator's source does not exist yet.
func IsNotYetRecorded(key string) bool { return notYetRecorded[key] }

// ActivityCounts are one municipality's activity in a period: counts of what adults did,
// not about children, so they are shown as they are, live. Each is defined in its field's
// comment; the stores compute them all in grouped queries, never row by row.
type ActivityCounts struct {
	Municipality int
	// SessionsLive: live sessions started in the period.
	SessionsLive int
	// SessionsSelfPaced: consultations whose self-paced link took at least one child in the period.
	SessionsSelfPaced int
	// PaperForms: paper forms typed in during the period (one per form, however many answers).
	PaperForms int
	// ConsultationsOpened and ConsultationsClosed: consultations opened or closed in the period,
	// as the audit trail records the change of status.
	ConsultationsOpened int
	ConsultationsClosed int
	// ConsultationsAnswered: consultations whose first feedback to children was published in the
	// period; ConsultationsAnsweredOnTime: of those, the ones published on or before the day
	// the consultation promised an answer by (AnswerBy, as a UTC day).
	ConsultationsAnswered       int
	ConsultationsAnsweredOnTime int
	// ConsultationsOverdue: consultations (not drafts) whose answer-by day fell in the period
	// and is over (before the day of to), and passed without feedback published by then.
	ConsultationsOverdue int
	// MedianDaysToFeedback: among consultations answered in the period that were closed first,
	// the median number of days from closing to the first published feedback; nil if none.
	MedianDaysToFeedback *float64
	// ReceiptsOpenedAfterFeedback: receipt codes first opened, after feedback was published, on
	// a day of the period.
	ReceiptsOpenedAfterFeedback int
	// RecommendationsSent: recommendations made in the period. RecommendationsAnswered:
	// recommendations whose first feedback was published in the period.
	RecommendationsSent     int
	RecommendationsAnswered int
	// DecisionsLinked: council decisions published in the period that link to at least one
	// recommendation; DecisionsAdopted: of those, the ones whose status now is adopted (with
	// or without changes) or later along the way to implementation.
	DecisionsLinked  int
	DecisionsAdopted int
	// MeetingsHeld: youth-council meetings that ended in the period (see MeetingFigures);
	// MeetingMembersInOffice and MeetingMembersPresent add up, over them, the members in office
	// and those who checked in: the attendance rate is their ratio. MotionsPassed: motions
	// adopted in them.
	MeetingsHeld           int
	MeetingMembersInOffice int
	MeetingMembersPresent  int
	MotionsPassed          int
	// Adaptations counts live sessions started in the period whose group facts record each
	// adaptation.
	Adaptations map[Adaptation]int
}

// ChildCell is one finest cell of children reached: how many distinct children of one
// municipality, in one age band and of one gender ("" for either when not told), took part
// in the period. A child is one participant: someone who joined a live session, opened a
// self-paced link or filled in a paper form, and gave at least one answer in the period.
type ChildCell struct {
	Municipality int
	AgeBand      AgeBand
	Gender       Gender
	Children     int
}

// GroupFactTotals adds up, for one municipality, the group facts of the live sessions
// started in a period: how many children were present and, of them, in each category.
type GroupFactTotals struct {
	Municipality int
	Present      int
	Counts       map[GroupCategory]int
}

// ActivityFilter narrows the activity counts. The zero filter keeps every municipality; one
// municipality's page reads its own counts only, so its time does not grow with the country's.
type ActivityFilter struct {
	Municipality int // a SIRUTA code; 0: every municipality
}

// IndicatorStore reads what the indicators are computed from. Each method answers for every
// municipality at once with grouped queries in the store; [from, to) are instants.
type IndicatorStore interface {
	// ActivityCounts returns the activity of every municipality that f keeps and that has any
	// in [from, to), keyed by SIRUTA code. Callers pass to no later than now, so that
	// "overdue" counts only answer-by days that are over.
	ActivityCounts(ctx context.Context, from, to time.Time, f ActivityFilter) (map[int]*ActivityCounts, error)
	// ChildrenReached calls fn once per municipality with children reached in [from, to), in
	// increasing SIRUTA order, with that municipality's non-empty cells; an error from fn stops
	// the walk and is returned. Only the cells of one municipality are held at a time.
	ChildrenReached(ctx context.Context, from, to time.Time, fn func(siruta int, cells []ChildCell) error) error
	// GroupFactTotals returns the summed group facts of every municipality with any in [from, to).
	GroupFactTotals(ctx context.Context, from, to time.Time) (map[int]*GroupFactTotals, error)
	// ListChildPopulations returns every declared child population, keyed by SIRUTA code.
	ListChildPopulations(ctx context.Context) (map[int]map[AgeBand]int, error)
}

// Median returns the median of xs (the mean of the middle two when their number is even), and
// false when xs is empty. It sorts xs in place.
func Median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2], true
	}
	return (xs[n/2-1] + xs[n/2]) / 2, true
}

// councilCells adds the youth council's indicators to m: meetings held and motions passed as
// counts (0 when none), and the attendance rate, the share of the members in office who
// checked in over the meetings held, from 0 to 1, only when a meeting was held (no rate
// of nothing, like the median).
func councilCells(m map[string]ReportCell, a *ActivityCounts) {
	m[IndMeetingsHeld] = NumberCell(float64(a.MeetingsHeld))
	m[IndMotionsPassed] = NumberCell(float64(a.MotionsPassed))
	if a.MeetingsHeld > 0 && a.MeetingMembersInOffice > 0 {
		rate := float64(a.MeetingMembersPresent) / float64(a.MeetingMembersInOffice)
		m[IndMeetingAttendanceRate] = NumberCell(float64(int(rate*1000+0.5)) / 1000)
	}
}

// addCouncilActivity adds b's youth-council counts to a: the rate of a sum is the ratio of
// the summed members, so a county's is weighted by each council's size and meetings.
func addCouncilActivity(a, b *ActivityCounts) {
	a.MeetingsHeld += b.MeetingsHeld
	a.MeetingMembersInOffice += b.MeetingMembersInOffice
	a.MeetingMembersPresent += b.MeetingMembersPresent
	a.MotionsPassed += b.MotionsPassed
}
