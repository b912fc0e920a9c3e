package conformance

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
)

// scannerRead is what the platform reads of merged: it passes the bytes
// through a TTY, which turns each "\n" into "\r\n", and scans them with a
// default bufio.Scanner. It returns how many lines were read and whether
// the scanner stopped on a line too long.
func scannerRead(merged []byte) (lines int, tooLong bool) {
	tty := bytes.ReplaceAll(merged, []byte("\n"), []byte("\r\n"))
	sc := bufio.NewScanner(bytes.NewReader(tty))
	for sc.Scan() {
		lines++
	}
	return lines, errors.Is(sc.Err(), bufio.ErrTooLong)
}

// emulatedRead feeds merged to a platformRead in chunks of size chunk.
func emulatedRead(merged []byte, chunk int) *platformRead {
	var p platformRead
	for len(merged) > 0 {
		n := min(chunk, len(merged))
		p.write(0, merged[:n])
		merged = merged[n:]
	}
	p.close()
	return &p
}

// TestPlatformReadAtTheLimit checks the emulation against a real
// bufio.Scanner on lines around its limit, terminated or not.
func TestPlatformReadAtTheLimit(t *testing.T) {
	for _, n := range []int{0, 1, 65533, 65534, 65535, 65536, 65537, 70000} {
		for _, tail := range []string{"\n", "", "\r\n", "\nnext\n"} {
			merged := []byte("first\n" + strings.Repeat("a", n) + tail)
			wantLines, wantStop := scannerRead(merged)
			p := emulatedRead(merged, 4096)
			if p.stopped != wantStop || p.read != wantLines {
				t.Errorf("line of %d bytes followed by %q: emulation reads %d lines, stopped %v; bufio.Scanner %d, %v", n, tail, p.read, p.stopped, wantLines, wantStop)
			}
			if p.stopped && (p.stop.merged != 2 || p.stop.size != n+strings.Count(tail[:strings.IndexByte(tail+"\n", '\n')], "\r")) {
				t.Errorf("line of %d bytes followed by %q: stopped at %+v", n, tail, p.stop)
			}
		}
	}
}

// TestPlatformReadNamesTheStream checks that the line that stops the
// platform is named in its own stream and in the merged one.
func TestPlatformReadNamesTheStream(t *testing.T) {
	var p platformRead
	p.write(0, []byte("out 1\n"))
	p.write(1, []byte("err 1\nerr 2\n"))
	p.write(0, []byte("out 2\n"+strings.Repeat("x", 70000)+"\nlost 1\n"))
	p.write(1, []byte("lost 2\nlost 3"))
	p.close()
	want := platformStop{merged: 5, stream: 0, line: 3, size: 70000}
	if !p.stopped || p.stop != want || p.lost != 3 {
		t.Errorf("stopped %v at %+v, %d lines lost; want %+v, 3 lost", p.stopped, p.stop, p.lost, want)
	}
}

// FuzzPlatformRead checks the emulation against a real bufio.Scanner on
// lines of any length, cut into chunks of any size. Each three bytes of
// the input make one line: its length (up to 66039 bytes, so that lines
// near the 64 KiB limit are frequent) and whether it ends in "\n",
// "\r\n" or nothing.
func FuzzPlatformRead(f *testing.F) {
	f.Add([]byte{0xff, 0xfe, 0}, uint16(4096))
	f.Add([]byte{0xff, 0xff, 1, 0x10, 0, 0}, uint16(1))
	f.Add([]byte{0x1, 0x0, 2, 0xff, 0xfd, 0}, uint16(65535))
	f.Fuzz(func(t *testing.T, spec []byte, chunk uint16) {
		var merged []byte
		for i := 0; i+2 < len(spec) && len(merged) < 1<<20; i += 3 {
			n := (int(spec[i])<<8 | int(spec[i+1])) + int(spec[i+2]>>2)*8
			merged = append(merged, bytes.Repeat([]byte("a"), n)...)
			switch spec[i+2] % 3 {
			case 0:
				merged = append(merged, '\n')
			case 1:
				merged = append(merged, '\r', '\n')
			}
		}
		wantLines, wantStop := scannerRead(merged)
		p := emulatedRead(merged, max(int(chunk), 1))
		if p.stopped != wantStop || p.read != wantLines {
			t.Fatalf("emulation reads %d lines, stopped %v; bufio.Scanner %d, %v", p.read, p.stopped, wantLines, wantStop)
		}
	})
}
