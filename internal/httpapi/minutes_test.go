package httpapi_test

import (
	"database/sql"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/voci-platform/voci/internal/voci"
)

type minutesOut struct {
	Status     string  `json:"status"`
	Revision   int     `json:"revision"`
	Text       *string `json:"text"`
	Held       bool    `json:"held"`
	Dropped    *string `json:"heldEditDroppedAt"`
	EditedBy   string  `json:"editedBy"`
	Hash       *string `json:"hash"`
	Verified   *bool   `json:"verified"`
	MayEdit    bool    `json:"mayEdit"`
	ApprovedIn *struct {
		MeetingID string `json:"meetingId"`
	} `json:"approvedIn"`
	Approval *struct{ Yes, No, Abstain int } `json:"approval"`
	Summary  struct {
		Present []struct {
			Name *string `json:"name"`
		} `json:"present"`
		Absent int `json:"absent"`
		Items  []struct {
			Number            int    `json:"number"`
			Title             string `json:"title"`
			ApprovesMinutesOf *struct {
				MeetingID string `json:"meetingId"`
			} `json:"approvesMinutesOf"`
			Votes []struct {
				Outcome string `json:"outcome"`
				Yes     int    `json:"yes"`
			} `json:"votes"`
		} `json:"items"`
	} `json:"summary"`
}

// A meeting ends: its minutes are drafted from the log and "Approve the minutes" goes onto the
// next meeting's agenda once, however many times that is asked at once. The coordinator and
// the secretary edit the draft on its revision; another member cannot. At the next meeting a
// vote that loses quorum before its close leaves them a draft, and the API refuses to approve
// them by it; a valid vote adopts them: frozen, with the hash of their text, and a row changed
// behind the platform's back reads as not verified. The PDF, the CSV and the Popolo JSON come
// out, and a secret vote has no ballot in them.
func TestMinutesDraftedEditedAndApprovedAtTheNextMeeting(t *testing.T) {
	f := newRoom(t, 5)
	first := f.meetingID
	next := f.coord.do(t, "POST", councilBase+"/meetings", map[string]any{"title": "Ședința din ianuarie",
		"startsAt": time.Now().UTC().Add(48 * time.Hour).Format(time.RFC3339)})
	mustStatus(t, next, 201)
	second := decodeInto[struct {
		Meeting struct {
			ID string `json:"id"`
		} `json:"meeting"`
	}](t, next).Meeting.ID
	minutesURL := councilBase + "/meetings/" + first + "/minutes"
	wantProblem(t, "minutes of a meeting not held", f.coord.do(t, "GET", minutesURL, nil), 409, voci.EMINUTESNOTENDED, "")

	// The first meeting: three come, a secret vote on a motion, a note, the end.
	mustStatus(t, f.coord.do(t, "POST", councilBase+"/meetings/"+first+"/agenda", map[string]any{"title": "Bănci în parc", "kind": "decision"}), 201)
	phones := []*wsConn{f.phone(t, 0), f.phone(t, 1), f.phone(t, 2)}
	chair := phones[0]
	ok(t, chair, "open", nil)
	for _, p := range phones {
		ok(t, p, "check_in", nil)
	}
	ok(t, chair, "start_item", map[string]any{"item": 1, "title": "Bănci în parc", "itemKind": "decision"})
	ok(t, phones[1], "submit_motion", map[string]any{"title": "Bănci noi", "text": "Zece bănci noi în parcul central."})
	s := waitState(t, chair, func(s roomState) bool { return len(s.Motions) == 1 })
	motion := s.Motions[0].Number
	ok(t, phones[2], "move_motion", map[string]any{"motion": motion, "state": "seconded"})
	ok(t, chair, "move_motion", map[string]any{"motion": motion, "state": "debated"})
	ok(t, chair, "open_motion_vote", map[string]any{"motion": motion, "secret": true})
	ok(t, phones[0], "cast", map[string]any{"choice": "yes"})
	ok(t, phones[1], "cast", map[string]any{"choice": "yes"})
	ok(t, phones[2], "cast", map[string]any{"choice": "no"})
	ok(t, chair, "close_vote", nil)
	ok(t, phones[2], "note", map[string]any{"text": "Primăria răspunde în ianuarie."})
	ok(t, chair, "end", nil)
	for _, p := range phones {
		p.c.Close()
	}

	got := decodeInto[minutesOut](t, f.coord.do(t, "GET", minutesURL, nil))
	if got.Status != "draft" || got.Revision != 1 || got.Text == nil || !strings.Contains(*got.Text, "# Proces-verbal — Consiliul Copiilor Bacău") ||
		!strings.Contains(*got.Text, "Primăria răspunde în ianuarie.") || got.EditedBy != "platform" || got.Hash != nil || !got.MayEdit ||
		len(got.Summary.Present) != 3 || got.Summary.Absent != 2 {
		t.Fatalf("the draft: %+v", got)
	}
	agendaOf := func(id string) []struct {
		Title             string `json:"title"`
		ApprovesMinutesOf string `json:"approvesMinutesOf"`
	} {
		return decodeInto[struct {
			Agenda struct {
				Items []struct {
					Title             string `json:"title"`
					ApprovesMinutesOf string `json:"approvesMinutesOf"`
				} `json:"items"`
			} `json:"agenda"`
		}](t, f.coord.do(t, "GET", councilBase+"/meetings/"+id, nil)).Agenda.Items
	}
	// Asked again many times at once, the item is there once.
	var wg sync.WaitGroup
	rules := voci.NewCouncilMinutes(f.ls.store, voci.NewCouncilMeetings(f.ls.store, nil, nil), nil, nil)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := rules.EnsureMinutesItems(t.Context(), f.councilID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	items := agendaOf(second)
	if len(items) != 1 || items[0].ApprovesMinutesOf != first || !strings.HasPrefix(items[0].Title, "Aprobarea procesului-verbal al ședinței din ") {
		t.Fatalf("the next meeting's agenda: %+v", items)
	}

	// Edits on their revision.
	a := f.coord.do(t, "PUT", minutesURL, map[string]any{"text": *got.Text + "\nCorectat de coordonator.\n", "revision": 1})
	mustStatus(t, a, 200)
	wantProblem(t, "a stale edit", f.coord.do(t, "PUT", minutesURL, map[string]any{"text": "Alt text", "revision": 1}), 409, voci.ECONFLICT, "")
	memberURL := "/api/v1/youth-council/me/meetings/" + first + "/minutes"
	wantProblem(t, "a member who is not the secretary edits", f.members[1].phone.do(t, "PUT", memberURL, map[string]any{"text": "Alt text", "revision": 2}), 403, voci.EFORBIDDEN, "")
	a = f.members[2].phone.do(t, "PUT", memberURL, map[string]any{"text": *got.Text + "\nCorectat de coordonator.\nȘi de secretar.\n", "revision": 2})
	mustStatus(t, a, 200)
	if m := decodeInto[minutesOut](t, a); m.Revision != 3 || m.EditedBy != "secretary" || m.Held || !m.MayEdit {
		t.Fatalf("after the secretary's edit: %+v", m)
	}
	if m := decodeInto[minutesOut](t, f.members[1].phone.do(t, "GET", memberURL, nil)); m.MayEdit || m.Text == nil || !strings.Contains(*m.Text, "Și de secretar.") {
		t.Fatalf("another member reads: %+v", m)
	}
	approval := minutesURL + "/approval"
	wantProblem(t, "approved by a meeting not held", f.coord.do(t, "POST", approval, map[string]any{"meeting": second}), 409, voci.EMINUTESWRONGMEETING, "")

	// The next meeting: the vote on the minutes loses quorum before its close.
	f.meetingID = second
	phones = []*wsConn{f.phone(t, 0), f.phone(t, 1), f.phone(t, 2)}
	chair = phones[0]
	ok(t, chair, "open", nil)
	s = waitState(t, chair, func(s roomState) bool { return len(s.Agenda) == 1 })
	// The room titles the item on each screen from when the approved meeting started.
	if fm, err := f.ls.store.FindCouncilMeeting(t.Context(), first); err != nil || s.Agenda[0].MinutesStartsAt == nil || !s.Agenda[0].MinutesStartsAt.Equal(fm.StartsAt) {
		t.Fatalf("the approving item in the room: %+v (%v)", s.Agenda[0], err)
	}
	view := decodeInto[struct {
		MinutesMeetings map[string]time.Time `json:"minutesMeetings"`
	}](t, f.members[1].phone.do(t, "GET", "/api/v1/youth-council/me", nil))
	if _, found := view.MinutesMeetings[first]; !found || len(view.MinutesMeetings) != 1 {
		t.Fatalf("the member's page gives when the approved meeting started: %+v", view)
	}
	adultView := decodeInto[struct {
		MinutesMeetings map[string]time.Time `json:"minutesMeetings"`
	}](t, f.coord.do(t, "GET", councilBase+"/meetings/"+second, nil))
	if at, found := adultView.MinutesMeetings[first]; !found || len(adultView.MinutesMeetings) != 1 || !at.Equal(view.MinutesMeetings[first]) {
		t.Fatalf("the coordinator's meeting page gives when the approved meeting started: %+v", adultView)
	}
	for _, p := range phones {
		ok(t, p, "check_in", nil)
	}
	ok(t, chair, "start_item", map[string]any{"item": 1, "title": s.Agenda[0].Title, "itemKind": "decision"})
	voteOnMinutes := map[string]any{"title": "Aprobarea procesului-verbal", "decision": true, "majority": "simple"}
	ok(t, chair, "open_item_vote", voteOnMinutes)
	for _, p := range phones {
		ok(t, p, "cast", map[string]any{"choice": "yes"})
	}
	ok(t, phones[1], "check_out", nil)
	ok(t, chair, "close_vote", nil)
	waitState(t, chair, func(s roomState) bool {
		return s.LastResult != nil && s.LastResult.Outcome == string(voci.VoteNotValid)
	})
	if m := decodeInto[minutesOut](t, f.coord.do(t, "GET", minutesURL, nil)); m.Status != "draft" {
		t.Fatalf("after a vote without quorum: %+v", m)
	}
	wantProblem(t, "approved by a vote without quorum", f.coord.do(t, "POST", approval, map[string]any{"meeting": second}), 409, voci.EMINUTESNOQUORUM, "")

	// The secretary saves an edit that screening holds: the other members go on reading the
	// text they could read, and that is what they vote on.
	before := decodeInto[minutesOut](t, f.coord.do(t, "GET", minutesURL, nil))
	a = f.members[2].phone.do(t, "PUT", memberURL, map[string]any{"text": *before.Text + "\nSunați-mă la 0722 123 456.\n", "revision": before.Revision})
	mustStatus(t, a, 200)
	if m := decodeInto[minutesOut](t, a); !m.Held {
		t.Fatalf("the secretary's edit is not held: %+v", m)
	}
	if m := decodeInto[minutesOut](t, f.members[1].phone.do(t, "GET", memberURL, nil)); m.Text == nil || *m.Text != *before.Text || !m.Held {
		t.Fatalf("another member reads, while the edit is held: %+v", m)
	}

	// A valid vote adopts them.
	ok(t, phones[1], "check_in", nil)
	ok(t, chair, "open_item_vote", voteOnMinutes)
	ok(t, phones[0], "cast", map[string]any{"choice": "yes"})
	ok(t, phones[1], "cast", map[string]any{"choice": "yes"})
	ok(t, phones[2], "cast", map[string]any{"choice": "abstain"})
	ok(t, chair, "close_vote", nil)
	waitState(t, chair, func(s roomState) bool { return s.LastResult != nil && s.LastResult.Outcome == string(voci.VoteAdopted) })
	got = decodeInto[minutesOut](t, f.coord.do(t, "GET", minutesURL, nil))
	if got.Status != "approved" || got.Text == nil || got.Hash == nil || *got.Hash != voci.MinutesHash(*got.Text) || got.Verified == nil || !*got.Verified ||
		got.ApprovedIn == nil || got.ApprovedIn.MeetingID != second || got.Approval == nil || got.Approval.Yes != 2 || got.Approval.Abstain != 1 || got.MayEdit {
		t.Fatalf("approved: %+v", got)
	}
	// The held edit was never before the members: it is dropped, the secretary sees when it
	// was saved, the trail says so, and the text approved is the one the members read.
	if *got.Text != *before.Text || got.Held || got.Dropped == nil {
		t.Fatalf("approved over a held edit: %+v", got)
	}
	if m := decodeInto[minutesOut](t, f.members[2].phone.do(t, "GET", memberURL, nil)); m.Dropped == nil || m.Text == nil || *m.Text != *before.Text {
		t.Fatalf("the secretary reads the approved minutes: %+v", m)
	}
	if m := decodeInto[minutesOut](t, f.members[1].phone.do(t, "GET", memberURL, nil)); m.Dropped != nil || m.Text == nil || *m.Text != *before.Text {
		t.Fatalf("another member reads the approved minutes: %+v", m)
	}
	if entries, _, err := f.ls.store.FindAudit(t.Context(), voci.AuditFilter{Action: "minutes.approve", Limit: 10}); err != nil || len(entries) == 0 ||
		!strings.Contains(entries[0].Detail, "held edit") {
		t.Fatalf("the approval's audit entry: %+v %v", entries, err)
	}
	wantProblem(t, "an edit of approved minutes", f.coord.do(t, "PUT", minutesURL, map[string]any{"text": "Alt text", "revision": got.Revision}), 409, voci.EMINUTESAPPROVED, "")
	wantProblem(t, "the secretary edits approved minutes", f.members[2].phone.do(t, "PUT", memberURL, map[string]any{"text": "Alt text", "revision": got.Revision}), 409, voci.EMINUTESAPPROVED, "")
	mustStatus(t, f.coord.do(t, "POST", approval, map[string]any{"meeting": second}), 200) // the same approval, again
	ok(t, chair, "end", nil)
	for _, p := range phones {
		p.c.Close()
	}
	// The second meeting's own minutes name the item by its marker.
	sec := decodeInto[minutesOut](t, f.coord.do(t, "GET", councilBase+"/meetings/"+second+"/minutes", nil))
	if len(sec.Summary.Items) != 1 || sec.Summary.Items[0].ApprovesMinutesOf == nil || sec.Summary.Items[0].ApprovesMinutesOf.MeetingID != first ||
		len(sec.Summary.Items[0].Votes) != 2 || sec.Summary.Items[0].Votes[0].Outcome != "not_valid" {
		t.Fatalf("the second meeting's minutes: %+v", sec.Summary.Items)
	}
	list := decodeInto[struct {
		Minutes []struct {
			Meeting struct {
				ID string `json:"id"`
			} `json:"meeting"`
			Status string `json:"status"`
		} `json:"minutes"`
	}](t, f.members[4].phone.do(t, "GET", "/api/v1/youth-council/me/minutes", nil))
	if len(list.Minutes) != 2 || list.Minutes[0].Meeting.ID != second || list.Minutes[1].Status != "approved" {
		t.Fatalf("a member's past minutes: %+v", list)
	}
	actions := auditActions(t, f.ls.testServer)
	if actions["minutes.edit"] != 3 || actions["minutes.approve"] != 1 {
		t.Fatalf("audit: %v", actions)
	}

	// The files.
	pdf := f.members[4].phone.do(t, "GET", memberURL+"/pdf?lang=hu", nil)
	if pdf.status != 200 || !strings.HasPrefix(string(pdf.body), "%PDF-") || pdf.header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(pdf.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("the PDF: %d %v", pdf.status, pdf.header)
	}
	csvFile := f.coord.do(t, "GET", minutesURL+"/csv", nil)
	mustStatus(t, csvFile, 200)
	rows := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(csvFile.body), "\ufeff")), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "meeting_id,") || !strings.Contains(rows[1], ",true,electronic,adopted,2,1,0,0,2,3,5,") ||
		strings.Contains(string(csvFile.body), "Ana") {
		t.Fatalf("the votes' CSV (a secret vote, no ballots):\n%s", csvFile.body)
	}
	var pop struct {
		Motions []struct {
			Identifier string `json:"identifier"`
			Result     string `json:"result"`
		} `json:"motions"`
		VoteEvents []struct {
			MotionID *string `json:"motion_id"`
			Result   string  `json:"result"`
			Counts   []struct {
				Option string `json:"option"`
				Value  int    `json:"value"`
			} `json:"counts"`
		} `json:"vote_events"`
		Votes   []json.RawMessage `json:"votes"`
		Minutes struct {
			Status string `json:"status"`
			Hash   string `json:"sha256"`
		} `json:"minutes"`
	}
	pj := f.members[4].phone.do(t, "GET", memberURL+"/popolo", nil)
	mustStatus(t, pj, 200)
	if err := json.Unmarshal(pj.body, &pop); err != nil {
		t.Fatal(err)
	}
	if len(pop.Motions) != 1 || pop.Motions[0].Identifier != motion || pop.Motions[0].Result != "adopted" || len(pop.VoteEvents) != 1 ||
		pop.VoteEvents[0].MotionID == nil || pop.VoteEvents[0].Result != "pass" || pop.VoteEvents[0].Counts[0] != (struct {
		Option string `json:"option"`
		Value  int    `json:"value"`
	}{"yes", 2}) || len(pop.Votes) != 0 || pop.Minutes.Status != "approved" || pop.Minutes.Hash != *got.Hash {
		t.Fatalf("the Popolo JSON: %s", pj.body)
	}

	// A row changed behind the platform's back no longer matches its hash.
	db, err := sql.Open("sqlite", f.ls.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE meeting_minutes SET text = text || 'x' WHERE meeting_id = ?`, first); err != nil {
		t.Fatal(err)
	}
	if m := decodeInto[minutesOut](t, f.coord.do(t, "GET", minutesURL, nil)); m.Verified == nil || *m.Verified || m.Hash == nil || *m.Hash != *got.Hash {
		t.Fatalf("a changed row: %+v", m)
	}
}
