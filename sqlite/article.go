package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// maxSlugTries bounds the search for a free "-n" slug suffix.
const maxSlugTries = 10000

// SaveArticle inserts or updates a in one transaction (see
// jarchy.ArticleStore).
func (db *DB) SaveArticle(ctx context.Context, a *jarchy.Article) error {
	now := db.now()
	in, err := storeutil.PrepareArticle(a, now)
	if err != nil {
		return err
	}
	err = db.write(ctx, fmt.Sprintf("save article %q", in.Title), func(tx *qtx) (jarchy.Change, error) {
		high, err := highestIDs(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		return saveWithChange(ctx, tx, &in, high, now)
	})
	if err != nil {
		return err
	}
	*a = in
	return nil
}

// SaveArticles saves several articles in ONE transaction with one
// generation bump and one notification: all are saved or none is (see
// jarchy.ArticleStore). On failure the error names the article.
func (db *DB) SaveArticles(ctx context.Context, as []*jarchy.Article) error {
	if len(as) == 0 {
		return nil // nothing to write: no generation step, no notification
	}
	now := db.now()
	ins, err := storeutil.PrepareArticles(as, now)
	if err != nil {
		return err
	}
	err = db.write(ctx, fmt.Sprintf("save %d articles", len(as)), func(tx *qtx) (jarchy.Change, error) {
		high, err := highestIDs(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		chs := make([]jarchy.Change, len(ins))
		for i := range ins {
			if chs[i], err = saveWithChange(ctx, tx, &ins[i], high, now); err != nil {
				return jarchy.Change{}, fmt.Errorf("%s: %w", storeutil.BatchItem(i, len(ins), ins[i].Title), err)
			}
		}
		return storeutil.MergeChanges(chs), nil
	})
	if err != nil {
		return err
	}
	for i, a := range as {
		*a = ins[i]
	}
	return nil
}

// saveWithChange saves a prepared article inside tx (saveArticle) and
// returns the change it makes, from the stored row before the save; high
// holds the highest relation IDs before the write.
func saveWithChange(ctx context.Context, tx *qtx, a *jarchy.Article, high storeutil.Highest, now time.Time) (jarchy.Change, error) {
	old, err := articleBefore(ctx, tx, a)
	if err != nil {
		return jarchy.Change{}, err
	}
	a.KeepCorrections(old)
	if err := saveArticle(ctx, tx, a, now); err != nil {
		return jarchy.Change{}, err
	}
	// The breaking flag is the stored one: saves never set it.
	a.BreakingUntil = time.Time{}
	if old != nil {
		a.BreakingUntil = old.BreakingUntil
	}
	if err := appendAudit(ctx, tx, now, jarchy.ArticleAudit(old, a)); err != nil {
		return jarchy.Change{}, err
	}
	return storeutil.ArticleSaveChange(old, a, high, now), nil
}

// beforeSelect reads what jarchy.ArticleChange needs of a stored article:
// where it is listed (language, section, tags, authors, status,
// publication time) and its translation group; and what the audit log
// needs (title, corrections) and the breaking flag.
const beforeSelect = `SELECT id, lang, slug, translation_group, section_id, status, published_at, title, corrections, breaking_until,
	(SELECT group_concat(tag_id) FROM article_tags WHERE article_id = a.id),
	(SELECT group_concat(author_id) FROM article_authors WHERE article_id = a.id)
	FROM articles a WHERE `

// articleBefore returns the stored article that saving a would update
// (by ID, else by external ID) as beforeSelect reads it, or nil when there
// is none. It sets the ID of an a found by external ID, as saveArticle
// would.
func articleBefore(ctx context.Context, tx *qtx, a *jarchy.Article) (*jarchy.Article, error) {
	var row *sql.Row
	switch {
	case a.ID != 0:
		row = tx.QueryRowContext(ctx, beforeSelect+"id = ?", a.ID)
	case a.ExternalID != "":
		row = tx.QueryRowContext(ctx, beforeSelect+"external_id = ?", a.ExternalID)
	default:
		return nil, nil
	}
	old := &jarchy.Article{}
	var published, breaking sql.NullInt64
	var tags, authors sql.NullString
	var corrections []byte
	err := row.Scan(&old.ID, &old.Lang, &old.Slug, &old.TranslationGroup, &old.Section.ID, &old.Status, &published,
		&old.Title, &corrections, &breaking, &tags, &authors)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	old.PublishedAt, old.BreakingUntil = fromDB(published), fromDB(breaking)
	if old.Corrections, err = storeutil.ParseCorrections(corrections); err != nil {
		return nil, err
	}
	for _, id := range splitIDs(tags.String) {
		old.Tags = append(old.Tags, jarchy.Tag{ID: id})
	}
	for _, id := range splitIDs(authors.String) {
		old.Authors = append(old.Authors, jarchy.Author{ID: id})
	}
	a.ID = old.ID
	return old, nil
}

// splitIDs reads a group_concat of integer IDs.
func splitIDs(s string) []int64 {
	var ids []int64
	for f := range strings.SplitSeq(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// jsonIDs is ids as a JSON array, for json_each.
func jsonIDs(ids []int64) string {
	b := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// highestIDs returns the highest section, tag and author IDs.
func highestIDs(ctx context.Context, tx *qtx) (storeutil.Highest, error) {
	var h storeutil.Highest
	err := tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM sections),
		(SELECT COALESCE(MAX(id), 0) FROM tags), (SELECT COALESCE(MAX(id), 0) FROM authors)`).Scan(&h.Section, &h.Tag, &h.Author)
	return h, err
}

type storedArticle struct {
	lang, slug, group string
	hash              string
	status            jarchy.Status
	cover             sql.NullString
	created, updated  sql.NullInt64
	version           int64
}

// saveArticle writes a prepared article inside tx; now is the time of the
// write.
func saveArticle(ctx context.Context, tx *qtx, a *jarchy.Article, now time.Time) error {
	if a.ID == 0 && a.ExternalID != "" {
		err := tx.QueryRowContext(ctx, "SELECT id FROM articles WHERE external_id = ?", a.ExternalID).Scan(&a.ID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	var old *storedArticle
	if a.ID != 0 {
		old = &storedArticle{}
		err := tx.QueryRowContext(ctx, "SELECT lang, slug, translation_group, content_hash, status, cover_key, created_at, updated_at, version FROM articles WHERE id = ?", a.ID).
			Scan(&old.lang, &old.slug, &old.group, &old.hash, &old.status, &old.cover, &old.created, &old.updated, &old.version)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("article %d not found", a.ID)
		}
		if err != nil {
			return err
		}
		if a.Version != old.version {
			return jarchy.StaleVersion(a.ID, a.Version, old.version)
		}
		if err := writeBaseline(ctx, tx, a.ID, fromDB(old.updated)); err != nil {
			return err
		}
	}
	if err := resolveSection(ctx, tx, &a.Section); err != nil {
		return err
	}
	if err := resolveTags(ctx, tx, a.Tags); err != nil {
		return err
	}
	if err := resolveAuthors(ctx, tx, a.Authors); err != nil {
		return err
	}
	storeutil.DedupeRelations(a)
	var oldStatus jarchy.Status
	var oldCover string
	if old != nil {
		oldStatus, oldCover = old.status, old.cover.String
	}
	if err := linkCover(ctx, tx, a, oldStatus, oldCover, now); err != nil {
		return err
	}

	slug, err := freeSlug(ctx, tx, a.Lang, a.Slug, a.ID)
	if err != nil {
		return err
	}
	a.Slug = slug
	if a.TranslationGroup == "" {
		if old != nil {
			a.TranslationGroup = old.group
		} else {
			a.TranslationGroup = storeutil.NewGroup()
		}
	}

	hash := storeutil.ContentHash(a)
	var ext any
	if a.ExternalID != "" {
		ext = a.ExternalID
	}
	var cover any
	if c := a.Cover; c != nil {
		cover = c.Key
	}
	if old == nil {
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		a.UpdatedAt = now
		err = tx.QueryRowContext(ctx, `INSERT INTO articles (external_id, lang, translation_group, title, slug, lead, body,
			section_id, status, published_at, created_at, updated_at, content_hash,
			cover_key, body_html, body_html_version, corrections, seo_title, seo_description, owner_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ext, a.Lang, a.TranslationGroup, a.Title, a.Slug, a.Lead, a.Body,
			a.Section.ID, a.Status, toDB(a.PublishedAt), toDB(a.CreatedAt), toDB(a.UpdatedAt), hash,
			cover, a.BodyHTML, storeutil.BodyHTMLVersion, storeutil.CorrectionsJSON(a.Corrections),
			a.SEOTitle, a.SEODescription, a.OwnerID).Scan(&a.ID)
		if err != nil {
			return err
		}
		a.Version = 1 // the column's default
	} else {
		a.CreatedAt = fromDB(old.created)
		if hash == old.hash {
			a.UpdatedAt = fromDB(old.updated)
		} else {
			a.UpdatedAt = now
		}
		// The version read above is still the stored one (this connection
		// is the only writer, in an IMMEDIATE transaction); the condition
		// states the rule where the row is written.
		res, err := tx.ExecContext(ctx, `UPDATE articles SET external_id = ?, lang = ?, translation_group = ?, title = ?,
			slug = ?, lead = ?, body = ?, section_id = ?, status = ?, published_at = ?, updated_at = ?, content_hash = ?,
			cover_key = ?, body_html = ?, body_html_version = ?, corrections = ?, seo_title = ?, seo_description = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			ext, a.Lang, a.TranslationGroup, a.Title, a.Slug, a.Lead, a.Body, a.Section.ID, a.Status,
			toDB(a.PublishedAt), toDB(a.UpdatedAt), hash, cover,
			a.BodyHTML, storeutil.BodyHTMLVersion, storeutil.CorrectionsJSON(a.Corrections),
			a.SEOTitle, a.SEODescription, a.ID, a.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return jarchy.StaleVersion(a.ID, a.Version, old.version)
		}
		a.Version = old.version + 1
		if old.lang != string(a.Lang) || old.slug != a.Slug {
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_slugs (lang, slug, article_id) VALUES (?, ?, ?)
				ON CONFLICT (lang, slug) DO UPDATE SET article_id = excluded.article_id`, old.lang, old.slug, a.ID); err != nil {
				return err
			}
		}
		// An article that takes back an old slug of its own drops the redirect.
		if _, err := tx.ExecContext(ctx, "DELETE FROM article_slugs WHERE lang = ? AND slug = ? AND article_id = ?", a.Lang, a.Slug, a.ID); err != nil {
			return err
		}
		for _, q := range []string{"DELETE FROM article_tags WHERE article_id = ?", "DELETE FROM article_authors WHERE article_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, a.ID); err != nil {
				return err
			}
		}
	}
	// The search index (issue 3) is kept in step in this same transaction.
	if err := indexArticle(ctx, tx, a, old != nil && hash == old.hash); err != nil {
		return err
	}
	// The links in the given order, one statement each: json_each numbers
	// the IDs from 0 (the position).
	pub := toDB(a.PublishedAt)
	tagIDs := make([]int64, len(a.Tags))
	for i, t := range a.Tags {
		tagIDs[i] = t.ID
	}
	authorIDs := make([]int64, len(a.Authors))
	for i, au := range a.Authors {
		authorIDs[i] = au.ID
	}
	if len(tagIDs) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at)
			SELECT ?, value, key, ?, ?, ? FROM json_each(?)`, a.ID, a.Lang, a.Status, pub, jsonIDs(tagIDs)); err != nil {
			return err
		}
	}
	if len(authorIDs) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_authors (article_id, author_id, position, lang, status, published_at)
			SELECT ?, value, key, ?, ?, ? FROM json_each(?)`, a.ID, a.Lang, a.Status, pub, jsonIDs(authorIDs)); err != nil {
			return err
		}
	}
	if old != nil && hash == old.hash {
		return nil // nothing changed: no revision
	}
	return writeRevision(ctx, tx, a, now)
}

// freeSlug returns base, or base-2, base-3…, the first that no other
// article in lang than self holds now or held before (a redirect), so that
// old links keep pointing at their story. An article's own old slugs are
// free for it.
func freeSlug(ctx context.Context, tx *qtx, lang jarchy.Lang, base string, self int64) (string, error) {
	taken := func(cand string) (bool, error) {
		var t bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE lang = ?1 AND slug = ?2 AND id <> ?3)
			OR EXISTS (SELECT 1 FROM article_slugs WHERE lang = ?1 AND slug = ?2 AND article_id <> ?3)`,
			lang, cand, self).Scan(&t)
		return t, err
	}
	if t, err := taken(base); err != nil || !t {
		return base, err
	}
	// Many articles may share a title ("Daily digest"): read the used
	// suffixes in one query instead of probing them one by one.
	used := map[string]bool{}
	if len(base)+len("-99999") <= jarchy.MaxSlugLen {
		rows, err := tx.QueryContext(ctx, `SELECT slug FROM articles WHERE lang = ?1 AND slug GLOB ?2 AND id <> ?3
			UNION SELECT slug FROM article_slugs WHERE lang = ?1 AND slug GLOB ?2 AND article_id <> ?3`,
			lang, base+"-[0-9]*", self)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return "", err
			}
			used[s] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	for n := 2; n <= maxSlugTries; n++ {
		cand := storeutil.SlugCandidate(base, n)
		if used[cand] {
			continue
		}
		t, err := taken(cand)
		if err != nil {
			return "", err
		}
		if !t {
			return cand, nil
		}
	}
	return "", jarchy.Errorf(jarchy.ECONFLICT, "no free slug for %q after %d tries", base, maxSlugTries)
}

// PublishDue publishes the scheduled articles whose time has come (see
// jarchy.ArticleStore). A read finds whether any is due, so that a call
// with nothing to do takes no write lock.
func (db *DB) PublishDue(ctx context.Context) ([]int64, error) {
	now := db.now()
	var due bool
	if err := db.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE status = ? AND published_at <= ?)",
		jarchy.StatusScheduled, toDB(now)).Scan(&due); err != nil || !due {
		return nil, wrapErr("publish due articles", err)
	}
	var ids []int64
	err := db.write(ctx, "publish due articles", func(tx *qtx) (jarchy.Change, error) {
		var ch jarchy.Change
		var err error
		ids, ch, err = publishDue(ctx, tx, now)
		if err == nil && len(ids) == 0 {
			return ch, errNothingWritten // another process claimed them first
		}
		return ch, err
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// publishDue claims the due scheduled articles with one conditional update
// and brings what copies their status (link rows, content hash, search
// index) in step, inside tx. It returns the claimed IDs in order and the
// change their publication makes.
func publishDue(ctx context.Context, tx *qtx, now time.Time) ([]int64, jarchy.Change, error) {
	ids, err := queryIDs(ctx, tx, `UPDATE articles SET status = ?1, version = version + 1, updated_at = ?3
		WHERE status = ?2 AND published_at <= ?3 RETURNING id`, jarchy.StatusPublished, jarchy.StatusScheduled, toDB(now))
	if err != nil || len(ids) == 0 {
		return nil, jarchy.Change{}, err
	}
	slices.Sort(ids)
	in, args := inList(ids)
	for _, table := range []string{"article_tags", "article_authors"} {
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET status = ? WHERE article_id IN ("+in+")",
			append([]any{jarchy.StatusPublished}, args...)...); err != nil {
			return nil, jarchy.Change{}, err
		}
	}
	arts, err := loadArticles(ctx, tx, ids, false)
	if err != nil {
		return nil, jarchy.Change{}, err
	}
	ch, hashes := storeutil.PublishedChange(arts, now)
	byID := make(map[string]string, len(arts))
	for i, a := range arts {
		byID[strconv.FormatInt(a.ID, 10)] = hashes[i]
	}
	doc, err := json.Marshal(byID)
	if err != nil {
		return nil, jarchy.Change{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET content_hash = h.value
		FROM json_each(?) AS h WHERE articles.id = CAST(h.key AS INTEGER)`, string(doc)); err != nil {
		return nil, jarchy.Change{}, err
	}
	for _, a := range arts {
		if err := indexArticle(ctx, tx, a, false); err != nil {
			return nil, jarchy.Change{}, err
		}
		if err := writeRevision(ctx, tx, a, now); err != nil {
			return nil, jarchy.Change{}, err
		}
		if err := appendAudit(ctx, tx, now, jarchy.ArticleAudit(&jarchy.Article{Status: jarchy.StatusScheduled, Corrections: a.Corrections}, a)); err != nil {
			return nil, jarchy.Change{}, err
		}
	}
	return ids, ch, nil
}

// NextScheduled returns the earliest publication time of a scheduled
// article, or zero.
func (db *DB) NextScheduled(ctx context.Context) (time.Time, error) {
	var next sql.NullInt64
	if err := db.queryRow(ctx, "SELECT MIN(published_at) FROM articles WHERE status = ?", jarchy.StatusScheduled).Scan(&next); err != nil {
		return time.Time{}, wrapErr("next scheduled article", err)
	}
	return fromDB(next), nil
}

// DeleteArticle removes an article, its links and its redirects.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	now := db.now()
	return db.write(ctx, fmt.Sprintf("delete article %d", id), func(tx *qtx) (jarchy.Change, error) {
		old, err := articleBefore(ctx, tx, &jarchy.Article{ID: id})
		if err != nil {
			return jarchy.Change{}, err
		}
		if old == nil {
			return jarchy.Change{}, notFound("article %d not found", id)
		}
		// Links and redirects go by ON DELETE CASCADE; the search index
		// (issue 3) drops its row here too.
		if err := unindexArticle(ctx, tx, id); err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE id = ?", id); err != nil {
			return jarchy.Change{}, err
		}
		if err := appendAudit(ctx, tx, now, jarchy.ArticleAudit(old, nil)); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.ArticleChange(old, nil, now), nil
	})
}
