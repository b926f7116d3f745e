package voci

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A motion the youth council passed goes to the local council as a recommendation
// (SourceCouncilMotion). From there it takes the path of a consultation's recommendations:
// council decisions link to it, and feedback to the children is written, reviewed by a second
// adult and published. The council's answer comes back to the youth council's page and to the
// members' phones.
//
// What the recommendation says is read from the meeting's stored log, never typed: the
// motion's title and wording, and that it was adopted (or referred to the local council). The
// recommendation's ID is derived from the meeting and the motion's number, so that the same
// motion sent twice, even by two people at the same instant, is one recommendation: the
// store's primary key refuses the second write.

// EMOTIONNOTPASSED: only a motion the council adopted, or referred to the local council, is
// sent to the local council.
const EMOTIONNOTPASSED = "motion_not_passed"

// MotionRecommendationTextChars bounds the wording a recommendation carries. A motion may be
// longer (MaxMotionTextChars); the rest is cut with an ellipsis, and the full wording stays in
// the meeting's minutes, which the local council receives too.
const MotionRecommendationTextChars = 4000

// MotionSourceRef is the stable reference of a motion: the meeting it was decided in and its
// number ("<meeting>/M-2026-3"). Motion numbers are unique in a council and a meeting
// belongs to one council, so the pair names one motion wherever it is read.
func MotionSourceRef(meetingID, number string) string { return meetingID + "/" + number }

// ParseMotionSourceRef splits a reference made by MotionSourceRef.
func ParseMotionSourceRef(ref string) (meetingID, number string, ok bool) {
	i := strings.LastIndex(ref, "/")
	if i <= 0 || i == len(ref)-1 {
		return "", "", false
	}
	return ref[:i], ref[i+1:], true
}

// MotionRecommendationID is the ID of the recommendation made from a motion: 128 bits of a
// hash of its reference, written as RandomID writes, so it reads like any other ID.
func MotionRecommendationID(meetingID, number string) string {
	sum := sha256.Sum256([]byte(string(SourceCouncilMotion) + "\x00" + MotionSourceRef(meetingID, number)))
	return strings.ToLower(idEncoding.EncodeToString(sum[:16]))
}

// MotionSender is who sends a motion: the coordinator or the admin (AccountID), or the
// council's president from their phone (Member). The president speaks for the council, as
// when they draft its agenda (AgendaActor); another member may not.
type MotionSender struct {
	AccountID string
	Member    *CouncilMember
}

func (s MotionSender) allowed() error {
	if s.Member == nil {
		if s.AccountID == "" {
			return Errorf(EFORBIDDEN, "Sign in to send a motion to the local council.")
		}
		return nil
	}
	if ok, _ := s.Member.CanTakePart(); !ok || s.Member.Office != CouncilRolePresident {
		return Errorf(EFORBIDDEN, "Only the council's president, or the coordinator, sends a motion to the local council.")
	}
	return nil
}

// MaySend reports whether the sender may send the council's motions.
func (s MotionSender) MaySend() bool { return s.allowed() == nil }

func (s MotionSender) id() string {
	if s.Member != nil {
		return "council_member:" + s.Member.ID
	}
	return s.AccountID
}

// CouncilRecommendationStore is what sending motions reads and writes.
type CouncilRecommendationStore interface {
	CouncilMeetingStore
	MeetingRoomStore
	RecommendationStore
	FeedbackStore
	MunicipalityStore
}

// CouncilRecommendations holds the rules of sending passed motions to the local council and
// of reading its answer back.
type CouncilRecommendations struct {
	Store CouncilRecommendationStore
	Clock Clock
	// Decisions reads the published decisions that answer the municipality's recommendations;
	// nil reads none.
	Decisions interface {
		LinkedDecisionsIn(ctx context.Context, municipality int) (map[string][]LinkedDecision, error)
	}
}

func (s *CouncilRecommendations) now() time.Time {
	if s.Clock == nil {
		return time.Now().UTC()
	}
	return s.Clock().UTC()
}

// PassedMotion is a motion as the meeting's log holds it once decided: adopted by a vote (with
// that vote's counts) or referred to the local council.
type PassedMotion struct {
	MeetingID    string
	MeetingTitle string
	MeetingDate  time.Time
	Motion       Motion
	// Result is the vote that adopted it; nil for a motion referred without a vote.
	Result *VoteResult
}

// passedMotions replays the meeting's stored log and returns its motions (not amendments)
// that were adopted or referred in it.
func (s *CouncilRecommendations) passedMotions(ctx context.Context, cm *CouncilMeeting) ([]PassedMotion, error) {
	log, ballots, err := s.Store.LoadMeetingLog(ctx, cm.ID)
	if err != nil || len(log) == 0 {
		return nil, err
	}
	m, err := ReplayMeeting(log, ballots)
	if err != nil {
		return nil, err
	}
	var out []PassedMotion
	for _, mo := range m.Motions() {
		if mo.Amends != "" || (mo.State != MotionAdopted && mo.State != MotionReferred) {
			continue
		}
		out = append(out, PassedMotion{MeetingID: cm.ID, MeetingTitle: cm.Title, MeetingDate: cm.StartsAt, Motion: mo, Result: mo.Result})
	}
	return out, nil
}

// meetingOf returns the council's meeting id; ENOTFOUND for another council's.
func (s *CouncilRecommendations) meetingOf(ctx context.Context, c *YouthCouncil, id string) (*CouncilMeeting, error) {
	cm, err := s.Store.FindCouncilMeeting(ctx, id)
	if err == nil && (cm.CouncilID != c.ID || cm.Municipality != c.Municipality) {
		err = Errorf(ENOTFOUND, "This council has no such meeting.")
	}
	return cm, err
}

// SendMotion sends motion number of the council's meeting to the local council as a
// recommendation, and returns it with created false when it had been sent already (the same
// motion is one recommendation, however often and by however many it is sent). ENOTFOUND
// for a meeting of another council or a motion the meeting does not hold; EMOTIONNOTPASSED
// for a motion not adopted nor referred (yet); EFORBIDDEN for a sender who may not send.
func (s *CouncilRecommendations) SendMotion(ctx context.Context, c *YouthCouncil, meetingID, number string, by MotionSender, audit *AuditEntry) (*Recommendation, bool, error) {
	if err := by.allowed(); err != nil {
		return nil, false, err
	}
	cm, err := s.meetingOf(ctx, c, meetingID)
	if err != nil {
		return nil, false, err
	}
	id := MotionRecommendationID(cm.ID, number)
	if r, err := s.Store.FindRecommendation(ctx, id); err == nil {
		return r, false, nil
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, false, err
	}
	log, ballots, err := s.Store.LoadMeetingLog(ctx, cm.ID)
	if err != nil {
		return nil, false, err
	}
	if len(log) == 0 {
		return nil, false, Errorf(ENOTFOUND, "This meeting has no motion %s: it was not held in Voci's meeting room.", number)
	}
	m, err := ReplayMeeting(log, ballots)
	if err != nil {
		return nil, false, err
	}
	i := slices.IndexFunc(m.Motions(), func(mo Motion) bool { return mo.Number == number })
	if i < 0 {
		return nil, false, Errorf(ENOTFOUND, "This meeting has no motion %s.", number)
	}
	mo := m.Motions()[i]
	switch {
	case mo.Amends != "":
		return nil, false, Errorf(EMOTIONNOTPASSED, "%s is an amendment: send the motion it amends, which carries its wording once adopted.", number)
	case mo.State != MotionAdopted && mo.State != MotionReferred:
		return nil, false, Errorf(EMOTIONNOTPASSED, "Motion %s was not adopted by the council (it is %s), so it is not sent to the local council.", number, mo.State)
	}
	mun, err := s.Store.FindMunicipalityBySIRUTA(ctx, c.Municipality)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	rec := &Recommendation{ID: id, Municipality: c.Municipality, Source: SourceCouncilMotion, SourceRef: MotionSourceRef(cm.ID, number),
		Title: strings.TrimSpace(mo.Title), Text: cutText(strings.TrimSpace(mo.Text), MotionRecommendationTextChars),
		// The body that answers a youth council is the municipality's local council; its name is
		// an official one, in Romanian.
		AudienceBody: "Consiliul Local " + mun.Name, Revision: 1, CreatedBy: by.id(), CreatedAt: now, UpdatedAt: now}
	if utf8.RuneCountInString(rec.Title) < 3 {
		rec.Title = number + ": " + rec.Title
	}
	if err := rec.Validate(); err != nil {
		return nil, false, err
	}
	if err := s.Store.CreateRecommendation(ctx, rec, audit.about(rec.ID)); err != nil {
		if ErrorCode(err) != ECONFLICT {
			return nil, false, err
		}
		// Sent at the same instant by someone else: theirs is the one.
		r, ferr := s.Store.FindRecommendation(ctx, id)
		if ferr != nil {
			return nil, false, err
		}
		return r, false, nil
	}
	return rec, true, nil
}

func cutText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// MotionAnswerState is how far the local council's answer to a sent motion has come.
type MotionAnswerState string

const (
	MotionAnswerSent     MotionAnswerState = "sent"     // waiting for the local council
	MotionAnswerDecided  MotionAnswerState = "decided"  // a published decision answers it
	MotionAnswerAnswered MotionAnswerState = "answered" // feedback to the children is published
)

// SentMotion is a motion of the council, passed in one of its meetings, and what became of it:
// its recommendation once sent, the decisions that answer it, and the latest published
// feedback to the children.
type SentMotion struct {
	PassedMotion
	Recommendation *Recommendation // nil while not sent
	State          MotionAnswerState
	Decisions      []LinkedDecision
	Feedback       *Feedback // the latest published version; nil when none
}

// CouncilMotions lists the council's passed motions, oldest meeting first, each with its
// recommendation and the answer so far. With sentOnly, only the motions sent: what members
// see on their phones. Counts and states come from the stored records only.
func (s *CouncilRecommendations) CouncilMotions(ctx context.Context, c *YouthCouncil, sentOnly bool) ([]SentMotion, error) {
	meetings, err := s.Store.ListCouncilMeetings(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	recs, err := s.Store.ListRecommendations(ctx, RecommendationFilter{Municipality: c.Municipality, Source: SourceCouncilMotion})
	if err != nil {
		return nil, err
	}
	byRef := map[string]*Recommendation{}
	for _, r := range recs {
		byRef[r.SourceRef] = r
	}
	var linked map[string][]LinkedDecision
	if s.Decisions != nil && len(recs) > 0 {
		if linked, err = s.Decisions.LinkedDecisionsIn(ctx, c.Municipality); err != nil {
			return nil, err
		}
	}
	latest := map[string]*Feedback{}
	if len(recs) > 0 {
		fbs, err := s.Store.ListFeedback(ctx, FeedbackFilter{Municipality: c.Municipality, PublishedOnly: true})
		if err != nil {
			return nil, err
		}
		for _, fb := range fbs {
			if cur := latest[fb.RecommendationID]; fb.State == FeedbackPublished && (cur == nil || fb.Version > cur.Version) {
				latest[fb.RecommendationID] = fb
			}
		}
	}
	out := []SentMotion{}
	for i := range meetings {
		cm := &meetings[i]
		if cm.State != MeetingStateOpen && cm.State != MeetingStateEnded {
			continue
		}
		passed, err := s.passedMotions(ctx, cm)
		if err != nil {
			return nil, err
		}
		for _, p := range passed {
			sm := SentMotion{PassedMotion: p, Recommendation: byRef[MotionSourceRef(cm.ID, p.Motion.Number)]}
			if sm.Recommendation == nil {
				if !sentOnly {
					out = append(out, sm)
				}
				continue
			}
			sm.State = MotionAnswerSent
			if ds := linked[sm.Recommendation.ID]; len(ds) > 0 {
				sm.Decisions, sm.State = ds, MotionAnswerDecided
			}
			if fb := latest[sm.Recommendation.ID]; fb != nil {
				sm.Feedback, sm.State = fb, MotionAnswerAnswered
			}
			out = append(out, sm)
		}
	}
	return out, nil
}

// The feedback on a motion's recommendation follows the consultations' rules with two
// differences, both read by Feedbacks from the recommendation having no consultation:
//   - Languages: Romanian is required; Hungarian and English are written when the council's
//     members read them. Voci keeps no language for a member (a child's profile holds no
//     more than it must), so it cannot require one; a member's phone shows the answer in the
//     member's language when written, and in Romanian otherwise, saying so.
//   - Due date: a consultation promised its audience's answer by a date before it opened; a
//     motion comes with no such promise, so it is never "overdue", and it does not count
//     towards a consultation being answered. The youth council sees where it stands instead
//     (MotionAnswerState).

// MeetingFigures are the national indicators' summary of one ended meeting of a youth council:
// written once when the meeting ends, from its stored log.
//
// They are activity figures, like sessions held, and are shown live rather than protected as
// children's figures: they count what a public body did (a meeting held, motions passed), and
// a council's attendance and votes are published in its minutes anyway, with the members'
// names. A rate over one council's members tells nothing the minutes do not.
type MeetingFigures struct {
	MeetingID    string
	CouncilID    string
	Municipality int
	EndedAt      time.Time
	// InOffice: the members in office the meeting was called with; Present: how many of them
	// checked in at any time during it.
	InOffice int
	Present  int
	// MotionsPassed: motions (not amendments) adopted in the meeting.
	MotionsPassed int
}

// MeetingFiguresStore keeps the figures of ended meetings.
type MeetingFiguresStore interface {
	// PutMeetingFigures stores f as its meeting's one row, replacing an earlier one (a meeting
	// summarised again is counted once).
	PutMeetingFigures(ctx context.Context, f *MeetingFigures) error
	// EndedMeetingsWithoutFigures returns the IDs of the ended meetings that have no summary:
	// those ended before summaries were kept, or whose summary failed to be written.
	EndedMeetingsWithoutFigures(ctx context.Context) ([]string, error)
}

// BackfillMeetingFigures writes the summary of every ended meeting that has none, from its
// stored log, and returns how many it wrote. It is idempotent: a meeting summarised is not
// listed again, and writing a summary twice replaces it. A meeting whose log cannot be
// summarised (none kept) is skipped, and counted in skipped.
func BackfillMeetingFigures(ctx context.Context, store interface {
	CouncilMeetingStore
	MeetingRoomStore
	MeetingFiguresStore
}) (written, skipped int, err error) {
	ids, err := store.EndedMeetingsWithoutFigures(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		cm, err := store.FindCouncilMeeting(ctx, id)
		if err != nil {
			return written, skipped, err
		}
		log, _, err := store.LoadMeetingLog(ctx, id)
		if err != nil {
			return written, skipped, err
		}
		f, err := FiguresOfMeeting(cm, log)
		if ErrorCode(err) == EINVALID || ErrorCode(err) == EWRONGSTATE {
			skipped++
			continue
		}
		if err != nil {
			return written, skipped, err
		}
		if err := store.PutMeetingFigures(ctx, f); err != nil {
			return written, skipped, err
		}
		written++
	}
	return written, skipped, nil
}

// FiguresOfMeeting summarises the stored log of an ended meeting. EWRONGSTATE when the
// meeting's record has not ended.
func FiguresOfMeeting(cm *CouncilMeeting, log []MeetingCommand) (*MeetingFigures, error) {
	if len(log) == 0 || log[0].Setup == nil {
		return nil, InvalidParam("log", "A meeting's log starts with its setup.")
	}
	m, err := ReplayMeeting(log, nil)
	if err != nil {
		return nil, err
	}
	// The record is moved to ended just before the room stores its end command, so the log
	// may not hold the end yet: the record says whether the meeting has ended.
	if cm.State != MeetingStateEnded {
		return nil, Errorf(EWRONGSTATE, "The meeting has not ended.")
	}
	f := &MeetingFigures{MeetingID: cm.ID, CouncilID: cm.CouncilID, Municipality: cm.Municipality, EndedAt: cm.EndedAt.UTC()}
	inOffice := map[string]bool{}
	for _, id := range log[0].Setup.InOffice {
		inOffice[id] = true
	}
	f.InOffice = len(inOffice)
	came := map[string]bool{}
	for _, e := range m.Events() {
		switch e.Kind {
		case EventCheckIn:
			if inOffice[e.Member] {
				came[e.Member] = true
			}
		case EventMeetingClosed:
			if f.EndedAt.IsZero() {
				f.EndedAt = e.At.UTC()
			}
		}
	}
	f.Present = len(came)
	for _, mo := range m.Motions() {
		if mo.Amends == "" && mo.State == MotionAdopted {
			f.MotionsPassed++
		}
	}
	return f, nil
}
