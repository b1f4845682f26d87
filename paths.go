package jarchy

import "net/url"

// Public paths of the site, the one place web and the newsroom build them.
// Slugs are checked Latin, but stored data is hostile: they are escaped.

// ArticlePath is the path of article a's page.
func ArticlePath(a *Article) string {
	return "/" + string(a.Lang) + "/" + url.PathEscape(a.Section.Slug) + "/" + url.PathEscape(a.Slug)
}

// PagePath is the path of the static page slug in language l.
func PagePath(l Lang, slug string) string {
	return "/" + string(l) + "/page/" + url.PathEscape(slug)
}

// ArticleSlug is the slug an article with no slug of its own gets from
// its title: Slugify, or FallbackSlug when the title transliterates to
// nothing.
func ArticleSlug(l Lang, title string) string {
	if s := Slugify(l, title); s != "" || title == "" {
		return s
	}
	return FallbackSlug("article", title)
}
