package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
)

// The statements written for every child's answer are prepared once, when the store opens,
// rather than parsed again at every answer: with 10,000 children answering within seconds,
// parsing them took a third of the server's CPU (a CPU profile of `make bench-live`, the
// server pinned to one core). database/sql keeps a statement prepared on the writer's one
// connection and reuses it in every transaction on that connection (Tx.StmtContext); should
// the connection be replaced, it prepares the statement again there.

const (
	sqlFindReceipt = `SELECT ` + receiptColumns + ` FROM answer_receipts
		WHERE participant_id = ? AND idempotency_key = ?`
	sqlParticipantRemoved = `SELECT removed FROM participants WHERE id = ?`
	// text_folded is the text as the review workspace's word search compares it.
	sqlUpsertAnswer = `INSERT INTO answers (` + answerColumns + `, text_folded)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, '', '', ?)
		ON CONFLICT (participant_id, question_id) DO UPDATE SET
			session_id = excluded.session_id, source = excluded.source, choices = excluded.choices, text = excluded.text,
			text_folded = excluded.text_folded, moderation = excluded.moderation, flags = excluded.flags, age_band = excluded.age_band, gender = excluded.gender,
			idempotency_key = excluded.idempotency_key, revision = answers.revision + 1, updated_at = excluded.updated_at,
			moderated_by = '', moderated_at = ''
		RETURNING id, revision, created_at`
	sqlInsertReceipt = `INSERT INTO answer_receipts (` + receiptColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?)`
	sqlAnswerWording = `UPDATE answers SET prompt_version = ?, lang = ? WHERE id = ?`
)

// hotWrites are the statements prepared when the store opens.
var hotWrites = []string{sqlFindReceipt, sqlParticipantRemoved, sqlUpsertAnswer, sqlInsertReceipt, sqlAnswerWording}

// prepareHot prepares hotWrites on the writer, whose one connection is free while the store
// opens.
func prepareHot(ctx context.Context, write *sql.DB) (map[string]*sql.Stmt, error) {
	hot := make(map[string]*sql.Stmt, len(hotWrites))
	for _, q := range hotWrites {
		st, err := write.PrepareContext(ctx, q)
		if err != nil {
			return nil, errors.Join(err, closeHot(hot))
		}
		hot[q] = st
	}
	return hot, nil
}

func closeHot(hot map[string]*sql.Stmt) error {
	var errs []error
	for _, st := range hot {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// inTx returns query's prepared statement for use in tx; query must be one of hotWrites.
func (s *Store) inTx(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	return tx.StmtContext(ctx, s.hot[query])
}
