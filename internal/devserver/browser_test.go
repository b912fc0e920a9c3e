package devserver

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive the page in headless Chromium, as the author
// would: they fill the form, read the config JSON it shows and run the
// connector's commands. They skip where Chromium is not installed.

type CSS = chromedp.CSS

// browser returns a tab of a fresh headless Chromium, or skips the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("SKIP: chromium is not installed (apt-get install chromium chromium-driver): the page is not tested in a browser")
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// artifacts is where screenshots go: $MONOID_DEV_ARTIFACTS, or a
// temporary directory.
func artifacts(t *testing.T) string {
	if d := os.Getenv("MONOID_DEV_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("browser: %s: %v", js, err)
	}
	return v
}

// shownConfig is the config JSON the page shows.
func shownConfig(t *testing.T, ctx context.Context) map[string]any {
	t.Helper()
	text := eval[string](t, ctx, `document.getElementById("config-json").textContent`)
	var c map[string]any
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		t.Fatalf("the config JSON shown: %v\n%s", err, text)
	}
	return c
}

func wantConfig(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if got := shownConfig(t, ctx); !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("config JSON shown:\n%s\nwant:\n%s", g, want)
	}
}

// labels are the form's labels and group legends, in page order.
func labels(t *testing.T, ctx context.Context) []string {
	return eval[[]string](t, ctx, `[...document.querySelectorAll("#form label, #form legend")].map(e => e.textContent)`)
}

func serve(t *testing.T, o Options) (*Server, string) {
	t.Helper()
	if o.StateFile == "" {
		o.StateFile = filepath.Join(t.TempDir(), "config.json")
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts.URL + "/?token=" + s.Token()
}

func TestBrowserPostgresForm(t *testing.T) {
	ctx := browser(t)
	_, url := serve(t, Options{Command: []string{"false"}, SpecFile: filepath.Join("..", "..", "testdata", "monoid", "specs", "postgres.spec.json")})
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(CSS("#f-exclude_dbs")))

	want := []string{"Hostname", "Port", "Default Database", "Username", "Password", "Scan All DBs", "Connect using SSL", "Exclude DBs"}
	if got := labels(t, ctx); !reflect.DeepEqual(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
	wantConfig(t, ctx, `{"hostname":"","port":5432,"database":"postgres","username":"","password":"","scan_all":true,"ssl":false,"exclude_dbs":[]}`)

	do(t, ctx,
		chromedp.SendKeys(CSS("#f-hostname"), "db.internal"),
		chromedp.Clear(CSS("#f-port")), chromedp.SendKeys(CSS("#f-port"), "6543"),
		chromedp.SendKeys(CSS("#f-username"), "monoid"),
		chromedp.SendKeys(CSS("#f-password"), "s3cret"),
		chromedp.Click(CSS("#f-scan_all")),
		chromedp.Click(CSS("#f-ssl")),
		chromedp.SendKeys(CSS("#f-exclude_dbs"), "template0\r"),
		chromedp.SendKeys(CSS("#f-exclude_dbs"), "template1"),
		chromedp.Click(CSS("#add-exclude_dbs")),
	)
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(artifacts(t), "postgres-form.png"), shot, 0o644)
	wantConfig(t, ctx, `{"hostname":"db.internal","port":6543,"database":"postgres","username":"monoid","password":"********","scan_all":false,"ssl":true,"exclude_dbs":["template0","template1"]}`)
	if typ := eval[string](t, ctx, `document.getElementById("f-password").type`); typ != "password" {
		t.Errorf("the secret's input is of type %q, want password", typ)
	}
	ws := eval[string](t, ctx, `document.getElementById("warnings").textContent`)
	if !strings.Contains(ws, "field hostname: it is required") {
		t.Errorf("warnings shown: %q", ws)
	}
}

func TestBrowserEveryKind(t *testing.T) {
	ctx := browser(t)
	_, url := serve(t, Options{Command: []string{"false"}, SpecFile: filepath.Join("testdata", "kinds.spec.json")})
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(CSS("#f-verbose")))

	// A group first (order 0), its fields in its own order; the array of
	// integers is drawn as nothing; the field without order comes last.
	want := []string{"SSH Tunnel", "SSH Key", "SSH Port", "Name", "Ratio", "Region", "Tags", "Verbose", "Extra"}
	if got := labels(t, ctx); !reflect.DeepEqual(got, want) {
		t.Errorf("labels = %q, want %q", got, want)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#f-ids").length`); n != 0 {
		t.Errorf("the array of integers is drawn")
	}
	if tag := eval[string](t, ctx, `document.getElementById("f-region").tagName + "/" + document.getElementById("f-region").type`); tag != "INPUT/text" {
		t.Errorf("the enum is drawn as %s, want a text box", tag)
	}
	if n := eval[string](t, ctx, `document.getElementById("f-ssh").tagName`); n != "FIELDSET" {
		t.Errorf("the group is drawn as %s, want a fieldset", n)
	}
	wantConfig(t, ctx, `{"ssh":{"key":"","port":22},"name":"","ratio":0,"region":"eu","tags":[],"verbose":false,"extra":""}`)

	do(t, ctx,
		chromedp.SendKeys(CSS("#f-ssh\\.key"), "k"),
		chromedp.Clear(CSS("#f-ssh\\.port")), chromedp.SendKeys(CSS("#f-ssh\\.port"), "2222"),
		chromedp.SendKeys(CSS("#f-name"), "acme"),
		chromedp.SendKeys(CSS("#f-ratio"), "0.25"),
		chromedp.Clear(CSS("#f-region")), chromedp.SendKeys(CSS("#f-region"), "mars"),
		chromedp.SendKeys(CSS("#f-tags"), "a\r"),
		chromedp.Click(CSS("#f-verbose")),
	)
	wantConfig(t, ctx, `{"ssh":{"key":"********","port":2222},"name":"acme","ratio":0.25,"region":"mars","tags":["a"],"verbose":true,"extra":""}`)
	ws := eval[string](t, ctx, `document.getElementById("warnings").textContent`)
	for _, w := range []string{"field region: its enum", "field ids: the form cannot draw", "field name: it is required"} {
		if !strings.Contains(ws, w) {
			t.Errorf("warnings shown lack %q: %q", w, ws)
		}
	}
}

// runAndWait empties the output box out, clicks button and waits for
// sel to appear in out.
func runAndWait(t *testing.T, ctx context.Context, button, out, sel string) string {
	t.Helper()
	eval[bool](t, ctx, `document.getElementById("`+out+`").replaceChildren() || true`)
	do(t, ctx, chromedp.Click(CSS(button)), chromedp.WaitVisible(CSS("#"+out+" "+sel)))
	return eval[string](t, ctx, `document.getElementById("`+out+`").innerText`)
}

func TestBrowserMemoryConnector(t *testing.T) {
	ctx := browser(t)
	dir := artifacts(t)
	s, url := serve(t, Options{Command: []string{memoryConnector(t)}, SpecFile: filepath.Join(memoryDir, "spec.json")})
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(CSS("#f-hostname")))

	// The form, filled.
	do(t, ctx,
		chromedp.SendKeys(CSS("#f-hostname"), "localhost"),
		chromedp.SendKeys(CSS("#f-api_key"), "bad"),
		chromedp.Clear(CSS("#f-num_records")), chromedp.SendKeys(CSS("#f-num_records"), "3"),
	)
	wantConfig(t, ctx, `{"hostname":"localhost","api_key":"********","num_records":3}`)
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "form.png"), shot, 0o644)

	// A bad config is rejected, and the run shows its command line.
	out := runAndWait(t, ctx, "#run-validate", "out-validate", "#validate-result")
	if !strings.Contains(out, "FAILURE: invalid api key") || !strings.Contains(out, "validate --config ") || !strings.Contains(out, "exit status 0") {
		t.Errorf("validate with a bad key shows:\n%s", out)
	}

	// Reloaded, the page shows the kept config, the key as "set" only.
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(CSS("#edit-api_key")))
	wantConfig(t, ctx, `{"hostname":"localhost","api_key":"********","num_records":3}`)
	out = runAndWait(t, ctx, "#run-validate", "out-validate", "#validate-result")
	if !strings.Contains(out, "FAILURE: invalid api key") {
		t.Errorf("validate with the kept bad key shows:\n%s", out)
	}
	// Edited, the good key is accepted.
	do(t, ctx, chromedp.Click(CSS("#edit-api_key")), chromedp.SendKeys(CSS("#f-api_key"), "good-key"))
	out = runAndWait(t, ctx, "#run-validate", "out-validate", "#validate-result")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("validate with a good key shows:\n%s", out)
	}
	kept, err := os.ReadFile(s.opts.StateFile)
	if err != nil || !strings.Contains(string(kept), `"good-key"`) {
		t.Errorf("the kept config lacks the key: %v", err)
	}
	formJSON := eval[string](t, ctx, `fetch("api/form", {headers: {"X-Dev-Token": document.body.dataset.token}}).then(r => r.text())`, chromedp.EvalAwaitPromise)
	if strings.Contains(formJSON, "good-key") {
		t.Errorf("the secret was sent back to the page")
	}

	// schema: each store with its fields.
	out = runAndWait(t, ctx, "#run-schema", "out-schema", "table.schema")
	for _, w := range []string{"app/users", "app/orders", "email\tstring", "id\tinteger"} {
		if !strings.Contains(out, w) {
			t.Errorf("schema shows no %q:\n%s", w, out)
		}
	}

	// scan: records per store.
	out = runAndWait(t, ctx, "#run-scan", "out-scan", "table.records")
	for _, w := range []string{"app/users (3 records)", "app/orders (3 records)", "user1@example.com", "scan --config "} {
		if !strings.Contains(out, w) {
			t.Errorf("scan shows no %q:\n%s", w, out)
		}
	}
	shot, err = chromedp.Run(ctx, chromedp.Screenshot(CSS("#out-scan")))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "scan.png"), shot, 0o644)

	// query, then its status and results.
	do(t, ctx, chromedp.SetValue(CSS("#identifier"), "email"), chromedp.SendKeys(CSS("#value"), "user1@example.com"))
	out = runAndWait(t, ctx, "#run-query", "out-query", ".done")
	for _, w := range []string{"query --config ", "request-status --config ", "request-results --config ", "query done: app/users COMPLETE", "user1@example.com"} {
		if !strings.Contains(out, w) {
			t.Errorf("query shows no %q:\n%s", w, out)
		}
	}

	// delete asks first; cancelled, nothing runs.
	do(t, ctx, chromedp.Click(CSS("#run-delete")), chromedp.WaitVisible(CSS("#confirm")))
	if txt := eval[string](t, ctx, `document.getElementById("confirm-text").textContent`); !strings.Contains(txt, "app/users") {
		t.Errorf("the confirmation says %q", txt)
	}
	do(t, ctx, chromedp.Click(CSS("#cancel-delete")), chromedp.WaitNotVisible(CSS("#confirm")))
	if txt := eval[string](t, ctx, `document.getElementById("out-delete").textContent`); txt != "" {
		t.Errorf("delete ran without confirmation: %s", txt)
	}
	do(t, ctx, chromedp.Click(CSS("#run-delete")), chromedp.WaitVisible(CSS("#confirm")))
	out = runAndWait(t, ctx, "#confirm-delete", "out-delete", ".done")
	if !strings.Contains(out, "delete --config ") || !strings.Contains(out, "delete done: app/users COMPLETE") {
		t.Errorf("delete shows:\n%s", out)
	}
	t.Logf("screenshots in %s", dir)
}

// TestBrowserAsyncFile follows an asynchronous request: the form drawn
// from the connector's spec command, request-status polled until the job
// completes, and the FILE result downloadable from the page.
func TestBrowserAsyncFile(t *testing.T) {
	ctx := browser(t)
	script, err := filepath.Abs(filepath.Join("testdata", "async.sh"))
	if err != nil {
		t.Fatal(err)
	}
	_, url := serve(t, Options{Command: []string{"sh", script}})
	do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(CSS("#f-token")))
	if got := labels(t, ctx); !reflect.DeepEqual(got, []string{"Project Token"}) {
		t.Errorf("labels = %q", got)
	}
	do(t, ctx, chromedp.SendKeys(CSS("#f-token"), "t0k"))
	runAndWait(t, ctx, "#run-schema", "out-schema", "table.schema")
	do(t, ctx, chromedp.SendKeys(CSS("#value"), "u-1"))
	out := runAndWait(t, ctx, "#run-query", "out-query", ".done")
	for _, w := range []string{"LOG export job j1 started", "PROGRESS", "query done: mixpanel/events COMPLETE", "stdout line 1: ", "mixpanel/events: file "} {
		if !strings.Contains(out, w) {
			t.Errorf("query shows no %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, "request-status --config "); n != 2 {
		t.Errorf("request-status ran %d times, want 2 (in progress, then complete):\n%s", n, out)
	}
	body := eval[string](t, ctx, `fetch(document.querySelector("#out-query a[download]").href).then(r => r.text())`, chromedp.EvalAwaitPromise)
	if body != "distinct_id,event\n" {
		t.Errorf("the file downloaded holds %q", body)
	}
}
