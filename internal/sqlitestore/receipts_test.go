package sqlitestore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Receipts written before 0024 get the revision of the answer they wrote when it is still
// current, and keep no text (they never had any).
func TestReceiptRevisionMigration(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	s := openTestStore(t, path)
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for _, stmt := range []string{
		`INSERT INTO consultations (id, municipality, title, purpose, easy_read, age_bands, goals, topics, audience_body, answer_by, status, modes,
			self_paced_from, self_paced_until, created_by, created_at, updated_at)
			VALUES ('c1', 20297, 't', 'p', '', '[]', '[]', '[]', 'a', '', 'open', '["live"]', '', '', 'acct', '` + formatTime(at) + `', '` + formatTime(at) + `')`,
		`INSERT INTO live_sessions (id, consultation_id, municipality, join_code, state, question_id, deadline, revealed, trust_text, started_by, started_at, ended_at)
			VALUES ('l1', 'c1', 20297, '123456', 'question_open', 'q1', '', '[]', 0, 'acct', '` + formatTime(at) + `', '')`,
	} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	p := &voci.Participant{ID: "p1", SessionID: "l1", TokenHash: "h1", Alias: "Brave Otter", Lang: voci.LangRO, JoinedAt: at, UpdatedAt: at}
	if err := s.CreateParticipant(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, key := range []string{"old-key-0001", "old-key-0002"} {
		a := &voci.Answer{ID: "a-" + key, QuestionID: "q1", ConsultationID: "c1", SessionID: "l1", ParticipantID: "p1", Municipality: 20297,
			Source: voci.SourceLive, Text: "text " + key, Moderation: voci.ModerationPending, IdempotencyKey: key,
			CreatedAt: at, UpdatedAt: at.Add(time.Duration(i) * time.Minute)}
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// Back to the schema before 0024.
	for _, stmt := range []string{`ALTER TABLE answer_receipts DROP COLUMN revision`, `DELETE FROM schema_migrations WHERE version = 24`} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s = openTestStore(t, path)
	for key, want := range map[string]int{"old-key-0001": 0, "old-key-0002": 2} {
		r, err := s.FindAnswerReceipt(ctx, "p1", key)
		if err != nil || r.Revision != want || r.AnswerID != "a-old-key-0001" {
			t.Fatalf("%s: %+v %v, want revision %d", key, r, err, want)
		}
	}
	var columns int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('answer_receipts') WHERE name LIKE '%text%'`).Scan(&columns); err != nil || columns != 0 {
		t.Fatalf("receipts have a text column: %d %v", columns, err)
	}
}

// A changed text leaves no copy of its earlier version in the file: not in a receipt, and not
// in the bytes the change freed.
func TestChangedTextLeavesNoTraceInTheFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	s := openTestStore(t, path)
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for _, stmt := range []string{
		`INSERT INTO consultations (id, municipality, title, purpose, easy_read, age_bands, goals, topics, audience_body, answer_by, status, modes,
			self_paced_from, self_paced_until, created_by, created_at, updated_at)
			VALUES ('c1', 20297, 't', 'p', '', '[]', '[]', '[]', 'a', '', 'open', '["live"]', '', '', 'acct', '` + formatTime(at) + `', '` + formatTime(at) + `')`,
		`INSERT INTO live_sessions (id, consultation_id, municipality, join_code, state, question_id, deadline, revealed, trust_text, started_by, started_at, ended_at)
			VALUES ('l1', 'c1', 20297, '123456', 'question_open', 'q1', '', '[]', 0, 'acct', '` + formatTime(at) + `', '')`,
	} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateParticipant(ctx, &voci.Participant{ID: "p1", SessionID: "l1", TokenHash: "h1", Alias: "Brave Otter", Lang: voci.LangRO, JoinedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Sunați-mă la 0722 123 456, " + strings.Repeat("vă rog mult de tot, ", 12), "Mai mulți copaci"} {
		key := fmt.Sprintf("trace-key-%04d", i)
		a := &voci.Answer{ID: "a-" + key, QuestionID: "q1", ConsultationID: "c1", SessionID: "l1", ParticipantID: "p1", Municipality: 20297,
			Source: voci.SourceLive, Text: text, Moderation: voci.ModerationHeld, IdempotencyKey: key, CreatedAt: at, UpdatedAt: at}
		if _, err := s.SaveAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("0722 123 456")) {
		t.Fatal("the earlier text is still in the database file")
	}
	if !bytes.Contains(b, []byte("Mai mulți copaci")) {
		t.Fatal("the current text is not in the file: the check looks in the wrong place")
	}
}
