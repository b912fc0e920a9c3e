package export

// Config is what a Monoid user enters to connect the service. spec.json,
// which the platform's form renders, is derived from it: each field's doc
// comment becomes its description; a field without omitempty is required;
// jsonschema_extras:"secret=true" marks a value the form hides and the
// connector never prints.
type Config struct {
	// The address of the service's API. Change it only to reach a regional or test endpoint; the API token is sent to this host alone.
	BaseURL string `json:"base_url,omitempty" jsonschema:"title=API URL,default=https://api.example.com"`
	// An API token from the service's settings, allowed to export and delete user data.
	APIToken string `json:"api_token" jsonschema:"title=API Token" jsonschema_extras:"secret=true"`
	// How long, in seconds, one API call may take, and how long a download may go without receiving data, before it is given up.
	TimeoutSeconds int `json:"timeout_seconds,omitempty" jsonschema:"title=Request Timeout (seconds),default=30,minimum=1"`
}
