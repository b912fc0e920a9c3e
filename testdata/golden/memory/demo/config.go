package demo

//go:generate monoid-gen spec --dir ..

// Config is what a Monoid user enters to reach the service. spec.json,
// which the platform's form renders, is derived from it: after changing a
// field, run `make spec` (or `go generate ./...`).
//
// Each field's doc comment becomes its description in the form; the title
// comes from the JSON name unless a jsonschema:"title=..." tag says
// otherwise. A field without omitempty is required.
// jsonschema_extras:"secret=true" marks a password or key: the form hides
// it and the connector never prints it.
//
// spec.json is derived from this package's source, which is never run, so
// fields use types the form renders and this package declares: string,
// bool, int, float64, []string, structs declared here (nested or
// embedded). `monoid-gen spec` names what to use instead of anything else.
type Config struct {
	// Host name of the service to connect to.
	Hostname string `json:"hostname"`
	// Key used to authenticate with the service.
	APIKey string `json:"api_key" jsonschema_extras:"secret=true"`
	// How many example records each data store holds.
	NumRecords int `json:"num_records,omitempty" jsonschema:"title=Records per Store,default=10"`
}
