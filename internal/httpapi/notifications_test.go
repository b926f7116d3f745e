package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

type notificationsAnswer struct {
	Items []struct {
		ID             string     `json:"id"`
		Kind           string     `json:"kind"`
		Municipality   int        `json:"municipality"`
		ConsultationID string     `json:"consultationId"`
		Title          string     `json:"title"`
		ReadAt         *time.Time `json:"readAt"`
		Link           string     `json:"link"`
		Mail           string     `json:"mail"`
	} `json:"items"`
	Total  int `json:"total"`
	Unread int `json:"unread"`
}

func myNotifications(t *testing.T, cl *client) notificationsAnswer {
	t.Helper()
	a := cl.do(t, "GET", "/api/v1/me/notifications", nil)
	if a.status != 200 {
		t.Fatalf("list: %d %s", a.status, a.body)
	}
	var out notificationsAnswer
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNotificationRoutes: a consultation of Bacău closes with children's input; the job
// tells its coordinator and council member, each of whom lists, reads and marks only their
// own notifications.
func TestNotificationRoutes(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	p := ts.Participation
	c := &voci.Consultation{Municipality: 20297, Title: "Parcul nostru", AudienceBody: "Consiliul Local", AnswerBy: time.Now().AddDate(0, 2, 0),
		Modes: []voci.Mode{voci.ModePaper}}
	if err := p.CreateConsultation(ctx, "someone", c, nil); err != nil {
		t.Fatal(err)
	}
	q := &voci.Question{Kind: voci.KindSingle, Prompt: "Ce vrei în parc?", Options: []voci.Option{{Label: "leagăne"}, {Label: "copaci"}}}
	if err := p.AddQuestion(ctx, c, q, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.SetConsultationStatus(ctx, c, voci.StatusOpen, nil); err != nil {
		t.Fatal(err)
	}
	form := voci.PaperForm{Key: "form-000001", Answers: []voci.PaperAnswer{{QuestionID: q.ID, Input: voci.AnswerInput{Choices: []string{q.Options[1].ID}}}}}
	if _, err := p.RecordPaperForm(ctx, c, form, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.SetConsultationStatus(ctx, c, voci.StatusClosed, nil); err != nil {
		t.Fatal(err)
	}
	job := voci.NewReminders(ts.store, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, time.Minute)
	if _, err := job.RunOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}

	coord := signInAs(t, ts, "coordinator.bacau@demo.voci.ro")
	council := signInAs(t, ts, "council.bacau@demo.voci.ro")
	facil := signInAs(t, ts, "facilitator.bacau@demo.voci.ro")

	mine := myNotifications(t, coord)
	if mine.Total != 1 || mine.Unread != 1 || len(mine.Items) != 1 {
		t.Fatalf("coordinator: %+v", mine)
	}
	n := mine.Items[0]
	if n.Kind != "input_ready" || n.ConsultationID != c.ID || n.Title != "Parcul nostru" || n.ReadAt != nil || n.Mail != "none" ||
		n.Link != "/m/20297/consultations/"+c.ID+"/review" {
		t.Fatalf("coordinator's notification %+v", n)
	}
	theirs := myNotifications(t, council)
	if theirs.Total != 1 || theirs.Items[0].ID == n.ID {
		t.Fatalf("council member: %+v", theirs)
	}
	if f := myNotifications(t, facil); f.Total != 0 || f.Items == nil {
		t.Fatalf("facilitator: %+v", f)
	}

	// Another adult cannot read, or even see, someone else's notification.
	wantProblem(t, "another adult's notification", council.do(t, "POST", "/api/v1/me/notifications/"+n.ID+"/read", nil), 404, voci.ENOTFOUND, "")
	wantProblem(t, "an unknown notification", coord.do(t, "POST", "/api/v1/me/notifications/01HZZZZZZZZZZZZZZZZZZZZZZZ/read", nil), 404, voci.ENOTFOUND, "")
	wantProblem(t, "a malformed ID", coord.do(t, "POST", "/api/v1/me/notifications/a.b/read", nil), 400, voci.EINVALID, "id")
	wantProblem(t, "a page too long", coord.do(t, "GET", "/api/v1/me/notifications?limit=101", nil), 400, voci.EINVALID, "limit")
	wantProblem(t, "signed out", ts.client().do(t, "GET", "/api/v1/me/notifications", nil), 401, voci.EUNAUTHORIZED, "")
	if myNotifications(t, coord).Unread != 1 {
		t.Fatal("another adult's attempt marked the notification read")
	}

	if a := coord.do(t, "POST", "/api/v1/me/notifications/"+n.ID+"/read", nil); a.status != 204 {
		t.Fatalf("read: %d %s", a.status, a.body)
	}
	if after := myNotifications(t, coord); after.Unread != 1-1 || after.Items[0].ReadAt == nil {
		t.Fatalf("after reading: %+v", after)
	}
	if myNotifications(t, council).Unread != 1 {
		t.Fatal("reading one's own notification read another adult's")
	}
	a := council.do(t, "POST", "/api/v1/me/notifications/read-all", nil)
	if a.status != 200 || string(a.body) != `{"marked":1}` {
		t.Fatalf("read all: %d %s", a.status, a.body)
	}
	if myNotifications(t, council).Unread != 0 {
		t.Fatal("read-all left one unread")
	}

	// The council member who loses the role sees none of Bacău's notices from the next
	// request on; the job then withdraws theirs, and the coordinator's stays.
	councilID := accountID(t, ts, "council.bacau@demo.voci.ro")
	mustStatus(t, coord.do(t, "DELETE", "/api/v1/municipalities/20297/people/"+councilID+"/roles/council_member", nil), 204)
	if gone := myNotifications(t, council); gone.Total != 0 || gone.Unread != 0 || len(gone.Items) != 0 {
		t.Fatalf("the former council member still sees: %+v", gone)
	}
	if _, err := job.RunOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	all, _, err := ts.store.FindNotifications(ctx, voci.NotificationFilter{Recipient: councilID, WithResolved: true, Limit: 10})
	if err != nil || len(all) != 1 || !all[0].Resolved() {
		t.Fatalf("the former council member's notice after the job: %+v %v", all, err)
	}
	if mine := myNotifications(t, coord); mine.Total != 1 {
		t.Fatalf("the coordinator's notice after the job: %+v", mine)
	}
}
