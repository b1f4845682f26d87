// Package demo holds the demo edition that a new jarchy site starts with
// (original writing in Kyrgyz, Russian and English, with generated photos)
// and a generator of large synthetic sites for benchmarks.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
)

// Settings are the demo site's settings.
func Settings() jarchy.Settings {
	return jarchy.Settings{
		SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы", jarchy.Russian: "Жарчы", jarchy.English: "Jarchy"},
		Social: map[string]string{
			"telegram":  "https://t.me/jarchy_news",
			"facebook":  "https://www.facebook.com/jarchy.news",
			"x":         "https://x.com/jarchy_news",
			"youtube":   "https://www.youtube.com/@jarchy_news",
			"instagram": "https://www.instagram.com/jarchy_news",
		},
	}
}

// ExternalID returns the import id of the demo story key in lang.
func ExternalID(lang jarchy.Lang, key string) string { return "demo-" + string(lang) + "-" + key }

// Store is what Seed writes: a whole edition.
type Store interface {
	ArticleWriter
	jarchy.PageStore
	jarchy.SettingsStore
}

// ArticleWriter is what Generate writes: articles and their sections,
// tags and authors.
type ArticleWriter interface {
	jarchy.ArticleStore
	jarchy.TaxonomyStore
}

// Seed writes the demo edition into st and its photos into blobs, unless
// st already holds articles (then it does nothing). Publication times are
// spread over the last days, relative to now.
func Seed(ctx context.Context, st Store, blobs media.Store) error {
	empty, err := st.Empty(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !empty {
		return nil
	}
	if err := saveSections(ctx, st); err != nil {
		return err
	}
	for _, a := range authors {
		au := jarchy.Author{Slug: a.storeSlug(), Name: a.names[jarchy.Kyrgyz], Bio: a.bio}
		if err := st.SaveAuthor(ctx, &au); err != nil {
			return fmt.Errorf("demo: save author %s: %w", a.slug, err)
		}
	}
	if err := st.SaveSettings(ctx, Settings()); err != nil {
		return fmt.Errorf("demo: save settings: %w", err)
	}
	sizes, err := putCovers(ctx, blobs)
	if err != nil {
		return err
	}
	for _, p := range pages {
		for _, lang := range jarchy.Langs {
			t, ok := p.texts[lang]
			if !ok {
				continue
			}
			page := jarchy.Page{Lang: lang, Slug: p.slug, Title: t[0], Body: t[1]}
			if err := st.SavePage(ctx, &page); err != nil {
				return fmt.Errorf("demo: save page %s/%s: %w", lang, p.slug, err)
			}
		}
	}
	now := time.Now().UTC()
	// Oldest first, so that ids grow with publication time.
	for i := len(stories) - 1; i >= 0; i-- {
		for _, a := range storyArticles(stories[i], now, sizes[stories[i].key]) {
			// New articles on an empty store, checked against the one
			// workflow table as every writer's are.
			if err := jarchy.CheckTransition(jarchy.RoleSystem, "", a.Status); err != nil {
				return fmt.Errorf("demo: article %s: %w", a.ExternalID, err)
			}
			if err := st.SaveArticle(ctx, a); err != nil {
				return fmt.Errorf("demo: save article %s: %w", a.ExternalID, err)
			}
		}
	}
	return nil
}

func saveSections(ctx context.Context, st jarchy.TaxonomyStore) error {
	for i, s := range sections {
		sec := jarchy.Section{Slug: s.slug, Position: i + 1, Names: s.names}
		if err := st.SaveSection(ctx, &sec); err != nil {
			return fmt.Errorf("demo: save section %s: %w", s.slug, err)
		}
	}
	return nil
}

// coverKey is the key of a story's photo in one language: a photo's
// caption and credit are the library's, one per photo, so each language
// has its own copy of the picture with its own texts.
func coverKey(key string, lang jarchy.Lang) string {
	return "demo/" + key + "-" + string(lang) + ".jpg"
}

func seedOf(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// putCovers draws the demo photos (concurrently) into blobs, with the
// resized copies and the Open Graph crop that an upload gets (through
// media.Intake, stored under their content keys). It returns each story's
// copies, for the pages' srcset.
func putCovers(ctx context.Context, blobs media.Store) (map[string]*jarchy.Media, error) {
	var mu sync.Mutex
	sizes := make(map[string]*jarchy.Media, len(stories))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, s := range stories {
		g.Go(func() error {
			img, err := media.PhotoJPEG(media.Scene(s.scene), seedOf(s.key), media.PhotoWidth, media.PhotoHeight)
			if err != nil {
				return fmt.Errorf("demo: draw photo %s: %w", s.key, err)
			}
			p, err := media.Intake(ctx, bytes.NewReader(img), media.DefaultLimits)
			if err != nil {
				return fmt.Errorf("demo: resize photo %s: %w", s.key, err)
			}
			for _, v := range append(p.Variants, p.OpenGraph) {
				if err := blobs.Put(ctx, v.Key, bytes.NewReader(v.Data)); err != nil {
					return fmt.Errorf("demo: store a copy of photo %s: %w", s.key, err)
				}
			}
			for _, lang := range jarchy.Langs {
				if err := blobs.Put(ctx, coverKey(s.key, lang), bytes.NewReader(img)); err != nil {
					return fmt.Errorf("demo: store photo %s: %w", s.key, err)
				}
			}
			mu.Lock()
			sizes[s.key] = media.Row(p)
			mu.Unlock()
			return nil
		})
	}
	return sizes, g.Wait()
}

// storyArticles returns the language versions of s, Kyrgyz first.
func storyArticles(s story, now time.Time, sizes *jarchy.Media) []*jarchy.Article {
	var out []*jarchy.Article
	published := now.Add(-time.Duration(s.hoursAgo * float64(time.Hour))).Truncate(time.Minute)
	for i, lang := range jarchy.Langs {
		t, ok := s.texts[lang]
		if !ok {
			continue
		}
		a := &jarchy.Article{
			ExternalID:       ExternalID(lang, s.key),
			Lang:             lang,
			TranslationGroup: "demo-" + s.key,
			Title:            t.title,
			Lead:             t.lead,
			Body:             t.body,
			Section:          sectionRef(s.section),
			Status:           jarchy.StatusPublished,
			PublishedAt:      published.Add(time.Duration(i*20) * time.Minute),
			Cover: &jarchy.Media{
				Key: coverKey(s.key, lang), Caption: t.caption, Credit: credits[lang], Alt: t.alt,
				Width: media.PhotoWidth, Height: media.PhotoHeight,
			},
		}
		if sizes != nil {
			a.Cover.Variants, a.Cover.OG = sizes.Variants, sizes.OG
		}
		if a.PublishedAt.After(now) {
			a.PublishedAt = now
		}
		for _, tag := range t.tags {
			a.Tags = append(a.Tags, jarchy.Tag{Name: tag})
		}
		for _, slug := range s.authors {
			for _, au := range authors {
				if au.slug == slug {
					a.Authors = append(a.Authors, jarchy.Author{Slug: au.storeSlug(), Name: au.names[lang]})
				}
			}
		}
		out = append(out, a)
	}
	return out
}

func sectionRef(slug string) jarchy.Section {
	for i, s := range sections {
		if s.slug == slug {
			return jarchy.Section{Slug: s.slug, Position: i + 1, Names: s.names}
		}
	}
	panic("demo: unknown section " + slug)
}
