package media

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// Scene is the kind of picture Photo draws.
type Scene int

// Scenes for demo photos.
const (
	Mountains Scene = iota // snowy ridges and a meadow (Ala-Too)
	Lake                   // mountains over a lake (Issyk-Kul)
	City                   // a city skyline at dusk
	Steppe                 // open steppe with yurts
	Stadium                // a football pitch with stands
	Chart                  // an economy chart
	Ornament               // a felt-carpet (shyrdak) style pattern
	numScenes
)

// Photo size used by the demo edition (16:9).
const (
	PhotoWidth  = 1200
	PhotoHeight = 675
)

// SceneFor picks a scene deterministically from a number.
func SceneFor(n int) Scene { return Scene(((n % int(numScenes)) + int(numScenes)) % int(numScenes)) }

// PhotoJPEG draws a scene and encodes it as JPEG. The same scene, seed and
// size always give the same bytes.
func PhotoJPEG(s Scene, seed uint64, w, h int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Photo(s, seed, w, h), &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Photo draws a deterministic picture of the scene.
func Photo(s Scene, seed uint64, w, h int) *image.RGBA {
	c := &canvas{RGBA: image.NewRGBA(image.Rect(0, 0, w, h)), w: w, h: h,
		rnd: rand.New(rand.NewPCG(seed, uint64(s)+0x9e3779b97f4a7c15))}
	switch s {
	case Lake:
		c.lake()
	case City:
		c.city()
	case Steppe:
		c.steppe()
	case Stadium:
		c.stadium()
	case Chart:
		c.chart()
	case Ornament:
		c.ornament()
	default:
		c.mountains()
	}
	return c.RGBA
}

type canvas struct {
	*image.RGBA
	w, h int
	rnd  *rand.Rand
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

func mix(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	l := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 255}
}

func (c *canvas) jitter(col color.RGBA, n int) color.RGBA {
	d := func(v uint8) uint8 { return uint8(max(0, min(255, int(v)+c.rnd.IntN(2*n+1)-n))) }
	return rgb(d(col.R), d(col.G), d(col.B))
}

func (c *canvas) set(x, y int, col color.RGBA) {
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return
	}
	i := y*c.Stride + x*4
	c.Pix[i], c.Pix[i+1], c.Pix[i+2], c.Pix[i+3] = col.R, col.G, col.B, 255
}

func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return
	}
	i := y*c.Stride + x*4
	old := color.RGBA{c.Pix[i], c.Pix[i+1], c.Pix[i+2], 255}
	c.set(x, y, mix(old, col, a))
}

// sky fills rows y0..y1 with a vertical gradient.
func (c *canvas) vgrad(y0, y1 int, top, bottom color.RGBA) {
	for y := max(0, y0); y < min(c.h, y1); y++ {
		col := mix(top, bottom, float64(y-y0)/float64(max(1, y1-y0-1)))
		for x := 0; x < c.w; x++ {
			c.set(x, y, col)
		}
	}
}

func (c *canvas) rect(x0, y0, x1, y1 int, col color.RGBA) {
	for y := max(0, y0); y < min(c.h, y1); y++ {
		for x := max(0, x0); x < min(c.w, x1); x++ {
			c.set(x, y, col)
		}
	}
}

func (c *canvas) disc(cx, cy, r float64, col color.RGBA, alpha float64) {
	for y := int(cy - r - 1); y <= int(cy+r+1); y++ {
		for x := int(cx - r - 1); x <= int(cx+r+1); x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			if d <= r {
				c.blend(x, y, col, alpha*math.Min(1, r-d+0.5))
			}
		}
	}
}

// profile returns a ridge line: for each x the height (y) of the surface,
// a sum of sines with random phases around base with amplitude amp.
func (c *canvas) profile(base, amp float64, sharp bool) []float64 {
	type wave struct{ f, p, a float64 }
	var waves []wave
	for i := range 5 {
		waves = append(waves, wave{
			f: (0.6 + c.rnd.Float64()) * math.Pow(2.1, float64(i)) * 2 * math.Pi / float64(c.w),
			p: c.rnd.Float64() * 2 * math.Pi,
			a: amp / math.Pow(1.9, float64(i)),
		})
	}
	ys := make([]float64, c.w)
	for x := range ys {
		v := 0.0
		for _, w := range waves {
			s := math.Sin(float64(x)*w.f + w.p)
			if sharp {
				s = 1 - 2*math.Abs(s) // peaks
			}
			v += w.a * s
		}
		ys[x] = base - v
	}
	return ys
}

// fillBelow paints from the ridge line down to yEnd with a colour function.
func (c *canvas) fillBelow(ridge []float64, yEnd int, col func(x, y int, depth float64) color.RGBA) {
	for x := 0; x < c.w; x++ {
		top := int(ridge[x])
		for y := max(0, top); y < min(c.h, yEnd); y++ {
			c.set(x, y, col(x, y, float64(y)-ridge[x]))
		}
	}
}

func (c *canvas) ranges(horizon int, layers int, snow bool) {
	far := rgb(150, 170, 200)
	near := rgb(52, 70, 88)
	for i := range layers {
		t := float64(i) / float64(max(1, layers-1))
		base := float64(horizon) - float64(c.h)*(0.30-0.12*t)
		ridge := c.profile(base, float64(c.h)*(0.16-0.05*t), true)
		body := mix(far, near, t)
		c.fillBelow(ridge, horizon, func(x, y int, depth float64) color.RGBA {
			if snow && depth < float64(c.h)*(0.05-0.02*t)*(1+0.5*math.Sin(float64(x)*0.05)) {
				return mix(rgb(245, 248, 252), body, depth/(float64(c.h)*0.08))
			}
			return mix(body, mix(body, rgb(20, 30, 40), 0.3), depth/float64(c.h))
		})
	}
}

func (c *canvas) sun(x, y, r float64, col color.RGBA) {
	c.disc(x, y, r*2.2, col, 0.15)
	c.disc(x, y, r, col, 1)
}

func (c *canvas) mountains() {
	horizon := int(float64(c.h) * (0.68 + 0.06*c.rnd.Float64()))
	c.vgrad(0, horizon, c.jitter(rgb(70, 130, 200), 20), c.jitter(rgb(235, 200, 160), 20))
	c.sun(float64(c.w)*(0.15+0.7*c.rnd.Float64()), float64(c.h)*0.18, float64(c.h)*0.05, rgb(255, 240, 200))
	c.ranges(horizon, 3, true)
	meadow := c.profile(float64(horizon), float64(c.h)*0.03, false)
	green := c.jitter(rgb(80, 140, 60), 20)
	c.fillBelow(meadow, c.h, func(x, y int, depth float64) color.RGBA {
		return mix(green, rgb(40, 80, 30), depth/float64(c.h)*2)
	})
	c.yurts(horizon, 1+c.rnd.IntN(3))
}

func (c *canvas) lake() {
	horizon := int(float64(c.h) * 0.55)
	c.vgrad(0, horizon, c.jitter(rgb(40, 90, 170), 15), c.jitter(rgb(200, 220, 235), 15))
	c.ranges(horizon, 2, true)
	// Water: a reflection of the sky and ranges above, darkened, with ripples.
	for y := horizon; y < c.h; y++ {
		src := 2*horizon - y
		for x := 0; x < c.w; x++ {
			sx := x + int(3*math.Sin(float64(y)*0.35))
			if src < 0 || sx < 0 || sx >= c.w {
				c.set(x, y, rgb(30, 70, 110))
				continue
			}
			i := src*c.Stride + sx*4
			col := rgb(c.Pix[i], c.Pix[i+1], c.Pix[i+2])
			c.set(x, y, mix(col, rgb(20, 70, 120), 0.35+0.4*float64(y-horizon)/float64(c.h-horizon)))
		}
	}
	shore := c.profile(float64(c.h)*0.93, float64(c.h)*0.03, false)
	c.fillBelow(shore, c.h, func(int, int, float64) color.RGBA { return rgb(190, 170, 120) })
}

func (c *canvas) city() {
	horizon := int(float64(c.h) * 0.8)
	c.vgrad(0, horizon, c.jitter(rgb(30, 40, 90), 15), c.jitter(rgb(240, 150, 90), 20))
	c.sun(float64(c.w)*(0.2+0.6*c.rnd.Float64()), float64(horizon)-float64(c.h)*0.12, float64(c.h)*0.07, rgb(255, 200, 120))
	c.ranges(int(float64(c.h)*0.62), 1, true)
	for layer := range 2 {
		shade := mix(rgb(70, 60, 90), rgb(25, 25, 40), float64(layer))
		for x := -20; x < c.w; {
			bw := 40 + c.rnd.IntN(90)
			bh := int(float64(c.h) * (0.12 + 0.3*c.rnd.Float64()) * (1 - 0.3*float64(1-layer)))
			top := horizon - bh
			c.rect(x, top, x+bw, c.h, shade)
			if layer == 1 {
				for wy := top + 10; wy < horizon-8; wy += 18 {
					for wx := x + 8; wx < x+bw-8; wx += 16 {
						if c.rnd.IntN(3) == 0 {
							c.rect(wx, wy, wx+7, wy+9, rgb(255, 220, 140))
						}
					}
				}
			}
			x += bw + c.rnd.IntN(12)
		}
	}
	c.rect(0, horizon, c.w, c.h, rgb(35, 35, 45))
}

func (c *canvas) steppe() {
	horizon := int(float64(c.h) * 0.58)
	c.vgrad(0, horizon, c.jitter(rgb(90, 150, 220), 15), rgb(225, 235, 240))
	for range 4 + c.rnd.IntN(4) { // clouds
		cx, cy := c.rnd.Float64()*float64(c.w), c.rnd.Float64()*float64(horizon)*0.6
		k := float64(c.h) / PhotoHeight
		for range 6 {
			c.disc(cx+c.rnd.NormFloat64()*40*k, cy+c.rnd.NormFloat64()*10*k, (20+c.rnd.Float64()*30)*k, rgb(255, 255, 255), 0.8)
		}
	}
	c.ranges(horizon, 1, true)
	field := c.jitter(rgb(200, 175, 90), 15)
	c.fillBelow(c.profile(float64(horizon), 6, false), c.h, func(x, y int, depth float64) color.RGBA {
		stripe := 0.08 * math.Sin(float64(x)*0.02+depth*0.15)
		return mix(field, rgb(120, 130, 50), depth/float64(c.h)+stripe)
	})
	c.yurts(horizon+int(float64(c.h)*0.08), 2+c.rnd.IntN(3))
}

// yurts draws white domed yurts standing on the line at y.
func (c *canvas) yurts(y, n int) {
	for range n {
		cx := float64(c.w) * (0.1 + 0.8*c.rnd.Float64())
		r := float64(c.h) * (0.035 + 0.02*c.rnd.Float64())
		base := float64(y) + c.rnd.Float64()*float64(c.h)*0.1
		c.rect(int(cx-r), int(base-r*0.9), int(cx+r), int(base), rgb(240, 236, 225))
		for yy := int(base - r*1.6); yy < int(base-r*0.9); yy++ {
			half := r * (1 - math.Pow((base-r*0.9-float64(yy))/(r*0.7), 2))
			for xx := int(cx - half); xx <= int(cx+half); xx++ {
				c.set(xx, yy, rgb(232, 228, 215))
			}
		}
		c.rect(int(cx-r*0.25), int(base-r*0.6), int(cx+r*0.25), int(base), rgb(150, 40, 40))
	}
}

func (c *canvas) stadium() {
	c.vgrad(0, c.h/4, rgb(25, 35, 60), rgb(60, 70, 100))
	for y := c.h / 4; y < c.h*2/5; y++ { // crowd
		for x := 0; x < c.w; x++ {
			c.set(x, y, c.jitter(rgb(120, 90, 100), 60))
		}
	}
	pitchTop := c.h * 2 / 5
	for y := pitchTop; y < c.h; y++ {
		stripe := (y-pitchTop)/40%2 == 0
		col := rgb(50, 140, 60)
		if stripe {
			col = rgb(60, 155, 70)
		}
		for x := 0; x < c.w; x++ {
			c.set(x, y, col)
		}
	}
	white := rgb(240, 240, 240)
	c.rect(0, pitchTop+20, c.w, pitchTop+24, white)
	c.rect(c.w/2-2, pitchTop+20, c.w/2+2, c.h, white)
	cy := float64(pitchTop+c.h) / 2
	for a := 0.0; a < 2*math.Pi; a += 0.002 {
		r := float64(c.h) * 0.18
		for d := -2.0; d <= 2; d++ {
			c.set(c.w/2+int((r+d)*math.Cos(a)), int(cy+(r+d)*math.Sin(a)*0.6), white)
		}
	}
	c.disc(float64(c.w)*(0.3+0.4*c.rnd.Float64()), cy+float64(c.h)*0.15, 12, white, 1)
	for range 4 { // floodlights
		c.disc(c.rnd.Float64()*float64(c.w), float64(c.h)*0.06, 18, rgb(255, 250, 220), 0.9)
	}
}

func (c *canvas) chart() {
	c.vgrad(0, c.h, rgb(22, 36, 60), rgb(10, 18, 30))
	grid := rgb(50, 70, 100)
	for y := c.h / 8; y < c.h; y += c.h / 8 {
		c.rect(0, y, c.w, y+1, grid)
	}
	n := 14
	bw := c.w / (n + 2)
	v := 0.4 + 0.2*c.rnd.Float64()
	prevX, prevY := -1, -1
	for i := range n {
		v = math.Max(0.1, math.Min(0.9, v+0.12*(c.rnd.Float64()-0.45)))
		x := bw + i*bw
		top := c.h - int(v*float64(c.h)*0.85)
		c.rect(x+6, top, x+bw-6, c.h, mix(rgb(40, 110, 190), rgb(90, 190, 240), v))
		px, py := x+bw/2, top-20
		if prevX >= 0 {
			steps := max(abs(px-prevX), abs(py-prevY))
			for s := 0; s <= steps; s++ {
				t := float64(s) / float64(max(1, steps))
				c.disc(float64(prevX)+t*float64(px-prevX), float64(prevY)+t*float64(py-prevY), 2.5, rgb(250, 190, 60), 1)
			}
		}
		c.disc(float64(px), float64(py), 7, rgb(250, 190, 60), 1)
		prevX, prevY = px, py
	}
}

func (c *canvas) ornament() {
	palettes := [][2]color.RGBA{
		{rgb(170, 30, 40), rgb(240, 200, 80)},
		{rgb(30, 60, 130), rgb(230, 120, 40)},
		{rgb(40, 110, 70), rgb(235, 225, 200)},
	}
	p := palettes[c.rnd.IntN(len(palettes))]
	c.rect(0, 0, c.w, c.h, p[0])
	cell := float64(c.h) / (3 + float64(c.rnd.IntN(3)))
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			// Ram-horn like curls: a diamond lattice with a spiral band.
			u := math.Mod(float64(x)+cell*10, cell)/cell - 0.5
			v := math.Mod(float64(y)+cell*10, cell)/cell - 0.5
			d := math.Abs(u) + math.Abs(v)
			ang := math.Atan2(v, u)
			r := math.Hypot(u, v)
			curl := math.Abs(math.Sin(ang*2+r*14)) < 0.35 && r > 0.12 && r < 0.42
			if (d > 0.42 && d < 0.48) || curl {
				c.set(x, y, p[1])
			}
		}
	}
	// A border band like on a shyrdak.
	for _, y := range []int{0, c.h - 30} {
		c.rect(0, y, c.w, y+30, p[1])
		c.rect(0, y+10, c.w, y+20, p[0])
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
