package conformance

import (
	"bufio"
	"bytes"
	"fmt"
)

// platformLimit is the size of the buffer the platform reads a
// connector's output with: a bufio.Scanner's default, which holds one line
// of at most this many bytes, its "\n" included.
const platformLimit = bufio.MaxScanTokenSize

// platformRead follows a command's output as the platform reads it. The
// platform starts the connector with a TTY, which merges stdout and
// stderr into one stream and turns each "\n" into "\r\n", and reads that
// stream line by line with a default bufio.Scanner: the first line that
// does not fit its 64 KiB buffer ends the reading without a word, and
// every later message is lost. A line therefore reaches the platform when
// it holds at most platformLimit-2 bytes before its "\n" (the TTY's "\r"
// and the "\n" take the last two), or platformLimit-1 when it is the
// last and unterminated.
//
// check reads stdout and stderr through pipes of their own and merges
// them in the order their writes arrive, which is the TTY's order as far
// as the connector writes whole lines.
type platformRead struct {
	read    int          // lines the platform read
	stopped bool         // a line did not fit: the platform read nothing from it on
	stop    platformStop // that line
	lost    int          // lines after it, which the platform never saw

	cur    int    // bytes of the current line so far, as the connector wrote them
	inStop bool   // the current line is the one that stopped the platform
	lines  [2]int // complete lines of stdout and stderr so far
}

// platformStop is the line that stopped the platform's reader.
type platformStop struct {
	merged int // its number in the merged stream, from 1
	stream int // 0 for stdout, 1 for stderr: the stream that wrote past the limit
	line   int // its number in that stream, from 1
	size   int // its bytes, without "\n"
}

// write follows bytes p, written on stream (0 stdout, 1 stderr).
func (p *platformRead) write(stream int, b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.extend(stream, len(b))
			return
		}
		p.extend(stream, i)
		p.endLine(stream)
		b = b[i+1:]
	}
}

// extend adds n bytes to the current line: once it fills the buffer
// without a "\n", the reader stops.
func (p *platformRead) extend(stream, n int) {
	p.cur += n
	if !p.stopped && p.cur >= platformLimit {
		p.stopAt(stream)
	}
}

// endLine ends the current line at a "\n", which the TTY writes as
// "\r\n".
func (p *platformRead) endLine(stream int) {
	switch {
	case p.inStop:
		p.stop.size, p.inStop = p.cur, false
	case p.stopped:
		p.lost++
	case p.cur+1 >= platformLimit: // with the TTY's "\r", the "\n" falls outside the buffer
		p.stopAt(stream)
		p.stop.size, p.inStop = p.cur, false
	default:
		p.read++
	}
	p.lines[stream]++
	p.cur = 0
}

// close ends the output: an unterminated last line is read as it is.
func (p *platformRead) close() {
	if p.cur == 0 {
		return
	}
	switch {
	case p.inStop:
		p.stop.size, p.inStop = p.cur, false
	case p.stopped:
		p.lost++
	default:
		p.read++
	}
	p.cur = 0
}

func (p *platformRead) stopAt(stream int) {
	p.stopped, p.inStop = true, true
	p.stop = platformStop{merged: p.read + 1, stream: stream, line: p.lines[stream] + 1}
}

// problem says which line stops the platform's reader and what is lost,
// or "" when the platform reads every line.
func (p *platformRead) problem() string {
	if !p.stopped {
		return ""
	}
	stream := [2]string{"stdout", "stderr"}[p.stop.stream]
	return fmt.Sprintf("%s line %d is %d bytes (line %d of stdout and stderr as the platform's TTY merges them): "+
		"the platform reads lines of at most %d bytes (a bufio.Scanner's %d KiB buffer, the TTY's \"\\r\\n\" included) "+
		"and stops at this one without a word, so it and the %d lines after it never reach the platform; keep each message under that size",
		stream, p.stop.line, p.stop.size, p.stop.merged, platformLimit-2, platformLimit>>10, p.lost)
}
