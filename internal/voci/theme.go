package voci

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Codes of the review workspace.
const (
	// ENOTAPPROVED refuses a text that is held, pending or rejected as an item or a quote of
	// a theme: only what an adult approved may be grouped and quoted.
	ENOTAPPROVED = "input_not_approved"
	// EQUOTEDEMOGRAPHICS refuses a quote sent with an age band, a gender or an alias: a quote
	// is shown as the child's words alone, so that nobody can recognise the child.
	EQUOTEDEMOGRAPHICS = "quote_demographics_refused"
	// ETHEMEINUSE refuses to delete a theme that a recommendation draws on: the
	// recommendation, and the feedback and decisions that answer it, would point at nothing.
	// The theme is taken out of the recommendation first.
	ETHEMEINUSE = "theme_in_use"
)

// MaxQuotes bounds a theme's quotes: a few representative texts, not a second list.
const MaxQuotes = 5

// MaxThemeItems bounds the inputs one theme holds.
const MaxThemeItems = 5000

// ThemeItem is one input a theme holds: a child's text (AnswerID, with its QuestionID), or an
// option of an option question (QuestionID and OptionID), which stands for every child who
// chose it.
type ThemeItem struct {
	AnswerID   string
	QuestionID string
	OptionID   string
}

// IsText reports whether the item is a text answer rather than an option.
func (i ThemeItem) IsText() bool { return i.AnswerID != "" }

func (i ThemeItem) key() string {
	if i.IsText() {
		return "a:" + i.AnswerID
	}
	return "o:" + i.QuestionID + "/" + i.OptionID
}

// Quote is a representative text of a theme: the approved text as it was when chosen, and the
// answer it came from, so that a text rejected or changed later stops being shown. It carries
// no age band, gender, alias or time, and nothing can be attached to it.
type Quote struct {
	AnswerID string
	Text     string
}

// Theme groups a consultation's input under a title: texts and options, each of which may sit
// in several themes, with a short summary and a few quotes. Reviewers edit it against the
// revision they read.
type Theme struct {
	ID             string
	Municipality   int
	ConsultationID string
	Title          string
	Summary        string
	Items          []ThemeItem
	Quotes         []Quote
	// Revision counts the stored versions: 1 when created, +1 with every update.
	Revision  int
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks a theme's fields: title, summary, items named once and whole, and at most
// MaxQuotes quotes, each of a text the theme holds. EINVALID names the first at fault.
func (t *Theme) Validate() error {
	if t.ID == "" || t.Municipality <= 0 || t.ConsultationID == "" {
		return InvalidParam("consultationId", "The theme belongs to no consultation.")
	}
	if err := ValidateText("title", t.Title, 2, 200); err != nil {
		return err
	}
	if err := validateLongText("summary", t.Summary, 0, 2000); err != nil {
		return err
	}
	if len(t.Items) > MaxThemeItems {
		return InvalidParam("items", "A theme holds at most %d inputs.", MaxThemeItems)
	}
	seen := make(map[string]bool, len(t.Items))
	for _, it := range t.Items {
		if it.QuestionID == "" || (it.AnswerID == "") == (it.OptionID == "") {
			return InvalidParam("items", "Name each input as a text (answerId) or as an option (questionId and optionId).")
		}
		if seen[it.key()] {
			return InvalidParam("items", "Each input sits in a theme once.")
		}
		seen[it.key()] = true
	}
	if len(t.Quotes) > MaxQuotes {
		return InvalidParam("quotes", "Choose at most %d quotes: a few that stand for the theme.", MaxQuotes)
	}
	quoted := map[string]bool{}
	for _, q := range t.Quotes {
		if !seen["a:"+q.AnswerID] || strings.TrimSpace(q.Text) == "" {
			return InvalidParam("quotes", "A quote is one of the theme's texts.")
		}
		if quoted[q.AnswerID] {
			return InvalidParam("quotes", "Each text is quoted once.")
		}
		quoted[q.AnswerID] = true
	}
	return nil
}

// HasItem reports whether the theme holds it.
func (t *Theme) HasItem(it ThemeItem) bool {
	return slices.ContainsFunc(t.Items, func(x ThemeItem) bool { return x.key() == it.key() })
}

// ThemeStore keeps themes.
type ThemeStore interface {
	// CreateTheme stores t (at Revision 1) with its audit entry (nil for none) in the same
	// write; ECONFLICT if the ID exists.
	CreateTheme(ctx context.Context, t *Theme, audit *AuditEntry) error
	// FindTheme returns ENOTFOUND when there is no such theme.
	FindTheme(ctx context.Context, id string) (*Theme, error)
	// ListThemes returns the consultation's themes, oldest first.
	ListThemes(ctx context.Context, consultationID string) ([]*Theme, error)
	// ListThemesIn returns the themes of every consultation of the municipality, oldest
	// first.
	ListThemesIn(ctx context.Context, municipality int) ([]*Theme, error)
	// UpdateTheme replaces the stored theme with t, with its audit entry, but only if the
	// stored one is still at revision t.Revision-1: otherwise it writes nothing and returns
	// ECHANGED. ENOTFOUND if gone.
	UpdateTheme(ctx context.Context, t *Theme, audit *AuditEntry) error
	// DeleteTheme removes the theme, with its audit entry, but only if it is still at
	// revision and no recommendation of its consultation names it in ThemeIDs: otherwise it
	// writes nothing and returns ECHANGED or ETHEMEINUSE. ENOTFOUND if gone.
	DeleteTheme(ctx context.Context, id string, revision int, audit *AuditEntry) error
}

// ReviewTextFilter selects a consultation's approved texts for the review workspace. Empty
// fields do not narrow. Words are matched folded (FoldForSearch): every word must occur.
type ReviewTextFilter struct {
	ConsultationID string
	QuestionID     string
	Source         AnswerSource
	AgeBand        AgeBand
	SessionID      string
	Words          string
	Offset         int
	Limit          int

	words []string // Words folded, once
}

// FoldedWords returns the filter's words folded (FoldForSearch). A text matches when its own
// folded form, FoldForSearch(text), holds every one of them as a substring: stores keep that
// folded form next to the text when they write it, and test the words against it.
func (f *ReviewTextFilter) FoldedWords() []string {
	if f.words == nil {
		f.words = strings.Fields(FoldForSearch(f.Words))
	}
	return f.words
}

// WordsMatch reports whether text holds every word of the filter, ignoring case and
// diacritics.
func (f *ReviewTextFilter) WordsMatch(text string) bool {
	return f.FoldedMatch(FoldForSearch(text))
}

// FoldedMatch is WordsMatch for a text already folded with FoldForSearch.
func (f *ReviewTextFilter) FoldedMatch(folded string) bool {
	for _, w := range f.FoldedWords() {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}

// ReviewText is an approved text as reviewers see it: never its participant, so that a child's
// several answers cannot be linked through the workspace.
type ReviewText struct {
	AnswerID   string
	QuestionID string
	SessionID  string
	Source     AnswerSource
	AgeBand    AgeBand
	Text       string
	CreatedAt  time.Time
}

// ReviewStore is what the review workspace reads and writes.
type ReviewStore interface {
	ThemeStore
	RecommendationStore
	// ListApprovedTexts returns the page (Offset, Limit; Limit 0 for all) of the consultation's
	// approved texts that match f, oldest first, and how many match in all.
	ListApprovedTexts(ctx context.Context, f ReviewTextFilter) ([]ReviewText, int, error)
	FindConsultationByID(ctx context.Context, id string) (*Consultation, error)
	ListQuestions(ctx context.Context, consultationID string) ([]Question, error)
	ListLiveSessions(ctx context.Context, consultationID string) ([]LiveSession, error)
	FindAnswerByID(ctx context.Context, id string) (*Answer, error)
	ListAnswers(ctx context.Context, questionID string) ([]Answer, error)
	CountAnswers(ctx context.Context, questionID string) ([]AnswerCount, error)
	ThemeSupportStore
}

// SupportAnswer is the part of an answer that the support of a theme is counted from.
type SupportAnswer struct {
	ID            string
	QuestionID    string
	ParticipantID string
	Source        AnswerSource
	Choices       []string
	Moderation    ModerationState
	Text          string
}

// Visible reports whether the answer counts: see Answer.Visible.
func (a *SupportAnswer) Visible() bool {
	return a.Moderation == ModerationNone || a.Moderation == ModerationApproved
}

// ThemeSupportStore reads what the support of themes is counted from.
type ThemeSupportStore interface {
	// ListSupportAnswers returns, in one read and in no particular order, the answers with
	// the given IDs and every answer to the given questions, each once.
	ListSupportAnswers(ctx context.Context, answerIDs, questionIDs []string) ([]SupportAnswer, error)
}
