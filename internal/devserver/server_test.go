package devserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// memoryDir is the generated project of the memory example.
var memoryDir = filepath.Join("..", "..", "testdata", "golden", "memory")

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

// memoryConnector builds the memory example's connector once per test
// binary, as monoid-gen dev builds a project.
func memoryConnector(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "devserver-test-")
		if err != nil {
			buildErr = err
			return
		}
		buildBin = filepath.Join(dir, "connector")
		cmd := exec.Command("go", "build", "-o", buildBin, ".")
		cmd.Dir = memoryDir
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build the memory connector: %v", buildErr)
	}
	return buildBin
}

// newMemoryServer serves the memory connector, with a fresh state file.
func newMemoryServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Options{
		Command:   []string{memoryConnector(t)},
		SpecFile:  filepath.Join(memoryDir, "spec.json"),
		StateFile: filepath.Join(t.TempDir(), "state", "config.json"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

func TestRefusesWithoutToken(t *testing.T) {
	s, ts := newMemoryServer(t)
	for _, tc := range []struct {
		name, path, host string
		header           string
		want             int
	}{
		{"no token", "/", "", "", 403},
		{"no token, API", "/api/form", "", "", 403},
		{"wrong token", "/?token=" + strings.Repeat("0", 64), "", "", 403},
		{"short token", "/?token=" + s.Token()[:10], "", "", 403},
		{"foreign host", "/?token=" + s.Token(), "attacker.example", "", 403},
		{"token", "/?token=" + s.Token(), "", "", 200},
		{"token, localhost", "/api/form?token=" + s.Token(), "localhost:1234", "", 200},
		{"token in header", "/api/form", "", s.Token(), 200},
	} {
		req, _ := http.NewRequest("GET", ts.URL+tc.path, nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		if tc.header != "" {
			req.Header.Set("X-Dev-Token", tc.header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.want)
		}
	}
}

func post(t *testing.T, ts *httptest.Server, s *Server, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/api/run", strings.NewReader(body))
	req.Header.Set("X-Dev-Token", s.Token())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestDeleteNeedsConfirm(t *testing.T) {
	s, ts := newMemoryServer(t)
	const req = `{"command":"delete","config":{"hostname":"h","api_key":"k"},"store":{"name":"users","group":"app","json_schema":{"properties":{"email":{"type":"string"}}}},"identifier":"email","value":"user1@example.com"%s}`
	code, out := post(t, ts, s, strings.Replace(req, "%s", "", 1))
	if code != 400 || !strings.Contains(out["error"].(string), "only when confirmed") {
		t.Errorf("delete without confirm: %d %v", code, out)
	}
	code, out = post(t, ts, s, strings.Replace(req, "%s", `,"confirm":true`, 1))
	if code != 200 || out["code"].(float64) != 0 {
		t.Errorf("delete with confirm: %d %v", code, out)
	}
}

func TestSecretsKeptNotSentBack(t *testing.T) {
	s, ts := newMemoryServer(t)
	code, out := post(t, ts, s, `{"command":"validate","config":{"hostname":"h","api_key":"bad","num_records":3}}`)
	if code != 200 || !strings.Contains(mustJSON(out["messages"]), "FAILURE") {
		t.Fatalf("validate: %d %v", code, out)
	}
	// The key is not sent again: the kept one is used.
	_, out = post(t, ts, s, `{"command":"validate","config":{"hostname":"h","num_records":3},"unchanged":["api_key"]}`)
	if !strings.Contains(mustJSON(out["messages"]), "invalid api key") {
		t.Errorf("the kept key was not used: %v", out)
	}
	fi, err := os.Stat(s.opts.StateFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file: %v, mode %v", err, fi.Mode())
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/form?token="+s.Token(), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var st formState
	json.NewDecoder(res.Body).Decode(&st)
	if _, ok := st.Config["api_key"]; ok || len(st.SecretOK) != 1 || st.Config["hostname"] != "h" {
		t.Errorf("form state = %+v", st)
	}
}

func TestFileOnlyInsideTempStore(t *testing.T) {
	s, ts := newMemoryServer(t)
	inside := filepath.Join(s.persist, "result.csv")
	os.WriteFile(inside, []byte("a,b\n"), 0o600)
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("x"), 0o600)
	os.Symlink(outside, filepath.Join(s.persist, "link"))
	for path, want := range map[string]int{
		inside:                              200,
		outside:                             403,
		filepath.Join(s.persist, "link"):    403,
		filepath.Join(s.persist, "..", "x"): 404,
		s.persist:                           403,
		filepath.Join(s.persist, "missing"): 404,
	} {
		res, err := http.Get(ts.URL + "/api/file?token=" + s.Token() + "&path=" + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: status %d, want %d", path, res.StatusCode, want)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:0": true,
		"0.0.0.0:0": false, ":8080": false, "192.168.1.2:80": false, "example.com:80": false, "127.0.0.1": false,
	} {
		if err := CheckAddr(addr); (err == nil) != ok {
			t.Errorf("CheckAddr(%q) = %v", addr, err)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestHangAndFlood(t *testing.T) {
	for name, tc := range map[string]struct {
		script string
		check  func(Run) bool
	}{
		"hang": {"exec sleep 30", func(r Run) bool { return r.TimedOut && r.Code == -1 }},
		"flood": {`i=0; while [ $i -lt 5000 ]; do echo "not a message $i"; echo '{"type":"LOG","log":{"message":"x"}}'; i=$((i+1)); done`,
			func(r Run) bool { return r.Truncated && len(r.Problems) == maxProblems && len(r.Logs) == maxLogs }},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{
				Command:   []string{"sh", "-c", tc.script, "connector"},
				SpecFile:  filepath.Join(memoryDir, "spec.json"),
				StateFile: filepath.Join(t.TempDir(), "config.json"),
				Timeout:   2 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ts := httptest.NewServer(s.Handler())
			defer ts.Close()
			req, _ := http.NewRequest("POST", ts.URL+"/api/run", strings.NewReader(`{"command":"validate","config":{}}`))
			req.Header.Set("X-Dev-Token", s.Token())
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var r Run
			json.NewDecoder(res.Body).Decode(&r)
			if !tc.check(r) {
				t.Errorf("run: timedOut %v, code %d, truncated %v, %d problems, %d logs", r.TimedOut, r.Code, r.Truncated, len(r.Problems), len(r.Logs))
			}
		})
	}
}
