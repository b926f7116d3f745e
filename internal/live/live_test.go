package live

import (
	"sync"
	"testing"
	"time"
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
