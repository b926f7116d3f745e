package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/voci-platform/voci/internal/voci"
)

// Export jobs (voci.ExportJobStore): one document per job in exportJobs. A queued or running
// job holds a slot of its account ({accountId, slot}, unique where slot exists); finishing
// unsets it. Every change is one single-document update, conditional on the job's status
// (and runner), so two instances never both claim or finish one job.

type exportRequestDoc struct {
	Table     string `bson:"table"`
	Period    string `bson:"period,omitempty"`
	Lang      string `bson:"lang"`
	County    int    `bson:"county,omitempty"`
	Siruta    int    `bson:"siruta,omitempty"`
	Indicator string `bson:"indicator,omitempty"`
}

type exportJobDoc struct {
	ID          string           `bson:"_id"`
	AccountID   string           `bson:"accountId"`
	Request     exportRequestDoc `bson:"request"`
	Format      string           `bson:"format"`
	Status      string           `bson:"status"`
	Slot        *int             `bson:"slot,omitempty"`
	Progress    float64          `bson:"progress"`
	Attempts    int              `bson:"attempts"`
	Runner      string           `bson:"runner"`
	HeartbeatAt *time.Time       `bson:"heartbeatAt,omitempty"`
	CreatedAt   time.Time        `bson:"createdAt"`
	FinishedAt  *time.Time       `bson:"finishedAt,omitempty"`
	ExpiresAt   *time.Time       `bson:"expiresAt,omitempty"`
	FileName    string           `bson:"fileName"`
	Size        int64            `bson:"size"`
	Failure     string           `bson:"failure"`
}

func (d *exportJobDoc) job() voci.ExportJob {
	r := d.Request
	j := voci.ExportJob{ID: d.ID, AccountID: d.AccountID, Format: voci.ExportFormat(d.Format), Status: voci.ExportStatus(d.Status),
		Request:  voci.ReportRequest{Table: r.Table, Period: r.Period, Lang: voci.Lang(r.Lang), County: r.County, Siruta: r.Siruta, Indicator: r.Indicator},
		Progress: d.Progress, Attempts: d.Attempts, Runner: d.Runner, CreatedAt: d.CreatedAt.UTC(), FileName: d.FileName, Size: d.Size,
		Failure: d.Failure, Slot: -1}
	if d.Slot != nil {
		j.Slot = *d.Slot
	}
	for _, t := range []struct {
		from *time.Time
		to   *time.Time
	}{{d.HeartbeatAt, &j.HeartbeatAt}, {d.FinishedAt, &j.FinishedAt}, {d.ExpiresAt, &j.ExpiresAt}} {
		if t.from != nil {
			*t.to = t.from.UTC()
		}
	}
	return j
}

func (s *Store) exportJobs() *mongo.Collection { return s.db.Collection("exportJobs") }

func (s *Store) exportJobIndexes(ctx context.Context) error {
	for _, model := range []mongo.IndexModel{
		{Keys: bson.D{{Key: "accountId", Value: 1}, {Key: "slot", Value: 1}}, Options: options.Index().SetName("accountId_slot_unique").SetUnique(true).
			SetPartialFilterExpression(bson.D{{Key: "slot", Value: bson.D{{Key: "$exists", Value: true}}}})},
		{Keys: bson.D{{Key: "status", Value: 1}, {Key: "createdAt", Value: 1}}, Options: options.Index().SetName("status_createdAt")},
		{Keys: bson.D{{Key: "accountId", Value: 1}, {Key: "createdAt", Value: 1}}, Options: options.Index().SetName("accountId_createdAt")},
		{Keys: bson.D{{Key: "expiresAt", Value: 1}}, Options: options.Index().SetName("expiresAt")},
	} {
		if _, err := s.exportJobs().Indexes().CreateOne(ctx, model); err != nil {
			return storeError("create indexes on exportJobs", err)
		}
	}
	return nil
}

// CreateExportJob inserts the job into the first free slot of its account; the unique index
// refuses a slot taken meanwhile.
func (s *Store) CreateExportJob(ctx context.Context, j *voci.ExportJob, perAccount int) error {
	if n, err := s.exportJobs().CountDocuments(ctx, bson.D{{Key: "_id", Value: j.ID}}); err != nil {
		return storeError("create export job", err)
	} else if n > 0 {
		return voci.Errorf(voci.ECONFLICT, "An export with this ID exists.")
	}
	r := j.Request
	for slot := range perAccount {
		doc := exportJobDoc{ID: j.ID, AccountID: j.AccountID, Format: string(j.Format), Status: string(voci.ExportQueued), Slot: &slot,
			Request:   exportRequestDoc{Table: r.Table, Period: r.Period, Lang: string(r.Lang), County: r.County, Siruta: r.Siruta, Indicator: r.Indicator},
			CreatedAt: j.CreatedAt.UTC(), FileName: j.FileName}
		_, err := s.exportJobs().InsertOne(ctx, doc)
		if err == nil {
			j.Status, j.Slot, j.Progress, j.Attempts = voci.ExportQueued, slot, 0, 0
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return storeError("create export job", err)
		}
		if n, _ := s.exportJobs().CountDocuments(ctx, bson.D{{Key: "_id", Value: j.ID}}); n > 0 {
			return voci.Errorf(voci.ECONFLICT, "An export with this ID exists.")
		}
	}
	return voci.Errorf(voci.EEXPORTQUEUEFULL, "The account has %d exports under way already.", perAccount)
}

// ClaimExportJob turns the oldest queued job running in one FindOneAndUpdate.
func (s *Store) ClaimExportJob(ctx context.Context, runner string, now time.Time) (*voci.ExportJob, error) {
	var d exportJobDoc
	err := s.exportJobs().FindOneAndUpdate(ctx, bson.D{{Key: "status", Value: string(voci.ExportQueued)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(voci.ExportRunning)}, {Key: "runner", Value: runner}, {Key: "heartbeatAt", Value: now.UTC()}}},
			{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}}},
		options.FindOneAndUpdate().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, voci.Errorf(voci.ENOTFOUND, "No export is queued.")
	}
	if err != nil {
		return nil, storeError("claim export job", err)
	}
	j := d.job()
	return &j, nil
}

func (s *Store) updateRunningExport(ctx context.Context, op, id, runner string, update bson.D) error {
	res, err := s.exportJobs().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: string(voci.ExportRunning)}, {Key: "runner", Value: runner}}, update)
	if err != nil {
		return storeError(op, err)
	}
	if res.MatchedCount != 1 {
		if _, err := s.FindExportJob(ctx, id); err != nil {
			return err
		}
		return voci.Errorf(voci.ECONFLICT, "The export is not being built here any more.")
	}
	return nil
}

// SetExportProgress records progress and the heartbeat.
func (s *Store) SetExportProgress(ctx context.Context, id, runner string, progress float64, now time.Time) error {
	return s.updateRunningExport(ctx, "export progress", id, runner,
		bson.D{{Key: "$set", Value: bson.D{{Key: "progress", Value: progress}, {Key: "heartbeatAt", Value: now.UTC()}}}})
}

// FinishExportJob ends the job and frees its slot.
func (s *Store) FinishExportJob(ctx context.Context, id, runner string, status voci.ExportStatus, failure string, size int64, finished, expires time.Time) error {
	set := bson.D{{Key: "status", Value: string(status)}, {Key: "failure", Value: failure}, {Key: "size", Value: size},
		{Key: "finishedAt", Value: finished.UTC()}, {Key: "expiresAt", Value: expires.UTC()}}
	if status == voci.ExportDone {
		set = append(set, bson.E{Key: "progress", Value: 1.0})
	}
	return s.updateRunningExport(ctx, "finish export job", id, runner,
		bson.D{{Key: "$set", Value: set}, {Key: "$unset", Value: bson.D{{Key: "slot", Value: ""}}}})
}

// FindExportJob returns ENOTFOUND for an unknown ID.
func (s *Store) FindExportJob(ctx context.Context, id string) (*voci.ExportJob, error) {
	d, err := findOne[exportJobDoc](ctx, s.exportJobs(), bson.D{{Key: "_id", Value: id}}, "export")
	if err != nil {
		return nil, err
	}
	j := d.job()
	return &j, nil
}

func (s *Store) listExportJobs(ctx context.Context, op string, filter bson.D) ([]voci.ExportJob, error) {
	cur, err := s.exportJobs().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, storeError(op, err)
	}
	var docs []exportJobDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError(op, err)
	}
	out := make([]voci.ExportJob, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].job())
	}
	return out, nil
}

// ListExportJobs returns the account's jobs, oldest first.
func (s *Store) ListExportJobs(ctx context.Context, accountID string) ([]voci.ExportJob, error) {
	return s.listExportJobs(ctx, "list export jobs", bson.D{{Key: "accountId", Value: accountID}})
}

// ExpiredExportJobs lists finished jobs past their expiry.
func (s *Store) ExpiredExportJobs(ctx context.Context, now time.Time) ([]voci.ExportJob, error) {
	return s.listExportJobs(ctx, "expired export jobs", bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}})
}

// RecoverExportJobs queues again, or fails, the running jobs without a recent heartbeat: two
// UpdateMany calls, each document changed atomically and only while it is still stale.
func (s *Store) RecoverExportJobs(ctx context.Context, stale time.Time, maxAttempts int, failure string, now, expires time.Time) (int, int, error) {
	staleRunning := bson.D{{Key: "status", Value: string(voci.ExportRunning)}, {Key: "heartbeatAt", Value: bson.D{{Key: "$lt", Value: stale.UTC()}}}}
	failedRes, err := s.exportJobs().UpdateMany(ctx, append(staleRunning, bson.E{Key: "attempts", Value: bson.D{{Key: "$gte", Value: maxAttempts}}}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(voci.ExportFailed)}, {Key: "failure", Value: failure},
			{Key: "finishedAt", Value: now.UTC()}, {Key: "expiresAt", Value: expires.UTC()}}}, {Key: "$unset", Value: bson.D{{Key: "slot", Value: ""}}}})
	if err != nil {
		return 0, 0, storeError("recover export jobs", err)
	}
	staleRunning = bson.D{{Key: "status", Value: string(voci.ExportRunning)}, {Key: "heartbeatAt", Value: bson.D{{Key: "$lt", Value: stale.UTC()}}}}
	queuedRes, err := s.exportJobs().UpdateMany(ctx, append(staleRunning, bson.E{Key: "attempts", Value: bson.D{{Key: "$lt", Value: maxAttempts}}}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(voci.ExportQueued)}, {Key: "runner", Value: ""}, {Key: "progress", Value: 0.0}}}})
	if err != nil {
		return 0, int(failedRes.ModifiedCount), storeError("recover export jobs", err)
	}
	return int(queuedRes.ModifiedCount), int(failedRes.ModifiedCount), nil
}

// DeleteExportJob removes a job.
func (s *Store) DeleteExportJob(ctx context.Context, id string) error {
	res, err := s.exportJobs().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return storeError("delete export job", err)
	}
	if res.DeletedCount != 1 {
		return voci.Errorf(voci.ENOTFOUND, "No such export.")
	}
	return nil
}
