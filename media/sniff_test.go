package media

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"testing"
)

// Hand-made heads of the two formats the standard library cannot encode.
var (
	webpHead = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
	avifHead = []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x00meta")
)

// samples returns files of every kind the sniffer must tell apart.
func samples(t *testing.T) map[string][]byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 4, 3), color.Palette{color.White, color.Black})
	var j, p, g bytes.Buffer
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&g, img, nil); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"jpeg": j.Bytes(), "png": p.Bytes(), "gif89": g.Bytes(), "gif87": append([]byte("GIF87a"), g.Bytes()[6:]...),
		"webp": webpHead, "avif": avifHead,
		"avif-compatible": []byte("\x00\x00\x00\x20ftypmif1\x00\x00\x00\x00mif1avifmiaf\x00\x00\x00\x00"),
		"avis":            []byte("\x00\x00\x00\x18ftypavis\x00\x00\x00\x00avis\x00\x00\x00\x00"),
		"mp4":             []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free"),
		"heic":            []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"avif-in-version": []byte("\x00\x00\x00\x10ftypmif1avif"), // the minor version is no brand
		"html":            []byte("<!DOCTYPE html><html><script>alert(1)</script>"),
		"svg":             []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"js":              []byte("alert(document.cookie)"),
		"wav":             []byte("RIFF\x24\x00\x00\x00WAVEfmt "),
		"bmp":             []byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00"),
		"ico":             []byte("\x00\x00\x01\x00\x01\x00"),
		"empty":           nil,
		"jpeg-short":      []byte("\xFF\xD8"),
		"png-short":       []byte("\x89PNG\r\n"),
		"pdf":             []byte("%PDF-1.7\n"),
	}
}

// TestSniffAgreesWithNetHTTP compares Sniff with net/http's
// DetectContentType on the same inputs for the four types both know.
func TestSniffAgreesWithNetHTTP(t *testing.T) {
	known := map[string]bool{JPEG: true, PNG: true, GIF: true, WebP: true}
	for name, b := range samples(t) {
		got, std := Sniff(b), http.DetectContentType(b)
		if known[std] != known[got] || (known[std] && got != std) {
			t.Errorf("%s: Sniff = %q, net/http = %q", name, got, std)
		}
	}
}

func TestSniffFixed(t *testing.T) {
	want := map[string]string{
		"jpeg": JPEG, "png": PNG, "gif89": GIF, "gif87": GIF, "webp": WebP, "avif": AVIF, "avif-compatible": AVIF, "avis": AVIF,
		"mp4": "", "heic": "", "avif-in-version": "", "html": "", "svg": "", "js": "", "wav": "", "bmp": "", "ico": "",
		"empty": "", "jpeg-short": "", "png-short": "", "pdf": "",
	}
	s := samples(t)
	if len(s) != len(want) {
		t.Fatalf("%d samples, %d expectations", len(s), len(want))
	}
	for name, b := range s {
		if got := Sniff(b); got != want[name] {
			t.Errorf("Sniff(%s) = %q, want %q", name, got, want[name])
		}
	}
}

func TestImageType(t *testing.T) {
	s := samples(t)
	tests := []struct {
		name string
		head []byte
		want string // "" = refused
	}{
		{"a/photo.jpg", s["jpeg"], JPEG},
		{"a/PHOTO.JPEG", s["jpeg"], JPEG},
		{"p.png", s["png"], PNG},
		{"g.gif", s["gif89"], GIF},
		{"w.webp", s["webp"], WebP},
		{"v.avif", s["avif"], AVIF},
		{"png-named.jpg", s["png"], ""},
		{"page.jpg", s["html"], ""},
		{"photo.html", s["jpeg"], ""},
		{"photo.png.html", s["png"], ""},
		{"x.svg", s["svg"], ""},
		{"x.js", s["js"], ""},
		{"noext", s["jpeg"], ""},
		{"x.jpg", nil, ""},
		{"x.bmp", s["bmp"], ""},
	}
	for _, tt := range tests {
		got, ok := ImageType(tt.name, tt.head)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ImageType(%q) = %q %v, want %q", tt.name, got, ok, tt.want)
		}
	}
}
