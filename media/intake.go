package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"sync"

	"golang.org/x/image/webp"

	"github.com/jarchy/jarchy"
)

// Intake is the one way an uploaded image enters the media store, from the
// newsroom and from the shell alike:
//
//  1. at most Limits.MaxBytes are read; a larger file is refused;
//  2. the type is told from the bytes (JPEG, PNG, GIF, WebP; anything
//     else, SVG included, is refused), never from a name;
//  3. the size in pixels is read from the header (image.DecodeConfig) and
//     the memory the decoder would take is checked against the pixel
//     budget before anything is decoded; a GIF with more frames than
//     Limits.MaxFrames is refused (only its first frame is used);
//  4. the image is decoded (one intake decodes at a time in a process, so
//     the budget bounds the process, not each upload), turned upright by
//     its EXIF orientation, scaled to at most MaxSide pixels on its longer
//     side, and encoded again: JPEG, or PNG when it has transparency. No
//     byte of the upload survives: EXIF, GPS, XMP, ICC profiles, comments
//     and text chunks are gone;
//  5. the variants are made from it: JPEGs VariantWidths wide (never
//     wider than the image) and the Open Graph crop.
//
// Every refusal is a *jarchy.Error (EINVALID, field "upload") whose
// MessageKey names a message in every site language (i18n).
func Intake(ctx context.Context, r io.Reader, lim Limits) (*Processed, error) {
	lim = lim.withDefaults()
	data, err := readLimited(ctx, r, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	typ := Sniff(data)
	var h header
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch typ {
	case JPEG:
		h, decodeConfig, decode = jpegHeader(data), jpeg.DecodeConfig, jpeg.Decode
	case PNG:
		h, decodeConfig, decode = pngHeader(data), png.DecodeConfig, png.Decode
	case GIF:
		h, decodeConfig, decode = gifHeader(data), gif.DecodeConfig, gif.Decode
	case WebP:
		h, decodeConfig, decode = webpHeader(data), webp.DecodeConfig, webp.Decode
	default:
		if looksLikeSVG(data) {
			return nil, refuse("err.media_svg", "SVG images are not accepted (they can carry scripts)")
		}
		return nil, refuse("err.media_type", "not a JPEG, PNG, GIF or WebP image")
	}
	if h.animated {
		return nil, refuse("err.media_type", "animated WebP images are not accepted")
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, refuse("err.media_corrupt", "the %s header cannot be read: %v", typ, err)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > lim.MaxPixels || float64(pixels)*h.bytesPerPixel > float64(lim.MaxDecodeBytes) {
		return nil, refuse("err.media_pixels", "%d×%d pixels is over the pixel budget (%d pixels and %d MiB to decode)",
			cfg.Width, cfg.Height, lim.MaxPixels, lim.MaxDecodeBytes>>20)
	}
	if pixels > floodPixels && int64(len(data))*floodRatio < pixels {
		return nil, refuse("err.media_pixels", "%d×%d pixels in %d bytes: a decompression bomb", cfg.Width, cfg.Height, len(data))
	}
	if typ == JPEG && h.scans > MaxJPEGScans {
		return nil, refuse("err.media_corrupt", "the JPEG has %d scans, more than %d", h.scans, MaxJPEGScans)
	}
	if typ == GIF && h.frames > lim.MaxFrames {
		return nil, refuse("err.media_frames", "the GIF has %d frames, more than %d", h.frames, lim.MaxFrames)
	}

	select {
	case decodeSlot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	m, err := safeDecode(decode, data)
	data = nil // the upload is no longer needed; let it go before the encoding
	if err != nil {
		<-decodeSlot
		return nil, refuse("err.media_corrupt", "the %s image cannot be decoded: %v", typ, err)
	}
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	if b := m.Bounds(); b != screen {
		if typ != GIF || b.Empty() || !b.In(screen) {
			<-decodeSlot
			return nil, refuse("err.media_corrupt", "the %s image is %v, its header said %d×%d", typ, b, cfg.Width, cfg.Height)
		}
		// A GIF's first frame may cover part of its screen: the rest is
		// transparent, as a browser shows it.
		canvas := image.NewRGBA(screen)
		draw.Draw(canvas, b, m, b.Min, draw.Src)
		m = canvas
	}
	// The stored image: at most MaxSide on its longer side, upright.
	w, h2 := fit(cfg.Width, cfg.Height, MaxSide)
	master := resample(m, m.Bounds(), w, h2)
	m = nil
	<-decodeSlot
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	master = orient(master, h.orientation)
	return process(ctx, master)
}

// A large image packed tighter than floodRatio pixels per byte is a
// decompression bomb (a blank canvas, or crafted): a photo of 16
// megapixels takes megabytes, and even an image of flat colour over 1 byte
// per 100 pixels at that size is not worth its decoding.
const (
	floodPixels = 16_000_000
	floodRatio  = 100
)

// decodeSlot lets one intake decode at a time in this process: a decoded
// image is the largest thing intake holds (up to Limits.MaxDecodeBytes).
var decodeSlot = make(chan struct{}, 1)

// safeDecode decodes, turning a decoder's panic on hostile input into an
// error.
func safeDecode(decode func(io.Reader) (image.Image, error), data []byte) (m image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	return decode(bytes.NewReader(data))
}

// readLimited reads all of r, refusing more than limit bytes.
func readLimited(ctx context.Context, r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read the upload: %w", err)
	}
	if n > limit {
		return nil, refuse("err.media_too_big", "the file is larger than %d bytes", limit)
	}
	if n == 0 {
		return nil, refuse("err.media_empty", "the file is empty")
	}
	return buf.Bytes(), nil
}

// looksLikeSVG reports whether the start of data is XML or an svg element,
// to tell its uploader why it was refused.
func looksLikeSVG(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 4096)])
	return bytes.Contains(head, []byte("<svg"))
}

// fit returns w×h scaled down to at most side on the longer side (never
// up), each at least 1.
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(int((int64(h)*int64(side)+int64(w)/2)/int64(w)), 1)
	}
	return max(int((int64(w)*int64(side)+int64(h)/2)/int64(h)), 1), side
}

// process encodes the upright master and makes its variants. Each variant
// is resampled from the next wider one (1600 from the master, 1024 from
// 1600, ...), which costs a third of resampling each from the master; the
// encodings run in parallel with the resampling.
func process(ctx context.Context, master *image.RGBA) (*Processed, error) {
	opaque := master.Opaque()
	p := &Processed{Width: master.Rect.Dx(), Height: master.Rect.Dy()}
	flat := master
	if !opaque {
		flat = flatten(master)
	}
	widths := variantWidths(p.Width)
	p.Variants = make([]Variant, len(widths))
	var wg sync.WaitGroup
	errs := make([]error, len(widths)+2)
	wg.Go(func() {
		if opaque {
			p.Type = JPEG
			p.Data, errs[0] = encodeJPEG(master, MasterQuality)
		} else {
			p.Type = PNG
			p.Data, errs[0] = encodePNG(master)
		}
		p.Key = contentKey(p.Data, p.Type)
	})
	encode := func(v *Variant, m *image.RGBA, err *error) {
		wg.Go(func() {
			v.Width, v.Height = m.Rect.Dx(), m.Rect.Dy()
			v.Data, *err = encodeJPEG(m, VariantQuality)
			v.Key = contentKey(v.Data, JPEG)
		})
	}
	src := flat
	for i := len(widths) - 1; i >= 0; i-- {
		vw := widths[i]
		vh := max(int((int64(p.Height)*int64(vw)+int64(p.Width)/2)/int64(p.Width)), 1)
		m := resample(src, src.Rect, vw, vh)
		encode(&p.Variants[i], m, &errs[2+i])
		if i == len(widths)-1 {
			// The Open Graph crop, from the widest variant when that
			// still holds it at full size, else from the master.
			og := m
			if ogCrop(og.Rect.Dx(), og.Rect.Dy()).Dx() < OGWidth {
				og = flat
			}
			r := ogCrop(og.Rect.Dx(), og.Rect.Dy())
			ow, oh := r.Dx(), r.Dy()
			if ow > OGWidth {
				ow, oh = OGWidth, OGHeight
			}
			encode(&p.OpenGraph, resample(og, r, ow, oh), &errs[1])
		}
		src = m
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// variantWidths returns the widths of the variants of an image w wide:
// each of VariantWidths narrower than it, and w itself when it is not
// wider than the largest (so the set reaches the image's own width).
func variantWidths(w int) []int {
	var out []int
	for _, vw := range VariantWidths {
		if vw < w {
			out = append(out, vw)
		}
	}
	if w <= VariantWidths[len(VariantWidths)-1] {
		out = append(out, w)
	}
	return out
}

// ogCrop returns the largest rectangle of OGWidth:OGHeight proportions
// centred in a w×h image.
func ogCrop(w, h int) image.Rectangle {
	cw, ch := w, int((int64(w)*OGHeight+OGWidth/2)/OGWidth)
	if ch > h {
		cw, ch = int((int64(h)*OGWidth+OGHeight/2)/OGHeight), h
	}
	cw, ch = max(min(cw, w), 1), max(min(ch, h), 1)
	x0, y0 := (w-cw)/2, (h-ch)/2
	return image.Rect(x0, y0, x0+cw, y0+ch)
}

// flatten returns m over a white background, opaque (a JPEG has no alpha).
func flatten(m *image.RGBA) *image.RGBA {
	out := image.NewRGBA(m.Rect)
	for i := 0; i+3 < len(m.Pix); i += 4 {
		bg := 0xFF - m.Pix[i+3] // premultiplied: colour + white × (1 - alpha)
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = addSat(m.Pix[i], bg), addSat(m.Pix[i+1], bg), addSat(m.Pix[i+2], bg), 0xFF
	}
	return out
}

func addSat(a, b uint8) uint8 { return uint8(min(int(a)+int(b), 0xFF)) }

func encodeJPEG(m image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode JPEG: %w", err)
	}
	return buf.Bytes(), nil
}

// encodePNG writes m (premultiplied) as a non-premultiplied PNG.
func encodePNG(m *image.RGBA) ([]byte, error) {
	n := image.NewNRGBA(m.Rect)
	for i := 0; i+3 < len(m.Pix); i += 4 {
		a := uint32(m.Pix[i+3])
		n.Pix[i+3] = uint8(a)
		if a == 0 {
			continue
		}
		n.Pix[i] = uint8(min((uint32(m.Pix[i])*255+a/2)/a, 255))
		n.Pix[i+1] = uint8(min((uint32(m.Pix[i+1])*255+a/2)/a, 255))
		n.Pix[i+2] = uint8(min((uint32(m.Pix[i+2])*255+a/2)/a, 255))
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, n); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// contentKey is the key of stored bytes: the hex SHA-256 of the bytes and
// the extension of their type.
func contentKey(data []byte, typ string) string {
	sum := sha256.Sum256(data)
	ext := ".jpg"
	if typ == PNG {
		ext = ".png"
	}
	return hex.EncodeToString(sum[:]) + ext
}

// IsContentKey reports whether key is one Intake makes (64 lower-case hex
// digits and .jpg or .png): its bytes never change, so it may be cached
// for ever.
func IsContentKey(key string) bool {
	if len(key) != 68 || (key[64:] != ".jpg" && key[64:] != ".png") {
		return false
	}
	for _, c := range []byte(key[:64]) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func refuse(key, format string, args ...any) error {
	return jarchy.Invalid("upload", key, format, args...)
}
