package live

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/voci-platform/voci/internal/voci"
)

// The live room of a youth council's meeting (protocol voci-meeting/1, MEETING.md). Every
// connection to a meeting is served by its own reader, which applies the person's command to
// the meeting under the room's lock, stores it, and only then acknowledges it and sends the
// new state to every screen. Storing under the lock keeps the stored log in the order the
// commands were applied, so that a replay after a restart gives the same meeting.

// MeetingProtocolVersion names the message set of the meeting room.
const MeetingProtocolVersion = "voci-meeting/1"

// SpeakingTime is the countdown each speaker gets.
const SpeakingTime = 3 * time.Minute

// Meeting room roles.
const (
	RoleMember    Role = "member"    // a council member on their phone (who may also chair or keep the record)
	RoleOrganizer Role = "organizer" // the coordinator: chairs and keeps the record when needed
	RoleProjector Role = "projector" // the room's screen: reads only
	RoleGallery   Role = "gallery"   // classmates following the meeting: read only
)

// CloseMeetingLeft closes a member's connection whose card, consent or seat no longer lets
// them take part.
const CloseMeetingLeft = 4003

// MeetingIdentity is who is behind a connection to a meeting room, established at the
// upgrade.
type MeetingIdentity struct {
	Role   Role
	Member string // RoleMember: the member's ID
	// Chair and Secretary: the connection may act as the meeting's chair, as its secretary.
	// For a member they are settled when the room loads (Meeting.Chair, Meeting.Secretary);
	// the organizer has both.
	Chair, Secretary bool
	// Reauthorize is called before each command and whenever MeetingHub.Recheck names the
	// member or the account: an error closes the connection (4003 for members, 1008 for adults).
	Reauthorize func(ctx context.Context) error
	// Account is the adult's account ID (organizer, projector), for Recheck.
	Account string
	// Audit makes the audit entries of the changes this connection makes outside the room
	// (opening and ending the meeting on its record), in the acting adult's or member's name.
	Audit AuditEntries
}

type phaseAuditKey struct{}

// PhaseAudit is the audit entry of the opening or ending that MeetingLoader.MeetingPhaseChanged
// is asked to record, to be written with the meeting's record; nil when none is to be written.
func PhaseAudit(ctx context.Context) *voci.AuditEntry {
	e, _ := ctx.Value(phaseAuditKey{}).(*voci.AuditEntry)
	return e
}

func (id MeetingIdentity) scope() string {
	if id.Member != "" {
		return id.Member
	}
	return string(id.Role)
}

// MeetingSetup is what a room that has no log yet starts with: the council's rules and roll,
// and the members' names for the screens.
type MeetingSetup struct {
	Config voci.MeetingConfig
	Names  map[string]string
	// Agenda is the meeting's agenda as it stands: the items the chair can start, in order.
	Agenda []AgendaEntry
}

// AgendaEntry is one item of the agenda, as the room shows it.
type AgendaEntry struct {
	Title string
	Kind  string
	// ApprovesMinutesOf is the meeting whose minutes the item approves, if it does, and
	// MinutesStartsAt when that meeting started: each screen titles the item in its own
	// language with that date (the stored title is Romanian, for the minutes).
	ApprovesMinutesOf string
	MinutesStartsAt   time.Time
}

// MeetingLoader gives the hub what it needs to know about a meeting from outside the room:
// the setup of a room that starts, the members' names (they change when a member's name is
// removed), and the meeting record to move when the meeting opens and ends.
type MeetingLoader interface {
	MeetingSetup(ctx context.Context, meetingID string) (MeetingSetup, error)
	MeetingPhaseChanged(ctx context.Context, meetingID string, phase voci.MeetingPhase, at time.Time) error
	// VoteClosed is told, after its close is stored, that a vote closed while agenda item item
	// (from 1; 0 before the first) was under way, so that minutes it approves are approved.
	VoteClosed(ctx context.Context, meetingID string, item int, vote voci.ClosedVote) error
}

// MeetingHub keeps the meeting rooms of this instance.
type MeetingHub struct {
	store  voci.MeetingRoomStore
	loader MeetingLoader
	clock  voci.Clock
	logger *slog.Logger
	cfg    Config
	stats  counters

	mu    sync.Mutex
	rooms map[string]*meetingRoom
	done  chan struct{} // closed by Shutdown
	// Fanout, when set, is told how long each sending of the state took, from reading the
	// room to the last enqueue; Stored, how long each ballot took from its message to its
	// durable commit (benchmarks).
	Fanout func(d time.Duration)
	Stored func(d time.Duration)
}

// NewMeetingHub returns a hub of meeting rooms on store.
func NewMeetingHub(store voci.MeetingRoomStore, loader MeetingLoader, clock voci.Clock, logger *slog.Logger, cfg Config) *MeetingHub {
	if clock == nil {
		clock = time.Now
	}
	return &MeetingHub{store: store, loader: loader, clock: clock, logger: logger, cfg: cfg, rooms: map[string]*meetingRoom{}, done: make(chan struct{})}
}

// SetProbes sets the benchmark's probes (see Fanout and Stored) before any room runs.
func (h *MeetingHub) SetProbes(fanout, stored func(time.Duration)) {
	h.Fanout, h.Stored = fanout, stored
}

// Connections is the number of open meeting room connections.
func (h *MeetingHub) Connections() int64 { return h.stats.connections.Load() }

type meetingRoom struct {
	hub *MeetingHub
	id  string

	mu       sync.Mutex // one command at a time, from its application to its commit
	m        *voci.Meeting
	seq      int64
	seen     map[string]bool // command keys applied (log and ballots)
	gallery  string          // the gallery link's token hash
	names    map[string]string
	agenda   []AgendaEntry
	ballots  map[string]voci.BallotChoice // the open vote's ballots, in memory only, for each member's own screen
	items    map[int]itemInfo
	conns    map[*client]*meetingConn
	stateSeq atomic.Int64
	// batch holds the ballots applied and waiting to be written; flushing is set while a
	// writer of them runs. writeMu is held by whoever writes to the store for the room.
	batch    []pendingBallot
	flushing bool
	writeMu  sync.Mutex
	// changed wakes the room's sender: states are sent by one goroutine, so that a burst of
	// votes sends one state, not one per vote, and no command waits for the encoding.
	changed chan struct{}
}

type itemInfo struct{ title, kind string }

type meetingConn struct {
	client *client
	id     MeetingIdentity
	// granted is when the connection's rights were last found good (Unix nanoseconds; 0 for
	// never). A command within grantAge of it is not checked against the store again:
	// MeetingHub.Recheck checks at once whenever a card, a consent or a seat changes on this
	// instance, and the age bounds how long news lost elsewhere can go unnoticed.
	granted atomic.Int64
}

// room returns the meeting's room, loading it from the store (or setting it up) the first
// time.
func (h *MeetingHub) room(ctx context.Context, meetingID string) (*meetingRoom, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r, ok := h.rooms[meetingID]; ok {
		return r, nil
	}
	r := &meetingRoom{hub: h, id: meetingID, conns: map[*client]*meetingConn{}, changed: make(chan struct{}, 1)}
	if err := r.load(ctx); err != nil {
		return nil, err
	}
	h.rooms[meetingID] = r
	go r.send(h.done)
	return r, nil
}

// load rebuilds the meeting from its log, writing its setup first when it has none.
func (r *meetingRoom) load(ctx context.Context) error {
	setup, err := r.hub.loader.MeetingSetup(ctx, r.id)
	if err != nil {
		return err
	}
	log, ballots, err := r.hub.store.LoadMeetingLog(ctx, r.id)
	if err != nil {
		return err
	}
	if len(log) == 0 {
		cfg := setup.Config
		first := voci.MeetingCommand{Seq: 1, Kind: voci.CmdSetup, Setup: &cfg, At: r.hub.clock().UTC()}
		if err := r.hub.store.AppendMeetingCommand(ctx, r.id, &first); err != nil && voci.ErrorCode(err) != voci.ECONFLICT {
			return err
		}
		if log, ballots, err = r.hub.store.LoadMeetingLog(ctx, r.id); err != nil {
			return err
		}
	}
	m, err := voci.ReplayMeeting(log, ballots)
	if err != nil {
		return err
	}
	r.m, r.seq, r.names, r.agenda = m, log[len(log)-1].Seq, setup.Names, setup.Agenda
	r.seen, r.ballots, r.items, r.gallery = map[string]bool{}, map[string]voci.BallotChoice{}, map[int]itemInfo{}, ""
	for _, c := range log {
		if c.ID != "" {
			r.seen[c.ID] = true
		}
		switch c.Kind {
		case voci.CmdGalleryLink:
			r.gallery = c.Text
		case voci.CmdStartItem:
			r.items[c.Item] = itemInfo{title: c.Title, kind: c.ItemKind}
		}
	}
	for _, b := range ballots {
		r.seen[b.CommandID] = true
		r.ballots[b.Member] = b.Choice
	}
	return nil
}

// MeetingCommandIn is a command as a client sends it (the data of its message).
type MeetingCommandIn struct {
	Member   string `json:"member,omitempty"`
	Remote   bool   `json:"remote,omitempty"`
	Item     int    `json:"item,omitempty"`
	ItemKind string `json:"itemKind,omitempty"`
	Title    string `json:"title,omitempty"`
	Text     string `json:"text,omitempty"`
	Hand     string `json:"hand,omitempty"`
	Closed   bool   `json:"closed,omitempty"`
	Motion   string `json:"motion,omitempty"`
	Majority string `json:"majority,omitempty"`
	State    string `json:"state,omitempty"`
	Secret   bool   `json:"secret,omitempty"`
	Method   string `json:"method,omitempty"`
	Decision bool   `json:"decision,omitempty"`
	Choice   string `json:"choice,omitempty"`
	Yes      int    `json:"yes,omitempty"`
	No       int    `json:"no,omitempty"`
	Abstain  int    `json:"abstain,omitempty"`
}

var (
	chairCommands = []voci.MeetingCommandKind{voci.CmdOpen, voci.CmdEnd, voci.CmdStartItem, voci.CmdGiveFloor, voci.CmdEndFloor,
		voci.CmdCloseList, voci.CmdOpenMotionVote, voci.CmdOpenItemVote, voci.CmdCloseVote}
	secretaryCommands = []voci.MeetingCommandKind{voci.CmdNote, voci.CmdEnterCounts}
	memberCommands    = []voci.MeetingCommandKind{voci.CmdRaiseHand, voci.CmdCast, voci.CmdSubmitMotion}
	// Either a member's own, or the chair's or secretary's for someone else.
	mixedCommands = []voci.MeetingCommandKind{voci.CmdCheckIn, voci.CmdCheckOut, voci.CmdLowerHand, voci.CmdMoveMotion}
)

// commandFrom turns a client's message into the meeting command it stands for, with who
// gives it as the meeting knows them. It returns EFORBIDDEN for what the connection's role
// may not do, before the meeting is touched.
func (r *meetingRoom) commandFrom(id MeetingIdentity, kind voci.MeetingCommandKind, key string, in MeetingCommandIn) (voci.MeetingCommand, error) {
	c := voci.MeetingCommand{ID: key, Kind: kind, Member: in.Member, Remote: in.Remote, Item: in.Item, ItemKind: in.ItemKind,
		Title: in.Title, Text: in.Text, Hand: voci.HandKind(in.Hand), Closed: in.Closed, Motion: in.Motion,
		Majority: voci.MajorityRule(in.Majority), State: voci.MotionState(in.State), Secret: in.Secret,
		Method: voci.VoteMethod(in.Method), Decision: in.Decision, Choice: voci.BallotChoice(in.Choice),
		Counts: voci.VoteCounts{Yes: in.Yes, No: in.No, Abstain: in.Abstain}}
	if c.Method == "" && (kind == voci.CmdOpenMotionVote || kind == voci.CmdOpenItemVote) {
		c.Method = voci.VoteElectronic
	}
	forbidden := voci.Errorf(voci.EFORBIDDEN, "You cannot do this in the meeting.")
	switch {
	case id.Role != RoleMember && id.Role != RoleOrganizer:
		return c, voci.Errorf(voci.EFORBIDDEN, "This screen only shows the meeting.")
	case slices.Contains(chairCommands, kind):
		if !id.Chair {
			return c, voci.Errorf(voci.EFORBIDDEN, "Only the chair can do this.")
		}
		c.By = r.m.Chair()
	case slices.Contains(secretaryCommands, kind):
		if !id.Secretary && !(kind == voci.CmdEnterCounts && id.Chair) {
			return c, voci.Errorf(voci.EFORBIDDEN, "Only the secretary can do this.")
		}
		c.By = r.m.Secretary()
		if !id.Secretary {
			c.By = r.m.Chair()
		}
	case slices.Contains(memberCommands, kind):
		if id.Member == "" {
			return c, forbidden
		}
		c.By, c.Member = id.Member, id.Member
		if kind == voci.CmdSubmitMotion {
			c.Member = ""
		}
	case slices.Contains(mixedCommands, kind):
		switch {
		case kind == voci.CmdMoveMotion && id.Chair:
			c.By = r.m.Chair()
		case kind == voci.CmdMoveMotion && id.Member != "":
			c.By = id.Member
		case (c.Member == "" || c.Member == id.Member) && id.Member != "":
			c.By, c.Member = id.Member, id.Member
		case kind == voci.CmdLowerHand && id.Chair:
			c.By = r.m.Chair()
		case kind != voci.CmdLowerHand && id.Secretary && c.Member != "":
			c.By = r.m.Secretary()
		default:
			return c, forbidden
		}
	default:
		return c, voci.Errorf(codeInvalidMessage, "Unknown message type %q.", kind)
	}
	return c, nil
}

// do applies c to the meeting and stores it; the caller is told it was done only once it is
// stored. A command whose key was seen before is done already.
//
// Commands are applied and stored one at a time under the room's lock, so that the log is in
// the order they were applied. Ballots are the exception, for speed: a ballot is applied
// under the lock and queued, and the ballots queued while one write runs are written together
// in the next (one commit for a burst of votes). Any other command first writes the ballots
// queued before it, so that a vote's close is stored after every ballot it counted.
func (r *meetingRoom) do(ctx context.Context, c voci.MeetingCommand) (dup bool, err error) {
	r.mu.Lock()
	if c.ID != "" && r.seen[c.ID] {
		r.mu.Unlock()
		return true, nil
	}
	c.At = r.hub.clock().UTC()
	if err := r.m.Apply(&c); err != nil {
		r.mu.Unlock()
		return false, err
	}
	if c.Kind == voci.CmdCast {
		start := time.Now()
		defer func() {
			if f := r.hub.Stored; f != nil && err == nil {
				f(time.Since(start))
			}
		}()
		done := make(chan error, 1)
		r.batch = append(r.batch, pendingBallot{ballot: voci.StoredBallot{Member: c.Member, Choice: c.Choice, CommandID: c.ID}, done: done})
		r.ballots[c.Member] = c.Choice
		idle := !r.flushing
		r.flushing = true
		r.mu.Unlock()
		if idle {
			go r.flushBallots()
		}
		if err := <-done; err != nil {
			return false, err
		}
		if c.ID != "" {
			r.mu.Lock()
			r.seen[c.ID] = true
			r.mu.Unlock()
		}
		return false, nil
	}
	defer r.mu.Unlock()
	// The meeting's record moves first: a meeting cancelled or ended on the record does not
	// open in the room. A record moved whose log write then fails is moved again, harmlessly,
	// when the chair tries again.
	if c.Kind == voci.CmdOpen || c.Kind == voci.CmdEnd {
		phase := voci.MeetingOpen
		if c.Kind == voci.CmdEnd {
			phase = voci.MeetingEnded
		}
		if err := r.hub.loader.MeetingPhaseChanged(ctx, r.id, phase, c.At); err != nil {
			r.reload(ctx)
			return false, err
		}
	}
	r.writeMu.Lock()
	err = r.writeQueued(ctx)
	if err == nil {
		c.Seq = r.seq + 1
		err = r.hub.store.AppendMeetingCommand(ctx, r.id, &c)
	}
	r.writeMu.Unlock()
	if err != nil {
		r.reload(ctx)
		return false, err
	}
	if c.ID != "" {
		r.seen[c.ID] = true
	}
	switch c.Kind {
	case voci.CmdCloseVote:
		clear(r.ballots)
		if c.Vote != nil {
			if err := r.hub.loader.VoteClosed(ctx, r.id, r.m.Status().Item, *c.Vote); err != nil {
				r.hub.logger.Error("meeting room: the outside could not take a closed vote", "meeting", r.id, "error", err)
			}
		}
	case voci.CmdStartItem:
		r.items[c.Item] = itemInfo{title: c.Title, kind: c.ItemKind}
	case voci.CmdGalleryLink:
		r.gallery = c.Text
	}
	r.seq = c.Seq
	return false, nil
}

type pendingBallot struct {
	ballot voci.StoredBallot
	done   chan error
}

// reload takes the meeting back to what is stored after a failed write, so that nothing is
// shown that a restart would lose. The caller holds r.mu.
func (r *meetingRoom) reload(ctx context.Context) {
	for _, p := range r.batch {
		p.done <- voci.Errorf(voci.EUNAVAILABLE, "The vote could not be stored; send it again.")
	}
	r.batch = nil
	if err := r.load(ctx); err != nil {
		r.hub.logger.Error("meeting room: cannot reload after a failed write", "meeting", r.id, "error", err)
	}
}

// writeQueued writes the ballots queued so far; the caller holds r.mu and r.writeMu.
func (r *meetingRoom) writeQueued(ctx context.Context) error {
	batch := r.batch
	r.batch = nil
	if len(batch) == 0 {
		return nil
	}
	ballots := make([]voci.StoredBallot, len(batch))
	for i, p := range batch {
		ballots[i] = p.ballot
	}
	err := r.hub.store.PutMeetingBallots(ctx, r.id, ballots)
	for _, p := range batch {
		p.done <- err
	}
	return err
}

// flushBallots writes queued ballots until none is left.
func (r *meetingRoom) flushBallots() {
	ctx := context.Background()
	for {
		r.mu.Lock()
		if len(r.batch) == 0 {
			r.flushing = false
			r.mu.Unlock()
			return
		}
		r.writeMu.Lock()
		batch := r.batch
		r.batch = nil
		r.mu.Unlock()
		ballots := make([]voci.StoredBallot, len(batch))
		for i, p := range batch {
			ballots[i] = p.ballot
		}
		err := r.hub.store.PutMeetingBallots(ctx, r.id, ballots)
		r.writeMu.Unlock()
		for _, p := range batch {
			p.done <- err
		}
		if err != nil {
			r.mu.Lock()
			r.reload(ctx)
			r.mu.Unlock()
		}
	}
}

// SetGalleryLink stores the hash of the meeting's new gallery token: the earlier link opens
// nothing from then on.
func (h *MeetingHub) SetGalleryLink(ctx context.Context, meetingID, tokenHash string) error {
	r, err := h.room(ctx, meetingID)
	if err != nil {
		return err
	}
	_, err = r.do(ctx, voci.MeetingCommand{Kind: voci.CmdGalleryLink, Text: tokenHash})
	return err
}

// GalleryLinkIs reports whether tokenHash is the meeting's gallery link.
func (h *MeetingHub) GalleryLinkIs(ctx context.Context, meetingID, tokenHash string) (bool, error) {
	r, err := h.room(ctx, meetingID)
	if err != nil {
		return false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gallery != "" && r.gallery == tokenHash, nil
}

// SetAgenda gives the meeting's room, if it runs on this instance, the agenda as it now
// stands (an item added, moved, accepted or removed while the room is open), and sends it to
// every screen. A room that is not running reads the agenda when it loads.
func (h *MeetingHub) SetAgenda(meetingID string, agenda []AgendaEntry) {
	h.mu.Lock()
	r := h.rooms[meetingID]
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.mu.Lock()
	r.agenda = slices.Clone(agenda)
	r.mu.Unlock()
	r.broadcast()
}

// Roles is what a member's connection may do in the meeting: chair it, keep its record.
func (h *MeetingHub) Roles(ctx context.Context, meetingID, member string) (chair, secretary bool, err error) {
	r, err := h.room(ctx, meetingID)
	if err != nil {
		return false, false, err
	}
	return r.m.Chair() == member, r.m.Secretary() == member, nil
}

// LeaveOffice takes a member who left the council off the roll of every room of their
// council open on this instance, and closes their connections.
func (h *MeetingHub) LeaveOffice(ctx context.Context, member string) {
	for _, r := range h.roomList() {
		r.mu.Lock()
		inOffice := slices.Contains(r.m.Roll().InOffice, member)
		r.mu.Unlock()
		if inOffice {
			if _, err := r.do(ctx, voci.MeetingCommand{Kind: voci.CmdLeaveOffice, Member: member}); err != nil {
				h.logger.Error("meeting room: cannot take a member off the roll", "meeting", r.id, "error", err)
			}
			r.broadcast()
		}
	}
	h.Recheck(ctx, member)
}

func (h *MeetingHub) roomList() []*meetingRoom {
	h.mu.Lock()
	defer h.mu.Unlock()
	rooms := make([]*meetingRoom, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	return rooms
}

// Recheck checks again the rights of every connection of who (a member ID or an adult's
// account ID; "" for all), closing those that lost them.
func (h *MeetingHub) Recheck(ctx context.Context, who string) {
	for _, r := range h.roomList() {
		r.mu.Lock()
		var conns []*meetingConn
		for _, mc := range r.conns {
			if who == "" || mc.id.Member == who || mc.id.Account == who {
				conns = append(conns, mc)
			}
		}
		r.mu.Unlock()
		for _, mc := range conns {
			h.check(ctx, mc)
		}
	}
}

// grantAge is how long a connection's rights, once checked, are taken as good for its
// commands: the adults' periodic recheck of live sessions, or every command when unset.
func (h *MeetingHub) grantAge() time.Duration { return h.cfg.AdultRecheck }

// checkStale checks the connection's rights again when they were last found good longer ago
// than grantAge; see check.
func (h *MeetingHub) checkStale(ctx context.Context, mc *meetingConn) bool {
	if at := mc.granted.Load(); at != 0 && time.Since(time.Unix(0, at)) < h.grantAge() {
		return true
	}
	return h.check(ctx, mc)
}

// check asks the store whether the connection may still take part, closing it when it may
// not. A store that does not answer leaves the connection open, its grant stale, so that the
// next command asks again.
func (h *MeetingHub) check(ctx context.Context, mc *meetingConn) bool {
	if mc.id.Reauthorize == nil {
		return true
	}
	mc.granted.Store(0)
	err := mc.id.Reauthorize(ctx)
	if err == nil {
		mc.granted.Store(time.Now().UnixNano())
		return true
	}
	if code := voci.ErrorCode(err); code == voci.EUNAUTHORIZED || code == voci.EFORBIDDEN {
		mc.client.enqueue(errorMessage("", err))
		if mc.id.Role == RoleMember {
			mc.client.close(CloseMeetingLeft, "no longer a member")
		} else {
			mc.client.close(ClosePolicy, "access revoked")
		}
		return false
	}
	return true // the store did not answer: checked again later
}

// Serve runs one connection to a meeting's room until it ends.
func (h *MeetingHub) Serve(ctx context.Context, t Transport, meetingID string, id MeetingIdentity) {
	c := newClient(&h.stats, id.Role, t, h.cfg)
	h.stats.connections.Add(1)
	defer h.stats.connections.Add(-1)
	defer func() { c.close(CloseNormal, ""); <-c.finished }()
	r, err := h.room(ctx, meetingID)
	if err != nil {
		c.enqueue(errorMessage("", err))
		c.close(CloseTryAgainLater, "unavailable")
		return
	}
	if id.Role == RoleMember {
		id.Chair, id.Secretary = r.m.Chair() == id.Member, r.m.Secretary() == id.Member
	}
	mc := &meetingConn{client: c, id: id}
	c.enqueue(encode(TypeWelcome, "", meetingWelcome{Protocol: MeetingProtocolVersion, Role: string(id.Role), Member: id.Member,
		Chair: id.Chair, Secretary: id.Secretary, SpeakingSeconds: int(SpeakingTime / time.Second)}))
	r.mu.Lock()
	r.conns[c] = mc
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.conns, c)
		r.mu.Unlock()
	}()
	if !h.check(ctx, mc) {
		return
	}
	r.sendState(mc)

	t.SetReadLimit(h.cfg.ReadLimit)
	t.SetReadDeadline(time.Now().Add(h.cfg.PongWait))
	t.SetPongHandler(func(string) error { return t.SetReadDeadline(time.Now().Add(h.cfg.PongWait)) })
	rate, burst := h.cfg.Rate, h.cfg.Burst
	if id.Role == RoleOrganizer {
		rate, burst = h.cfg.AdultRate, h.cfg.AdultBurst
	}
	limit := newBucket(rate, burst, time.Now())
	refused := 0
	for {
		typ, data, err := t.ReadMessage()
		if err != nil {
			if isReadLimit(err) {
				c.close(CloseTooBig, "message too big")
			}
			return
		}
		t.SetReadDeadline(time.Now().Add(h.cfg.PongWait))
		if c.closed() {
			return
		}
		if typ != TextMessage || !utf8.Valid(data) {
			c.enqueue(errorMessage("", voci.Errorf(codeInvalidMessage, "Send JSON text messages.")))
			continue
		}
		env, err := decodeEnvelope(data)
		// A refusal names the message it refuses, so that the phone sends that vote again.
		if !limit.allow(time.Now()) {
			if refused++; refused >= h.cfg.FloodLimit {
				c.close(CloseFlood, "too many messages")
				return
			}
			c.enqueue(errorMessage(env.ID, voci.Errorf(voci.ERATELIMITED, "Slow down: wait a moment before sending again.")))
			continue
		}
		if err != nil {
			c.enqueue(errorMessage(env.ID, err))
			continue
		}
		if env.Type == TypePing {
			c.enqueue(encode(TypePong, env.ID, nil))
			continue
		}
		var in MeetingCommandIn
		if err := decode(env.Data, &in); err != nil {
			c.enqueue(errorMessage(env.ID, err))
			continue
		}
		// Every command is authorized again: a card revoked, consent withdrawn or a seat
		// left since the upgrade ends the connection here (Recheck has usually closed it
		// already; the grant is asked of the store again once it is grantAge old).
		if !h.checkStale(ctx, mc) {
			return
		}
		kind := voci.MeetingCommandKind(env.Type)
		if kind == voci.CmdSetup || kind == voci.CmdLeaveOffice || kind == voci.CmdGalleryLink {
			c.enqueue(errorMessage(env.ID, voci.Errorf(codeInvalidMessage, "Unknown message type %q.", env.Type)))
			continue
		}
		// A command's key is the client's message ID, scoped to who sends it: one phone's
		// retry is recognised, and nobody can spend another's key.
		key := ""
		if env.ID != "" {
			key = mc.id.scope() + "/" + env.ID
		}
		cmd, err := r.commandFrom(mc.id, kind, key, in)
		if err != nil {
			c.enqueue(errorMessage(env.ID, err))
			continue
		}
		cctx := ctx
		if (kind == voci.CmdOpen || kind == voci.CmdEnd) && mc.id.Audit != nil {
			action := map[voci.MeetingCommandKind]string{voci.CmdOpen: "council_meeting.open", voci.CmdEnd: "council_meeting.end"}[kind]
			cctx = context.WithValue(ctx, phaseAuditKey{}, mc.id.Audit(action, "council_meeting", meetingID, "from the meeting room"))
		}
		dup, err := r.do(cctx, cmd)
		if err != nil {
			c.enqueue(errorMessage(env.ID, err))
			continue
		}
		c.enqueue(encode(TypeMeetingAck, env.ID, meetingAck{Duplicate: dup}))
		if !dup {
			r.broadcast()
		}
	}
}

// Message types of the meeting room, server to client.
const (
	TypeMeetingState = "meeting.state"
	TypeMeetingAck   = "ack"
)

type meetingWelcome struct {
	Protocol        string `json:"protocol"`
	Role            string `json:"role"`
	Member          string `json:"member,omitempty"`
	Chair           bool   `json:"chair"`
	Secretary       bool   `json:"secretary"`
	SpeakingSeconds int    `json:"speakingSeconds"`
}

type meetingAck struct {
	Duplicate bool `json:"duplicate,omitempty"`
}

// Shutdown closes every meeting room connection with 1001 (going away), so that screens
// reconnect after the restart; the rooms are rebuilt from their logs.
func (h *MeetingHub) Shutdown() {
	h.mu.Lock()
	select {
	case <-h.done:
	default:
		close(h.done)
	}
	h.mu.Unlock()
	for _, r := range h.roomList() {
		r.mu.Lock()
		for c := range r.conns {
			c.close(CloseGoingAway, "restarting")
		}
		r.mu.Unlock()
	}
}
