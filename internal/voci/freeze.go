package voci

import (
	"context"
	"time"
)

// EQUESTIONCHANGED says that a question changed between the moment a rule was checked
// against it and the moment the store was to write: nothing was written. The domain reads the
// question again and applies its rules afresh; a client sees it only when the question keeps
// changing.
const EQUESTIONCHANGED = "question_changed"

// maxQuestionRetries bounds how often a write that met a changed question is tried again.
const maxQuestionRetries = 3

// PromptVersion is one wording of a question that children answered under. A question's
// wording may be corrected after children have answered, but the earlier wording is kept with
// its dates, and every answer records the version it answered, so that results can say what
// was asked of whom.
type PromptVersion struct {
	Version  int
	Prompt   string
	EasyRead string
	// Translations are the wording in other languages that children could read then.
	Translations map[Lang]QuestionText
	From         time.Time // when the version began (the question's creation for version 1)
	Until        time.Time // when the next version replaced it
}

// PromptVersionCount is how many children answered under one wording. A count below k, and
// the counts that would give it away, are suppressed as in a breakdown.
type PromptVersionCount struct {
	PromptVersion
	Respondents Cell
}

// AuditOutbox is implemented by stores that carry an audit entry inside the changed record
// and move it to the audit trail afterwards (MongoDB, which has no multi-document
// transactions). A store that writes both in one transaction has nothing pending.
type AuditOutbox interface {
	// CompletePendingAudit moves every audit entry still waiting in a changed record to the
	// audit trail, once each (an entry already there is not written twice), and returns how
	// many it moved. It is run at start-up and after each change, so a crash between the
	// change and the move is completed by the next run.
	CompletePendingAudit(ctx context.Context) (int, error)
}

// about returns the entry about the object with the ID, when the entry names none yet (a
// creation, whose ID is made here). nil stays nil.
func (e *AuditEntry) about(objectID string) *AuditEntry {
	if e == nil {
		return nil
	}
	out := *e
	if out.ObjectID == "" {
		out.ObjectID = objectID
	}
	return &out
}

// frozenMessage is what an adult is told when a frozen question cannot change as asked.
const frozenMessage = "Children have answered this question, so its kind and options can no longer change. Add a new question instead."

// DeleteQuestion removes a question that was never opened or answered, with its audit entry.
// A frozen question stays, since children's answers point at it (EFROZEN). ENOTFOUND if
// gone.
func (p *Participation) DeleteQuestion(ctx context.Context, q *Question, audit *AuditEntry) error {
	for range maxQuestionRetries {
		if q.Frozen {
			return &Error{Code: EFROZEN, Param: "questionId", Message: "Children have answered this question, so it cannot be deleted."}
		}
		err := p.Store.DeleteQuestion(ctx, q.ID, audit.about(q.ID))
		if err == nil {
			p.deletePictureFiles(ctx, q.Pictures()...)
		}
		if ErrorCode(err) != EQUESTIONCHANGED {
			return err
		}
		// Frozen meanwhile: read it again, and the rule above answers.
		if q, err = p.Store.FindQuestionByID(ctx, q.ID); err != nil {
			return err
		}
	}
	return Errorf(EQUESTIONCHANGED, "The question is changing right now; try again.")
}

// PromptVersions returns every wording of q, oldest first, with how many of its visible
// answers were given under each (counts by version, as the store gives them), suppressing
// counts below k and the counts that would reveal them. It returns nil when the wording never
// changed after children answered.
func PromptVersions(q *Question, counts map[int]int, k int) []PromptVersionCount {
	if len(q.EarlierPrompts) == 0 {
		return nil
	}
	if k < 1 {
		k = DefaultK
	}
	versions := append([]PromptVersion{}, q.EarlierPrompts...)
	versions = append(versions, PromptVersion{Version: q.PromptVersion, Prompt: q.Prompt, EasyRead: q.EasyRead, From: q.PromptSince})
	cells := make([][]int, len(versions))
	totals := make([]int, len(versions))
	for i, v := range versions {
		totals[i] = counts[v.Version]
		cells[i] = []int{totals[i]}
	}
	sup := SuppressSmallCells(CountTable{Cells: cells, RowTotals: totals, MaxChoices: 1}, k)
	out := make([]PromptVersionCount, len(versions))
	for i, v := range versions {
		out[i] = PromptVersionCount{PromptVersion: v, Respondents: Cell{N: totals[i], Suppressed: sup.Rows[i] || sup.Cells[i][0]}}
	}
	return out
}
