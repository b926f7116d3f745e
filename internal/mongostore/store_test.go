package mongostore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/voci-platform/voci/internal/storetest"
	"github.com/voci-platform/voci/internal/voci"
)

// uriEnv names the MongoDB the integration tests use. Each test works in a database of its
// own with a random name, dropped when the test ends, so any server will do.
const uriEnv = "VOCI_TEST_MONGODB_URI"

// unreachableURI points at a port nothing listens on, with a short server selection timeout so
// that the tests that use it are quick.
const unreachableURI = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300"

// testURI returns the configured MongoDB URI, or skips the test when there is none.
func testURI(t *testing.T) string {
	t.Helper()
	uri := os.Getenv(uriEnv)
	if uri == "" {
		t.Skipf("%s is not set; set it to a MongoDB URI (e.g. mongodb://127.0.0.1:27017/) to run the MongoDB store tests", uriEnv)
	}
	return uri
}

// openTestStore returns a migrated store on a fresh database, or skips the test when no
// MongoDB is configured.
func openTestStore(t *testing.T) *Store {
	t.Helper()
	uri := testURI(t)
	s, err := OpenDatabase(context.Background(), uri, "voci_test_"+randomHex(t))
	if err != nil {
		t.Fatalf("OpenDatabase: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.DropDatabase(ctx); err != nil {
			t.Errorf("DropDatabase: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

// TestStoreTwoHandles runs the contracts of two instances: two clients on one database.
func TestStoreTwoHandles(t *testing.T) {
	testURI(t)
	storetest.RunTwoHandles(t, func(t *testing.T) (voci.Store, voci.Store) {
		a := openTestStore(t)
		b, err := OpenDatabase(context.Background(), testURI(t), a.db.Name())
		if err != nil {
			t.Fatalf("OpenDatabase: %v", err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return a, b
	})
}

func randomHex(t *testing.T) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func TestStore(t *testing.T) {
	testURI(t)
	storetest.Run(t, func(t *testing.T) voci.Store { return openTestStore(t) })
}

func TestMigrateCreatesIndexesIdempotently(t *testing.T) {
	s := openTestStore(t)
	ctx := t.Context()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	want := map[string][]string{
		"accounts":       {"_id_", "email_unique", "roles.municipality_email"},
		"invitations":    {"_id_", "createdAt", "roles.municipality_createdAt", "tokenHash_unique"},
		"passwordResets": {"_id_", "accountId"},
		"counties":       {"_id_", "searchKey", "siruta_unique"},
		"municipalities": {"_id_", "countyCode_searchKey", "enrolled_searchKey", "searchKey"},
		"sessions":       {"_id_", "accountId_createdAt"},
		"audit":          {"_id_", "action_at", "actorId_at", "at", "municipality_at"},
	}
	for coll, names := range want {
		cur, err := s.db.Collection(coll).Indexes().List(ctx)
		if err != nil {
			t.Fatalf("list indexes of %s: %v", coll, err)
		}
		var specs []struct {
			Name   string `bson:"name"`
			Unique bool   `bson:"unique"`
		}
		if err := cur.All(ctx, &specs); err != nil {
			t.Fatalf("list indexes of %s: %v", coll, err)
		}
		var got []string
		for _, spec := range specs {
			got = append(got, spec.Name)
			if (spec.Name == "email_unique" || spec.Name == "siruta_unique" || spec.Name == "tokenHash_unique") && !spec.Unique {
				t.Errorf("%s.%s is not unique", coll, spec.Name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, names) {
			t.Errorf("indexes of %s = %v, want %v", coll, got, names)
		}
	}
}

// An account is one document with its roles embedded; the field names are the stored format.
func TestAccountIsOneDocument(t *testing.T) {
	s := openTestStore(t)
	ctx := t.Context()
	created := time.Date(2025, 5, 14, 9, 30, 0, 0, time.UTC)
	a := &voci.Account{
		ID: "acc-1", Email: "ana@example.org", DisplayName: "Ana", PasswordHash: "h",
		Roles:     []voci.RoleGrant{{Role: voci.RoleCoordinator, Municipality: 40198}},
		CreatedAt: created, UpdatedAt: created,
	}
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	var raw bson.M
	if err := s.accounts.FindOne(ctx, bson.D{{Key: "_id", Value: "acc-1"}}).Decode(&raw); err != nil {
		t.Fatalf("read raw document: %v", err)
	}
	roles, ok := raw["roles"].(bson.A)
	if !ok || len(roles) != 1 {
		t.Fatalf("roles = %#v, want one embedded grant", raw["roles"])
	}
	if raw["email"] != "ana@example.org" {
		t.Fatalf("email = %#v", raw["email"])
	}
}

func TestOpenTakesTheDatabaseFromTheURI(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"mongodb://127.0.0.1:1/", DefaultDatabase},
		{"mongodb://127.0.0.1:1", DefaultDatabase},
		{"mongodb://127.0.0.1:1/cfci_ro?serverSelectionTimeoutMS=300", "cfci_ro"},
		{"mongodb://user:pass@127.0.0.1:1,127.0.0.1:2/voci_prod?replicaSet=rs0", "voci_prod"},
	}
	for _, tt := range tests {
		s, err := Open(t.Context(), tt.uri)
		if err != nil {
			t.Errorf("Open(%q): %v", tt.uri, err)
			continue
		}
		if got := s.DatabaseName(); got != tt.want {
			t.Errorf("Open(%q) uses database %q, want %q", tt.uri, got, tt.want)
		}
		s.Close()
	}
}

func TestOpenRejectsAMalformedURI(t *testing.T) {
	for _, uri := range []string{"", "postgres://127.0.0.1/voci", "mongodb://127.0.0.1:1/?w=banana&journal=maybe"} {
		if s, err := Open(t.Context(), uri); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", uri)
		}
	}
}

// The platform must start while its database is down and report it as not ready, so Open
// must not need the server; everything that does need it answers EUNAVAILABLE, whether the
// driver's server selection timed out or the caller's deadline passed first.
func TestUnreachableServer(t *testing.T) {
	t.Run("server selection timeout", func(t *testing.T) {
		s, err := Open(t.Context(), unreachableURI)
		if err != nil {
			t.Fatalf("Open on an unreachable server: %v, want no error", err)
		}
		defer s.Close()
		checkUnavailable(t, s, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(t.Context(), 20*time.Second)
		})
	})

	t.Run("caller's deadline", func(t *testing.T) {
		// Server selection would wait 30 s; Open must not wait at all, and the calls give up
		// at their context's deadline.
		start := time.Now()
		s, err := Open(t.Context(), "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=30000")
		if err != nil {
			t.Fatalf("Open on an unreachable server: %v, want no error", err)
		}
		defer s.Close()
		if d := time.Since(start); d > time.Second {
			t.Errorf("Open took %v; it must not wait for the server", d)
		}
		checkUnavailable(t, s, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(t.Context(), 300*time.Millisecond)
		})
	})
}

func checkUnavailable(t *testing.T, s *Store, newContext func() (context.Context, context.CancelFunc)) {
	t.Helper()
	checks := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Ping", s.Ping},
		{"Migrate", s.Migrate},
		{"FindAccountByID", func(ctx context.Context) error { _, err := s.FindAccountByID(ctx, "acc-1"); return err }},
		{"CreateAccount", func(ctx context.Context) error {
			return s.CreateAccount(ctx, &voci.Account{ID: "acc-1", Email: "ana@example.org", DisplayName: "Ana"})
		}},
		{"FindMunicipalities", func(ctx context.Context) error {
			_, _, err := s.FindMunicipalities(ctx, voci.MunicipalityFilter{Limit: 10})
			return err
		}},
		{"SeedReferenceData", func(ctx context.Context) error {
			_, err := s.SeedReferenceData(ctx, []voci.County{{Code: 8, SIRUTA: 83, Name: "Brașov", Abbrev: "BV"}}, nil)
			return err
		}},
	}
	for _, c := range checks {
		ctx, cancel := newContext()
		err := c.call(ctx)
		cancel()
		if code := voci.ErrorCode(err); code != voci.EUNAVAILABLE {
			t.Errorf("%s on an unreachable server: %v (code %q), want %q", c.name, err, code, voci.EUNAVAILABLE)
		}
	}
}

// Acknowledged writes must survive a failover: majority and journaled. Reads see only
// majority-committed data, so nothing read can be rolled back.
func TestDurableConcerns(t *testing.T) {
	s, err := Open(t.Context(), "mongodb://127.0.0.1:1/?w=1&journal=false&readConcernLevel=local")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	wc := s.db.WriteConcern()
	if wc == nil || wc.W != "majority" || wc.Journal == nil || !*wc.Journal {
		t.Errorf("write concern = %+v, want w majority with j true", wc)
	}
	if rc := s.db.ReadConcern(); rc == nil || rc.Level != "majority" {
		t.Errorf("read concern = %+v, want majority", rc)
	}
}

func TestPingAfterCloseIsUnavailable(t *testing.T) {
	s, err := Open(t.Context(), unreachableURI)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if code := voci.ErrorCode(s.Ping(t.Context())); code != voci.EUNAVAILABLE {
		t.Fatalf("Ping after Close has code %q, want %q", code, voci.EUNAVAILABLE)
	}
}
