package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Reads go in two steps: a query that picks article IDs from an index,
// then one statement that fetches those rows by primary key together with
// their section, tags, authors and translations (aggregated as JSON by
// SQLite), whatever the count. A statement costs far more than its rows here, and one
// statement is one consistent snapshot, so single reads need no
// transaction.

// articleSelect reads an article row, its section and, unless summary, its
// body, current rendered body, tags, authors and translations. It ends
// with the FROM clause; a is articles.
func articleSelect(summary bool) string {
	if summary {
		return summarySelect
	}
	return fullSelect
}

var (
	fullSelect    = buildArticleSelect(false)
	summarySelect = buildArticleSelect(true)
)

func buildArticleSelect(summary bool) string {
	body, bodyHTML, tags, authors, translations := "a.body", "''", "'[]'", "'[]'", "'[]'"
	if !summary {
		translations = `(SELECT json_group_array(json_object('i', t.id, 'l', t.lang, 's', t.slug, 'c', ts.slug,
				'st', t.status, 'p', t.published_at) ORDER BY t.id)
			FROM articles t JOIN sections ts ON ts.id = t.section_id
			WHERE t.translation_group = a.translation_group AND t.id <> a.id)`
		tags = `(SELECT json_group_array(json_object('i', t.id, 's', t.slug, 'n', t.name) ORDER BY x.position)
			FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id)`
		authors = `(SELECT json_group_array(json_object('i', u.id, 's', u.slug, 'n', u.name, 'b', u.bio) ORDER BY x.position)
			FROM article_authors x JOIN authors u ON u.id = x.author_id WHERE x.article_id = a.id)`
		bodyHTML = fmt.Sprintf("CASE WHEN a.body_html_version = %d THEN a.body_html ELSE '' END", storeutil.BodyHTMLVersion)
	} else {
		body = "''"
	}
	return `SELECT a.id, a.external_id, a.lang, a.translation_group, a.slug, a.status,
	a.published_at, a.created_at, a.updated_at,
	a.cover_path, a.cover_url, a.cover_caption, a.cover_credit, a.cover_alt, a.cover_width, a.cover_height,
	a.title, a.lead, ` + body + `, ` + bodyHTML + `,
	s.id, s.slug, s.position,
	(SELECT json_group_object(n.lang, n.name) FROM section_names n WHERE n.section_id = s.id),
	` + tags + `, ` + authors + `, ` + translations + `
FROM articles a JOIN sections s ON s.id = a.section_id`
}

// relation is a tag or an author as articleSelect aggregates it.
type relation struct {
	ID   int64  `json:"i"`
	Slug string `json:"s"`
	Name string `json:"n"`
	Bio  string `json:"b"`
}

// translation is a jarchy.Translation as articleSelect aggregates it.
type translation struct {
	ID          int64  `json:"i"`
	Lang        string `json:"l"`
	Slug        string `json:"s"`
	SectionSlug string `json:"c"`
	Status      string `json:"st"`
	PublishedAt *int64 `json:"p"`
}

func scanArticle(rows interface{ Scan(...any) error }, summary bool) (*jarchy.Article, error) {
	var a jarchy.Article
	var ext, cp, cu, cc, ccr, ca sql.NullString
	var cw, ch sql.NullInt64
	var pub, created, updated sql.NullInt64
	var names, tags, authors, translations []byte
	err := rows.Scan(&a.ID, &ext, &a.Lang, &a.TranslationGroup, &a.Slug, &a.Status,
		&pub, &created, &updated, &cp, &cu, &cc, &ccr, &ca, &cw, &ch, &a.Title, &a.Lead, &a.Body, &a.BodyHTML,
		&a.Section.ID, &a.Section.Slug, &a.Section.Position, &names, &tags, &authors, &translations)
	if err != nil {
		return nil, err
	}
	a.ExternalID = ext.String
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromDB(pub), fromDB(created), fromDB(updated)
	if cp.Valid || cu.Valid {
		a.Cover = &jarchy.Media{Path: cp.String, URL: cu.String, Caption: cc.String, Credit: ccr.String,
			Alt: ca.String, Width: int(cw.Int64), Height: int(ch.Int64)}
	}
	a.Section.Names = map[jarchy.Lang]string{}
	if len(names) > 0 {
		if err := json.Unmarshal(names, &a.Section.Names); err != nil {
			return nil, fmt.Errorf("section names of article %d: %w", a.ID, err)
		}
	}
	if summary {
		return &a, nil
	}
	var rel []relation
	if err := json.Unmarshal(tags, &rel); err != nil {
		return nil, fmt.Errorf("tags of article %d: %w", a.ID, err)
	}
	for _, r := range rel {
		a.Tags = append(a.Tags, jarchy.Tag{ID: r.ID, Slug: r.Slug, Name: r.Name})
	}
	rel = rel[:0]
	if err := json.Unmarshal(authors, &rel); err != nil {
		return nil, fmt.Errorf("authors of article %d: %w", a.ID, err)
	}
	for _, r := range rel {
		a.Authors = append(a.Authors, jarchy.Author{ID: r.ID, Slug: r.Slug, Name: r.Name, Bio: r.Bio})
	}
	var trs []translation
	if err := json.Unmarshal(translations, &trs); err != nil {
		return nil, fmt.Errorf("translations of article %d: %w", a.ID, err)
	}
	for _, t := range trs {
		var pub sql.NullInt64
		if t.PublishedAt != nil {
			pub = sql.NullInt64{Int64: *t.PublishedAt, Valid: true}
		}
		a.Translations = append(a.Translations, jarchy.Translation{ID: t.ID, Lang: jarchy.Lang(t.Lang), Slug: t.Slug,
			SectionSlug: t.SectionSlug, Status: jarchy.Status(t.Status), PublishedAt: fromDB(pub)})
	}
	slices.SortStableFunc(a.Translations, func(x, y jarchy.Translation) int {
		return storeutil.LangOrder(x.Lang) - storeutil.LangOrder(y.Lang)
	})
	return &a, nil
}

// querier runs a read statement: a transaction (qtx) or, for a read that is
// one statement, the read pool itself (db.pool()).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryArticles runs an articleSelect query and returns its rows in order.
func queryArticles(ctx context.Context, q querier, query string, summary bool, args ...any) ([]*jarchy.Article, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jarchy.Article
	for rows.Next() {
		a, err := scanArticle(rows, summary)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// loadArticles returns the articles with ids, in that order, with their
// relations; summaries leave out the body, tags and authors. IDs that do
// not exist are skipped.
func loadArticles(ctx context.Context, q querier, ids []int64, summary bool) ([]*jarchy.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(ids)
	list, err := queryArticles(ctx, q, articleSelect(summary)+" WHERE a.id IN ("+in+")", summary, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*jarchy.Article, len(list))
	for _, a := range list {
		byID[a.ID] = a
	}
	out := make([]*jarchy.Article, 0, len(list))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// pool runs one-statement reads on the read pool, prepared when it can.
type pool struct{ db *DB }

func (db *DB) pool() pool { return pool{db} }

func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.db.rstmts.get(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	go p.db.rstmts.prepare([]string{query}) // see queryRow
	return p.db.r.QueryContext(ctx, query, args...)
}
