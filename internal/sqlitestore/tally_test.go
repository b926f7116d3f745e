package sqlitestore

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// recount counts answers the way the tallies stand for: CountAnswers' groups of a question, and
// the approved texts of a consultation under a filter.
func recount(t *testing.T, s *Store, question string) []voci.AnswerCount {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), `SELECT choices, age_band, gender, source, count(*) FROM answers
		WHERE question_id = ? AND moderation IN ('', 'approved') GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, question)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []voci.AnswerCount
	for rows.Next() {
		var c voci.AnswerCount
		var choices, band, gender, source string
		if err := rows.Scan(&choices, &band, &gender, &source, &c.N); err != nil {
			t.Fatal(err)
		}
		c.Choices, _ = fromJSON[[]string](choices)
		c.AgeBand, c.Gender, c.Source = voci.AgeBand(band), voci.Gender(gender), voci.AnswerSource(source)
		out = append(out, c)
	}
	return out
}

func sameCounts(a, b []voci.AnswerCount) bool {
	return slices.EqualFunc(a, b, func(x, y voci.AnswerCount) bool {
		return slices.Equal(x.Choices, y.Choices) && x.AgeBand == y.AgeBand && x.Gender == y.Gender && x.Source == y.Source && x.N == y.N
	})
}

// checkTallies compares what the tallies give with the answers counted afresh.
func checkTallies(t *testing.T, s *Store, when string) {
	t.Helper()
	ctx := t.Context()
	for _, q := range []string{"q-choice", "q-text"} {
		got, err := s.CountAnswers(ctx, q)
		if want := recount(t, s, q); err != nil || !sameCounts(got, want) {
			t.Fatalf("%s: %s counted %+v %v, want %+v", when, q, got, err, want)
		}
	}
	for _, f := range []voci.ReviewTextFilter{{}, {QuestionID: "q-text"}, {Source: voci.SourcePaper}, {AgeBand: voci.AgeBands[1]},
		{Source: voci.SourceLive, AgeBand: voci.AgeBands[2], SessionID: "s-1"}, {SessionID: "s-2"}} {
		f.ConsultationID = "c-tally"
		_, total, err := s.ListApprovedTexts(ctx, f)
		cond, args := `consultation_id = ? AND moderation = 'approved'`, []any{"c-tally"}
		for col, v := range map[string]string{"question_id": f.QuestionID, "source": string(f.Source), "age_band": string(f.AgeBand), "session_id": f.SessionID} {
			if v != "" {
				cond += ` AND ` + col + ` = ?`
				args = append(args, v)
			}
		}
		var want int
		if qerr := s.read.QueryRowContext(ctx, `SELECT count(*) FROM answers WHERE `+cond, args...).Scan(&want); qerr != nil {
			t.Fatal(qerr)
		}
		if err != nil || total != want {
			t.Fatalf("%s: approved texts under %+v: total %d %v, want %d", when, f, total, err, want)
		}
	}
}

// storeTallied stores 60 children's answers to a choice question and a text question of
// consultation c-tally, in two sessions and two channels, texts approved, pending or held.
func storeTallied(t *testing.T, s *Store) {
	t.Helper()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	moderation := []voci.ModerationState{voci.ModerationApproved, voci.ModerationPending, voci.ModerationApproved, voci.ModerationHeld}
	for i := range 60 {
		common := voci.Answer{ConsultationID: "c-tally", ParticipantID: fmt.Sprintf("p%02d", i), Municipality: 20297,
			SessionID: fmt.Sprintf("s-%d", i%2+1), Source: []voci.AnswerSource{voci.SourceLive, voci.SourcePaper}[i%3%2],
			AgeBand: voci.AgeBands[i%4], Gender: voci.Genders[i%3], IdempotencyKey: "k", CreatedAt: at.Add(time.Duration(i) * time.Second), UpdatedAt: at}
		choice, text := common, common
		choice.ID, choice.QuestionID, choice.Choices = fmt.Sprintf("c%02d", i), "q-choice", []string{[]string{"o1", "o2", "o3"}[i%3]}
		text.ID, text.QuestionID, text.Text, text.Moderation = fmt.Sprintf("t%02d", i), "q-text", fmt.Sprintf("idee %d", i), moderation[i%4]
		for _, a := range []*voci.Answer{&choice, &text} {
			if _, err := s.SaveAnswer(t.Context(), a); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestAnswerTalliesFollowEveryWrite: the counts the triggers of migration 0056 keep equal the
// answers counted afresh after answers are stored, changed, moderated either way, moved and
// deleted.
func TestAnswerTalliesFollowEveryWrite(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	storeTallied(t, s)
	checkTallies(t, s, "stored")
	for _, step := range []struct{ name, sql string }{
		{"choices changed", `UPDATE answers SET choices = '["o2"]' WHERE id IN ('c00', 'c03', 'c07')`},
		{"texts approved", `UPDATE answers SET moderation = 'approved' WHERE id IN ('t01', 't03')`},
		{"texts rejected", `UPDATE answers SET moderation = 'rejected' WHERE id IN ('t00', 't02', 't04')`},
		{"a choice hidden", `UPDATE answers SET moderation = 'held' WHERE id = 'c05'`},
		{"age band and session changed", `UPDATE answers SET age_band = '` + string(voci.AgeBands[3]) + `', session_id = 's-2' WHERE id IN ('t06', 'c06')`},
		{"deleted", `DELETE FROM answers WHERE id IN ('c10', 't10', 't12', 'c11')`},
		{"one unrelated column changed", `UPDATE answers SET text = 'alt text' WHERE id = 't14'`},
	} {
		if _, err := s.write.ExecContext(t.Context(), step.sql); err != nil {
			t.Fatal(err)
		}
		checkTallies(t, s, step.name)
	}
}

// TestAnswerTallyMigration: answers stored before 0056 are counted by its migration.
func TestAnswerTallyMigration(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	s := openTestStore(t, path)
	storeTallied(t, s)
	for _, stmt := range []string{`DROP TRIGGER answers_tally_insert`, `DROP TRIGGER answers_tally_update`, `DROP TRIGGER answers_tally_delete`,
		`DROP TABLE answer_tally`, `DROP TABLE approved_text_tally`, `DELETE FROM schema_migrations WHERE version = 56`} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = openTestStore(t, path)
	checkTallies(t, s, "migrated")
}
