package feed

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/jarchy/jarchy/internal/xmltext"
)

// jsonFeed is the JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	Title         string           `json:"title,omitempty"`
	ContentHTML   *string          `json:"content_html,omitempty"`
	ContentText   *string          `json:"content_text,omitempty"`
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Language      string           `json:"language,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
	// Media is jarchy's extension (JSON Feed 1.1: names starting with
	// "_"): the cover's caption and credit.
	Media *jsonMedia `json:"_media,omitempty"`
}

type jsonMedia struct {
	About   string `json:"about"`
	URL     string `json:"url"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
	Title    string `json:"title,omitempty"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

// WriteJSON writes fd as JSON Feed 1.1. The cover image is both the item's
// image and an attachment (titled with its caption); its caption and
// credit are also in the item's _media extension.
func WriteJSON(w io.Writer, fd *Feed) error {
	c := xmltext.Clean
	jf := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       c(fd.Title),
		HomePageURL: c(fd.Link),
		FeedURL:     c(fd.FeedURL),
		Description: c(fd.Description),
		Language:    c(fd.Lang),
		Items:       make([]jsonItem, 0, len(fd.Items)),
	}
	if jf.Title != "" {
		jf.Authors = []jsonAuthor{{Name: jf.Title, URL: jf.HomePageURL}}
	}
	for i := range fd.Items {
		it := &fd.Items[i]
		ji := jsonItem{
			ID:      c(it.id()),
			URL:     c(it.Link),
			Title:   c(it.Title),
			Summary: c(it.Summary),
		}
		// One of content_html and content_text is required.
		if it.ContentHTML != "" {
			s := c(it.ContentHTML)
			ji.ContentHTML = &s
		} else {
			s := ji.Summary
			ji.ContentText = &s
		}
		if !it.Published.IsZero() {
			ji.DatePublished = rfc3339(it.Published)
		}
		if !it.Updated.IsZero() {
			ji.DateModified = rfc3339(it.Updated)
		}
		for _, a := range it.Authors {
			if a.Name == "" {
				continue
			}
			ji.Authors = append(ji.Authors, jsonAuthor{Name: c(a.Name), URL: c(a.URL)})
		}
		for _, t := range it.Categories {
			if t != "" {
				ji.Tags = append(ji.Tags, c(t))
			}
		}
		if e := it.Enclosure; e != nil && e.URL != "" {
			typ := enclosureType(e)
			ji.Attachments = []jsonAttachment{{URL: c(e.URL), MimeType: c(typ), Title: c(e.Caption), Size: max(e.Length, 0)}}
			if strings.HasPrefix(typ, "image/") {
				ji.Image = c(e.URL)
			}
			if e.Caption != "" || e.Credit != "" {
				ji.Media = &jsonMedia{About: "https://github.com/jarchy/jarchy#json-feed-media", URL: c(e.URL),
					Caption: c(e.Caption), Credit: c(e.Credit), Width: max(e.Width, 0), Height: max(e.Height, 0)}
			}
		}
		jf.Items = append(jf.Items, ji)
	}
	enc := json.NewEncoder(w) // escapes <, > and & as \u003c…: safe in any context
	enc.SetIndent("", " ")
	if err := enc.Encode(&jf); err != nil {
		return fmt.Errorf("write json feed: %w", err)
	}
	return nil
}
