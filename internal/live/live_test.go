package live

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

func TestBucket(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b := newBucket(5, 10, now)
	for i := range 10 {
		if !b.allow(now) {
			t.Fatalf("burst message %d refused", i)
		}
	}
	if b.allow(now) {
		t.Fatal("the eleventh message of a burst was allowed")
	}
	if !b.allow(now.Add(200 * time.Millisecond)) {
		t.Fatal("a token did not come back after 200 ms at 5 a second")
	}
	if b.allow(now.Add(200 * time.Millisecond)) {
		t.Fatal("two tokens came back after 200 ms")
	}
	if !b.allow(now.Add(time.Hour)) || b.tokens > 10 {
		t.Fatalf("the bucket overfilled: %v", b.tokens)
	}
}

func TestLocalBus(t *testing.T) {
	bus := NewLocalBus()
	var mu sync.Mutex
	var got []string
	unsubscribe, err := bus.Subscribe(sessionSubject("s1"), func(b []byte) {
		mu.Lock()
		got = append(got, string(b))
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	bus.Publish(sessionSubject("s1"), []byte("a"))
	bus.Publish(sessionSubject("s2"), []byte("other session"))
	unsubscribe()
	bus.Publish(sessionSubject("s1"), []byte("after"))
	if len(got) != 1 || got[0] != "a" {
		t.Fatalf("got %v", got)
	}
	if len(bus.subs) != 0 {
		t.Fatalf("subscriptions left behind: %v", bus.subs)
	}
}

func TestEncodeIsOneEnvelope(t *testing.T) {
	b := encode(TypeTally, "", tallyData{QuestionID: "q", Options: []tallyOption{{ID: "a", Count: 2}}})
	want := `{"type":"tally","data":{"questionId":"q","respondents":0,"connected":0,"options":[{"id":"a","count":2}],"at":"0001-01-01T00:00:00Z"}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

// TestHelpAckNamesTheLeadOrTheAdults: the child is told who will come and which lines they can
// call, in their language, with the contact laid out for clients that show it themselves.
func TestHelpAckNamesTheLeadOrTheAdults(t *testing.T) {
	withLead := &voci.HelpAnswer{Lead: voci.Contact{Name: "Elena Ionescu", Phone: "0234 581 849"}, Helplines: voci.Helplines}
	d := toHelpAck(withLead, voci.LangRO)
	if d.Contact == nil || d.Contact.Name != "Elena Ionescu" || d.Contact.Phone != "0234 581 849" {
		t.Fatalf("contact %+v", d.Contact)
	}
	for _, want := range []string{"Elena Ionescu, care are grijă", "Telefon: 0234 581 849.", "119, dacă cineva", "116 111, Telefonul Copilului", "sună la 112."} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("ro message lacks %q:\n%s", want, d.Message)
		}
	}
	if len(d.Helplines) != 3 || d.Helplines[0] != (helplineJSON{Number: "119", Kind: "abuse_report"}) ||
		d.Helplines[1] != (helplineJSON{Number: "116 111", Kind: "child_helpline"}) || d.Helplines[2].Kind != "emergency" {
		t.Fatalf("helplines %+v", d.Helplines)
	}

	d = toHelpAck(&voci.HelpAnswer{Helplines: voci.Helplines}, voci.LangHU)
	if d.Contact != nil {
		t.Fatalf("contact %+v without a lead", d.Contact)
	}
	for _, want := range []string{"Az üzeneted eljut", "a 119-et", "a 116 111-et", "hívd a 112-t."} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("hu message lacks %q:\n%s", want, d.Message)
		}
	}
	b := encode(TypeHelpAck, "h1", d)
	if !strings.Contains(string(b), `"contact":null`) {
		t.Errorf("a missing contact is not null: %s", b)
	}
}
