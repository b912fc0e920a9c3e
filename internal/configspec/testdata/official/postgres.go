// Package postgres holds the Config of the official Postgres connector, as
// its author would write it for monoid-gen; its spec is
// testdata/monoid/specs/postgres.spec.json.
package postgres

// Config is the Postgres connector's config.
type Config struct {
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
