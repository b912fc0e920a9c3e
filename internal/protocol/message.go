package protocol

import (
	"fmt"
	"strings"
)

// payloadOf names, for each message type, the one payload field it
// carries.
var payloadOf = map[MessageType]string{
	TypeSchema:        "schema_msg",
	TypeRecord:        "record",
	TypeSpec:          "spec",
	TypeRequestResult: "request",
	TypeRequestStatus: "request_status",
	TypeValidate:      "validate_msg",
	TypeLog:           "log",
}

// ParseMessage reads one output line as a Message and checks it the way
// this package defines the protocol: valid JSON, required fields present,
// enums spelled right, and the payload that the type names set while the
// others are absent or null. It is what conformance checks hold a
// connector's output to.
func ParseMessage(line []byte) (Message, error) {
	var m Message
	if err := decodeInput("message", line, &m); err != nil {
		return m, err
	}
	set := map[string]bool{
		"record": m.Record != nil, "schema_msg": m.SchemaMsg != nil, "spec": m.Spec != nil,
		"validate_msg": m.ValidateMsg != nil, "log": m.Log != nil, "request": m.Request != nil,
		"request_status": m.RequestStatus != nil,
	}
	want := payloadOf[m.Type]
	if !set[want] {
		return m, fmt.Errorf("message: a %s message needs its %s field", m.Type, want)
	}
	var extra []string
	for field, ok := range set {
		if ok && field != want {
			extra = append(extra, field)
		}
	}
	if len(extra) > 0 {
		return m, fmt.Errorf("message: a %s message carries %s, which belongs to another type", m.Type, joinSorted(extra))
	}
	if m.Type == TypeRecord && m.Record.RecordType == RecordTypeRecord && len(m.Record.Data) > 0 && strings.TrimSpace(string(m.Record.Data))[0] != '{' {
		return m, fmt.Errorf("message: record.data must be an object")
	}
	return m, nil
}
