package protocol

import (
	"fmt"
	"strings"
)

// payloads names, for each message type, the one payload field it carries
// and how to tell that field is set. It is the list of message types too,
// in monoid_protocol.json's order.
var payloads = []struct {
	typ   MessageType
	field string
	set   func(*Message) bool
}{
	{TypeSchema, "schema_msg", func(m *Message) bool { return m.SchemaMsg != nil }},
	{TypeRecord, "record", func(m *Message) bool { return m.Record != nil }},
	{TypeSpec, "spec", func(m *Message) bool { return m.Spec != nil }},
	{TypeRequestResult, "request", func(m *Message) bool { return m.Request != nil }},
	{TypeRequestStatus, "request_status", func(m *Message) bool { return m.RequestStatus != nil }},
	{TypeValidate, "validate_msg", func(m *Message) bool { return m.ValidateMsg != nil }},
	{TypeLog, "log", func(m *Message) bool { return m.Log != nil }},
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
	// The decoder has checked that the type is one of the payloads'.
	var extra []string
	for _, p := range payloads {
		switch {
		case p.typ == m.Type && !p.set(&m):
			return m, fmt.Errorf("message: a %s message needs its %s field", m.Type, p.field)
		case p.typ != m.Type && p.set(&m):
			extra = append(extra, p.field)
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
