package media

// STAND-IN for the media-intake branch's safe intake (media.Intake,
// Processed, Variant, Limits, DefaultLimits, Save), with the same API, so
// that `jarchy media add` and the newsroom library build before it lands.
// DELETE THIS FILE when media-intake is merged: the real one replaces it
// symbol for symbol. It decodes and re-encodes (so no metadata is kept)
// and makes nearest-neighbour variants; it has none of the real one's
// pixel budget, orientation or PNG handling, and its refusals carry no
// i18n key.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders for the stand-in
	"image/jpeg"
	_ "image/png"
	"io"

	"github.com/jarchy/jarchy"
)

// Limits bound what Intake accepts.
type Limits struct {
	MaxBytes       int64
	MaxPixels      int64
	MaxDecodeBytes int64
	MaxFrames      int
}

// DefaultLimits is the stand-in's budget.
var DefaultLimits = Limits{MaxBytes: 40 << 20, MaxPixels: 40_000_000, MaxDecodeBytes: 96 << 20, MaxFrames: 1000}

// Processed is an image that went through Intake.
type Processed struct {
	Key           string
	Type          string
	Width, Height int
	Data          []byte
	Variants      []Variant
	OpenGraph     Variant
}

// Variant is one JPEG made from the stored image.
type Variant struct {
	Key           string
	Width, Height int
	Data          []byte
}

// Intake is the stand-in of the safe intake.
func Intake(ctx context.Context, r io.Reader, lim Limits) (*Processed, error) {
	if lim.MaxBytes == 0 {
		lim = DefaultLimits
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, standinRefusal("the file is too big")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, standinRefusal("not a JPEG, PNG or GIF image")
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels || cfg.Width == 0 || cfg.Height == 0 {
		return nil, standinRefusal("the image has too many pixels")
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, standinRefusal("the image is damaged")
	}
	b := src.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(m, m.Bounds(), src, b.Min, draw.Over)
	master, err := encode(m)
	if err != nil {
		return nil, err
	}
	p := &Processed{Key: key(master), Type: "image/jpeg", Width: b.Dx(), Height: b.Dy(), Data: master}
	for _, w := range []int{320, 640, 1024, 1600} {
		if w >= p.Width {
			break
		}
		v, err := variant(m, w, p.Height*w/p.Width)
		if err != nil {
			return nil, err
		}
		p.Variants = append(p.Variants, v)
	}
	if p.OpenGraph, err = variant(m, 1200, 630); err != nil {
		return nil, err
	}
	return p, nil
}

// standinRefusal is an EINVALID refusal about the upload (the real
// intake's carry i18n keys).
func standinRefusal(msg string) error {
	return &jarchy.Error{Code: jarchy.EINVALID, Field: "upload", Message: msg}
}

func encode(m image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}

func key(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:]) + ".jpg"
}

// variant scales m to w×h (nearest neighbour; the real intake resamples).
func variant(m *image.RGBA, w, h int) (Variant, error) {
	h = max(h, 1)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	sw, sh := m.Bounds().Dx(), m.Bounds().Dy()
	for y := range h {
		for x := range w {
			out.Set(x, y, m.At(x*sw/w, y*sh/h))
		}
	}
	data, err := encode(out)
	if err != nil {
		return Variant{}, err
	}
	return Variant{Key: key(data), Width: w, Height: h, Data: data}, nil
}

// Save puts every blob of p into st, the stored image last.
func Save(ctx context.Context, st Store, p *Processed) error {
	put := func(key string, data []byte) error {
		if err := st.Put(ctx, key, bytes.NewReader(data)); err != nil {
			return fmt.Errorf("store %s: %w", key, err)
		}
		return nil
	}
	for _, v := range p.Variants {
		if err := put(v.Key, v.Data); err != nil {
			return err
		}
	}
	if err := put(p.OpenGraph.Key, p.OpenGraph.Data); err != nil {
		return err
	}
	return put(p.Key, p.Data)
}
