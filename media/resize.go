package media

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"sync"
)

// The resampler: separable Catmull-Rom, widened by the reduction factor
// (as golang.org/x/image/draw's kernel scaler, which it is checked against
// in resize_test.go). x/image/draw keeps a temporary of 32 bytes per pixel
// of (destination width × source height), 150 MB for a 12-megapixel photo
// made 1600 wide; this one streams: each source row is converted and
// resampled horizontally once, into a ring of as many rows as the vertical
// kernel spans, so it holds a few rows besides the destination. Output
// bands run in parallel.

// catmullRom is the Catmull-Rom cubic (B=0, C=1/2), support 2.
func catmullRom(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t < 1:
		return (1.5*t-2.5)*t*t + 1
	case t < 2:
		return ((-0.5*t+2.5)*t-4)*t + 2
	}
	return 0
}

// taps are the weights of one axis: destination i reads sources
// start[i] .. start[i]+n[i]-1 with weights w[off[i]:].
type taps struct {
	start, n, off []int
	w             []float32
	max           int // the largest n
}

func makeTaps(dst, src int) taps {
	scale := float64(src) / float64(dst)
	support, argScale := 2.0, 1.0
	if scale > 1 {
		support *= scale
		argScale = 1 / scale
	}
	t := taps{start: make([]int, dst), n: make([]int, dst), off: make([]int, dst)}
	for i := range dst {
		center := (float64(i)+0.5)*scale - 0.5
		lo := max(int(math.Floor(center-support)), 0)
		hi := min(int(math.Ceil(center+support)), src)
		t.start[i], t.off[i] = lo, len(t.w)
		total := 0.0
		for j := lo; j < hi; j++ {
			total += catmullRom((center - float64(j)) * argScale)
		}
		for j := lo; j < hi; j++ {
			w := catmullRom((center - float64(j)) * argScale)
			if total != 0 {
				w /= total
			}
			t.w = append(t.w, float32(w))
		}
		t.n[i] = hi - lo
		t.max = max(t.max, hi-lo)
	}
	return t
}

// rowReader fills buf with row y (0-based within r) of the rectangle r of
// an image, as 8-bit premultiplied RGBA, 4 bytes per pixel.
type rowReader func(y int, buf []uint8)

func newRowReader(m image.Image, r image.Rectangle) rowReader {
	w := r.Dx()
	switch m := m.(type) {
	case *image.RGBA:
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			copy(buf, m.Pix[i:i+4*w])
		}
	case *image.NRGBA:
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			premultiply(buf, m.Pix[i:i+4*w])
		}
	case *image.YCbCr:
		return func(y int, buf []uint8) {
			sy := r.Min.Y + y
			for x := range w {
				yi, ci := m.YOffset(r.Min.X+x, sy), m.COffset(r.Min.X+x, sy)
				cr, cg, cb := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = cr, cg, cb, 0xFF
			}
		}
	case *image.Gray:
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x, g := range m.Pix[i : i+w] {
				buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = g, g, g, 0xFF
			}
		}
	case *image.Paletted:
		pal := make([][4]uint8, 256)
		for i := range pal {
			c := color.RGBA{A: 0xFF}
			if i < len(m.Palette) {
				c = color.RGBAModel.Convert(m.Palette[i]).(color.RGBA)
			}
			pal[i] = [4]uint8{c.R, c.G, c.B, c.A}
		}
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x, p := range m.Pix[i : i+w] {
				c := pal[p]
				buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = c[0], c[1], c[2], c[3]
			}
		}
	case *image.NRGBA64: // 16-bit PNG with alpha
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x := range w {
				p := m.Pix[i+8*x : i+8*x+8 : i+8*x+8]
				a := uint32(p[6])<<8 | uint32(p[7])
				pm := func(hi, lo uint8) uint8 { return uint8((uint32(hi)<<8 | uint32(lo)) * a / 0xFFFF >> 8) }
				buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = pm(p[0], p[1]), pm(p[2], p[3]), pm(p[4], p[5]), uint8(a>>8)
			}
		}
	case *image.RGBA64: // 16-bit PNG without alpha
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x := range w {
				p := m.Pix[i+8*x : i+8*x+8 : i+8*x+8]
				buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = p[0], p[2], p[4], p[6]
			}
		}
	case *image.Gray16:
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x := range w {
				g := m.Pix[i+2*x]
				buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = g, g, g, 0xFF
			}
		}
	case *image.CMYK:
		return func(y int, buf []uint8) {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			for x := range w {
				p := m.Pix[i+4*x : i+4*x+4 : i+4*x+4]
				buf[4*x], buf[4*x+1], buf[4*x+2] = color.CMYKToRGB(p[0], p[1], p[2], p[3])
				buf[4*x+3] = 0xFF
			}
		}
	}
	// Anything else (alpha YCbCr, say) through its colour model: slower,
	// and exact.
	return func(y int, buf []uint8) {
		for x := range w {
			c := color.RGBAModel.Convert(m.At(r.Min.X+x, r.Min.Y+y)).(color.RGBA)
			buf[4*x], buf[4*x+1], buf[4*x+2], buf[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
}

func premultiply(dst, src []uint8) {
	for i := 0; i+3 < len(src); i += 4 {
		a := uint32(src[i+3])
		switch a {
		case 0xFF:
			dst[i], dst[i+1], dst[i+2], dst[i+3] = src[i], src[i+1], src[i+2], 0xFF
		case 0:
			dst[i], dst[i+1], dst[i+2], dst[i+3] = 0, 0, 0, 0
		default:
			dst[i] = uint8((uint32(src[i])*a + 127) / 255)
			dst[i+1] = uint8((uint32(src[i+1])*a + 127) / 255)
			dst[i+2] = uint8((uint32(src[i+2])*a + 127) / 255)
			dst[i+3] = uint8(a)
		}
	}
}

// resample returns the rectangle r of m scaled to w×h, premultiplied RGBA.
func resample(m image.Image, r image.Rectangle, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	read := newRowReader(m, r)
	if r.Dx() == w && r.Dy() == h { // same size: a conversion
		parallelRows(h, func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				read(y, dst.Pix[y*dst.Stride:y*dst.Stride+4*w])
			}
		})
		return dst
	}
	tx, ty := makeTaps(w, r.Dx()), makeTaps(h, r.Dy())
	parallelRows(h, func(y0, y1 int) { resampleBand(dst, read, r.Dx(), tx, ty, y0, y1) })
	return dst
}

// parallelRows splits rows 0..h-1 into bands, one per processor (at most
// 4), and runs fn on each at once.
func parallelRows(h int, fn func(y0, y1 int)) {
	bands := min(runtime.GOMAXPROCS(0), 4, max(h/64, 1))
	if bands <= 1 {
		fn(0, h)
		return
	}
	var wg sync.WaitGroup
	for b := range bands {
		y0, y1 := h*b/bands, h*(b+1)/bands
		wg.Go(func() { fn(y0, y1) })
	}
	wg.Wait()
}

// resampleBand makes destination rows y0..y1-1.
func resampleBand(dst *image.RGBA, read rowReader, sw int, tx, ty taps, y0, y1 int) {
	w := dst.Rect.Dx()
	ringRows := ty.max
	ring := make([]float32, ringRows*w*4)
	ringRow := make([]int, ringRows) // which source row each slot holds
	for i := range ringRow {
		ringRow[i] = -1
	}
	src := make([]uint8, sw*4)
	acc := make([]float32, w*4)
	for y := y0; y < y1; y++ {
		s0, n := ty.start[y], ty.n[y]
		for j := s0; j < s0+n; j++ {
			slot := j % ringRows
			if ringRow[slot] == j {
				continue
			}
			read(j, src)
			horizontal(ring[slot*w*4:(slot+1)*w*4], src, tx)
			ringRow[slot] = j
		}
		clear(acc)
		wts := ty.w[ty.off[y] : ty.off[y]+n]
		for k, wt := range wts {
			slot := (s0 + k) % ringRows
			row := ring[slot*w*4 : (slot+1)*w*4]
			for i, v := range row {
				acc[i] += wt * v
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for x := 0; x < w; x++ {
			a := clamp8(acc[4*x+3])
			// Premultiplied colour never exceeds alpha.
			out[4*x] = min(clamp8(acc[4*x]), a)
			out[4*x+1] = min(clamp8(acc[4*x+1]), a)
			out[4*x+2] = min(clamp8(acc[4*x+2]), a)
			out[4*x+3] = a
		}
	}
}

func horizontal(out []float32, src []uint8, tx taps) {
	for x := range tx.start {
		var r, g, b, a float32
		p := tx.start[x] * 4
		for _, wt := range tx.w[tx.off[x] : tx.off[x]+tx.n[x]] {
			s := src[p : p+4 : p+4]
			r += wt * float32(s[0])
			g += wt * float32(s[1])
			b += wt * float32(s[2])
			a += wt * float32(s[3])
			p += 4
		}
		o := out[4*x : 4*x+4 : 4*x+4]
		o[0], o[1], o[2], o[3] = r, g, b, a
	}
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// orient returns m turned upright for an EXIF orientation (1..8): 2 mirrors
// it, 3 turns it half round, 4 flips it, 5 transposes it, 6 turns it a
// quarter clockwise, 7 transverses it, 8 turns it a quarter anticlockwise.
func orient(m *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return m
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	// src(x, y) for each destination pixel (x, y).
	var at func(x, y int) (int, int)
	switch o {
	case 2:
		at = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3:
		at = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4:
		at = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5:
		at = func(x, y int) (int, int) { return y, x }
	case 6:
		at = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7:
		at = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8:
		at = func(x, y int) (int, int) { return w - 1 - y, x }
	}
	for y := range dh {
		d := dst.Pix[y*dst.Stride:]
		for x := range dw {
			sx, sy := at(x, y)
			s := m.Pix[sy*m.Stride+4*sx:]
			copy(d[4*x:4*x+4], s[:4])
		}
	}
	return dst
}
