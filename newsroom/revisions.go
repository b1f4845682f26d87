package newsroom

import (
	"context"
	"net/http"
	"strconv"

	"github.com/jarchy/jarchy"
)

// revisionsData is an article's history page.
type revisionsData struct {
	A         *jarchy.Article
	Revisions []jarchy.Revision
	Names     map[int64]string // who saved, by user ID
	CanEdit   bool             // the user may restore (same state, CheckTransition)
}

// revisions lists an article's revisions, newest first, with a form to
// compare any two and a button to restore each.
func revisions(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a, err := s.editableArticle(r, q)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(r.Context(), a.ID)
	if err != nil {
		return err
	}
	d := &revisionsData{A: a, Revisions: revs, Names: s.userNames(r.Context(), revs),
		CanEdit: jarchy.CheckTransition(q.Role(), a.Status, a.Status) == nil}
	return s.render(w, r, http.StatusOK, q.T("nr.revisions.title"), revisionsPage(d))
}

// userNames names the users who saved revs.
func (s *Server) userNames(ctx context.Context, revs []jarchy.Revision) map[int64]string {
	names := map[int64]string{}
	for _, rv := range revs {
		if _, ok := names[rv.AuthorID]; ok || rv.AuthorID == 0 {
			continue
		}
		if u, err := s.store.User(ctx, rv.AuthorID); err == nil {
			names[rv.AuthorID] = u.Name
		} else {
			names[rv.AuthorID] = "#" + strconv.FormatInt(rv.AuthorID, 10)
		}
	}
	return names
}

// revisionDiffData compares two revisions of an article.
type revisionDiffData struct {
	A       *jarchy.Article
	Old     *jarchy.Revision
	New     *jarchy.Revision
	Diffs   []fieldDiff
	ShowAll bool
}

// revisionDiff shows the word-level difference of two revisions (?a=&b=,
// revision IDs of this article), metadata included.
func revisionDiff(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a, err := s.editableArticle(r, q)
	if err != nil {
		return err
	}
	load := func(param string) (*jarchy.Revision, error) {
		id, err := strconv.ParseInt(r.URL.Query().Get(param), 10, 64)
		if err != nil {
			return nil, badRequest("revision %q", r.URL.Query().Get(param))
		}
		rv, err := s.store.Revision(r.Context(), id)
		if err != nil {
			return nil, err
		}
		if rv.ArticleID != a.ID {
			return nil, errNotFound
		}
		return rv, nil
	}
	x, err := load("a")
	if err != nil {
		return err
	}
	y, err := load("b")
	if err != nil {
		return err
	}
	if x.Version > y.Version {
		x, y = y, x
	}
	sections, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	d := &revisionDiffData{A: a, Old: x, New: y, Diffs: diffArticles(q, &x.Article, &y.Article, sections)}
	return s.render(w, r, http.StatusOK, q.T("nr.revisions.compare"), revisionDiffPage(d))
}

// restoreRevision saves a revision's content as the article's newest
// version (a new revision; the history keeps everything). The article
// keeps its workflow state: restoring text never publishes or unpublishes.
func restoreRevision(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	cur, err := s.editableArticle(r, q)
	if err != nil {
		return err
	}
	revID, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
	if err != nil {
		return errNotFound
	}
	based, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		return badRequest("version %q", r.PostFormValue("version"))
	}
	a, err := jarchy.RestoreRevision(r.Context(), s.store, revID, based)
	if err != nil {
		return err
	}
	if a.ID != cur.ID {
		return errNotFound
	}
	a.Status, a.PublishedAt, a.OwnerID = cur.Status, cur.PublishedAt, cur.OwnerID
	a.Lang, a.TranslationGroup = cur.Lang, cur.TranslationGroup
	if err := jarchy.CheckTransition(q.Role(), cur.Status, a.Status); err != nil {
		return err
	}
	rv, err := s.store.Revision(r.Context(), revID)
	if err != nil {
		return err
	}
	note := "restore version " + strconv.FormatInt(rv.Version, 10)
	err = s.store.SaveArticle(jarchy.WithRevisionInfo(r.Context(), jarchy.RevisionInfo{AuthorID: q.User.ID, Note: note}), a)
	if jarchy.IsStaleVersion(err) {
		return &httpError{status: http.StatusConflict, key: "nr.err.restore_stale", err: err}
	}
	if err != nil {
		return err
	}
	return redirect(w, r, articlePath(a.ID)+"?saved=1")
}
