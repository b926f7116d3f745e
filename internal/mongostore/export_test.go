package mongostore

import (
	"context"

	"github.com/voci-platform/voci/internal/voci"
)

// SaveAnswerInterrupted writes what a SaveAnswer of an earlier version left when the process
// died between its two writes: the receipt, and no answer. The contract suite finds it through
// an interface and checks that the retry stores the answer.
func (s *Store) SaveAnswerInterrupted(ctx context.Context, a *voci.Answer) error {
	s.noLegacyReceipts.Store(false)
	_, err := s.answerReceipts.InsertOne(ctx, legacyReceiptDoc{ID: a.ParticipantID + "\x00" + a.IdempotencyKey,
		ParticipantID: a.ParticipantID, IdempotencyKey: a.IdempotencyKey, QuestionID: a.QuestionID, AnswerID: a.ID,
		Moderation: string(a.Moderation), AcceptedAt: a.UpdatedAt.UTC()})
	return storeError("save interrupted answer", err)
}
