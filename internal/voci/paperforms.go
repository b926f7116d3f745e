package voci

import (
	"context"
	"slices"
	"time"
)

// A sitting is one stretch of typing paper forms in on one screen. The entry screen names it
// with a random ID it keeps for as long as its tab lives (sessionStorage), and numbers the
// forms of the sitting 1, 2, 3… as the facilitator goes through the pile. The forms of a
// sitting are listed back, to the adult who typed them only, so that a reload, a tab that
// crashed or a laptop woken from sleep shows the same list, with the same numbers, and any of
// them can still be corrected or removed. A sitting rather than "the last hours": what the
// screen lists is what this person typed at this table, numbered as they numbered it; a new
// tab is a new pile, and another adult's forms, or the same adult's forms of yesterday, are
// not mixed into it.

// MaxSittingForms is the most forms one sitting lists, and the largest number a form of a
// sitting may have.
const MaxSittingForms = 1000

// PaperFormEntry says who typed a paper form in, and where it stands in their sitting. It
// holds nothing of the child: the answers are kept under the form's participant.
type PaperFormEntry struct {
	ConsultationID string
	Key            string // the form's key, as typed in under
	ParticipantID  string // the participant the form's answers are stored under
	Municipality   int
	EnteredBy      string // the account of the adult who typed it in
	Sitting        string
	Number         int  // the form's number in the sitting, from 1
	Lang           Lang // the language the form was printed in, "" when not said
	CreatedAt      time.Time
}

// PaperFormStore keeps who typed which paper form in, in which sitting.
type PaperFormStore interface {
	// SavePaperFormEntry stores e, unless an entry of e's consultation and key is stored
	// already: then it changes nothing and returns nil, so that a form saved twice keeps its
	// first entry. DeletePaperForm removes the form's entry with its answers.
	SavePaperFormEntry(ctx context.Context, e *PaperFormEntry) error
	// ListPaperFormEntries returns at most limit entries of the consultation that enteredBy
	// typed in the sitting, by number (then oldest first).
	ListPaperFormEntries(ctx context.Context, consultationID, enteredBy, sitting string, limit int) ([]PaperFormEntry, error)
}

// TypedPaperForm is a paper form listed back to the adult who typed it in: its answers and the
// optional profile, never anything that names a child.
type TypedPaperForm struct {
	Key     string
	Number  int
	TypedAt time.Time
	AgeBand AgeBand
	Gender  Gender
	Lang    Lang
	// Answers are the form's current answers, in the consultation; a text keeps its
	// moderation state (held: screening flagged it).
	Answers []Answer
}

// checkSittingID checks a sitting's ID, which is named as an idempotency key is.
func checkSittingID(sitting string) error {
	if !ValidIdempotencyKey(sitting) {
		return InvalidParam("sitting", "A sitting is named by 8 to 64 letters, digits, '-' or '_'.")
	}
	return nil
}

// checkSitting checks the sitting of a form about to be recorded: none, or a valid ID with a
// number and the adult who types it.
func (f *PaperForm) checkSitting() error {
	if f.Sitting == "" {
		return nil
	}
	if err := checkSittingID(f.Sitting); err != nil {
		return err
	}
	if f.Number < 1 || f.Number > MaxSittingForms {
		return InvalidParam("number", "A form's number in its sitting is from 1 to %d.", MaxSittingForms)
	}
	if f.EnteredBy == "" {
		return InvalidParam("sitting", "Only a signed-in adult types forms in a sitting.")
	}
	return nil
}

// ListSittingPaperForms returns the paper forms adultID typed in the sitting of consultation
// c, by number, with their answers. A form removed since, or whose answers were never
// stored (the save failed half way and was not tried again), is not listed. Only the adult
// who typed a form finds it here. It returns EINVALID for a bad sitting.
func (p *Participation) ListSittingPaperForms(ctx context.Context, c *Consultation, adultID, sitting string) ([]TypedPaperForm, error) {
	if err := checkSittingID(sitting); err != nil {
		return nil, err
	}
	if adultID == "" {
		return []TypedPaperForm{}, nil
	}
	entries, err := p.Store.ListPaperFormEntries(ctx, c.ID, adultID, sitting, MaxSittingForms)
	if err != nil {
		return nil, err
	}
	out := make([]TypedPaperForm, 0, len(entries))
	for _, e := range entries {
		answers, err := p.Store.ListParticipantAnswers(ctx, e.ParticipantID)
		if err != nil {
			return nil, err
		}
		answers = slices.DeleteFunc(answers, func(a Answer) bool { return a.ConsultationID != c.ID || a.Source != SourcePaper })
		if len(answers) == 0 {
			continue
		}
		f := TypedPaperForm{Key: e.Key, Number: e.Number, TypedAt: e.CreatedAt, AgeBand: answers[0].AgeBand,
			Gender: answers[0].Gender, Lang: e.Lang, Answers: answers}
		out = append(out, f)
	}
	return out, nil
}
