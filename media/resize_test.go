package media

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/draw"
)

// The streaming resampler stands in for golang.org/x/image/draw's
// CatmullRom scaler (which needs 32 bytes per pixel of destination width
// × source height): on the same inputs, every channel of every pixel
// agrees within 2 levels of 255.
func TestResampleMatchesXImageDraw(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := func(w, h int, alpha bool) *image.NRGBA {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = uint8(rnd.IntN(256))
			if i%4 == 3 && !alpha {
				m.Pix[i] = 0xFF
			}
		}
		return m
	}
	photo := Photo(Lake, 3, 300, 200)
	cases := []struct {
		name string
		src  image.Image
		r    image.Rectangle
		w, h int
	}{
		{"photo down 3.1×", photo, photo.Rect, 97, 64},
		{"photo down 1.5×", photo, photo.Rect, 200, 133},
		{"photo up 1.3×", photo, photo.Rect, 390, 260},
		{"photo crop", photo, image.Rect(40, 30, 250, 140), 120, 63},
		{"noise down 7×", noise(350, 210, false), image.Rect(0, 0, 350, 210), 50, 30},
		{"noise with alpha down 2.5×", noise(100, 80, true), image.Rect(0, 0, 100, 80), 40, 32},
		{"ycbcr down 2×", ycbcr(photo), photo.Rect, 150, 100},
		{"gray down 3×", gray(photo), photo.Rect, 100, 67},
		{"one row", noise(90, 1, false), image.Rect(0, 0, 90, 1), 30, 1},
		{"16-bit with alpha", convert(noise(120, 90, true), image.NewNRGBA64), image.Rect(0, 0, 120, 90), 50, 37},
		{"16-bit", convert(photo, image.NewRGBA64), photo.Rect, 130, 87},
		{"16-bit grey", convert(photo, image.NewGray16), photo.Rect, 100, 67},
		{"CMYK", convert(photo, image.NewCMYK), photo.Rect, 110, 73},
		{"alpha YCbCr", nycbcra(photo), photo.Rect, 100, 67},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := resample(c.src, c.r, c.w, c.h)
			want := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
			draw.CatmullRom.Scale(want, want.Rect, c.src, c.r, draw.Src, nil)
			worst := 0
			for i := range got.Pix {
				worst = max(worst, abs(int(got.Pix[i])-int(want.Pix[i])))
			}
			if worst > 2 {
				t.Errorf("differs from x/image/draw by up to %d levels", worst)
			}
		})
	}
}

func ycbcr(m image.Image) *image.YCbCr {
	b := m.Bounds()
	y := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			r, g, bl, _ := m.At(px, py).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			y.Y[y.YOffset(px, py)] = yy
			y.Cb[y.COffset(px, py)], y.Cr[y.COffset(px, py)] = cb, cr
		}
	}
	return y
}

func convert[M draw.Image](m image.Image, make func(image.Rectangle) M) M {
	out := make(m.Bounds())
	draw.Draw(out, out.Bounds(), m, m.Bounds().Min, draw.Src)
	return out
}

func nycbcra(m image.Image) *image.NYCbCrA {
	y := ycbcr(m)
	out := image.NewNYCbCrA(y.Rect, y.SubsampleRatio)
	copy(out.Y, y.Y)
	copy(out.Cb, y.Cb)
	copy(out.Cr, y.Cr)
	for i := range out.A {
		out.A[i] = uint8(i * 7)
	}
	return out
}

func gray(m image.Image) *image.Gray {
	g := image.NewGray(m.Bounds())
	draw.Draw(g, g.Rect, m, m.Bounds().Min, draw.Src)
	return g
}
