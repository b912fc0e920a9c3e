package configspec

import "strings"

// initialisms are words written in capitals in titles, as Go writes them in
// names.
var initialisms = map[string]string{
	"api": "API", "aws": "AWS", "ca": "CA", "db": "DB", "dbs": "DBs", "dns": "DNS", "gcp": "GCP",
	"http": "HTTP", "https": "HTTPS", "id": "ID", "ids": "IDs", "ip": "IP", "json": "JSON",
	"jwt": "JWT", "oauth": "OAuth", "sql": "SQL", "ssh": "SSH", "ssl": "SSL", "tls": "TLS",
	"uri": "URI", "url": "URL", "uuid": "UUID",
}

// Title derives a form label from a JSON property name: words split at
// underscores, hyphens and lower-to-upper case changes, each capitalised,
// known initialisms in capitals. api_key becomes "API Key", scanAll
// becomes "Scan All".
func Title(name string) string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
			prevLower = false
			continue
		case r >= 'A' && r <= 'Z' && prevLower:
			flush()
		}
		cur.WriteRune(r)
		prevLower = r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
	}
	flush()
	for i, w := range words {
		lw := strings.ToLower(w)
		if up, ok := initialisms[lw]; ok {
			words[i] = up
			continue
		}
		words[i] = strings.ToUpper(lw[:1]) + lw[1:]
	}
	return strings.Join(words, " ")
}
