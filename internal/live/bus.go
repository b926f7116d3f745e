package live

import "sync"

// Bus carries events between the instances that serve one platform: a REST request that ends
// a session or approves a text may land on another instance than the one that owns the
// session's room. LocalBus serves a single instance; a NATS implementation can take its place
// when several instances share one platform. Handlers must not block: they hand the event to
// a room's queue and return.
type Bus interface {
	// Publish sends data to every current subscriber of subject.
	Publish(subject string, data []byte) error
	// Subscribe calls fn for each message on subject until unsubscribe is called.
	Subscribe(subject string, fn func(data []byte)) (unsubscribe func(), err error)
}

// LocalBus is the in-process Bus. It is safe for concurrent use.
type LocalBus struct {
	mu   sync.RWMutex
	next int
	subs map[string]map[int]func([]byte)
}

// NewLocalBus returns an empty in-process bus.
func NewLocalBus() *LocalBus { return &LocalBus{subs: map[string]map[int]func([]byte){}} }

// Publish calls every subscriber of subject in turn.
func (b *LocalBus) Publish(subject string, data []byte) error {
	b.mu.RLock()
	fns := make([]func([]byte), 0, len(b.subs[subject]))
	for _, fn := range b.subs[subject] {
		fns = append(fns, fn)
	}
	b.mu.RUnlock()
	for _, fn := range fns {
		fn(data)
	}
	return nil
}

// Subscribe registers fn for subject.
func (b *LocalBus) Subscribe(subject string, fn func([]byte)) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	id := b.next
	if b.subs[subject] == nil {
		b.subs[subject] = map[int]func([]byte){}
	}
	b.subs[subject][id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs[subject], id)
		if len(b.subs[subject]) == 0 {
			delete(b.subs, subject)
		}
	}, nil
}

// sessionSubject is the bus subject of one live session's events.
func sessionSubject(sessionID string) string { return "voci.live." + sessionID }
