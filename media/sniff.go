package media

import (
	"bytes"
	"encoding/binary"
	"path"
	"strings"
)

// The image types the media store holds, and what may be served from it:
// photos in JPEG, PNG, GIF, WebP and AVIF. Anything else (HTML, script,
// SVG, which can carry script) is never served, whatever its name.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	GIF  = "image/gif"
	WebP = "image/webp"
	AVIF = "image/avif"
)

// SniffLen is how many leading bytes ImageType needs to tell a type.
const SniffLen = 64

// extTypes maps a file extension (lower case) to its image type.
var extTypes = map[string]string{
	".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".gif": GIF, ".webp": WebP, ".avif": AVIF,
}

// TypeByName returns the image type a key's extension names (case
// ignored), and false for any other extension.
func TypeByName(name string) (string, bool) {
	t, ok := extTypes[strings.ToLower(path.Ext(name))]
	return t, ok
}

// Sniff returns the image type that the first bytes of a file show (its
// magic number), or "" when they are not one of the store's types.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1A\n")):
		return PNG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return WebP
	case isAVIF(head):
		return AVIF
	}
	return ""
}

// isAVIF reports whether head starts with an ISO BMFF "ftyp" box whose
// major or a compatible brand is avif (still image) or avis (sequence).
func isAVIF(head []byte) bool {
	if len(head) < 16 || !bytes.Equal(head[4:8], []byte("ftyp")) {
		return false
	}
	size := int(binary.BigEndian.Uint32(head[:4]))
	if size < 16 || size%4 != 0 {
		return false
	}
	end := min(size, len(head))
	for i := 8; i+4 <= end; i += 4 {
		if i == 12 {
			continue // minor version, not a brand
		}
		if b := string(head[i : i+4]); b == "avif" || b == "avis" {
			return true
		}
	}
	return false
}

// ImageType returns the type to serve a blob named name whose first bytes
// are head (at least SniffLen of them, or the whole file), and whether it
// may be served at all: only when the extension names one of the store's
// image types and the content is that same type.
func ImageType(name string, head []byte) (string, bool) {
	byName, ok := TypeByName(name)
	if !ok || Sniff(head) != byName {
		return "", false
	}
	return byName, true
}
