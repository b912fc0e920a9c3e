package acme

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// defaultMaxDownload bounds a result file: 10 GiB. The file goes to disk,
// never to memory, so the bound protects the persistence directory's
// disk from a runaway answer. Raise it if one user's export can be larger.
const defaultMaxDownload int64 = 10 << 30

// fileCheck is what the service announced of a result file; zero values
// mean "not announced", and that check is skipped.
type fileCheck struct {
	size   int64  // bytes
	sha256 string // hex
}

// errIdle cancels a download that received nothing for the timeout.
var errIdle = errors.New("no data received")

// download streams the file at u into f (truncating it first) and checks
// it: no larger than maxDownload, as long as Content-Length and the
// announced size say, with the announced SHA-256. It returns the file's
// size.
//
// A download has no overall deadline, which would cut a large file on a
// slow link: the service must start answering within the timeout
// (the transport's ResponseHeaderTimeout), and then never pause longer
// than the timeout. An attempt that breaks off, stalls or gets 429/5xx is
// retried from the start; a file that fails its checks is not, since the
// same file would come again.
func (c *client) download(ctx context.Context, u *url.URL, f *os.File, want fileCheck) (int64, error) {
	what := "GET " + safeURL(u)
	if want.size > c.maxDownload {
		return 0, fmt.Errorf("%s: the service announces %d bytes, more than the %d this connector downloads", what, want.size, c.maxDownload)
	}
	buf := make([]byte, 256<<10)
	var size int64
	err := c.withRetries(ctx, what, func(ctx context.Context) error {
		var err error
		size, err = c.downloadOnce(ctx, u, f, want, buf)
		return err
	})
	return size, err
}

func (c *client) downloadOnce(ctx context.Context, u *url.URL, f *os.File, want fileCheck, buf []byte) (int64, error) {
	what := "GET " + safeURL(u)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	if err := f.Truncate(0); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, transportError(err)
	}
	defer resp.Body.Close()
	if err := c.checkStatus(resp); err != nil {
		return 0, err
	}
	switch cl := resp.ContentLength; {
	case cl > c.maxDownload:
		return 0, fmt.Errorf("%s: Content-Length is %d bytes, more than the %d this connector downloads", what, cl, c.maxDownload)
	case cl >= 0 && want.size > 0 && cl != want.size:
		return 0, fmt.Errorf("%s: Content-Length is %d bytes, but the service announced %d", what, cl, want.size)
	}

	idle := time.AfterFunc(c.timeout, func() { cancel(errIdle) })
	defer idle.Stop()
	body := &progressReader{r: resp.Body, progress: func() { idle.Reset(c.timeout) }}
	var sum hash.Hash
	var dst io.Writer = f
	if want.sha256 != "" {
		sum = sha256.New()
		dst = io.MultiWriter(f, sum)
	}
	// The struct hides f's ReadFrom, so that the copy goes through buf.
	n, err := io.CopyBuffer(struct{ io.Writer }{dst}, io.LimitReader(body, c.maxDownload+1), buf)
	switch {
	case err != nil && errors.Is(context.Cause(ctx), errIdle):
		return n, &retryable{err: fmt.Errorf("%s: no data for %v after %d bytes (timeout_seconds)", what, c.timeout, n)}
	case err != nil && body.readErr:
		return n, &retryable{err: fmt.Errorf("%s: the download broke off after %d of %s bytes: %w", what, n, expected(resp.ContentLength, want.size), err)}
	case err != nil:
		return n, fmt.Errorf("write %s: %w", f.Name(), err)
	case n > c.maxDownload:
		return n, fmt.Errorf("%s: the file is larger than the %d bytes this connector downloads", what, c.maxDownload)
	case resp.ContentLength >= 0 && n != resp.ContentLength:
		return n, &retryable{err: fmt.Errorf("%s: the download broke off after %d of %d bytes", what, n, resp.ContentLength)}
	case want.size > 0 && n != want.size:
		return n, fmt.Errorf("%s: downloaded %d bytes, but the service announced %d", what, n, want.size)
	}
	if sum != nil {
		if got := hex.EncodeToString(sum.Sum(nil)); !strings.EqualFold(got, want.sha256) {
			return n, fmt.Errorf("%s: the file's SHA-256 is %s, but the service announced %s: the file is corrupt", what, got, want.sha256)
		}
	}
	return n, nil
}

// expected names the size a download should have reached, for messages.
func expected(contentLength, announced int64) string {
	switch {
	case contentLength >= 0:
		return fmt.Sprint(contentLength)
	case announced > 0:
		return fmt.Sprint(announced)
	}
	return "an unknown number of"
}

// progressReader calls progress after each read that got data, and
// remembers whether reading (rather than writing) failed.
type progressReader struct {
	r        io.Reader
	progress func()
	readErr  bool
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.progress()
	}
	if err != nil && err != io.EOF {
		p.readErr = true
	}
	return n, err
}
