package acme

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"

	"monoid-acme/internal/protocol"
)

// This file is the service's API as the connector uses it: its endpoints,
// the JSON of its jobs, the names of its job states and result formats.
// Rewrite it for your own service; client.go, download.go and records.go
// hold what rarely changes (HTTP, retries, streaming).

// The endpoints, under base_url.
const (
	// pathAccount answers 200 for a valid token: validate's check.
	pathAccount = "/v1/me"
	// pathExports: POST starts an export job, GET pathExports/{id} reads it.
	pathExports = "/v1/exports"
	// pathDeletions: POST starts a deletion job, GET pathDeletions/{id}
	// reads it.
	pathDeletions = "/v1/deletions"
)

// jobRequest is the body that starts a job: whose data it is about. The
// value keeps the form the platform sent, a string or an integer.
type jobRequest struct {
	Identifier string                   `json:"identifier"`
	Value      protocol.IdentifierQuery `json:"value"`
}

// job is the service's description of an export or deletion job.
type job struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Error is why a failed job failed.
	Error string `json:"error"`
	// Format is the form of an export's result; see isRecords.
	Format string `json:"format"`
	// File is where a done export's result is.
	File *struct {
		URL    string `json:"url"`    // absolute, or relative to base_url
		Size   int64  `json:"size"`   // bytes; 0 if not given
		SHA256 string `json:"sha256"` // hex; "" if not given
	} `json:"file"`
}

// requestState maps a job state of the service to the platform's. known
// is false for a state the service did not have when this was written:
// it is reported FAILED, so that the request stops and an operator looks,
// rather than PROGRESS, which would keep the platform polling a job that
// may never end. Add any new state here.
func requestState(state string) (st protocol.RequestState, known bool) {
	switch state {
	case "queued", "running":
		return protocol.StateProgress, true
	case "done":
		return protocol.StateComplete, true
	case "failed":
		return protocol.StateFailed, true
	}
	return protocol.StateFailed, false
}

// isRecords reports whether an export in format is JSON records, which
// the connector writes one by one as RECORDS. Any other format (CSV, a
// zip archive) is handed to the platform as a FILE.
func isRecords(format string) bool { return format == "json" || format == "ndjson" }

// extension is the file name extension of an export in format.
func extension(format string) string {
	switch format {
	case "csv", "json", "ndjson", "zip":
		return "." + format
	}
	return ".bin"
}

// startJob starts a job at endpoint (pathExports or pathDeletions) for
// one identifier.
func (c *client) startJob(ctx context.Context, endpoint string, id protocol.QueryIdentifier) (job, error) {
	var j job
	err := c.callJSON(ctx, http.MethodPost, endpoint, jobRequest{Identifier: id.Identifier, Value: id.IdentifierQuery}, &j)
	if err == nil && j.ID == "" {
		err = fmt.Errorf("POST %s: the answer names no job id", safeURL(c.endpoint(endpoint)))
	}
	return j, err
}

// job reads the job id at endpoint.
func (c *client) job(ctx context.Context, endpoint, id string) (job, error) {
	var j job
	if id == "" || id == "." || id == ".." {
		return j, fmt.Errorf("job id %q is not one the service gave", id)
	}
	err := c.callJSON(ctx, http.MethodGet, path.Join(endpoint, url.PathEscape(id)), nil, &j)
	return j, err
}

// checkToken asks the service whether the token is valid.
func (c *client) checkToken(ctx context.Context) error {
	return c.callJSON(ctx, http.MethodGet, pathAccount, nil, nil)
}

// fileURL resolves a job's file URL against base_url.
func (c *client) fileURL(j job) (*url.URL, error) {
	if j.File == nil || j.File.URL == "" {
		return nil, fmt.Errorf("job %s is done but names no result file", j.ID)
	}
	u, err := c.base.Parse(j.File.URL)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return nil, fmt.Errorf("job %s names a result file at an address that is not http(s)", j.ID)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("job %s names a result file at a plain http address (%s): personal data is not fetched unencrypted", j.ID, safeURL(u))
	}
	return u, nil
}
