package httpapi_test

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/natsbus"
	"github.com/voci-platform/voci/internal/natsbus/natstest"
)

// Revealed results follow what the room learns after the reveal. An answer the store took
// while the question was open can reach a room after its reveal: from a reader that checked
// the question just before, or from another instance whose event was late or lost. The child
// was told "got it", so the results on every phone and screen are sent again with it.
func TestRevealedResultsCountAnAnswerLearntAfterTheReveal(t *testing.T) {
	nats := natstest.Run(t, -1)
	port := nats.Addr().(*net.TCPAddr).Port
	a, b, _ := newInstancesOn(t, nats.ClientURL())
	f := a.setUp(t)
	// The facilitator and a watching child on B (whose hub reads the store again when its bus
	// comes back); the late child on A.
	fac := b.adult(t, f.fac, f, "facilitator")
	watching, late := b.join(t, f, "ro"), a.join(t, f, "ro")
	watching.await("session.state", hasAll(`"state":"lobby"`))
	late.await("session.state", hasAll(`"state":"lobby"`))
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	late.await("session.state", hasAll(`"state":"question_open"`, f.single.ID))

	nats.Shutdown()
	nats.WaitForShutdown()
	deadline := time.Now().Add(15 * time.Second)
	for a.Bus.(*natsbus.Bus).Ready() == nil || b.Bus.(*natsbus.Bus).Ready() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the buses did not notice that NATS went away")
		}
		time.Sleep(10 * time.Millisecond)
	}
	late.mustAnswer(t, f.single.ID, []string{f.single.option("trees")}, "", "late-key-0001")
	f.command(t, fac, "results.reveal", nil)
	watching.await("results", hasAll(`"respondents":0`))

	natstest.Run(t, port)
	watching.await("results", hasAll(`"respondents":1`, fmt.Sprintf(`{"id":%q,"count":1}`, f.single.option("trees"))))
}

// A text approved after the reveal reaches the phones' results, which had none to show.
func TestRevealedResultsShowATextApprovedAfterTheReveal(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	kid := ls.join(t, f, "ro")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.text.ID})
	kid.await("session.state", hasAll(`"state":"question_open"`, f.text.ID))
	kid.mustAnswer(t, f.text.ID, nil, "Mai mulți copaci", "text-key-0001")
	var mod struct {
		AnswerID string `json:"answerId"`
		Revision int    `json:"revision"`
	}
	fac.await("moderation.new", hasAll("Mai mulți copaci")).decode(t, &mod)
	f.command(t, fac, "results.reveal", nil)
	kid.await("results", hasAll(`"texts":[]`))

	mustStatus(t, f.fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/answers/%s/moderation", bacau, mod.AnswerID),
		map[string]any{"state": "approved", "revision": mod.Revision}), 200)
	kid.await("results", hasAll("Mai mulți copaci"))
}
