// Package mysql holds the Config of the official MySQL connector, as its
// author would write it for monoid-gen; its spec is
// testdata/monoid/specs/mysql.spec.json.
package mysql

// Config is the MySQL connector's config.
type Config struct {
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
