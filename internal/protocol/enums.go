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

// The values of each enum, in monoid_protocol.json's order: the one list
// of them that decoding checks against and errors name. (MessageType's are
// the types of the payloads table, in message.go.)
var (
	recordTypes      = []RecordType{RecordTypeRecord, RecordTypeFile}
	validateStatuses = []ValidateStatus{ValidateSuccess, ValidateFailure}
	requestStates    = []RequestState{StateProgress, StateComplete, StateFailed}
	dataTypes        = []DataType{DataRecords, DataFile, DataNone}
	requestTypes     = []RequestType{RequestQuery, RequestDelete}
)

// enum is implemented by every enum type, so that decoding can check values
// generically.
type enum interface {
	enumValues() []string
}

func (MessageType) enumValues() []string {
	out := make([]string, len(payloads))
	for i, p := range payloads {
		out[i] = string(p.typ)
	}
	return out
}

func (RecordType) enumValues() []string     { return wireNames(recordTypes) }
func (ValidateStatus) enumValues() []string { return wireNames(validateStatuses) }
func (RequestState) enumValues() []string   { return wireNames(requestStates) }
func (DataType) enumValues() []string       { return wireNames(dataTypes) }
func (RequestType) enumValues() []string    { return wireNames(requestTypes) }

// wireNames spells enum values as on the wire.
func wireNames[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}
