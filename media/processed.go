package media

import (
	"bytes"
	"context"
	"fmt"
)

// Limits bound what Intake accepts. A zero field takes its value from
// DefaultLimits.
type Limits struct {
	// MaxBytes is the largest file read.
	MaxBytes int64
	// MaxPixels is the largest width × height.
	MaxPixels int64
	// MaxDecodeBytes bounds the memory the decoder takes for the image,
	// estimated from the header before decoding (per pixel: 1.5 bytes for a
	// baseline 4:2:0 JPEG, 7.5 for a progressive one, 4 for an 8-bit PNG, 8
	// for a 16-bit one, doubled when interlaced; see header.go).
	MaxDecodeBytes int64
	// MaxFrames is the most frames a GIF may have (only the first is used).
	MaxFrames int
}

// DefaultLimits is the pixel budget chosen for jarchy serve, whose memory
// limit is the page cache plus 64 MiB (cmd/jarchy/gc.go). One intake
// decodes at a time per process, and the decoded image may take 96 MiB:
// JPEGs stay YCbCr (no 4-byte RGBA copy of the full image is made), so
// that holds a 40-megapixel camera JPEG (4:2:0, 61 MB; 24 MP at 4:2:2, 49
// MB), a 12-megapixel progressive JPEG (its coefficients take 4 more bytes
// per sample: 93 MB) and a 24-megapixel 8-bit PNG (96 MB). At most 50
// megapixels in any case (beyond every phone and most cameras), and a
// large image packed tighter than a byte per 100 pixels is refused as a
// bomb. The largest intake measured, 24 MP, peaks at 68 MiB of heap
// (bench/README.md).
var DefaultLimits = Limits{
	MaxBytes:       40 << 20,
	MaxPixels:      50_000_000,
	MaxDecodeBytes: 96 << 20,
	MaxFrames:      1000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxPixels > 0 {
		d.MaxPixels = l.MaxPixels
	}
	if l.MaxDecodeBytes > 0 {
		d.MaxDecodeBytes = l.MaxDecodeBytes
	}
	if l.MaxFrames > 0 {
		d.MaxFrames = l.MaxFrames
	}
	return d
}

// What Intake makes.
const (
	// MaxSide is the longest side of the stored image: larger uploads are
	// scaled down to it (as WordPress's 2560-pixel "big image" threshold):
	// twice the widest variant, enough for any screen, and a twelfth of
	// the memory and time of keeping a 24-megapixel original.
	MaxSide = 2560
	// OGWidth × OGHeight is the Open Graph crop (1.91:1).
	OGWidth  = 1200
	OGHeight = 630
	// MasterQuality and VariantQuality are the JPEG qualities of the
	// stored image and of its variants.
	MasterQuality  = 90
	VariantQuality = 82
)

// MaxJPEGScans bounds the scans of a JPEG. An encoder writes 1 (baseline)
// or about 10 (progressive, libjpeg's script for colour); each scan of a
// crafted progressive file can be a few bytes that send the decoder over
// every block of the image again.
const MaxJPEGScans = 200

// VariantWidths are the widths of the JPEG variants pages offer in srcset.
var VariantWidths = []int{320, 640, 1024, 1600}

// Processed is an image that went through Intake: the stored image and
// its variants, each with its content-addressed key, ready to Put.
type Processed struct {
	// Key is the stored image's key: the hex SHA-256 of Data and its
	// extension (".jpg" or ".png"), e.g. "9f86d0…0f00a08.jpg".
	Key string
	// Type is JPEG, or PNG for an image with transparency.
	Type string
	// Width and Height are the stored image's, upright (EXIF orientation
	// applied) and at most MaxSide.
	Width, Height int
	// Data is the stored image: encoded anew, without any metadata.
	Data []byte
	// Variants are JPEGs, narrowest first: each of VariantWidths narrower
	// than the image, and the image's own width when it is at most the
	// largest of them (never wider than the image). A transparent image
	// is laid on white.
	Variants []Variant
	// OpenGraph is the 1200×630 crop from the centre (OGWidth×OGHeight
	// proportions, smaller when the image is: never scaled up), JPEG.
	OpenGraph Variant
}

// Variant is one JPEG made from the stored image.
type Variant struct {
	Key           string // hex SHA-256 of Data + ".jpg"
	Width, Height int
	Data          []byte
}

// Blobs returns every blob of p with its key: the variants, the Open
// Graph crop, then the stored image.
func (p *Processed) Blobs() map[string][]byte {
	out := make(map[string][]byte, len(p.Variants)+2)
	for _, v := range p.Variants {
		out[v.Key] = v.Data
	}
	out[p.OpenGraph.Key] = p.OpenGraph.Data
	out[p.Key] = p.Data
	return out
}

// Save puts every blob of p into st (each durable when Put returns), so a
// row that points to p may commit after it. The stored image goes last.
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
