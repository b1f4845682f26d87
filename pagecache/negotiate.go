package pagecache

import (
	"net/http"
	"strings"
)

// pick chooses the variant for the Accept-Encoding header lines: the coding
// with the highest q-value, ties going to br, then gzip, then identity.
// Identity not named is acceptable at the lowest rank unless "*;q=0"; when
// nothing is acceptable identity is sent anyway (RFC 9110 12.5.3 allows it).
// It does not allocate.
func (e *entry) pick(lines []string) *variant {
	qbr, qgz, qid, qstar := -1, -1, -1, -1
	for _, line := range lines {
		for line != "" {
			var tok string
			if i := strings.IndexByte(line, ','); i >= 0 {
				tok, line = line[:i], line[i+1:]
			} else {
				tok, line = line, ""
			}
			name, params := tok, ""
			if i := strings.IndexByte(tok, ';'); i >= 0 {
				name, params = tok[:i], tok[i+1:]
			}
			name = trimOWS(name)
			q := parseQ(params)
			switch {
			case strings.EqualFold(name, "br"):
				qbr = q
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				qgz = q
			case strings.EqualFold(name, "identity"):
				qid = q
			case name == "*":
				qstar = q
			}
		}
	}
	if qbr < 0 {
		qbr = max(qstar, 0)
	}
	if qgz < 0 {
		qgz = max(qstar, 0)
	}
	if qid < 0 {
		qid = 1 // implicit: acceptable, lowest rank
		if qstar == 0 {
			qid = 0
		}
	}
	best, bestQ := e.id, qid
	if e.gz != nil && qgz > 0 && qgz >= bestQ {
		best, bestQ = e.gz, qgz
	}
	if e.br != nil && qbr > 0 && qbr >= bestQ {
		best = e.br
	}
	return best
}

// parseQ returns the q parameter in thousandths (1000 when absent).
func parseQ(params string) int {
	for params != "" {
		var p string
		if i := strings.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i+1:]
		} else {
			p, params = params, ""
		}
		p = trimOWS(p)
		if len(p) < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=' {
			continue
		}
		v := p[2:]
		if v == "" || (v[0] != '0' && v[0] != '1') {
			return 0
		}
		q := int(v[0]-'0') * 1000
		if len(v) > 1 {
			if v[1] != '.' {
				return 0
			}
			scale := 100
			for _, d := range []byte(v[2:]) {
				if d < '0' || d > '9' || scale == 0 {
					return 0
				}
				q += int(d-'0') * scale
				scale /= 10
			}
		}
		return min(q, 1000)
	}
	return 1000
}

func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// notModified evaluates If-None-Match (weak comparison, as RFC 9110 13.1.2
// asks) or, only when it is absent, If-Modified-Since.
func notModified(inm []string, ims string, e *entry, v *variant) bool {
	if len(inm) > 0 {
		for _, line := range inm {
			if etagListHas(line, v.etag) {
				return true
			}
		}
		return false
	}
	if ims != "" && e.modified != 0 {
		t, err := http.ParseTime(ims)
		return err == nil && e.modified <= t.Unix()
	}
	return false
}

// etagListHas reports whether the comma-separated entity-tag list matches etag.
func etagListHas(list, etag string) bool {
	for list != "" {
		var tok string
		if i := strings.IndexByte(list, ','); i >= 0 {
			tok, list = list[:i], list[i+1:]
		} else {
			tok, list = list, ""
		}
		tok = trimOWS(tok)
		if tok == "*" {
			return true
		}
		tok = strings.TrimPrefix(tok, "W/")
		if tok == etag {
			return true
		}
	}
	return false
}
