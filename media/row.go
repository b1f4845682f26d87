package media

import "github.com/jarchy/jarchy"

// Row is the library row of an image that went through Intake: its key,
// type, size, variants and Open Graph crop. The caller adds the texts and
// the uploader, stores the blobs (Save), then saves the row.
func Row(p *Processed) *jarchy.Media {
	m := &jarchy.Media{Key: p.Key, Type: p.Type, Width: p.Width, Height: p.Height}
	for _, v := range p.Variants {
		m.Variants = append(m.Variants, jarchy.MediaVariant{Key: v.Key, Width: v.Width, Height: v.Height})
	}
	if og := p.OpenGraph; og.Key != "" {
		m.OG = &jarchy.MediaVariant{Key: og.Key, Width: og.Width, Height: og.Height}
	}
	return m
}
