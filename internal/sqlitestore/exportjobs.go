package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Export jobs (voci.ExportJobStore): one row per job in export_jobs. A queued or running job
// holds a slot of its account; the partial unique index on (account_id, slot) makes taking
// one atomic, whichever instance asks.

// exportRequestJSON is the stored form of a job's request.
type exportRequestJSON struct {
	Table     string `json:"table"`
	Period    string `json:"period,omitempty"`
	Lang      string `json:"lang"`
	County    int    `json:"county,omitempty"`
	Siruta    int    `json:"siruta,omitempty"`
	Indicator string `json:"indicator,omitempty"`
}

const exportJobColumns = `id, account_id, request, format, status, slot, progress, attempts, runner, heartbeat_at,
	created_at, finished_at, expires_at, file_name, size, failure`

func scanExportJob(row interface{ Scan(...any) error }) (*voci.ExportJob, error) {
	var j voci.ExportJob
	var request, format, status, created string
	var slot sql.NullInt64
	var heartbeat, finished, expires sql.NullString
	if err := row.Scan(&j.ID, &j.AccountID, &request, &format, &status, &slot, &j.Progress, &j.Attempts, &j.Runner, &heartbeat,
		&created, &finished, &expires, &j.FileName, &j.Size, &j.Failure); err != nil {
		return nil, err
	}
	var r exportRequestJSON
	if err := json.Unmarshal([]byte(request), &r); err != nil {
		return nil, err
	}
	j.Request = voci.ReportRequest{Table: r.Table, Period: r.Period, Lang: voci.Lang(r.Lang), County: r.County, Siruta: r.Siruta, Indicator: r.Indicator}
	j.Format, j.Status = voci.ExportFormat(format), voci.ExportStatus(status)
	j.Slot = -1
	if slot.Valid {
		j.Slot = int(slot.Int64)
	}
	var err error
	if j.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		s  sql.NullString
		to *time.Time
	}{{heartbeat, &j.HeartbeatAt}, {finished, &j.FinishedAt}, {expires, &j.ExpiresAt}} {
		if *t.to, err = parseNullTime(t.s); err != nil {
			return nil, err
		}
	}
	return &j, nil
}

// CreateExportJob inserts the job into the first free slot of its account.
func (s *Store) CreateExportJob(ctx context.Context, j *voci.ExportJob, perAccount int) error {
	r := j.Request
	request, err := json.Marshal(exportRequestJSON{Table: r.Table, Period: r.Period, Lang: string(r.Lang), County: r.County, Siruta: r.Siruta, Indicator: r.Indicator})
	if err != nil {
		return storeError("create export job", err)
	}
	if n := 0; s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM export_jobs WHERE id = ?`, j.ID).Scan(&n) == nil && n > 0 {
		return voci.Errorf(voci.ECONFLICT, "An export with this ID exists.")
	}
	for slot := range perAccount {
		_, err := s.write.ExecContext(ctx, `INSERT INTO export_jobs (id, account_id, request, format, status, slot, created_at, file_name)
			VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`, j.ID, j.AccountID, string(request), string(j.Format), slot, formatTime(j.CreatedAt), j.FileName)
		if err == nil {
			j.Status, j.Slot, j.Progress, j.Attempts = voci.ExportQueued, slot, 0, 0
			return nil
		}
		if !isUniqueViolation(err) {
			return storeError("create export job", err)
		}
		if _, err := s.FindExportJob(ctx, j.ID); err == nil {
			return voci.Errorf(voci.ECONFLICT, "An export with this ID exists.")
		}
	}
	return voci.Errorf(voci.EEXPORTQUEUEFULL, "The account has %d exports under way already.", perAccount)
}

// ClaimExportJob takes the oldest queued job in one statement.
func (s *Store) ClaimExportJob(ctx context.Context, runner string, now time.Time) (*voci.ExportJob, error) {
	j, err := scanExportJob(s.write.QueryRowContext(ctx, `UPDATE export_jobs SET status = 'running', runner = ?, heartbeat_at = ?, attempts = attempts + 1
		WHERE id = (SELECT id FROM export_jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1) AND status = 'queued'
		RETURNING `+exportJobColumns, runner, formatTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No export is queued.")
	}
	if err != nil {
		return nil, storeError("claim export job", err)
	}
	return j, nil
}

// runningFor explains why an update of a job running for runner changed nothing.
func (s *Store) runningFor(ctx context.Context, id string) error {
	if _, err := s.FindExportJob(ctx, id); err != nil {
		return err
	}
	return voci.Errorf(voci.ECONFLICT, "The export is not being built here any more.")
}

// SetExportProgress records progress and the heartbeat.
func (s *Store) SetExportProgress(ctx context.Context, id, runner string, progress float64, now time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE export_jobs SET progress = ?, heartbeat_at = ? WHERE id = ? AND status = 'running' AND runner = ?`,
		progress, formatTime(now), id, runner)
	if err != nil {
		return storeError("export progress", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return s.runningFor(ctx, id)
	}
	return nil
}

// FinishExportJob ends the job and frees its slot.
func (s *Store) FinishExportJob(ctx context.Context, id, runner string, status voci.ExportStatus, failure string, size int64, finished, expires time.Time) error {
	progress := 1.0
	if status != voci.ExportDone {
		progress = 0
	}
	res, err := s.write.ExecContext(ctx, `UPDATE export_jobs SET status = ?, failure = ?, size = ?, finished_at = ?, expires_at = ?, slot = NULL,
		progress = CASE WHEN ? = 1.0 THEN 1.0 ELSE progress END
		WHERE id = ? AND status = 'running' AND runner = ?`,
		string(status), failure, size, formatTime(finished), formatTime(expires), progress, id, runner)
	if err != nil {
		return storeError("finish export job", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return s.runningFor(ctx, id)
	}
	return nil
}

// FindExportJob returns ENOTFOUND for an unknown ID.
func (s *Store) FindExportJob(ctx context.Context, id string) (*voci.ExportJob, error) {
	j, err := scanExportJob(s.read.QueryRowContext(ctx, `SELECT `+exportJobColumns+` FROM export_jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No such export.")
	}
	if err != nil {
		return nil, storeError("find export job", err)
	}
	return j, nil
}

func (s *Store) listExportJobs(ctx context.Context, op, where string, args ...any) ([]voci.ExportJob, error) {
	var out []voci.ExportJob
	err := s.eachRow(ctx, op, `SELECT `+exportJobColumns+` FROM export_jobs WHERE `+where+` ORDER BY created_at, rowid`, args, func(rows *sql.Rows) error {
		j, err := scanExportJob(rows)
		if err != nil {
			return err
		}
		out = append(out, *j)
		return nil
	})
	return out, err
}

// ListExportJobs returns the account's jobs, oldest first.
func (s *Store) ListExportJobs(ctx context.Context, accountID string) ([]voci.ExportJob, error) {
	return s.listExportJobs(ctx, "list export jobs", `account_id = ?`, accountID)
}

// ExpiredExportJobs lists finished jobs past their expiry.
func (s *Store) ExpiredExportJobs(ctx context.Context, now time.Time) ([]voci.ExportJob, error) {
	return s.listExportJobs(ctx, "expired export jobs", `expires_at IS NOT NULL AND expires_at <= ?`, formatTime(now))
}

// RecoverExportJobs queues again, or fails, the running jobs without a recent heartbeat.
func (s *Store) RecoverExportJobs(ctx context.Context, stale time.Time, maxAttempts int, failure string, now, expires time.Time) (int, int, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE export_jobs SET status = 'failed', failure = ?, finished_at = ?, expires_at = ?, slot = NULL
		WHERE status = 'running' AND heartbeat_at < ? AND attempts >= ?`, failure, formatTime(now), formatTime(expires), formatTime(stale), maxAttempts)
	if err != nil {
		return 0, 0, storeError("recover export jobs", err)
	}
	failed, _ := res.RowsAffected()
	res, err = s.write.ExecContext(ctx, `UPDATE export_jobs SET status = 'queued', runner = '', progress = 0
		WHERE status = 'running' AND heartbeat_at < ? AND attempts < ?`, formatTime(stale), maxAttempts)
	if err != nil {
		return 0, int(failed), storeError("recover export jobs", err)
	}
	requeued, _ := res.RowsAffected()
	return int(requeued), int(failed), nil
}

// DeleteExportJob removes a job.
func (s *Store) DeleteExportJob(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM export_jobs WHERE id = ?`, id)
	if err != nil {
		return storeError("delete export job", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return voci.Errorf(voci.ENOTFOUND, "No such export.")
	}
	return nil
}
