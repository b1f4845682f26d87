package jarchy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Reader comments: a reader posts without an account (a name, an optional
// email that is kept only as a keyed hash, plain text); a comment is
// public once approved. Its status moves along CommentWorkflow.

// Limits of a comment.
const (
	MaxCommentNameLen = 80   // runes
	MaxCommentTextLen = 5000 // runes
	MaxCommentLinks   = 3    // http(s) addresses in one text
	// MaxCommentDepth is how deep threads are shown: a reply to a comment
	// at this depth is shown at it (1 is a top-level comment).
	MaxCommentDepth = 4
	// MaxCommentWords bounds the editors' word list, MaxCommentWordLen a
	// word of it (runes).
	MaxCommentWords   = 500
	MaxCommentWordLen = 100
	// DefaultCommentCloseDays is how many days after publication an
	// article takes comments unless the site settings say otherwise.
	DefaultCommentCloseDays = 30
)

// CommentStatus is a comment's place in moderation.
type CommentStatus string

// Comment states.
const (
	CommentPending  CommentStatus = "pending"  // waits for a moderator; not public
	CommentApproved CommentStatus = "approved" // public
	CommentRejected CommentStatus = "rejected" // refused by a moderator
	CommentSpam     CommentStatus = "spam"     // refused as spam
	CommentDeleted  CommentStatus = "deleted"  // removed; kept for the record and exports
)

// CommentStatuses lists the states in the order a moderator meets them.
var CommentStatuses = []CommentStatus{CommentPending, CommentApproved, CommentRejected, CommentSpam, CommentDeleted}

// Valid reports whether s is a known comment status.
func (s CommentStatus) Valid() bool { return slices.Contains(CommentStatuses, s) }

// Comment is one reader's comment on one article.
type Comment struct {
	ID        int64
	ArticleID int64
	ParentID  int64 // the comment it answers; 0 for a top-level comment
	Name      string
	// Email is the reader's address as typed, input only: stores never
	// keep or return it; they keep EmailHash, its HMAC-SHA256 under the
	// store's own secret (CommentEmailHash).
	Email     string
	EmailHash string // hex; "" when the reader gave no email
	Text      string // plain text
	Status    CommentStatus
	Edited    bool // a moderator changed the text (shown as such)
	EditedAt  time.Time
	CreatedAt time.Time
	// IP is the client address the comment came from, "" once erased
	// (CommentStore.EraseCommentIPs after the retention).
	IP      string
	Reports int // readers' reports
	// ExternalID is the comment's id in the system it was imported from
	// ("wp-123"); a second import of the same id updates nothing.
	ExternalID string
}

// IsPublic reports whether readers may see the comment.
func (c *Comment) IsPublic() bool { return c.Status == CommentApproved }

// Normalize brings a comment to the form stores keep: the name a clean
// line (CleanLine), the text without bidi embeddings, overrides and
// isolates (CleanText), its line breaks "\n", white space around it
// trimmed; the email lower-cased and trimmed.
func (c *Comment) Normalize() {
	c.Name = CleanLine(c.Name)
	c.Email = strings.ToLower(CleanLine(c.Email))
	c.Text = NormalizeCommentText(c.Text)
	c.IP = strings.TrimSpace(c.IP)
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	if c.Status == "" {
		c.Status = CommentPending
	}
}

// NormalizeCommentText is the stored form of a comment's text: CleanText,
// "\r\n" and "\r" as "\n", trailing spaces of each line and white space
// around the text removed.
func NormalizeCommentText(s string) string {
	s = CleanText(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if strings.Contains(s, " \n") || strings.Contains(s, "\t\n") {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " \t")
		}
		s = strings.Join(lines, "\n")
	}
	return strings.TrimSpace(s)
}

// Validate checks a normalised comment: a name, a text within the limits,
// valid UTF-8 without control characters but tab and line break, at most
// MaxCommentLinks links, a valid email when one is given, a known status.
func (c *Comment) Validate() error {
	if err := validCommentLine("name", c.Name, MaxCommentNameLen); err != nil {
		return err
	}
	if c.Email != "" {
		if err := ValidEmail(c.Email); err != nil {
			return err
		}
	}
	if err := ValidCommentText(c.Text); err != nil {
		return err
	}
	if !c.Status.Valid() {
		return Invalid("status", "err.comment_status", "unknown comment status %q", c.Status)
	}
	if c.IP != "" {
		if _, err := netip.ParseAddr(c.IP); err != nil {
			return Invalid("ip", "err.comment_ip", "%q is not an IP address", c.IP)
		}
	}
	if c.ArticleID <= 0 {
		return Invalid("article", "err.not_found", "a comment needs an article")
	}
	if err := validKey("external_id", c.ExternalID, MaxExternalIDLen); err != nil {
		return err
	}
	if c.EmailHash != "" {
		if _, err := hex.DecodeString(c.EmailHash); err != nil || len(c.EmailHash) != 64 {
			return Invalid("email", "err.email", "email hash %q is not 64 hex digits", c.EmailHash)
		}
	}
	return nil
}

func validCommentLine(field, s string, maxRunes int) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "err.utf8", "%s is not valid UTF-8", field)
	}
	if s == "" {
		return Invalid(field, "err.comment_"+field+"_required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > maxRunes {
		return Invalid(field, "err.comment_"+field+"_long", "%s is longer than %d characters", field, maxRunes)
	}
	if strings.ContainsRune(s, 0) {
		return Invalid(field, "err.control", "%s contains a NUL character", field)
	}
	return nil
}

// ValidCommentText checks a normalised comment text.
func ValidCommentText(s string) error {
	if !utf8.ValidString(s) {
		return Invalid("text", "err.utf8", "text is not valid UTF-8")
	}
	if strings.TrimSpace(s) == "" {
		return Invalid("text", "err.comment_text_required", "text is required")
	}
	if n := utf8.RuneCountInString(s); n > MaxCommentTextLen {
		return Invalid("text", "err.comment_text_long", "text has %d characters, at most %d are allowed", n, MaxCommentTextLen)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7F || r >= 0x80 && r <= 0x9F {
			return Invalid("text", "err.comment_control", "text contains the control character U+%04X", r)
		}
	}
	if n := CountLinks(s); n > MaxCommentLinks {
		return Invalid("text", "err.comment_links", "text has %d links, at most %d are allowed", n, MaxCommentLinks)
	}
	return nil
}

// CommentEmailHash is what stores keep of a reader's email: HMAC-SHA256
// of the normalised address under the store's secret, in hex ("" for no
// email). Without the secret the hash cannot be tested against guesses.
func CommentEmailHash(secret []byte, email string) string {
	email = strings.ToLower(CleanLine(email))
	if email == "" {
		return ""
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(email))
	return hex.EncodeToString(m.Sum(nil))
}

// DeriveCommentKey is CommentStore.CommentKey's derivation.
func DeriveCommentKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("jarchy " + purpose))
	return m.Sum(nil)
}

// CommentTextHash identifies a text for duplicate detection: SHA-256 of
// its letters and digits, lower-cased (spacing and punctuation do not
// make a copy new).
func CommentTextHash(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		if r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 0x7F && isLetterOrDigit(r) {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}

// CommentMode is how an article takes comments.
type CommentMode string

// Moderation modes.
const (
	// CommentModeDefault (per article only): the site's mode.
	CommentModeDefault CommentMode = ""
	// CommentModePre holds every comment for a moderator.
	CommentModePre CommentMode = "pre"
	// CommentModePost publishes at once, except a newcomer's first comment
	// (CommentSettings.TrustNewcomers off) and texts hitting the word list.
	CommentModePost CommentMode = "post"
	// CommentModeClosed takes no comments; approved ones stay shown.
	CommentModeClosed CommentMode = "closed"
)

// Valid reports whether m is a mode (the default included).
func (m CommentMode) Valid() bool {
	return m == CommentModeDefault || m == CommentModePre || m == CommentModePost || m == CommentModeClosed
}

// CommentSettings are the site's comment settings.
type CommentSettings struct {
	Mode CommentMode // pre, post or closed; "" is post
	// CloseAfterDays closes comments on an article this many days after
	// its publication; 0 never closes.
	CloseAfterDays int
	// TrustNewcomers publishes a newcomer's first comment in post mode
	// without moderation. Off by default: a reader's first comment (no
	// approved comment yet from the same email hash; every comment
	// without an email) waits for a moderator.
	TrustNewcomers bool
	// Words is the editors' word list: a comment containing one of them
	// (case ignored, whole words or phrases) waits for a moderator.
	Words []string
}

// DefaultCommentSettings are the settings of a site that saved none.
func DefaultCommentSettings() CommentSettings {
	return CommentSettings{Mode: CommentModePost, CloseAfterDays: DefaultCommentCloseDays}
}

// Normalize cleans the settings: the mode "" becomes post, words are
// clean lines, lower-cased, without empty ones and repeats, sorted.
func (s CommentSettings) Normalize() CommentSettings {
	if s.Mode == CommentModeDefault {
		s.Mode = CommentModePost
	}
	var words []string
	for _, w := range s.Words {
		if w = strings.ToLower(CleanLine(w)); w != "" {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	s.Words = slices.Compact(words)
	return s
}

// Validate checks normalised settings.
func (s CommentSettings) Validate() error {
	if !s.Mode.Valid() {
		return Invalid("mode", "err.comment_mode", "unknown comment mode %q (pre, post or closed)", s.Mode)
	}
	if s.CloseAfterDays < 0 || s.CloseAfterDays > 36500 {
		return Invalid("close_after_days", "err.comment_close_days", "close after %d days: want 0 (never) to 36500", s.CloseAfterDays)
	}
	if len(s.Words) > MaxCommentWords {
		return Invalid("words", "err.too_many", "more than %d words", MaxCommentWords)
	}
	for _, w := range s.Words {
		if err := validText("words", w, MaxCommentWordLen, true); err != nil {
			return err
		}
	}
	return nil
}

// ClosedAt is when comments on an article published at published close
// by age (the zero time: never).
func (s CommentSettings) ClosedAt(published time.Time) time.Time {
	if s.CloseAfterDays <= 0 || published.IsZero() {
		return time.Time{}
	}
	return published.AddDate(0, 0, s.CloseAfterDays)
}

// EffectiveCommentMode is the mode an article takes comments in at now:
// its own mode, else the site's; closed once the article is older than
// the settings allow.
func EffectiveCommentMode(s CommentSettings, article CommentMode, published, now time.Time) CommentMode {
	m := article
	if m == CommentModeDefault {
		m = s.Mode
	}
	if m == CommentModeDefault {
		m = CommentModePost
	}
	if at := s.ClosedAt(published); !at.IsZero() && !now.Before(at) {
		return CommentModeClosed
	}
	return m
}

// CommentsClosed is the EFORBIDDEN error of a comment on an article that
// takes none.
func CommentsClosed() *Error {
	return &Error{Code: EFORBIDDEN, Field: "text", MessageKey: "err.comment_closed", Message: "comments on this article are closed"}
}

// InitialCommentStatus is the status a new comment gets in mode: pending
// in pre-moderation, for a newcomer (no approved comment from the same
// email hash) unless the settings trust newcomers, and for a text that
// hits the word list; approved otherwise. A closed mode is an error.
func InitialCommentStatus(s CommentSettings, mode CommentMode, newcomer bool, text string) (CommentStatus, error) {
	switch {
	case mode == CommentModeClosed:
		return "", CommentsClosed()
	case mode == CommentModePre,
		newcomer && !s.TrustNewcomers,
		HitsWordList(s.Words, text):
		return CommentPending, nil
	}
	return CommentApproved, nil
}

// HitsWordList reports whether text holds one of words (normalised
// settings words: lower-case) as a whole word or phrase: "spam" hits
// "SPAM!" but not "spammer".
func HitsWordList(words []string, text string) bool {
	if len(words) == 0 {
		return false
	}
	t := " " + foldWords(text) + " "
	for _, w := range words {
		if w = foldWords(w); w != "" && strings.Contains(t, " "+w+" ") {
			return true
		}
	}
	return false
}

// foldWords lower-cases s and turns every run of characters that are not
// letters or digits into one space.
func foldWords(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if isLetterOrDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// CommentTransition is one move of moderation: the roles that may move a
// comment from From to To, and the action's name (a button).
type CommentTransition struct {
	From, To CommentStatus
	Action   string
	Roles    []Role
}

// CommentWorkflow is the one table of moderation moves; stores check it
// (CheckCommentTransition) before every status change. Editors and admins
// moderate; a deleted comment stays deleted (RoleSystem, an import, may
// set any state).
var CommentWorkflow = []CommentTransition{
	{CommentPending, CommentApproved, "approve", editors},
	{CommentPending, CommentRejected, "reject", editors},
	{CommentPending, CommentSpam, "spam", editors},
	{CommentPending, CommentDeleted, "delete", editors},

	{CommentApproved, CommentRejected, "reject", editors},
	{CommentApproved, CommentSpam, "spam", editors},
	{CommentApproved, CommentDeleted, "delete", editors},

	{CommentRejected, CommentApproved, "approve", editors},
	{CommentRejected, CommentSpam, "spam", editors},
	{CommentRejected, CommentDeleted, "delete", editors},

	{CommentSpam, CommentApproved, "approve", editors}, // not spam after all
	{CommentSpam, CommentRejected, "reject", editors},
	{CommentSpam, CommentDeleted, "delete", editors},
}

// CheckCommentTransition reports whether role may move a comment from →
// to: nil, an EINVALID error for an unknown state, or an EFORBIDDEN error.
// A move to the same state is no move and allowed to moderators.
func CheckCommentTransition(role Role, from, to CommentStatus) error {
	if !to.Valid() || !from.Valid() {
		return Invalid("status", "err.comment_status", "unknown comment status %q or %q", from, to)
	}
	if role == RoleSystem {
		return nil
	}
	if from == to && slices.Contains(editors, role) {
		return nil
	}
	for _, t := range CommentWorkflow {
		if t.From == from && t.To == to {
			if slices.Contains(t.Roles, role) {
				return nil
			}
			return &Error{Code: EFORBIDDEN, Field: "status", MessageKey: "err.transition_role",
				Message: "role " + string(role) + " may not " + t.Action + " a comment"}
		}
	}
	return &Error{Code: EFORBIDDEN, Field: "status", MessageKey: "err.comment_transition",
		Message: "a " + string(from) + " comment cannot become " + string(to)}
}

// CommentMoves returns the moves role may make from a comment's state, in
// table order: the queue's buttons.
func CommentMoves(role Role, from CommentStatus) []CommentTransition {
	var out []CommentTransition
	for _, t := range CommentWorkflow {
		if t.From == from && (role == RoleSystem || slices.Contains(t.Roles, role)) {
			out = append(out, t)
		}
	}
	return out
}

// CommentsTopic is the approved comments of one article: its page's
// comment list and its comment feed and API answer.
func CommentsTopic(articleID int64) Topic { return Topic("c/" + strconv.FormatInt(articleID, 10)) }

// TopicCommentFeed is the site-wide comment feed: every approved comment.
const TopicCommentFeed Topic = "c/all"

// TopicCommentCounts is the comment counts shown on teasers. No write
// publishes it: a process drops it at most every few seconds after
// comments changed (web.CommentCounts), so an approval drops one article
// page, not every listing.
const TopicCommentCounts Topic = "c/counts"

// CommentChange is the change of a comment write, from the stored row
// before (nil: created) and after (nil: erased): nothing public unless
// one side is approved; then the article's comments and the site's
// comment feed. Pending, rejected and spam comments publish nothing.
func CommentChange(old, new *Comment) Change {
	var ts []Topic
	for _, c := range []*Comment{old, new} {
		if c != nil && c.IsPublic() {
			ts = append(ts, CommentsTopic(c.ArticleID), TopicCommentFeed)
		}
	}
	return changeOf(ts...)
}

// CommentModeChange is the change of an article's comment mode: its
// page shows the form or not.
func CommentModeChange(articleID int64) Change { return changeOf(CommentsTopic(articleID)) }

// CommentSettingsChange is the change of the site's comment settings:
// every article page shows the form or not (as a site setting).
func CommentSettingsChange() Change { return changeOf(TopicSite) }

// CommentBan refuses comments from an email hash or an IP range.
type CommentBan struct {
	ID        int64
	EmailHash string // hex HMAC (CommentEmailHash); "" when the ban is by IP
	// Email is input only: a ban given by address is stored as its hash.
	Email     string
	IPRange   string // a CIDR prefix ("203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32")
	Reason    string
	CreatedAt time.Time
}

// Normalize cleans a ban: the range in its canonical masked form (a
// single address as /32 or /128), the reason a clean line.
func (b *CommentBan) Normalize() {
	b.Email = strings.ToLower(CleanLine(b.Email))
	b.EmailHash = strings.ToLower(strings.TrimSpace(b.EmailHash))
	b.Reason = CleanLine(b.Reason)
	r := strings.TrimSpace(b.IPRange)
	if r == "" {
		b.IPRange = ""
		return
	}
	if !strings.Contains(r, "/") {
		if a, err := netip.ParseAddr(r); err == nil {
			r = netip.PrefixFrom(a, a.BitLen()).String()
		}
	}
	if p, err := netip.ParsePrefix(r); err == nil {
		r = p.Masked().String()
	}
	b.IPRange = r
}

// Validate checks a normalised ban: exactly one of an email (or its hash)
// and an IP range.
func (b *CommentBan) Validate() error {
	byEmail := b.Email != "" || b.EmailHash != ""
	if byEmail == (b.IPRange != "") {
		return Invalid("ban", "err.comment_ban", "a ban names an email or an IP range, not both or neither")
	}
	if b.Email != "" {
		if err := ValidEmail(b.Email); err != nil {
			return err
		}
	}
	if b.EmailHash != "" {
		if _, err := hex.DecodeString(b.EmailHash); err != nil || len(b.EmailHash) != 64 {
			return Invalid("ban", "err.comment_ban", "%q is not an email hash", b.EmailHash)
		}
	}
	if b.IPRange != "" {
		p, err := netip.ParsePrefix(b.IPRange)
		if err != nil || p.Bits() < 8 && p.Addr().Is4() || p.Bits() < 16 && !p.Addr().Is4() {
			return Invalid("ban", "err.comment_ban_range", "%q is not an IP range (an address or a CIDR prefix, /8 or narrower for IPv4, /16 for IPv6)", b.IPRange)
		}
	}
	return validText("reason", b.Reason, MaxNameLen, false)
}

// Matches reports whether the ban refuses a comment with this email hash
// and client IP.
func (b *CommentBan) Matches(emailHash, ip string) bool {
	if b.EmailHash != "" {
		return emailHash != "" && b.EmailHash == emailHash
	}
	p, err := netip.ParsePrefix(b.IPRange)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	return p.Contains(a.Unmap())
}

// CommentBanned is the EFORBIDDEN error of a banned reader. The message
// does not say which ban.
func CommentBanned() *Error {
	return &Error{Code: EFORBIDDEN, Field: "text", MessageKey: "err.comment_banned", Message: "comments from this address are not accepted"}
}

// CommentDuplicate is the EINVALID error of a text already posted on the
// article.
func CommentDuplicate() *Error {
	return &Error{Code: ECONFLICT, Field: "text", MessageKey: "err.comment_duplicate", Message: "this text has already been posted here"}
}

// CommentFilter selects comments for the moderation queue.
type CommentFilter struct {
	ArticleID int64         // 0: every article
	Status    CommentStatus // "": every status but deleted
	Reported  bool          // only comments readers reported
	Limit     int           // default 50, at most 200
	Offset    int
}

// CommentList is one page of the queue with the number of matches.
type CommentList struct {
	Comments []*Comment
	Total    int
}

// CommentNode is a comment in a thread with the replies shown under it.
type CommentNode struct {
	*Comment
	Depth   int // 1 for a top-level comment
	Replies []*CommentNode
}

// Thread arranges comments (oldest first) as threads: replies under their
// parent, down to MaxCommentDepth (deeper replies join the deepest level,
// after their parent); a reply whose parent is not among comments is a
// top-level comment.
func Thread(comments []*Comment) []*CommentNode {
	nodes := make(map[int64]*CommentNode, len(comments))
	holder := make(map[*CommentNode]*CommentNode) // the node whose Replies hold a reply
	var roots []*CommentNode
	for _, c := range comments {
		n := &CommentNode{Comment: c, Depth: 1}
		nodes[c.ID] = n
		p, ok := nodes[c.ParentID]
		switch {
		case c.ParentID == 0 || !ok:
			roots = append(roots, n)
		case p.Depth < MaxCommentDepth:
			n.Depth = p.Depth + 1
			p.Replies = append(p.Replies, n)
			holder[n] = p
		default: // shown beside its parent, at the deepest level
			h := holder[p]
			n.Depth = p.Depth
			h.Replies = append(h.Replies, n)
			holder[n] = h
		}
	}
	return roots
}

// CommentStore keeps comments, their bans and settings. Posting and
// moderating publish a Change (CommentChange) only when an approved
// comment appears, changes or goes.
type CommentStore interface {
	// PostComment stores a reader's new comment after Normalize and
	// Validate, in one durable transaction. The store hashes c.Email
	// (CommentEmailHash with its own secret, made at first use) and never
	// keeps it; it refuses a comment on an article that is not public
	// (ENOTFOUND), one the article's effective mode closes
	// (CommentsClosed), one from a banned email hash or IP
	// (CommentBanned), a reply to a comment that is not an approved one
	// of the same article (EINVALID, field parent), and a text already
	// on the article (CommentDuplicate). It sets the status
	// (InitialCommentStatus), ID, EmailHash and CreatedAt.
	PostComment(ctx context.Context, c *Comment) error
	// Comment returns a comment by ID, any status (ENOTFOUND if none).
	Comment(ctx context.Context, id int64) (*Comment, error)
	// ArticleComments returns the approved comments of an article, oldest
	// first (Thread arranges them).
	ArticleComments(ctx context.Context, articleID int64) ([]*Comment, error)
	// RecentComments returns the newest approved comments of the site,
	// newest first (the site's comment feed), at most limit (1–100).
	RecentComments(ctx context.Context, limit int) ([]*Comment, error)
	// Comments lists comments for moderation, newest first.
	Comments(ctx context.Context, f CommentFilter) (CommentList, error)
	// CommentCounts returns the number of approved comments of each of
	// the articles (absent: none).
	CommentCounts(ctx context.Context, articleIDs []int64) (map[int64]int, error)
	// CommentStatusCounts returns how many comments each status has, and
	// how many non-deleted comments have reports (key "reported").
	CommentStatusCounts(ctx context.Context) (map[string]int, error)
	// ModerateComments moves the comments ids to status to, as role
	// (CheckCommentTransition), in one transaction: all or none. An
	// approval clears the reports.
	ModerateComments(ctx context.Context, role Role, ids []int64, to CommentStatus) error
	// EditComment replaces a comment's name and text (a moderator's edit:
	// Edited set, EditedAt now), validated as a new one.
	EditComment(ctx context.Context, id int64, name, text string) error
	// ReportComment counts a reader's report of an approved comment
	// (ENOTFOUND for any other); reported comments show in the queue.
	ReportComment(ctx context.Context, id int64) error

	// CommentSettings returns the site's comment settings (defaults when
	// never saved, normalised).
	CommentSettings(ctx context.Context) (CommentSettings, error)
	// SaveCommentSettings replaces them after Normalize and Validate.
	SaveCommentSettings(ctx context.Context, s CommentSettings) error
	// ArticleCommentMode returns an article's own mode ("" for the site's).
	ArticleCommentMode(ctx context.Context, articleID int64) (CommentMode, error)
	// SetArticleCommentMode sets it ("" returns to the site's).
	SetArticleCommentMode(ctx context.Context, articleID int64, m CommentMode) error

	// AddCommentBan stores a ban (by email, kept as its hash, by email
	// hash, or by IP range) and sets its ID and CreatedAt.
	AddCommentBan(ctx context.Context, b *CommentBan) error
	// CommentBans lists the bans, newest first.
	CommentBans(ctx context.Context) ([]*CommentBan, error)
	// DeleteCommentBan lifts a ban (an unknown id is no error).
	DeleteCommentBan(ctx context.Context, id int64) error

	// EraseCommentIPs blanks the client IP of every comment created
	// before before, and returns how many it erased.
	EraseCommentIPs(ctx context.Context, before time.Time) (int, error)
	// ExportComments calls fn with every comment, every status, oldest
	// first (IDs ascending); EmailHash, never an email.
	ExportComments(ctx context.Context, fn func(*Comment) error) error
	// CommentKey returns a key for purpose derived from the store's
	// secret (HMAC-SHA256 of "jarchy "+purpose), the same on every node:
	// the web layer signs its form timestamps with one. The secret itself
	// never leaves the store.
	CommentKey(ctx context.Context, purpose string) ([]byte, error)
	// ImportComment stores a comment as given (status, times, email hash
	// or email, reports; RoleSystem), skipping one whose ExternalID is
	// stored already (returns false then). Its ParentID is taken as
	// given; c.ID is set.
	ImportComment(ctx context.Context, c *Comment) (bool, error)
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
