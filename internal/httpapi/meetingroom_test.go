package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// These tests run a youth council's meeting in its live room: the real application on a real
// listener at 127.0.0.1:0, a real SQLite file and real websockets, members signed in with
// their cards.

const councilBase = "/api/v1/municipalities/20297/youth-council"

type roomFixture struct {
	ls        *liveServer
	coord     *client
	councilID string
	meetingID string
	members   []roomMember // members[0] is the president (the chair), members[2] the secretary
}

type roomMember struct {
	id, name string
	phone    *memberPhone
}

var memberNames = []string{"Ana", "Bogdi", "Carla", "Dan", "Elena", "Filip", "Gabi", "Horia", "Ioana", "Jana", "Lucian",
	"Mara", "Nicu", "Oana", "Petra", "Radu", "Sorin", "Tudor", "Ula", "Vlad", "Xenia"}

// memberName is the i-th member's display name: letters only, one word, unique.
func memberName(i int) string {
	if i < len(memberNames) {
		return memberNames[i]
	}
	return "Elev" + string(rune('a'+i/26)) + string(rune('a'+i%26))
}

// newRoom sets up Bacău's council with n members aged 16–18 (no consent needed), all signed
// in on their phones, and a scheduled meeting.
func newRoom(t *testing.T, n int, opts ...func(*httpapi.Deps)) *roomFixture {
	t.Helper()
	ls := newLiveServer(t, opts...)
	f := &roomFixture{ls: ls, coord: ls.client()}
	mustStatus(t, f.coord.login(t, "coordinator.bacau@demo.voci.ro", testPassword), 200)
	mustStatus(t, f.coord.do(t, "PUT", councilBase, map[string]any{"name": "Consiliul Copiilor Bacău", "chair": "president"}), 201)
	for i := range n {
		office := ""
		switch i {
		case 0:
			office = "president"
		case 2:
			office = "secretary"
		}
		a := f.coord.do(t, "POST", councilBase+"/members", map[string]any{"displayName": memberName(i), "ageBand": "16_18", "office": office})
		mustStatus(t, a, 201)
		m := decodeInto[councilMemberOut](t, a)
		f.members = append(f.members, roomMember{id: m.ID, name: m.DisplayName, phone: f.signIn(t, m.ID)})
	}
	yc, err := ls.store.FindYouthCouncil(t.Context(), bacau)
	if err != nil {
		t.Fatal(err)
	}
	f.councilID = yc.ID
	f.meetingID = f.schedule(t, yc.ID, bacau)
	return f
}

func (f *roomFixture) signIn(t *testing.T, memberID string) *memberPhone {
	t.Helper()
	a := f.coord.do(t, "POST", councilBase+"/members/"+memberID+"/card", nil)
	mustStatus(t, a, 201)
	card := decodeInto[struct {
		Link string `json:"link"`
	}](t, a)
	// Signed in through the domain: the sign-in route allows a device only a few card
	// sign-ins a minute, and every member here signs in from the test's one address.
	in, err := voci.NewYouthCouncils(f.ls.store, nil, nil).SignInWithCard(t.Context(), card.Link[strings.Index(card.Link, "#card=")+6:])
	if err != nil {
		t.Fatal(err)
	}
	return &memberPhone{ts: f.ls.testServer, cookie: in.Token, csrf: in.Session.CSRFToken}
}

func (f *roomFixture) schedule(t *testing.T, councilID string, municipality int) string {
	t.Helper()
	id := voci.RandomID()
	now := time.Now().UTC()
	if err := f.ls.store.CreateCouncilMeeting(t.Context(), &voci.CouncilMeeting{ID: id, CouncilID: councilID, Municipality: municipality,
		Title: "Ședința din decembrie", StartsAt: now.Add(time.Hour), State: voci.MeetingStateScheduled, Version: 1, CreatedAt: now, CreatedBy: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *roomFixture) memberPath() string {
	return "/api/v1/youth-council/meetings/" + f.meetingID + "/room"
}

// phone connects member i's phone to the room.
func (f *roomFixture) phone(t *testing.T, i int) *wsConn {
	t.Helper()
	h := http.Header{}
	h.Set("Cookie", "voci_member="+f.members[i].phone.cookie)
	return f.ls.mustDial(t, f.memberPath(), h)
}

func (f *roomFixture) projector(t *testing.T) *wsConn {
	t.Helper()
	h := http.Header{}
	h.Set("Cookie", "voci_session="+f.coord.cookie)
	return f.ls.mustDial(t, fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room?view=projector", bacau, f.meetingID), h)
}

type roomState struct {
	Seq    int64  `json:"seq"`
	Phase  string `json:"phase"`
	Quorum struct {
		InOffice, Present, Needed int
		Met                       bool
	} `json:"quorum"`
	Hands []struct {
		Member string `json:"member"`
		Kind   string `json:"kind"`
	} `json:"hands"`
	Vote *struct {
		Voted  int  `json:"voted"`
		Secret bool `json:"secret"`
	} `json:"vote"`
	LastResult *struct {
		Outcome           string `json:"outcome"`
		Yes, No, Abstain  int
		QuorumMet, Secret bool
	} `json:"lastResult"`
	Agenda []struct {
		Number          int        `json:"number"`
		Title           string     `json:"title"`
		MinutesStartsAt *time.Time `json:"minutesStartsAt"`
	} `json:"agenda"`
	Motions []struct {
		Number string `json:"number"`
		State  string `json:"state"`
	} `json:"motions"`
	Coach *struct {
		Step string `json:"step"`
	} `json:"coach"`
	You *struct {
		Present bool   `json:"present"`
		Voted   bool   `json:"voted"`
		Choice  string `json:"choice"`
	} `json:"you"`
}

// do sends a command and returns its answer: "" for an ack, the error's code otherwise.
func do(t *testing.T, w *wsConn, typ string, data any) string {
	t.Helper()
	// A phone gives each command a key of its own: the room takes a key it has seen from the
	// same member for a retry.
	id := fmt.Sprintf("cmd-%d", commandKeys.Add(1))
	w.sendAs(typ, id, data)
	r := replyKeepingState(t, w, id)
	if r.Type == "ack" {
		return ""
	}
	if code := w.errorCode(r); code != "" {
		return code
	}
	t.Fatalf("%s: answered %s %s", typ, r.Type, r.Data)
	return ""
}

func ok(t *testing.T, w *wsConn, typ string, data any) {
	t.Helper()
	if code := do(t, w, typ, data); code != "" {
		t.Fatalf("%s: %s", typ, code)
	}
}

var (
	commandKeys atomic.Int64
	lastStates  sync.Map // *wsConn → the last meeting.state read on it
)

// replyKeepingState reads until the answer to id, keeping the last state read meanwhile.
func replyKeepingState(t *testing.T, w *wsConn, id string) envelope {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for the reply to %s: %v", id, err)
		}
		if e.Type == "meeting.state" {
			lastStates.Store(w, e)
		}
		if e.ID == id {
			return e
		}
	}
}

// waitState reads states until one satisfies want, failing after 5 seconds.
func waitState(t *testing.T, w *wsConn, want func(roomState) bool) roomState {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var last roomState
	if e, ok := lastStates.LoadAndDelete(w); ok {
		e.(envelope).decode(t, &last)
		if want(last) {
			return last
		}
	}
	for {
		e, err := w.read(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for a state (last %+v): %v", last, err)
		}
		if e.Type != "meeting.state" {
			continue
		}
		last = roomState{}
		e.decode(t, &last)
		if want(last) {
			return last
		}
	}
}

// The tester's check: a council of 11 with a majority quorum. With 5 present a decision vote
// is refused (no_quorum, 409 in the problem table); a 6th check-in allows it; presence drops
// to 5 before the close and the vote is not valid, the motion not adopted. Who is not the
// chair cannot chair, and the projector cannot act.
func TestMeetingRoomQuorumDecidesTheVote(t *testing.T) {
	f := newRoom(t, 11)
	mustStatus(t, f.coord.do(t, "POST", councilBase+"/meetings/"+f.meetingID+"/agenda", map[string]any{"title": "Bănci în parc", "kind": "decision"}), 201)
	phones := make([]*wsConn, 11)
	for i := range phones {
		phones[i] = f.phone(t, i)
	}
	chair, proj := phones[0], f.projector(t)
	ok(t, chair, "open", nil)
	if m, err := f.ls.store.FindCouncilMeeting(t.Context(), f.meetingID); err != nil || m.State != voci.MeetingStateOpen || m.OpenedAt.IsZero() {
		t.Fatalf("the meeting record after the opening: %+v %v", m, err)
	}
	for i := range 5 {
		ok(t, phones[i], "check_in", nil)
	}
	ok(t, chair, "start_item", map[string]any{"item": 1, "title": "Bănci în parc", "itemKind": "decision"})
	ok(t, phones[1], "submit_motion", map[string]any{"title": "Bănci noi", "text": "Zece bănci noi în parcul central."})
	s := waitState(t, chair, func(s roomState) bool { return len(s.Motions) == 1 })
	if len(s.Agenda) != 1 || s.Agenda[0].Number != 1 || s.Agenda[0].Title != "Bănci în parc" {
		t.Fatalf("the agenda in the room: %+v", s.Agenda)
	}
	motion := s.Motions[0].Number
	ok(t, phones[3], "move_motion", map[string]any{"motion": motion, "state": "seconded"})
	ok(t, chair, "move_motion", map[string]any{"motion": motion, "state": "debated"})

	if code := do(t, phones[1], "open_motion_vote", map[string]any{"motion": motion}); code != "forbidden" {
		t.Fatalf("a member opens the vote: %q", code)
	}
	if code := do(t, proj, "check_in", nil); code != "forbidden" {
		t.Fatalf("the projector checks in: %q", code)
	}
	if code := do(t, chair, "open_motion_vote", map[string]any{"motion": motion}); code != voci.ENOQUORUM {
		t.Fatalf("a decision vote with 5 of 11: %q", code)
	}
	// States follow their acks, a burst as one: wait for the one with the debate open.
	s = waitState(t, chair, func(s roomState) bool {
		return s.Quorum.Present == 5 && len(s.Motions) == 1 && s.Motions[0].State == "debated"
	})
	if s.Quorum.Met || s.Quorum.Needed != 6 || s.Coach == nil || s.Coach.Step != string(voci.StepWaitForQuorum) {
		t.Fatalf("the chair's state with 5: %+v", s)
	}
	ok(t, phones[5], "check_in", nil)
	ok(t, chair, "open_motion_vote", map[string]any{"motion": motion, "secret": true})
	for i := range 6 {
		ok(t, phones[i], "cast", map[string]any{"choice": "yes"})
	}
	if code := do(t, phones[6], "cast", map[string]any{"choice": "yes"}); code != voci.ENOTENTITLED {
		t.Fatalf("a member not checked in votes: %q", code)
	}
	ps := waitState(t, proj, func(s roomState) bool { return s.Vote != nil && s.Vote.Voted == 6 })
	if ps.You != nil || ps.Coach != nil {
		t.Fatalf("the projector sees a member's or the chair's part: %+v", ps)
	}
	ok(t, phones[4], "check_out", nil)
	ok(t, chair, "close_vote", nil)
	s = waitState(t, proj, func(s roomState) bool { return s.LastResult != nil })
	if s.LastResult.Outcome != string(voci.VoteNotValid) || s.LastResult.QuorumMet || s.LastResult.Yes != 5 || s.Motions[0].State != string(voci.MotionRejected) {
		t.Fatalf("closed with 5 present: %+v %+v", s.LastResult, s.Motions)
	}
	if code := do(t, phones[0], "cast", map[string]any{"choice": "no"}); code != voci.EVOTECLOSED {
		t.Fatalf("a vote after the close: %q", code)
	}
	ok(t, chair, "end", nil)
	if m, _ := f.ls.store.FindCouncilMeeting(t.Context(), f.meetingID); m.State != voci.MeetingStateEnded {
		t.Fatalf("the meeting record after the end: %+v", m)
	}
}

// 11 members each vote 100 times at once, reconnecting every 25 votes and sending every vote
// twice with the same key, as a phone retrying after a lost answer would: one ballot each.
func TestMeetingRoomConcurrentVotesCountOnce(t *testing.T) {
	f := newRoom(t, 11, func(d *httpapi.Deps) {
		// Phones keep to the rate limit; this test sends as fast as it can.
		cfg := live.DefaultConfig
		cfg.Rate, cfg.Burst = 10000, 10000
		d.MeetingRooms = &cfg
	})
	chair := f.phone(t, 0)
	ok(t, chair, "open", nil)
	for i := range 11 {
		w := f.phone(t, i)
		ok(t, w, "check_in", nil)
		w.c.Close()
	}
	ok(t, chair, "open_item_vote", map[string]any{"title": "Excursia de primăvară", "majority": "simple", "decision": true, "secret": true})
	choices := []string{"yes", "no", "abstain"}
	var wg sync.WaitGroup
	for i := range 11 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w *wsConn
			for v := range 100 {
				if v%25 == 0 {
					if w != nil {
						w.c.Close()
					}
					w = f.phone(t, i)
				}
				key := fmt.Sprintf("vote-%d-%d", i, v)
				data := map[string]any{"choice": choices[(i+v)%3]}
				w.sendAs("cast", key, data)
				w.sendAs("cast", key, data) // the retry
				for range 2 {
					if r := w.reply(key); r.Type != "ack" {
						t.Errorf("member %d vote %d: %s %s", i, v, r.Type, r.Data)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	_, ballots, err := f.ls.store.LoadMeetingLog(t.Context(), f.meetingID)
	if err != nil || len(ballots) != 11 {
		t.Fatalf("stored ballots while open: %d %v", len(ballots), err)
	}
	ok(t, chair, "close_vote", nil)
	s := waitState(t, chair, func(s roomState) bool { return s.LastResult != nil })
	r := s.LastResult
	// Each member's last vote was number 99: choice (i+99)%3.
	want := [3]int{}
	for i := range 11 {
		want[(i+99)%3]++
	}
	if r.Yes+r.No+r.Abstain != 11 || r.Yes != want[0] || r.No != want[1] || r.Abstain != want[2] {
		t.Fatalf("counted %+v, want %v", r, want)
	}
	if _, ballots, _ := f.ls.store.LoadMeetingLog(t.Context(), f.meetingID); len(ballots) != 0 {
		t.Fatalf("ballots kept after the secret vote closed: %+v", ballots)
	}
}

// 20 members raise their hands at once, one of them for a point of order: the 30 screens
// connected (20 phones, 5 projectors, 5 more phones of the same members) show one order,
// the point of order first.
func TestMeetingRoomOneQueueOnEveryScreen(t *testing.T) {
	f := newRoom(t, 21)
	chair := f.phone(t, 0)
	ok(t, chair, "open", nil)
	var screens []*wsConn
	for i := 1; i <= 20; i++ {
		w := f.phone(t, i)
		ok(t, w, "check_in", nil)
		screens = append(screens, w)
	}
	for range 5 {
		screens = append(screens, f.projector(t))
	}
	for i := 1; i <= 5; i++ {
		screens = append(screens, f.phone(t, i))
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kind := "contribution"
			if i == 13 {
				kind = "point_of_order"
			}
			screens[i].sendAs("raise_hand", fmt.Sprintf("hand-%d", i), map[string]any{"hand": kind})
		}()
	}
	wg.Wait()
	var orders [][]string
	for _, w := range screens {
		s := waitState(t, w, func(s roomState) bool { return len(s.Hands) == 20 })
		var order []string
		for _, h := range s.Hands {
			order = append(order, h.Member)
		}
		if s.Hands[0].Kind != "point_of_order" || s.Hands[0].Member != f.members[14].id {
			t.Fatalf("the first hand: %+v", s.Hands[0])
		}
		orders = append(orders, order)
	}
	for i, o := range orders {
		if !slices.Equal(o, orders[0]) {
			t.Fatalf("screen %d shows another order:\n%v\n%v", i, o, orders[0])
		}
	}
}

// A member whose card is revoked, whose consent is withdrawn or who leaves the council is cut
// off mid-meeting (4003); one who left no longer counts towards the quorum. Another
// council's meeting is not there for a member; a member without consent cannot join.
func TestMeetingRoomCutsOffWhoMayNoLongerTakePart(t *testing.T) {
	f := newRoom(t, 5)
	chair := f.phone(t, 0)
	ok(t, chair, "open", nil)
	p1, p2 := f.phone(t, 1), f.phone(t, 2)
	ok(t, p1, "check_in", nil)
	ok(t, p2, "check_in", nil)
	mustStatus(t, f.coord.do(t, "DELETE", councilBase+"/members/"+f.members[1].id+"/card", nil), 204)
	if code := p1.closeCode(5 * time.Second); code != 4003 {
		t.Fatalf("a revoked card: close %d", code)
	}
	h := http.Header{}
	h.Set("Cookie", "voci_member="+f.members[1].phone.cookie)
	if _, resp, err := f.ls.dial(t, f.memberPath(), h); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("a revoked card connects: %v", err)
	}

	a := f.coord.do(t, "GET", councilBase, nil)
	var council struct {
		Members []councilMemberOut `json:"members"`
	}
	decodeBody(t, a, &council)
	version := 0
	for _, m := range council.Members {
		if m.ID == f.members[2].id {
			version = m.Version
		}
	}
	mustStatus(t, f.coord.do(t, "POST", councilBase+"/members/"+f.members[2].id+"/leave", map[string]any{"on": time.Now().UTC().Format(time.DateOnly), "version": version}), 200)
	if code := p2.closeCode(5 * time.Second); code != 4003 {
		t.Fatalf("a member who left: close %d", code)
	}
	s := waitState(t, chair, func(s roomState) bool { return s.Quorum.InOffice == 4 })
	if s.Quorum.Present != 1 { // the member whose card was revoked is still on the roll
		t.Fatalf("the quorum after a member left: %+v", s.Quorum)
	}

	// A member under 16 without consent is refused at the door.
	a = f.coord.do(t, "POST", councilBase+"/members", map[string]any{"displayName": "Zoe", "ageBand": "13_15"})
	mustStatus(t, a, 201)
	zoe := decodeInto[councilMemberOut](t, a)
	zoePhone := f.signIn(t, zoe.ID)
	h = http.Header{}
	h.Set("Cookie", "voci_member="+zoePhone.cookie)
	if _, resp, err := f.ls.dial(t, f.memberPath(), h); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("a member without consent connects: %v", err)
	}

	// A meeting that ended on its record does not open in the room.
	ended := f.schedule(t, f.councilID, bacau)
	m, err := f.ls.store.FindCouncilMeeting(t.Context(), ended)
	if err != nil {
		t.Fatal(err)
	}
	m.State, m.OpenedAt, m.EndedAt, m.Version = voci.MeetingStateEnded, time.Now().UTC(), time.Now().UTC(), m.Version+1
	if err := f.ls.store.UpdateCouncilMeeting(t.Context(), m, nil); err != nil {
		t.Fatal(err)
	}
	h = http.Header{}
	h.Set("Cookie", "voci_member="+f.members[0].phone.cookie)
	old := f.ls.mustDial(t, "/api/v1/youth-council/meetings/"+ended+"/room", h)
	if code := do(t, old, "open", nil); code != voci.EWRONGSTATE {
		t.Fatalf("opening an ended meeting: %q", code)
	}

	// Another council's meeting.
	other := &voci.YouthCouncil{ID: "yc-other", Municipality: 20305, Name: "Alt consiliu", TermStart: time.Now().UTC().Truncate(24 * time.Hour),
		TermEnd: time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour), Quorum: voci.DefaultQuorum, Majority: voci.MajoritySimple,
		Chair: voci.ChairPresident, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := f.ls.store.CreateYouthCouncil(t.Context(), other, nil); err != nil {
		t.Fatal(err)
	}
	otherMeeting := f.schedule(t, other.ID, 20305)
	h = http.Header{}
	h.Set("Cookie", "voci_member="+f.members[3].phone.cookie)
	if _, resp, err := f.ls.dial(t, "/api/v1/youth-council/meetings/"+otherMeeting+"/room", h); err == nil || resp == nil || resp.StatusCode != 404 {
		t.Fatalf("another council's meeting: %v", err)
	}
	h = http.Header{}
	h.Set("Cookie", "voci_session="+f.coord.cookie)
	if _, resp, err := f.ls.dial(t, fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room", bacau, otherMeeting), h); err == nil || resp == nil || resp.StatusCode != 404 {
		t.Fatalf("another municipality's meeting for the coordinator: %v", err)
	}
	// And a handshake from another origin.
	h = http.Header{}
	h.Set("Cookie", "voci_member="+f.members[3].phone.cookie)
	h.Set("Origin", "https://evil.example")
	if _, resp, err := f.ls.dial(t, f.memberPath(), h); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("another origin: %v", err)
	}
}

// The gallery follows with the link the coordinator shares, sees how many voted but never
// how, and cannot act; a replaced link opens nothing.
func TestMeetingRoomGallery(t *testing.T) {
	f := newRoom(t, 3)
	path := fmt.Sprintf("%s/meetings/%s/room/gallery-link", councilBase, f.meetingID)
	a := f.coord.do(t, "POST", path, nil)
	mustStatus(t, a, 201)
	link := decodeInto[struct {
		Token string `json:"token"`
		Link  string `json:"link"`
	}](t, a)
	if !strings.Contains(link.Link, "#"+f.meetingID+"."+link.Token) {
		t.Fatalf("link %s", link.Link)
	}
	gallery := func(token string) (*wsConn, *http.Response, error) {
		h := http.Header{}
		h.Set("Sec-WebSocket-Protocol", "voci-meeting.1, voci-gallery."+token)
		return f.ls.dial(t, "/api/v1/meeting-gallery/"+f.meetingID, h)
	}
	g, _, err := gallery(link.Token)
	if err != nil {
		t.Fatal(err)
	}
	g.expect("welcome")
	chair := f.phone(t, 0)
	ok(t, chair, "open", nil)
	for i := range 3 {
		ok(t, f.phone(t, i), "check_in", nil)
	}
	p1 := f.phone(t, 1)
	ok(t, chair, "open_item_vote", map[string]any{"title": "Tema taberei", "majority": "simple", "decision": true})
	ok(t, p1, "cast", map[string]any{"choice": "no"})
	ps := waitState(t, p1, func(s roomState) bool { return s.You != nil && s.You.Voted })
	if ps.You.Choice != "no" {
		t.Fatalf("a member's own ballot on their phone: %+v", ps.You)
	}
	e := g.expect("meeting.state")
	for !strings.Contains(string(e.Data), `"voted":1`) {
		e = g.expect("meeting.state")
	}
	if strings.Contains(string(e.Data), `"choice"`) || strings.Contains(string(e.Data), `"you"`) {
		t.Fatalf("the gallery sees a ballot: %s", e.Data)
	}
	if code := do(t, g, "cast", map[string]any{"choice": "yes"}); code != "forbidden" {
		t.Fatalf("the gallery votes: %q", code)
	}
	mustStatus(t, f.coord.do(t, "POST", path, nil), 201)
	if _, resp, err := gallery(link.Token); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("a replaced gallery link: %v", err)
	}
}

// The room survives a restart: a second server on the same database file rebuilds it from
// the stored log, the open vote with its ballots, and counts the same.
func TestMeetingRoomSurvivesARestart(t *testing.T) {
	f := newRoom(t, 7)
	chair := f.phone(t, 0)
	ok(t, chair, "open", nil)
	for i := range 7 {
		w := f.phone(t, i)
		ok(t, w, "check_in", nil)
		if i > 0 && i < 5 {
			ok(t, w, "raise_hand", map[string]any{"hand": "question"})
		}
	}
	ok(t, chair, "open_item_vote", map[string]any{"title": "Bugetul", "majority": "simple", "decision": true, "secret": true})
	for i := range 5 {
		ok(t, f.phone(t, i), "cast", map[string]any{"choice": []string{"yes", "no"}[i%2]})
	}
	f.ls.stop()

	second := newLiveServer(t, func(d *httpapi.Deps) { d.Store = f.ls.store })
	f.ls = second
	chair = f.phone(t, 0)
	s := waitState(t, chair, func(roomState) bool { return true })
	if s.Phase != "open" || s.Quorum.Present != 7 || len(s.Hands) != 4 || s.Vote == nil || s.Vote.Voted != 5 || s.You == nil || !s.You.Voted || s.You.Choice != "yes" {
		t.Fatalf("after the restart: %+v", s)
	}
	ok(t, chair, "close_vote", nil)
	s = waitState(t, chair, func(s roomState) bool { return s.LastResult != nil })
	if s.LastResult.Yes != 3 || s.LastResult.No != 2 || s.LastResult.Outcome != string(voci.VoteAdopted) {
		t.Fatalf("counted after the restart: %+v", s.LastResult)
	}
}

// A council's motions are numbered through its year, not per meeting: the second meeting's
// first motion follows the first meeting's, so "M-2026-1" names one motion of the council.
func TestMeetingRoomNumbersMotionsAfterEarlierMeetings(t *testing.T) {
	f := newRoom(t, 3)
	motionIn := func(title string) string {
		t.Helper()
		chair, member := f.phone(t, 0), f.phone(t, 1)
		ok(t, chair, "open", nil)
		ok(t, chair, "check_in", nil)
		ok(t, member, "check_in", nil)
		ok(t, chair, "start_item", map[string]any{"item": 1, "title": title, "itemKind": "decision"})
		ok(t, member, "submit_motion", map[string]any{"title": title, "text": "Un text pentru " + title + "."})
		s := waitState(t, chair, func(s roomState) bool { return len(s.Motions) == 1 })
		ok(t, chair, "end", nil)
		return s.Motions[0].Number
	}
	first := motionIn("Bănci")
	f.meetingID = f.schedule(t, f.councilID, bacau)
	second := motionIn("Lumini")
	y1, n1, _, ok1 := voci.ParseMotionNumber(first)
	y2, n2, _, ok2 := voci.ParseMotionNumber(second)
	if !ok1 || !ok2 || first == second || (y1 == y2 && n2 != n1+1) {
		t.Fatalf("the two meetings' motions are numbered %q and %q", first, second)
	}
}

// TestMeetingRoomSeats: a member's card opens at most four screens of the room and an adult's
// session eight; the next is refused with 429 before the handshake, and a screen closed gives
// its seat back.
func TestMeetingRoomSeats(t *testing.T) {
	f := newRoom(t, 2)
	h := http.Header{}
	h.Set("Cookie", "voci_member="+f.members[1].phone.cookie)
	var phones []*wsConn
	for range 4 {
		phones = append(phones, f.ls.mustDial(t, f.memberPath(), h))
	}
	if _, resp, err := f.ls.dial(t, f.memberPath(), h); err == nil || resp == nil || resp.StatusCode != 429 {
		t.Fatalf("a fifth screen of one card: %v", err)
	}
	other := f.phone(t, 0) // another member is not counted with them
	phones[0].c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		w, resp, err := f.ls.dial(t, f.memberPath(), h)
		if err == nil {
			w.expect("welcome")
			break
		}
		if resp == nil || resp.StatusCode != 429 || time.Now().After(deadline) {
			t.Fatalf("after closing one screen: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stillOpen(t, other)

	h = http.Header{}
	h.Set("Cookie", "voci_session="+f.coord.cookie)
	for range 8 {
		f.ls.mustDial(t, fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room?view=projector", bacau, f.meetingID), h)
	}
	if _, resp, err := f.ls.dial(t, fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room", bacau, f.meetingID), h); err == nil || resp == nil || resp.StatusCode != 429 {
		t.Fatalf("a ninth screen of one adult: %v", err)
	}
}

// The room's gaps closed: the agenda changed while the room is loaded reaches every screen;
// opening and ending the meeting through the room are in the audit trail under who did it; a
// motion deferred at one meeting is in the next meeting's room, still deferred, and can be
// taken up there; and a council holds one meeting at a time.
func TestMeetingRoomAgendaAuditCarriedOverAndOneAtATime(t *testing.T) {
	f := newRoom(t, 3)
	first := f.meetingID
	chair, member, proj := f.phone(t, 0), f.phone(t, 1), f.projector(t)
	waitState(t, proj, func(s roomState) bool { return len(s.Agenda) == 0 })
	mustStatus(t, f.coord.do(t, "POST", councilBase+"/meetings/"+first+"/agenda", map[string]any{"title": "Bănci în parc", "kind": "decision"}), 201)
	waitState(t, proj, func(s roomState) bool { return len(s.Agenda) == 1 && s.Agenda[0].Title == "Bănci în parc" })

	ok(t, chair, "open", nil)
	ok(t, chair, "check_in", nil)
	ok(t, member, "check_in", nil)
	ok(t, chair, "start_item", map[string]any{"item": 1, "title": "Bănci în parc", "itemKind": "decision"})
	ok(t, member, "submit_motion", map[string]any{"title": "Bănci noi", "text": "Zece bănci noi în parcul central."})
	s := waitState(t, chair, func(s roomState) bool { return len(s.Motions) == 1 })
	motion := s.Motions[0].Number
	ok(t, chair, "move_motion", map[string]any{"motion": motion, "state": "seconded"})
	ok(t, chair, "move_motion", map[string]any{"motion": motion, "state": "deferred"})

	// A second meeting of the council cannot open while the first is under way.
	f.meetingID = f.schedule(t, f.councilID, bacau)
	second := f.meetingID
	chair2 := f.phone(t, 0)
	if code := do(t, chair2, "open", nil); code != "wrong_state" {
		t.Fatalf("a second meeting opened beside the first: %q", code)
	}
	console := f.ls.mustDial(t, fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room", bacau, first),
		http.Header{"Cookie": {"voci_session=" + f.coord.cookie}})
	ok(t, console, "end", nil)

	for action, actor := range map[string]string{"council_meeting.open": "council_member:" + f.members[0].id, "council_meeting.end": ""} {
		entries, _, err := f.ls.store.FindAudit(t.Context(), voci.AuditFilter{Action: action, Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].ObjectID != first || (actor != "" && entries[0].ActorID != actor) ||
			(actor == "" && !strings.HasPrefix(entries[0].ActorEmail, "coordinator.bacau")) {
			t.Fatalf("%s in the audit trail: %+v %v", action, entries, err)
		}
	}

	// The next meeting's room has the deferred motion, taken up again under its number.
	chair2 = f.phone(t, 0)
	s = waitState(t, chair2, func(s roomState) bool { return len(s.Motions) == 1 })
	if s.Motions[0].Number != motion || s.Motions[0].State != "deferred" {
		t.Fatalf("the second meeting's motions: %+v", s.Motions)
	}
	ok(t, chair2, "open", nil)
	ok(t, chair2, "move_motion", map[string]any{"motion": motion, "state": "debated"})
	waitState(t, chair2, func(s roomState) bool { return len(s.Motions) == 1 && s.Motions[0].State == "debated" })
	if f.meetingID != second {
		t.Fatal("unreachable")
	}
}
