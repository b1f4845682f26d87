package media

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"runtime"
	"testing"

	"golang.org/x/image/webp"
)

// The pixel budget rests on header.go's estimate of what each decoder
// allocates per pixel: for every kind of image, decoding it allocates no
// more than the estimate (plus 256 KiB of fixed buffers), and not far
// less (the estimate is at most 3 times the truth, so the budget does not
// refuse images it could take).
func TestDecodeMemoryWithinEstimate(t *testing.T) {
	const w, h = 1000, 800
	photo := Photo(City, 1, w, h)
	gray := image.NewGray(photo.Rect)
	nrgba64 := image.NewNRGBA64(photo.Rect)
	pal := image.NewPaletted(photo.Rect, color.Palette{color.Black, color.White, color.Transparent})
	for y := range h {
		for x := range w {
			c := photo.RGBAAt(x, y)
			gray.Pix[y*gray.Stride+x] = c.G
			nrgba64.Set(x, y, color.NRGBA64{uint16(c.R) << 8, uint16(c.G) << 8, uint16(c.B) << 8, uint16(x * 65)})
			pal.Pix[y*pal.Stride+x] = uint8((x + y) % 3)
		}
	}
	nrgba := image.NewNRGBA(photo.Rect)
	copy(nrgba.Pix, photo.Pix)
	for i := 3; i < len(nrgba.Pix); i += 4 {
		nrgba.Pix[i] = uint8(i)
	}
	var gb bytes.Buffer
	if err := gif.Encode(&gb, pal, nil); err != nil {
		t.Fatal(err)
	}
	type kind struct {
		name   string
		data   []byte
		header func([]byte) header
		decode func(io.Reader) (image.Image, error)
	}
	kinds := []kind{
		{"JPEG 4:2:0", encJPEG(t, photo), jpegHeader, jpeg.Decode},
		{"JPEG grey", encJPEG(t, gray), jpegHeader, jpeg.Decode},
		{"PNG RGB", encPNG(t, photo), pngHeader, png.Decode},
		{"PNG RGBA", encPNG(t, nrgba), pngHeader, png.Decode},
		{"PNG 16-bit RGBA", encPNG(t, nrgba64), pngHeader, png.Decode},
		{"PNG grey", encPNG(t, gray), pngHeader, png.Decode},
		{"PNG palette", encPNG(t, pal), pngHeader, png.Decode},
		{"GIF", gb.Bytes(), gifHeader, gif.Decode},
	}
	for _, f := range []string{"testdata/blue-purple-pink.lossy.webp", "testdata/gopher-doc.with-alpha.lossless.webp"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, kind{f, b, webpHeader, webp.Decode})
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			m, err := k.decode(bytes.NewReader(k.data))
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			px := float64(m.Bounds().Dx() * m.Bounds().Dy())
			alloc := float64(after.TotalAlloc - before.TotalAlloc)
			est := k.header(k.data).bytesPerPixel * px
			t.Logf("%s: %.2f bytes per pixel allocated, %.2f estimated", k.name, alloc/px, est/px)
			if alloc > est+256<<10 {
				t.Errorf("decoding allocated %.0f bytes, over the estimate %.0f", alloc, est)
			}
			if px > 100_000 && est > 3*alloc && k.name != "GIF" { // GIF: room for a canvas

				t.Errorf("the estimate %.0f is over 3 times the %.0f bytes allocated", est, alloc)
			}
		})
	}
}
