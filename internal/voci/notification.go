package voci

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Notifications tell the council members and the coordinator of a municipality what waits
// for them: children's input ready for review, a recommendation that awaits their answer,
// feedback due within a week or overdue. A background job (Reminders) asks its sources what
// is due and stores one notification per thing, recipient and due date, under a unique key,
// so that several instances running the job create each notification once. Every
// notification is in Voci (the adult's notification list); when a mail server is configured
// it is also emailed, in the adult's language, through a queue leased like the help-request
// notices, so that two instances never send one mail at the same time.
//
// A notification asks for something, and is withdrawn once that is done: every run of the job
// resolves the notifications of a municipality that are no longer due (the input was
// reviewed and answered, a decision answers the recommendation, the feedback was published, a
// "due soon" became "overdue", the due date moved), and those of adults who no longer hold a
// role told of the municipality. A resolved notification is no longer listed, counted or
// emailed. Between runs, the list shows an adult only the notices of the municipalities where
// they hold such a role now, so that one who loses the role stops seeing them at once.

// NotificationKind says what a notification is about.
type NotificationKind string

const (
	// NotifyInputReady: a consultation closed with children's input to review.
	NotifyInputReady NotificationKind = "input_ready"
	// NotifyAwaitingAnswer: a recommendation has no council decision linked to it yet.
	NotifyAwaitingAnswer NotificationKind = "recommendation_awaits_answer"
	// NotifyFeedbackDueSoon: a consultation's feedback is due within FeedbackDueSoon.
	NotifyFeedbackDueSoon NotificationKind = "feedback_due_soon"
	// NotifyFeedbackOverdue: a consultation's feedback due date has passed without it.
	NotifyFeedbackOverdue NotificationKind = "feedback_overdue"
)

// NotificationKinds lists every kind.
var NotificationKinds = []NotificationKind{NotifyInputReady, NotifyAwaitingAnswer, NotifyFeedbackDueSoon, NotifyFeedbackOverdue}

// MailState is where a notification's email is.
type MailState string

const (
	MailNone    MailState = "none"    // no mail server was configured: the notification is in Voci only
	MailPending MailState = "pending" // queued, to be sent (again) at MailDueAt
	MailSent    MailState = "sent"
	MailFailed  MailState = "failed" // MaxNotificationMailAttempts failed; the notification is in Voci only
	// MailWithdrawn: the notification was resolved before its email was sent.
	MailWithdrawn MailState = "withdrawn"
)

// FeedbackDueSoon is how long before its due date a consultation's feedback is reminded of.
const FeedbackDueSoon = 7 * 24 * time.Hour

// MaxNotificationMailAttempts bounds the tries of one email (with HelpNoticeBackoff between
// them, about two hours in all); after them the email is marked failed and the notification
// stays in Voci. A reminder that arrives days late is worth less than a clean log.
const MaxNotificationMailAttempts = 8

// Notification is one thing one adult is told of.
type Notification struct {
	ID           string
	Municipality int
	Recipient    string // account ID
	Kind         NotificationKind
	// ConsultationID is the consultation concerned (also for a recommendation, when it comes
	// from one); RecommendationID is set for NotifyAwaitingAnswer.
	ConsultationID   string
	RecommendationID string
	// Title is the consultation's title (or the recommendation's) when the notification was
	// made: written by adults, never children's text.
	Title string
	// DueAt is the feedback due date, for the feedback kinds; zero otherwise.
	DueAt time.Time
	// Key is unique: kind, object, recipient and due date. A second notification with the
	// same key is never stored.
	Key       string
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
	// ResolvedAt is when the job found it no longer due (see ResolveNotifications); zero
	// while it is.
	ResolvedAt time.Time

	// The email: the address and language it is written to (the account's when the
	// notification was made), its state, and the lease of the worker sending it.
	Email        string
	Lang         string
	MailState    MailState
	MailAttempts int
	MailDueAt    time.Time
	MailSentAt   time.Time
	MailError    string
	LeaseOwner   string
	LeaseUntil   time.Time
}

// Unread reports whether the recipient has not read n.
func (n *Notification) Unread() bool { return n.ReadAt.IsZero() }

// Resolved reports whether what n asked for is done, or n's recipient no longer concerned.
func (n *Notification) Resolved() bool { return !n.ResolvedAt.IsZero() }

// toldOf reports whether the roles the reminders go to include one a holds in municipality.
func toldOf(a *Account, municipality int) bool {
	return a.HasRole(RoleCoordinator, municipality) || a.HasRole(RoleCouncilMember, municipality)
}

// NotifiedMunicipalities lists the municipalities whose notifications a is shown: those where
// a is coordinator or council member now.
func NotifiedMunicipalities(a *Account) []int {
	out := []int{}
	for _, g := range a.Roles {
		if g.Municipality > 0 && (g.Role == RoleCoordinator || g.Role == RoleCouncilMember) && !slices.Contains(out, g.Municipality) {
			out = append(out, g.Municipality)
		}
	}
	return out
}

// NotificationKey is the unique key of a notification: one per kind, object, recipient and
// due date, so a reminder is made once, and again only if the due date changes.
func NotificationKey(kind NotificationKind, object, recipient string, due time.Time) string {
	k := string(kind) + "|" + object + "|" + recipient
	if !due.IsZero() {
		k += "|" + due.UTC().Format("2006-01-02")
	}
	return k
}

// NotificationFilter selects a page of one adult's open (unresolved) notifications, newest
// first.
type NotificationFilter struct {
	Recipient string
	// Municipalities, when not nil, narrows to the notifications of these municipalities.
	Municipalities []int
	// WithResolved lists resolved notifications too (for tests and inquiries), newest first
	// all the same; CountUnreadNotifications ignores it.
	WithResolved bool
	UnreadOnly   bool
	Offset       int
	Limit        int // 1..MaxPageSize
}

// NotificationStore keeps notifications and the queue of their emails.
type NotificationStore interface {
	// CreateNotification stores n unless a notification with n.Key is stored already (a
	// unique index), and reports whether it stored it: of concurrent calls with one key,
	// exactly one returns true. A stored one that was resolved is reopened instead, as if new
	// (open, unread, made at n.CreatedAt, its email queued as n's unless still pending), and
	// that counts as stored: what is due again is shown again.
	CreateNotification(ctx context.Context, n *Notification) (bool, error)
	// FindNotifications returns a page of the recipient's open notifications (resolved ones
	// left out), newest first, and how many f selects in all.
	FindNotifications(ctx context.Context, f NotificationFilter) ([]Notification, int, error)
	// CountUnreadNotifications counts the unread open notifications f selects (its page and
	// UnreadOnly aside).
	CountUnreadNotifications(ctx context.Context, f NotificationFilter) (int, error)
	// ResolveNotifications marks resolved at at every open notification of the municipality
	// whose Key is not in due, withdraws the email of each that is pending and not leased
	// (MailWithdrawn), and returns how many it resolved. One that is resolved stays so.
	ResolveNotifications(ctx context.Context, municipality int, due []string, at time.Time) (int, error)
	// MarkNotificationRead marks the recipient's notification read at at; reading twice keeps
	// the first time. ENOTFOUND when the recipient has no such notification.
	MarkNotificationRead(ctx context.Context, recipient, id string, at time.Time) error
	// MarkAllNotificationsRead marks every unread notification of the recipient read at at,
	// and returns how many it marked.
	MarkAllNotificationsRead(ctx context.Context, recipient string, at time.Time) (int, error)
	// ClaimNotificationMails leases to owner, until until, up to limit open notifications whose
	// email is pending, due at now and not leased (or whose lease ran out), each by a
	// conditional update, so that two workers never hold one; earliest due first.
	ClaimNotificationMails(ctx context.Context, owner string, now, until time.Time, limit int) ([]Notification, error)
	// FinishNotificationMail records the email's final state (MailSent or MailFailed) with
	// lastError. ECONFLICT when owner no longer holds it.
	FinishNotificationMail(ctx context.Context, id, owner string, state MailState, at time.Time, lastError string) error
	// RetryNotificationMail releases the email to be tried again at due, counting the
	// attempt. ECONFLICT when owner no longer holds it.
	RetryNotificationMail(ctx context.Context, id, owner string, due time.Time, lastError string) error
}

// NotificationPage is one page of an adult's notifications.
type NotificationPage struct {
	Items  []Notification
	Total  int
	Unread int
}

// ListNotifications returns a page of the recipient's open notifications, newest first, with
// how many there are and how many are unread: only those of the municipalities where the
// recipient is coordinator or council member now. EINVALID for a bad page.
func ListNotifications(ctx context.Context, store NotificationStore, recipient *Account, unreadOnly bool, offset, limit int) (*NotificationPage, error) {
	if offset < 0 || limit < 1 || limit > MaxPageSize {
		return nil, InvalidParam("limit", "A page holds 1 to %d items, from an offset of 0 or more.", MaxPageSize)
	}
	f := NotificationFilter{Recipient: recipient.ID, Municipalities: NotifiedMunicipalities(recipient), UnreadOnly: unreadOnly, Offset: offset, Limit: limit}
	if len(f.Municipalities) == 0 {
		return &NotificationPage{Items: []Notification{}}, nil
	}
	items, total, err := store.FindNotifications(ctx, f)
	if err != nil {
		return nil, err
	}
	unread, err := store.CountUnreadNotifications(ctx, f)
	if err != nil {
		return nil, err
	}
	return &NotificationPage{Items: items, Total: total, Unread: unread}, nil
}

// ValidNotificationID reports whether id can be a notification's ID, so that a malformed one
// is refused before the store is asked.
func ValidNotificationID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_')
	}) < 0
}

// MarkNotificationRead marks the recipient's notification read. EINVALID for a malformed ID;
// ENOTFOUND when the recipient has no such notification (another adult's among them).
func MarkNotificationRead(ctx context.Context, store NotificationStore, recipient, id string, now time.Time) error {
	if !ValidNotificationID(id) {
		return InvalidParam("id", "This is not a notification's ID.")
	}
	return store.MarkNotificationRead(ctx, recipient, id, now)
}

// ---- what is due: the sources of the reminders

// PendingRecommendation is a recommendation with no council decision linked to it.
type PendingRecommendation struct {
	ID             string
	ConsultationID string // "" when it does not come from a consultation (a youth-council motion)
	Title          string
}

// DueConsultation is a closed consultation whose feedback is due within FeedbackDueSoon, or
// overdue, and not answered.
type DueConsultation struct {
	Consultation Consultation
	Overdue      bool
}

// ReminderFacts tells the reminder job what is due in one municipality at now.
type ReminderFacts interface {
	// ReadyForReview lists the closed consultations with children's input (choices, or
	// approved text) whose audience has not answered yet (their answer date is after now).
	ReadyForReview(ctx context.Context, municipality int, now time.Time) ([]Consultation, error)
	// AwaitingAnswer lists the recommendations with no council decision linked to them.
	AwaitingAnswer(ctx context.Context, municipality int, now time.Time) ([]PendingRecommendation, error)
	// FeedbackDue lists the closed consultations whose feedback is due within FeedbackDueSoon
	// of now, or overdue, and which are not answered.
	FeedbackDue(ctx context.Context, municipality int, now time.Time) ([]DueConsultation, error)
}

// reminderStore is what ConsultationFacts reads.
type reminderStore interface {
	FindConsultations(ctx context.Context, f ConsultationFilter) ([]Consultation, int, error)
	ListQuestions(ctx context.Context, consultationID string) ([]Question, error)
	CountAnswers(ctx context.Context, questionID string) ([]AnswerCount, error)
}

// ConsultationFacts is the ReminderFacts read from consultations. Recommendations and
// feedback are kept elsewhere; its two hooks say what it cannot know by itself.
type ConsultationFacts struct {
	Store reminderStore
	// Answered reports whether every recommendation of the consultation has published
	// feedback (the consultation is "answered"). Nil: no consultation is answered.
	Answered func(ctx context.Context, c *Consultation) (bool, error)
	// Awaiting lists the municipality's recommendations with no decision linked. Nil: none.
	Awaiting func(ctx context.Context, municipality int) ([]PendingRecommendation, error)
}

// closed returns every closed consultation of the municipality.
func (f *ConsultationFacts) closed(ctx context.Context, municipality int) ([]Consultation, error) {
	var out []Consultation
	for offset := 0; ; offset += MaxPageSize {
		page, total, err := f.Store.FindConsultations(ctx, ConsultationFilter{Municipality: municipality, Status: StatusClosed, Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < MaxPageSize || offset+MaxPageSize >= total {
			return out, nil
		}
	}
}

// hasInput reports whether any question of c has a visible answer.
func (f *ConsultationFacts) hasInput(ctx context.Context, c *Consultation) (bool, error) {
	qs, err := f.Store.ListQuestions(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, q := range qs {
		counts, err := f.Store.CountAnswers(ctx, q.ID)
		if err != nil {
			return false, err
		}
		for _, n := range counts {
			if n.N > 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// ReadyForReview implements ReminderFacts. A consultation is told of once, when the job
// first finds it closed with input; one still open is not, however much input arrives, so
// that reviewers hear of a consultation once, when it is complete. It is no longer ready once
// it is answered (the review is done and every recommendation has published feedback), or
// once its answer date has passed.
func (f *ConsultationFacts) ReadyForReview(ctx context.Context, municipality int, now time.Time) ([]Consultation, error) {
	all, err := f.closed(ctx, municipality)
	if err != nil {
		return nil, err
	}
	var out []Consultation
	for i := range all {
		c := &all[i]
		if !c.AnswerBy.After(now) {
			continue // its feedback reminders take over
		}
		if answered, err := f.answered(ctx, c); err != nil || answered {
			if err != nil {
				return nil, err
			}
			continue // reviewed, and every recommendation answered
		}
		ok, err := f.hasInput(ctx, c)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, *c)
		}
	}
	return out, nil
}

func (f *ConsultationFacts) answered(ctx context.Context, c *Consultation) (bool, error) {
	if f.Answered == nil {
		return false, nil
	}
	return f.Answered(ctx, c)
}

// AwaitingAnswer implements ReminderFacts through the Awaiting hook.
func (f *ConsultationFacts) AwaitingAnswer(ctx context.Context, municipality int, _ time.Time) ([]PendingRecommendation, error) {
	if f.Awaiting == nil {
		return nil, nil
	}
	return f.Awaiting(ctx, municipality)
}

// FeedbackDue implements ReminderFacts.
func (f *ConsultationFacts) FeedbackDue(ctx context.Context, municipality int, now time.Time) ([]DueConsultation, error) {
	all, err := f.closed(ctx, municipality)
	if err != nil {
		return nil, err
	}
	var out []DueConsultation
	for i := range all {
		c := &all[i]
		if c.AnswerBy.IsZero() || c.AnswerBy.Sub(now) > FeedbackDueSoon {
			continue
		}
		answered, err := f.answered(ctx, c)
		if err != nil {
			return nil, err
		}
		if answered {
			continue
		}
		out = append(out, DueConsultation{Consultation: *c, Overdue: !c.AnswerBy.After(now)})
	}
	return out, nil
}

// ---- the job

// NotificationMailer emails one notification to its recipient (n.Email, in n.Lang).
type NotificationMailer interface {
	SendNotification(ctx context.Context, n *Notification) error
}

// reminderDirectory is what the job reads beyond notifications and facts.
type reminderDirectory interface {
	NotificationStore
	FindMunicipalities(ctx context.Context, filter MunicipalityFilter) ([]Municipality, int, error)
	FindAccounts(ctx context.Context, f AccountFilter) ([]Account, int, error)
	FindAccountByID(ctx context.Context, id string) (*Account, error)
}

// Reminders is the background job: it makes the notifications that are due and sends their
// emails. Every instance may run it: the store's unique keys make each notification once,
// and leases send each email from one instance at a time. An instance that dies between
// handing a mail to the server and recording it sent leaves it to be sent again when the
// lease runs out: at least once, as the help-request notices.
type Reminders struct {
	Store reminderDirectory
	Facts ReminderFacts
	// Mailer sends the emails; nil when no mail server is configured: notifications are then
	// in Voci only (MailNone).
	Mailer NotificationMailer
	Logger *slog.Logger
	Clock  Clock
	NewID  func() string
	// Interval is how often Run looks for what is due; Lease how long a claimed email is
	// held; Owner names this instance in leases.
	Interval time.Duration
	Lease    time.Duration
	Owner    string
	Batch    int
	// Ready, when set, says whether the store is ready (migrated); runs before then are
	// skipped rather than logged as failures.
	Ready   func() bool
	failing bool
}

// DefaultReminderInterval is how often the job runs unless configured otherwise.
const DefaultReminderInterval = 5 * time.Minute

// NewReminders returns the job on store, with facts read from consultations (no
// recommendation awaits an answer and no consultation is answered until hooks say so), every
// interval (DefaultReminderInterval when zero).
func NewReminders(store interface {
	reminderDirectory
	reminderStore
}, mailer NotificationMailer, logger *slog.Logger, clock Clock, interval time.Duration) *Reminders {
	if interval <= 0 {
		interval = DefaultReminderInterval
	}
	if clock == nil {
		clock = time.Now
	}
	return &Reminders{Store: store, Facts: &ConsultationFacts{Store: store}, Mailer: mailer, Logger: logger, Clock: clock,
		NewID: RandomID, Interval: interval, Lease: 2 * time.Minute, Owner: RandomID(), Batch: 20}
}

// Run runs the job at once and then every Interval until ctx is done, and returns ctx's
// error. Failures are logged (the first of a series, then the recovery) and tried again at the
// next run.
func (r *Reminders) Run(ctx context.Context) error {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		var err error
		if r.Ready == nil || r.Ready() {
			_, err = r.RunOnce(ctx, r.Clock())
		}
		switch {
		case err != nil && ctx.Err() == nil && !r.failing:
			r.failing = true
			r.Logger.Error("reminders could not be made; trying again at the next run", "error", err)
		case err == nil && r.failing:
			r.failing = false
			r.Logger.Info("reminders are made again")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RunOnce makes the notifications due at now and sends the emails due; it returns how many
// notifications it made. It is not safe to call from several goroutines on one Reminders:
// run several instead.
func (r *Reminders) RunOnce(ctx context.Context, now time.Time) (int, error) {
	made, err := r.Collect(ctx, now)
	r.SendMail(ctx, now)
	return made, err
}

type dueThing struct {
	kind           NotificationKind
	object         string
	consultationID string
	recommendation string
	title          string
	due            time.Time
}

// Collect makes, in every enrolled municipality, one notification per due thing for each of
// its coordinators and council members, and returns how many it made (those made before, by
// this or another instance, are not made again). It goes on past a municipality whose facts
// cannot be read, and returns the first error.
func (r *Reminders) Collect(ctx context.Context, now time.Time) (int, error) {
	enrolled := true
	var firstErr error
	made := 0
	for offset := 0; ; offset += MaxPageSize {
		ms, total, err := r.Store.FindMunicipalities(ctx, MunicipalityFilter{Enrolled: &enrolled, Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return made, err
		}
		for _, m := range ms {
			n, err := r.collectIn(ctx, m.SIRUTA, now)
			made += n
			if err != nil && firstErr == nil {
				firstErr = err
			}
			if ctx.Err() != nil {
				return made, ctx.Err()
			}
		}
		if len(ms) < MaxPageSize || offset+MaxPageSize >= total {
			break
		}
	}
	return made, firstErr
}

func (r *Reminders) collectIn(ctx context.Context, municipality int, now time.Time) (int, error) {
	recipients, err := r.recipients(ctx, municipality)
	if err != nil {
		return 0, err
	}
	var things []dueThing
	ready, err := r.Facts.ReadyForReview(ctx, municipality, now)
	if err != nil {
		return 0, err
	}
	for _, c := range ready {
		things = append(things, dueThing{kind: NotifyInputReady, object: c.ID, consultationID: c.ID, title: c.Title})
	}
	pending, err := r.Facts.AwaitingAnswer(ctx, municipality, now)
	if err != nil {
		return 0, err
	}
	for _, p := range pending {
		things = append(things, dueThing{kind: NotifyAwaitingAnswer, object: p.ID, consultationID: p.ConsultationID, recommendation: p.ID, title: p.Title})
	}
	due, err := r.Facts.FeedbackDue(ctx, municipality, now)
	if err != nil {
		return 0, err
	}
	for _, d := range due {
		kind := NotifyFeedbackDueSoon
		if d.Overdue {
			kind = NotifyFeedbackOverdue
		}
		c := d.Consultation
		things = append(things, dueThing{kind: kind, object: c.ID, consultationID: c.ID, title: c.Title, due: c.AnswerBy})
	}
	// What is no longer due, and what is due to adults no longer told of it, is withdrawn
	// first; a notice resolved earlier whose thing is due again is reopened below.
	open := make([]string, 0, len(things)*len(recipients))
	for _, th := range things {
		for _, a := range recipients {
			open = append(open, NotificationKey(th.kind, th.object, a.ID, th.due))
		}
	}
	if _, err := r.Store.ResolveNotifications(ctx, municipality, open, now); err != nil {
		return 0, err
	}
	made := 0
	for _, th := range things {
		for _, a := range recipients {
			n := &Notification{ID: r.NewID(), Municipality: municipality, Recipient: a.ID, Kind: th.kind,
				ConsultationID: th.consultationID, RecommendationID: th.recommendation, Title: th.title, DueAt: th.due,
				Key: NotificationKey(th.kind, th.object, a.ID, th.due), CreatedAt: now,
				Email: a.Email, Lang: a.Lang, MailState: MailNone}
			if r.Mailer != nil && a.Email != "" {
				n.MailState, n.MailDueAt = MailPending, now
			}
			created, err := r.Store.CreateNotification(ctx, n)
			if err != nil {
				return made, err
			}
			if created {
				made++
			}
		}
	}
	return made, nil
}

// recipients are the enabled accounts holding the coordinator or council member role in the
// municipality.
func (r *Reminders) recipients(ctx context.Context, municipality int) ([]Account, error) {
	var out []Account
	for offset := 0; ; offset += MaxPageSize {
		accounts, total, err := r.Store.FindAccounts(ctx, AccountFilter{Municipality: municipality, Offset: offset, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, a := range accounts {
			if !a.Disabled && toldOf(&a, municipality) {
				out = append(out, a)
			}
		}
		if len(accounts) < MaxPageSize || offset+MaxPageSize >= total {
			return out, nil
		}
	}
}

// SendMail claims the emails due at now, batch by batch, and sends them; it returns how many
// it claimed. A failed email is tried again after HelpNoticeBackoff, and marked failed after
// MaxNotificationMailAttempts; the notification itself stays in Voci whatever happens.
func (r *Reminders) SendMail(ctx context.Context, now time.Time) int {
	claimed := 0
	for ctx.Err() == nil {
		batch, err := r.Store.ClaimNotificationMails(ctx, r.Owner, now, now.Add(r.Lease), r.Batch)
		if err != nil {
			if ctx.Err() == nil {
				r.Logger.Error("notification emails could not be read from the queue; trying again at the next run", "error", err)
			}
			return claimed
		}
		if len(batch) == 0 {
			return claimed
		}
		claimed += len(batch)
		for i := range batch {
			r.sendOne(ctx, &batch[i], now)
		}
	}
	return claimed
}

// stillConcerned reports whether n's recipient is still enabled and holds a role of the
// municipality that is told of it: an adult who left the council, or was disabled, while
// their email waited in the queue is not written to about that municipality any more.
func (r *Reminders) stillConcerned(ctx context.Context, n *Notification) (bool, error) {
	a, err := r.Store.FindAccountByID(ctx, n.Recipient)
	if ErrorCode(err) == ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !a.Disabled && toldOf(a, n.Municipality), nil
}

func (r *Reminders) sendOne(ctx context.Context, n *Notification, now time.Time) {
	concerned, err := r.stillConcerned(ctx, n)
	if err != nil {
		r.Logger.Error("a notification's recipient could not be read; its lease will run out and it will be tried again", "notification", n.ID, "error", err)
		return
	}
	if !concerned {
		if err := r.Store.FinishNotificationMail(ctx, n.ID, r.Owner, MailFailed, now, "the recipient no longer holds a role in the municipality"); err != nil {
			r.Logger.Error("the outcome of a notification email could not be recorded; its lease will run out", "notification", n.ID, "error", err)
		}
		return
	}
	if r.Mailer == nil {
		// Queued while a mail server was configured, and the server restarted without one.
		err = r.Store.FinishNotificationMail(ctx, n.ID, r.Owner, MailFailed, now, "no mail server is configured")
	} else {
		sendCtx, cancel := context.WithTimeout(ctx, r.Lease/2)
		sendErr := r.Mailer.SendNotification(sendCtx, n)
		cancel()
		switch {
		case sendErr == nil:
			err = r.Store.FinishNotificationMail(ctx, n.ID, r.Owner, MailSent, now, "")
		case n.MailAttempts+1 >= MaxNotificationMailAttempts:
			r.Logger.Error("a notification email could not be sent and will not be tried again; the notification is in Voci",
				"notification", n.ID, "kind", n.Kind, "attempts", n.MailAttempts+1, "error", sendErr)
			err = r.Store.FinishNotificationMail(ctx, n.ID, r.Owner, MailFailed, now, sendErr.Error())
		default:
			due := now.Add(HelpNoticeBackoff(n.MailAttempts + 1))
			r.Logger.Warn("a notification email could not be sent; it will be tried again", "notification", n.ID,
				"kind", n.Kind, "attempt", n.MailAttempts+1, "retry_at", due, "error", sendErr)
			err = r.Store.RetryNotificationMail(ctx, n.ID, r.Owner, due, sendErr.Error())
		}
	}
	if err != nil {
		r.Logger.Error("the outcome of a notification email could not be recorded; its lease will run out", "notification", n.ID, "error", err)
	}
}
