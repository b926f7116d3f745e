package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/httpapi"
	"github.com/voci-platform/voci/internal/voci"
)

// fakeClockServer is a test server whose clock moves only when the test moves it.
func fakeClockServer(t *testing.T) (*testServer, *atomic.Int64) {
	t.Helper()
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	ts := newTestServer(t, func(d *httpapi.Deps) {
		d.Clock = func() time.Time { return time.Unix(0, now.Load()) }
	})
	t.Cleanup(ts.WaitForNationalRefreshes)
	return ts, &now
}

// sessionIn adds a live session to an existing consultation: a row dated now, which no
// consultation, stage or release came with.
func sessionIn(t *testing.T, ts *testServer, consultation string, siruta int, id string, at time.Time) {
	t.Helper()
	l := &voci.LiveSession{ID: id, ConsultationID: consultation, Municipality: siruta, JoinCode: fmt.Sprint(200000 + len(id)*7919%799999),
		State: voci.LiveEnded, StartedBy: "acct", StartedAt: at}
	if err := ts.store.CreateLiveSession(context.Background(), l, nil); err != nil {
		t.Fatal(err)
	}
}

func getBody(t *testing.T, cl *client, url string) []byte {
	t.Helper()
	a := cl.do(t, "GET", url, nil)
	if a.status != 200 {
		t.Fatalf("%s: %d %s", url, a.status, a.body)
	}
	return a.body
}

// TestNationalSettledTableStandsWhileChildrenAnswer: the tables of a period over and released
// read only the release and what the past holds, so answers given now do not make them
// computed again (they are sent as kept, byte for byte), while a record dated in that period
// does.
func TestNationalSettledTableStandsWhileChildrenAnswer(t *testing.T) {
	ts, clock := fakeClockServer(t)
	now := time.Unix(0, clock.Load())
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).Previous().Previous()
	inMonth := month.Start().Add(36 * time.Hour)
	childrenIn(t, ts, 20297, "settled", 6, voci.Age13to15, voci.GenderGirl, inMonth)
	job := voci.NewReleases(ts.store, func() time.Time { return now }, voci.DefaultK, httpapi.ReleaseSuppression, nil)
	if _, err := job.Release(context.Background(), month); err != nil {
		t.Fatal(err)
	}
	committee := signedIn(t, ts, "national")["national"]
	urls := []string{
		"/api/v1/national/municipalities?all=1&county=4&period=" + month.ID,
		"/api/v1/national/counties?period=" + month.ID,
		"/api/v1/municipalities/20297/indicators?period=" + month.ID,
	}
	bodies := map[string][]byte{}
	for _, u := range urls {
		bodies[u] = getBody(t, committee, u)
	}
	if tab := readNationalTable(t, bodies[urls[0]]); tab.Release == nil || tab.row(t, 20297)[voci.IndChildrenReached]["value"] != 6.0 {
		t.Fatalf("the released table: %s", bodies[urls[0]])
	}
	if bytes.Contains(bodies[urls[0]], []byte(`"asOf"`)) {
		t.Errorf("a settled period's table says when it was computed")
	}
	builds := ts.NationalBuilds()

	// Children answer now, in a session of the same consultation: the store changed.
	before, err := ts.store.ChangeCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	childrenIn(t, ts, 20297, "settled", 3, voci.Age10to12, voci.GenderBoy, now)
	sessionIn(t, ts, "cons-settled", 20297, "settled-now", now)
	if after, _ := ts.store.ChangeCount(context.Background()); after == before {
		t.Fatal("the answers did not change the store's count")
	}
	for _, u := range urls {
		if got := getBody(t, committee, u); !bytes.Equal(got, bodies[u]) {
			t.Errorf("%s changed after answers given now:\n%s\n%s", u, bodies[u], got)
		}
	}
	if got := ts.NationalBuilds(); got != builds {
		t.Fatalf("answers given now made %d tables computed again", got-builds)
	}

	// A session recorded late, dated in the month, is a change to the past: it shows.
	sessionIn(t, ts, "cons-settled", 20297, "settled-late", inMonth)
	tab := readNationalTable(t, getBody(t, committee, urls[0]))
	if got := tab.row(t, 20297)[voci.IndSessionsLive]["value"]; got != 2.0 {
		t.Fatalf("after a late session the table says %v live sessions", got)
	}
}

// TestNationalCurrentTableServedOldRefreshedOnce: a table of the current period is kept while
// only new records come in, served with the time it was computed; once it is older than
// voci.NationalRefreshAfter, twenty requests at once all get it and one background job computes
// it again; older than voci.NationalStaleAtMost it is never served.
func TestNationalCurrentTableServedOldRefreshedOnce(t *testing.T) {
	ts, clock := fakeClockServer(t)
	// Until released, the background job waits: a fast machine would otherwise finish it
	// before the last of the twenty requests is read, and serve that one the new table.
	release := ts.HoldNationalRefreshes()
	t.Cleanup(release) // before the server's own cleanup waits for the job
	now := time.Unix(0, clock.Load())
	earlier := now.Add(-time.Minute) // counted up to now
	liveSessionIn(t, ts, 20297, "current-1", earlier)
	committee := signedIn(t, ts, "national")["national"]
	month := voci.PeriodAt(voci.PeriodMonth, voci.Today(now)).ID
	url := "/api/v1/national/municipalities?all=1&county=4&period=" + month
	type table struct {
		AsOf time.Time `json:"asOf"`
	}
	read := func(body []byte) (time.Time, float64) {
		t.Helper()
		var tt table
		if err := json.Unmarshal(body, &tt); err != nil {
			t.Fatal(err)
		}
		v, _ := readNationalTable(t, body).row(t, 20297)[voci.IndSessionsLive]["value"].(float64)
		return tt.AsOf, v
	}
	first := getBody(t, committee, url)
	if asOf, n := read(first); !asOf.Equal(now) || n != 1 {
		t.Fatalf("first table: as of %v, %v sessions", asOf, n)
	}
	builds := ts.NationalBuilds()

	sessionIn(t, ts, "cons-current-1", 20297, "current-2", earlier)
	if got := getBody(t, committee, url); !bytes.Equal(got, first) {
		t.Fatal("a table just computed was computed again")
	}
	clock.Add(int64(voci.NationalRefreshAfter + 5*time.Second))

	var wg sync.WaitGroup
	bodies := make([][]byte, 20)
	errs := make(chan error, len(bodies))
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("GET", url, nil)
			req.Header.Set("Cookie", "voci_session="+committee.cookie)
			resp, err := ts.App().Test(req, -1)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			bodies[i], _ = io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				errs <- fmt.Errorf("%d %s", resp.StatusCode, bodies[i])
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, b := range bodies {
		if !bytes.Equal(b, first) {
			t.Fatalf("request %d did not get the kept table: %s", i, b)
		}
	}
	release()
	ts.WaitForNationalRefreshes()
	if got := ts.NationalBuilds() - builds; got != 1 {
		t.Fatalf("the table was computed %d times, not once", got)
	}
	asOf, n := read(getBody(t, committee, url))
	if want := time.Unix(0, clock.Load()); !asOf.Equal(want) || n != 2 {
		t.Fatalf("after the refresh: as of %v (want %v), %v sessions", asOf, want, n)
	}
	if got := ts.NationalBuilds() - builds; got != 1 {
		t.Fatalf("the refreshed table was computed again: %d", got)
	}

	// Past the bound, a table is computed for the request that asks.
	sessionIn(t, ts, "cons-current-1", 20297, "current-3", earlier)
	clock.Add(int64(voci.NationalStaleAtMost + time.Second))
	if _, n := read(getBody(t, committee, url)); n != 3 {
		t.Fatalf("a table older than the bound was served: %v sessions", n)
	}
}
