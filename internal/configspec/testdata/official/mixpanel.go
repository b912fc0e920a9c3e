// Package mixpanel holds the Config of the official Mixpanel connector, as
// its author would write it for monoid-gen; its spec is
// testdata/monoid/specs/mixpanel.spec.json.
package mixpanel

// Config is the Mixpanel connector's config.
type Config struct {
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
