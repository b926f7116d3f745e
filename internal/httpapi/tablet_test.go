package httpapi_test

import (
	"fmt"
	"testing"
)

// A class of thirty takes turns on one tablet: each turn is a new join from the same address
// (new alias, new token), answers and closes. The join throttle counts failures only, so no
// turn is refused, and results count thirty children.
func TestSharedTabletTurnsAreNotThrottled(t *testing.T) {
	ls := newLiveServer(t)
	f := ls.setUp(t)
	fac := ls.adult(t, f.fac, f, "facilitator")
	f.command(t, fac, "question.open", map[string]any{"questionId": f.single.ID})
	aliases, tokens := map[string]bool{}, map[string]bool{}
	for turn := range 30 {
		kid := ls.join(t, f, "ro")
		if tokens[kid.token] {
			t.Fatalf("turn %d got an earlier turn's token", turn)
		}
		tokens[kid.token], aliases[kid.alias] = true, true
		kid.mustAnswer(t, f.single.ID, []string{f.single.option("trees")}, "", fmt.Sprintf("tablet-turn-%04d", turn))
		kid.c.Close()
	}
	if r := f.results(t, f.single.ID); r.Questions[0].Respondents != 30 || count(r, f.single.option("trees")) != 30 {
		t.Fatalf("results after 30 turns: %+v", r.Questions[0])
	}
	if len(aliases) < 2 {
		t.Fatalf("every turn had the same alias")
	}
}
