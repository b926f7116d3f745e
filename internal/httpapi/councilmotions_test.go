package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// quickChair lets the chair act as fast as the test sends: a phone keeps to the room's rate.
func quickChair(d *httpapi.Deps) {
	cfg := live.DefaultConfig
	cfg.Rate, cfg.Burst = 10000, 10000
	d.MeetingRooms = &cfg
}

type councilMotionOut struct {
	MeetingID   string `json:"meetingId"`
	Number      string `json:"number"`
	Title       string `json:"title"`
	Text        string `json:"text"`
	MotionState string `json:"motionState"`
	Vote        *struct {
		Yes, No, Abstain int
		Outcome          string `json:"outcome"`
	} `json:"vote"`
	Sent             bool   `json:"sent"`
	RecommendationID string `json:"recommendationId"`
	AudienceBody     string `json:"audienceBody"`
	Answer           string `json:"answer"`
	Decisions        []struct {
		Number   string `json:"number"`
		Response string `json:"response"`
	} `json:"decisions"`
	Feedback *struct {
		Texts map[string]struct {
			Text     string `json:"text"`
			EasyRead string `json:"easyRead"`
		} `json:"texts"`
	} `json:"feedback"`
}

// heldMeeting runs a meeting of five in the room: M-…-1 adopted four to one, M-…-2 rejected,
// and M-…-3 referred to the local council without a vote. It returns the three numbers.
func heldMeeting(t *testing.T, f *roomFixture, end bool) (adopted, rejected, referred string) {
	t.Helper()
	phones := make([]*wsConn, len(f.members))
	for i := range phones {
		phones[i] = f.phone(t, i)
	}
	chair := phones[0]
	ok(t, chair, "open", nil)
	for i := range phones {
		ok(t, phones[i], "check_in", nil)
	}
	ok(t, chair, "start_item", map[string]any{"item": 1, "title": "Parcul", "itemKind": "decision"})
	n := 0
	motion := func(title, text string) string {
		ok(t, phones[1], "submit_motion", map[string]any{"title": title, "text": text})
		s := waitState(t, chair, func(s roomState) bool { return len(s.Motions) == n+1 })
		number := s.Motions[n].Number
		n++
		ok(t, phones[3], "move_motion", map[string]any{"motion": number, "state": "seconded"})
		ok(t, chair, "move_motion", map[string]any{"motion": number, "state": "debated"})
		return number
	}
	vote := func(number string, yes int) {
		ok(t, chair, "open_motion_vote", map[string]any{"motion": number})
		for i := range phones {
			choice := "no"
			if i < yes {
				choice = "yes"
			}
			ok(t, phones[i], "cast", map[string]any{"choice": choice})
		}
		ok(t, chair, "close_vote", nil)
	}
	adopted = motion("Bănci noi în parc", "Cerem zece bănci noi în parcul central, lângă locul de joacă.")
	vote(adopted, 4)
	rejected = motion("Parcare nouă", "O parcare în locul terenului de sport.")
	vote(rejected, 1)
	referred = motion("Autobuz la școală", "Un autobuz de dimineață până la școala din cartier.")
	ok(t, chair, "move_motion", map[string]any{"motion": referred, "state": "referred"})
	if end {
		ok(t, chair, "end", nil)
	}
	return adopted, rejected, referred
}

// A passed motion goes to the local council as a recommendation, once, however often and by
// however many it is sent; what it says comes from the meeting's log. A decision answers it,
// feedback is written, reviewed and published, and the answer shows on a member's phone.
func TestCouncilMotionGoesToTheLocalCouncilAndBack(t *testing.T) {
	f := newRoom(t, 5, quickChair)
	adopted, rejected, referred := heldMeeting(t, f, true)
	send := func(number string) string {
		return councilBase + "/meetings/" + f.meetingID + "/motions/" + number + "/recommendation"
	}
	memberSend := func(number string) string {
		return "/api/v1/youth-council/me/meetings/" + f.meetingID + "/motions/" + number + "/recommendation"
	}

	// Refused, and nothing written.
	wantProblem(t, "a rejected motion", f.coord.do(t, "POST", send(rejected), nil), 409, voci.EMOTIONNOTPASSED, "")
	wantProblem(t, "an unknown motion", f.coord.do(t, "POST", send("M-2020-9"), nil), 404, voci.ENOTFOUND, "")
	brasovCoord := f.ls.client()
	mustStatus(t, brasovCoord.login(t, "coordinator.brasov@demo.voci.ro", testPassword), 200)
	wantProblem(t, "another municipality's coordinator", brasovCoord.do(t, "POST", send(adopted), nil), 404, voci.ENOTFOUND, "")
	mustStatus(t, brasovCoord.do(t, "PUT", fmt.Sprintf("/api/v1/municipalities/%d/youth-council", brasov), map[string]any{"name": "Consiliul Copiilor Brașov", "chair": "president"}), 201)
	yc, err := f.ls.store.FindYouthCouncil(t.Context(), brasov)
	if err != nil {
		t.Fatal(err)
	}
	other := f.schedule(t, yc.ID, brasov)
	wantProblem(t, "another council's meeting", f.coord.do(t, "POST", councilBase+"/meetings/"+other+"/motions/"+adopted+"/recommendation", nil), 404, voci.ENOTFOUND, "")
	wantProblem(t, "a member who is not the president", f.members[1].phone.do(t, "POST", memberSend(adopted), nil), 403, voci.EFORBIDDEN, "")
	recs, err := f.ls.store.ListRecommendations(t.Context(), voci.RecommendationFilter{Municipality: bacau})
	if err != nil || len(recs) != 0 {
		t.Fatalf("a refused send wrote %d recommendations (%v)", len(recs), err)
	}

	// The public page, read now and kept, lists no motion while none is sent.
	type publicPage struct {
		CouncilMotions []struct {
			ID, Number, Title, Text, State string
			Feedback                       *struct{ Lang, Text, EasyRead string }
			Decisions                      []struct{ Number string }
		} `json:"councilMotions"`
	}
	publicURL := fmt.Sprintf("/api/v1/public/municipalities/%d?lang=hu", bacau)
	anyone := f.ls.client()
	if p := decodeInto[publicPage](t, anyone.do(t, "GET", publicURL, nil)); p.CouncilMotions == nil || len(p.CouncilMotions) != 0 {
		t.Fatalf("the public page before sending: %+v", p)
	}

	// The president sees the passed motions not sent yet, and may send them; a member does not.
	type phoneView struct {
		Motions []councilMotionOut `json:"motions"`
		MaySend bool               `json:"maySend"`
	}
	if v := decodeInto[phoneView](t, f.members[0].phone.do(t, "GET", "/api/v1/youth-council/me/answers", nil)); !v.MaySend || len(v.Motions) != 2 || v.Motions[0].Sent {
		t.Fatalf("the president's phone before sending: %+v", v)
	}
	if v := decodeInto[phoneView](t, f.members[4].phone.do(t, "GET", "/api/v1/youth-council/me/answers", nil)); v.MaySend || len(v.Motions) != 0 {
		t.Fatalf("a member's phone before sending: %+v", v)
	}

	// Sent by the president from their phone; the coordinator's send is the same one.
	a := f.members[0].phone.do(t, "POST", memberSend(adopted), nil)
	mustStatus(t, a, 201)
	sent := decodeInto[councilMotionOut](t, a)
	if !sent.Sent || sent.Answer != "sent" || sent.Title != "Bănci noi în parc" || sent.Vote == nil || sent.Vote.Yes != 4 || sent.Vote.No != 1 ||
		sent.AudienceBody != "Consiliul Local Bacău" || sent.RecommendationID != voci.MotionRecommendationID(f.meetingID, adopted) {
		t.Fatalf("sent: %+v", sent)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = f.coord.do(t, "POST", send(adopted), nil).status
		}()
	}
	wg.Wait()
	for _, st := range statuses {
		if st != 200 {
			t.Fatalf("sending again: %v", statuses)
		}
	}
	a = f.coord.do(t, "POST", send(referred), nil)
	mustStatus(t, a, 201)
	if r := decodeInto[councilMotionOut](t, a); r.MotionState != "referred" || r.Vote != nil {
		t.Fatalf("referred: %+v", r)
	}
	recs, err = f.ls.store.ListRecommendations(t.Context(), voci.RecommendationFilter{Municipality: bacau, Source: voci.SourceCouncilMotion})
	if err != nil || len(recs) != 2 {
		t.Fatalf("recommendations: %d (%v)", len(recs), err)
	}
	rec, err := f.ls.store.FindRecommendation(t.Context(), sent.RecommendationID)
	if err != nil || rec.SourceRef != voci.MotionSourceRef(f.meetingID, adopted) || rec.Text != "Cerem zece bănci noi în parcul central, lângă locul de joacă." {
		t.Fatalf("the stored recommendation: %+v %v", rec, err)
	}
	if n := auditActions(t, f.ls.testServer); n["council_motion.send"] != 2 {
		t.Fatalf("audit: %v", n)
	}

	// The decisions' picker lists it; a decision links to it.
	picker := decodeInto[struct {
		Recommendations []struct {
			ID     string `json:"id"`
			Source string `json:"source"`
		} `json:"recommendations"`
	}](t, f.coord.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/decision-recommendations", bacau), nil))
	found := false
	for _, r := range picker.Recommendations {
		found = found || (r.ID == sent.RecommendationID && r.Source == "council_motion")
	}
	if !found {
		t.Fatalf("the decisions' picker: %+v", picker)
	}
	decisions := fmt.Sprintf("/api/v1/municipalities/%d/decisions", bacau)
	a = f.coord.do(t, "POST", decisions, map[string]any{"number": "77/2026", "date": "2026-11-20", "title": "Bănci în parcul central",
		"text": "Se aprobă.", "vote": map[string]int{"for": 15}, "status": "adopted",
		"links": []map[string]any{{"recommendationId": sent.RecommendationID, "response": "adopted_as_proposed"}}})
	mustStatus(t, a, 201)
	d := decodeInto[struct {
		ID string `json:"id"`
	}](t, a)
	mustStatus(t, f.coord.do(t, "POST", decisions+"/"+d.ID+"/publish", map[string]int{"revision": 1}), 200)

	// Feedback: Romanian is required; a second adult publishes it.
	fbBase := fmt.Sprintf("/api/v1/municipalities/%d/recommendations/%s/feedback", bacau, sent.RecommendationID)
	a = f.coord.do(t, "GET", fbBase, nil)
	mustStatus(t, a, 200)
	if req := decodeInto[struct {
		Required []string `json:"requiredLanguages"`
	}](t, a); len(req.Required) != 1 || req.Required[0] != "ro" {
		t.Fatalf("required languages: %v", req.Required)
	}
	texts := map[string]any{"ro": map[string]string{"text": "Consiliul local a aprobat băncile.", "easyRead": "Vin bănci noi."},
		"hu": map[string]string{"text": "A helyi tanács jóváhagyta a padokat.", "easyRead": "Új padok jönnek."}}
	a = f.coord.do(t, "POST", fbBase, map[string]any{"texts": texts})
	mustStatus(t, a, 201)
	fb := decodeInto[struct {
		ID       string `json:"id"`
		Revision int    `json:"revision"`
	}](t, a)
	a = f.coord.do(t, "POST", fbBase+"/"+fb.ID+"/submit", map[string]any{"revision": fb.Revision})
	mustStatus(t, a, 200)
	fb = decodeInto[struct {
		ID       string `json:"id"`
		Revision int    `json:"revision"`
	}](t, a)
	council := f.ls.client()
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	mustStatus(t, council.do(t, "POST", fbBase+"/"+fb.ID+"/publish", map[string]any{"revision": fb.Revision}), 200)

	// The answer comes back: to a member's phone, and to the council's page.
	a = f.members[4].phone.do(t, "GET", "/api/v1/youth-council/me/answers", nil)
	mustStatus(t, a, 200)
	phone := decodeInto[struct {
		Motions []councilMotionOut `json:"motions"`
	}](t, a)
	if len(phone.Motions) != 2 {
		t.Fatalf("on a phone: %+v", phone.Motions)
	}
	got := phone.Motions[0]
	if got.Number != adopted || got.Answer != "answered" || len(got.Decisions) != 1 || got.Decisions[0].Number != "77/2026" ||
		got.Feedback == nil || got.Feedback.Texts["hu"].EasyRead != "Új padok jönnek." {
		t.Fatalf("the answer on a phone: %+v", got)
	}
	if phone.Motions[1].Number != referred || phone.Motions[1].Answer != "sent" || phone.Motions[1].Feedback != nil {
		t.Fatalf("the referred motion on a phone: %+v", phone.Motions[1])
	}
	// The coordinator's page reads every sent motion's feedback in one request.
	type motionsFeedback struct {
		Recommendations []struct {
			ID                string   `json:"id"`
			RequiredLanguages []string `json:"requiredLanguages"`
			Versions          []struct {
				ID    string `json:"id"`
				State string `json:"state"`
			} `json:"versions"`
		} `json:"recommendations"`
	}
	all := decodeInto[motionsFeedback](t, f.coord.do(t, "GET", councilBase+"/motions/feedback", nil))
	versions := map[string]int{}
	for _, r := range all.Recommendations {
		if len(r.RequiredLanguages) != 1 || r.RequiredLanguages[0] != "ro" {
			t.Fatalf("required languages: %+v", r)
		}
		versions[r.ID] = len(r.Versions)
		if r.ID == sent.RecommendationID && (len(r.Versions) != 1 || r.Versions[0].ID != fb.ID || r.Versions[0].State != "published") {
			t.Fatalf("the adopted motion's feedback: %+v", r)
		}
	}
	if len(all.Recommendations) != 2 || versions[sent.RecommendationID] != 1 || versions[voci.MotionRecommendationID(f.meetingID, referred)] != 0 {
		t.Fatalf("every sent motion's feedback: %+v", all)
	}
	wantProblem(t, "a member's phone", f.members[0].phone.do(t, "GET", councilBase+"/motions/feedback", nil), 401, voci.EUNAUTHORIZED, "")

	// The public page lists both motions, newest first, with the answer in the reader's
	// language; no member's name is in it.
	a = anyone.do(t, "GET", publicURL, nil)
	mustStatus(t, a, 200)
	pub := decodeInto[publicPage](t, a)
	if len(pub.CouncilMotions) != 2 {
		t.Fatalf("the public page: %+v", pub)
	}
	byNumber := map[string]int{pub.CouncilMotions[0].Number: 0, pub.CouncilMotions[1].Number: 1}
	pa, pr := pub.CouncilMotions[byNumber[adopted]], pub.CouncilMotions[byNumber[referred]]
	if pa.State != "answered" || pa.Title != "Bănci noi în parc" || pa.Feedback == nil || pa.Feedback.Lang != "hu" || pa.Feedback.EasyRead != "Új padok jönnek." ||
		len(pa.Decisions) != 1 || pa.Decisions[0].Number != "77/2026" || pr.State != "sent" || pr.Feedback != nil {
		t.Fatalf("the public motions: %+v", pub.CouncilMotions)
	}
	for _, m := range f.members {
		if strings.Contains(string(a.body), m.name) {
			t.Fatalf("the public page names member %q: %s", m.name, a.body)
		}
	}
	page := decodeInto[struct {
		Motions []councilMotionOut `json:"motions"`
	}](t, f.coord.do(t, "GET", councilBase+"/motions", nil))
	if len(page.Motions) != 2 || page.Motions[0].Answer != "answered" {
		t.Fatalf("the council's page: %+v", page.Motions)
	}
}

// A meeting that ends leaves its summary, and the national indicators count it: meetings held,
// the attendance rate and motions passed, no longer "not yet recorded".
func TestMeetingEndedCountsInTheNationalIndicators(t *testing.T) {
	f := newRoom(t, 5, quickChair)
	committee := f.ls.client()
	mustStatus(t, committee.login(t, "national@demo.voci.ro", testPassword), 200)
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(time.Now())).ID
	indicators := func() map[string]map[string]any {
		t.Helper()
		a := committee.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/indicators?period=%s", bacau, month), nil)
		mustStatus(t, a, 200)
		var body struct {
			Indicators map[string]map[string]any `json:"indicators"`
		}
		if err := json.Unmarshal(a.body, &body); err != nil {
			t.Fatal(err)
		}
		return body.Indicators
	}
	before := indicators()
	if before[voci.IndMeetingsHeld]["value"] != 0.0 || before[voci.IndMotionsPassed]["value"] != 0.0 || before[voci.IndMeetingAttendanceRate] != nil {
		t.Fatalf("before any meeting: %v %v %v", before[voci.IndMeetingsHeld], before[voci.IndMotionsPassed], before[voci.IndMeetingAttendanceRate])
	}
	heldMeeting(t, f, true)
	after := indicators()
	if after[voci.IndMeetingsHeld]["value"] != 1.0 || after[voci.IndMotionsPassed]["value"] != 1.0 || after[voci.IndMeetingAttendanceRate]["value"] != 1.0 {
		t.Fatalf("after the meeting: %v %v %v", after[voci.IndMeetingsHeld], after[voci.IndMotionsPassed], after[voci.IndMeetingAttendanceRate])
	}
}

// The national tables keep the counts of a period that is over until the past changes: the
// summary of a meeting, written for a month long settled, is such a change, and the kept
// figures move with it.
func TestMeetingSummaryMovesKeptNationalFigures(t *testing.T) {
	ts := newTestServer(t)
	committee := signedIn(t, ts, "national")["national"]
	settled := voci.PeriodAt(voci.PeriodMonth, voci.Today(time.Now()).AddDate(0, -3, 0))
	held := func() any {
		t.Helper()
		a := committee.do(t, "GET", fmt.Sprintf("/api/v1/municipalities/%d/indicators?period=%s", bacau, settled.ID), nil)
		mustStatus(t, a, 200)
		var body struct {
			Indicators map[string]map[string]any `json:"indicators"`
		}
		if err := json.Unmarshal(a.body, &body); err != nil {
			t.Fatal(err)
		}
		return body.Indicators[voci.IndMeetingsHeld]["value"]
	}
	if v := held(); v != 0.0 {
		t.Fatalf("before: %v", v)
	}
	if v := held(); v != 0.0 { // now kept
		t.Fatalf("kept: %v", v)
	}
	if err := ts.store.PutMeetingFigures(t.Context(), &voci.MeetingFigures{MeetingID: "mt-past", CouncilID: "yc", Municipality: bacau,
		EndedAt: settled.Start().Add(36 * time.Hour), InOffice: 9, Present: 7, MotionsPassed: 2}); err != nil {
		t.Fatal(err)
	}
	if v := held(); v != 1.0 {
		t.Fatalf("after a meeting's summary of a settled month: %v", v)
	}
}
