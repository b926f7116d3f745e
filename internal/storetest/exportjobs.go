package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// testExportJobs: a job is stored queued in a free slot of its account, and no account gets
// more slots than allowed, also when requests come at once; the oldest queued job is claimed
// once; progress and finishing need the runner that claimed it; finishing frees the slot; a
// stale running job is queued again until its attempts are spent, then fails; expired jobs are
// listed and deleted.
func testExportJobs(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	newJob := func(id, account string, created time.Time) *voci.ExportJob {
		return &voci.ExportJob{ID: id, AccountID: account, Format: voci.ExportXLSX, CreatedAt: created, FileName: id + ".xlsx",
			Request: voci.ReportRequest{Table: "municipalities", Period: "2026-11", Lang: voci.LangHU, County: 4, Indicator: "childrenReached"}}
	}
	_, err := s.ClaimExportJob(ctx, "r1", at)
	wantCode(t, "nothing queued", err, voci.ENOTFOUND)
	_, err = s.FindExportJob(ctx, "nope")
	wantCode(t, "unknown job", err, voci.ENOTFOUND)

	// Three slots, taken at once by eight requests of one account: three are stored.
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored, full := 0, 0
	for i := range 8 {
		wg.Go(func() {
			err := s.CreateExportJob(ctx, newJob("j"+string(rune('a'+i)), "acct-1", at.Add(time.Duration(i)*time.Second)), 3)
			mu.Lock()
			defer mu.Unlock()
			switch voci.ErrorCode(err) {
			case "":
				stored++
			case voci.EEXPORTQUEUEFULL:
				full++
			default:
				t.Errorf("create: %v", err)
			}
		})
	}
	wg.Wait()
	if stored != 3 || full != 5 {
		t.Fatalf("%d stored, %d refused, want 3 and 5", stored, full)
	}
	other := newJob("other", "acct-2", at.Add(time.Minute))
	if err := s.CreateExportJob(ctx, other, 3); err != nil || other.Slot != 0 || other.Status != voci.ExportQueued {
		t.Fatalf("another account: %+v %v", other, err)
	}
	wantCode(t, "same ID", s.CreateExportJob(ctx, newJob("other", "acct-2", at), 3), voci.ECONFLICT)
	list, err := s.ListExportJobs(ctx, "acct-1")
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %d %v", len(list), err)
	}
	slots := map[int]bool{}
	for i, j := range list {
		slots[j.Slot] = true
		if i > 0 && j.CreatedAt.Before(list[i-1].CreatedAt) {
			t.Fatalf("not oldest first: %+v", list)
		}
		if j.Request != (voci.ReportRequest{Table: "municipalities", Period: "2026-11", Lang: voci.LangHU, County: 4, Indicator: "childrenReached"}) ||
			j.Format != voci.ExportXLSX || j.FileName != j.ID+".xlsx" || j.Status != voci.ExportQueued {
			t.Fatalf("stored %+v", j)
		}
	}
	if len(slots) != 3 {
		t.Fatalf("slots %v", slots)
	}

	// Claims: oldest first, each job once, also when claimed at once.
	claimed := map[string]bool{}
	for range 2 {
		wg.Go(func() {
			j, err := s.ClaimExportJob(ctx, "r1", at.Add(2*time.Minute))
			mu.Lock()
			defer mu.Unlock()
			if err != nil || claimed[j.ID] || j.Status != voci.ExportRunning || j.Runner != "r1" || j.Attempts != 1 {
				t.Errorf("claim: %+v %v", j, err)
				return
			}
			claimed[j.ID] = true
		})
	}
	wg.Wait()
	if !claimed[list[0].ID] || !claimed[list[1].ID] {
		t.Fatalf("claimed %v, want the two oldest", claimed)
	}
	first := list[0].ID
	wantCode(t, "progress by another runner", s.SetExportProgress(ctx, first, "r2", 0.5, at), voci.ECONFLICT)
	wantCode(t, "progress of an unknown job", s.SetExportProgress(ctx, "nope", "r1", 0.5, at), voci.ENOTFOUND)
	if err := s.SetExportProgress(ctx, first, "r1", 0.5, at.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.FindExportJob(ctx, first); j.Progress != 0.5 || !j.HeartbeatAt.Equal(at.Add(3*time.Minute)) {
		t.Fatalf("progress: %+v", j)
	}
	// Finishing frees the slot: the account may ask again.
	wantCode(t, "full before finishing", s.CreateExportJob(ctx, newJob("late", "acct-1", at.Add(4*time.Minute)), 3), voci.EEXPORTQUEUEFULL)
	expires := at.Add(24 * time.Hour)
	if err := s.FinishExportJob(ctx, first, "r1", voci.ExportDone, "", 1234, at.Add(4*time.Minute), expires); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "finish twice", s.FinishExportJob(ctx, first, "r1", voci.ExportDone, "", 1, at, expires), voci.ECONFLICT)
	done, _ := s.FindExportJob(ctx, first)
	if done.Status != voci.ExportDone || done.Progress != 1 || done.Size != 1234 || done.Slot != -1 || !done.ExpiresAt.Equal(expires) {
		t.Fatalf("done: %+v", done)
	}
	late := newJob("late", "acct-1", at.Add(4*time.Minute))
	if err := s.CreateExportJob(ctx, late, 3); err != nil || late.Slot < 0 {
		t.Fatalf("after finishing: %+v %v", late, err)
	}

	// The second claimed job's instance stops: no heartbeat after 2 minutes in. Recovered
	// with a stale time before the heartbeat, nothing moves; after it, it is queued again.
	second := list[1].ID
	if q, f, err := s.RecoverExportJobs(ctx, at.Add(time.Minute), 2, "gave up", at.Add(10*time.Minute), expires); err != nil || q != 0 || f != 0 {
		t.Fatalf("nothing stale: %d %d %v", q, f, err)
	}
	if q, f, err := s.RecoverExportJobs(ctx, at.Add(5*time.Minute), 2, "gave up", at.Add(10*time.Minute), expires); err != nil || q != 1 || f != 0 {
		t.Fatalf("stale once: %d %d %v", q, f, err)
	}
	if j, _ := s.FindExportJob(ctx, second); j.Status != voci.ExportQueued || j.Slot < 0 || j.Attempts != 1 {
		t.Fatalf("requeued: %+v", j)
	}
	wantCode(t, "progress after being taken back", s.SetExportProgress(ctx, second, "r1", 0.7, at), voci.ECONFLICT)
	// Claimed again (attempt 2), stopped again: it fails, and its slot is freed.
	for {
		j, err := s.ClaimExportJob(ctx, "r3", at.Add(6*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if j.ID == second {
			if j.Attempts != 2 {
				t.Fatalf("second attempt: %+v", j)
			}
			break
		}
	}
	if q, f, err := s.RecoverExportJobs(ctx, at.Add(7*time.Minute), 2, "gave up", at.Add(10*time.Minute), expires); err != nil || f != 1 {
		t.Fatalf("stale twice: %d %d %v", q, f, err)
	}
	if j, _ := s.FindExportJob(ctx, second); j.Status != voci.ExportFailed || j.Failure != "gave up" || j.Slot != -1 || !j.FinishedAt.Equal(at.Add(10*time.Minute)) {
		t.Fatalf("failed: %+v", j)
	}

	// Expiry: the finished jobs at or before now.
	exp, err := s.ExpiredExportJobs(ctx, expires.Add(-time.Second))
	if err != nil || len(exp) != 0 {
		t.Fatalf("expired early: %+v %v", exp, err)
	}
	exp, err = s.ExpiredExportJobs(ctx, expires)
	if err != nil || len(exp) != 2 {
		t.Fatalf("expired: %+v %v", exp, err)
	}
	for _, j := range exp {
		if err := s.DeleteExportJob(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "deleted", s.DeleteExportJob(ctx, first), voci.ENOTFOUND)
	_, err = s.FindExportJob(ctx, first)
	wantCode(t, "deleted job", err, voci.ENOTFOUND)
}
