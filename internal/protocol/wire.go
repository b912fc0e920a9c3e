package protocol

import "encoding/json"

// The wire types mirror the definitions of monoid_protocol.json field for
// field. Optional fields carry omitempty, so unset fields are left out when
// writing; the platform ignores absent and null fields alike. Fields tagged
// wire:"required" are enforced when a file is read (see readInput).

// Message is MonoidMessage: one line of a connector's output. Type names the
// one payload field that is set.
type Message struct {
	Type          MessageType      `json:"type" wire:"required"`
	Record        *Record          `json:"record,omitempty"`
	SchemaMsg     *SchemasMessage  `json:"schema_msg,omitempty"`
	Spec          *SiloSpec        `json:"spec,omitempty"`
	ValidateMsg   *ValidateMessage `json:"validate_msg,omitempty"`
	Log           *LogMessage      `json:"log,omitempty"`
	Request       *RequestResult   `json:"request,omitempty"`
	RequestStatus *RequestStatus   `json:"request_status,omitempty"`
}

// Query is MonoidQuery: the identifiers of a user data request.
type Query struct {
	Identifiers []QueryIdentifier `json:"identifiers" wire:"required"`
}

// QueryIdentifier is MonoidQueryIdentifier: which store to ask, which field
// identifies the user (Identifier, e.g. "email") and its value
// (IdentifierQuery), and the fields to return (JSONSchema).
type QueryIdentifier struct {
	SchemaName      string          `json:"schema_name" wire:"required"`
	SchemaGroup     string          `json:"schema_group,omitempty"`
	Identifier      string          `json:"identifier" wire:"required"`
	IdentifierQuery IdentifierQuery `json:"identifier_query" wire:"required"`
	JSONSchema      json.RawMessage `json:"json_schema" wire:"required"`
}

// Record is MonoidRecord: one record of a store, inline (Data) or as a file
// under the persistence directory (File).
//
// monoid_protocol.json lists "type" as required here, a property the record
// does not have; every writer, the Python kit included, writes record_type,
// so that is what this package requires.
type Record struct {
	RecordType  RecordType      `json:"record_type" wire:"required"`
	SchemaName  string          `json:"schema_name" wire:"required"`
	SchemaGroup string          `json:"schema_group,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"`
	File        string          `json:"file,omitempty"`
}

// Schema is MonoidSchema: a data store's name, group and the JSON Schema of
// its records.
type Schema struct {
	Name       string          `json:"name" wire:"required"`
	Group      string          `json:"group,omitempty"`
	JSONSchema json.RawMessage `json:"json_schema" wire:"required"`
}

// SiloSpec is MonoidSiloSpec: the content of a connector's spec.json.
type SiloSpec struct {
	Name string          `json:"name,omitempty"`
	Spec json.RawMessage `json:"spec" wire:"required"`
}

// SchemasMessage is MonoidSchemasMessage: the answer to schema and the input
// of scan.
type SchemasMessage struct {
	Schemas []Schema `json:"schemas" wire:"required"`
}

// ValidateMessage is MonoidValidateMessage: the result of checking a config
// against the silo itself.
type ValidateMessage struct {
	Status  ValidateStatus `json:"status" wire:"required"`
	Message string         `json:"message,omitempty"`
}

// LogMessage is MonoidLogMessage.
type LogMessage struct {
	Message string `json:"message" wire:"required"`
}

// PersistenceConfig is MonoidPersistenceConfig: the directory a connector may
// write files into, copied back out by the platform after request-results.
type PersistenceConfig struct {
	TempStore string `json:"temp_store" wire:"required"`
}

// RequestResult is MonoidRequestResult: the answer to query or delete for
// one identifier.
type RequestResult struct {
	Status RequestStatus `json:"status" wire:"required"`
	Handle RequestHandle `json:"handle" wire:"required"`
}

// RequestStatus is MonoidRequestStatus.
type RequestStatus struct {
	SchemaGroup   string       `json:"schema_group,omitempty"`
	SchemaName    string       `json:"schema_name" wire:"required"`
	RequestStatus RequestState `json:"request_status" wire:"required"`
	DataType      DataType     `json:"data_type,omitempty"`
}

// RequestHandle is MonoidRequestHandle: what a store needs to find a request
// again in request-status and request-results. Data is the store's own; the
// platform stores it and hands it back verbatim.
type RequestHandle struct {
	SchemaGroup string          `json:"schema_group,omitempty"`
	SchemaName  string          `json:"schema_name" wire:"required"`
	Data        json.RawMessage `json:"data,omitempty"`
	RequestType RequestType     `json:"request_type" wire:"required"`
}

// RequestsMessage is MonoidRequestsMessage: the input of request-status and
// request-results.
type RequestsMessage struct {
	Handles []RequestHandle `json:"handles" wire:"required"`
}
