package httpapi

import (
	"sync"
	"time"

	"github.com/gofiber/websocket/v2"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// A meeting room's connections are cheap one by one, but a script holding a gallery link, a
// member's card or an adult's session could open thousands, each receiving every state. So
// each holder has a number of seats: the gallery of one meeting (a whole school following its
// council), one member's devices, one adult's screens. A connection past them is refused with
// 429 before the handshake; the seat itself is taken once the socket is open and given back
// when it ends, so a handshake that never completes holds none (one that slipped past the
// check while the last seat was taken is closed at once with 1013).
const (
	gallerySeatsPerMeeting = 1000
	seatsPerMember         = 4
	seatsPerAdult          = 8
)

// meetingSeatKey holds a connection's seat (a meetingSeat) between the handler and the socket.
const meetingSeatKey = "meeting.seat"

type meetingSeat struct {
	holder string // "gallery <meeting>", "member <id>" or "adult <account>"
	max    int
	full   string // the refusal a person reads when every seat is taken
}

func gallerySeat(meetingID string) meetingSeat {
	return meetingSeat{holder: "gallery " + meetingID, max: gallerySeatsPerMeeting,
		full: "The gallery of this meeting is full. Try again when someone leaves."}
}

func memberSeat(memberID string) meetingSeat {
	return meetingSeat{holder: "member " + memberID, max: seatsPerMember,
		full: "Too many screens are open with this card; close one, then try again."}
}

func adultSeat(accountID string) meetingSeat {
	return meetingSeat{holder: "adult " + accountID, max: seatsPerAdult,
		full: "Too many screens of this meeting are open with your account; close one, then try again."}
}

// connSeats counts the open connections of each holder.
type connSeats struct {
	mu   sync.Mutex
	open map[string]int
}

func (cs *connSeats) full(seat meetingSeat) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.open[seat.holder] >= seat.max
}

func (cs *connSeats) take(seat meetingSeat) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.open == nil {
		cs.open = map[string]int{}
	}
	if cs.open[seat.holder] >= seat.max {
		return false
	}
	cs.open[seat.holder]++
	return true
}

func (cs *connSeats) give(seat meetingSeat) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.open[seat.holder]--; cs.open[seat.holder] <= 0 {
		delete(cs.open, seat.holder)
	}
}

// seatFor refuses a connection whose holder has every seat taken, and otherwise passes the
// seat on to the socket (see meetingSocket).
func (s *Server) seatFor(c interface{ Locals(any, ...any) any }, seat meetingSeat) error {
	if s.meetingSeats.full(seat) {
		return voci.Errorf(voci.ERATELIMITED, "%s", seat.full)
	}
	c.Locals(meetingSeatKey, seat)
	return nil
}

// takeSeat takes the socket's seat, or closes it with 1013 when the last one went meanwhile.
func (s *Server) takeSeat(conn *websocket.Conn) (meetingSeat, bool) {
	seat, _ := conn.Locals(meetingSeatKey).(meetingSeat)
	if seat.holder == "" || s.meetingSeats.take(seat) {
		return seat, true
	}
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(live.CloseTryAgainLater, "full"), time.Now().Add(time.Second))
	return seat, false
}
