package live

import (
	"encoding/json"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// meetingState is what every screen of a meeting shows. It is the same for every role but
// the chair's, which adds the coach's prompt: one encoding per change for all the phones, the
// projector and the gallery. While a vote is open it says how many have voted, never how.
type meetingState struct {
	Seq        int64       `json:"seq"`
	Phase      string      `json:"phase"`
	Quorum     quorumOut   `json:"quorum"`
	Item       *itemOut    `json:"item"`
	Agenda     []itemOut   `json:"agenda"`
	Members    []memberOut `json:"members"`
	Hands      []handOut   `json:"hands"`
	Floor      *floorOut   `json:"floor"`
	ListClosed bool        `json:"listClosed"`
	Vote       *voteOut    `json:"vote"`
	LastResult *resultOut  `json:"lastResult"`
	Motions    []motionOut `json:"motions"`
	Coach      *coachOut   `json:"coach,omitempty"`
	You        *youOut     `json:"you,omitempty"`
	Now        time.Time   `json:"now"`
}

type quorumOut struct {
	InOffice int  `json:"inOffice"`
	Present  int  `json:"present"`
	Needed   int  `json:"needed"`
	Met      bool `json:"met"`
}

type itemOut struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	// ApprovesMinutes marks the item that approves an earlier meeting's minutes: the chair's
	// screen offers its vote at once.
	ApprovesMinutes bool `json:"approvesMinutes,omitempty"`
	// MinutesStartsAt is when the meeting whose minutes it approves started, for the title
	// in the screen's language.
	MinutesStartsAt *time.Time `json:"minutesStartsAt,omitempty"`
}

type memberOut struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Present bool   `json:"present"`
	Remote  bool   `json:"remote"`
}

type handOut struct {
	Member string `json:"member"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
}

type floorOut struct {
	Member           string    `json:"member"`
	Name             string    `json:"name"`
	Kind             string    `json:"kind"`
	Since            time.Time `json:"since"`
	RemainingSeconds int       `json:"remainingSeconds"`
}

type voteOut struct {
	Motion   string `json:"motion,omitempty"`
	Title    string `json:"title"`
	Majority string `json:"majority"`
	Decision bool   `json:"decision"`
	Secret   bool   `json:"secret"`
	Method   string `json:"method"`
	Voted    int    `json:"voted"`
	Present  int    `json:"present"`
}

type resultOut struct {
	Motion    string `json:"motion,omitempty"`
	Outcome   string `json:"outcome"`
	Rule      string `json:"rule"`
	Yes       int    `json:"yes"`
	No        int    `json:"no"`
	Abstain   int    `json:"abstain"`
	NotVoting int    `json:"notVoting"`
	Absent    int    `json:"absent"`
	YesNeeded int    `json:"yesNeeded"`
	QuorumMet bool   `json:"quorumMet"`
	Secret    bool   `json:"secret"`
	ByHand    bool   `json:"byHand"`
}

type motionOut struct {
	Number   string `json:"number"`
	Amends   string `json:"amends,omitempty"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Proposer string `json:"proposer"`
	// ProposerID lets the proposer's phone offer to withdraw the motion.
	ProposerID string `json:"proposerId"`
	Majority   string `json:"majority"`
	State      string `json:"state"`
}

type coachOut struct {
	Step   string `json:"step"`
	Member string `json:"member,omitempty"`
	Name   string `json:"name,omitempty"`
	Motion string `json:"motion,omitempty"`
	// Balanced is the balanced suggestion of who speaks next, for the chair to confirm.
	Balanced []balancedOut `json:"balanced,omitempty"`
}

type balancedOut struct {
	By     string `json:"by"`
	Member string `json:"member"`
	Name   string `json:"name"`
}

// youOut is a member's own part of the state, sent to their connections only: whether they
// are checked in, their hand, and their own ballot in the open vote.
type youOut struct {
	Member    string `json:"member"`
	Present   bool   `json:"present"`
	Hand      string `json:"hand,omitempty"`
	Voted     bool   `json:"voted"`
	Choice    string `json:"choice,omitempty"`
	Chair     bool   `json:"chair"`
	Secretary bool   `json:"secretary"`
}

// snapshot builds the state under the room's lock.
func (r *meetingRoom) snapshot() (meetingState, voci.MeetingStatus) {
	now := r.hub.clock().UTC()
	st := r.m.Status()
	roll := r.m.Roll()
	out := meetingState{Seq: r.stateSeq.Add(1), Phase: string(st.Phase), Now: now, ListClosed: st.ListClosed,
		Quorum:  quorumOut{InOffice: st.Quorum.InOffice, Present: st.Quorum.Present, Needed: st.Quorum.Needed, Met: st.Quorum.Met},
		Members: []memberOut{}, Hands: []handOut{}, Motions: []motionOut{}, Agenda: []itemOut{}}
	for i, a := range r.agenda {
		out.Agenda = append(out.Agenda, itemOut{Number: i + 1, Title: a.Title, Kind: a.Kind, ApprovesMinutes: a.ApprovesMinutesOf != "", MinutesStartsAt: minutesStart(a)})
	}
	if st.Item > 0 {
		info := r.items[st.Item]
		out.Item = &itemOut{Number: st.Item, Title: info.title, Kind: info.kind}
		// An item started from the agenda is the agenda's entry of the same number and title.
		if a := st.Item - 1; a < len(r.agenda) && r.agenda[a].Title == info.title {
			out.Item.ApprovesMinutes = r.agenda[a].ApprovesMinutesOf != ""
			out.Item.MinutesStartsAt = minutesStart(r.agenda[a])
		}
	}
	present := map[string]bool{}
	for _, m := range roll.Present {
		present[m] = true
	}
	remote := map[string]bool{}
	for _, m := range roll.Remote {
		remote[m] = true
	}
	for _, m := range roll.InOffice {
		out.Members = append(out.Members, memberOut{ID: m, Name: r.name(m), Present: present[m], Remote: remote[m]})
	}
	for _, h := range st.Hands {
		out.Hands = append(out.Hands, handOut{Member: h.Member, Name: r.name(h.Member), Kind: string(h.Kind)})
	}
	if f := st.Floor; f != nil {
		out.Floor = &floorOut{Member: f.Member, Name: r.name(f.Member), Kind: string(f.Kind), Since: f.Since,
			RemainingSeconds: int(f.Remaining(SpeakingTime, now) / time.Second)}
	}
	if st.VoteOpen {
		v := &voteOut{Motion: st.VoteOn, Majority: string(st.VoteSpec.Majority), Decision: st.VoteSpec.Decision,
			Secret: st.VoteSpec.Secret, Method: string(st.VoteSpec.Method), Voted: st.Voted, Present: st.Quorum.Present}
		v.Title = r.voteTitle(st.VoteOn)
		out.Vote = v
	}
	if res := st.LastResult; res != nil {
		out.LastResult = &resultOut{Motion: st.LastVoteOn, Outcome: string(res.Outcome), Rule: string(res.Rule), Yes: res.Yes, No: res.No,
			Abstain: res.Abstain, NotVoting: res.NotVoting, Absent: res.Absent, YesNeeded: res.YesNeeded, QuorumMet: res.QuorumMet,
			Secret: res.SecretVote, ByHand: res.ByHand}
	}
	for _, mo := range r.m.Motions() {
		out.Motions = append(out.Motions, motionOut{Number: mo.Number, Amends: mo.Amends, Title: mo.Title, Text: mo.Text,
			Proposer: r.name(mo.Proposer), ProposerID: mo.Proposer, Majority: string(mo.Majority), State: string(mo.State)})
	}
	return out, st
}

// voteTitle is what the open vote is about: its motion's title, or the item vote's subject.
func (r *meetingRoom) voteTitle(motion string) string {
	if motion != "" {
		for _, mo := range r.m.Motions() {
			if mo.Number == motion {
				return mo.Title
			}
		}
	}
	events := r.m.Events()
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind == voci.EventVoteOpened {
			return events[i].Title
		}
	}
	return ""
}

func (r *meetingRoom) name(member string) string {
	if n, ok := r.names[member]; ok && n != "" {
		return n
	}
	return ""
}

func (r *meetingRoom) you(mc *meetingConn, st meetingState, s voci.MeetingStatus) *youOut {
	if mc.id.Member == "" {
		return nil
	}
	y := &youOut{Member: mc.id.Member, Chair: mc.id.Chair, Secretary: mc.id.Secretary}
	for _, m := range st.Members {
		if m.ID == mc.id.Member {
			y.Present = m.Present
		}
	}
	for _, h := range s.Hands {
		if h.Member == mc.id.Member {
			y.Hand = string(h.Kind)
		}
	}
	if s.VoteOpen {
		if c, ok := r.ballots[mc.id.Member]; ok {
			y.Voted, y.Choice = true, string(c)
		}
	}
	return y
}

// broadcast asks the room's sender to send the state to every connection.
func (r *meetingRoom) broadcast() {
	select {
	case r.changed <- struct{}{}:
	default: // a state is about to be sent, and it will hold this change
	}
}

// stateGap is the least time between two states sent by a room: a change after a quiet
// moment goes out at once, and the changes of a burst (forty ballots in a second) wait at
// most this long and go out together.
const stateGap = 40 * time.Millisecond

// send runs the room's sender until done.
func (r *meetingRoom) send(done <-chan struct{}) {
	gap := time.NewTimer(0)
	for {
		select {
		case <-done:
			return
		case <-r.changed:
		}
		r.sendAll()
		gap.Reset(stateGap)
		select {
		case <-done:
			return
		case <-gap.C:
		}
	}
}

// sendAll sends the state to every connection. The state is read under the lock and encoded
// once after it; a chair's coach and each member's own part are small objects spliced into
// that encoding, so that forty phones cost forty small encodings, not forty whole states.
func (r *meetingRoom) sendAll() {
	start := time.Now()
	type conn struct {
		c     *client
		chair bool
		you   *youOut
	}
	r.mu.Lock()
	st, s := r.snapshot()
	conns := make([]conn, 0, len(r.conns))
	for c, mc := range r.conns {
		cn := conn{c: c, chair: mc.id.Chair}
		if mc.id.Member != "" {
			cn.you = r.you(mc, st, s)
		}
		conns = append(conns, cn)
	}
	coach := r.coach(s)
	r.mu.Unlock()

	body := stateBody(st)
	shared := stateMessage(body, nil, nil)
	coachJSON := mustJSON(coach)
	var chairMsg []byte
	for _, cn := range conns {
		switch {
		case cn.you != nil:
			var withCoach []byte
			if cn.chair {
				withCoach = coachJSON
			}
			cn.c.enqueue(stateMessage(body, withCoach, mustJSON(cn.you)))
		case cn.chair:
			if chairMsg == nil {
				chairMsg = stateMessage(body, coachJSON, nil)
			}
			cn.c.enqueue(chairMsg)
		default:
			cn.c.enqueue(shared)
		}
	}
	if f := r.hub.Fanout; f != nil {
		f(time.Since(start))
	}
}

// sendState sends the state to one connection, when it arrives.
func (r *meetingRoom) sendState(mc *meetingConn) {
	r.mu.Lock()
	st, s := r.snapshot()
	var you, coach []byte
	if y := r.you(mc, st, s); y != nil {
		you = mustJSON(y)
	}
	if mc.id.Chair {
		coach = mustJSON(r.coach(s))
	}
	r.mu.Unlock()
	mc.client.enqueue(stateMessage(stateBody(st), coach, you))
}

// stateBody is the encoding of the state every screen shares (without coach and you).
func stateBody(st meetingState) []byte {
	st.Coach, st.You = nil, nil
	return mustJSON(st)
}

// stateMessage is the meeting.state message of body, the encoded shared state, with the
// chair's coach and a member's own part added when given (both already encoded).
func stateMessage(body, coach, you []byte) []byte {
	const head = `{"type":"` + TypeMeetingState + `","data":`
	msg := make([]byte, 0, len(head)+len(body)+len(coach)+len(you)+24)
	msg = append(msg, head...)
	msg = append(msg, body[:len(body)-1]...) // without the closing brace
	if coach != nil {
		msg = append(msg, `,"coach":`...)
		msg = append(msg, coach...)
	}
	if you != nil {
		msg = append(msg, `,"you":`...)
		msg = append(msg, you...)
	}
	return append(msg, "}}"...)
}

// mustJSON encodes a value made of plain fields, which does not fail; were it to, the
// screens get an empty object rather than a broken message.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("{}")
	}
	return b
}

func (r *meetingRoom) coach(s voci.MeetingStatus) *coachOut {
	c := &coachOut{Step: string(s.Next.Step), Member: s.Next.Member, Name: r.name(s.Next.Member), Motion: s.Next.Motion}
	for _, by := range []voci.BalanceBy{voci.BalanceFewestContributions, voci.BalanceLeastTime} {
		if m, ok := s.Balanced[by]; ok {
			c.Balanced = append(c.Balanced, balancedOut{By: string(by), Member: m, Name: r.name(m)})
		}
	}
	return c
}

// minutesStart is when the meeting whose minutes an agenda entry approves started, if known.
func minutesStart(a AgendaEntry) *time.Time {
	if a.ApprovesMinutesOf == "" || a.MinutesStartsAt.IsZero() {
		return nil
	}
	at := a.MinutesStartsAt.UTC()
	return &at
}
