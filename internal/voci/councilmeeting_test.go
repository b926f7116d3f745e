package voci_test

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/moderation"
	"github.com/voci-platform/voci/internal/sqlitestore"
	"github.com/voci-platform/voci/internal/voci"
)

var meetNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

type meetingWorld struct {
	store    *sqlitestore.Store
	councils *voci.YouthCouncils
	meetings *voci.CouncilMeetings
	council  *voci.YouthCouncil
	// ana is the president; bogdi and zoli are members.
	ana, bogdi, zoli *voci.CouncilMember
}

func newMeetingWorld(t *testing.T) *meetingWorld {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "voci.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := func() time.Time { return meetNow }
	w := &meetingWorld{store: st, councils: voci.NewYouthCouncils(st, moderation.New(), clock),
		meetings: voci.NewCouncilMeetings(st, moderation.New(), clock)}
	if w.council, _, err = w.councils.SaveCouncil(t.Context(), 20297, voci.CouncilInput{Name: "Consiliul Copiilor"}, nil); err != nil {
		t.Fatal(err)
	}
	add := func(name string, office voci.CouncilRole) *voci.CouncilMember {
		band := voci.Age16to18
		m, err := w.councils.AddMember(t.Context(), w.council, voci.MemberInput{DisplayName: &name, AgeBand: &band, Office: &office}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	w.ana, w.bogdi, w.zoli = add("Ana", voci.CouncilRolePresident), add("Bogdi", voci.CouncilRoleNone), add("Zoli", voci.CouncilRoleNone)
	return w
}

func (w *meetingWorld) schedule(t *testing.T) *voci.CouncilMeeting {
	t.Helper()
	m, err := w.meetings.ScheduleMeeting(t.Context(), w.council, voci.MeetingInput{Title: "Ședința din decembrie", StartsAt: meetNow.Add(240 * time.Hour)}, "acct-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func titles(items []voci.AgendaItem, by voci.AgendaActor) string {
	var out []string
	for i := range items {
		if by.Sees(&items[i]) {
			out = append(out, items[i].Title+":"+string(items[i].Status))
		}
	}
	return strings.Join(out, ", ")
}

func TestScheduleEditCancelMeeting(t *testing.T) {
	w := newMeetingWorld(t)
	ctx := t.Context()
	_, err := w.meetings.ScheduleMeeting(ctx, w.council, voci.MeetingInput{Title: "Fără dată"}, "acct-1", nil)
	wantErr(t, "no start", err, voci.EINVALID)
	_, err = w.meetings.ScheduleMeeting(ctx, w.council, voci.MeetingInput{Title: "Departe", StartsAt: meetNow.AddDate(5, 0, 0)}, "acct-1", nil)
	wantErr(t, "start too far", err, voci.EINVALID)
	m := w.schedule(t)
	if m.State != voci.MeetingStateScheduled || m.Version != 1 || m.CreatedBy != "acct-1" || m.Municipality != 20297 {
		t.Fatalf("scheduled %+v", m)
	}
	m, err = w.meetings.UpdateMeeting(ctx, w.council, m.ID, voci.MeetingInput{Place: ptr("Sala mare")}, 1, nil)
	if err != nil || m.Version != 2 || m.Place != "Sala mare" || m.Title != "Ședința din decembrie" {
		t.Fatalf("edited %+v %v", m, err)
	}
	_, err = w.meetings.UpdateMeeting(ctx, w.council, m.ID, voci.MeetingInput{Title: "Alt titlu"}, 1, nil)
	wantErr(t, "stale edit", err, voci.ECONFLICT)
	other, _, err := w.councils.SaveCouncil(ctx, 20298, voci.CouncilInput{Name: "Alt consiliu"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.meetings.CancelMeeting(ctx, other, m.ID, 2, nil)
	wantErr(t, "another council's meeting", err, voci.ENOTFOUND)
	if m, err = w.meetings.CancelMeeting(ctx, w.council, m.ID, 2, nil); err != nil || m.State != voci.MeetingStateCancelled {
		t.Fatalf("cancelled %+v %v", m, err)
	}
	_, err = w.meetings.UpdateMeeting(ctx, w.council, m.ID, voci.MeetingInput{Title: "Din nou"}, 3, nil)
	wantErr(t, "edit a cancelled meeting", err, voci.EMEETINGNOTSCHEDULED)
}

func TestAgendaDraftProposeAcceptReorder(t *testing.T) {
	w := newMeetingWorld(t)
	ctx := t.Context()
	m := w.schedule(t)
	adult := voci.AgendaActor{AccountID: "acct-1"}
	ana, bogdi, zoli := voci.AgendaActor{Member: w.ana}, voci.AgendaActor{Member: w.bogdi}, voci.AgendaActor{Member: w.zoli}
	if _, _, err := w.meetings.AddItem(ctx, m, adult, voci.AgendaItemInput{Title: ptr("Bugetul participativ"), Kind: ptr(voci.AgendaInformation)}, nil); err != nil {
		t.Fatal(err)
	}
	_, president, err := w.meetings.AddItem(ctx, m, ana, voci.AgendaItemInput{Title: ptr("Parcul din cartier")}, nil)
	if err != nil || president.Status != voci.AgendaAccepted || president.ProposedBy != "" || president.Kind != voci.AgendaDiscussion {
		t.Fatalf("president's item %+v %v", president, err)
	}
	_, proposal, err := w.meetings.AddItem(ctx, m, bogdi, voci.AgendaItemInput{Title: ptr("Un skatepark"), Description: ptr("Lângă școală"), Kind: ptr(voci.AgendaDecision)}, nil)
	if err != nil || proposal.Status != voci.AgendaProposed || proposal.ProposerName != "Bogdi" || proposal.Held() {
		t.Fatalf("proposal %+v %v", proposal, err)
	}
	_, held, err := w.meetings.AddItem(ctx, m, zoli, voci.AgendaItemInput{Title: ptr("Sunați-mă la 0722 123 456")}, nil)
	if err != nil || !held.Held() || held.Status != voci.AgendaProposed {
		t.Fatalf("held proposal %+v %v", held, err)
	}
	a, err := w.meetings.Agenda(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	// Each sees what they may: Zoli's held text by nobody but Zoli and the adults.
	for _, tc := range []struct {
		who  string
		by   voci.AgendaActor
		want string
	}{
		{"adult", adult, "Bugetul participativ:accepted, Parcul din cartier:accepted, Un skatepark:proposed, Sunați-mă la 0722 123 456:proposed"},
		{"president", ana, "Bugetul participativ:accepted, Parcul din cartier:accepted, Un skatepark:proposed"},
		{"proposer", bogdi, "Bugetul participativ:accepted, Parcul din cartier:accepted, Un skatepark:proposed"},
		{"held proposer", zoli, "Bugetul participativ:accepted, Parcul din cartier:accepted, Sunați-mă la 0722 123 456:proposed"},
	} {
		if got := titles(a.Items, tc.by); got != tc.want {
			t.Errorf("%s sees %q, want %q", tc.who, got, tc.want)
		}
	}
	// Only the coordinator and the president decide; the president cannot accept held text,
	// the coordinator only once they confirm it.
	_, err = w.meetings.ChangeItem(ctx, m, zoli, proposal.ID, voci.AgendaChange{Status: ptr(voci.AgendaAccepted)}, nil)
	wantErr(t, "a member accepts", err, voci.EFORBIDDEN)
	_, err = w.meetings.ChangeItem(ctx, m, ana, held.ID, voci.AgendaChange{Status: ptr(voci.AgendaAccepted)}, nil)
	wantErr(t, "president accepts held text", err, voci.ENOTFOUND)
	_, err = w.meetings.ChangeItem(ctx, m, adult, held.ID, voci.AgendaChange{Status: ptr(voci.AgendaAccepted)}, nil)
	wantErr(t, "held without confirmation", err, voci.EHELDNEEDSCONFIRM)
	if _, err = w.meetings.ChangeItem(ctx, m, adult, held.ID, voci.AgendaChange{Status: ptr(voci.AgendaDeclined)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err = w.meetings.ChangeItem(ctx, m, ana, proposal.ID, voci.AgendaChange{Status: ptr(voci.AgendaAccepted)}, nil); err != nil {
		t.Fatal(err)
	}
	// The accepted proposal goes last; moved up twice, it is first, and cannot go higher.
	for range 2 {
		if a, err = w.meetings.ChangeItem(ctx, m, adult, proposal.ID, voci.AgendaChange{Move: -1}, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err = w.meetings.ChangeItem(ctx, m, adult, proposal.ID, voci.AgendaChange{Move: -1}, nil)
	wantErr(t, "above the top", err, voci.EINVALID)
	if got := titles(a.Accepted(), bogdi); got != "Un skatepark:accepted, Bugetul participativ:accepted, Parcul din cartier:accepted" {
		t.Fatalf("order %q", got)
	}
	if got := titles(a.Items, bogdi); strings.Contains(got, "0722") {
		t.Fatalf("a declined held proposal shown to another member: %q", got)
	}
	// Three proposals waiting is the most one member has.
	for i := range voci.MaxOpenProposals {
		if _, _, err := w.meetings.AddItem(ctx, m, zoli, voci.AgendaItemInput{Title: ptr("Propunerea " + string(rune('A'+i)))}, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = w.meetings.AddItem(ctx, m, zoli, voci.AgendaItemInput{Title: ptr("Încă una")}, nil)
	wantErr(t, "too many waiting", err, voci.ECONFLICT)

	// Once the meeting has ended nothing is proposed or changed.
	ended := *m
	ended.State, ended.EndedAt, ended.Version = voci.MeetingStateEnded, meetNow, m.Version+1
	if err := w.store.UpdateCouncilMeeting(ctx, &ended, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.meetings.AddItem(ctx, m, bogdi, voci.AgendaItemInput{Title: ptr("Prea târziu")}, nil)
	wantErr(t, "proposed into an ended meeting", err, voci.EMEETINGNOTSCHEDULED)
	_, err = w.meetings.ChangeItem(ctx, m, adult, proposal.ID, voci.AgendaChange{Move: 1}, nil)
	wantErr(t, "reordered in an ended meeting", err, voci.EMEETINGNOTSCHEDULED)
}

func TestCheckAttachment(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	jpeg := append([]byte("\xff\xd8\xff\xe0"), make([]byte, 32)...)
	for _, tc := range []struct {
		name, declared string
		data           []byte
		code, ctype    string
	}{
		{"plan.pdf", "application/pdf", pdf, "", "application/pdf"},
		{"harta.png", "image/png", png, "", "image/png"},
		{"poza.JPG", "image/jpeg", jpeg, "", "image/jpeg"},
		{"note.txt", "text/plain; charset=utf-8", []byte("Ordinea de zi\n1. Parcul"), "", "text/plain; charset=utf-8"},
		{"note.txt", "", []byte("fără tip declarat"), "", "text/plain; charset=utf-8"},
		{"plan.pdf", "application/pdf", []byte("just text pretending"), voci.EATTACHMENTMISMATCH, ""},
		{"harta.png", "image/png", jpeg, voci.EATTACHMENTMISMATCH, ""},
		{"harta.png", "image/jpeg", png, voci.EATTACHMENTMISMATCH, ""},
		{"script.exe", "application/octet-stream", []byte("MZ\x90\x00\x03"), voci.EATTACHMENTTYPE, ""},
		{"page.html", "text/html", []byte("<html></html>"), voci.EATTACHMENTTYPE, ""},
		{"mare.pdf", "application/pdf", bytes.Repeat([]byte("a"), voci.MaxAttachmentBytes+1), voci.EATTACHMENTTOOLARGE, ""},
		{"", "application/pdf", pdf, voci.EINVALID, ""},
	} {
		_, ctype, err := voci.CheckAttachment(tc.name, tc.declared, tc.data)
		if voci.ErrorCode(err) != tc.code || (tc.code == "" && ctype != tc.ctype) {
			t.Errorf("%s as %q: %q %v, want %q %q", tc.name, tc.declared, ctype, err, tc.ctype, tc.code)
		}
	}
}

func TestAttachmentsStoredAndShownToWhoSeesTheItem(t *testing.T) {
	w := newMeetingWorld(t)
	ctx := t.Context()
	m := w.schedule(t)
	adult := voci.AgendaActor{AccountID: "acct-1"}
	_, item, err := w.meetings.AddItem(ctx, m, adult, voci.AgendaItemInput{Title: ptr("Parcul")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, prop, err := w.meetings.AddItem(ctx, m, voci.AgendaActor{Member: w.bogdi}, voci.AgendaItemInput{Title: ptr("Skatepark")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = w.meetings.AddAttachment(ctx, m, item.ID, "plan.pdf", "application/pdf", strings.NewReader("not a pdf"), nil)
	wantErr(t, "a lying type", err, voci.EATTACHMENTMISMATCH)
	_, att, err := w.meetings.AddAttachment(ctx, m, item.ID, "note.txt", "text/plain", strings.NewReader("Ce facem cu parcul?"), nil)
	if err != nil || att.Name != "note.txt" || att.Size != 19 {
		t.Fatalf("attached %+v %v", att, err)
	}
	_, onProposal, err := w.meetings.AddAttachment(ctx, m, prop.ID, "idee.txt", "text/plain", strings.NewReader("Rampe"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, r, err := w.meetings.OpenAttachment(ctx, m, voci.AgendaActor{Member: w.zoli}, item.ID, att.FileID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r)
	r.Close()
	if string(body) != "Ce facem cu parcul?" || got.ContentType != "text/plain; charset=utf-8" {
		t.Fatalf("downloaded %q %+v", body, got)
	}
	_, _, err = w.meetings.OpenAttachment(ctx, m, voci.AgendaActor{Member: w.zoli}, prop.ID, onProposal.FileID)
	wantErr(t, "another member's proposal's document", err, voci.ENOTFOUND)
	_, _, err = w.meetings.OpenAttachment(ctx, m, voci.AgendaActor{Member: w.zoli}, item.ID, onProposal.FileID)
	wantErr(t, "a document of another item", err, voci.ENOTFOUND)
	if _, err := w.meetings.RemoveItem(ctx, m, adult, item.ID, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.store.OpenFile(ctx, att.FileID)
	wantErr(t, "a removed item's document", err, voci.ENOTFOUND)
}
