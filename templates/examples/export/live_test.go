package export

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/monoid-gen/monoid-gen/internal/protocol"
)

// TestLiveService runs the lifecycle against a real service, when the
// environment names one:
//
//	SERVICE_API_URL    base_url, e.g. https://api.example.com
//	SERVICE_API_TOKEN  api_token
//	SERVICE_TEST_EMAIL the email of a test user: runs query, polls
//	                   request-status (every 5s, up to 10 minutes) and
//	                   fetches the results
//	SERVICE_TEST_DELETE=1 also deletes that user's data
func TestLiveService(t *testing.T) {
	url, token := os.Getenv("SERVICE_API_URL"), os.Getenv("SERVICE_API_TOKEN")
	if url == "" || token == "" {
		t.Skip("SKIP: set SERVICE_API_URL and SERVICE_API_TOKEN to test against a real service")
	}
	ctx := context.Background()
	conf := Config{BaseURL: url, APIToken: token}
	msg, err := Silo{}.Validate(ctx, conf)
	if err != nil || msg.Status != protocol.ValidateSuccess {
		t.Fatalf("validate: %+v, %v", msg, err)
	}
	email := os.Getenv("SERVICE_TEST_EMAIL")
	if email == "" {
		t.Skip("SKIP: the token is valid; set SERVICE_TEST_EMAIL to run an export")
	}
	stores, err := Silo{}.DataStores(ctx, conf)
	if err != nil {
		t.Fatal(err)
	}
	e := stores[0].(*Exports)
	p := persist(t)
	run := func(start func(context.Context, protocol.PersistenceConfig, protocol.QueryIdentifier) (protocol.RequestResult, error)) protocol.RequestHandle {
		res, err := start(ctx, p, identifier(email))
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Minute); ; {
			st, err := e.Status(ctx, p, res.Handle)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case st.RequestStatus == protocol.StateComplete:
				return res.Handle
			case st.RequestStatus == protocol.StateFailed:
				t.Fatalf("the job failed")
			case time.Now().After(deadline):
				t.Fatalf("the job was still in PROGRESS after 10 minutes")
			}
			time.Sleep(5 * time.Second)
		}
	}
	out := &collector{root: p.TempStore}
	if err := e.Results(ctx, p, run(e.Query), out); err != nil {
		t.Fatal(err)
	}
	t.Logf("export: %d records, files %v", len(out.records), out.files)
	if os.Getenv("SERVICE_TEST_DELETE") == "1" {
		run(e.Delete)
		t.Log("deletion complete")
	}
}
