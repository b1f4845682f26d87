package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
)

// quadrants draws a w×h image whose four quadrants are the colours q
// (top left, top right, bottom left, bottom right).
func quadrants(w, h int, q [4]color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := 0
			if x >= w/2 {
				i++
			}
			if y >= h/2 {
				i += 2
			}
			m.SetRGBA(x, y, q[i])
		}
	}
	return m
}

func encJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encPNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withSegments puts JPEG marker segments (marker, payload) right after SOI.
func withSegments(j []byte, segs ...[]byte) []byte {
	out := append([]byte{}, j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, j[2:]...)
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// tiffIFD is one IFD entry: tag, type, count and value (or, when longer
// than 4 bytes, data the builder places after the IFDs).
type tiffIFD struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

// exifTIFF builds little-endian EXIF data: IFD0 with orientation (when
// o > 0), a camera make, and a pointer to a GPS IFD with latitude and
// longitude (42°52′N 74°36′E, Bishkek).
func exifTIFF(o int) []byte {
	rat := func(vals ...uint32) []byte {
		b := make([]byte, 0, 8*len(vals))
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint32(b, v)
			b = binary.LittleEndian.AppendUint32(b, 1)
		}
		return b
	}
	short := func(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
	ifd0 := []tiffIFD{{0x010F, 2, 12, []byte("LEAKYCAM-01\x00")}}
	if o > 0 {
		ifd0 = append(ifd0, tiffIFD{0x0112, 3, 1, short(uint16(o))})
	}
	ifd0 = append(ifd0, tiffIFD{0x8825, 4, 1, nil}) // GPS IFD pointer, filled in below
	gps := []tiffIFD{
		{0x0001, 2, 2, []byte("N\x00")},
		{0x0002, 5, 3, rat(42, 52, 17)},
		{0x0003, 2, 2, []byte("E\x00")},
		{0x0004, 5, 3, rat(74, 36, 12)},
		{0x001D, 2, 11, []byte("2026:12:06\x00")},
	}
	ifdLen := func(n int) int { return 2 + 12*n + 4 }
	gpsOff := 8 + ifdLen(len(ifd0))
	extraOff := gpsOff + ifdLen(len(gps))
	ifd0[len(ifd0)-1].data = binary.LittleEndian.AppendUint32(nil, uint32(gpsOff))
	var extra []byte
	write := func(b []byte, ifd []tiffIFD) []byte {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(ifd)))
		for _, e := range ifd {
			b = binary.LittleEndian.AppendUint16(b, e.tag)
			b = binary.LittleEndian.AppendUint16(b, e.typ)
			b = binary.LittleEndian.AppendUint32(b, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				b = append(b, v...)
			} else {
				b = binary.LittleEndian.AppendUint32(b, uint32(extraOff+len(extra)))
				extra = append(extra, e.data...)
			}
		}
		return binary.LittleEndian.AppendUint32(b, 0)
	}
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = write(b, ifd0)
	b = write(b, gps)
	return append(b, extra...)
}

func exifAPP1(o int) []byte { return segment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(o)...)) }

// pngChunk makes one PNG chunk.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// withChunks puts chunks right after a PNG's IHDR.
func withChunks(p []byte, chunks ...[]byte) []byte {
	out := append([]byte{}, p[:33]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[33:]...)
}

func intake(t testing.TB, data []byte) *Processed {
	t.Helper()
	p, err := Intake(context.Background(), bytes.NewReader(data), Limits{})
	if err != nil {
		t.Fatalf("Intake: %v", err)
	}
	return p
}

// metadataIn lists what in stored bytes is not image data: JPEG APPn and
// COM segments, PNG chunks other than the image's own.
func metadataIn(data []byte) []string {
	var found []string
	switch Sniff(data) {
	case JPEG:
		for i := 2; i+4 <= len(data); {
			if data[i] != 0xFF {
				found = append(found, fmt.Sprintf("no marker at %d", i))
				return found
			}
			m := data[i+1]
			if m == 0xDA || m == 0xD9 {
				return found
			}
			if m >= 0xE0 && m <= 0xEF || m == 0xFE {
				found = append(found, fmt.Sprintf("marker %X", m))
			}
			i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
		}
	case PNG:
		for i := 8; i+12 <= len(data); {
			n := int(binary.BigEndian.Uint32(data[i:]))
			typ := string(data[i+4 : i+8])
			switch typ {
			case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
			default:
				found = append(found, "chunk "+typ)
			}
			i += 12 + n
		}
	default:
		found = append(found, "stored bytes of type "+Sniff(data))
	}
	return found
}

// checkClean fails when stored bytes carry metadata or a payload.
func checkClean(t *testing.T, what string, data []byte) {
	t.Helper()
	if m := metadataIn(data); len(m) > 0 {
		t.Errorf("%s: stored bytes keep metadata: %v", what, m)
	}
	low := bytes.ToLower(data)
	// Strings of 5 bytes or more, which compressed pixels do not make by
	// chance (the structure is checked above).
	for _, s := range []string{"exif\x00", "<script", "<?php", "ns.adobe.com", "xmpmeta", "leakycam", "icc_profile"} {
		if bytes.Contains(low, []byte(s)) {
			t.Errorf("%s: stored bytes contain %q", what, s)
		}
	}
}

func allBlobs(p *Processed) map[string][]byte { return p.Blobs() }

func TestIntakeStripsGPSAndMetadata(t *testing.T) {
	photo := quadrants(120, 80, [4]color.RGBA{red, green, blue, white})
	xmp := segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>42,52N</exif:GPSLatitude><script>alert(1)</script></x:xmpmeta>"))
	icc := segment(0xE2, append([]byte("ICC_PROFILE\x00\x01\x01"), bytes.Repeat([]byte{7}, 64)...))
	com := segment(0xFE, []byte("<?php system($_GET['c']); ?>"))
	j := withSegments(encJPEG(t, photo), exifAPP1(0), xmp, icc, com)
	if !bytes.Contains(j, []byte("LEAKYCAM")) || !bytes.Contains(j, []byte("Exif\x00\x00II*")) {
		t.Fatal("the test JPEG carries no EXIF")
	}
	// The checker sees what the input carries.
	if got := metadataIn(j); len(got) != 4 {
		t.Fatalf("metadataIn(input) = %v, want the 4 segments put in", got)
	}
	if got := jpegHeader(j).orientation; got != 1 {
		t.Fatalf("orientation of the test JPEG read as %d, want 1", got)
	}
	p := intake(t, j)
	for k, b := range allBlobs(p) {
		checkClean(t, "JPEG "+k, b)
	}

	pn := withChunks(encPNG(t, photo),
		pngChunk("eXIf", exifTIFF(0)),
		pngChunk("tEXt", []byte("Comment\x00<script>alert(1)</script>")),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>GPS</x:xmpmeta>")),
		pngChunk("zTXt", []byte("Raw profile type exif\x00\x00x\x9c\x03\x00\x00\x00\x00\x01")))
	if got := metadataIn(pn); len(got) != 4 {
		t.Fatalf("metadataIn(input PNG) = %v, want the 4 chunks put in", got)
	}
	if _, err := png.Decode(bytes.NewReader(pn)); err != nil {
		t.Fatalf("the test PNG does not decode: %v", err)
	}
	p = intake(t, pn)
	if p.Type != JPEG {
		t.Errorf("an opaque PNG is stored as %s, want JPEG", p.Type)
	}
	for k, b := range allBlobs(p) {
		checkClean(t, "PNG "+k, b)
	}
}

// The upright picture is 64×32 with red, green, blue and white quadrants;
// each case is how a camera stored it for that EXIF orientation.
func TestIntakeOrientation(t *testing.T) {
	R, G, B, W := red, green, blue, white
	cases := []struct {
		o      int
		w, h   int
		stored [4]color.RGBA
	}{
		{1, 64, 32, [4]color.RGBA{R, G, B, W}},
		{2, 64, 32, [4]color.RGBA{G, R, W, B}},
		{3, 64, 32, [4]color.RGBA{W, B, G, R}},
		{4, 64, 32, [4]color.RGBA{B, W, R, G}},
		{5, 32, 64, [4]color.RGBA{R, B, G, W}},
		{6, 32, 64, [4]color.RGBA{G, W, R, B}},
		{7, 32, 64, [4]color.RGBA{W, G, B, R}},
		{8, 32, 64, [4]color.RGBA{B, R, W, G}},
	}
	for _, c := range cases {
		for _, kind := range []string{"jpeg", "png"} {
			t.Run(fmt.Sprintf("%s/%d", kind, c.o), func(t *testing.T) {
				m := quadrants(c.w, c.h, c.stored)
				var data []byte
				if kind == "jpeg" {
					data = withSegments(encJPEG(t, m), exifAPP1(c.o))
				} else {
					data = withChunks(encPNG(t, m), pngChunk("eXIf", exifTIFF(c.o)))
				}
				p := intake(t, data)
				if p.Width != 64 || p.Height != 32 {
					t.Fatalf("stored %d×%d, want 64×32 upright", p.Width, p.Height)
				}
				got, err := jpeg.Decode(bytes.NewReader(p.Data))
				if err != nil {
					t.Fatal(err)
				}
				want := [4]color.RGBA{R, G, B, W}
				for i, pt := range []image.Point{{16, 8}, {48, 8}, {16, 24}, {48, 24}} {
					if !near(got.At(pt.X, pt.Y), want[i], 24) {
						t.Errorf("quadrant %d at %v is %v, want %v", i, pt, got.At(pt.X, pt.Y), want[i])
					}
				}
			})
		}
	}
}

func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) bool { return abs(int(a>>8)-int(w)) <= tol }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

func TestIntakeVariants(t *testing.T) {
	cases := []struct {
		w, h           int
		storedW, stH   int
		widths         []int
		heights        []int
		ogW, ogH       int
		wantPNG        bool
		transparentPix bool
	}{
		// Scaled to 2560 on the longer side; all four widths; the OG crop.
		{w: 3000, h: 2000, storedW: 2560, stH: 1707, widths: []int{320, 640, 1024, 1600}, heights: []int{213, 427, 683, 1067}, ogW: 1200, ogH: 630},
		// A portrait: the longer side is the height.
		{w: 1000, h: 3000, storedW: 853, stH: 2560, widths: []int{320, 640, 853}, heights: []int{960, 1921, 2560}, ogW: 853, ogH: 448},
		// Smaller than the widest: its own width tops the set, never upscaled.
		{w: 1000, h: 500, storedW: 1000, stH: 500, widths: []int{320, 640, 1000}, heights: []int{160, 320, 500}, ogW: 952, ogH: 500},
		{w: 200, h: 100, storedW: 200, stH: 100, widths: []int{200}, heights: []int{100}, ogW: 190, ogH: 100},
		// Exactly a variant width: no duplicate.
		{w: 1600, h: 1200, storedW: 1600, stH: 1200, widths: []int{320, 640, 1024, 1600}, heights: []int{240, 480, 768, 1200}, ogW: 1200, ogH: 630},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%dx%d", c.w, c.h), func(t *testing.T) {
			p := intake(t, encJPEG(t, quadrants(c.w, c.h, [4]color.RGBA{red, green, blue, white})))
			if p.Width != c.storedW || p.Height != c.stH || p.Type != JPEG {
				t.Errorf("stored %s %d×%d, want JPEG %d×%d", p.Type, p.Width, p.Height, c.storedW, c.stH)
			}
			checkImage(t, "stored", p.Data, p.Width, p.Height)
			if !strings.HasSuffix(p.Key, ".jpg") || len(p.Key) != 68 || !IsContentKey(p.Key) {
				t.Errorf("key %q is not a content key", p.Key)
			}
			if len(p.Variants) != len(c.widths) {
				t.Fatalf("%d variants, want widths %v", len(p.Variants), c.widths)
			}
			for i, v := range p.Variants {
				if v.Width != c.widths[i] || v.Height != c.heights[i] {
					t.Errorf("variant %d is %d×%d, want %d×%d", i, v.Width, v.Height, c.widths[i], c.heights[i])
				}
				checkImage(t, fmt.Sprint("variant ", i), v.Data, v.Width, v.Height)
			}
			if p.OpenGraph.Width != c.ogW || p.OpenGraph.Height != c.ogH {
				t.Errorf("OG crop is %d×%d, want %d×%d", p.OpenGraph.Width, p.OpenGraph.Height, c.ogW, c.ogH)
			}
			checkImage(t, "OG", p.OpenGraph.Data, p.OpenGraph.Width, p.OpenGraph.Height)
		})
	}
}

// checkImage decodes a stored JPEG and checks its size and key.
func checkImage(t *testing.T, what string, data []byte, w, h int) {
	t.Helper()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	if cfg.Width != w || cfg.Height != h {
		t.Errorf("%s: JPEG is %d×%d, want %d×%d", what, cfg.Width, cfg.Height, w, h)
	}
}

func TestIntakeKeepsTransparencyAsPNG(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			a := uint8(255)
			if x < 20 {
				a = 0 // left half transparent
			}
			m.SetNRGBA(x, y, color.NRGBA{200, 10, 10, a})
		}
	}
	p := intake(t, encPNG(t, m))
	if p.Type != PNG || !strings.HasSuffix(p.Key, ".png") {
		t.Fatalf("a transparent image is stored as %s %q, want PNG", p.Type, p.Key)
	}
	got, err := png.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := got.At(5, 10).RGBA(); a != 0 {
		t.Errorf("transparent pixel has alpha %d", a)
	}
	if r, g, _, a := got.At(35, 10).RGBA(); a != 0xFFFF || r>>8 != 200 || g>>8 != 10 {
		t.Errorf("opaque pixel is %d,%d alpha %d, want 200,10 opaque", r>>8, g>>8, a)
	}
	v, err := jpeg.Decode(bytes.NewReader(p.Variants[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	// Variants are JPEG: the transparent half on white.
	if !near(v.At(5, 10), white, 8) || !near(v.At(35, 10), color.RGBA{200, 10, 10, 255}, 24) {
		t.Errorf("variant pixels %v and %v, want white and red", v.At(5, 10), v.At(35, 10))
	}
}

func TestIntakeWebP(t *testing.T) {
	lossy, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	p := intake(t, lossy)
	if p.Type != JPEG || p.Width != 150 || p.Height != 100 {
		t.Errorf("lossy WebP stored as %s %d×%d, want JPEG 150×100", p.Type, p.Width, p.Height)
	}
	// The same bitstream in the extended format with an EXIF chunk that
	// turns it a quarter and carries GPS.
	vp8 := lossy[12:] // the "VP8 " chunk
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	put24 := func(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(vp8x[4:], 150-1)
	put24(vp8x[7:], 100-1)
	riffChunk := func(typ string, data []byte) []byte {
		b := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		b = append(b, data...)
		if len(data)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	body := append([]byte("WEBP"), riffChunk("VP8X", vp8x)...)
	body = append(body, vp8...)
	body = append(body, riffChunk("EXIF", exifTIFF(6))...)
	ext := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	ext = append(ext, body...)
	if got := webpHeader(ext).orientation; got != 6 {
		t.Fatalf("orientation read as %d, want 6", got)
	}
	p2 := intake(t, ext)
	for k, b := range allBlobs(p2) {
		checkClean(t, "WebP "+k, b)
	}
	if p2.Width != 100 || p2.Height != 150 {
		t.Fatalf("WebP with orientation 6 stored %d×%d, want 100×150", p2.Width, p2.Height)
	}
	// Turned a quarter clockwise: upright (x, y) is stored (y, 99-x).
	up, _ := jpeg.Decode(bytes.NewReader(p2.Data))
	orig, _ := jpeg.Decode(bytes.NewReader(p.Data))
	for _, pt := range []image.Point{{5, 5}, {94, 5}, {5, 144}, {94, 144}, {50, 75}} {
		if want := rgba(orig.At(pt.Y, 99-pt.X)); !near(up.At(pt.X, pt.Y), want, 30) {
			t.Errorf("upright %v is %v, want %v", pt, up.At(pt.X, pt.Y), want)
		}
	}

	alpha, err := os.ReadFile("testdata/gopher-doc.with-alpha.lossless.webp")
	if err != nil {
		t.Fatal(err)
	}
	if p := intake(t, alpha); p.Type != PNG {
		t.Errorf("lossless WebP with alpha stored as %s, want PNG", p.Type)
	}
}

func rgba(c color.Color) color.RGBA { return color.RGBAModel.Convert(c).(color.RGBA) }

// refusal checks that err refuses with the i18n key.
func refusal(t *testing.T, err error, key string) {
	t.Helper()
	var e *jarchy.Error
	if !errors.As(err, &e) || e.Code != jarchy.EINVALID || e.MessageKey != key || e.Field != "upload" {
		t.Errorf("got %v, want EINVALID upload %s", err, key)
	}
}

func TestIntakeRefuses(t *testing.T) {
	ok := encJPEG(t, quadrants(40, 30, [4]color.RGBA{red, green, blue, white}))
	// A PNG header claiming 30000×30000 over a few bytes of data.
	flood := encPNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(flood[16:], 30000)
	binary.BigEndian.PutUint32(flood[20:], 30000)
	binary.BigEndian.PutUint32(flood[29:], crc32.ChecksumIEEE(flood[12:29]))
	// A PNG header claiming 5000×4000 (20 MP, within the budget for grey)
	// in a file of a few bytes.
	bomb := encPNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(bomb[16:], 5000)
	binary.BigEndian.PutUint32(bomb[20:], 4000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
	// A JPEG whose scan is repeated 201 times.
	sos := bytes.Index(ok, []byte{0xFF, 0xDA})
	scan := ok[sos : len(ok)-2] // up to EOI
	if n := jpegHeader(ok).scans; n != 1 {
		t.Fatalf("counted %d scans in a baseline JPEG, want 1", n)
	}
	manyScans := append([]byte{}, ok[:sos]...)
	for range MaxJPEGScans + 1 {
		manyScans = append(manyScans, scan...)
	}
	manyScans = append(manyScans, 0xFF, 0xD9)
	if n := jpegHeader(manyScans).scans; n != MaxJPEGScans+1 {
		t.Fatalf("counted %d scans, want %d", n, MaxJPEGScans+1)
	}
	// A GIF of 1001 frames of 1×1.
	g := &gif.GIF{}
	for range 1001 {
		g.Image = append(g.Image, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Black, color.White}))
		g.Delay = append(g.Delay, 0)
	}
	var gb bytes.Buffer
	if err := gif.EncodeAll(&gb, g); err != nil {
		t.Fatal(err)
	}
	if n := gifHeader(gb.Bytes()).frames; n != 1001 {
		t.Fatalf("counted %d frames, want 1001", n)
	}
	cases := []struct {
		name string
		data []byte
		lim  Limits
		key  string
	}{
		{"empty", nil, Limits{}, "err.media_empty"},
		{"too big", ok, Limits{MaxBytes: int64(len(ok) - 1)}, "err.media_too_big"},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), Limits{}, "err.media_svg"},
		{"html", []byte("<html><script>alert(1)</script></html>"), Limits{}, "err.media_type"},
		{"avif", append([]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), make([]byte, 64)...), Limits{}, "err.media_type"},
		{"bmp", append([]byte("BM"), make([]byte, 64)...), Limits{}, "err.media_type"},
		{"truncated", ok[:len(ok)/2], Limits{}, "err.media_corrupt"},
		{"header only", ok[:20], Limits{}, "err.media_corrupt"},
		{"pixel flood", flood, Limits{}, "err.media_pixels"},
		{"bomb under the pixel cap", bomb, Limits{}, "err.media_pixels"},
		{"over the pixel cap", ok, Limits{MaxPixels: 40*30 - 1}, "err.media_pixels"},
		{"over the decode budget", ok, Limits{MaxDecodeBytes: 40 * 30}, "err.media_pixels"},
		{"gif frames", gb.Bytes(), Limits{}, "err.media_frames"},
		{"jpeg scans", manyScans, Limits{}, "err.media_corrupt"},
		{"animated webp", []byte("RIFF\x26\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00ANIM\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00"), Limits{}, "err.media_type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Intake(context.Background(), bytes.NewReader(c.data), c.lim)
			if p != nil {
				t.Errorf("accepted: %s %d×%d", p.Type, p.Width, p.Height)
			}
			refusal(t, err, c.key)
		})
	}
	// Refused for its scans, before the decoder sees it.
	if _, err := Intake(context.Background(), bytes.NewReader(manyScans), Limits{}); err == nil || !strings.Contains(err.Error(), "201 scans") {
		t.Errorf("a JPEG of 201 scans: %v, want refused for its scans", err)
	}
	// The same JPEG within the limits is accepted.
	if _, err := Intake(context.Background(), bytes.NewReader(ok), Limits{MaxBytes: int64(len(ok)), MaxPixels: 40 * 30}); err != nil {
		t.Errorf("a JPEG at the limits is refused: %v", err)
	}
	// An animated GIF under the cap gives its first frame.
	g.Image, g.Delay = g.Image[:3], g.Delay[:3]
	g.Image[0].Pix[0] = 1
	gb.Reset()
	if err := gif.EncodeAll(&gb, g); err != nil {
		t.Fatal(err)
	}
	p := intake(t, gb.Bytes())
	if p.Width != 1 || p.Height != 1 {
		t.Errorf("GIF stored %d×%d", p.Width, p.Height)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Intake(ctx, bytes.NewReader(ok), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled intake gives %v", err)
	}
}

func TestIsContentKey(t *testing.T) {
	good := strings.Repeat("0123456789abcdef", 4)
	for key, want := range map[string]bool{
		good + ".jpg": true, good + ".png": true, good + ".gif": false, good[1:] + ".jpg": false,
		strings.ToUpper(good) + ".jpg": false, "demo/" + good + ".jpg": false, "../" + good[3:] + ".jpg": false,
	} {
		if IsContentKey(key) != want {
			t.Errorf("IsContentKey(%q) = %v", key, !want)
		}
	}
}

// A GIF whose first frame covers part of its screen is the whole screen,
// transparent around the frame (so stored as PNG), as a browser shows it.
func TestIntakeGIFFrameInScreen(t *testing.T) {
	frame := image.NewPaletted(image.Rect(10, 5, 30, 15), color.Palette{color.RGBA{0, 0, 255, 255}})
	var b bytes.Buffer
	err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{Width: 40, Height: 20, ColorModel: frame.Palette}})
	if err != nil {
		t.Fatal(err)
	}
	p := intake(t, b.Bytes())
	if p.Width != 40 || p.Height != 20 || p.Type != PNG {
		t.Fatalf("stored %s %d×%d, want PNG 40×20", p.Type, p.Width, p.Height)
	}
	m, err := png.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := m.At(2, 2).RGBA(); a != 0 {
		t.Errorf("outside the frame: alpha %d, want transparent", a)
	}
	if !near(m.At(20, 10), blue, 0) {
		t.Errorf("inside the frame: %v, want blue", m.At(20, 10))
	}
}

// One intake decodes at a time in a process: another waits for the slot
// (and gives up with its context), and many at once all finish.
func TestIntakeDecodesOneAtATime(t *testing.T) {
	data := encJPEG(t, quadrants(64, 48, [4]color.RGBA{red, green, blue, white}))
	decodeSlot <- struct{}{} // another intake is decoding
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	waited := make(chan error, 1)
	go func() {
		_, err := Intake(ctx, bytes.NewReader(data), Limits{})
		waited <- err
	}()
	err := testwait.Recv(t, waited, "an intake waiting for the decode slot to give up")
	<-decodeSlot
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("an intake while the slot is taken gives %v, want it to wait until its deadline", err)
	}
	errs := make(chan error, 6)
	for range cap(errs) {
		go func() {
			_, err := Intake(context.Background(), bytes.NewReader(data), Limits{})
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := testwait.Recv(t, errs, "a concurrent intake"); err != nil {
			t.Error(err)
		}
	}
}
