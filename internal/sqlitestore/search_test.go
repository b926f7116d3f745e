package sqlitestore

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// storeApprovedTexts stores each text as an approved paper answer of consultation c1 and
// question q1, one child each, oldest first, and returns their IDs.
func storeApprovedTexts(t *testing.T, s *Store, texts []string) []string {
	t.Helper()
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	var ids []string
	for i, text := range texts {
		a := &voci.Answer{ID: fmt.Sprintf("a%02d", i), QuestionID: "q1", ConsultationID: "c1", ParticipantID: fmt.Sprintf("p%02d", i),
			Municipality: 20297, Source: voci.SourcePaper, Text: text, Moderation: voci.ModerationApproved, IdempotencyKey: "k",
			CreatedAt: at.Add(time.Duration(i) * time.Second), UpdatedAt: at}
		if _, err := s.SaveAnswer(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

var searchTexts = []string{"O FÂNTÂNĂ cu apă", "Ștrand și țară", "Székely ÖRÖM", "100% sigur_da", "a\\b", "\u212Aelvin", "İnsula", "fara",
	"  bănci\tși   leagăne ", "ŞANŢ vechi"}

// TestWordSearchInSQLIsTheFoldedRule: the word search that runs in SQL on the stored folded
// text keeps exactly the texts voci.ReviewTextFilter.WordsMatch keeps, wildcards and case
// included, and a search and its count page alike.
func TestWordSearchInSQLIsTheFoldedRule(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "voci.db"))
	ids := storeApprovedTexts(t, s, searchTexts)
	words := []string{"fantana", "APA", "strand", "tara", "szekely", "orom", "100%", "sigur_da", "a\\b", "kelvin", "insula", "far",
		"x_y", "10%", "%", "_", "banci si", "si leagane", "santz", "sant", "a", "FÂNTÂNĂ apă"}
	for _, w := range words {
		f := voci.ReviewTextFilter{ConsultationID: "c1", Words: w}
		var want []string
		for i, text := range searchTexts {
			if f.WordsMatch(text) {
				want = append(want, ids[i])
			}
		}
		got, total, err := s.ListApprovedTexts(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs []string
		for _, g := range got {
			gotIDs = append(gotIDs, g.AnswerID)
		}
		if !slices.Equal(gotIDs, want) || total != len(want) {
			t.Errorf("%q: got %v (total %d), want %v", w, gotIDs, total, want)
		}
		if len(want) > 1 {
			page, total, err := s.ListApprovedTexts(t.Context(), voci.ReviewTextFilter{ConsultationID: "c1", Words: w, Offset: 1, Limit: 1})
			if err != nil || len(page) != 1 || page[0].AnswerID != want[1] || total != len(want) {
				t.Errorf("%q, second page: %+v %d %v", w, page, total, err)
			}
		}
	}
}

// TestFoldedTextMigration: answers stored before 0049 are folded by its migration, so a word
// search finds them.
func TestFoldedTextMigration(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	s := openTestStore(t, path)
	ids := storeApprovedTexts(t, s, searchTexts)
	// Back to the schema before 0049.
	for _, stmt := range []string{`DROP INDEX answers_approved_words`, `DROP INDEX themes_by_municipality`, `ALTER TABLE answers DROP COLUMN text_folded`, `DELETE FROM schema_migrations WHERE version = 49`} {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s = openTestStore(t, path)
	got, total, err := s.ListApprovedTexts(ctx, voci.ReviewTextFilter{ConsultationID: "c1", Words: "fantana APA"})
	if err != nil || total != 1 || len(got) != 1 || got[0].AnswerID != ids[0] || got[0].Text != searchTexts[0] {
		t.Fatalf("after the migration: %+v %d %v", got, total, err)
	}
	var folded string
	if err := s.read.QueryRowContext(ctx, `SELECT text_folded FROM answers WHERE id = ?`, ids[8]).Scan(&folded); err != nil || folded != "banci si leagane" {
		t.Fatalf("folded %q %v", folded, err)
	}
}
