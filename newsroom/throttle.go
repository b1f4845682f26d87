package newsroom

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy/internal/clientip"
	"github.com/jarchy/jarchy/internal/throttle"
)

// Login attempts are limited per client address and per account, so that
// guessing is slow whether it spreads over accounts or over addresses. A
// client's address is the peer, or X-Forwarded-For from a trusted proxy
// only (Config.ClientIP): rotating that header changes nothing.
const (
	loginBurstPerIP      = 20
	loginRefillPerIP     = 15 * time.Second
	loginBurstPerAccount = 5
	loginRefillPerAccnt  = time.Minute
)

// loginThrottle holds the two limits. Every attempt spends a token of
// both; a successful login gives the account its tokens back (not the
// address: logging into one's own account must not reset a guesser).
type loginThrottle struct {
	perIP, perAccount *throttle.Limiter
}

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{
		perIP:      throttle.New(throttle.Options{Burst: loginBurstPerIP, Per: loginRefillPerIP, Now: now}),
		perAccount: throttle.New(throttle.Options{Burst: loginBurstPerAccount, Per: loginRefillPerAccnt, Now: now}),
	}
}

// attempt spends one attempt of the client and of the account, and
// reports how long to wait when either has none left (spending nothing
// then: a blocked client cannot lengthen its own wait forever).
func (l *loginThrottle) attempt(ip, account string) (ok bool, retryAfter time.Duration) {
	account = "acct:" + strings.ToLower(account)
	if ok, wait := l.perIP.Check(ip); !ok {
		return false, wait
	}
	if ok, wait := l.perAccount.Check(account); !ok {
		return false, wait
	}
	l.perIP.Fail(ip)
	l.perAccount.Fail(account)
	return true, 0
}

// succeeded gives the account its attempts back.
func (l *loginThrottle) succeeded(account string) {
	l.perAccount.Reset("acct:" + strings.ToLower(account))
}

// clientKey is the throttle key of the request's client.
func (s *Server) clientKey(r *http.Request) string {
	return clientip.Key(s.cfg.ClientIP.IP(r))
}

// tooManyAttempts answers a throttled login.
func tooManyAttempts(wait time.Duration) error {
	return &httpError{status: http.StatusTooManyRequests, key: "nr.login.throttled", retryAfter: wait}
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}
