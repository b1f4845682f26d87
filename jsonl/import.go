package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
	"github.com/jarchy/jarchy/media"
)

// BatchSaver is implemented by stores that save many articles in one
// transaction; Import uses it when present.
type BatchSaver interface {
	SaveArticles(ctx context.Context, as []*jarchy.Article) error
}

// Options tune an import.
type Options struct {
	// Blobs, when set, is checked for cover paths; a missing blob is a
	// warning, not an error (the photo may be copied later).
	Blobs media.Store
	// Progress, when set, is called after each line with the bytes read
	// so far and the line number.
	Progress func(bytesRead int64, line int)
	// BatchSize is the number of articles per transaction on a store with
	// SaveArticles (default 200).
	BatchSize int
}

type pending struct {
	line    int
	id      string
	article *jarchy.Article
	created bool
}

type importer struct {
	st       jarchy.Store
	opt      Options
	rep      *Report
	groups   map[string]string // external id -> group, for lines read so far
	slugs    map[string]string // kind, lang and name -> slug of a tag or author
	sections map[string]jarchy.Section
	maxPos   int
	batch    []pending
}

// Import reads JSON Lines from r and saves every valid line into st. It
// returns an error only when it cannot go on (reading fails, the context
// ends); problems with single lines are in the report.
func Import(ctx context.Context, st jarchy.Store, r io.Reader, opt Options) (*Report, error) {
	start := time.Now()
	if opt.BatchSize <= 0 {
		opt.BatchSize = 200
	}
	im := &importer{st: st, opt: opt, rep: &Report{}, groups: map[string]string{}, slugs: map[string]string{}}
	if err := im.loadSections(ctx); err != nil {
		return im.rep, err
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return im.finish(start), fmt.Errorf("read line %d: %w", n, err)
		}
		if len(line) > 0 || tooLong {
			if n == 1 {
				line = bytes.TrimPrefix(line, []byte("\uFEFF"))
			}
			if len(bytes.TrimSpace(line)) > 0 || tooLong {
				im.rep.Lines++
				if tooLong {
					im.rep.fail(LineError{Line: n, Reason: fmt.Sprintf("line is longer than %d bytes", MaxLineBytes)})
				} else {
					im.add(ctx, n, line)
				}
			}
		}
		if len(im.batch) >= opt.BatchSize {
			if err := im.flush(ctx); err != nil {
				return im.finish(start), err
			}
		}
		if opt.Progress != nil {
			opt.Progress(cr.n, n)
		}
		if err := ctx.Err(); err != nil {
			return im.finish(start), err
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if err := im.flush(ctx); err != nil {
		return im.finish(start), err
	}
	return im.finish(start), nil
}

func (im *importer) finish(start time.Time) *Report {
	im.rep.Duration = time.Since(start)
	return im.rep
}

// readLine returns the next line without its newline. A line longer than
// MaxLineBytes is consumed and reported as too long.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLineBytes+2 { // +2 for \r\n
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimRight(buf, "\r\n")
		if len(buf) > MaxLineBytes {
			tooLong, buf = true, nil
		}
		return buf, tooLong, err
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (im *importer) loadSections(ctx context.Context) error {
	secs, err := im.st.Sections(ctx)
	if err != nil {
		return fmt.Errorf("load sections: %w", err)
	}
	im.sections = map[string]jarchy.Section{}
	for _, s := range secs {
		im.addSection(s)
	}
	return nil
}

func (im *importer) addSection(s jarchy.Section) {
	im.maxPos = max(im.maxPos, s.Position)
	for _, n := range s.Names {
		if k := strings.ToLower(strings.TrimSpace(n)); k != "" {
			if _, taken := im.sections[k]; !taken {
				im.sections[k] = s
			}
		}
	}
	im.sections[s.Slug] = s // a slug wins over a name
}

// section finds a section by slug or by a name in any language (ignoring
// case), or describes a new one named name.
func (im *importer) section(lang jarchy.Lang, name string) (jarchy.Section, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" {
		return jarchy.Section{}, errors.New("section is required")
	}
	if s, ok := im.sections[key]; ok {
		return jarchy.Section{Slug: s.Slug}, nil
	}
	slug := jarchy.Slugify(lang, name)
	if s, ok := im.sections[slug]; ok {
		return jarchy.Section{Slug: s.Slug}, nil
	}
	s := jarchy.Section{Slug: slug, Position: im.maxPos + 1, Names: map[jarchy.Lang]string{lang: strings.TrimSpace(name)}}
	if err := storeutil.CheckSection(&s); err != nil {
		return jarchy.Section{}, errors.New(jarchy.ErrorMessage(err))
	}
	im.addSection(s)
	return s, nil
}

// add parses one line and queues its article (or records why not).
func (im *importer) add(ctx context.Context, n int, raw []byte) {
	id, a, existing, err := im.parse(ctx, raw)
	if err != nil {
		im.rep.fail(LineError{Line: n, ID: id, Reason: err.Error()})
		return
	}
	im.groups[id] = a.TranslationGroup
	if existing != nil && same(a, existing) {
		im.rep.Unchanged++
		return
	}
	if c := a.Cover; c != nil && c.Path != "" && im.opt.Blobs != nil {
		if ok, err := im.opt.Blobs.Exists(ctx, c.Path); err == nil && !ok {
			im.rep.warn(LineError{Line: n, ID: id, Reason: fmt.Sprintf("cover path %q is not in the media store", c.Path)})
		}
	}
	im.batch = append(im.batch, pending{line: n, id: id, article: a, created: existing == nil})
}

func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	batch := im.batch
	im.batch = nil
	if bs, ok := im.st.(BatchSaver); ok && len(batch) > 1 {
		as := make([]*jarchy.Article, len(batch))
		for i, p := range batch {
			as[i] = p.article
		}
		if err := bs.SaveArticles(ctx, as); err == nil {
			for _, p := range batch {
				im.count(p)
			}
			return nil
		} else if ctx.Err() != nil {
			return err
		}
		// Something in the batch failed: save one by one to find it.
	}
	for _, p := range batch {
		if err := im.st.SaveArticle(ctx, p.article); err != nil {
			if ctx.Err() != nil {
				return err
			}
			im.rep.fail(LineError{Line: p.line, ID: p.id, Reason: reason(err)})
			continue
		}
		im.count(p)
	}
	sortErrors(im.rep.Errors)
	return nil
}

func (im *importer) count(p pending) {
	if p.created {
		im.rep.Created++
	} else {
		im.rep.Updated++
	}
}

func sortErrors(es []LineError) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].Line < es[j-1].Line; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// reason turns an error into the text reported for a line.
func reason(err error) string {
	var e *jarchy.Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "cannot save: " + err.Error()
}

// parse decodes and checks one line and resolves it against the store.
func (im *importer) parse(ctx context.Context, raw []byte) (string, *jarchy.Article, *jarchy.Article, error) {
	if !utf8.Valid(raw) {
		return "", nil, nil, errors.New("line is not valid UTF-8")
	}
	var l Line
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&l); err != nil {
		return l.ID, nil, nil, jsonReason(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return l.ID, nil, nil, errors.New("invalid JSON: more than one value on the line")
	}
	id := strings.TrimSpace(l.ID)
	if id == "" {
		return "", nil, nil, errors.New("id is required")
	}
	if len(id) > storeutil.MaxExternalIDLen {
		return "", nil, nil, fmt.Errorf("id is longer than %d bytes", storeutil.MaxExternalIDLen)
	}
	lang, ok := jarchy.ParseLang(strings.TrimSpace(l.Lang))
	if !ok {
		return id, nil, nil, fmt.Errorf("unknown lang %q (want ky, ru or en)", l.Lang)
	}
	a := &jarchy.Article{
		ExternalID: id, Lang: lang, Title: l.Title, Slug: strings.TrimSpace(l.Slug), Lead: l.Lead, Body: l.Body,
	}
	status := strings.TrimSpace(l.Status)
	switch {
	case status == "" && strings.TrimSpace(l.PublishedAt) != "":
		a.Status = jarchy.StatusPublished
	case status == "":
		a.Status = jarchy.StatusDraft
	default:
		a.Status = jarchy.Status(status)
		if !a.Status.Valid() {
			return id, nil, nil, fmt.Errorf("unknown status %q (want published or draft)", l.Status)
		}
	}
	if p := strings.TrimSpace(l.PublishedAt); p != "" {
		t, err := time.Parse(time.RFC3339, p)
		if err != nil {
			return id, nil, nil, fmt.Errorf("published_at %q is not an RFC 3339 time", l.PublishedAt)
		}
		a.PublishedAt = t.UTC()
	}
	sec, err := im.section(lang, l.Section)
	if err != nil {
		return id, nil, nil, err
	}
	a.Section = sec
	for _, t := range l.Tags {
		slug, err := im.relationSlug(ctx, "tag", lang, t)
		if err != nil {
			return id, nil, nil, err
		}
		a.Tags = append(a.Tags, jarchy.Tag{Slug: slug, Name: t})
	}
	for _, au := range l.Authors {
		slug, err := im.relationSlug(ctx, "author", lang, au)
		if err != nil {
			return id, nil, nil, err
		}
		a.Authors = append(a.Authors, jarchy.Author{Slug: slug, Name: au})
	}
	if c := l.Cover; c != nil {
		m, err := cover(c)
		if err != nil {
			return id, nil, nil, err
		}
		a.Cover = m
	}

	existing, err := im.existing(ctx, id)
	if err != nil {
		return id, nil, nil, err
	}
	tof := strings.TrimSpace(l.TranslationOf)
	switch {
	case tof != "" && tof != id:
		if len(tof) > storeutil.MaxGroupLen {
			return id, nil, nil, fmt.Errorf("translation_of is longer than %d bytes", storeutil.MaxGroupLen)
		}
		a.TranslationGroup = tof
		if g, ok := im.groups[tof]; ok {
			a.TranslationGroup = g
		} else if other, err := im.st.ArticleByExternalID(ctx, tof); err == nil {
			a.TranslationGroup = other.TranslationGroup
		} else if !jarchy.IsNotFound(err) {
			return id, nil, nil, fmt.Errorf("look up translation_of %q: %w", tof, err)
		}
	case existing != nil:
		a.TranslationGroup = existing.TranslationGroup
	default:
		a.TranslationGroup = id
	}
	if existing != nil {
		a.ID = existing.ID
		if a.PublishedAt.IsZero() && a.Status == existing.Status {
			a.PublishedAt = existing.PublishedAt
		}
		if a.Slug == "" {
			base := jarchy.Slugify(lang, strings.TrimSpace(a.Title))
			if existing.Lang == lang && (existing.Slug == base || strings.HasPrefix(existing.Slug, base+"-")) {
				a.Slug = existing.Slug
			}
		}
	}
	// Validate now, so that one bad line cannot fail a whole batch.
	check := *a
	check.Tags = append([]jarchy.Tag(nil), a.Tags...)
	check.Authors = append([]jarchy.Author(nil), a.Authors...)
	if err := storeutil.PrepareArticle(&check); err != nil {
		return id, nil, nil, errors.New(reason(err))
	}
	check.ID, check.CreatedAt, check.UpdatedAt = a.ID, a.CreatedAt, a.UpdatedAt
	return id, &check, existing, nil
}

// relationSlug returns the slug for a tag or author name: the name
// transliterated for lang, unless no such one is stored and a stored one
// with this very name has the slug another language's transliteration gives (a Kyrgyz tag "Жалал-Абад"
// is "jalal-abad", while Russian rules give "zhalal-abad"). An empty slug
// is left for the store to reject with its own message.
func (im *importer) relationSlug(ctx context.Context, kind string, lang jarchy.Lang, name string) (string, error) {
	name = strings.TrimSpace(name)
	key := kind + "\x00" + string(lang) + "\x00" + name
	if s, ok := im.slugs[key]; ok {
		return s, nil
	}
	first := jarchy.Slugify(lang, name)
	slug := first
	// The article's own language first, so that a second import of the
	// same file resolves every name as the first one did.
	order := append([]jarchy.Lang{lang}, jarchy.Langs...)
	for i, l := range order {
		cand := jarchy.Slugify(l, name)
		if cand == "" || (i > 0 && cand == first) {
			continue
		}
		var stored string
		var err error
		if kind == "tag" {
			var t *jarchy.Tag
			if t, err = im.st.TagBySlug(ctx, cand); err == nil {
				stored = t.Name
			}
		} else {
			var au *jarchy.Author
			if au, err = im.st.AuthorBySlug(ctx, cand); err == nil {
				stored = au.Name
			}
		}
		if err != nil && !jarchy.IsNotFound(err) {
			return "", fmt.Errorf("look up %s %q: %w", kind, name, err)
		}
		if err == nil && strings.EqualFold(stored, name) {
			slug = cand
			break
		}
	}
	if len(im.slugs) < 100_000 {
		im.slugs[key] = slug
	}
	return slug, nil
}

// existing returns the stored article with this import id: by external
// id, or for an id "jarchy-N" written by Export for an article that had
// none, article N.
func (im *importer) existing(ctx context.Context, id string) (*jarchy.Article, error) {
	a, err := im.st.ArticleByExternalID(ctx, id)
	if err == nil {
		return a, nil
	}
	if !jarchy.IsNotFound(err) {
		return nil, fmt.Errorf("look up id: %w", err)
	}
	if n, ok := strings.CutPrefix(id, "jarchy-"); ok {
		if num, perr := strconv.ParseInt(n, 10, 64); perr == nil && num > 0 {
			a, err := im.st.Article(ctx, num)
			if err == nil && a.ExternalID == "" {
				return a, nil
			}
		}
	}
	return nil, nil
}

func cover(c *Cover) (*jarchy.Media, error) {
	path, u := strings.TrimSpace(c.Path), strings.TrimSpace(c.URL)
	switch {
	case path != "" && u != "":
		return nil, errors.New("cover: give path or url, not both")
	case path == "" && u == "":
		return nil, errors.New("cover: path or url is required")
	case path != "" && !media.ValidKey(path):
		return nil, fmt.Errorf("cover: path %q is not a clean relative media key", path)
	case u != "":
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("cover: url %q is not an http(s) URL", u)
		}
	}
	if c.Width < 0 || c.Height < 0 || c.Width > 100000 || c.Height > 100000 {
		return nil, errors.New("cover: width and height must be between 0 and 100000")
	}
	return &jarchy.Media{Path: path, URL: u, Caption: c.Caption, Credit: c.Credit, Alt: c.Alt, Width: c.Width, Height: c.Height}, nil
}

func jsonReason(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			return fmt.Errorf("invalid JSON: expected an object, got %s", te.Value)
		}
		return fmt.Errorf("field %s: expected %s, got %s", field, typeName(te.Type.String()), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %s", se.Offset, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("invalid JSON: unexpected end of line")
	}
	return fmt.Errorf("invalid JSON: %s", err.Error())
}

func typeName(t string) string {
	switch t {
	case "string":
		return "a string"
	case "[]string":
		return "an array of strings"
	case "int":
		return "a number"
	}
	if strings.Contains(t, "Cover") {
		return "an object"
	}
	return t
}

// same reports whether the prepared article a equals the stored article b
// in everything the file format carries.
func same(a, b *jarchy.Article) bool {
	if a.Lang != b.Lang || a.Title != b.Title || a.Slug != b.Slug || a.Lead != b.Lead || a.Body != b.Body ||
		a.Section.Slug != b.Section.Slug || a.Status != b.Status || !a.PublishedAt.Equal(b.PublishedAt) ||
		a.TranslationGroup != b.TranslationGroup || len(a.Tags) != len(b.Tags) || len(a.Authors) != len(b.Authors) ||
		(a.Cover == nil) != (b.Cover == nil) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i].Slug != b.Tags[i].Slug {
			return false
		}
	}
	for i := range a.Authors {
		if a.Authors[i].Slug != b.Authors[i].Slug {
			return false
		}
	}
	if a.Cover != nil && *a.Cover != *b.Cover {
		return false
	}
	return true
}
