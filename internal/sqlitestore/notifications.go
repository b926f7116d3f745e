package sqlitestore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// ---- notifications and the queue of their emails

const notificationColumns = `id, key, municipality, recipient, kind, consultation_id, recommendation_id, title, due_at,
	created_at, read_at, email, lang, mail_state, mail_attempts, mail_due_at, mail_sent_at, mail_error, lease_owner, lease_until, resolved_at`

func scanNotification(row interface{ Scan(...any) error }) (*voci.Notification, error) {
	var n voci.Notification
	var due, created, read, mailDue, mailSent, leaseUntil, resolved string
	if err := row.Scan(&n.ID, &n.Key, &n.Municipality, &n.Recipient, &n.Kind, &n.ConsultationID, &n.RecommendationID, &n.Title, &due,
		&created, &read, &n.Email, &n.Lang, &n.MailState, &n.MailAttempts, &mailDue, &mailSent, &n.MailError, &n.LeaseOwner, &leaseUntil,
		&resolved); err != nil {
		return nil, err
	}
	var e [7]error
	n.DueAt, e[0] = parseOptTime(due)
	n.CreatedAt, e[1] = parseTime(created)
	n.ReadAt, e[2] = parseOptTime(read)
	n.MailDueAt, e[3] = parseOptTime(mailDue)
	n.MailSentAt, e[4] = parseOptTime(mailSent)
	n.LeaseUntil, e[5] = parseOptTime(leaseUntil)
	n.ResolvedAt, e[6] = parseOptTime(resolved)
	return &n, errors.Join(e[:]...)
}

// CreateNotification stores n unless its key is stored (the unique index decides), and reopens
// the one stored under the key if it was resolved: one statement, so of two instances doing it
// at once one reopens it and the other finds it open. An email still pending keeps its place
// in the queue; any other is queued as n's.
func (s *Store) CreateNotification(ctx context.Context, n *voci.Notification) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO notifications (`+notificationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET resolved_at = '', read_at = '', created_at = excluded.created_at,
			title = excluded.title, email = excluded.email, lang = excluded.lang,
			mail_state = CASE WHEN mail_state = 'pending' THEN mail_state ELSE excluded.mail_state END,
			mail_attempts = CASE WHEN mail_state = 'pending' THEN mail_attempts ELSE 0 END,
			mail_due_at = CASE WHEN mail_state = 'pending' THEN mail_due_at ELSE excluded.mail_due_at END,
			mail_sent_at = CASE WHEN mail_state = 'pending' THEN mail_sent_at ELSE '' END,
			mail_error = CASE WHEN mail_state = 'pending' THEN mail_error ELSE '' END
		WHERE resolved_at <> ''`,
		n.ID, n.Key, n.Municipality, n.Recipient, string(n.Kind), n.ConsultationID, n.RecommendationID, n.Title, optTime(n.DueAt),
		formatTime(n.CreatedAt), optTime(n.ReadAt), n.Email, n.Lang, string(n.MailState), n.MailAttempts, optTime(n.MailDueAt),
		optTime(n.MailSentAt), n.MailError, n.LeaseOwner, optTime(n.LeaseUntil), optTime(n.ResolvedAt))
	if err != nil {
		if isUniqueViolation(err) {
			return false, voci.Errorf(voci.ECONFLICT, "A notification with this ID exists.")
		}
		return false, storeError("create notification", err)
	}
	k, err := res.RowsAffected()
	if err != nil {
		return false, storeError("create notification", err)
	}
	return k == 1, nil
}

// notificationWhere is the condition of f: the recipient's open notifications, of f's
// municipalities when it names them.
func notificationWhere(f voci.NotificationFilter, unreadOnly bool) (string, []any) {
	where, args := `recipient = ?`, []any{f.Recipient}
	if !f.WithResolved || unreadOnly {
		where += ` AND resolved_at = ''`
	}
	if f.Municipalities != nil {
		where += ` AND municipality IN (SELECT value FROM json_each(?))`
		args = append(args, toJSON(f.Municipalities))
	}
	if unreadOnly {
		where += ` AND read_at = ''`
	}
	return where, args
}

// FindNotifications returns a page of the recipient's open notifications, newest first.
func (s *Store) FindNotifications(ctx context.Context, f voci.NotificationFilter) ([]voci.Notification, int, error) {
	where, args := notificationWhere(f, f.UnreadOnly)
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, storeError("count notifications", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE `+where+`
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, storeError("find notifications", err)
	}
	defer rows.Close()
	out := []voci.Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, 0, storeError("find notifications", err)
		}
		out = append(out, *n)
	}
	return out, total, storeError("find notifications", rows.Err())
}

// CountUnreadNotifications counts the unread open notifications f selects.
func (s *Store) CountUnreadNotifications(ctx context.Context, f voci.NotificationFilter) (int, error) {
	where, args := notificationWhere(f, true)
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE `+where, args...).Scan(&n)
	return n, storeError("count unread notifications", err)
}

// ResolveNotifications marks resolved the municipality's open notifications whose key is not
// due, in one statement, withdrawing each pending email that no worker holds.
func (s *Store) ResolveNotifications(ctx context.Context, municipality int, due []string, at time.Time) (int, error) {
	if due == nil {
		due = []string{}
	}
	a := formatTime(at)
	res, err := s.write.ExecContext(ctx, `UPDATE notifications SET resolved_at = ?,
		mail_state = CASE WHEN mail_state = 'pending' AND lease_until <= ? THEN 'withdrawn' ELSE mail_state END
		WHERE municipality = ? AND resolved_at = '' AND key NOT IN (SELECT value FROM json_each(?))`,
		a, a, municipality, toJSON(due))
	if err != nil {
		return 0, storeError("resolve notifications", err)
	}
	k, err := res.RowsAffected()
	return int(k), storeError("resolve notifications", err)
}

// MarkNotificationRead marks one of the recipient's notifications read, keeping a first time.
func (s *Store) MarkNotificationRead(ctx context.Context, recipient, id string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE notifications SET read_at = CASE WHEN read_at = '' THEN ? ELSE read_at END
		WHERE id = ? AND recipient = ?`, formatTime(at), id, recipient)
	if err != nil {
		return storeError("mark notification read", err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return storeError("mark notification read", err)
	} else if k == 0 {
		return voci.Errorf(voci.ENOTFOUND, "No such notification.")
	}
	return nil
}

// MarkAllNotificationsRead marks every unread notification of the recipient read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, recipient string, at time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE recipient = ? AND read_at = ''`, formatTime(at), recipient)
	if err != nil {
		return 0, storeError("mark notifications read", err)
	}
	k, err := res.RowsAffected()
	return int(k), storeError("mark notifications read", err)
}

// ClaimNotificationMails leases due emails to owner in one conditional update.
func (s *Store) ClaimNotificationMails(ctx context.Context, owner string, now, until time.Time, limit int) ([]voci.Notification, error) {
	n := formatTime(now)
	rows, err := s.write.QueryContext(ctx, `UPDATE notifications SET lease_owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM notifications WHERE mail_state = 'pending' AND mail_due_at <= ? AND lease_until <= ?
		             AND resolved_at = '' ORDER BY mail_due_at, id LIMIT ?)
		  AND mail_state = 'pending' AND lease_until <= ?
		RETURNING `+notificationColumns, owner, formatTime(until), n, n, limit, n)
	if err != nil {
		return nil, storeError("claim notification mails", err)
	}
	defer rows.Close()
	var out []voci.Notification
	for rows.Next() {
		x, err := scanNotification(rows)
		if err != nil {
			return nil, storeError("claim notification mails", err)
		}
		out = append(out, *x)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError("claim notification mails", err)
	}
	// RETURNING gives rows in no set order.
	slices.SortFunc(out, func(a, b voci.Notification) int {
		if c := a.MailDueAt.Compare(b.MailDueAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (s *Store) releaseNotificationMail(ctx context.Context, op, set, id, owner string, args ...any) error {
	args = append(args, id, owner)
	res, err := s.write.ExecContext(ctx, `UPDATE notifications SET `+set+` WHERE id = ? AND lease_owner = ? AND mail_state = 'pending'`, args...)
	if err != nil {
		return storeError(op, err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return storeError(op, err)
	} else if k == 0 {
		return voci.Errorf(voci.ECONFLICT, "This email is no longer held by this worker.")
	}
	return nil
}

// FinishNotificationMail records the email's final state.
func (s *Store) FinishNotificationMail(ctx context.Context, id, owner string, state voci.MailState, at time.Time, lastError string) error {
	sent := ""
	if state == voci.MailSent {
		sent = formatTime(at)
	}
	return s.releaseNotificationMail(ctx, "finish notification mail", `mail_state = ?, mail_sent_at = ?, mail_error = ?, lease_until = ''`,
		id, owner, string(state), sent, lastError)
}

// RetryNotificationMail puts the email back for due, counting the attempt.
func (s *Store) RetryNotificationMail(ctx context.Context, id, owner string, due time.Time, lastError string) error {
	return s.releaseNotificationMail(ctx, "retry notification mail",
		`mail_attempts = mail_attempts + 1, mail_due_at = ?, mail_error = ?, lease_owner = '', lease_until = ''`,
		id, owner, formatTime(due), lastError)
}
