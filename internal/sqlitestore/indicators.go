package sqlitestore

import (
	"context"
	"database/sql"
	"regexp"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// adoptedStatuses are the decision statuses that mean the council adopted it.
const adoptedStatuses = `('adopted', 'adopted_with_changes', 'being_implemented', 'implemented', 'could_not_be_implemented')`

// activityQueries each count one family of indicators for every municipality at once. Every
// query takes the period's bounds as ?1 (from) and ?2 (to), formatted like stored times, and
// ?3 and ?4 as the first and last UTC days (YYYY-MM-DD), ?5 as the day of to (a day before
// it is over), and ?6 as the municipality of a filtered count. Each {{column}} is where the
// filter goes: "AND column = ?6" for one municipality, nothing for all (see filtered).
var activityQueries = []struct {
	name  string
	query string
	scan  func(a *voci.ActivityCounts, vals []sql.NullFloat64)
	cols  int
}{
	{"live sessions", `SELECT municipality, COUNT(*) FROM live_sessions WHERE started_at >= ?1 AND started_at < ?2 {{municipality}} GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.SessionsLive = int(v[0].Float64) }, 1},
	{"self-paced", `SELECT c.municipality, COUNT(DISTINCT p.consultation_id) FROM self_paced_participants p
		JOIN consultations c ON c.id = p.consultation_id WHERE p.joined_at >= ?1 AND p.joined_at < ?2 {{c.municipality}} GROUP BY c.municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.SessionsSelfPaced = int(v[0].Float64) }, 1},
	{"paper forms", `SELECT municipality, COUNT(DISTINCT participant_id) FROM answers
		WHERE source = 'paper' AND created_at >= ?1 AND created_at < ?2 {{municipality}} GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.PaperForms = int(v[0].Float64) }, 1},
	{"consultation status", `SELECT municipality,
			COUNT(DISTINCT CASE WHEN detail = 'status open' THEN object_id END),
			COUNT(DISTINCT CASE WHEN detail = 'status closed' THEN object_id END)
		FROM audit_log WHERE action = 'consultation.set_status' AND at >= ?1 AND at < ?2 {{municipality}} GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) {
			a.ConsultationsOpened, a.ConsultationsClosed = int(v[0].Float64), int(v[1].Float64)
		}, 2},
	{"consultations answered", `WITH first AS (
			SELECT consultation_id, MIN(published_at) AS at FROM feedback
			WHERE state = 'published' AND consultation_id <> '' {{municipality}} GROUP BY consultation_id)
		SELECT c.municipality, COUNT(*),
			SUM(CASE WHEN c.answer_by <> '' AND substr(f.at, 1, 10) <= substr(c.answer_by, 1, 10) THEN 1 ELSE 0 END)
		FROM first f JOIN consultations c ON c.id = f.consultation_id
		WHERE f.at >= ?1 AND f.at < ?2 {{c.municipality}} GROUP BY c.municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) {
			a.ConsultationsAnswered, a.ConsultationsAnsweredOnTime = int(v[0].Float64), int(v[1].Float64)
		}, 2},
	{"consultations overdue", `WITH first AS (
			SELECT consultation_id, MIN(published_at) AS at FROM feedback
			WHERE state = 'published' AND consultation_id <> '' {{municipality}} GROUP BY consultation_id)
		SELECT c.municipality, COUNT(*) FROM consultations c LEFT JOIN first f ON f.consultation_id = c.id
		WHERE c.status <> 'draft' AND c.answer_by <> ''
			AND substr(c.answer_by, 1, 10) >= ?3 AND substr(c.answer_by, 1, 10) < ?5
			AND (f.at IS NULL OR substr(f.at, 1, 10) > substr(c.answer_by, 1, 10)) {{c.municipality}}
		GROUP BY c.municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.ConsultationsOverdue = int(v[0].Float64) }, 1},
	// The median of each municipality's days from closing to feedback, in the query: rows are
	// numbered within the municipality and the middle one or two averaged.
	{"days to feedback", `WITH first AS (
			SELECT consultation_id, municipality, MIN(published_at) AS at FROM feedback
			WHERE state = 'published' AND consultation_id <> '' {{municipality}} GROUP BY consultation_id),
		closed AS (
			SELECT object_id AS consultation_id, MIN(at) AS at FROM audit_log
			WHERE action = 'consultation.set_status' AND detail = 'status closed' {{municipality}} GROUP BY object_id),
		days AS (
			SELECT f.municipality, julianday(f.at) - julianday(c.at) AS d FROM first f JOIN closed c USING (consultation_id)
			WHERE f.at >= ?1 AND f.at < ?2 AND c.at <= f.at),
		ranked AS (
			SELECT municipality, d, ROW_NUMBER() OVER (PARTITION BY municipality ORDER BY d) AS rn,
				COUNT(*) OVER (PARTITION BY municipality) AS n FROM days)
		SELECT municipality, AVG(d) FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) {
			if v[0].Valid {
				d := float64(int(v[0].Float64*10+0.5)) / 10
				a.MedianDaysToFeedback = &d
			}
		}, 1},
	{"receipts", `SELECT municipality, COUNT(*) FROM receipt_codes
		WHERE opened_after_feedback_on BETWEEN ?3 AND ?4 {{municipality}} GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.ReceiptsOpenedAfterFeedback = int(v[0].Float64) }, 1},
	{"recommendations sent", `SELECT municipality, COUNT(*) FROM recommendations WHERE created_at >= ?1 AND created_at < ?2 {{municipality}} GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.RecommendationsSent = int(v[0].Float64) }, 1},
	{"recommendations answered", `SELECT municipality, COUNT(*) FROM (
			SELECT municipality, MIN(published_at) AS at FROM feedback WHERE state = 'published' {{municipality}} GROUP BY recommendation_id)
		WHERE at >= ?1 AND at < ?2 GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) { a.RecommendationsAnswered = int(v[0].Float64) }, 1},
	// A decision's status is its latest status entry's, or else its latest version's.
	{"decisions", `SELECT d.municipality, COUNT(*), SUM(CASE WHEN COALESCE(
			(SELECT e.status FROM decision_entries e WHERE e.decision_id = d.id AND e.kind = 'status' ORDER BY e.seq DESC LIMIT 1),
			(SELECT json_extract(e.content, '$.status') FROM decision_entries e WHERE e.decision_id = d.id AND e.kind = 'version' ORDER BY e.seq DESC LIMIT 1)
		) IN ` + adoptedStatuses + ` THEN 1 ELSE 0 END)
		FROM decisions d WHERE d.published = 1 AND d.published_at >= ?1 AND d.published_at < ?2
			AND EXISTS (SELECT 1 FROM decision_links l WHERE l.decision_id = d.id) {{d.municipality}}
		GROUP BY d.municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) {
			a.DecisionsLinked, a.DecisionsAdopted = int(v[0].Float64), int(v[1].Float64)
		}, 2},
	// The youth council's meetings ended in the period, from the summary written at each end.
	{"council meetings", `SELECT municipality, COUNT(*), SUM(in_office), SUM(present), SUM(motions_passed)
		FROM council_meeting_figures WHERE ended_at >= ?1 AND ended_at < ?2 {{municipality}} GROUP BY municipality`,
		func(a *voci.ActivityCounts, v []sql.NullFloat64) {
			a.MeetingsHeld, a.MeetingMembersInOffice = int(v[0].Float64), int(v[1].Float64)
			a.MeetingMembersPresent, a.MotionsPassed = int(v[2].Float64), int(v[3].Float64)
		}, 4},
}

// filterPlace is where a query takes the municipality filter: {{column}}.
var filterPlace = regexp.MustCompile(`\{\{([a-z_.]+)\}\}`)

// filtered returns query counting every municipality (one false) or one (?6).
func filtered(query string, one bool) string {
	if !one {
		return filterPlace.ReplaceAllString(query, "")
	}
	return filterPlace.ReplaceAllString(query, "AND $1 = ?6")
}

// adaptationsQuery counts, per municipality and adaptation, the live sessions started in the
// period whose group facts record it.
const adaptationsQuery = `SELECT g.municipality, a.value, COUNT(*)
		FROM group_facts g JOIN live_sessions l ON l.id = g.session_id, json_each(g.adaptations) a
		WHERE l.started_at >= ?1 AND l.started_at < ?2 {{g.municipality}} GROUP BY g.municipality, a.value`

// ActivityCounts runs one grouped query per family of indicators; for one municipality, each
// query reads that municipality's rows only (through the indexes on municipality).
func (s *Store) ActivityCounts(ctx context.Context, from, to time.Time, f voci.ActivityFilter) (map[int]*voci.ActivityCounts, error) {
	out := map[int]*voci.ActivityCounts{}
	get := func(siruta int) *voci.ActivityCounts {
		a := out[siruta]
		if a == nil {
			a = &voci.ActivityCounts{Municipality: siruta, Adaptations: map[voci.Adaptation]int{}}
			out[siruta] = a
		}
		return a
	}
	one := f.Municipality != 0
	lastDay := to.Add(-time.Nanosecond).UTC().Format(time.DateOnly)
	args := []any{formatTime(from), formatTime(to), from.UTC().Format(time.DateOnly), lastDay, to.UTC().Format(time.DateOnly), f.Municipality}
	for _, q := range activityQueries {
		if err := s.eachRow(ctx, "activity: "+q.name, filtered(q.query, one), args, func(rows *sql.Rows) error {
			var siruta int
			vals := make([]sql.NullFloat64, q.cols)
			dest := []any{&siruta}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			q.scan(get(siruta), vals)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	err := s.eachRow(ctx, "activity: adaptations", filtered(adaptationsQuery, one), args, func(rows *sql.Rows) error {
		var siruta, n int
		var adaptation string
		if err := rows.Scan(&siruta, &adaptation, &n); err != nil {
			return err
		}
		get(siruta).Adaptations[voci.Adaptation(adaptation)] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChildrenReached groups each child's answers into one participant (its band and gender as
// its answers carry them), then counts participants per municipality, band and gender; the
// rows come in SIRUTA order and are handed over one municipality at a time.
func (s *Store) ChildrenReached(ctx context.Context, from, to time.Time, fn func(int, []voci.ChildCell) error) error {
	var cells []voci.ChildCell
	current := 0
	flush := func() error {
		if len(cells) == 0 {
			return nil
		}
		err := fn(current, cells)
		cells = nil
		return err
	}
	err := s.eachRow(ctx, "children reached", `SELECT municipality, age_band, gender, COUNT(*) FROM (
			SELECT municipality, participant_id, MAX(age_band) AS age_band, MAX(gender) AS gender FROM answers
			WHERE created_at >= ? AND created_at < ? GROUP BY municipality, participant_id)
		GROUP BY municipality, age_band, gender ORDER BY municipality, age_band, gender`,
		[]any{formatTime(from), formatTime(to)}, func(rows *sql.Rows) error {
			var c voci.ChildCell
			var band, gender string
			if err := rows.Scan(&c.Municipality, &band, &gender, &c.Children); err != nil {
				return err
			}
			c.AgeBand, c.Gender = voci.AgeBand(band), voci.Gender(gender)
			if c.Municipality != current {
				if err := flush(); err != nil {
					return err
				}
				current = c.Municipality
			}
			cells = append(cells, c)
			return nil
		})
	if err != nil {
		return err
	}
	return flush()
}

// GroupFactTotals sums the facts of the sessions started in the period, per municipality.
func (s *Store) GroupFactTotals(ctx context.Context, from, to time.Time) (map[int]*voci.GroupFactTotals, error) {
	out := map[int]*voci.GroupFactTotals{}
	err := s.eachRow(ctx, "group facts", `SELECT g.municipality, '', SUM(g.present) FROM group_facts g
			JOIN live_sessions l ON l.id = g.session_id WHERE l.started_at >= ?1 AND l.started_at < ?2 GROUP BY g.municipality
		UNION ALL
		SELECT g.municipality, c.key, SUM(c.value) FROM group_facts g JOIN live_sessions l ON l.id = g.session_id, json_each(g.counts) c
			WHERE l.started_at >= ?1 AND l.started_at < ?2 GROUP BY g.municipality, c.key`,
		[]any{formatTime(from), formatTime(to)}, func(rows *sql.Rows) error {
			var siruta, n int
			var key string
			if err := rows.Scan(&siruta, &key, &n); err != nil {
				return err
			}
			t := out[siruta]
			if t == nil {
				t = &voci.GroupFactTotals{Municipality: siruta, Counts: map[voci.GroupCategory]int{}}
				out[siruta] = t
			}
			if key == "" {
				t.Present = n
			} else {
				t.Counts[voci.GroupCategory(key)] = n
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListChildPopulations reads every declared band.
func (s *Store) ListChildPopulations(ctx context.Context) (map[int]map[voci.AgeBand]int, error) {
	out := map[int]map[voci.AgeBand]int{}
	err := s.eachRow(ctx, "child populations", `SELECT siruta, age_band, children FROM municipality_child_population`, nil,
		func(rows *sql.Rows) error {
			var siruta, n int
			var band string
			if err := rows.Scan(&siruta, &band, &n); err != nil {
				return err
			}
			if out[siruta] == nil {
				out[siruta] = map[voci.AgeBand]int{}
			}
			out[siruta][voci.AgeBand(band)] = n
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRow runs a read query and calls fn for each row.
func (s *Store) eachRow(ctx context.Context, op, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return storeError(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			if _, ok := err.(*voci.Error); ok {
				return err
			}
			return storeError(op, err)
		}
	}
	if err := rows.Err(); err != nil {
		return storeError(op, err)
	}
	return nil
}

// PastChangeCount reads the counts the triggers of past_changes keep (migration 0059): writes
// that can change what the national tables say about a period already over.
func (s *Store) PastChangeCount(ctx context.Context) (voci.PastChanges, error) {
	var c voci.PastChanges
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT n FROM past_changes WHERE name = 'places'), (SELECT n FROM past_changes WHERE name = 'activity')`).Scan(&c.Places, &c.Activity)
	return c, storeError("read the count of changes to the past", err)
}
