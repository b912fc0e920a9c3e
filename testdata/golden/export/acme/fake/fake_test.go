package fake

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestContent: every format, at every row count, is exactly as long as
// announced, parses, and holds the rows it says.
func TestContent(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON, JSON} {
		for _, rows := range []int64{0, 1, 3, 5000} {
			for _, user := range []string{"ada@example.com", `a "quoted", user`} {
				t.Run(fmt.Sprintf("%s/%d/%s", f, rows, user), func(t *testing.T) {
					c := newContent(f, user, rows)
					var b bytes.Buffer
					n, err := c.WriteTo(&b)
					if err != nil || n != c.size() || int64(b.Len()) != c.size() {
						t.Fatalf("wrote %d bytes (%v), size says %d", n, err, c.size())
					}
					var users []string
					switch f {
					case CSV:
						recs, err := csv.NewReader(&b).ReadAll()
						if err != nil {
							t.Fatal(err)
						}
						for _, r := range recs[1:] {
							users = append(users, r[1])
						}
					case NDJSON, JSON:
						var all []map[string]string
						if f == JSON {
							err = json.Unmarshal(b.Bytes(), &all)
						} else {
							dec := json.NewDecoder(&b)
							for err == nil {
								var m map[string]string
								if err = dec.Decode(&m); err == nil {
									all = append(all, m)
								}
							}
							if err == io.EOF {
								err = nil
							}
						}
						if err != nil {
							t.Fatal(err)
						}
						for i, m := range all {
							if want := fmt.Sprintf("evt_%010d", i+1); m["id"] != want {
								t.Fatalf("row %d has id %s, want %s", i, m["id"], want)
							}
							users = append(users, m["user"])
						}
					}
					if int64(len(users)) != rows {
						t.Fatalf("%d rows, want %d", len(users), rows)
					}
					for _, u := range users {
						if u != user {
							t.Fatalf("a row has user %q", u)
						}
					}
				})
			}
		}
	}
}

func TestWriteN(t *testing.T) {
	c := newContent(CSV, "u", 10000)
	var b bytes.Buffer
	n, err := c.writeN(&b, c.size()/2)
	if err != nil || n != c.size()/2 || int64(b.Len()) != n {
		t.Errorf("writeN wrote %d bytes (%v), want %d", n, err, c.size()/2)
	}
}

func TestRowsFor(t *testing.T) {
	const size = 1 << 20
	c := newContent(NDJSON, "u", rowsFor(NDJSON, "u", size))
	if c.size() > size || c.size() < size-int64(len(c.row)) {
		t.Errorf("rowsFor gave %d bytes for %d", c.size(), size)
	}
}

// TestServer: a job through the API by hand, as the connector's tests do
// it through the connector.
func TestServer(t *testing.T) {
	s := NewServer(Options{Polls: 2})
	defer s.Close()
	do := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	code, v := do("POST", "/v1/exports", `{"identifier":"email","value":"ada@example.com"}`)
	if code != http.StatusAccepted || v["state"] != "queued" {
		t.Fatalf("POST: %d %v", code, v)
	}
	id := v["id"].(string)
	if _, v = do("GET", "/v1/exports/"+id, ""); v["state"] != "running" {
		t.Fatalf("first read: %v", v)
	}
	if _, v = do("GET", "/v1/exports/"+id, ""); v["state"] != "done" || v["file"] == nil {
		t.Fatalf("second read: %v", v)
	}
	if code, _ := do("GET", "/v1/exports/nope", ""); code != http.StatusNotFound {
		t.Errorf("unknown job: %d", code)
	}
	if code, _ := do("POST", "/v1/deletions", `{}`); code != http.StatusBadRequest {
		t.Errorf("empty body: %d", code)
	}
	resp, err := http.Get(s.URL + "/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d", resp.StatusCode)
	}
}
