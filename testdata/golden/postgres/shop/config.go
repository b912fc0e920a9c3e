package shop

//go:generate monoid-gen spec --dir ..

// Config is what a Monoid user enters to connect a Postgres server. Its
// fields and tags give exactly the spec.json of Monoid's official Postgres
// connector, so a silo configured for that connector works unchanged with
// this one. spec.json is derived from it: after changing a field,
// regenerate spec.json.
//
// Each field's doc comment becomes its description in the platform's form;
// the title comes from the JSON name unless a jsonschema:"title=..." tag
// says otherwise. A field without omitempty is required.
// jsonschema_extras:"secret=true" marks the password: the form hides it and
// the connector never prints it.
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
