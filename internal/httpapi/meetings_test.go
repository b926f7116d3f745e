package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// attach sends a document as the agenda editor does: multipart/form-data, field "file".
func (cl *client) attach(t *testing.T, url, filename, contentType string, data []byte) answer {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	part, _ := w.CreatePart(h)
	part.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Cookie", "voci_session="+cl.cookie)
	req.Header.Set("X-CSRF-Token", cl.csrf)
	resp, err := cl.ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

type agendaItemOut struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	Kind         string  `json:"kind"`
	Status       string  `json:"status"`
	Proposed     bool    `json:"proposed"`
	ProposerName *string `json:"proposerName"`
	Held         bool    `json:"held"`
	Mine         bool    `json:"mine"`
	Attachments  []struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		ContentType string `json:"contentType"`
	} `json:"attachments"`
}

type meetingPageOut struct {
	Meeting struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		State   string `json:"state"`
		Place   string `json:"place"`
		Version int    `json:"version"`
	} `json:"meeting"`
	Agenda struct {
		Items []agendaItemOut `json:"items"`
	} `json:"agenda"`
}

func agendaTitles(items []agendaItemOut) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title+":"+it.Status)
	}
	return strings.Join(out, ", ")
}

// TestCouncilMeetingsEndToEnd: the coordinator schedules a meeting and drafts its agenda; a
// member proposes from their phone; the coordinator accepts and reorders; documents of a lying
// type are refused; the member reads and downloads; another municipality's adults see
// nothing; nothing changes once the meeting is cancelled.
func TestCouncilMeetingsEndToEnd(t *testing.T) {
	ts := newTestServer(t)
	const base = "/api/v1/municipalities/20297/youth-council"
	coord := ts.client()
	coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword)
	if a := coord.do(t, "PUT", base, map[string]any{"name": "Consiliul Copiilor Bacău"}); a.status != 201 {
		t.Fatalf("council: %d %s", a.status, a.body)
	}
	bogdi := decodeInto[councilMemberOut](t, coord.do(t, "POST", base+"/members", map[string]any{"displayName": "Bogdi", "ageBand": "16_18"}))
	zoli := decodeInto[councilMemberOut](t, coord.do(t, "POST", base+"/members", map[string]any{"displayName": "Zoli", "ageBand": "16_18"}))
	signIn := func(memberID string) *memberPhone {
		link := decodeInto[struct {
			Link string `json:"link"`
		}](t, coord.do(t, "POST", base+"/members/"+memberID+"/card", nil)).Link
		ph := &memberPhone{ts: ts}
		a := ph.do(t, "POST", "/api/v1/youth-council/sign-in", map[string]string{"card": link[strings.Index(link, "#card=")+6:]})
		ph.csrf = decodeInto[struct {
			CSRFToken string `json:"csrfToken"`
		}](t, a).CSRFToken
		return ph
	}
	bPhone, zPhone := signIn(bogdi.ID), signIn(zoli.ID)

	starts := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	wantCouncilProblem(t, "no title", coord.do(t, "POST", base+"/meetings", map[string]any{"startsAt": starts}), 400, "invalid_parameter")
	wantCouncilProblem(t, "bad start", coord.do(t, "POST", base+"/meetings", map[string]any{"title": "Ședința", "startsAt": "mâine"}), 400, "invalid_parameter")
	fac := ts.client()
	fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword)
	wantCouncilProblem(t, "facilitator schedules", fac.do(t, "POST", base+"/meetings", map[string]any{"title": "Ședința", "startsAt": starts}), 404, "not_found")
	a := coord.do(t, "POST", base+"/meetings", map[string]any{"title": "Ședința din decembrie", "startsAt": starts, "place": "Sala mică"})
	if a.status != 201 {
		t.Fatalf("schedule: %d %s", a.status, a.body)
	}
	page := decodeInto[meetingPageOut](t, a)
	mURL := base + "/meetings/" + page.Meeting.ID
	if page.Meeting.State != "scheduled" || page.Meeting.Version != 1 {
		t.Fatalf("scheduled %+v", page.Meeting)
	}
	wantCouncilProblem(t, "stale edit", coord.do(t, "PATCH", mURL, map[string]any{"place": "online", "version": 7}), 409, "conflict")
	if a := coord.do(t, "PATCH", mURL, map[string]any{"place": "Sala mare", "version": 1}); a.status != 200 || decodeInto[meetingPageOut](t, a).Meeting.Place != "Sala mare" {
		t.Fatalf("edit: %d %s", a.status, a.body)
	}

	// The coordinator drafts two items; Bogdi proposes a third from his phone.
	for _, title := range []string{"Bugetul participativ", "Parcul din cartier"} {
		if a := coord.do(t, "POST", mURL+"/agenda", map[string]any{"title": title, "kind": "discussion"}); a.status != 201 {
			t.Fatalf("draft: %d %s", a.status, a.body)
		}
	}
	mine := "/api/v1/youth-council/me/meetings/" + page.Meeting.ID + "/agenda"
	wantCouncilProblem(t, "proposal without token", (&memberPhone{ts: ts, cookie: bPhone.cookie}).do(t, "POST", mine, map[string]any{"title": "Skatepark"}), 403, "csrf_failed")
	a = bPhone.do(t, "POST", mine, map[string]any{"title": "Un skatepark", "kind": "decision"})
	if a.status != 201 {
		t.Fatalf("propose: %d %s", a.status, a.body)
	}
	if a := zPhone.do(t, "POST", mine, map[string]any{"title": "Scrieți-mi la zoli@example.org"}); a.status != 201 {
		t.Fatalf("held proposal: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "a member decides", zPhone.do(t, "PATCH", mine+"/x", map[string]any{"status": "accepted"}), 403, "forbidden")
	page = decodeInto[meetingPageOut](t, coord.do(t, "GET", mURL, nil))
	if got := agendaTitles(page.Agenda.Items); got != "Bugetul participativ:accepted, Parcul din cartier:accepted, Un skatepark:proposed, Scrieți-mi la zoli@example.org:proposed" {
		t.Fatalf("coordinator's agenda %q", got)
	}
	prop, held := page.Agenda.Items[2], page.Agenda.Items[3]
	if !prop.Proposed || prop.ProposerName == nil || *prop.ProposerName != "Bogdi" || prop.Held || !held.Held {
		t.Fatalf("proposals %+v %+v", prop, held)
	}
	// Zoli's held text reaches no other member; Bogdi sees his own proposal as his.
	view := decodeInto[struct {
		Meetings []struct {
			ID     string `json:"id"`
			Agenda struct {
				Items []agendaItemOut `json:"items"`
			} `json:"agenda"`
		} `json:"meetings"`
	}](t, bPhone.do(t, "GET", "/api/v1/youth-council/me", nil))
	if len(view.Meetings) != 1 || agendaTitles(view.Meetings[0].Agenda.Items) != "Bugetul participativ:accepted, Parcul din cartier:accepted, Un skatepark:proposed" ||
		!view.Meetings[0].Agenda.Items[2].Mine {
		t.Fatalf("member's view %+v", view)
	}
	wantCouncilProblem(t, "held without confirmation", coord.do(t, "PATCH", mURL+"/agenda/"+held.ID, map[string]any{"status": "accepted"}), 409, "held_text_needs_confirmation")
	if a := coord.do(t, "PATCH", mURL+"/agenda/"+held.ID, map[string]any{"status": "declined"}); a.status != 200 {
		t.Fatalf("decline: %d %s", a.status, a.body)
	}

	// Accepted, then moved up to first with two keyboard presses' worth of moves.
	coord.do(t, "PATCH", mURL+"/agenda/"+prop.ID, map[string]any{"status": "accepted"})
	coord.do(t, "PATCH", mURL+"/agenda/"+prop.ID, map[string]any{"move": -1})
	page = decodeInto[meetingPageOut](t, coord.do(t, "PATCH", mURL+"/agenda/"+prop.ID, map[string]any{"move": -1}))
	if got := agendaTitles(page.Agenda.Items); !strings.HasPrefix(got, "Un skatepark:accepted, Bugetul participativ:accepted, Parcul din cartier:accepted") {
		t.Fatalf("reordered %q", got)
	}
	wantCouncilProblem(t, "above the top", coord.do(t, "PATCH", mURL+"/agenda/"+prop.ID, map[string]any{"move": -1}), 400, "invalid_parameter")
	wantCouncilProblem(t, "bad kind", coord.do(t, "PATCH", mURL+"/agenda/"+prop.ID, map[string]any{"kind": "party"}), 400, "invalid_parameter")

	// Documents: a lying type, a forbidden type and a large one are refused; a PDF is kept.
	att := mURL + "/agenda/" + prop.ID + "/attachments"
	wantCouncilProblem(t, "text named .pdf", coord.attach(t, att, "plan.pdf", "application/pdf", []byte("not a pdf at all")), 415, "attachment_type_mismatch")
	wantCouncilProblem(t, "an executable", coord.attach(t, att, "joc.exe", "application/octet-stream", []byte("MZ\x90\x00\x03\x00")), 415, "attachment_type_not_allowed")
	wantCouncilProblem(t, "too large", coord.attach(t, att, "mare.txt", "text/plain", bytes.Repeat([]byte("a"), voci.MaxAttachmentBytes+1)), 413, "attachment_too_large")
	// Above the API's usual body limit, below a document's: accepted.
	if a := coord.attach(t, att, "lung.txt", "text/plain", bytes.Repeat([]byte("Ordinea de zi. "), 2<<20/15)); a.status != 201 {
		t.Fatalf("a 2 MB document: %d %s", a.status, a.body)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	a = coord.attach(t, att, "planul parcului.pdf", "application/pdf", pdf)
	if a.status != 201 {
		t.Fatalf("attach: %d %s", a.status, a.body)
	}
	docs := decodeInto[meetingPageOut](t, a).Agenda.Items[0].Attachments
	doc := docs[len(docs)-1]
	if len(docs) != 2 || doc.Name != "planul parcului.pdf" || doc.ContentType != "application/pdf" {
		t.Fatalf("documents %+v", docs)
	}
	if dl := bPhone.do(t, "GET", mine+"/"+prop.ID+"/attachments/"+doc.ID, nil); dl.status != 200 || !bytes.Equal(dl.body, pdf) ||
		dl.header.Get("Content-Type") != "application/pdf" || dl.header.Get("Content-Disposition") != `attachment; filename="planul parcului.pdf"; filename*=UTF-8''planul%20parcului.pdf` {
		t.Fatalf("member downloads: %d %v", dl.status, dl.header)
	}
	if dl := fac.do(t, "GET", att+"/"+doc.ID, nil); dl.status != 200 || !bytes.Equal(dl.body, pdf) {
		t.Fatalf("facilitator downloads: %d", dl.status)
	}
	ts.createAccount(t, "coordonator.brasov@example.org", voci.RoleCoordinator, 40198)
	brasov := ts.client()
	if a := brasov.login(t, "coordonator.brasov@example.org", testPassword); a.status != 200 {
		t.Fatalf("Brașov's coordinator signs in: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "another municipality's coordinator downloads", brasov.do(t, "GET", att+"/"+doc.ID, nil), 404, "not_found")
	wantCouncilProblem(t, "another municipality's coordinator reads", brasov.do(t, "GET", mURL, nil), 404, "not_found")
	wantCouncilProblem(t, "the meeting under another municipality", brasov.do(t, "GET", strings.Replace(mURL, "20297", "40198", 1), nil), 404, "youth_council_not_found")
	wantCouncilProblem(t, "held item's document for a member", zPhone.do(t, "GET", mine+"/"+held.ID+"/attachments/"+doc.ID, nil), 404, "not_found")

	// Cancelled: nothing more is proposed or changed.
	version := decodeInto[meetingPageOut](t, coord.do(t, "GET", mURL, nil)).Meeting.Version
	if a := coord.do(t, "PATCH", mURL, map[string]any{"state": "cancelled", "version": version}); a.status != 200 || decodeInto[meetingPageOut](t, a).Meeting.State != "cancelled" {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	wantCouncilProblem(t, "proposed into a cancelled meeting", bPhone.do(t, "POST", mine, map[string]any{"title": "Prea târziu"}), 409, "meeting_not_scheduled")
	wantCouncilProblem(t, "drafted into a cancelled meeting", coord.do(t, "POST", mURL+"/agenda", map[string]any{"title": "Prea târziu"}), 409, "meeting_not_scheduled")
	wantCouncilProblem(t, "attached to a cancelled meeting", coord.attach(t, att, "plan.pdf", "application/pdf", pdf), 409, "meeting_not_scheduled")
}

// TestAttachmentTooLargeRefusedBeforeItIsRead: a document declared larger than the limit is
// refused by the HTTP server from its Content-Length, with the documents' own code.
func TestAttachmentTooLargeRefusedBeforeItIsRead(t *testing.T) {
	ts := newTestServer(t)
	coord := ts.client()
	coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ts.Serve(ctx, ln, 5*time.Second) }()
	defer func() { cancel(); <-done }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/municipalities/20297/youth-council/meetings/m/agenda/i/attachments HTTP/1.1\r\nHost: %s\r\n"+
		"Cookie: voci_session=%s\r\nX-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n",
		ln.Addr(), coord.cookie, coord.csrf, 20<<20)
	if err := conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	wantCouncilProblem(t, "20 MB declared", answer{resp.StatusCode, resp.Header, body}, 413, "attachment_too_large")
}
