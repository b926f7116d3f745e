package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Help requests and the durable queue of notices about them.

func helpIDs(list []voci.HelpRequest) []string {
	ids := []string{}
	for _, h := range list {
		ids = append(ids, h.ID)
	}
	return ids
}

func findHelp(t *testing.T, s voci.Store, m int, acknowledged bool, offset, limit int) ([]voci.HelpRequest, int) {
	t.Helper()
	list, total, err := s.FindHelpRequests(t.Context(), voci.HelpRequestFilter{Municipality: m, Acknowledged: acknowledged, Offset: offset, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	return list, total
}

func testHelpRequests(t *testing.T, s voci.Store) {
	ctx := t.Context()
	for i, m := range []int{20297, 20297, 40198} {
		h := &voci.HelpRequest{ID: fmt.Sprintf("help-%d", i), Municipality: m, SessionID: "live-h", ParticipantID: fmt.Sprintf("ph-%d", i),
			Alias: "Brave Otter 7", CreatedAt: liveStart.Add(time.Duration(i) * time.Minute)}
		if err := s.CreateHelpRequest(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	list, total := findHelp(t, s, 20297, false, 0, 10)
	if total != 2 || !slices.Equal(helpIDs(list), []string{"help-0", "help-1"}) || list[0].Kind != voci.HelpAsked {
		t.Fatalf("unacknowledged requests %+v %d", list, total)
	}
	wantCode(t, "another municipality's request", s.AcknowledgeHelpRequest(ctx, 20297, "help-2", "lead", liveStart, nil), voci.ENOTFOUND)
	if err := s.AcknowledgeHelpRequest(ctx, 20297, "help-0", "lead-1", liveStart.Add(time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.AcknowledgeHelpRequest(ctx, 20297, "help-0", "lead-2", liveStart.Add(2*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if list, total = findHelp(t, s, 20297, false, 0, 10); total != 1 || list[0].ID != "help-1" {
		t.Fatalf("unacknowledged after acknowledging %+v", list)
	}
	done, total := findHelp(t, s, 20297, true, 0, 10)
	if total != 1 || done[0].AcknowledgedBy != "lead-1" || !done[0].AcknowledgedAt.Equal(liveStart.Add(time.Hour)) {
		t.Fatalf("acknowledged %+v", done)
	}
	got, err := s.FindHelpRequestByID(ctx, 20297, "help-0")
	if err != nil || got.AcknowledgedBy != "lead-1" || got.Alias != "Brave Otter 7" {
		t.Fatalf("by ID %+v %v", got, err)
	}
	_, err = s.FindHelpRequestByID(ctx, 40198, "help-0")
	wantCode(t, "another municipality's request by ID", err, voci.ENOTFOUND)
}

// testHelpNotification: how telling the leads went is stored with the request, changes as the
// notices report, and stays within the request's municipality.
func testHelpNotification(t *testing.T, s voci.Store) {
	ctx := t.Context()
	h := &voci.HelpRequest{ID: "help-n", Municipality: 20297, SessionID: "live-h", ParticipantID: "pn", Alias: "Calm Heron 3",
		CreatedAt: liveStart, Notification: voci.HelpNotifyPending}
	if err := s.CreateHelpRequest(ctx, h); err != nil {
		t.Fatal(err)
	}
	if err := s.SetHelpNotification(ctx, 20297, "help-n", voci.HelpNotifyRetrying); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "another municipality's request", s.SetHelpNotification(ctx, 40198, "help-n", voci.HelpNotifySent), voci.ENOTFOUND)
	wantCode(t, "no such request", s.SetHelpNotification(ctx, 20297, "help-none", voci.HelpNotifySent), voci.ENOTFOUND)
	if got, err := s.FindHelpRequestByID(ctx, 20297, "help-n"); err != nil || got.Notification != voci.HelpNotifyRetrying {
		t.Fatalf("after retrying %+v %v", got, err)
	}
}

// testHelpRequestOrderAndPaging: the unacknowledged oldest first, even after a flood of newer
// ones; the acknowledged newest first; pages and totals.
func testHelpRequestOrderAndPaging(t *testing.T, s voci.Store) {
	ctx := t.Context()
	mk := func(id string, at time.Time) {
		if err := s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: id, Municipality: 20297, SessionID: "live-o", ParticipantID: "p-" + id,
			Alias: "A", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	mk("real", liveStart)
	for i := range 30 {
		mk(fmt.Sprintf("flood-%02d", i), liveStart.Add(time.Duration(i+1)*time.Second))
	}
	mk("old-done", liveStart.Add(-time.Hour))
	mk("new-done", liveStart.Add(time.Hour))
	for _, id := range []string{"old-done", "new-done"} {
		if err := s.AcknowledgeHelpRequest(ctx, 20297, id, "lead", liveStart.Add(2*time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	}
	first, total := findHelp(t, s, 20297, false, 0, 5)
	if total != 31 || !slices.Equal(helpIDs(first), []string{"real", "flood-00", "flood-01", "flood-02", "flood-03"}) {
		t.Fatalf("first page %v of %d", helpIDs(first), total)
	}
	last, _ := findHelp(t, s, 20297, false, 29, 5)
	if !slices.Equal(helpIDs(last), []string{"flood-28", "flood-29"}) {
		t.Fatalf("last page %v", helpIDs(last))
	}
	done, total := findHelp(t, s, 20297, true, 0, 5)
	if total != 2 || !slices.Equal(helpIDs(done), []string{"new-done", "old-done"}) {
		t.Fatalf("acknowledged %v of %d", helpIDs(done), total)
	}
}

// testOneOpenHelpRequestPerChild: while a child's request is open, another of the child's is
// refused by the store, however many race; once closed, the child may ask again.
func testOneOpenHelpRequestPerChild(t *testing.T, s voci.Store) {
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make([]error, 12)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: fmt.Sprintf("race-%d", i), Municipality: 20297, SessionID: "live-r",
				ParticipantID: "p-race", Alias: "A", CreatedAt: liveStart, Kind: voci.HelpAsked})
		})
	}
	wg.Wait()
	stored := 0
	for _, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			stored++
		case voci.ECONFLICT:
		default:
			t.Fatalf("racing presses: %v", err)
		}
	}
	if stored != 1 {
		t.Fatalf("%d requests stored for one child, want 1", stored)
	}
	open, err := s.FindOpenHelpRequest(ctx, "p-race")
	if err != nil {
		t.Fatal(err)
	}
	// Acknowledged is still open: pressing again finds it.
	if err := s.AcknowledgeHelpRequest(ctx, 20297, open.ID, "lead", liveStart.Add(time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "a press while acknowledged", s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "race-again", Municipality: 20297,
		ParticipantID: "p-race", CreatedAt: liveStart, Kind: voci.HelpAsked}), voci.ECONFLICT)
	if err := s.CloseHelpRequest(ctx, 20297, open.ID, "lead", liveStart.Add(2*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindOpenHelpRequest(ctx, "p-race")
	wantCode(t, "open request after closing", err, voci.ENOTFOUND)
	if err := s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "race-after", Municipality: 20297, ParticipantID: "p-race",
		CreatedAt: liveStart.Add(3 * time.Minute), Kind: voci.HelpAsked}); err != nil {
		t.Fatalf("a new press after closing: %v", err)
	}
	wantCode(t, "the same ID", s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "race-after", Municipality: 20297, ParticipantID: "p-other",
		CreatedAt: liveStart, Kind: voci.HelpAsked}), voci.ECONFLICT)
}

// testOneHelpRequestPerAnswer: a possible disclosure raises one request per answer, and does
// not stand in the way of the child's own press.
func testOneHelpRequestPerAnswer(t *testing.T, s voci.Store) {
	ctx := t.Context()
	d := &voci.HelpRequest{ID: "disc-1", Municipality: 20297, SessionID: "live-d", ParticipantID: "p-d", Alias: "A", CreatedAt: liveStart,
		Kind: voci.HelpPossibleDisclosure, AnswerID: "ans-1"}
	if err := s.CreateHelpRequest(ctx, d); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "the same answer again", s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "disc-2", Municipality: 20297, ParticipantID: "p-d",
		CreatedAt: liveStart, Kind: voci.HelpPossibleDisclosure, AnswerID: "ans-1"}), voci.ECONFLICT)
	if err := s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "disc-3", Municipality: 20297, ParticipantID: "p-d",
		CreatedAt: liveStart, Kind: voci.HelpPossibleDisclosure, AnswerID: "ans-2"}); err != nil {
		t.Fatalf("another answer: %v", err)
	}
	if err := s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "asked-d", Municipality: 20297, ParticipantID: "p-d",
		CreatedAt: liveStart, Kind: voci.HelpAsked}); err != nil {
		t.Fatalf("the child's own press: %v", err)
	}
	got, err := s.FindHelpRequestByAnswer(ctx, "ans-1")
	if err != nil || got.ID != "disc-1" || got.Kind != voci.HelpPossibleDisclosure || got.AnswerID != "ans-1" {
		t.Fatalf("by answer %+v %v", got, err)
	}
	_, err = s.FindHelpRequestByAnswer(ctx, "ans-none")
	wantCode(t, "an answer that raised nothing", err, voci.ENOTFOUND)
	if open, err := s.FindOpenHelpRequest(ctx, "p-d"); err != nil || open.ID != "asked-d" {
		t.Fatalf("open asked request %+v %v", open, err)
	}
}

func testHelpRequestNoteAndClose(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateHelpRequest(ctx, &voci.HelpRequest{ID: "nc", Municipality: 20297, SessionID: "live-n", ParticipantID: "p-n",
		Alias: "A", CreatedAt: liveStart}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "a note in another municipality", s.NoteHelpRequest(ctx, 40198, "nc", "x", "lead", liveStart, nil), voci.ENOTFOUND)
	wantCode(t, "closing in another municipality", s.CloseHelpRequest(ctx, 40198, "nc", "lead", liveStart, nil), voci.ENOTFOUND)
	if err := s.NoteHelpRequest(ctx, 20297, "nc", "Talked with the teacher.", "lead-1", liveStart.Add(time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.NoteHelpRequest(ctx, 20297, "nc", "Talked with the child; all right.", "lead-2", liveStart.Add(2*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseHelpRequest(ctx, 20297, "nc", "lead-2", liveStart.Add(3*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseHelpRequest(ctx, 20297, "nc", "lead-3", liveStart.Add(4*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindHelpRequestByID(ctx, 20297, "nc")
	if err != nil {
		t.Fatal(err)
	}
	if got.Note != "Talked with the child; all right." || got.NotedBy != "lead-2" || !got.NotedAt.Equal(liveStart.Add(2*time.Minute)) ||
		got.ClosedBy != "lead-2" || !got.ClosedAt.Equal(liveStart.Add(3*time.Minute)) ||
		got.AcknowledgedBy != "lead-2" || !got.AcknowledgedAt.Equal(liveStart.Add(3*time.Minute)) {
		t.Fatalf("noted and closed %+v", got)
	}
}

// testHelpNoticeQueue: one notice per request and recipient; claimed with a lease that keeps
// others off until it runs out; retried when due; finished once.
func testHelpNoticeQueue(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := liveStart
	job := func(req, to string, due time.Time) voci.HelpNoticeJob {
		return voci.HelpNoticeJob{ID: req + "|" + to, RequestID: req, Municipality: 20297, Recipient: to, Name: "N", Lang: "hu", DueAt: due, CreatedAt: at}
	}
	if err := s.EnqueueHelpNotices(ctx, []voci.HelpNoticeJob{job("r1", "", at), job("r1", "a@example.ro", at.Add(time.Second)),
		job("r2", "a@example.ro", at.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	// Queued again (a second press, a fan-out worked twice): nothing changes.
	if err := s.EnqueueHelpNotices(ctx, []voci.HelpNoticeJob{job("r1", "a@example.ro", at)}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountUnsentHelpNotices(ctx, "r1"); err != nil || n != 2 {
		t.Fatalf("unsent %d %v", n, err)
	}
	now := at.Add(time.Minute)
	got, err := s.ClaimHelpNotices(ctx, "w1", now, now.Add(time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "r1|" || got[1].ID != "r1|a@example.ro" || got[1].Lang != "hu" || got[1].LeaseOwner != "w1" ||
		!got[1].DueAt.Equal(at.Add(time.Second)) {
		t.Fatalf("claimed %+v", got)
	}
	if again, err := s.ClaimHelpNotices(ctx, "w2", now, now.Add(time.Minute), 10); err != nil || len(again) != 0 {
		t.Fatalf("claimed while leased %+v %v", again, err)
	}
	wantCode(t, "finishing another's notice", s.FinishHelpNotice(ctx, "r1|", "w2", now), voci.ECONFLICT)
	if err := s.FinishHelpNotice(ctx, "r1|", "w1", now); err != nil {
		t.Fatal(err)
	}
	if err := s.RetryHelpNotice(ctx, "r1|a@example.ro", "w1", now.Add(30*time.Second), "421 try later"); err != nil {
		t.Fatal(err)
	}
	if early, _ := s.ClaimHelpNotices(ctx, "w2", now.Add(10*time.Second), now.Add(time.Minute), 10); len(early) != 0 {
		t.Fatalf("claimed before due %+v", early)
	}
	later := now.Add(31 * time.Second)
	retry, err := s.ClaimHelpNotices(ctx, "w2", later, later.Add(time.Minute), 10)
	if err != nil || len(retry) != 1 || retry[0].Attempts != 1 || retry[0].LastError != "421 try later" {
		t.Fatalf("retry %+v %v", retry, err)
	}
	// w2 dies holding it: once the lease runs out, w3 takes it.
	expired := later.Add(2 * time.Minute)
	taken, err := s.ClaimHelpNotices(ctx, "w3", expired, expired.Add(time.Minute), 10)
	if err != nil || len(taken) != 1 || taken[0].ID != "r1|a@example.ro" {
		t.Fatalf("after the lease ran out %+v %v", taken, err)
	}
	wantCode(t, "the old holder finishing", s.FinishHelpNotice(ctx, "r1|a@example.ro", "w2", expired), voci.ECONFLICT)
	if err := s.FinishHelpNotice(ctx, "r1|a@example.ro", "w3", expired); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountUnsentHelpNotices(ctx, "r1"); n != 0 {
		t.Fatalf("unsent after finishing %d", n)
	}
	wantCode(t, "finishing twice", s.FinishHelpNotice(ctx, "r1|a@example.ro", "w3", expired), voci.ECONFLICT)
	// Sent notices are never claimed again; r2's is due in an hour.
	if rest, _ := s.ClaimHelpNotices(ctx, "w4", at.Add(2*time.Hour), at.Add(3*time.Hour), 10); len(rest) != 1 || rest[0].RequestID != "r2" {
		t.Fatalf("left %+v", rest)
	}
}

// testConcurrentHelpNoticeClaims: workers that claim at once never share a notice.
func testConcurrentHelpNoticeClaims(t *testing.T, s voci.Store) {
	ctx := t.Context()
	var jobs []voci.HelpNoticeJob
	for i := range 40 {
		jobs = append(jobs, voci.HelpNoticeJob{ID: fmt.Sprintf("c%02d|", i), RequestID: fmt.Sprintf("c%02d", i), Municipality: 20297,
			DueAt: liveStart, CreatedAt: liveStart})
	}
	if err := s.EnqueueHelpNotices(ctx, jobs); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			owner := fmt.Sprintf("w%d", w)
			for {
				got, err := s.ClaimHelpNotices(ctx, owner, liveStart, liveStart.Add(time.Hour), 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					if prev, ok := seen[j.ID]; ok {
						t.Errorf("%s claimed by %s and %s", j.ID, prev, owner)
					}
					seen[j.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 40 {
		t.Fatalf("%d notices claimed, want 40", len(seen))
	}
}
