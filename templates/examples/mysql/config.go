package mysql

// Config is what a Monoid user enters to connect a MySQL or MariaDB server:
// the fields of the official MySQL connector's spec.json, so that a silo
// configured for that connector works unchanged with this one. spec.json is
// derived from it.
//
// Each field's doc comment becomes its description in the platform's form;
// the title comes from the JSON name. Every field is required.
// jsonschema_extras:"secret=true" marks the password: the form hides it, and
// the connector never prints it (every error it returns is scrubbed of it).
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
