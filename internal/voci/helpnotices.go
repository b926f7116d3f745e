package voci

import (
	"context"
	"log/slog"
	"time"
)

// The durable queue of notices about help requests. A request queues one notice, the
// fan-out, in the store; a worker works out whom to tell and queues one notice per recipient
// (at most one per request and address); each is sent and retried, with a growing pause,
// until it goes. Workers on several instances share the queue: a notice is leased to one by a
// conditional update, and a notice whose worker died is taken again when its lease runs out.

// HelpMailer sends one help-request notice to one recipient.
type HelpMailer interface {
	SendHelpNotice(ctx context.Context, n *HelpNotice, to HelpRecipient) error
}

// HelpNoticeBackoff is the pause before the next attempt after attempts failed ones: 30 s,
// doubled each time, at most an hour.
func HelpNoticeBackoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// HelpNoticeWorker sends the queued notices. Build it with NewHelpNoticeWorker and call Run.
type HelpNoticeWorker struct {
	P *Participation
	// Mailer sends the emails; nil when no mail server is configured: the requests then reach
	// the leads in Voci only, and the list says so.
	Mailer HelpMailer
	Logger *slog.Logger
	// Owner names this worker in leases; unique per process.
	Owner string
	// Poll is how often the queue is read when nobody wakes the worker (due retries, notices
	// queued on another instance); Lease is how long a claimed notice is held.
	Poll  time.Duration
	Lease time.Duration
	// Batch bounds the notices claimed at once.
	Batch int
	wake  chan struct{}
	// failing is set while the queue cannot be read (a store that is down): the first
	// failure is logged, then the recovery, not every poll.
	failing bool
}

// NewHelpNoticeWorker returns a worker with a random owner, a 2 s poll, a 2 min lease and
// batches of 20.
func NewHelpNoticeWorker(p *Participation, mailer HelpMailer, logger *slog.Logger) *HelpNoticeWorker {
	return &HelpNoticeWorker{P: p, Mailer: mailer, Logger: logger, Owner: RandomID(), Poll: 2 * time.Second,
		Lease: 2 * time.Minute, Batch: 20, wake: make(chan struct{}, 1)}
}

// HelpRequested wakes the worker: it is the Participation's HelpNotifier. It returns at once.
func (w *HelpNoticeWorker) HelpRequested(HelpRequest) { w.Wake() }

// Wake makes the worker read the queue now.
func (w *HelpNoticeWorker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run works the queue until ctx is done, and returns ctx's error.
func (w *HelpNoticeWorker) Run(ctx context.Context) error {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		for w.RunOnce(ctx) > 0 && ctx.Err() == nil {
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-w.wake:
		}
	}
}

// RunOnce claims one batch of due notices and works it; it returns how many it claimed. It
// is not safe to call from several goroutines on one worker: run several workers instead.
func (w *HelpNoticeWorker) RunOnce(ctx context.Context) int {
	now := w.P.now()
	jobs, err := w.P.Store.ClaimHelpNotices(ctx, w.Owner, now, now.Add(w.Lease), w.Batch)
	if err != nil {
		if ctx.Err() == nil && !w.failing {
			w.failing = true
			w.Logger.Error("help notices could not be read from the queue; trying again", "error", err)
		}
		return 0
	}
	if w.failing {
		w.failing = false
		w.Logger.Info("help notices are read from the queue again")
	}
	for i := range jobs {
		w.work(ctx, &jobs[i])
	}
	return len(jobs)
}

func (w *HelpNoticeWorker) work(ctx context.Context, j *HelpNoticeJob) {
	h, err := w.P.Store.FindHelpRequestByID(ctx, j.Municipality, j.RequestID)
	if err == nil {
		var n *HelpNotice
		if n, err = w.P.PrepareHelpNotice(ctx, *h); err == nil {
			if j.Recipient == "" {
				err = w.fanOut(ctx, j, n)
			} else {
				err = w.send(ctx, j, n)
			}
		}
	}
	if err == nil {
		return
	}
	if ErrorCode(err) == ENOTFOUND && j.Recipient == "" {
		// The request is gone (the store was emptied by hand): nothing is left to tell.
		w.finish(ctx, j)
		return
	}
	due := w.P.now().Add(HelpNoticeBackoff(j.Attempts + 1))
	w.Logger.Error("a help notice could not be sent; it will be tried again", "help_request", j.RequestID,
		"municipality", j.Municipality, "recipient", j.Recipient, "attempt", j.Attempts+1, "retry_at", due, "error", err)
	if err := w.P.Store.RetryHelpNotice(ctx, j.ID, w.Owner, due, err.Error()); err != nil {
		w.Logger.Error("a help notice could not be put back in the queue; its lease will run out", "help_request", j.RequestID, "error", err)
	}
	if j.Recipient != "" {
		w.record(ctx, j, HelpNotifyRetrying)
	}
}

// fanOut queues one notice per recipient, or records why nobody is emailed.
func (w *HelpNoticeWorker) fanOut(ctx context.Context, j *HelpNoticeJob, n *HelpNotice) error {
	switch {
	case len(n.Recipients) == 0:
		w.Logger.Warn("a child asked for help, but the municipality has no safeguarding lead to email: add one, or a contact email in its profile (the request is in the leads' list in Voci)",
			"help_request", j.RequestID, "municipality", j.Municipality)
		w.record(ctx, j, HelpNotifyNoRecipients)
	case w.Mailer == nil:
		w.Logger.Warn("a child asked for help (no SMTP server is configured, so the safeguarding leads are not emailed; they see it in Voci)",
			"help_request", j.RequestID, "municipality", j.Municipality, "recipients", len(n.Recipients))
		w.record(ctx, j, HelpNotifyNotConfigured)
	default:
		now := w.P.now()
		jobs := make([]HelpNoticeJob, 0, len(n.Recipients))
		for _, r := range n.Recipients {
			jobs = append(jobs, HelpNoticeJob{ID: helpNoticeID(j.RequestID, r.Email), RequestID: j.RequestID, Municipality: j.Municipality,
				Recipient: r.Email, Name: r.Name, Lang: r.Lang, DueAt: now, CreatedAt: now})
		}
		if err := w.P.Store.EnqueueHelpNotices(ctx, jobs); err != nil {
			return err
		}
		w.Wake()
	}
	w.finish(ctx, j)
	return nil
}

func (w *HelpNoticeWorker) send(ctx context.Context, j *HelpNoticeJob, n *HelpNotice) error {
	if w.Mailer == nil {
		// Queued while a mail server was configured, and the server restarted without one.
		w.record(ctx, j, HelpNotifyNotConfigured)
		w.finish(ctx, j)
		return nil
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.Lease/2)
	err := w.Mailer.SendHelpNotice(sendCtx, n, HelpRecipient{Email: j.Recipient, Name: j.Name, Lang: j.Lang})
	cancel()
	if err != nil {
		return err
	}
	w.finish(ctx, j)
	left, err := w.P.Store.CountUnsentHelpNotices(ctx, j.RequestID)
	if err == nil && left == 0 {
		w.record(ctx, j, HelpNotifySent)
	}
	return nil
}

func (w *HelpNoticeWorker) finish(ctx context.Context, j *HelpNoticeJob) {
	if err := w.P.Store.FinishHelpNotice(ctx, j.ID, w.Owner, w.P.now()); err != nil {
		w.Logger.Error("a help notice was done but could not be marked so", "help_request", j.RequestID, "error", err)
	}
}

func (w *HelpNoticeWorker) record(ctx context.Context, j *HelpNoticeJob, status HelpNotification) {
	if err := w.P.Store.SetHelpNotification(ctx, j.Municipality, j.RequestID, status); err != nil {
		w.Logger.Error("the outcome of a help notice could not be recorded", "help_request", j.RequestID, "error", err)
	}
}
