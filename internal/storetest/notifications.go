package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Notifications of council members and coordinators, and the queue of their emails.

var notifyAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func notification(id, recipient string, kind voci.NotificationKind, object string, at time.Time) *voci.Notification {
	return &voci.Notification{ID: id, Municipality: 20297, Recipient: recipient, Kind: kind, ConsultationID: object,
		Title: "Parcul nostru", Key: voci.NotificationKey(kind, object, recipient, time.Time{}), CreatedAt: at,
		Email: recipient + "@example.ro", Lang: "hu", MailState: voci.MailNone}
}

// testNotificationKeyIsUnique: a key is stored once, however many create it at once.
func testNotificationKeyIsUnique(t *testing.T, s voci.Store) {
	ctx := t.Context()
	n := notification("n-1", "acct-a", voci.NotifyInputReady, "c-1", notifyAt)
	n.DueAt = notifyAt.AddDate(0, 0, 7)
	n.Key = voci.NotificationKey(n.Kind, "c-1", "acct-a", n.DueAt)
	if created, err := s.CreateNotification(ctx, n); err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	again := *n
	again.ID = "n-2"
	if created, err := s.CreateNotification(ctx, &again); err != nil || created {
		t.Fatalf("same key again: %v %v", created, err)
	}
	list, total, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a", Limit: 10})
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("%+v %d %v", list, total, err)
	}
	got := list[0]
	if got.ID != "n-1" || got.Key != n.Key || got.Kind != voci.NotifyInputReady || got.ConsultationID != "c-1" || got.Title != "Parcul nostru" ||
		!got.DueAt.Equal(n.DueAt) || !got.CreatedAt.Equal(notifyAt) || !got.ReadAt.IsZero() || got.Email != "acct-a@example.ro" ||
		got.Lang != "hu" || got.MailState != voci.MailNone || got.Municipality != 20297 {
		t.Fatalf("round trip %+v", got)
	}

	var wg sync.WaitGroup
	var made atomic.Int32
	for i := range 8 {
		wg.Go(func() {
			x := notification(fmt.Sprintf("race-%d", i), "acct-b", voci.NotifyFeedbackOverdue, "c-2", notifyAt)
			created, err := s.CreateNotification(ctx, x)
			if err != nil {
				t.Error(err)
			}
			if created {
				made.Add(1)
			}
		})
	}
	wg.Wait()
	if made.Load() != 1 {
		t.Fatalf("%d of 8 racing creations stored, want 1", made.Load())
	}
	if _, total, _ := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-b", Limit: 10}); total != 1 {
		t.Fatalf("%d stored", total)
	}
}

// testNotificationListAndRead: newest first, paged, unread counted, read only by the recipient.
func testNotificationListAndRead(t *testing.T, s voci.Store) {
	ctx := t.Context()
	for i := range 5 {
		n := notification(fmt.Sprintf("n-%d", i), "acct-a", voci.NotifyInputReady, fmt.Sprintf("c-%d", i), notifyAt.Add(time.Duration(i)*time.Minute))
		if _, err := s.CreateNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateNotification(ctx, notification("other-0", "acct-b", voci.NotifyInputReady, "c-0", notifyAt)); err != nil {
		t.Fatal(err)
	}
	page, total, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a", Offset: 1, Limit: 2})
	if err != nil || total != 5 || len(page) != 2 || page[0].ID != "n-3" || page[1].ID != "n-2" {
		t.Fatalf("page %+v %d %v", page, total, err)
	}
	wantCode(t, "another adult's notification", s.MarkNotificationRead(ctx, "acct-b", "n-1", notifyAt), voci.ENOTFOUND)
	wantCode(t, "an unknown notification", s.MarkNotificationRead(ctx, "acct-a", "nope", notifyAt), voci.ENOTFOUND)
	if err := s.MarkNotificationRead(ctx, "acct-a", "n-1", notifyAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkNotificationRead(ctx, "acct-a", "n-1", notifyAt.Add(2*time.Hour)); err != nil {
		t.Fatal("reading twice:", err)
	}
	if n, err := s.CountUnreadNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a"}); err != nil || n != 4 {
		t.Fatalf("unread %d %v", n, err)
	}
	unread, total, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a", UnreadOnly: true, Limit: 10})
	if err != nil || total != 4 || len(unread) != 4 {
		t.Fatalf("unread page %d %v", total, err)
	}
	all, _, _ := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a", Limit: 10})
	for _, n := range all {
		if n.ID == "n-1" && !n.ReadAt.Equal(notifyAt.Add(time.Hour)) {
			t.Fatalf("read at %v, want the first time", n.ReadAt)
		}
	}
	if k, err := s.MarkAllNotificationsRead(ctx, "acct-a", notifyAt.Add(3*time.Hour)); err != nil || k != 4 {
		t.Fatalf("all read: %d %v", k, err)
	}
	if n, _ := s.CountUnreadNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a"}); n != 0 {
		t.Fatalf("unread after all read %d", n)
	}
	if n, _ := s.CountUnreadNotifications(ctx, voci.NotificationFilter{Recipient: "acct-b"}); n != 1 {
		t.Fatalf("another adult's unread %d", n)
	}
}

// testNotificationMailQueue: pending emails are leased, retried, finished; others never claimed.
func testNotificationMailQueue(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := notifyAt
	due := notification("m-due", "acct-a", voci.NotifyInputReady, "c-1", at)
	due.MailState, due.MailDueAt = voci.MailPending, at
	later := notification("m-later", "acct-a", voci.NotifyInputReady, "c-2", at)
	later.MailState, later.MailDueAt = voci.MailPending, at.Add(time.Hour)
	inApp := notification("m-none", "acct-a", voci.NotifyInputReady, "c-3", at)
	for _, n := range []*voci.Notification{due, later, inApp} {
		if _, err := s.CreateNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ClaimNotificationMails(ctx, "w1", at, at.Add(2*time.Minute), 10)
	if err != nil || len(got) != 1 || got[0].ID != "m-due" || got[0].LeaseOwner != "w1" || got[0].Email != "acct-a@example.ro" {
		t.Fatalf("claim %+v %v", got, err)
	}
	if again, _ := s.ClaimNotificationMails(ctx, "w2", at.Add(time.Minute), at.Add(3*time.Minute), 10); len(again) != 0 {
		t.Fatalf("a leased email was claimed again: %+v", again)
	}
	wantCode(t, "retry by another worker", s.RetryNotificationMail(ctx, "m-due", "w2", at, "x"), voci.ECONFLICT)
	if err := s.RetryNotificationMail(ctx, "m-due", "w1", at.Add(30*time.Second), "refused"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.ClaimNotificationMails(ctx, "w2", at.Add(30*time.Second), at.Add(3*time.Minute), 10)
	if len(got) != 1 || got[0].MailAttempts != 1 || got[0].MailError != "refused" {
		t.Fatalf("after a retry %+v", got)
	}
	// A lease that ran out is taken by another worker, and the first may no longer finish it.
	expired := at.Add(4 * time.Minute)
	got, _ = s.ClaimNotificationMails(ctx, "w3", expired, expired.Add(2*time.Minute), 1)
	if len(got) != 1 || got[0].ID != "m-due" {
		t.Fatalf("expired lease %+v", got)
	}
	wantCode(t, "finish by a worker whose lease ran out", s.FinishNotificationMail(ctx, "m-due", "w2", voci.MailSent, expired, ""), voci.ECONFLICT)
	if err := s.FinishNotificationMail(ctx, "m-due", "w3", voci.MailSent, expired, ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "finishing twice", s.FinishNotificationMail(ctx, "m-due", "w3", voci.MailSent, expired, ""), voci.ECONFLICT)
	rest, _ := s.ClaimNotificationMails(ctx, "w4", at.Add(2*time.Hour), at.Add(3*time.Hour), 10)
	if len(rest) != 1 || rest[0].ID != "m-later" {
		t.Fatalf("left %+v", rest)
	}
	if err := s.FinishNotificationMail(ctx, "m-later", "w4", voci.MailFailed, at.Add(2*time.Hour), "gave up"); err != nil {
		t.Fatal(err)
	}
	all, _, _ := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-a", Limit: 10})
	states := map[string]voci.MailState{}
	for _, n := range all {
		states[n.ID] = n.MailState
		if n.ID == "m-due" && !n.MailSentAt.Equal(expired) {
			t.Fatalf("sent at %v", n.MailSentAt)
		}
	}
	if states["m-due"] != voci.MailSent || states["m-later"] != voci.MailFailed || states["m-none"] != voci.MailNone {
		t.Fatalf("states %v", states)
	}
	if more, _ := s.ClaimNotificationMails(ctx, "w5", at.Add(48*time.Hour), at.Add(49*time.Hour), 10); len(more) != 0 {
		t.Fatalf("finished emails claimed: %+v", more)
	}
}

// testConcurrentNotificationMailClaims: workers that claim at once never share an email.
func testConcurrentNotificationMailClaims(t *testing.T, s voci.Store) {
	ctx := t.Context()
	for i := range 30 {
		n := notification(fmt.Sprintf("q%02d", i), "acct-a", voci.NotifyInputReady, fmt.Sprintf("c%02d", i), notifyAt)
		n.MailState, n.MailDueAt = voci.MailPending, notifyAt
		if _, err := s.CreateNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			owner := fmt.Sprintf("w%d", w)
			for {
				got, err := s.ClaimNotificationMails(ctx, owner, notifyAt, notifyAt.Add(time.Hour), 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, n := range got {
					if prev, ok := seen[n.ID]; ok {
						t.Errorf("%s claimed by %s and %s", n.ID, prev, owner)
					}
					seen[n.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 30 {
		t.Fatalf("%d emails claimed, want 30", len(seen))
	}
}

// testNotificationsResolved: a municipality's notifications whose keys are no longer due are
// resolved at once, and then neither listed, counted nor claimed for email; a pending email
// is withdrawn, one a worker holds is left to it; another municipality's stay open; a list
// narrowed to municipalities shows theirs only.
func testNotificationsResolved(t *testing.T, s voci.Store) {
	ctx := t.Context()
	at := notifyAt
	mk := func(id, recipient, object string, municipality int, mail voci.MailState) *voci.Notification {
		n := notification(id, recipient, voci.NotifyFeedbackDueSoon, object, at)
		n.Municipality, n.MailState = municipality, mail
		if mail == voci.MailPending {
			n.MailDueAt = at
		}
		if _, err := s.CreateNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	stays := mk("r-stays", "acct-r", "c-1", 20297, voci.MailPending)
	done := mk("r-done", "acct-r", "c-2", 20297, voci.MailPending)
	held := mk("r-held", "acct-r", "c-3", 20297, voci.MailPending)
	elsewhere := mk("r-elsewhere", "acct-r", "c-4", 40198, voci.MailNone)
	claimed, err := s.ClaimNotificationMails(ctx, "w1", at, at.Add(time.Hour), 10)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claim %+v %v", claimed, err)
	}
	// The lease of two of them runs out; the third stays with its worker.
	for _, id := range []string{"r-stays", "r-done"} {
		if err := s.RetryNotificationMail(ctx, id, "w1", at, "later"); err != nil {
			t.Fatal(err)
		}
	}
	k, err := s.ResolveNotifications(ctx, 20297, []string{stays.Key, "input_ready|c-9|acct-r"}, at.Add(time.Minute))
	if err != nil || k != 2 {
		t.Fatalf("resolved %d %v, want 2", k, err)
	}
	list, total, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Limit: 10})
	if err != nil || total != 2 || len(list) != 2 || list[0].ID == done.ID || list[1].ID == done.ID || list[0].Resolved() {
		t.Fatalf("open after resolving %+v %d %v", list, total, err)
	}
	if n, err := s.CountUnreadNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r"}); err != nil || n != 2 {
		t.Fatalf("unread after resolving %d %v", n, err)
	}
	// Resolving again resolves nothing more; what is resolved stays so.
	if k, err := s.ResolveNotifications(ctx, 20297, []string{stays.Key, done.Key, held.Key}, at.Add(2*time.Minute)); err != nil || k != 0 {
		t.Fatalf("again %d %v", k, err)
	}
	if _, total, _ := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Limit: 10}); total != 2 {
		t.Fatalf("a resolved notification came back: %d open", total)
	}
	// The withdrawn email is never claimed; the open one is; the held one finishes as its
	// worker says.
	got, err := s.ClaimNotificationMails(ctx, "w2", at.Add(time.Hour), at.Add(2*time.Hour), 10)
	if err != nil || len(got) != 1 || got[0].ID != stays.ID {
		t.Fatalf("claimed after resolving %+v %v", got, err)
	}
	if err := s.FinishNotificationMail(ctx, held.ID, "w1", voci.MailSent, at.Add(time.Minute), ""); err != nil {
		t.Fatalf("the worker holding a resolved notification's email: %v", err)
	}

	// Narrowed to municipalities: those of the list only; an empty list shows nothing.
	in, total, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Municipalities: []int{40198}, Limit: 10})
	if err != nil || total != 1 || len(in) != 1 || in[0].ID != elsewhere.ID {
		t.Fatalf("narrowed %+v %d %v", in, total, err)
	}
	if n, err := s.CountUnreadNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Municipalities: []int{40198}}); err != nil || n != 1 {
		t.Fatalf("narrowed unread %d %v", n, err)
	}
	if none, total, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Municipalities: []int{}, Limit: 10}); err != nil || total != 0 || len(none) != 0 {
		t.Fatalf("narrowed to none %+v %d %v", none, total, err)
	}
	// Nothing due in a municipality resolves all of its notifications.
	if k, err := s.ResolveNotifications(ctx, 40198, nil, at.Add(time.Hour)); err != nil || k != 1 {
		t.Fatalf("nothing due: %d %v", k, err)
	}
	// Due again, a resolved notification is reopened under its key, by exactly one of two
	// instances: open, unread, made anew, its withdrawn email queued again; an open one is not.
	if err := s.MarkNotificationRead(ctx, "acct-r", done.ID, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishNotificationMail(ctx, stays.ID, "w2", voci.MailSent, at.Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	later := at.Add(3 * time.Hour)
	reopened := make([]bool, 2)
	var wg sync.WaitGroup
	for i := range reopened {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := notification(fmt.Sprintf("r-again-%d", i), "acct-r", voci.NotifyFeedbackDueSoon, "c-2", later)
			n.MailState, n.MailDueAt = voci.MailPending, later
			ok, err := s.CreateNotification(ctx, n)
			if err != nil {
				t.Error(err)
			}
			reopened[i] = ok
		}()
	}
	wg.Wait()
	if reopened[0] == reopened[1] {
		t.Fatalf("reopened by %v, want exactly one", reopened)
	}
	open, _, err := s.FindNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Municipalities: []int{20297}, Limit: 10})
	if err != nil || len(open) != 2 || open[0].ID != done.ID || open[0].Resolved() || !open[0].Unread() || !open[0].CreatedAt.Equal(later) ||
		open[0].MailState != voci.MailPending {
		t.Fatalf("open after the key was due again %+v %v", open, err)
	}
	if n, err := s.CountUnreadNotifications(ctx, voci.NotificationFilter{Recipient: "acct-r", Municipalities: []int{20297}}); err != nil || n != 2 {
		t.Fatalf("unread after reopening %d %v", n, err)
	}
	if got, err := s.ClaimNotificationMails(ctx, "w3", later, later.Add(time.Hour), 10); err != nil || len(got) != 1 || got[0].ID != done.ID {
		t.Fatalf("the reopened email is not queued: %+v %v", got, err)
	}
	if ok, err := s.CreateNotification(ctx, notification("r-again-open", "acct-r", voci.NotifyFeedbackDueSoon, "c-2", later.Add(time.Hour))); err != nil || ok {
		t.Fatalf("an open notification made again: %v %v", ok, err)
	}
}
