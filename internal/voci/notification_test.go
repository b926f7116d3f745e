package voci_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/mail"
	"github.com/voci-platform/voci/internal/mail/smtptest"
	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

// The reminder job on a real SQLite file, with a real SMTP server (or none, or one that
// refuses): only the clock is made up.

var answerBy = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

type reminderWorld struct {
	path  string
	store *sqlitestore.Store
	p     *voci.Participation
	now   time.Time
}

func newReminderWorld(t *testing.T) *reminderWorld {
	t.Helper()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "voci.db")
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &reminderWorld{path: path, store: st, now: answerBy.AddDate(0, -2, 0)}
	w.p = voci.NewParticipation(st, moderation.New(), 5)
	w.p.Clock = func() time.Time { return w.now }
	if _, err := st.SeedReferenceData(ctx, []voci.County{{Code: 4, SIRUTA: 47, Name: "Bacău", Abbrev: "BC"}}, []voci.Municipality{
		{SIRUTA: 20297, Name: "Bacău", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4, CountyName: "Bacău"},
		{SIRUTA: 20876, Name: "Moinești", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4, CountyName: "Bacău"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []int{20297, 20876} {
		if err := st.SetMunicipalityEnrolled(ctx, m, true); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []voci.Account{
		{ID: "coord", Email: "coord@example.ro", Lang: "en", Roles: []voci.RoleGrant{{Role: voci.RoleCoordinator, Municipality: 20297}}},
		{ID: "council", Email: "council@example.ro", Lang: "hu", Roles: []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20297}}},
		{ID: "facil", Email: "facil@example.ro", Roles: []voci.RoleGrant{{Role: voci.RoleFacilitator, Municipality: 20297}}},
		{ID: "gone", Email: "gone@example.ro", Disabled: true, Roles: []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20297}}},
		{ID: "elsewhere", Email: "moinesti@example.ro", Roles: []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20876}}},
	} {
		a.DisplayName, a.CreatedAt, a.UpdatedAt = a.ID, w.now, w.now
		if err := st.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// consultation opens a paper consultation of Bacău answering by answerBy, with one answer
// when withInput, and closes it when closed.
func (w *reminderWorld) consultation(t *testing.T, title string, withInput, closed bool) *voci.Consultation {
	t.Helper()
	ctx := t.Context()
	c := &voci.Consultation{Municipality: 20297, Title: title, AudienceBody: "Consiliul Local Bacău", AnswerBy: answerBy, Modes: []voci.Mode{voci.ModePaper}}
	if err := w.p.CreateConsultation(ctx, "coord", c, nil); err != nil {
		t.Fatal(err)
	}
	q := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce vrei în parc?", Options: []voci.Option{{Label: "leagăne"}, {Label: "copaci"}}}
	if err := w.p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.p.SetConsultationStatus(ctx, c, voci.StatusOpen, nil); err != nil {
		t.Fatal(err)
	}
	if withInput {
		form := voci.PaperForm{Key: "form-" + c.ID, Answers: []voci.PaperAnswer{{QuestionID: q.ID, Input: voci.AnswerInput{Choices: []string{q.Options[0].ID}}}}}
		if _, err := w.p.RecordPaperForm(ctx, c, form, nil); err != nil {
			t.Fatal(err)
		}
	}
	if closed {
		if err := w.p.SetConsultationStatus(ctx, c, voci.StatusClosed, nil); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// closedPort returns a port of 127.0.0.1 where nothing listens: every delivery is refused.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func (w *reminderWorld) reminders(store voci.Store, mailer voci.NotificationMailer) *voci.Reminders {
	return voci.NewReminders(store, mailer, quiet(), func() time.Time { return w.now }, time.Minute)
}

// notices lists the recipient's open notifications.
func notices(t *testing.T, s voci.Store, recipient string) []voci.Notification {
	t.Helper()
	list, _, err := s.FindNotifications(t.Context(), voci.NotificationFilter{Recipient: recipient, Limit: voci.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// allNotices lists the recipient's notifications, resolved ones too.
func allNotices(t *testing.T, s voci.Store, recipient string) []voci.Notification {
	t.Helper()
	list, _, err := s.FindNotifications(t.Context(), voci.NotificationFilter{Recipient: recipient, WithResolved: true, Limit: voci.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (w *reminderWorld) account(t *testing.T, id string) *voci.Account {
	t.Helper()
	a, err := w.store.FindAccountByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func kinds(list []voci.Notification) []string {
	out := []string{}
	for _, n := range list {
		out = append(out, string(n.Kind)+" "+n.Title)
	}
	slices.Sort(out)
	return out
}

// smtpMailer is the job's mailer on a real mail.Sender.
type smtpMailer struct{ s *mail.Sender }

func (m smtpMailer) SendNotification(ctx context.Context, n *voci.Notification) error {
	return m.s.Send(ctx, mail.NotificationMessage(mail.Notification{Lang: n.Lang, To: n.Email, Kind: n.Kind, Title: n.Title,
		Municipality: "Bacău", DueAt: n.DueAt, Link: "https://voci.example.ro/m/20297/consultations/" + n.ConsultationID}))
}

func sender(t *testing.T, port int) smtpMailer {
	t.Helper()
	s, err := mail.New(mail.Config{Host: "127.0.0.1", Port: port, From: "Voci <voci@primaria-bacau.ro>", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	return smtpMailer{s}
}

// TestInputReadyIsToldOnceWhenTheConsultationCloses: an open consultation, however much input
// it has, tells nobody; once closed with input, its coordinator and council members (not its
// facilitators, not a disabled account, not another municipality's council) are told once.
// Without a mail server the notice is in Voci only.
func TestInputReadyIsToldOnceWhenTheConsultationCloses(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	r := w.reminders(w.store, nil)
	open := w.consultation(t, "Parcul nostru", true, false)
	w.consultation(t, "Fără răspunsuri", false, true)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 0 {
		t.Fatalf("while open: %d %v", made, err)
	}
	if err := w.p.SetConsultationStatus(ctx, open, voci.StatusClosed, nil); err != nil {
		t.Fatal(err)
	}
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("once closed: %d %v", made, err)
	}
	for _, who := range []string{"coord", "council"} {
		list := notices(t, w.store, who)
		if len(list) != 1 {
			t.Fatalf("%s: %+v", who, list)
		}
		n := list[0]
		if n.Kind != voci.NotifyInputReady || n.ConsultationID != open.ID || n.Title != "Parcul nostru" || n.MailState != voci.MailNone ||
			!n.Unread() || n.Municipality != 20297 || !n.CreatedAt.Equal(w.now) {
			t.Fatalf("%s: %+v", who, n)
		}
	}
	for _, who := range []string{"facil", "gone", "elsewhere"} {
		if list := notices(t, w.store, who); len(list) != 0 {
			t.Fatalf("%s was told: %+v", who, list)
		}
	}
	w.now = w.now.Add(time.Hour)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 0 {
		t.Fatalf("again: %d %v", made, err)
	}
}

// TestFeedbackIsRemindedAWeekBeforeAndWhenOverdue: nothing eight days before the due date,
// a reminder seven days before, one more once it has passed, each once; and none for an
// answered consultation. Each notice is withdrawn once the next takes over: input to review
// once the consultation is answered or its answer date passed, "due soon" once overdue.
func TestFeedbackIsRemindedAWeekBeforeAndWhenOverdue(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	r := w.reminders(w.store, nil)
	w.consultation(t, "Parcul nostru", true, true)
	answered := w.consultation(t, "Drumul spre școală", true, true)
	r.Facts.(*voci.ConsultationFacts).Answered = func(_ context.Context, c *voci.Consultation) (bool, error) { return c.ID == answered.ID, nil }

	w.now = answerBy.Add(-8 * 24 * time.Hour)
	if _, err := r.RunOnce(ctx, w.now); err != nil {
		t.Fatal(err)
	}
	if got := kinds(notices(t, w.store, "council")); !slices.Equal(got, []string{"input_ready Parcul nostru"}) {
		t.Fatalf("eight days before: %v", got)
	}
	w.now = answerBy.Add(-7 * 24 * time.Hour)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("seven days before: %d %v", made, err)
	}
	w.now = answerBy.Add(-time.Hour)
	if made, _ := r.RunOnce(ctx, w.now); made != 0 {
		t.Fatalf("a second reminder before the date: %d", made)
	}
	w.now = answerBy
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("on the due date: %d %v", made, err)
	}
	w.now = answerBy.AddDate(0, 0, 10)
	if made, _ := r.RunOnce(ctx, w.now); made != 0 {
		t.Fatalf("overdue told again: %d", made)
	}
	if got := kinds(notices(t, w.store, "coord")); !slices.Equal(got, []string{"feedback_overdue Parcul nostru"}) {
		t.Fatalf("coordinator's open notices %v", got)
	}
	got := kinds(allNotices(t, w.store, "coord"))
	want := []string{"feedback_due_soon Parcul nostru", "feedback_overdue Parcul nostru", "input_ready Parcul nostru"}
	if !slices.Equal(got, want) {
		t.Fatalf("coordinator's notices %v, want %v", got, want)
	}
	for _, n := range allNotices(t, w.store, "coord") {
		if (n.Kind == voci.NotifyFeedbackOverdue) == n.Resolved() {
			t.Fatalf("%s resolved %v", n.Kind, n.ResolvedAt)
		}
		if n.Kind == voci.NotifyFeedbackOverdue && !n.DueAt.Equal(answerBy) {
			t.Fatalf("due at %v", n.DueAt)
		}
	}
}

// TestTwoInstancesMakeAndMailEachReminderOnce: two jobs on two connections to one SQLite
// file, run at once again and again, make each notification once and send each email once.
func TestTwoInstancesMakeAndMailEachReminderOnce(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	other, err := sqlitestore.Open(ctx, w.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	srv := smtptest.Start(t)
	a, b := w.reminders(w.store, sender(t, srv.Port())), w.reminders(other, sender(t, srv.Port()))
	w.consultation(t, "Parcul nostru", true, true)
	w.consultation(t, "Drumul spre școală", true, true)
	w.now = answerBy.Add(-3 * 24 * time.Hour)

	var mu sync.Mutex
	made := 0
	var wg sync.WaitGroup
	for _, job := range []*voci.Reminders{a, b} {
		wg.Go(func() {
			for range 5 {
				n, err := job.RunOnce(ctx, w.now)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				made += n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// Two consultations, each ready for review and due in three days, for two adults.
	if made != 8 {
		t.Fatalf("%d notifications made, want 8", made)
	}
	msgs := srv.Messages()
	if len(msgs) != 8 {
		t.Fatalf("%d emails sent, want 8", len(msgs))
	}
	to := map[string]int{}
	for _, m := range msgs {
		to[strings.Join(m.To, ",")]++
		if strings.Contains(m.Data, "leagăne") {
			t.Fatal("an email carries children's input")
		}
	}
	if to["coord@example.ro"] != 4 || to["council@example.ro"] != 4 {
		t.Fatalf("emails per recipient %v", to)
	}
	for _, who := range []string{"coord", "council"} {
		for _, n := range notices(t, w.store, who) {
			if n.MailState != voci.MailSent || n.MailSentAt.IsZero() {
				t.Fatalf("%s: %+v", who, n)
			}
		}
	}
}

// TestAFailingMailServerLosesNoNotice: the notice is in Voci at once; its email is tried
// again after the pause and sent once a mail server answers; an email that keeps failing is
// marked failed after MaxNotificationMailAttempts, and the notice stays.
func TestAFailingMailServerLosesNoNotice(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	port := closedPort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	r := w.reminders(w.store, sender(t, port))
	w.consultation(t, "Parcul nostru", true, true)

	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("%d %v", made, err)
	}
	for _, who := range []string{"coord", "council"} {
		list := notices(t, w.store, who)
		if len(list) != 1 || list[0].MailState != voci.MailPending || list[0].MailAttempts != 1 || list[0].MailError == "" {
			t.Fatalf("%s after a refused delivery: %+v", who, list)
		}
	}
	// Before the pause is over nothing is tried; after it, a server that answers gets both.
	srv := smtptest.StartAt(t, addr)
	r.RunOnce(ctx, w.now.Add(10*time.Second))
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d emails sent before their pause ended", n)
	}
	w.now = w.now.Add(voci.HelpNoticeBackoff(1))
	r.RunOnce(ctx, w.now)
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("%d emails sent once the server answered, want 2", n)
	}
	if n := notices(t, w.store, "coord")[0]; n.MailState != voci.MailSent {
		t.Fatalf("%+v", n)
	}

	// A server that never answers: the email is given up, the notice stays unread in Voci.
	w2 := newReminderWorld(t)
	r2 := w2.reminders(w2.store, sender(t, closedPort(t)))
	w2.consultation(t, "Drumul spre școală", true, true)
	for i := range voci.MaxNotificationMailAttempts {
		r2.RunOnce(ctx, w2.now)
		w2.now = w2.now.Add(voci.HelpNoticeBackoff(i + 1))
	}
	list := notices(t, w2.store, "council")
	if len(list) != 1 || list[0].MailState != voci.MailFailed || !list[0].Unread() || list[0].MailAttempts != voci.MaxNotificationMailAttempts-1 {
		t.Fatalf("after %d refusals: %+v", voci.MaxNotificationMailAttempts, list)
	}
}

// TestNotificationsAreReadOnlyByTheirRecipient: the domain's read rules.
func TestNotificationsAreReadOnlyByTheirRecipient(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	w.consultation(t, "Parcul nostru", true, true)
	if _, err := w.reminders(w.store, nil).RunOnce(ctx, w.now); err != nil {
		t.Fatal(err)
	}
	page, err := voci.ListNotifications(ctx, w.store, w.account(t, "council"), false, 0, 10)
	if err != nil || page.Total != 1 || page.Unread != 1 {
		t.Fatalf("%+v %v", page, err)
	}
	id := page.Items[0].ID
	wantCode(t, "another adult", voci.MarkNotificationRead(ctx, w.store, "coord", id, w.now), voci.ENOTFOUND)
	wantCode(t, "a malformed ID", voci.MarkNotificationRead(ctx, w.store, "council", "../x", w.now), voci.EINVALID)
	_, err = voci.ListNotifications(ctx, w.store, w.account(t, "council"), false, 0, voci.MaxPageSize+1)
	wantCode(t, "a page too long", err, voci.EINVALID)
	if err := voci.MarkNotificationRead(ctx, w.store, "council", id, w.now); err != nil {
		t.Fatal(err)
	}
	if page, _ = voci.ListNotifications(ctx, w.store, w.account(t, "council"), false, 0, 10); page.Unread != 0 || page.Items[0].Unread() {
		t.Fatalf("%+v", page)
	}
	if page, _ = voci.ListNotifications(ctx, w.store, w.account(t, "coord"), false, 0, 10); page.Unread != 1 {
		t.Fatalf("the other adult's notice was read: %+v", page)
	}
}

// TestNoEmailToWhoLeftWhileItWaited: an email queued for a council member who then loses
// their role, or for a coordinator disabled meanwhile, is not sent; the others' are.
func TestNoEmailToWhoLeftWhileItWaited(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	port := closedPort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	r := w.reminders(w.store, sender(t, port))
	w.consultation(t, "Parcul nostru", true, true)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("%d %v", made, err)
	}
	none := []voci.RoleGrant{}
	if _, err := w.store.UpdateAccount(ctx, "council", voci.AccountUpdate{Roles: &none, UpdatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	srv := smtptest.StartAt(t, addr)
	w.now = w.now.Add(voci.HelpNoticeBackoff(1))
	r.RunOnce(ctx, w.now)
	if got := srv.Messages(); len(got) != 1 || !strings.Contains(strings.Join(got[0].To, ","), "coord@example.ro") {
		t.Fatalf("sent %+v, want the coordinator's only", got)
	}
	if list := notices(t, w.store, "council"); len(list) != 0 {
		t.Fatalf("the former council member is still told: %+v", list)
	}
	if n := allNotices(t, w.store, "council")[0]; n.MailState != voci.MailWithdrawn || !n.Resolved() {
		t.Fatalf("the former council member's email: %+v", n)
	}
}

// TestNoticesAreWithdrawnOnceResolved: a recommendation's notice goes once a decision answers
// it, and the overdue feedback's once the feedback is published (the consultation answered):
// neither is listed nor counted any more, and neither comes back at the next run.
func TestNoticesAreWithdrawnOnceResolved(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	r := w.reminders(w.store, nil)
	c := w.consultation(t, "Parcul nostru", true, true)
	facts := r.Facts.(*voci.ConsultationFacts)
	decided, published := false, false
	facts.Awaiting = func(_ context.Context, municipality int) ([]voci.PendingRecommendation, error) {
		if decided || municipality != c.Municipality {
			return nil, nil
		}
		return []voci.PendingRecommendation{{ID: "rec-1", ConsultationID: c.ID, Title: "Mai mulți copaci"}}, nil
	}
	facts.Answered = func(context.Context, *voci.Consultation) (bool, error) { return published, nil }

	w.now = answerBy.AddDate(0, 0, 1)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 4 {
		t.Fatalf("overdue, awaiting: %d %v", made, err)
	}
	council := w.account(t, "council")
	page, err := voci.ListNotifications(ctx, w.store, council, false, 0, 10)
	if err != nil || page.Total != 2 || page.Unread != 2 {
		t.Fatalf("before: %+v %v", page, err)
	}

	decided = true
	w.now = w.now.Add(time.Hour)
	if _, err := r.RunOnce(ctx, w.now); err != nil {
		t.Fatal(err)
	}
	if got := kinds(notices(t, w.store, "council")); !slices.Equal(got, []string{"feedback_overdue Parcul nostru"}) {
		t.Fatalf("once decided: %v", got)
	}
	for _, n := range allNotices(t, w.store, "coord") {
		if n.Kind == voci.NotifyAwaitingAnswer && !n.ResolvedAt.Equal(w.now) {
			t.Fatalf("the answered recommendation's notice: %+v", n)
		}
	}

	published = true
	w.now = w.now.Add(time.Hour)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 0 {
		t.Fatalf("once published: %d %v", made, err)
	}
	page, err = voci.ListNotifications(ctx, w.store, council, false, 0, 10)
	if err != nil || page.Total != 0 || page.Unread != 0 || len(page.Items) != 0 {
		t.Fatalf("once published: %+v %v", page, err)
	}
	if all := allNotices(t, w.store, "council"); len(all) != 2 {
		t.Fatalf("resolved notices are kept: %+v", all)
	}
	w.now = w.now.Add(time.Hour)
	if made, _ := r.RunOnce(ctx, w.now); made != 0 || len(notices(t, w.store, "coord")) != 0 {
		t.Fatalf("a withdrawn notice came back: %d %v", made, kinds(notices(t, w.store, "coord")))
	}
}

// TestNoticesGoWithTheRole: an adult who is no longer council member of the municipality sees
// none of its notices from that moment, before the job runs again; the job then withdraws
// them and their pending emails. The coordinator's stay.
func TestNoticesGoWithTheRole(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	port := closedPort(t)
	r := w.reminders(w.store, sender(t, port))
	w.consultation(t, "Parcul nostru", true, true)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("%d %v", made, err)
	}
	moinesti := []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20876}}
	if _, err := w.store.UpdateAccount(ctx, "council", voci.AccountUpdate{Roles: &moinesti, UpdatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	page, err := voci.ListNotifications(ctx, w.store, w.account(t, "council"), false, 0, 10)
	if err != nil || page.Total != 0 || page.Unread != 0 || len(page.Items) != 0 {
		t.Fatalf("the former council member of Bacău still sees: %+v %v", page, err)
	}
	if page, _ := voci.ListNotifications(ctx, w.store, w.account(t, "coord"), false, 0, 10); page.Total != 1 {
		t.Fatalf("the coordinator's: %+v", page)
	}
	w.now = w.now.Add(voci.HelpNoticeBackoff(1))
	r.RunOnce(ctx, w.now)
	all := allNotices(t, w.store, "council")
	if len(all) != 1 || !all[0].Resolved() || all[0].MailState != voci.MailWithdrawn {
		t.Fatalf("the former council member's notice: %+v", all)
	}
	if n := notices(t, w.store, "coord"); len(n) != 1 || n[0].Resolved() || n[0].MailState != voci.MailPending {
		t.Fatalf("the coordinator's notice: %+v", n)
	}
}

// TestAResolvedNoticeComesBackWhenDueAgain: a notice withdrawn because its adult lost the role
// shows again, unread and as new, once they hold it again and the thing is still due; it is
// the same notice (its key is unique), made once however often the job runs.
func TestAResolvedNoticeComesBackWhenDueAgain(t *testing.T) {
	w := newReminderWorld(t)
	ctx := t.Context()
	r := w.reminders(w.store, nil)
	w.consultation(t, "Parcul nostru", true, true)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 2 {
		t.Fatalf("%d %v", made, err)
	}
	first := notices(t, w.store, "council")
	if len(first) != 1 {
		t.Fatalf("council's notices %+v", first)
	}
	if err := w.store.MarkNotificationRead(ctx, "council", first[0].ID, w.now); err != nil {
		t.Fatal(err)
	}
	before := w.account(t, "council").Roles
	elsewhere := []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20876}}
	if _, err := w.store.UpdateAccount(ctx, "council", voci.AccountUpdate{Roles: &elsewhere, UpdatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(time.Hour)
	if _, err := r.RunOnce(ctx, w.now); err != nil {
		t.Fatal(err)
	}
	if all := allNotices(t, w.store, "council"); len(all) != 1 || !all[0].Resolved() {
		t.Fatalf("withdrawn with the role: %+v", all)
	}
	if _, err := w.store.UpdateAccount(ctx, "council", voci.AccountUpdate{Roles: &before, UpdatedAt: w.now}); err != nil {
		t.Fatal(err)
	}
	w.now = w.now.Add(time.Hour)
	made, err := r.RunOnce(ctx, w.now)
	if err != nil || made != 1 {
		t.Fatalf("reopened %d %v, want 1", made, err)
	}
	again := notices(t, w.store, "council")
	if len(again) != 1 || again[0].ID != first[0].ID || again[0].Resolved() || !again[0].Unread() || !again[0].CreatedAt.Equal(w.now) {
		t.Fatalf("the notice due again: %+v", again)
	}
	page, err := voci.ListNotifications(ctx, w.store, w.account(t, "council"), false, 0, 10)
	if err != nil || page.Total != 1 || page.Unread != 1 {
		t.Fatalf("listed again: %+v %v", page, err)
	}
	w.now = w.now.Add(time.Hour)
	if made, err := r.RunOnce(ctx, w.now); err != nil || made != 0 {
		t.Fatalf("made again while open: %d %v", made, err)
	}
}
