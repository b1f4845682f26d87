// Package clientip finds the address of the client behind a request: the
// TCP peer, or, only when the peer is a configured trusted proxy, the
// nearest untrusted address in X-Forwarded-For. A client that is not a
// trusted proxy cannot choose its address by sending that header, so
// rotating it gets around no rate limit.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver holds the trusted proxies. The zero Resolver trusts no one and
// returns the peer address.
type Resolver struct {
	trusted []netip.Prefix
}

// Parse reads a comma-separated list of trusted proxies, each an address
// ("10.0.0.1", "::1") or a prefix ("10.0.0.0/8"). An empty list trusts no
// one.
func Parse(list string) (Resolver, error) {
	var r Resolver
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return Resolver{}, fmt.Errorf("trusted proxy %q: %w", item, err)
			}
			r.trusted = append(r.trusted, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return Resolver{}, fmt.Errorf("trusted proxy %q: %w", item, err)
		}
		a = a.Unmap().WithZone("")
		r.trusted = append(r.trusted, netip.PrefixFrom(a, a.BitLen()))
	}
	return r, nil
}

// String lists the trusted prefixes, comma-separated.
func (r Resolver) String() string {
	parts := make([]string, len(r.trusted))
	for i, p := range r.trusted {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

// Trusted reports whether a is a trusted proxy.
func (r Resolver) Trusted(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// IP returns the client address of req. From the peer it walks
// X-Forwarded-For right to left (every such header, in order) while the
// hop it stands on is trusted; the first untrusted address is the client.
// A malformed entry stops the walk at the trusted hop that passed it on,
// and so does a list of trusted proxies only. An unparseable peer (a test
// request, a unix socket) gives the invalid Addr.
func (r Resolver) IP(req *http.Request) netip.Addr {
	peer := peerAddr(req.RemoteAddr)
	if !peer.IsValid() || !r.Trusted(peer) {
		return peer
	}
	hops := forwardedFor(req.Header)
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return client
		}
		client = a.Unmap().WithZone("")
		if !r.Trusted(client) {
			return client
		}
	}
	return client
}

// Key returns the rate-limit key of a client address: the address for
// IPv4, its /64 for IPv6 (one subscriber usually holds a whole /64, so
// limiting single IPv6 addresses limits nothing). The invalid Addr gives
// "unknown".
func Key(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// forwardedFor splits every X-Forwarded-For header into its entries, in
// order, trimmed. An IPv6 entry may come bracketed and with a port.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, e := range strings.Split(v, ",") {
			e = strings.TrimSpace(e)
			if strings.HasPrefix(e, "[") {
				if host, _, err := net.SplitHostPort(e); err == nil {
					e = host
				} else {
					e = strings.TrimSuffix(strings.TrimPrefix(e, "["), "]")
				}
			} else if strings.Count(e, ":") == 1 { // IPv4 with a port
				if host, _, err := net.SplitHostPort(e); err == nil {
					e = host
				}
			}
			hops = append(hops, e)
		}
	}
	return hops
}
