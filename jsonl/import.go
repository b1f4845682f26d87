package jsonl

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
	"github.com/jarchy/jarchy/media"
)

// Options tune an import.
type Options struct {
	// Blobs, when set, is checked for cover paths; a missing blob is a
	// warning, not an error (the photo may be copied later).
	Blobs media.Store
	// Progress, when set, is called after each line with the bytes read
	// so far and the line number.
	Progress func(bytesRead int64, line int)
	// BatchSize is the number of articles per transaction (default 200).
	BatchSize int
	// Now is the import's clock (default time.Now): a published line
	// dated after it is imported as scheduled, as the store's clock
	// decides on every save, and a published line without a time is
	// published at it. Give the store's clock when it is not the real one.
	Now func() time.Time
	// sequential waits for each batch's save before reading on (the tests
	// compare the two ways).
	sequential bool
}

// Store is what an import reads and writes: articles, and the sections,
// tags and authors they are filed under, and the photos of the library
// their covers name.
type Store interface {
	jarchy.ArticleStore
	jarchy.TaxonomyStore
	jarchy.MediaStore
}

type pending struct {
	line    int
	id      string
	article *jarchy.Article
	created bool
}

type importer struct {
	st  Store
	opt Options
	rep *Report
	// From the first reading of the input: the translation_of of each id's
	// last line, and the lines that a later line with the same id replaces.
	file       map[string]string
	superseded map[int]bool
	groups     map[string]string // import id -> its translation group in this import
	stored     map[string]string // import id -> group of the stored article ("" when none)
	slugs      map[string]string // kind and name -> slug to give ("" = derived by the store)
	sections   map[string]jarchy.Section
	newSecs    map[string]jarchy.Section // sections this import creates, by slug, with their names
	maxPos     int
	batch      []pending
	// The batch before is saved while this one is read (one in flight):
	// its outcome comes back on inflight. A look-up whose answer the batch
	// in flight may change waits for it (wait). The failures of the lines
	// read meanwhile are reported after the batch's own, as one batch after
	// the other would.
	inflight chan saved
	// flightCovers are the cover photos of the batch in flight, whose texts
	// its save may change: a stored article with one of them is compared
	// with its line only after that save.
	flightCovers map[string]bool
	saveErr      error // the import cannot go on (a save met the end of the context)
	fails        []LineError
}

// saved is what saving one batch did.
type saved struct {
	created, updated int
	errs             []LineError
	err              error
}

// Import reads JSON Lines from r and saves every valid line into st. It
// returns an error only when it cannot go on (reading fails, the context
// ends); problems with single lines are in the report.
//
// The input is read twice: first for the ids alone, so that when an id
// occurs on several lines only the last one is imported (the earlier ones
// count as Superseded), and so that translation_of can name an article
// anywhere in the file. Input that cannot seek (a pipe) is copied to a
// temporary file first.
//
// A line is compared with the stored article after both went through the
// store's normalisation (storeutil.NormalizeArticle), and is not written
// when they are equal, so importing the same file twice writes nothing.
//
// Lines are saved in batches of Options.BatchSize, each one while the next
// is read (flush), with what one batch after the other would write.
func Import(ctx context.Context, st Store, r io.Reader, opt Options) (*Report, error) {
	start := time.Now()
	if opt.BatchSize <= 0 {
		opt.BatchSize = 200
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	im := &importer{st: st, opt: opt, rep: &Report{}, file: map[string]string{}, superseded: map[int]bool{},
		groups: map[string]string{}, stored: map[string]string{}, slugs: map[string]string{}, newSecs: map[string]jarchy.Section{}}
	rs, done, err := rewindable(r)
	if err != nil {
		return im.finish(start), err
	}
	defer done()
	origin, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return im.finish(start), fmt.Errorf("read input: %w", err)
	}
	if err := im.scan(ctx, rs); err != nil {
		return im.finish(start), err
	}
	if _, err := rs.Seek(origin, io.SeekStart); err != nil {
		return im.finish(start), fmt.Errorf("read input again: %w", err)
	}
	if err := im.loadSections(ctx); err != nil {
		return im.finish(start), err
	}
	err = eachLine(ctx, rs, opt.Progress, func(n int, line []byte, tooLong bool) error {
		im.rep.Lines++
		if tooLong {
			im.fail(LineError{Line: n, Reason: fmt.Sprintf("line is longer than %d bytes", MaxLineBytes)})
		} else {
			im.add(ctx, n, line)
		}
		if len(im.batch) >= opt.BatchSize {
			return im.flush(ctx)
		}
		return nil
	})
	if err == nil {
		err = im.flush(ctx)
	}
	if werr := im.wait(); err == nil {
		err = werr
	}
	im.reportFails()
	return im.finish(start), err
}

func (im *importer) finish(start time.Time) *Report {
	slices.SortStableFunc(im.rep.Errors, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
	im.rep.Duration = time.Since(start)
	return im.rep
}

// rewindable returns r, when it can seek, or else a temporary file holding
// all that r gives, removed by done.
func rewindable(r io.Reader) (rs io.ReadSeeker, done func(), err error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekCurrent); err == nil {
			return rs, func() {}, nil
		}
	}
	f, err := os.CreateTemp("", "jarchy-import-*.jsonl")
	if err != nil {
		return nil, nil, fmt.Errorf("buffer input: %w", err)
	}
	done = func() {
		f.Close()
		os.Remove(f.Name())
	}
	if _, err := io.Copy(f, r); err != nil {
		done()
		return nil, nil, fmt.Errorf("read input: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, nil, fmt.Errorf("buffer input: %w", err)
	}
	return f, done, nil
}

// EachLine calls fn for every line of r that is not blank, as the article
// import reads its file (see eachLine): other JSON Lines imports read
// theirs the same way.
func EachLine(ctx context.Context, r io.Reader, fn func(n int, line []byte, tooLong bool) error) error {
	return eachLine(ctx, r, nil, fn)
}

// eachLine calls fn for every line of r that is not blank (a UTF-8
// byte-order mark on the first line is skipped), with its 1-based number;
// a line longer than MaxLineBytes comes with tooLong and no content.
// progress, when set, is called after every line.
func eachLine(ctx context.Context, r io.Reader, progress func(int64, int), fn func(n int, line []byte, tooLong bool) error) error {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read line %d: %w", n, err)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(n, line, tooLong); ferr != nil {
				return ferr
			}
		}
		if progress != nil {
			progress(cr.n, n)
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// scan is the first reading: it records the translation_of of the last
// line of every id and which lines a later one supersedes.
func (im *importer) scan(ctx context.Context, r io.Reader) error {
	last := map[string]int{}
	return eachLine(ctx, r, nil, func(n int, line []byte, tooLong bool) error {
		if tooLong {
			return nil
		}
		id, tof, ok := lineKey(line)
		if !ok {
			return nil
		}
		if prev, dup := last[id]; dup {
			im.superseded[prev] = true
		}
		last[id] = n
		im.file[id] = tof
		return nil
	})
}

// lineKey returns the id and translation_of of a line that is valid UTF-8
// JSON holding a string id. Only such lines take part in "the later line
// wins"; any other line fails on its own.
func lineKey(line []byte) (id, tof string, ok bool) {
	if !utf8.Valid(line) {
		return "", "", false
	}
	var k struct {
		ID            *string `json:"id"`
		TranslationOf *string `json:"translation_of"`
	}
	if err := json.Unmarshal(line, &k); err != nil || k.ID == nil {
		return "", "", false
	}
	id = strings.TrimSpace(*k.ID)
	if k.TranslationOf != nil {
		tof = strings.TrimSpace(*k.TranslationOf)
	}
	return id, tof, id != ""
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

// sectionKey is how a section name is looked up: cleaned as the store
// cleans names (trimmed, no bidi controls), lower-case, NFC.
func sectionKey(name string) string {
	return norm.NFC.String(strings.ToLower(jarchy.CleanLine(name)))
}

func (im *importer) addSection(s jarchy.Section) {
	im.maxPos = max(im.maxPos, s.Position)
	for _, n := range s.Names {
		if k := sectionKey(n); k != "" {
			if _, taken := im.sections[k]; !taken {
				im.sections[k] = s
			}
		}
	}
	im.sections[s.Slug] = s // a slug wins over a name
}

// section finds a section by slug or by a name in any language (ignoring
// case), or describes a new one named name. A section this import creates
// comes with its names on every line, so that whichever line saves first
// creates it whole.
func (im *importer) section(lang jarchy.Lang, name string) (jarchy.Section, error) {
	key := sectionKey(name)
	if key == "" {
		return jarchy.Section{}, errors.New("section is required")
	}
	s, ok := im.sections[key]
	if !ok {
		slug := jarchy.Slugify(lang, name)
		if slug == "" {
			slug = jarchy.FallbackSlug("section", name)
		}
		if s, ok = im.sections[slug]; !ok {
			s = jarchy.Section{Slug: slug, Position: im.maxPos + 1, Names: map[jarchy.Lang]string{lang: name}}
			s.Normalize()
			if err := s.Validate(); err != nil {
				return jarchy.Section{}, errors.New(jarchy.ErrorMessage(err))
			}
			im.addSection(s)
			im.newSecs[s.Slug] = s
		}
	}
	if n, ok := im.newSecs[s.Slug]; ok {
		return n, nil
	}
	return jarchy.Section{Slug: s.Slug}, nil
}

// add parses one line and queues its article (or records why not).
func (im *importer) add(ctx context.Context, n int, raw []byte) {
	if im.superseded[n] {
		im.rep.Superseded++
		return
	}
	id, a, existing, err := im.parse(ctx, raw)
	if err != nil {
		im.fail(LineError{Line: n, ID: id, Reason: err.Error()})
		return
	}
	if existing != nil && same(a, existing) {
		im.rep.Unchanged++
		return
	}
	if c := a.Cover; c != nil && c.URL == "" && im.opt.Blobs != nil {
		if ok, err := im.opt.Blobs.Exists(ctx, c.Key); err == nil && !ok {
			im.rep.warn(LineError{Line: n, ID: id, Reason: fmt.Sprintf("cover path %q is not in the media store", c.Key)})
		}
	}
	im.batch = append(im.batch, pending{line: n, id: id, article: a, created: existing == nil})
}

// fail records why line e.Line failed, to be reported with the batch it
// would have gone into.
func (im *importer) fail(e LineError) { im.fails = append(im.fails, e) }

func (im *importer) reportFails() {
	for _, e := range im.fails {
		im.rep.fail(e)
	}
	im.fails = nil
}

// preparer is a store that does the work of a batch save that needs no
// database ahead of the save (postgres.DB.PrepareSave).
type preparer interface {
	PrepareSave(as []*jarchy.Article) (save func(context.Context) error)
}

// flush prepares the queued articles (when the store can) while the batch
// in flight is written, waits for it and hands the queued ones over to be
// saved (save) while the next lines are read.
func (im *importer) flush(ctx context.Context) error {
	batch := im.batch
	im.batch = nil
	var prepared func(context.Context) error
	if p, ok := im.st.(preparer); ok && len(batch) > 1 {
		prepared = p.PrepareSave(articles(batch))
	}
	if err := im.wait(); err != nil {
		return err
	}
	im.reportFails()
	if len(batch) == 0 {
		return nil
	}
	done := make(chan saved, 1)
	im.inflight = done
	im.flightCovers = map[string]bool{}
	for _, p := range batch {
		if c := p.article.Cover; c != nil {
			im.flightCovers[c.Key] = true
		}
	}
	go func() { done <- im.save(ctx, batch, prepared) }()
	if im.opt.sequential {
		return im.wait()
	}
	return nil
}

// wait waits for the batch in flight, if any, and reports what it did. It
// returns the error that ended a save, then and ever after.
func (im *importer) wait() error {
	if im.inflight != nil {
		s := <-im.inflight
		im.inflight, im.flightCovers = nil, nil
		im.rep.Created += s.created
		im.rep.Updated += s.updated
		for _, e := range s.errs {
			im.rep.fail(e)
		}
		if im.saveErr == nil {
			im.saveErr = s.err
		}
	}
	return im.saveErr
}

// save gives the library photos the cover texts of the batch's lines
// (coverTexts) and saves the batch: in one transaction (SaveArticles), and
// when that fails (one bad article fails the whole batch) one by one, so
// that every other line is still saved and the bad one is reported with
// its reason. It runs beside the importer and touches nothing of it but
// the store. prepared, when not nil, is the batch's save prepared ahead.
func (im *importer) save(ctx context.Context, queued []pending, prepared func(context.Context) error) (s saved) {
	batch, fails := im.coverTexts(ctx, queued)
	s.errs = fails
	if len(batch) != len(queued) {
		prepared = nil // a line failed: SaveArticles prepares the rest
	}
	count := func(p pending) {
		if p.created {
			s.created++
		} else {
			s.updated++
		}
	}
	if len(batch) > 1 {
		var err error
		if prepared != nil {
			err = prepared(ctx)
		} else {
			err = im.st.SaveArticles(ctx, articles(batch))
		}
		if err == nil {
			for _, p := range batch {
				count(p)
			}
			return s
		}
		if ctx.Err() != nil {
			s.err = err
			return s
		}
	}
	for _, p := range batch {
		if err := im.st.SaveArticle(ctx, p.article); err != nil {
			if ctx.Err() != nil {
				s.err = err
				return s
			}
			s.errs = append(s.errs, LineError{Line: p.line, ID: p.id, Reason: reason(err)})
			continue
		}
		count(p)
	}
	return s
}

func articles(batch []pending) []*jarchy.Article {
	as := make([]*jarchy.Article, len(batch))
	for i, p := range batch {
		as[i] = p.article
	}
	return as
}

// reason turns an error into the text reported for a line.
func reason(err error) string {
	if jarchy.IsStaleVersion(err) {
		return "another writer saved this article during the import, so this line was not written: import again"
	}
	var e *jarchy.Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "cannot save: " + err.Error()
}

// parse decodes and checks one line, resolves it against the store and
// brings it to the stored form. It returns the line's id, the article to
// save, and the stored article with this id (nil when there is none).
func (im *importer) parse(ctx context.Context, raw []byte) (string, *jarchy.Article, *jarchy.Article, error) {
	if !utf8.Valid(raw) {
		return "", nil, nil, errors.New("line is not valid UTF-8")
	}
	var l Line
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&l); err != nil {
		return strings.TrimSpace(l.ID), nil, nil, jsonReason(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return strings.TrimSpace(l.ID), nil, nil, errors.New("invalid JSON: more than one value on the line")
	}
	id := strings.TrimSpace(l.ID)
	if id == "" {
		return "", nil, nil, errors.New("id is required")
	}
	if len(id) > jarchy.MaxExternalIDLen {
		return "", nil, nil, fmt.Errorf("id is longer than %d bytes", jarchy.MaxExternalIDLen)
	}
	lang, ok := jarchy.ParseLang(strings.TrimSpace(l.Lang))
	if !ok {
		return id, nil, nil, fmt.Errorf("unknown lang %q (want ky, ru or en)", l.Lang)
	}
	givenSlug := strings.TrimSpace(l.Slug)
	a := &jarchy.Article{
		ExternalID: id, Lang: lang, Title: l.Title, Slug: givenSlug, Lead: l.Lead, Body: l.Body,
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
	for _, name := range l.Tags {
		slug, err := im.relationSlug(ctx, "tag", name)
		if err != nil {
			return id, nil, nil, err
		}
		a.Tags = append(a.Tags, jarchy.Tag{Slug: slug, Name: name})
	}
	for _, name := range l.Authors {
		slug, err := im.relationSlug(ctx, "author", name)
		if err != nil {
			return id, nil, nil, err
		}
		a.Authors = append(a.Authors, jarchy.Author{Slug: slug, Name: name})
	}
	if c := l.Cover; c != nil {
		m, err := cover(c)
		if err != nil {
			return id, nil, nil, err
		}
		a.Cover = m
	}
	if l.SEOTitle != nil {
		a.SEOTitle = *l.SEOTitle
	}
	if l.SEODescription != nil {
		a.SEODescription = *l.SEODescription
	}
	for i, c := range l.Corrections {
		at, err := time.Parse(time.RFC3339, strings.TrimSpace(c.At))
		if err != nil {
			return id, nil, nil, fmt.Errorf("corrections[%d].at %q is not an RFC 3339 time", i, c.At)
		}
		a.Corrections = append(a.Corrections, jarchy.Correction{At: at.UTC(), Text: c.Text})
	}
	tof := strings.TrimSpace(l.TranslationOf)
	if len(tof) > jarchy.MaxGroupLen {
		return id, nil, nil, fmt.Errorf("translation_of is longer than %d bytes", jarchy.MaxGroupLen)
	}

	existing, err := im.existing(ctx, id)
	if err == nil && existing != nil && a.Cover != nil && im.flightCovers[a.Cover.Key] {
		// the batch in flight may change the photo texts this line is
		// compared on: read the stored article again after its save
		if err = im.wait(); err == nil {
			existing, err = im.existing(ctx, id)
		}
	}
	if err != nil {
		return id, nil, nil, err
	}
	if a.TranslationGroup, err = im.group(ctx, id, tof); err != nil {
		return id, nil, nil, err
	}
	from := jarchy.Status("") // a new article
	if existing != nil {
		// The save names the version compared with: if another writer
		// saves the article in between, the save fails instead of
		// overwriting what this import never saw.
		a.ID, a.Version, from = existing.ID, existing.Version, existing.Status
		if l.SEOTitle == nil { // not in the line: the stored ones stay
			a.SEOTitle = existing.SEOTitle
		}
		if l.SEODescription == nil {
			a.SEODescription = existing.SEODescription
		}
		if l.Corrections == nil { // not in the line: the stored ones stay
			a.Corrections = existing.Corrections
		}
		if a.PublishedAt.IsZero() && a.Status == existing.Status {
			a.PublishedAt = existing.PublishedAt
		}
	}
	// The store's own normalisation, so that the comparison with the stored
	// article sees what a save would store, and one bad line cannot fail a
	// whole batch: a published line dated after now is scheduled.
	now := im.opt.Now()
	if err := storeutil.NormalizeArticle(a, now); err != nil {
		return id, nil, nil, errors.New(reason(err))
	}
	if existing != nil && a.Status == jarchy.StatusScheduled && existing.Status == jarchy.StatusPublished &&
		a.PublishedAt.Equal(existing.PublishedAt) && !a.PublishedAt.After(now) {
		// Scheduled for a time that has come, and the scheduler published
		// it then: the line asks for what is stored (an export re-imported
		// after its scheduled articles went live).
		a.Status = jarchy.StatusPublished
	}
	// The one workflow table, as every writer checks it: the importer
	// carries states over from another system.
	if err := jarchy.CheckTransition(jarchy.RoleSystem, from, a.Status); err != nil {
		return id, nil, nil, errors.New(reason(err))
	}
	if existing != nil && existing.Lang == a.Lang && existing.Slug != a.Slug && isSuffixed(existing.Slug, a.Slug) {
		// The store gave this article base-N because another one had base.
		// A derived slug keeps it (links stay); a given one too while
		// another article still holds base.
		if givenSlug == "" {
			a.Slug = existing.Slug
		} else if taken, err := im.slugTaken(ctx, a.Lang, a.Slug, a.ID); err != nil {
			return id, nil, nil, err
		} else if taken {
			a.Slug = existing.Slug
		}
	}
	return id, a, existing, nil
}

// isSuffixed reports whether slug is one of the "-n" variants the store
// makes of base when base is taken (storeutil.SlugCandidate).
func isSuffixed(slug, base string) bool {
	i := strings.LastIndexByte(slug, '-')
	if i < 0 {
		return false
	}
	n, err := strconv.Atoi(slug[i+1:])
	return err == nil && n >= 2 && storeutil.SlugCandidate(base, n) == slug
}

// slugTaken reports whether another article than self has slug in lang now
// or had it before.
func (im *importer) slugTaken(ctx context.Context, lang jarchy.Lang, slug string, self int64) (bool, error) {
	if err := im.wait(); err != nil { // the batch in flight may take or free slug
		return false, err
	}
	other, err := im.st.ArticleBySlug(ctx, lang, slug)
	switch {
	case jarchy.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up slug %q: %w", slug, err)
	}
	return other.ID != self, nil
}

// group returns the translation group of the article with import id id
// whose line names tof: the group of the article named by translation_of,
// as this file makes it when the file has it (on a line before or after),
// else as stored; else the translation_of id itself. Without
// translation_of: the group the stored article has, or for a new article
// its own id. A cycle of translation_of closes on the id it started from.
// The answer depends only on the file and on what was stored before it, so
// a second import of the same file finds the same groups.
func (im *importer) group(ctx context.Context, id, tof string) (string, error) {
	if g, ok := im.groups[id]; ok {
		return g, nil
	}
	im.file[id] = tof // the line being parsed is the last one with id
	return im.groupOf(ctx, id, map[string]bool{})
}

func (im *importer) groupOf(ctx context.Context, id string, visiting map[string]bool) (string, error) {
	if g, ok := im.groups[id]; ok {
		return g, nil
	}
	var g string
	tof, inFile := im.file[id]
	switch {
	case inFile && tof != "" && tof != id && visiting[tof]:
		g = tof
	case inFile && tof != "" && tof != id:
		visiting[id] = true
		var err error
		if g, err = im.groupOf(ctx, tof, visiting); err != nil {
			return "", err
		}
		delete(visiting, id)
	default:
		stored, err := im.storedGroup(ctx, id)
		if err != nil {
			return "", err
		}
		g = cmp.Or(stored, id)
	}
	im.groups[id] = g
	return g, nil
}

// storedGroup returns the group of the stored article with import id id,
// or "" when there is none.
func (im *importer) storedGroup(ctx context.Context, id string) (string, error) {
	if g, ok := im.stored[id]; ok {
		return g, nil
	}
	a, err := im.existing(ctx, id)
	if err != nil {
		return "", err
	}
	if a == nil {
		return "", nil
	}
	return a.TranslationGroup, nil
}

// relationSlug returns the slug to give a tag or author name: "" (the
// store derives it from the name as Kyrgyz spells it, or a fallback for a
// name of punctuation), unless no tag or author has that slug and one with
// this very name is stored under another language's spelling (made before
// slugs stopped following the article's language: "Жалал-Абад" as
// zhalal-abad), which is then kept.
func (im *importer) relationSlug(ctx context.Context, kind, name string) (string, error) {
	name = jarchy.CleanLine(name)
	key := kind + "\x00" + name
	if s, ok := im.slugs[key]; ok {
		return s, nil
	}
	// The batch in flight may create a tag or author with a slug asked for.
	if err := im.wait(); err != nil {
		return "", err
	}
	lookup := func(slug string) (string, bool, error) {
		var stored string
		var err error
		if kind == "tag" {
			var t *jarchy.Tag
			if t, err = im.st.TagBySlug(ctx, slug); err == nil {
				stored = t.Name
			}
		} else {
			var au *jarchy.Author
			if au, err = im.st.AuthorBySlug(ctx, slug); err == nil {
				stored = au.Name
			}
		}
		if err != nil && !jarchy.IsNotFound(err) {
			return "", false, fmt.Errorf("look up %s %q: %w", kind, name, err)
		}
		return stored, err == nil, nil
	}
	slug := ""
	if def := jarchy.Slugify(jarchy.DefaultLang, name); def != "" {
		_, found, err := lookup(def)
		if err != nil {
			return "", err
		}
		for _, l := range jarchy.Langs {
			cand := jarchy.Slugify(l, name)
			if found || cand == def || cand == "" {
				continue
			}
			stored, ok, err := lookup(cand)
			if err != nil {
				return "", err
			}
			if ok && strings.EqualFold(stored, name) {
				slug = cand
				break
			}
		}
	}
	if len(im.slugs) < 100_000 {
		im.slugs[key] = slug
	}
	return slug, nil
}

// existing returns the stored article with this import id: by external
// id, or for an id "jarchy-N" written by Export for an article that had
// none, article N. It remembers the article's group for storedGroup.
func (im *importer) existing(ctx context.Context, id string) (*jarchy.Article, error) {
	a, err := im.st.ArticleByExternalID(ctx, id)
	if err != nil && !jarchy.IsNotFound(err) {
		return nil, fmt.Errorf("look up id: %w", err)
	}
	if err != nil {
		a = nil
		if n, ok := strings.CutPrefix(id, "jarchy-"); ok {
			if num, perr := strconv.ParseInt(n, 10, 64); perr == nil && num > 0 {
				// The batch in flight may give article num an external id
				// (a line "jarchy-0num").
				if err := im.wait(); err != nil {
					return nil, err
				}
				if b, err := im.st.Article(ctx, num); err == nil && b.ExternalID == "" {
					a = b
				}
			}
		}
	}
	if _, ok := im.stored[id]; !ok {
		g := ""
		if a != nil {
			g = a.TranslationGroup
		}
		if len(im.stored) < 1_000_000 {
			im.stored[id] = g
		}
	}
	return a, nil
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
	case u != "" && !jarchy.ValidWebURL(u):
		return nil, fmt.Errorf("cover: url %q is not an http(s) URL", u)
	}
	if c.Width < 0 || c.Height < 0 || c.Width > 100000 || c.Height > 100000 {
		return nil, errors.New("cover: width and height must be between 0 and 100000")
	}
	return &jarchy.Media{Key: path, URL: u, Caption: c.Caption, Credit: c.Credit, Alt: c.Alt, Width: c.Width, Height: c.Height}, nil
}

// coverTexts gives the photos the library already holds the caption,
// credit and alt text (and the width and height when given) of the queued
// lines' covers, just before the lines are saved, and returns the lines
// still to save: an article save links a stored photo as it is, so that
// texts edited in the library are not overwritten by a stale article. A
// photo the library lacks is created by the article's save. The lines are
// applied in order as one save of the photo after the other would, but
// each photo is read once and written once, with what the last line that
// changes it leaves (the articles of the batch, saved after, link that).
// A line whose texts the store refuses fails with the store's reason
// (fails); when the photo's one write fails at the database, every line
// that changed it fails with it.
func (im *importer) coverTexts(ctx context.Context, batch []pending) (keep []pending, fails []LineError) {
	type photo struct {
		m       *jarchy.Media // as stored, then as the lines so far leave it; nil: not in the library
		changed []int         // the lines (by place in batch) that change it
	}
	photos := map[string]*photo{}
	var order []*photo // in the order of their first change
	failed := map[int]bool{}
	for i, p := range batch {
		c := p.article.Cover
		if c == nil {
			continue
		}
		ph, ok := photos[c.Key]
		if !ok {
			m, err := im.st.Media(ctx, c.Key)
			switch {
			case jarchy.IsNotFound(err):
				m = nil
			case err != nil:
				fails = append(fails, LineError{Line: p.line, ID: p.id, Reason: fmt.Errorf("cover: %w", err).Error()})
				failed[i] = true
				continue
			}
			ph = &photo{m: m}
			photos[c.Key] = ph
		}
		if ph.m == nil || sameCover(c, ph.m) {
			continue
		}
		next := *ph.m
		next.Caption, next.Credit, next.Alt = c.Caption, c.Credit, c.Alt
		if c.Width > 0 {
			next.Width = c.Width
		}
		if c.Height > 0 {
			next.Height = c.Height
		}
		stored, err := storeutil.PrepareMedia(&next)
		if err != nil {
			fails = append(fails, LineError{Line: p.line, ID: p.id, Reason: fmt.Errorf("cover: %w", err).Error()})
			failed[i] = true
			continue
		}
		if len(ph.changed) == 0 {
			order = append(order, ph)
		}
		ph.m = &stored
		ph.changed = append(ph.changed, i)
	}
	for _, ph := range order {
		if err := im.st.SaveMedia(ctx, ph.m); err != nil {
			for _, i := range ph.changed {
				fails = append(fails, LineError{Line: batch[i].line, ID: batch[i].id, Reason: fmt.Errorf("cover: %w", err).Error()})
				failed[i] = true
			}
		}
	}
	for i, p := range batch {
		if !failed[i] {
			keep = append(keep, p)
		}
	}
	return keep, fails
}

// sameCover reports whether the stored photo shows what the line's cover
// gives: the key (of the path or the url), the texts, and the width and
// height when the line has them.
func sameCover(line, stored *jarchy.Media) bool {
	return line.Key == stored.Key && line.URL == stored.URL && line.Caption == stored.Caption &&
		line.Credit == stored.Credit && line.Alt == stored.Alt &&
		(line.Width == 0 || line.Width == stored.Width) && (line.Height == 0 || line.Height == stored.Height)
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
	if strings.Contains(t, "Correction") {
		return "an array of objects"
	}
	if strings.Contains(t, "Cover") {
		return "an object"
	}
	return t
}

// same reports whether the normalised line a equals the stored article b
// in every field the file format carries: lang, title, slug, lead, body,
// section, status, publication time, translation group, tags and authors
// (by slug, in order), every field of the cover and the corrections.
func same(a, b *jarchy.Article) bool {
	if len(a.Corrections) != len(b.Corrections) {
		return false
	}
	for i, c := range a.Corrections {
		if !c.At.Equal(b.Corrections[i].At) || c.Text != b.Corrections[i].Text {
			return false
		}
	}
	if a.Lang != b.Lang || a.Title != b.Title || a.Slug != b.Slug || a.Lead != b.Lead || a.Body != b.Body ||
		a.SEOTitle != b.SEOTitle || a.SEODescription != b.SEODescription ||
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
	if a.Cover != nil && !sameCover(a.Cover, b.Cover) {
		return false
	}
	return true
}
