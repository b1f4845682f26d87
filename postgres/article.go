package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
	err = db.write(ctx, fmt.Sprintf("save article %q", in.Title), func(tx pgx.Tx) (jarchy.Change, error) {
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
	return db.writeArticles(ctx, as, ins, now, nil)
}

// PrepareSave does the work of SaveArticles(as) that needs no database
// now, on every core: the articles are prepared (bodies rendered) and
// their index documents analysed. It returns the save itself, which does
// the rest as SaveArticles does, with the time of the preparation as the
// save's time. The articles must not change in between. An importer
// prepares one batch while the batch before is written.
func (db *DB) PrepareSave(as []*jarchy.Article) (save func(context.Context) error) {
	if len(as) == 0 {
		return func(context.Context) error { return nil }
	}
	now := db.now()
	ins, err := storeutil.PrepareArticles(as, now)
	if err != nil {
		return func(context.Context) error { return err }
	}
	an := newAnalysis(ins)
	an.buildWithTerms()
	return func(ctx context.Context) error { return db.writeArticles(ctx, as, ins, now, an) }
}

// writeArticles writes the prepared articles ins of as in one transaction
// and gives as their stored form.
func (db *DB) writeArticles(ctx context.Context, as []*jarchy.Article, ins []jarchy.Article, now time.Time, pre *analysis) error {
	err := db.write(ctx, fmt.Sprintf("save %d articles", len(as)), func(tx pgx.Tx) (jarchy.Change, error) {
		high, err := highestIDs(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		chs, err := db.saveBatch(ctx, tx, ins, high, now, pre)
		if err != nil {
			return jarchy.Change{}, err
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

// saveOneByOne saves the articles with saveWithChange, in order.
func saveOneByOne(ctx context.Context, tx pgx.Tx, ins []jarchy.Article, high storeutil.Highest, now time.Time) ([]jarchy.Change, error) {
	chs := make([]jarchy.Change, len(ins))
	for i := range ins {
		var err error
		if chs[i], err = saveWithChange(ctx, tx, &ins[i], high, now); err != nil {
			return nil, fmt.Errorf("%s: %w", storeutil.BatchItem(i, len(ins), ins[i].Title), err)
		}
	}
	return chs, nil
}

// saveWithChange saves a prepared article inside tx (saveArticle) and
// returns the change it makes, from the stored row before the save; high
// holds the highest relation IDs before the write.
func saveWithChange(ctx context.Context, tx pgx.Tx, a *jarchy.Article, high storeutil.Highest, now time.Time) (jarchy.Change, error) {
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
const beforeSelect = `SELECT id, lang, slug, translation_group, section_id, status, published_at, title, corrections::text, breaking_until,
	ARRAY(SELECT tag_id FROM article_tags WHERE article_id = a.id),
	ARRAY(SELECT author_id FROM article_authors WHERE article_id = a.id)
	FROM articles a WHERE `

// articleBefore returns the stored article that saving a would update
// (by ID, else by external ID) as beforeSelect reads it, locked until the
// write ends, or nil when there is none. It sets the ID of an a found by
// external ID, as saveArticle would.
func articleBefore(ctx context.Context, tx pgx.Tx, a *jarchy.Article) (*jarchy.Article, error) {
	var row pgx.Row
	switch {
	case a.ID != 0:
		row = tx.QueryRow(ctx, beforeSelect+"id = $1 FOR UPDATE", a.ID)
	case a.ExternalID != "":
		row = tx.QueryRow(ctx, beforeSelect+"external_id = $1 FOR UPDATE", a.ExternalID)
	default:
		return nil, nil
	}
	old := &jarchy.Article{}
	var lang, status string
	var published, breaking *time.Time
	var tags, authors []int64
	var corrections []byte
	err := row.Scan(&old.ID, &lang, &old.Slug, &old.TranslationGroup, &old.Section.ID, &status, &published,
		&old.Title, &corrections, &breaking, &tags, &authors)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	old.Lang, old.Status, old.PublishedAt = jarchy.Lang(lang), jarchy.Status(status), fromDB(published)
	old.BreakingUntil = fromDB(breaking)
	if old.Corrections, err = storeutil.ParseCorrections(corrections); err != nil {
		return nil, err
	}
	for _, id := range tags {
		old.Tags = append(old.Tags, jarchy.Tag{ID: id})
	}
	for _, id := range authors {
		old.Authors = append(old.Authors, jarchy.Author{ID: id})
	}
	a.ID = old.ID
	return old, nil
}

// highestIDs returns the highest section, tag and author IDs.
func highestIDs(ctx context.Context, tx pgx.Tx) (storeutil.Highest, error) {
	var h storeutil.Highest
	err := tx.QueryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM sections),
		(SELECT COALESCE(MAX(id), 0) FROM tags), (SELECT COALESCE(MAX(id), 0) FROM authors)`).Scan(&h.Section, &h.Tag, &h.Author)
	return h, err
}

type storedArticle struct {
	lang, slug, grp, hash string
	status                jarchy.Status
	cover                 *string
	created, updated      time.Time
	version               int64
}

// saveArticle writes a prepared article inside tx; now is the time of the
// write.
func saveArticle(ctx context.Context, tx pgx.Tx, a *jarchy.Article, now time.Time) error {
	// The stored article this save updates, if any.
	if a.ID == 0 && a.ExternalID != "" {
		err := tx.QueryRow(ctx, "SELECT id FROM articles WHERE external_id = $1", a.ExternalID).Scan(&a.ID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
	}
	var old *storedArticle
	if a.ID != 0 {
		old = &storedArticle{}
		var status string
		err := tx.QueryRow(ctx, `SELECT lang, slug, translation_group, content_hash, status, cover_key, created_at, updated_at, version
			FROM articles WHERE id = $1 FOR UPDATE`, a.ID).Scan(&old.lang, &old.slug, &old.grp, &old.hash, &status, &old.cover,
			&old.created, &old.updated, &old.version)
		old.status = jarchy.Status(status)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("article %d not found", a.ID)
		}
		if err != nil {
			return err
		}
		if a.Version != old.version {
			return jarchy.StaleVersion(a.ID, a.Version, old.version)
		}
		if err := writeBaseline(ctx, tx, a.ID, old.updated.UTC()); err != nil {
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
		oldStatus, oldCover = old.status, str(old.cover)
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
			a.TranslationGroup = old.grp
		} else {
			a.TranslationGroup = storeutil.NewGroup()
		}
	}

	hash := storeutil.ContentHash(a)
	switch {
	case old == nil:
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		a.UpdatedAt = now
	case hash == old.hash: // nothing readers see changed (a repeated import)
		a.CreatedAt, a.UpdatedAt = old.created.UTC(), old.updated.UTC()
	default:
		a.CreatedAt, a.UpdatedAt = old.created.UTC(), now
	}
	args := articleArgs(a, hash)
	if old != nil {
		// The row is locked (FOR UPDATE) since its version was read; the
		// condition states the rule where the row is written.
		var tag pgconn.CommandTag
		tag, err = tx.Exec(ctx, updateArticleSQL, append(args, a.ID, a.Version)...)
		if err == nil && tag.RowsAffected() != 1 {
			return jarchy.StaleVersion(a.ID, a.Version, old.version)
		}
		a.Version = old.version + 1
	} else {
		err = tx.QueryRow(ctx, `INSERT INTO articles (external_id, lang, translation_group, title, slug,
			lead, body, section_id, status, published_at, updated_at, created_at, content_hash, cover_key,
			body_html, body_html_version, corrections, seo_title, seo_description, owner_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
			RETURNING id, version`, append(args, a.OwnerID)...).Scan(&a.ID, &a.Version)
	}
	if err != nil {
		return err
	}

	if old != nil {
		// The previous slug redirects here; an own old slug taken back
		// stops redirecting.
		if old.slug != a.Slug || old.lang != string(a.Lang) {
			if _, err := tx.Exec(ctx, `INSERT INTO slug_redirects (lang, slug, article_id) VALUES ($1, $2, $3)
				ON CONFLICT (lang, slug) DO UPDATE SET article_id = EXCLUDED.article_id`, old.lang, old.slug, a.ID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id = $3",
			string(a.Lang), a.Slug, a.ID); err != nil {
			return err
		}
	}

	// Replace the links in the given order, one statement each.
	for _, l := range []struct {
		table, col string
		ids        []int64
	}{{"article_tags", "tag_id", tagIDs(a)}, {"article_authors", "author_id", authorIDs(a)}} {
		sql, args := linkStatement(l.table, l.col, a, l.ids)
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			return err
		}
	}
	// The search index (issue 3) is kept in step in this same transaction;
	// a delete drops its row by ON DELETE CASCADE.
	unchanged := old != nil && hash == old.hash
	if err := indexArticle(ctx, tx, a, unchanged); err != nil {
		return err
	}
	if unchanged {
		return nil // nothing changed: no revision
	}
	return writeRevision(ctx, tx, a, now)
}

// articleArgs are the column values of a saved article: $1..$19 of
// updateArticleSQL and of the insert in saveArticle.
func articleArgs(a *jarchy.Article, hash string) []any {
	var cover *string
	if a.Cover != nil {
		cover = &a.Cover.Key
	}
	return []any{nullString(a.ExternalID), string(a.Lang), a.TranslationGroup, a.Title, a.Slug, a.Lead, a.Body,
		a.Section.ID, string(a.Status), toDB(a.PublishedAt), a.UpdatedAt, a.CreatedAt, hash,
		cover, a.BodyHTML, storeutil.BodyHTMLVersion, storeutil.CorrectionsJSON(a.Corrections), a.SEOTitle, a.SEODescription}
}

// updateArticleSQL writes articleArgs to article $20 at version $21.
const updateArticleSQL = `UPDATE articles SET external_id = $1, lang = $2, translation_group = $3,
	title = $4, slug = $5, lead = $6, body = $7, section_id = $8, status = $9, published_at = $10,
	updated_at = $11, created_at = $12, content_hash = $13, cover_key = $14,
	body_html = $15, body_html_version = $16, corrections = $17, seo_title = $18, seo_description = $19,
	version = version + 1
	WHERE id = $20 AND version = $21`

func tagIDs(a *jarchy.Article) []int64 {
	ids := make([]int64, len(a.Tags))
	for i, t := range a.Tags {
		ids[i] = t.ID
	}
	return ids
}

func authorIDs(a *jarchy.Article) []int64 {
	ids := make([]int64, len(a.Authors))
	for i, au := range a.Authors {
		ids[i] = au.ID
	}
	return ids
}

// linkStatement replaces a's rows of table (article_tags or
// article_authors, col naming the other side) by ids in their order:
// it drops the links not given and upserts the rest (the two sets are
// disjoint), carrying the article's language, status and time.
func linkStatement(table, col string, a *jarchy.Article, ids []int64) (string, []any) {
	return `WITH del AS (DELETE FROM ` + table + ` WHERE article_id = $1 AND ` + col + ` <> ALL($2))
		INSERT INTO ` + table + ` (article_id, ` + col + `, position, lang, status, published_at)
		SELECT $1, x.id, x.n - 1, $3, $4, $5 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)
		ON CONFLICT (article_id, ` + col + `) DO UPDATE SET position = EXCLUDED.position,
			lang = EXCLUDED.lang, status = EXCLUDED.status, published_at = EXCLUDED.published_at`,
		[]any{a.ID, ids, string(a.Lang), string(a.Status), toDB(a.PublishedAt)}
}

// freeSlug returns base, or base-2, base-3…, the first that no other
// article in lang than self holds now or held before (a redirect), so that
// old links keep pointing at their story. An article's own old slugs are
// free for it.
func freeSlug(ctx context.Context, tx pgx.Tx, lang jarchy.Lang, base string, self int64) (string, error) {
	for n := 1; n <= maxSlugTries; n++ {
		cand := storeutil.SlugCandidate(base, n)
		var taken bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE lang = $1 AND slug = $2 AND id <> $3)
			OR EXISTS (SELECT 1 FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id <> $3)`,
			string(lang), cand, self).Scan(&taken)
		if err != nil {
			return "", err
		}
		if !taken {
			return cand, nil
		}
	}
	return "", jarchy.Errorf(jarchy.ECONFLICT, "no free slug for %q after %d tries", base, maxSlugTries)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// PublishDue publishes the scheduled articles whose time has come (see
// jarchy.ArticleStore). A read finds whether any is due, so that a call
// with nothing to do takes no write lock.
func (db *DB) PublishDue(ctx context.Context) ([]int64, error) {
	now := db.now()
	var due bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE status = $1 AND published_at <= $2)",
		string(jarchy.StatusScheduled), now).Scan(&due); err != nil || !due {
		return nil, wrapErr("publish due articles", err)
	}
	var ids []int64
	err := db.write(ctx, "publish due articles", func(tx pgx.Tx) (jarchy.Change, error) {
		var ch jarchy.Change
		var err error
		ids, ch, err = publishDue(ctx, tx, now)
		if err == nil && len(ids) == 0 {
			return ch, errNothingWritten // another node claimed them first
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
// change their publication makes. Of
// transactions running it at once, a later one finds the rows already
// published (PostgreSQL checks the condition again on a row another
// transaction changed), so each article is claimed once.
func publishDue(ctx context.Context, tx pgx.Tx, now time.Time) ([]int64, jarchy.Change, error) {
	ids, err := queryIDs(ctx, tx, `UPDATE articles SET status = $1, version = version + 1, updated_at = $3
		WHERE status = $2 AND published_at <= $3 RETURNING id`, string(jarchy.StatusPublished), string(jarchy.StatusScheduled), now)
	if err != nil || len(ids) == 0 {
		return nil, jarchy.Change{}, err
	}
	slices.Sort(ids)
	for _, table := range []string{"article_tags", "article_authors"} {
		if _, err := tx.Exec(ctx, "UPDATE "+table+" SET status = $1 WHERE article_id = ANY($2)", string(jarchy.StatusPublished), ids); err != nil {
			return nil, jarchy.Change{}, err
		}
	}
	arts, err := loadArticles(ctx, tx, ids, false)
	if err != nil {
		return nil, jarchy.Change{}, err
	}
	ch, hashes := storeutil.PublishedChange(arts, now)
	artIDs := make([]int64, len(arts))
	for i, a := range arts {
		artIDs[i] = a.ID
	}
	if _, err := tx.Exec(ctx, `UPDATE articles AS a SET content_hash = v.hash
		FROM unnest($1::bigint[], $2::text[]) AS v(id, hash) WHERE a.id = v.id`, artIDs, hashes); err != nil {
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
	var next *time.Time
	if err := db.pool.QueryRow(ctx, "SELECT MIN(published_at) FROM articles WHERE status = $1", string(jarchy.StatusScheduled)).Scan(&next); err != nil {
		return time.Time{}, wrapErr("next scheduled article", err)
	}
	return fromDB(next), nil
}

// DeleteArticle removes an article, its relations and its redirects.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	now := db.now()
	return db.write(ctx, fmt.Sprintf("delete article %d", id), func(tx pgx.Tx) (jarchy.Change, error) {
		old, err := articleBefore(ctx, tx, &jarchy.Article{ID: id})
		if err != nil {
			return jarchy.Change{}, err
		}
		if old == nil {
			return jarchy.Change{}, notFound("article %d not found", id)
		}
		// Relations, redirects and the search row go by ON DELETE CASCADE.
		if _, err := tx.Exec(ctx, "DELETE FROM articles WHERE id = $1", id); err != nil {
			return jarchy.Change{}, err
		}
		if err := appendAudit(ctx, tx, now, jarchy.ArticleAudit(old, nil)); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.ArticleChange(old, nil, now), nil
	})
}
