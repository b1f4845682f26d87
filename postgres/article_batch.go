package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// pipelinedBatch saves prepared articles inside tx as saveWithChange would one
// after the other, in a few round trips instead of about fifteen per
// article: the stored rows, sections, tags, authors and free slugs are
// read for the whole batch at once, and the writes go out as one pipeline
// (pgx.Batch): media rows for new covers, sections, tags and authors with
// one statement each, new articles, their links and revisions and the
// audit log with one statement per table, in batch order, so that every
// sequence hands out what one save after the other would. Two kinds of
// batch are saved one article at a time (saveOneByOne): one that names an
// article twice (by ID or external ID), so that each save sees the one
// before, and one that updates an article saved before revisions existed
// (its baseline revision goes first). TestBatchSameAsOneByOne compares
// the two ways. pre, when not nil, is the batch's analysis done before
// (PrepareSave); else it is done while the database works.
func pipelinedBatch(ctx context.Context, tx pgx.Tx, ins []jarchy.Article, high storeutil.Highest, now time.Time, pre *analysis) ([]jarchy.Change, error) {
	item := func(i int, err error) error {
		return fmt.Errorf("%s: %w", storeutil.BatchItem(i, len(ins), ins[i].Title), err)
	}
	an := pre
	analysed := make(chan struct{})
	if an != nil {
		close(analysed)
	} else {
		an = newAnalysis(ins)
		go func() {
			defer close(analysed)
			an.build()
		}()
	}
	given, early := an.given, an.early
	olds, err := storedBefore(ctx, tx, ins)
	if err != nil {
		return nil, err
	}
	// The stored article of each one, and whether the batch is simple.
	stored := make([]*batchOld, len(ins))
	seenID := map[int64]bool{}
	seenExt := map[string]bool{}
	for i := range ins {
		a := &ins[i]
		var o *batchOld
		switch {
		case a.ID != 0:
			if o = olds.byID[a.ID]; o == nil {
				return nil, fault(item(i, notFound("article %d not found", a.ID)))
			}
		case a.ExternalID != "":
			o = olds.byExt[a.ExternalID]
		}
		if o != nil {
			// An article named twice, or one saved before revisions
			// existed (its baseline revision goes before its save's).
			if seenID[o.art.ID] || !o.hasRevision {
				return saveOneByOne(ctx, tx, ins, high, now)
			}
			seenID[o.art.ID] = true
		}
		if a.ExternalID != "" {
			if seenExt[a.ExternalID] {
				return saveOneByOne(ctx, tx, ins, high, now)
			}
			seenExt[a.ExternalID] = true
		}
		stored[i] = o
	}
	for i := range ins {
		a, o := &ins[i], stored[i]
		if o == nil {
			continue
		}
		a.ID = o.art.ID
		a.KeepCorrections(o.art)
		if a.Version != o.version {
			return nil, fault(item(i, jarchy.StaleVersion(a.ID, a.Version, o.version)))
		}
	}
	if err := resolveBatch(ctx, tx, ins, item); err != nil {
		return nil, err
	}
	for i := range ins {
		storeutil.DedupeRelations(&ins[i])
	}
	if err := linkCovers(ctx, tx, ins, stored, now, item); err != nil {
		return nil, err
	}
	if err := freeSlugs(ctx, tx, ins, item); err != nil {
		return nil, err
	}

	// New articles get their IDs now, in batch order, as one insert after
	// the other would.
	fresh := 0
	for i := range ins {
		if stored[i] == nil {
			fresh++
		}
	}
	if fresh > 0 {
		ids, err := queryIDs(ctx, tx, "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, $1)", fresh)
		if err != nil {
			return nil, err
		}
		slices.Sort(ids)
		k := 0
		for i := range ins {
			if stored[i] == nil {
				ins[i].ID, ins[i].Version = ids[k], 1
				k++
			}
		}
	}

	hashes := make([]string, len(ins))
	unchanged := make([]bool, len(ins))
	for i := range ins {
		a, o := &ins[i], stored[i]
		if a.TranslationGroup == "" {
			if o != nil {
				a.TranslationGroup = o.art.TranslationGroup
			} else {
				a.TranslationGroup = storeutil.NewGroup()
			}
		}
		hashes[i] = storeutil.ContentHash(a)
		switch {
		case o == nil:
			if a.CreatedAt.IsZero() {
				a.CreatedAt = now
			}
			a.UpdatedAt = now
		case hashes[i] == o.hash:
			a.CreatedAt, a.UpdatedAt = o.created.UTC(), o.updated.UTC()
		default:
			a.CreatedAt, a.UpdatedAt = o.created.UTC(), now
		}
		if o != nil {
			a.Version = o.version + 1
		}
		unchanged[i] = o != nil && hashes[i] == o.hash
	}
	info := jarchy.RevisionInfoFrom(ctx)

	// The writes go out in two pipelines: the articles, their links and
	// revisions while the analysis may still run, then the index rows.
	p := &pipeline{ins: ins, stored: stored, item: item}
	var rows newRows
	for i := range ins {
		if stored[i] == nil {
			rows.article(&ins[i], hashes[i])
		}
	}
	if len(rows.ids) > 0 {
		p.queue(-1, insertArticlesSQL, rows.columns()...)
	}
	for i := range ins {
		a, o := &ins[i], stored[i]
		if o == nil {
			rows.links(a)
			if err := rows.revision(a); err != nil {
				return nil, item(i, err)
			}
			continue
		}
		p.update(i, updateArticleSQL, append(articleArgs(a, hashes[i]), a.ID, a.Version-1)...)
		if o.art.Slug != a.Slug || o.art.Lang != a.Lang {
			p.queue(i, `INSERT INTO slug_redirects (lang, slug, article_id) VALUES ($1, $2, $3)
				ON CONFLICT (lang, slug) DO UPDATE SET article_id = EXCLUDED.article_id`, string(o.art.Lang), o.art.Slug, a.ID)
		}
		p.queue(i, "DELETE FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id = $3", string(a.Lang), a.Slug, a.ID)
		tagSQL, tagArgs := linkStatement("article_tags", "tag_id", a, tagIDs(a))
		p.queue(i, tagSQL, tagArgs...)
		authorSQL, authorArgs := linkStatement("article_authors", "author_id", a, authorIDs(a))
		p.queue(i, authorSQL, authorArgs...)
		if !unchanged[i] {
			if err := rows.revision(a); err != nil {
				return nil, item(i, err)
			}
		}
	}
	if len(rows.ids) > 0 {
		if len(rows.tagArticle) > 0 {
			p.queue(-1, insertLinksSQL("article_tags", "tag_id"), rows.tagArticle, rows.tagID, rows.tagPos, rows.tagLang, rows.tagStatus, rows.tagPub)
		}
		if len(rows.authorArticle) > 0 {
			p.queue(-1, insertLinksSQL("article_authors", "author_id"), rows.authorArticle, rows.authorID, rows.authorPos, rows.authorLang, rows.authorStatus, rows.authorPub)
		}
	}
	if len(rows.revArticle) > 0 {
		p.queue(-1, insertRevisionsSQL, rows.revArticle, rows.revVersion, rows.revisions, info.AuthorID, info.Note, now)
	}
	if err := p.run(ctx, tx); err != nil {
		return nil, err
	}

	<-analysed
	docs := make([]*searchindex.Doc, len(ins))
	var again []int
	for i := range ins {
		switch {
		case unchanged[i] || !searchindex.Indexed(&ins[i]):
		case early[i] != nil && sameNames(&given[i], &ins[i]):
			docs[i] = early[i]
		default:
			again = append(again, i)
		}
	}
	storeutil.Parallel(len(again), func(k int) {
		d := searchindex.Build(&ins[again[k]])
		docs[again[k]] = &d
	})
	var terms []string
	for i := range ins {
		switch {
		case docs[i] != nil && docs[i] == early[i] && an.terms != nil:
			terms = append(terms, an.terms[i]...)
		case docs[i] != nil:
			terms = append(terms, docs[i].Terms()...)
		}
		switch {
		case stored[i] == nil && docs[i] != nil:
			rows.doc(&ins[i], *docs[i])
		case stored[i] != nil && !unchanged[i]:
			sql, args := indexRowStatement(&ins[i], docs[i])
			p.queue(i, sql, args...)
		}
	}
	if len(rows.docIDs) > 0 {
		p.queue(-1, insertDocsSQL, rows.docIDs, rows.docTitle, rows.docLead, rows.docBody, rows.docTags, rows.docAuthors, rows.docLang, rows.docSection, rows.docPub, rows.docSnippet)
	}
	if len(terms) > 0 {
		slices.Sort(terms)
		p.queue(-1, insertTermsSQL, slices.Compact(terms))
	}
	if err := p.run(ctx, tx); err != nil {
		return nil, err
	}
	// The breaking flag is the stored one: saves never set it. The audit
	// entries go in batch order, as one save after the other writes them.
	var audit []jarchy.AuditEntry
	chs := make([]jarchy.Change, len(ins))
	for i := range ins {
		a := &ins[i]
		var old *jarchy.Article
		a.BreakingUntil = time.Time{}
		if stored[i] != nil {
			old = stored[i].art
			a.BreakingUntil = old.BreakingUntil
		}
		audit = append(audit, jarchy.ArticleAudit(old, a)...)
		chs[i] = storeutil.ArticleSaveChange(old, a, high, now)
	}
	if err := appendAuditBatch(ctx, tx, now, audit); err != nil {
		return nil, err
	}
	return chs, nil
}

// analysis is a batch's index documents (the dearest part of a save in
// Go), analysed from copies of the articles as given, so that an article
// whose tags or authors turn out to have other stored names is analysed
// again once they are known.
type analysis struct {
	given []jarchy.Article
	early []*searchindex.Doc // nil: not indexed
	terms [][]string         // the terms of early, when analysed ahead (PrepareSave)
}

func newAnalysis(ins []jarchy.Article) *analysis {
	an := &analysis{given: make([]jarchy.Article, len(ins)), early: make([]*searchindex.Doc, len(ins))}
	for i := range ins {
		an.given[i] = ins[i]
		an.given[i].Tags, an.given[i].Authors = slices.Clone(ins[i].Tags), slices.Clone(ins[i].Authors)
	}
	return an
}

func (an *analysis) build() {
	storeutil.Parallel(len(an.given), func(i int) {
		if searchindex.Indexed(&an.given[i]) {
			d := searchindex.Build(&an.given[i])
			an.early[i] = &d
		}
	})
}

// buildWithTerms is build, with the terms of each document too.
func (an *analysis) buildWithTerms() {
	an.terms = make([][]string, len(an.given))
	storeutil.Parallel(len(an.given), func(i int) {
		if searchindex.Indexed(&an.given[i]) {
			d := searchindex.Build(&an.given[i])
			an.early[i], an.terms[i] = &d, d.Terms()
		}
	})
}

// appendAuditBatch writes audit entries in their order with one statement,
// as appendAudit does one by one.
func appendAuditBatch(ctx context.Context, tx pgx.Tx, now time.Time, es []jarchy.AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	actor := jarchy.ActorFrom(ctx)
	kinds, actions, targets, details := make([]string, len(es)), make([]string, len(es)), make([]string, len(es)), make([]string, len(es))
	ids := make([]int64, len(es))
	for i, e := range es {
		kinds[i], actions[i], ids[i], targets[i], details[i] = e.Kind(), e.Action, e.TargetID, e.Target, e.Detail
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, kind, action, target_id, target, detail)
		SELECT $1, $2, $3, k, act, id, tg, d FROM unnest($4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[])
			WITH ORDINALITY AS x(k, act, id, tg, d, n) ORDER BY n`,
		now, actor.UserID, actor.Name, kinds, actions, ids, targets, details); err != nil {
		return fmt.Errorf("write the audit log: %w", err)
	}
	return nil
}

// linkCovers does linkCover for every article of the batch: the photos
// the library lacks are created from the first article naming each (as
// one save after the other would), then every cover becomes its stored
// row, read FOR SHARE, and CheckCoverAlt applies.
func linkCovers(ctx context.Context, tx pgx.Tx, ins []jarchy.Article, stored []*batchOld, now time.Time, item func(int, error) error) error {
	var keys, urls, types, captions, credits, alts, searches, variants, ogs []string
	var widths, heights []int32
	var uploaders []*int64
	seen := map[string]bool{}
	for i := range ins {
		c := ins[i].Cover
		if c == nil || seen[c.Key] {
			continue
		}
		seen[c.Key] = true
		var up *int64
		if c.Uploader != 0 {
			u := c.Uploader
			up = &u
		}
		keys, urls, types = append(keys, c.Key), append(urls, c.URL), append(types, c.Type)
		widths, heights = append(widths, int32(c.Width)), append(heights, int32(c.Height))
		captions, credits, alts = append(captions, c.Caption), append(credits, c.Credit), append(alts, c.Alt)
		searches = append(searches, jarchy.MediaSearchText(c))
		variants, ogs = append(variants, storeutil.EncodeVariants(c.Variants)), append(ogs, storeutil.EncodeOG(c.OG))
		uploaders = append(uploaders, up)
	}
	if len(keys) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO media (key, url, type, width, height, caption, credit, alt, search_text, variants, og,
		uploader, created_at, updated_at)
		SELECT k, u, t, w, h, c, cr, al, st, v, og, up, $13, $13
		FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::text[], $11::text[], $12::bigint[]) WITH ORDINALITY AS x(k, u, t, w, h, c, cr, al, st, v, og, up, n)
		ORDER BY n ON CONFLICT (key) DO NOTHING`,
		keys, urls, types, widths, heights, captions, credits, alts, searches, variants, ogs, uploaders, now); err != nil {
		return fmt.Errorf("cover photos of the batch: %w", err)
	}
	// FOR SHARE: a concurrent DeleteMedia waits for this transaction.
	rows, err := tx.Query(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = ANY($1) ORDER BY m.key FOR SHARE", keys)
	if err != nil {
		return err
	}
	byKey := map[string]*jarchy.Media{}
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			rows.Close()
			return err
		}
		byKey[m.Key] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range ins {
		a := &ins[i]
		if a.Cover == nil {
			continue
		}
		m, ok := byKey[a.Cover.Key]
		if !ok {
			return item(i, fmt.Errorf("cover %q was not created", a.Cover.Key))
		}
		cp := *m
		a.Cover = &cp
		var oldStatus jarchy.Status
		var oldCover string
		if o := stored[i]; o != nil {
			oldStatus, oldCover = o.art.Status, str(o.cover)
		}
		if err := jarchy.CheckCoverAlt(a, oldStatus, oldCover); err != nil {
			return fault(item(i, err))
		}
	}
	return nil
}

// saveBatch is the batch save SaveArticles uses: pipelinedBatch, or
// saveOneByOne when the store is set to (db.oneByOne, for the
// differential test that compares the two).
func (db *DB) saveBatch(ctx context.Context, tx pgx.Tx, ins []jarchy.Article, high storeutil.Highest, now time.Time, pre *analysis) ([]jarchy.Change, error) {
	if db.oneByOne {
		return saveOneByOne(ctx, tx, ins, high, now)
	}
	given := slices.Clone(ins)
	for i := range given {
		given[i].Tags, given[i].Authors = slices.Clone(ins[i].Tags), slices.Clone(ins[i].Authors)
	}
	chs, err := pipelinedBatch(ctx, tx, ins, high, now, pre)
	var f batchFault
	if errors.As(err, &f) {
		// The batch meets a fault before writing any article: one save
		// after the other finds the one it would have met first (the
		// transaction is rolled back either way).
		copy(ins, given)
		return saveOneByOne(ctx, tx, ins, high, now)
	}
	return chs, err
}

// batchFault is a fault pipelinedBatch finds in an article before it
// writes any (a stale version, an unknown section, tag or author, a cover
// without alt text, no free slug): the batch is then saved one article at
// a time, which names the first article one save after the other fails at.
type batchFault struct{ err error }

func (f batchFault) Error() string { return f.err.Error() }
func (f batchFault) Unwrap() error { return f.err }

func fault(err error) error { return batchFault{err} }

// pipeline is a pgx.Batch of a batch save's writes, each statement
// owned by the article whose error it is (-1: several articles').
type pipeline struct {
	ins     []jarchy.Article
	stored  []*batchOld
	item    func(int, error) error
	b       pgx.Batch
	owner   []int
	updates map[int]bool // statements that must change one row
}

func (p *pipeline) queue(i int, sql string, args ...any) {
	p.b.Queue(sql, args...)
	p.owner = append(p.owner, i)
}

func (p *pipeline) update(i int, sql string, args ...any) {
	if p.updates == nil {
		p.updates = map[int]bool{}
	}
	p.updates[len(p.owner)] = true
	p.queue(i, sql, args...)
}

// run sends the queued statements in one round trip and empties the
// pipeline.
func (p *pipeline) run(ctx context.Context, tx pgx.Tx) error {
	if len(p.owner) == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, &p.b)
	for k, i := range p.owner {
		tag, err := br.Exec()
		if err == nil && p.updates[k] && tag.RowsAffected() != 1 {
			err = jarchy.StaleVersion(p.ins[i].ID, p.ins[i].Version-1, p.stored[i].version)
		}
		if err != nil {
			br.Close()
			if i < 0 {
				return fmt.Errorf("new articles of the batch: %w", err)
			}
			return p.item(i, err)
		}
	}
	err := br.Close()
	p.b, p.owner, p.updates = pgx.Batch{}, nil, nil
	return err
}

// sameNames reports whether a and b have the same tag and author names in
// the same order (what searchindex.Build reads of them besides the texts).
func sameNames(a, b *jarchy.Article) bool {
	if len(a.Tags) != len(b.Tags) || len(a.Authors) != len(b.Authors) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i].Name != b.Tags[i].Name {
			return false
		}
	}
	for i := range a.Authors {
		if a.Authors[i].Name != b.Authors[i].Name {
			return false
		}
	}
	return true
}

// batchOld is a stored article a batch updates: what articleBefore and
// saveArticle read of it.
type batchOld struct {
	art              *jarchy.Article // as articleBefore reads it
	hash             string
	cover            *string
	created, updated time.Time
	version          int64
	hasRevision      bool
}

type batchOlds struct {
	byID  map[int64]*batchOld
	byExt map[string]*batchOld
}

// storedBefore reads (and locks) the stored articles that the batch
// names by ID or external ID.
func storedBefore(ctx context.Context, tx pgx.Tx, ins []jarchy.Article) (batchOlds, error) {
	out := batchOlds{byID: map[int64]*batchOld{}, byExt: map[string]*batchOld{}}
	var ids []int64
	var exts []string
	for i := range ins {
		switch {
		case ins[i].ID != 0:
			ids = append(ids, ins[i].ID)
		case ins[i].ExternalID != "":
			exts = append(exts, ins[i].ExternalID)
		}
	}
	if len(ids) == 0 && len(exts) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT id, coalesce(external_id, ''), lang, slug, translation_group, section_id, status, published_at,
		ARRAY(SELECT tag_id FROM article_tags WHERE article_id = a.id),
		ARRAY(SELECT author_id FROM article_authors WHERE article_id = a.id),
		content_hash, created_at, updated_at, version, EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id),
		title, corrections::text, breaking_until, cover_key
		FROM articles a WHERE id = ANY($1) OR external_id = ANY($2) ORDER BY id FOR UPDATE`, ids, exts)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		o := &batchOld{art: &jarchy.Article{}}
		old := o.art
		var ext, lang, status string
		var published, breaking *time.Time
		var tags, authors []int64
		var corrections []byte
		if err := rows.Scan(&old.ID, &ext, &lang, &old.Slug, &old.TranslationGroup, &old.Section.ID, &status, &published,
			&tags, &authors, &o.hash, &o.created, &o.updated, &o.version, &o.hasRevision,
			&old.Title, &corrections, &breaking, &o.cover); err != nil {
			return out, err
		}
		old.Lang, old.Status, old.PublishedAt = jarchy.Lang(lang), jarchy.Status(status), fromDB(published)
		old.BreakingUntil = fromDB(breaking)
		var err error
		if old.Corrections, err = storeutil.ParseCorrections(corrections); err != nil {
			return out, err
		}
		for _, id := range tags {
			old.Tags = append(old.Tags, jarchy.Tag{ID: id})
		}
		for _, id := range authors {
			old.Authors = append(old.Authors, jarchy.Author{ID: id})
		}
		out.byID[old.ID] = o
		if ext != "" {
			out.byExt[ext] = o
		}
	}
	return out, rows.Err()
}

// resolveBatch does resolveSection, resolveTags and resolveAuthors for
// every article of the batch with one look-up per kind: those given by
// ID are read, those given by slug found or created in the order they
// first appear (a found one keeps its stored names). Every one given by
// slug is offered to the insert, as one save after the other offers it,
// so that the sequences hand out the same IDs (a conflicting row takes a
// value too).
func resolveBatch(ctx context.Context, tx pgx.Tx, ins []jarchy.Article, item func(int, error) error) error {
	// sections
	var secIDs []int64
	var secSlugs, secNames []string
	var secPos []int32
	for i := range ins {
		s := &ins[i].Section
		if s.ID != 0 {
			secIDs = append(secIDs, s.ID)
		} else {
			names, err := jsonNames(s.Names)
			if err != nil {
				return err
			}
			secSlugs, secPos, secNames = append(secSlugs, s.Slug), append(secPos, int32(s.Position)), append(secNames, names)
		}
	}
	if len(secSlugs) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO sections (slug, position, names)
			SELECT s, p, n::jsonb FROM unnest($1::text[], $2::int[], $3::text[]) WITH ORDINALITY AS x(s, p, n, o) ORDER BY o
			ON CONFLICT (slug) DO NOTHING`, secSlugs, secPos, secNames); err != nil {
			return err
		}
	}
	secByID, secBySlug := map[int64]jarchy.Section{}, map[string]jarchy.Section{}
	rows, err := tx.Query(ctx, "SELECT id, slug, position, names FROM sections WHERE id = ANY($1) OR slug = ANY($2)", secIDs, secSlugs)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s jarchy.Section
		if err := scanSection(rows, &s); err != nil {
			rows.Close()
			return err
		}
		secByID[s.ID], secBySlug[s.Slug] = s, s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	// tags and authors
	var tagIDs, authorIDs []int64
	var tagSlugs, tagNames, authorSlugs, authorNames, authorBios []string
	for i := range ins {
		for _, t := range ins[i].Tags {
			if t.ID != 0 {
				tagIDs = append(tagIDs, t.ID)
			} else {
				tagSlugs, tagNames = append(tagSlugs, t.Slug), append(tagNames, t.Name)
			}
		}
		for _, au := range ins[i].Authors {
			if au.ID != 0 {
				authorIDs = append(authorIDs, au.ID)
			} else {
				authorSlugs, authorNames, authorBios = append(authorSlugs, au.Slug), append(authorNames, au.Name), append(authorBios, au.Bio)
			}
		}
	}
	if len(tagSlugs) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO tags (slug, name)
			SELECT s, n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(s, n, o) ORDER BY o
			ON CONFLICT (slug) DO NOTHING`, tagSlugs, tagNames); err != nil {
			return err
		}
	}
	if len(authorSlugs) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO authors (slug, name, bio)
			SELECT s, n, b FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(s, n, b, o) ORDER BY o
			ON CONFLICT (slug) DO NOTHING`, authorSlugs, authorNames, authorBios); err != nil {
			return err
		}
	}
	tagByID, tagBySlug := map[int64]jarchy.Tag{}, map[string]jarchy.Tag{}
	if len(tagIDs)+len(tagSlugs) > 0 {
		rows, err := tx.Query(ctx, "SELECT id, slug, name FROM tags WHERE id = ANY($1) OR slug = ANY($2)", tagIDs, tagSlugs)
		if err != nil {
			return err
		}
		for rows.Next() {
			var t jarchy.Tag
			if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
				rows.Close()
				return err
			}
			tagByID[t.ID], tagBySlug[t.Slug] = t, t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	authorByID, authorBySlug := map[int64]jarchy.Author{}, map[string]jarchy.Author{}
	if len(authorIDs)+len(authorSlugs) > 0 {
		rows, err := tx.Query(ctx, "SELECT id, slug, name, bio FROM authors WHERE id = ANY($1) OR slug = ANY($2)", authorIDs, authorSlugs)
		if err != nil {
			return err
		}
		for rows.Next() {
			var au jarchy.Author
			if err := rows.Scan(&au.ID, &au.Slug, &au.Name, &au.Bio); err != nil {
				rows.Close()
				return err
			}
			authorByID[au.ID], authorBySlug[au.Slug] = au, au
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}

	for i := range ins {
		a := &ins[i]
		var ok bool
		if a.Section.ID != 0 {
			found, ok := secByID[a.Section.ID]
			if !ok {
				return fault(item(i, jarchy.Invalid("section", "err.section_unknown", "section %d does not exist", a.Section.ID)))
			}
			a.Section = found
		} else if a.Section, ok = secBySlug[a.Section.Slug]; !ok {
			return item(i, fmt.Errorf("section %q was not created", a.Section.Slug))
		}
		for k := range a.Tags {
			t := &a.Tags[k]
			if t.ID != 0 {
				found, ok := tagByID[t.ID]
				if !ok {
					return fault(item(i, jarchy.Invalid("tags", "err.tag_unknown", "tag %d does not exist", t.ID)))
				}
				t.Slug, t.Name = found.Slug, found.Name
			} else if found, ok := tagBySlug[t.Slug]; ok {
				t.ID, t.Name = found.ID, found.Name
			} else {
				return item(i, fmt.Errorf("tag %q was not created", t.Slug))
			}
		}
		for k := range a.Authors {
			au := &a.Authors[k]
			if au.ID != 0 {
				found, ok := authorByID[au.ID]
				if !ok {
					return fault(item(i, jarchy.Invalid("authors", "err.author_unknown", "author %d does not exist", au.ID)))
				}
				au.Slug, au.Name, au.Bio = found.Slug, found.Name, found.Bio
			} else if found, ok := authorBySlug[au.Slug]; ok {
				au.ID, au.Name, au.Bio = found.ID, found.Name, found.Bio
			} else {
				return item(i, fmt.Errorf("author %q was not created", au.Slug))
			}
		}
	}
	return nil
}

// freeSlugs gives each article of the batch the slug freeSlug would give
// it had the articles before it in the batch been saved already: what the
// database holds before the batch (the rows of articles the batch moves
// away keep their old slugs as redirects), and the slugs given earlier in
// the batch. One query checks every article's wanted slug; only the taken
// ones try base-2, base-3… one by one.
func freeSlugs(ctx context.Context, tx pgx.Tx, ins []jarchy.Article, item func(int, error) error) error {
	langs := make([]string, len(ins))
	slugs := make([]string, len(ins))
	selfs := make([]int64, len(ins))
	for i := range ins {
		langs[i], slugs[i], selfs[i] = string(ins[i].Lang), storeutil.SlugCandidate(ins[i].Slug, 1), ins[i].ID
	}
	taken := map[int]bool{}
	rows, err := tx.Query(ctx, `SELECT c.o FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS c(lang, slug, self, o)
		WHERE EXISTS (SELECT 1 FROM articles a WHERE a.lang = c.lang AND a.slug = c.slug AND a.id <> c.self)
		OR EXISTS (SELECT 1 FROM slug_redirects r WHERE r.lang = c.lang AND r.slug = c.slug AND r.article_id <> c.self)`,
		langs, slugs, selfs)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return err
		}
		taken[int(o-1)] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	type key struct{ lang, slug string }
	given := map[key]int64{} // slug → the article given it earlier in the batch (0: a new one)
	inBatch := func(lang jarchy.Lang, slug string, self int64) bool {
		id, ok := given[key{string(lang), slug}]
		return ok && (id == 0 || id != self)
	}
	for i := range ins {
		a := &ins[i]
		slug := slugs[i]
		if taken[i] || inBatch(a.Lang, slug, a.ID) {
			slug = ""
			for n := 2; n <= maxSlugTries && slug == ""; n++ {
				cand := storeutil.SlugCandidate(a.Slug, n)
				if inBatch(a.Lang, cand, a.ID) {
					continue
				}
				var t bool
				if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE lang = $1 AND slug = $2 AND id <> $3)
					OR EXISTS (SELECT 1 FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id <> $3)`,
					string(a.Lang), cand, a.ID).Scan(&t); err != nil {
					return err
				}
				if !t {
					slug = cand
				}
			}
			if slug == "" {
				return fault(item(i, jarchy.Errorf(jarchy.ECONFLICT, "no free slug for %q after %d tries", a.Slug, maxSlugTries)))
			}
		}
		a.Slug = slug
		given[key{string(a.Lang), slug}] = a.ID
	}
	return nil
}

// newRows holds the new articles of a batch column by column, for one
// multi-row statement per table.
type newRows struct {
	ids                                             []int64
	ext, lang, group, title, slug, lead, body       []string
	section                                         []int64
	status                                          []string
	published                                       []*time.Time
	updated, created                                []time.Time
	hash                                            []string
	cover                                           []*string
	bodyHTML, corrections, seoTitle, seoDescription []string
	owner                                           []int64

	tagArticle, tagID, authorArticle, authorID   []int64
	tagPos, authorPos                            []int32
	tagLang, tagStatus, authorLang, authorStatus []string
	tagPub, authorPub                            []*time.Time

	docIDs                                                   []int64
	docTitle, docLead, docBody, docTags, docAuthors, docLang []string
	docSection                                               []int64
	docPub                                                   []time.Time
	docSnippet                                               []string

	revArticle, revVersion []int64
	revisions              []string
}

// revision adds a's snapshot to the batch's revisions, which are written
// in batch order.
func (r *newRows) revision(a *jarchy.Article) error {
	doc, err := jarchy.EncodeSnapshot(a)
	if err != nil {
		return err
	}
	r.revArticle, r.revVersion, r.revisions = append(r.revArticle, a.ID), append(r.revVersion, a.Version), append(r.revisions, string(doc))
	return nil
}

func pubOf(a *jarchy.Article) *time.Time {
	if a.PublishedAt.IsZero() {
		return nil
	}
	t := a.PublishedAt
	return &t
}

func (r *newRows) article(a *jarchy.Article, hash string) {
	var cover *string
	if a.Cover != nil {
		k := a.Cover.Key
		cover = &k
	}
	r.ids = append(r.ids, a.ID)
	r.ext = append(r.ext, a.ExternalID)
	r.lang = append(r.lang, string(a.Lang))
	r.group = append(r.group, a.TranslationGroup)
	r.title = append(r.title, a.Title)
	r.slug = append(r.slug, a.Slug)
	r.lead = append(r.lead, a.Lead)
	r.body = append(r.body, a.Body)
	r.section = append(r.section, a.Section.ID)
	r.status = append(r.status, string(a.Status))
	r.published = append(r.published, pubOf(a))
	r.updated = append(r.updated, a.UpdatedAt)
	r.created = append(r.created, a.CreatedAt)
	r.hash = append(r.hash, hash)
	r.cover = append(r.cover, cover)
	r.bodyHTML = append(r.bodyHTML, a.BodyHTML)
	r.corrections = append(r.corrections, storeutil.CorrectionsJSON(a.Corrections))
	r.seoTitle = append(r.seoTitle, a.SEOTitle)
	r.seoDescription = append(r.seoDescription, a.SEODescription)
	r.owner = append(r.owner, a.OwnerID)
}

func (r *newRows) columns() []any {
	return []any{r.ids, r.ext, r.lang, r.group, r.title, r.slug, r.lead, r.body, r.section, r.status, r.published,
		r.updated, r.created, r.hash, r.cover, r.bodyHTML, r.corrections, r.seoTitle, r.seoDescription, r.owner,
		storeutil.BodyHTMLVersion}
}

func (r *newRows) links(a *jarchy.Article) {
	for k, t := range a.Tags {
		r.tagArticle, r.tagID, r.tagPos = append(r.tagArticle, a.ID), append(r.tagID, t.ID), append(r.tagPos, int32(k))
		r.tagLang, r.tagStatus, r.tagPub = append(r.tagLang, string(a.Lang)), append(r.tagStatus, string(a.Status)), append(r.tagPub, pubOf(a))
	}
	for k, au := range a.Authors {
		r.authorArticle, r.authorID, r.authorPos = append(r.authorArticle, a.ID), append(r.authorID, au.ID), append(r.authorPos, int32(k))
		r.authorLang, r.authorStatus, r.authorPub = append(r.authorLang, string(a.Lang)), append(r.authorStatus, string(a.Status)), append(r.authorPub, pubOf(a))
	}
}

func (r *newRows) doc(a *jarchy.Article, d searchindex.Doc) {
	d.Body = fitBody(d)
	r.docIDs = append(r.docIDs, a.ID)
	r.docTitle, r.docLead, r.docBody = append(r.docTitle, d.Title), append(r.docLead, d.Lead), append(r.docBody, d.Body)
	r.docTags, r.docAuthors = append(r.docTags, d.Tags), append(r.docAuthors, d.Authors)
	r.docLang, r.docSection, r.docPub = append(r.docLang, string(a.Lang)), append(r.docSection, a.Section.ID), append(r.docPub, a.PublishedAt)
	r.docSnippet = append(r.docSnippet, d.SnippetText)
}

// insertArticlesSQL inserts new articles: column arrays $1..$20 (the ID,
// the columns of articleArgs but the renderer's version, and the owner)
// and the renderer's version $21.
const insertArticlesSQL = `INSERT INTO articles (id, external_id, lang, translation_group, title, slug,
	lead, body, section_id, status, published_at, updated_at, created_at, content_hash, cover_key,
	body_html, corrections, seo_title, seo_description, owner_id, body_html_version, version)
	SELECT id, NULLIF(ext, ''), lang, grp, title, slug, lead, body, section, status, pub, upd, cre, hash,
		cover, html, corr::jsonb, seot, seod, owner, $21, 1
	FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::bigint[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::text[],
		$15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::bigint[])
		WITH ORDINALITY AS x(id, ext, lang, grp, title, slug, lead, body, section, status, pub, upd, cre, hash,
		cover, html, corr, seot, seod, owner, n)
	ORDER BY n`

// insertLinksSQL inserts the link rows of new articles into table.
func insertLinksSQL(table, col string) string {
	return `INSERT INTO ` + table + ` (article_id, ` + col + `, position, lang, status, published_at)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])`
}

// insertDocsSQL inserts the index rows of new articles: the positional
// document in search_docs, its stripped lexemes in search_match and the
// snippet text in search_text, as indexRowStatement does for one.
var insertDocsSQL = `WITH x AS (
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
			$9::timestamptz[], $10::text[]) AS x(id, t, l, b, g, u, lang, section, pub, snippet)),
	d AS (
		INSERT INTO search_docs (article_id, doc, lang, section_id, published_at)
		SELECT id, ` + docExprOf("t", "l", "b", "g", "u") + `, lang, section, pub FROM x
		RETURNING article_id, lang, section_id, published_at, doc),
	s AS (
		INSERT INTO search_text (article_id, snippet) SELECT id, snippet FROM x)
	INSERT INTO search_match (article_id, lang, section_id, published_at, lexemes)
		SELECT article_id, lang, section_id, published_at, strip(doc) FROM d`

// insertRevisionsSQL stores the revisions of a batch: articles $1 at
// versions $2 with snapshots $3, by $4 with note $5 at $6, in order.
const insertRevisionsSQL = `INSERT INTO revisions (article_id, version, author_id, note, created_at, snapshot)
	SELECT id, v, $4, $5, $6, snap::jsonb FROM unnest($1::bigint[], $2::bigint[], $3::text[]) WITH ORDINALITY AS x(id, v, snap, n) ORDER BY n`
