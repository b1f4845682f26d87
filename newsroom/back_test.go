package newsroom

import "testing"

// TestSafeBack: the queue's return address is a comments queue URL on
// this site, by the same rules as the login's next; anything else is the
// queue.
func TestSafeBack(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/newsroom/comments?status=spam&article=3", "/newsroom/comments?status=spam&article=3"},
		{"/newsroom/comments", "/newsroom/comments"},
		{"/newsroom/comments/../users", "/newsroom/comments"},
		{"/newsroom/commentsX", "/newsroom/comments"},
		{"//evil.example/newsroom/comments", "/newsroom/comments"},
		{"/newsroom/comments?x=\r\nSet-Cookie:a=b", "/newsroom/comments"},
		{"https://evil.example/newsroom/comments", "/newsroom/comments"},
		{"", "/newsroom/comments"},
	} {
		if got := safeBack(tc.in); got != tc.want {
			t.Errorf("safeBack(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
