package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

const receiptCodeColumns = `hash, consultation_id, municipality, issued_on, lang, opened_after_feedback_on, answered_back`

func scanReceiptCode(row interface{ Scan(...any) error }) (*voci.Receipt, error) {
	var r voci.Receipt
	var issued, opened, lang string
	if err := row.Scan(&r.Hash, &r.ConsultationID, &r.Municipality, &issued, &lang, &opened, &r.AnsweredBack); err != nil {
		return nil, err
	}
	r.Lang = voci.Lang(lang)
	var err error
	if r.IssuedOn, err = time.Parse(time.DateOnly, issued); err != nil {
		return nil, fmt.Errorf("stored receipt day %q: %w", issued, err)
	}
	if opened != "" {
		if r.OpenedAfterFeedbackOn, err = time.Parse(time.DateOnly, opened); err != nil {
			return nil, fmt.Errorf("stored receipt day %q: %w", opened, err)
		}
	}
	return &r, nil
}

// IssueReceipt stores r unless its hash is taken, in one statement, and returns the receipt
// stored under the hash.
func (s *Store) IssueReceipt(ctx context.Context, r *voci.Receipt) (*voci.Receipt, bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO receipt_codes (hash, consultation_id, municipality, issued_on, lang)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
		r.Hash, r.ConsultationID, r.Municipality, r.IssuedOn.UTC().Format(time.DateOnly), string(r.Lang))
	if err != nil {
		return nil, false, storeError("issue receipt", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, false, storeError("issue receipt", err)
	}
	// Read through the writer: the row was just written, and a reader may not see it yet.
	stored, err := scanReceiptCode(s.write.QueryRowContext(ctx, `SELECT `+receiptCodeColumns+` FROM receipt_codes WHERE hash = ?`, r.Hash))
	if err != nil {
		return nil, false, storeError("read issued receipt", err)
	}
	return stored, n == 1, nil
}

// FindReceiptByHash returns ENOTFOUND when no receipt has that hash.
func (s *Store) FindReceiptByHash(ctx context.Context, hash string) (*voci.Receipt, error) {
	r, err := scanReceiptCode(s.read.QueryRowContext(ctx, `SELECT `+receiptCodeColumns+` FROM receipt_codes WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such receipt.")
	}
	if err != nil {
		return nil, storeError("find receipt", err)
	}
	return r, nil
}

// MarkReceiptOpenedAfterFeedback sets the day once, in one conditional update.
func (s *Store) MarkReceiptOpenedAfterFeedback(ctx context.Context, hash string, on time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE receipt_codes SET opened_after_feedback_on = ?
		WHERE hash = ? AND opened_after_feedback_on = ''`, on.UTC().Format(time.DateOnly), hash)
	if err != nil {
		return false, storeError("mark receipt opened", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, storeError("mark receipt opened", err)
	} else if n == 1 {
		return true, nil
	}
	if _, err := s.FindReceiptByHash(ctx, hash); err != nil {
		return false, err
	}
	return false, nil
}

// RecordReceiptAnswerBack marks the receipt answered and counts the answer in one
// transaction.
func (s *Store) RecordReceiptAnswerBack(ctx context.Context, hash string, a voci.ReceiptAnswerBack) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return storeError("answer back", err)
	}
	defer tx.Rollback()
	var consultationID string
	var answered bool
	err = tx.QueryRowContext(ctx, `SELECT consultation_id, answered_back FROM receipt_codes WHERE hash = ?`, hash).Scan(&consultationID, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return voci.Errorf(voci.ENOTFOUND, "No such receipt.")
	} else if err != nil {
		return storeError("answer back", err)
	}
	if answered {
		return voci.ReceiptAnsweredError()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE receipt_codes SET answered_back = 1 WHERE hash = ?`, hash); err != nil {
		return storeError("answer back", err)
	}
	one := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO receipt_answer_back (consultation_id, clear, not_clear, agree, disagree) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (consultation_id) DO UPDATE SET clear = clear + excluded.clear, not_clear = not_clear + excluded.not_clear,
			agree = agree + excluded.agree, disagree = disagree + excluded.disagree`,
		consultationID, one(a.Clarity == voci.Clear), one(a.Clarity == voci.NotClear), one(a.Agreement == voci.Agree), one(a.Agreement == voci.Disagree)); err != nil {
		return storeError("answer back", err)
	}
	return storeError("answer back", tx.Commit())
}

// CountReceipts reads the figures in one transaction, so that they agree.
func (s *Store) CountReceipts(ctx context.Context, consultationID string) (voci.ReceiptCounts, error) {
	var c voci.ReceiptCounts
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return c, storeError("count receipts", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(NULLIF(opened_after_feedback_on, '')) FROM receipt_codes WHERE consultation_id = ?`,
		consultationID).Scan(&c.Issued, &c.OpenedAfterFeedback); err != nil {
		return c, storeError("count receipts", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT clear, not_clear, agree, disagree FROM receipt_answer_back WHERE consultation_id = ?`,
		consultationID).Scan(&c.Clear, &c.NotClear, &c.Agree, &c.Disagree)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, storeError("count receipts", err)
	}
	return c, nil
}
