package shop

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"monoid-shop/internal/protocol"
)

// be returns the big-endian bytes of each integer, sized by its type.
func be(vals ...any) []byte {
	var b []byte
	for _, v := range vals {
		switch v := v.(type) {
		case int16:
			b = binary.BigEndian.AppendUint16(b, uint16(v))
		case uint16:
			b = binary.BigEndian.AppendUint16(b, v)
		case int32:
			b = binary.BigEndian.AppendUint32(b, uint32(v))
		case uint32:
			b = binary.BigEndian.AppendUint32(b, v)
		case int64:
			b = binary.BigEndian.AppendUint64(b, uint64(v))
		case []byte:
			b = append(b, v...)
		default:
			panic("be: unsupported type")
		}
	}
	return b
}

// numeric encodes a binary numeric from its parts.
func numeric(weight int16, sign uint16, dscale int16, digits ...int16) []byte {
	b := be(int16(len(digits)), weight, sign, dscale)
	for _, d := range digits {
		b = be(b, d)
	}
	return b
}

func encode(t *testing.T, vt valueType, b []byte) string {
	t.Helper()
	out, err := appendValue(nil, &vt, b)
	if err != nil {
		t.Fatalf("appendValue(%v, % x): %v", vt.kind, b, err)
	}
	return string(out)
}

func TestAppendNumeric(t *testing.T) {
	num := valueType{kind: kindNumeric}
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"zero", numeric(0, numericPos, 0), "0"},
		{"zero with scale", numeric(0, numericPos, 2), "0.00"},
		{"integer", numeric(0, numericPos, 0, 42), "42"},
		{"ten thousand", numeric(1, numericPos, 0, 1), "10000"},
		{"groups padded", numeric(2, numericPos, 0, 12, 5, 7), "1200050007"},
		{"leading zero group", numeric(1, numericPos, 0, 0, 7), "7"},
		{"fraction", numeric(0, numericPos, 6, 12345, 6789), "12345.678900"},
		{"negative small", numeric(-2, numericNeg, 6, 100), "-0.000001"},
		{"leading fraction zeros", numeric(-1, numericPos, 4, 1), "0.0001"},
		{"scale shorter than last group", numeric(0, numericPos, 1, 3, 1000), "3.1"},
		{"30 digits and 30 decimals", numeric(7, numericPos, 30, 12, 3456, 7890, 1234, 5678, 9012, 3456, 7890, 0, 0, 0, 0, 0, 0, 0, 100),
			"123456789012345678901234567890.000000000000000000000000000001"},
		{"NaN", numeric(0, numericNaN, 0), `"NaN"`},
		{"Infinity", numeric(0, numericPosInf, 0), `"Infinity"`},
		{"-Infinity", numeric(0, numericNegInf, 0), `"-Infinity"`},
	} {
		if got := encode(t, num, c.b); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
	for _, bad := range [][]byte{{}, {0, 1}, numeric(0, numericPos, 0, 1)[:9], numeric(0, 0x1234, 0, 1)} {
		if _, err := appendValue(nil, &num, bad); err == nil {
			t.Errorf("appendValue(% x) succeeded, want an error", bad)
		}
	}
}

// TestAppendNumericRandom checks random numerics against an exact
// rational: the written text must parse to the value the digits encode,
// with exactly dscale decimals.
func TestAppendNumericRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	num := valueType{kind: kindNumeric}
	for range 5000 {
		n := rng.IntN(8)
		digits := make([]int16, n)
		for i := range digits {
			digits[i] = int16(rng.IntN(10000))
		}
		// Postgres trims zero digits at both ends.
		for len(digits) > 0 && digits[0] == 0 {
			digits = digits[1:]
		}
		for len(digits) > 0 && digits[len(digits)-1] == 0 {
			digits = digits[:len(digits)-1]
		}
		weight := int16(rng.IntN(10) - 5)
		if len(digits) == 0 {
			weight = 0 // Postgres's zero
		}
		// dscale covers every fractional digit present, and maybe more.
		minScale := max(0, 4*(len(digits)-1-int(weight)))
		dscale := int16(minScale + rng.IntN(5))
		sign := uint16(numericPos)
		if rng.IntN(2) == 0 && len(digits) > 0 {
			sign = numericNeg
		}
		b := numeric(weight, sign, dscale, digits...)

		want := new(big.Rat)
		for i, d := range digits {
			p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10000), big.NewInt(int64(abs(int(weight)-i))), nil))
			term := new(big.Rat).SetInt64(int64(d))
			if int(weight)-i >= 0 {
				term.Mul(term, p)
			} else {
				term.Quo(term, p)
			}
			want.Add(want, term)
		}
		if sign == numericNeg {
			want.Neg(want)
		}
		got := encode(t, num, b)
		r, ok := new(big.Rat).SetString(got)
		if !ok || r.Cmp(want) != 0 {
			t.Fatalf("digits %v weight %d dscale %d: got %s, want %s", digits, weight, dscale, got, want.FloatString(int(dscale)))
		}
		decimals := 0
		if i := strings.IndexByte(got, '.'); i >= 0 {
			decimals = len(got) - i - 1
		}
		if decimals != int(dscale) {
			t.Fatalf("digits %v weight %d dscale %d: got %s, %d decimals", digits, weight, dscale, got, decimals)
		}
		if !json.Valid([]byte(got)) {
			t.Fatalf("%s is not a JSON number", got)
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestAppendScalars(t *testing.T) {
	f8 := func(f float64) []byte { return be(int64(math.Float64bits(f))) }
	f4 := func(f float32) []byte { return be(int32(math.Float32bits(f))) }
	us := func(d time.Duration) int64 { return d.Microseconds() }
	ts := func(s string) []byte {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return be(tm.Sub(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).Microseconds())
	}
	for _, c := range []struct {
		kind kind
		b    []byte
		want string
	}{
		{kindBool, []byte{1}, "true"},
		{kindBool, []byte{0}, "false"},
		{kindInt2, be(int16(-32768)), "-32768"},
		{kindInt4, be(int32(2147483647)), "2147483647"},
		{kindInt8, be(int64(math.MinInt64)), "-9223372036854775808"},
		{kindFloat8, f8(1.5), "1.5"},
		{kindFloat8, f8(0.1), "0.1"},
		{kindFloat8, f8(math.Copysign(0, -1)), "-0"},
		{kindFloat8, f8(1e21), "1e+21"},
		{kindFloat8, f8(1e-7), "1e-7"},
		{kindFloat8, f8(123456789012345678), "123456789012345680"},
		{kindFloat8, f8(math.NaN()), `"NaN"`},
		{kindFloat8, f8(math.Inf(1)), `"Infinity"`},
		{kindFloat8, f8(math.Inf(-1)), `"-Infinity"`},
		{kindFloat4, f4(0.1), "0.1"},
		{kindFloat4, f4(3.4028235e38), "3.4028235e+38"},
		{kindText, []byte("a \"quoted\"\n\\ line\u2028"), `"a \"quoted\"\n\\ line\u2028"`},
		{kindText, []byte{}, `""`},
		{kindText, []byte{'a', 0xff, 'b'}, `"a\ufffdb"`},
		{kindBytea, []byte{0, 1, 2, 0xfe, 0xff}, `"AAEC/v8="`},
		{kindBytea, []byte{}, `""`},
		{kindUUID, []byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}, `"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"`},
		{kindJSON, []byte("{\"a\": [1,\n 2],\r\n \"b\": \"x\"}"), `{"a": [1,  2],   "b": "x"}`},
		{kindJSONB, append([]byte{1}, `{"a": 1}`...), `{"a": 1}`},
		{kindDate, be(int32(0)), `"2000-01-01"`},
		{kindDate, be(int32(-1)), `"1999-12-31"`},
		{kindDate, be(int32(8766)), `"2024-01-01"`},
		{kindDate, be(int32(math.MaxInt32)), `"infinity"`},
		{kindDate, be(int32(math.MinInt32)), `"-infinity"`},
		{kindTime, be(us(13*time.Hour + 4*time.Minute + 5*time.Second)), `"13:04:05Z"`},
		{kindTime, be(us(time.Second + 120*time.Millisecond)), `"00:00:01.12Z"`},
		{kindTime, be(us(24 * time.Hour)), `"24:00:00Z"`},
		{kindTimeTZ, be(us(9*time.Hour+30*time.Minute+1*time.Microsecond), int32(-2*3600)), `"09:30:00.000001+02:00"`},
		{kindTimeTZ, be(us(9*time.Hour), int32(5*3600+30*60)), `"09:00:00-05:30"`},
		{kindTimeTZ, be(us(9*time.Hour), int32(0)), `"09:00:00Z"`},
		{kindTimeTZ, be(us(9*time.Hour), int32(-(3600 + 30))), `"09:00:00+01:00:30"`},
		{kindTimestampTZ, ts("2024-02-29T23:59:59.123456Z"), `"2024-02-29T23:59:59.123456Z"`},
		{kindTimestampTZ, ts("1999-12-31T23:59:59.5Z"), `"1999-12-31T23:59:59.5Z"`},
		{kindTimestamp, ts("2000-01-01T00:00:00Z"), `"2000-01-01T00:00:00Z"`},
		{kindTimestamp, ts("1969-07-20T20:17:40Z"), `"1969-07-20T20:17:40Z"`},
		{kindTimestamp, be(int64(math.MaxInt64)), `"infinity"`},
		{kindTimestampTZ, be(int64(math.MinInt64)), `"-infinity"`},
	} {
		if got := encode(t, valueType{kind: c.kind}, c.b); got != c.want {
			t.Errorf("kind %d, % x: got %s, want %s", c.kind, c.b, got, c.want)
		}
	}
	if got := encode(t, valueType{kind: kindInt4}, nil); got != "null" {
		t.Errorf("NULL: got %s, want null", got)
	}
	for _, k := range []kind{kindBool, kindInt2, kindInt4, kindInt8, kindFloat4, kindFloat8, kindDate, kindTime, kindTimeTZ, kindTimestamp, kindUUID} {
		if _, err := appendValue(nil, &valueType{kind: k}, []byte{1, 2, 3}); err == nil {
			t.Errorf("kind %d: a 3-byte value was accepted", k)
		}
	}
}

// array encodes a binary array of int4 elements (nil for NULL) with dims.
func array(elemOID uint32, dims []int32, elems ...[]byte) []byte {
	b := be(int32(len(dims)), int32(0), elemOID)
	for _, d := range dims {
		b = be(b, d, int32(1))
	}
	for _, e := range elems {
		if e == nil {
			b = be(b, int32(-1))
			continue
		}
		b = be(b, int32(len(e)), e)
	}
	return b
}

func TestAppendArray(t *testing.T) {
	ints := valueType{kind: kindArray, elem: &valueType{kind: kindInt4}}
	texts := valueType{kind: kindArray, elem: &valueType{kind: kindText}}
	i4 := func(n int32) []byte { return be(n) }
	for _, c := range []struct {
		vt   valueType
		b    []byte
		want string
	}{
		{ints, array(oidInt4, nil), "[]"},
		{ints, array(oidInt4, []int32{3}, i4(1), nil, i4(-3)), "[1,null,-3]"},
		{ints, array(oidInt4, []int32{2, 3}, i4(1), i4(2), i4(3), i4(4), i4(5), i4(6)), "[[1,2,3],[4,5,6]]"},
		{texts, array(oidText, []int32{3}, []byte(`a"b`), []byte{}, nil), `["a\"b","",null]`},
	} {
		if got := encode(t, c.vt, c.b); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	for _, bad := range [][]byte{
		array(oidInt4, []int32{3}, i4(1), i4(2)),          // fewer elements than the dimension says
		append(array(oidInt4, []int32{1}, i4(1)), 0),      // trailing bytes
		array(oidInt4, []int32{1}, []byte{1, 2}),          // an element of the wrong size
		be(int32(1), int32(0), uint32(oidInt4), int32(1)), // truncated header
	} {
		if _, err := appendValue(nil, &ints, bad); err == nil {
			t.Errorf("% x was accepted", bad)
		}
	}
}

func TestResolveType(t *testing.T) {
	const (
		oidMood      = 90001
		oidMoodArray = 90002
		oidPosInt    = 90003
		oidPosPos    = 90004
		oidCitext    = 90005
		oidInet      = 869
		oidInetArray = 1041
		oidIntervalA = 1187
		oidInt4Array = 1007
	)
	types := map[uint32]pgType{
		oidMood:      {name: "mood", typtype: 'e', category: 'E', labels: []string{"sad", "ok", "happy"}},
		oidMoodArray: {name: "_mood", typtype: 'b', category: 'A', elem: oidMood},
		oidPosInt:    {name: "posint", typtype: 'd', category: 'N', base: oidInt4},
		oidPosPos:    {name: "pospos", typtype: 'd', category: 'N', base: oidPosInt},
		oidCitext:    {name: "citext", typtype: 'b', category: 'S', send: "citextsend"},
		oidInet:      {name: "inet", typtype: 'b', category: 'I', send: "inet_send"},
		oidInetArray: {name: "_inet", typtype: 'b', category: 'A', elem: oidInet},
		oidIntervalA: {name: "_interval", typtype: 'b', category: 'A', elem: oidInterval},
		oidInt4Array: {name: "_int4", typtype: 'b', category: 'A', elem: oidInt4},
	}
	for _, c := range []struct {
		oid    uint32
		schema string
		cast   string
		sent   uint32
	}{
		{oidInt2, `{"type":"integer"}`, "", oidInt2},
		{oidInt8, `{"type":"integer"}`, "", oidInt8},
		{oidNumeric, `{"type":"number"}`, "", oidNumeric},
		{oidFloat4, `{"type":"number"}`, "", oidFloat4},
		{oidVarchar, `{"type":"string"}`, "", oidVarchar},
		{oidBPChar, `{"type":"string"}`, "", oidBPChar},
		{oidBool, `{"type":"boolean"}`, "", oidBool},
		{oidDate, `{"type":"string","format":"date"}`, "", oidDate},
		{oidTime, `{"type":"string","format":"time"}`, "", oidTime},
		{oidTimeTZ, `{"type":"string","format":"time"}`, "", oidTimeTZ},
		{oidTimestamp, `{"type":"string","format":"date-time"}`, "", oidTimestamp},
		{oidTimestampTZ, `{"type":"string","format":"date-time"}`, "", oidTimestampTZ},
		{oidInterval, `{"type":"string","format":"duration"}`, "::text", oidText},
		{oidJSON, `{}`, "", oidJSON},
		{oidJSONB, `{}`, "", oidJSONB},
		{oidBytea, `{"type":"string","contentEncoding":"base64"}`, "", oidBytea},
		{oidUUID, `{"type":"string","format":"uuid"}`, "", oidUUID},
		{oidMood, `{"type":"string","enum":["sad","ok","happy"]}`, "", oidMood},
		{oidMoodArray, `{"type":"array","items":{"type":"string","enum":["sad","ok","happy"]}}`, "", oidMoodArray},
		{oidPosInt, `{"type":"integer"}`, "", oidInt4},
		{oidPosPos, `{"type":"integer"}`, "", oidInt4},
		{oidCitext, `{"type":"string"}`, "", oidCitext},
		{oidInet, `{"type":"string"}`, "::text", oidText},
		{oidInetArray, `{"type":"array","items":{"type":"string"}}`, "::text[]", oidTextArray},
		{oidIntervalA, `{"type":"array","items":{"type":"string","format":"duration"}}`, "::text[]", oidTextArray},
		{oidInt4Array, `{"type":"array","items":{"type":"integer"}}`, "", oidInt4Array},
		{123456789, `{"type":"string"}`, "::text", oidText}, // a type the catalog did not describe
	} {
		vt, cast, sent := resolveType(types, c.oid)
		if got := string(vt.appendSchema(nil)); got != c.schema || cast != c.cast || sent != c.sent {
			t.Errorf("type %d: got %s %q %d, want %s %q %d", c.oid, got, cast, sent, c.schema, c.cast, c.sent)
		}
	}
}

func TestJSONSchemaOf(t *testing.T) {
	cols := []*column{
		{name: "id", typ: &valueType{kind: kindInt8, jsonType: "integer"}},
		{name: `we"ird`, typ: &valueType{kind: kindJSON}},
	}
	got := string(jsonSchemaOf(cols))
	want := `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"id":{"type":"integer"},"we\"ird":{}}}`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestRecordAllocations checks that writing a row allocates nothing once
// the buffer has grown: the speed of a large query depends on it.
func TestRecordAllocations(t *testing.T) {
	cols := []*column{
		{name: "id", typ: &valueType{kind: kindInt8}},
		{name: "email", typ: &valueType{kind: kindText}},
		{name: "balance", typ: &valueType{kind: kindNumeric}},
		{name: "at", typ: &valueType{kind: kindTimestampTZ}},
		{name: "photo", typ: &valueType{kind: kindBytea}},
	}
	for _, c := range cols {
		c.key = append([]byte(`"`+c.name+`"`), ':')
	}
	r := &record{cols: cols, vals: [][]byte{
		be(int64(42)), []byte(strings.Repeat("long text value ", 10)),
		numeric(1, numericPos, 2, 12, 3456, 7800), be(int64(770000000000000)), make([]byte, 100),
	}}
	buf := make([]byte, 0, 4096)
	n := testing.AllocsPerRun(1000, func() {
		var err error
		if buf, err = r.AppendJSON(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("%v allocations per record, want 0", n)
	}
	if !json.Valid(buf) {
		t.Errorf("invalid JSON: %s", buf)
	}
}

// TestTimestampsAgainstTime checks the hand-written date and timestamp
// formatting against the time package's, from 4713 BC (Postgres's first
// day) to year 294276 (its last), densely around the years people live in.
func TestTimestampsAgainstTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	check := func(us int64) {
		got := encode(t, valueType{kind: kindTimestampTZ}, be(us))
		sec, frac := us/1e6, us%1e6
		if frac < 0 {
			sec, frac = sec-1, frac+1e6
		}
		want := `"` + time.Unix(epoch.Unix()+sec, frac*1000).UTC().Format("2006-01-02T15:04:05.999999Z07:00") + `"`
		if got != want {
			t.Fatalf("%d µs: got %s, want %s", us, got, want)
		}
		days := int32(sec / 86400)
		if sec%86400 < 0 {
			days--
		}
		got = encode(t, valueType{kind: kindDate}, be(days))
		if want := `"` + epoch.AddDate(0, 0, int(days)).Format(time.DateOnly) + `"`; got != want {
			t.Fatalf("%d days: got %s, want %s", days, got, want)
		}
	}
	const usPerYear = 365.2425 * 86400 * 1e6
	for range 20000 {
		check(int64((rng.Float64() - 0.5) * 200 * usPerYear)) // 1900 to 2100
	}
	for range 20000 {
		check(int64((rng.Float64()*(294276+4713) - 4713 - 2000) * usPerYear))
	}
	for _, us := range []int64{0, -1, 1, 86400e6 - 1, -86400e6, 951782400e6 /* 2030-02-29 */} {
		check(us)
	}
}

// BenchmarkRecord encodes the speed workload's row (bigint, three texts,
// numeric, timestamptz): the connector's own cost per row, with no server.
func BenchmarkRecord(b *testing.B) {
	cols := []*column{
		{name: "id", typ: &valueType{kind: kindInt8}},
		{name: "email", typ: &valueType{kind: kindText}},
		{name: "name", typ: &valueType{kind: kindText}},
		{name: "address", typ: &valueType{kind: kindText}},
		{name: "balance", typ: &valueType{kind: kindNumeric}},
		{name: "created_at", typ: &valueType{kind: kindTimestampTZ}},
	}
	for _, c := range cols {
		c.key = append([]byte(`"`+c.name+`"`), ':')
	}
	r := &record{cols: cols, vals: [][]byte{
		be(int64(123456)), []byte("million@example.com"), []byte("Person 123456"), []byte("123456 Main Street, Springfield, IL 62704"),
		numeric(0, numericPos, 2, 1234, 5700), be(int64(631152000000000 + 185184000000)),
	}}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = r.AppendJSON(buf[:0])
	}
	b.SetBytes(int64(len(buf)))
}

// TestStatusNeedsNoDatabase checks that the store a request-status handle
// names is found without a connection: the config reaches no server.
func TestStatusNeedsNoDatabase(t *testing.T) {
	conf := Config{Hostname: "127.0.0.1", Port: 1, Database: "nowhere", Username: "u"}
	st, err := new(Silo).Store(context.Background(), conf, "app/public", "users")
	if err != nil {
		t.Fatal(err)
	}
	status, err := st.Status(context.Background(), protocol.PersistenceConfig{}, protocol.RequestHandle{RequestType: protocol.RequestQuery})
	if err != nil || status.RequestStatus != protocol.StateComplete {
		t.Errorf("status %+v, error %v; want COMPLETE with no database", status, err)
	}
}
