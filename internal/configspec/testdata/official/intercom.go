// Package intercom holds the Config of the official Intercom connector, as
// its author would write it for monoid-gen; its spec is
// testdata/monoid/specs/intercom.spec.json.
package intercom

// Config is the Intercom connector's config. Its official spec numbers
// fields from 1, so the order tags say so.
type Config struct {
	// Your Intercom Workspace
	Workspace string `json:"workspace" jsonschema:"title=Workspace Name" jsonschema_extras:"order=1"`
	// Your Intercom Access Token
	AccessToken string `json:"access_token" jsonschema_extras:"secret=true,order=2"`
}
