package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/live"
)

// TestMeetingRoomBench is `make bench-meeting`: a meeting of 40 members with 300 gallery
// viewers, over real websockets on a real SQLite file. It prints the p50 and p99 of a vote's
// acknowledgement (sent after the ballot's durable commit) and of the state's fan-out (from
// a command to its state reaching every one of the 340 screens). It runs only when asked.
func TestMeetingRoomBench(t *testing.T) {
	if os.Getenv("VOCI_BENCH_MEETING") == "" {
		t.Skip("set VOCI_BENCH_MEETING=1 (make bench-meeting)")
	}
	const members, viewers, votes, hands = 40, 300, 5, 40
	var probeMu sync.Mutex
	var stored, sending []time.Duration
	probe := func(into *[]time.Duration) func(time.Duration) {
		return func(d time.Duration) { probeMu.Lock(); *into = append(*into, d); probeMu.Unlock() }
	}
	f := newRoom(t, members, func(d *httpapi.Deps) {
		cfg := live.DefaultConfig
		cfg.SendQueue = 256
		d.MeetingRooms = &cfg
		d.MeetingProbes = &httpapi.MeetingProbes{Fanout: probe(&sending), Stored: probe(&stored)}
	})
	a := f.coord.do(t, "POST", fmt.Sprintf("%s/meetings/%s/room/gallery-link", councilBase, f.meetingID), nil)
	mustStatus(t, a, 201)
	link := decodeInto[struct {
		Token string `json:"token"`
	}](t, a)
	phones := make([]*wsConn, members)
	for i := range phones {
		phones[i] = f.phone(t, i)
	}
	// The coordinator's console runs the votes (its rate is an adult's); the members vote.
	h := http.Header{}
	h.Set("Cookie", "voci_session="+f.coord.cookie)
	console := f.ls.mustDial(t, fmt.Sprintf("/api/v1/municipalities/%d/youth-council/meetings/%s/room", bacau, f.meetingID), h)
	ok(t, console, "open", nil)
	for _, p := range phones {
		ok(t, p, "check_in", nil)
	}

	// The screens: every gallery viewer and every phone notes when it first sees each number
	// of raised hands.
	type seen struct {
		mu    sync.Mutex
		first map[int]time.Time
	}
	screens := make([]*seen, 0, viewers+members)
	var readers sync.WaitGroup
	watch := func(w *wsConn, keep func(e envelope)) *seen {
		s := &seen{first: map[int]time.Time{}}
		readers.Add(1)
		go func() {
			defer readers.Done()
			// The 340 readers share the machine with the server: they look at the raw
			// message and decode only the small ones (acks, errors), not every state.
			stateHead := []byte(`{"type":"meeting.state"`)
			for {
				w.c.SetReadDeadline(time.Now().Add(time.Minute))
				_, b, err := w.c.ReadMessage()
				if err != nil {
					return
				}
				now := time.Now()
				if bytes.HasPrefix(b, stateHead) {
					// Only hands have a kind in the bench's states (nobody has the floor).
					// States of a burst are sent as one: a state with n hands is the first
					// sight of every count up to n not seen before.
					n := bytes.Count(b, []byte(`"kind":"contribution"`))
					s.mu.Lock()
					for k := n; k >= 0; k-- {
						if _, ok := s.first[k]; ok {
							break
						}
						s.first[k] = now
					}
					s.mu.Unlock()
					continue
				}
				if keep != nil {
					var e envelope
					if err := json.Unmarshal(b, &e); err != nil {
						return
					}
					keep(e)
				}
			}
		}()
		return s
	}
	for range viewers {
		h := http.Header{}
		h.Set("Sec-WebSocket-Protocol", "voci-meeting.1, voci-gallery."+link.Token)
		g, _, err := f.ls.dial(t, "/api/v1/meeting-gallery/"+f.meetingID, h)
		if err != nil {
			t.Fatal(err)
		}
		screens = append(screens, watch(g, nil))
	}
	// Each phone's acknowledgements reach its sender through a channel.
	acks := make([]chan envelope, members+1)
	for i, p := range append(slices.Clone(phones), console) {
		acks[i] = make(chan envelope, 16)
		ch := acks[i]
		screens = append(screens, watch(p, func(e envelope) {
			if e.Type == "ack" || e.Type == "error" {
				ch <- e
			}
		}))
	}
	phones = append(phones, console)            // send(members, …) is the console's
	lastSent := make([]atomic.Int64, members+1) // when each phone last sent its command
	send := func(i int, typ string, data any) time.Duration {
		start := time.Now()
		lastSent[i].Store(start.UnixNano())
		id := fmt.Sprintf("b-%d-%d", i, commandKeys.Add(1))
		phones[i].sendAs(typ, id, data)
		for e := range acks[i] {
			if e.ID != id {
				continue
			}
			if e.Type == "ack" {
				return time.Since(start)
			}
			// The chair's phone sends more than a member's rate allows: as a phone
			// does, it sends the command again a moment later, under the same key.
			// A member's phone sends more than its rate allows here too; the time is
			// taken from the sending that was accepted, not the refused one.
			if bytes.Contains(e.Data, []byte(`"rate_limited"`)) {
				time.Sleep(250 * time.Millisecond)
				start = time.Now()
				lastSent[i].Store(start.UnixNano())
				phones[i].sendAs(typ, id, data)
				continue
			}
			t.Fatalf("%s: %s", typ, e.Data)
		}
		return 0
	}

	// Votes: all 40 members vote at once, three times each (changing their minds), in 5 votes.
	var voteMu sync.Mutex
	var voteAcks []time.Duration
	for v := range votes {
		send(members, "open_item_vote", map[string]any{"title": fmt.Sprintf("Vot %d", v+1), "majority": "simple", "decision": true, "secret": true})
		var wg sync.WaitGroup
		for i := range members {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, c := range []string{"yes", "no", "abstain"} {
					d := send(i, "cast", map[string]any{"choice": c})
					voteMu.Lock()
					voteAcks = append(voteAcks, d)
					voteMu.Unlock()
				}
			}()
		}
		wg.Wait()
		send(members, "close_vote", nil)
	}

	// Fan-out: members raise their hands one after another; each state must reach all 340
	// screens.
	sent := make([]time.Time, hands+1)
	for k := 1; k <= hands; k++ {
		send(k-1, "raise_hand", map[string]any{"hand": "contribution"})
		sent[k] = time.Unix(0, lastSent[k-1].Load())
	}
	deadline := time.Now().Add(30 * time.Second)
	var fanout []time.Duration
	for _, s := range screens {
		for {
			s.mu.Lock()
			_, done := s.first[hands]
			s.mu.Unlock()
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("a screen never saw the last hand")
			}
			time.Sleep(10 * time.Millisecond)
		}
		s.mu.Lock()
		for k := 1; k <= hands; k++ {
			if at, ok := s.first[k]; ok {
				fanout = append(fanout, at.Sub(sent[k]))
			}
		}
		s.mu.Unlock()
	}
	p := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, int(float64(len(ds))*q))].Microseconds()) / 1000
	}
	probeMu.Lock()
	defer probeMu.Unlock()
	fmt.Printf("meeting room with %d members and %d gallery viewers: vote ack after durable commit p50 %.1f ms, p99 %.1f ms (%d votes; in the server, message to commit p50 %.1f ms, p99 %.1f ms); state fan-out to %d screens p50 %.1f ms, p99 %.1f ms (%d deliveries; in the server, one sending to all p50 %.1f ms, p99 %.1f ms; %s)\n",
		members, viewers, p(voteAcks, 0.5), p(voteAcks, 0.99), len(voteAcks), p(stored, 0.5), p(stored, 0.99),
		len(screens), p(fanout, 0.5), p(fanout, 0.99), len(fanout), p(sending, 0.5), p(sending, 0.99), benchConditions())
	f.ls.stop()
	readers.Wait()
}
