package clientip

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestIP(t *testing.T) {
	r, err := Parse("10.0.0.0/8, 192.168.1.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		peer   string
		xff    []string
		client string
	}{
		{"no proxy, header ignored", "203.0.113.9:5000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"untrusted peer rotating the header", "203.0.113.9:5000", []string{"198.51.100.1, 10.0.0.1"}, "203.0.113.9"},
		{"trusted peer, one hop", "10.1.2.3:80", []string{"198.51.100.7"}, "198.51.100.7"},
		{"trusted chain, spoofed left part", "10.1.2.3:80", []string{"6.6.6.6, 198.51.100.7, 10.9.9.9"}, "198.51.100.7"},
		{"several headers in order", "10.1.2.3:80", []string{"6.6.6.6", "198.51.100.7"}, "198.51.100.7"},
		{"trusted peer, no header", "10.1.2.3:80", nil, "10.1.2.3"},
		{"malformed entry stops at the trusted hop", "10.1.2.3:80", []string{"1.1.1.1, garbage, 10.4.4.4"}, "10.4.4.4"},
		{"all hops trusted", "10.1.2.3:80", []string{"10.7.7.7"}, "10.7.7.7"},
		{"single trusted address", "192.168.1.1:80", []string{"198.51.100.8"}, "198.51.100.8"},
		{"neighbour of trusted address", "192.168.1.2:80", []string{"198.51.100.8"}, "192.168.1.2"},
		{"ipv6 loopback proxy, bracketed entry with port", "[::1]:80", []string{"[2001:db8::5]:443"}, "2001:db8::5"},
		{"ipv4 entry with port", "[::1]:80", []string{"198.51.100.9:1234"}, "198.51.100.9"},
		{"ipv4-mapped peer is trusted", "[::ffff:10.0.0.5]:80", []string{"198.51.100.10"}, "198.51.100.10"},
		{"ipv4-mapped entry unmapped", "10.0.0.5:80", []string{"::ffff:198.51.100.11"}, "198.51.100.11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := &http.Request{RemoteAddr: tc.peer, Header: http.Header{}}
			for _, v := range tc.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if got := r.IP(req).String(); got != tc.client {
				t.Errorf("IP = %s, want %s", got, tc.client)
			}
		})
	}
}

func TestZeroResolverTrustsNoOne(t *testing.T) {
	req := &http.Request{RemoteAddr: "127.0.0.1:1", Header: http.Header{"X-Forwarded-For": {"1.2.3.4"}}}
	if got := (Resolver{}).IP(req).String(); got != "127.0.0.1" {
		t.Errorf("IP = %s, want the peer 127.0.0.1", got)
	}
}

func TestParseRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "example.com", "1.2.3"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	r, err := Parse(" ,10.0.0.1/8 ,")
	if err != nil || r.String() != "10.0.0.0/8" {
		t.Errorf("Parse = %q, %v; want 10.0.0.0/8", r.String(), err)
	}
}

func TestKey(t *testing.T) {
	tests := map[string]string{
		"198.51.100.1":         "198.51.100.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:198.51.100.1":  "198.51.100.1",
	}
	for in, want := range tests {
		if got := Key(netip.MustParseAddr(in)); got != want {
			t.Errorf("Key(%s) = %s, want %s", in, got, want)
		}
	}
	if got := Key(netip.Addr{}); got != "unknown" {
		t.Errorf("Key(invalid) = %s", got)
	}
}
