package specgen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/monoid-gen/monoid-gen/internal/configschema"
	"github.com/monoid-gen/monoid-gen/internal/transcript"
)

// The Config structs of four official Python connectors, as their authors
// would write them for monoid-gen. TestOfficialSpecs derives spec.json from
// each and compares it with the hand-written file in testdata/monoid/specs.

// PostgresConfig is the Postgres connector's config.
type PostgresConfig struct {
	// The hostname of the database
	Hostname string `json:"hostname"`
	// The port of the database
	Port float64 `json:"port" jsonschema:"default=5432"`
	// The default database to connect to. Monoid can scan for all databases on your instance, but this is the one the system will connect to initially.
	Database string `json:"database" jsonschema:"title=Default Database,default=postgres"`
	// The username for the databse.
	Username string `json:"username"`
	// The password for the database
	Password string `json:"password" jsonschema_extras:"secret=true"`
	// If true, Monoid will scan all databases.
	ScanAll bool `json:"scan_all,omitempty" jsonschema:"title=Scan All DBs,default=true"`
	// Connect using SSL.
	SSL bool `json:"ssl" jsonschema:"title=Connect using SSL,default=false"`
	// A list of databases to exclude for silo discovery.
	ExcludeDBs []string `json:"exclude_dbs,omitempty" jsonschema:"minItems=0,uniqueItems=true,default=[]" jsonschema_extras:"order=8"`
}

// MySQLConfig is the MySQL connector's config.
type MySQLConfig struct {
	// The hostname of the database
	Hostname string `json:"hostname"`
	// The port of the database
	Port float64 `json:"port"`
	// The database to connect to.
	Database string `json:"database"`
	// The username for the database.
	Username string `json:"username"`
	// The password for the database
	Password string `json:"password" jsonschema_extras:"secret=true"`
}

// MixpanelConfig is the Mixpanel connector's config.
type MixpanelConfig struct {
	// The name of the Mixpanel project
	ProjectName string `json:"project_name"`
	// The token for the Mixpanel project
	ProjectToken string `json:"project_token"`
	// The ID of the Mixpanel project
	ProjectID string `json:"project_id,omitempty"`
	// The username for the Mixpanel service account
	ServiceAccountUsername string `json:"service_account_username,omitempty"`
	// The password for the Mixpanel service account
	ServiceAccountPassword string `json:"service_account_password,omitempty" jsonschema_extras:"secret=true"`
	// The Mixpanel GDPR OAuth secret
	OAuthSecret string `json:"oauth_secret" jsonschema:"title=GDPR OAuth Secret" jsonschema_extras:"secret=true"`
	// The Project's API secret
	APISecret string `json:"api_secret" jsonschema_extras:"secret=true"`
}

// IntercomConfig is the Intercom connector's config. Its official spec
// numbers fields from 1, so the order tags say so.
type IntercomConfig struct {
	// Your Intercom Workspace
	Workspace string `json:"workspace" jsonschema:"title=Workspace Name" jsonschema_extras:"order=1"`
	// Your Intercom Access Token
	AccessToken string `json:"access_token" jsonschema_extras:"secret=true,order=2"`
}

// thisPackage is the import path of this package, under which invopop
// files the doc comments above.
const thisPackage = "github.com/monoid-gen/monoid-gen/internal/specgen"

// TestOfficialSpecs reproduces each official spec. The one difference
// allowed: "required" is compared as a set, since our required lists the
// fields in struct order and the hand-written files list them in no
// particular order (JSON Schema gives the order no meaning).
func TestOfficialSpecs(t *testing.T) {
	data, err := transcript.DataDir()
	if err != nil {
		t.Fatal(err)
	}
	for file, cfg := range map[string]any{
		"postgres.spec.json": &PostgresConfig{},
		"mysql.spec.json":    &MySQLConfig{},
		"mixpanel.spec.json": &MixpanelConfig{},
		"intercom.spec.json": &IntercomConfig{},
	} {
		t.Run(file, func(t *testing.T) {
			d, err := configschema.Describe(cfg, thisPackage, ".")
			if err != nil {
				t.Fatal(err)
			}
			s, err := Convert(d)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(data, "specs", file))
			if err != nil {
				t.Fatal(err)
			}
			got, w := normalizeSpec(t, s.Marshal()), normalizeSpec(t, want)
			if !reflect.DeepEqual(got, w) {
				gb, _ := json.MarshalIndent(got, "", "  ")
				wb, _ := json.MarshalIndent(w, "", "  ")
				t.Errorf("derived spec differs from %s:\ngot:\n%s\nwant:\n%s", file, gb, wb)
			}
		})
	}
}

// normalizeSpec parses a spec.json and sorts its required lists.
func normalizeSpec(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if req, ok := x["required"].([]any); ok {
				slices.SortFunc(req, func(a, b any) int { return cmpString(a.(string), b.(string)) })
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return v
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
