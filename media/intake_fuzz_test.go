package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/gif"
	"os"
	"testing"
)

// FuzzIntake feeds Intake arbitrary bytes (seeded with small JPEG, PNG,
// GIF and WebP files, some with EXIF). Whatever it gets, it must not
// panic; what it accepts must be stored clean (no metadata), decodable at
// the size it reports, within MaxSide, under the SHA-256 key of its bytes.
// go test ./media -fuzz FuzzIntake -fuzztime 60s
func FuzzIntake(f *testing.F) {
	small := quadrants(24, 16, [4]color.RGBA{red, green, blue, white})
	f.Add(encJPEG(f, small))
	f.Add(withSegments(encJPEG(f, small), exifAPP1(6)))
	f.Add(encPNG(f, small))
	f.Add(withChunks(encPNG(f, small), pngChunk("eXIf", exifTIFF(8)), pngChunk("tEXt", []byte("a\x00<script>"))))
	var gb bytes.Buffer
	_ = gif.Encode(&gb, small, nil)
	f.Add(gb.Bytes())
	if w, err := os.ReadFile("testdata/gopher-doc.with-alpha.lossless.webp"); err == nil {
		f.Add(w)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 3, 3), color.Palette{color.Transparent, color.White})
	f.Add(encPNG(f, pal))
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxDecodeBytes: 16 << 20, MaxFrames: 50}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Intake(context.Background(), bytes.NewReader(data), lim)
		if err != nil {
			if p != nil {
				t.Fatal("an error with a result")
			}
			return
		}
		if p.Width < 1 || p.Height < 1 || p.Width > MaxSide || p.Height > MaxSide {
			t.Fatalf("stored size %d×%d", p.Width, p.Height)
		}
		for k, b := range p.Blobs() {
			if m := metadataIn(b); len(m) > 0 {
				t.Fatalf("%s keeps metadata %v", k, m)
			}
			sum := sha256.Sum256(b)
			if k[:64] != hex.EncodeToString(sum[:]) {
				t.Fatalf("key %s is not the hash of its bytes", k)
			}
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Data))
		if err != nil || cfg.Width != p.Width || cfg.Height != p.Height {
			t.Fatalf("stored image: %v, %d×%d, want %d×%d", err, cfg.Width, cfg.Height, p.Width, p.Height)
		}
	})
}
