package protocol

// Each enum of monoid_protocol.json is a string type whose constants carry
// the exact wire spelling. The decoder rejects any other value, naming the
// accepted ones.

// MessageType is the type of a [Message].
type MessageType string

// The message types.
const (
	TypeSchema        MessageType = "SCHEMA"
	TypeRecord        MessageType = "RECORD"
	TypeSpec          MessageType = "SPEC"
	TypeRequestResult MessageType = "REQUEST_RESULT"
	TypeRequestStatus MessageType = "REQUEST_STATUS"
	TypeValidate      MessageType = "VALIDATE"
	TypeLog           MessageType = "LOG"
)

// RecordType tells whether a [Record] holds data or names a file.
type RecordType string

// The record types.
const (
	RecordTypeRecord RecordType = "RECORD"
	RecordTypeFile   RecordType = "FILE"
)

// ValidateStatus is the outcome of validate.
type ValidateStatus string

// The validate outcomes.
const (
	ValidateSuccess ValidateStatus = "SUCCESS"
	ValidateFailure ValidateStatus = "FAILURE"
)

// RequestState is where a request is in its lifecycle.
type RequestState string

// The request states.
const (
	StateProgress RequestState = "PROGRESS"
	StateComplete RequestState = "COMPLETE"
	StateFailed   RequestState = "FAILED"
)

// DataType tells what request-results will return for a request.
type DataType string

// The data types.
const (
	DataRecords DataType = "RECORDS"
	DataFile    DataType = "FILE"
	DataNone    DataType = "NONE"
)

// RequestType is the kind of user data request a handle belongs to.
type RequestType string

// The request types.
const (
	RequestQuery  RequestType = "QUERY"
	RequestDelete RequestType = "DELETE"
)

// enum is implemented by every enum type, so that decoding can check values
// generically.
type enum interface {
	enumValues() []string
}

func (MessageType) enumValues() []string {
	return []string{"SCHEMA", "RECORD", "SPEC", "REQUEST_RESULT", "REQUEST_STATUS", "VALIDATE", "LOG"}
}

func (RecordType) enumValues() []string { return []string{"RECORD", "FILE"} }

func (ValidateStatus) enumValues() []string { return []string{"SUCCESS", "FAILURE"} }

func (RequestState) enumValues() []string { return []string{"PROGRESS", "COMPLETE", "FAILED"} }

func (DataType) enumValues() []string { return []string{"RECORDS", "FILE", "NONE"} }

func (RequestType) enumValues() []string { return []string{"QUERY", "DELETE"} }
