package live

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Adults' rights can be taken away while their console or presenter screen is open: an
// account disabled, a role removed, a password reset or changed, a sign-in session ended.
// The domain tells the hub which account changed (voci.AccessWatcher); the hub publishes it
// on accountsSubject, so that every instance hears it, and every instance checks the
// connections of that account again through Identity.Reauthorize, closing those no longer
// allowed with 1008. A periodic check of every adult connection (Config.AdultRecheck) backs
// this up for an event the bus lost.

// accountsSubject is the bus subject of changes to adults' access, for every instance.
const accountsSubject = "voci.accounts"

type accountEvent struct {
	AccountID string `json:"account"`
}

// adultConn is an adult's open connection and how to check its rights again.
type adultConn struct {
	client *client
	check  func(context.Context) error
}

// adults keeps the adults' connections of one instance by account.
type adults struct {
	mu    sync.Mutex
	conns map[string]map[*client]adultConn
}

func (a *adults) add(accountID string, ac adultConn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conns == nil {
		a.conns = map[string]map[*client]adultConn{}
	}
	if a.conns[accountID] == nil {
		a.conns[accountID] = map[*client]adultConn{}
	}
	a.conns[accountID][ac.client] = ac
}

func (a *adults) remove(accountID string, c *client) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.conns[accountID], c)
	if len(a.conns[accountID]) == 0 {
		delete(a.conns, accountID)
	}
}

// of returns the connections of one account, or of every account when accountID is "".
func (a *adults) of(accountID string) []adultConn {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []adultConn
	for id, m := range a.conns {
		if accountID != "" && id != accountID {
			continue
		}
		for _, ac := range m {
			out = append(out, ac)
		}
	}
	return out
}

// AccessChanged tells every instance that the account may have lost rights; each closes the
// account's connections that no longer have them. It implements voci.AccessWatcher and does
// not wait.
func (h *Hub) AccessChanged(accountID string) {
	b, _ := json.Marshal(accountEvent{AccountID: accountID})
	if err := h.bus.Publish(accountsSubject, b); err != nil {
		// The periodic check closes them later; and this instance's own at once.
		h.logger.Warn("live: publishing an access change failed; checking this instance's connections only", "error", err)
		h.recheck(accountID)
	}
}

// onAccountEvent handles an access change heard on the bus.
func (h *Hub) onAccountEvent(data []byte) {
	var ev accountEvent
	if err := json.Unmarshal(data, &ev); err != nil || ev.AccountID == "" {
		h.logger.Warn("live: malformed access change on the bus")
		return
	}
	h.recheck(ev.AccountID)
}

// OnAccessChanged has f hear every access change this instance checks: an account that may
// have lost rights, heard on the bus or told by the domain, and "" for every account at each
// periodic check. Other rooms holding adults' connections (the youth council's meeting
// rooms) check theirs with it. Call it before the hub serves; f must not wait.
func (h *Hub) OnAccessChanged(f func(accountID string)) {
	h.alsoRecheck = append(h.alsoRecheck, f)
}

// recheck checks the rights of the account's connections ("" for every adult's) in the
// background, closing with 1008 those that lost them.
func (h *Hub) recheck(accountID string) {
	// Not in h.wg: a check ends with h.ctx, and may start while Shutdown waits.
	for _, ac := range h.adults.of(accountID) {
		go h.checkAdult(ac)
	}
	for _, f := range h.alsoRecheck {
		f(accountID)
	}
}

// checkAdult closes the connection when its adult is no longer allowed in. When the check
// itself fails (the store is away), the connection stays: the next check decides.
func (h *Hub) checkAdult(ac adultConn) {
	if ac.client.closed() {
		return
	}
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	err := ac.check(ctx)
	switch voci.ErrorCode(err) {
	case "":
	case voci.EUNAUTHORIZED, voci.EFORBIDDEN, voci.ENOTFOUND:
		ac.client.enqueue(errorMessage("", err))
		ac.client.close(ClosePolicy, "access revoked")
	default:
		if h.ctx.Err() == nil {
			h.logger.Warn("live: an adult's rights could not be checked; the next check decides", "error", err)
		}
	}
}

// runRechecks checks every adult connection at each tick until the hub shuts down.
func (h *Hub) runRechecks(ticks <-chan time.Time) {
	defer h.wg.Done()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-ticks:
			h.recheck("")
		}
	}
}
