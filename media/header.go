package media

import (
	"bytes"
	"encoding/binary"
)

// header is what intake reads from an image file before decoding it: the
// EXIF orientation, how many bytes a decoder will allocate per pixel, and
// for GIF the number of frames. The parsers walk the container's own
// structure (JPEG markers, PNG chunks, RIFF chunks, GIF blocks) with every
// length checked against the data; they never allocate by a length the
// file states.
type header struct {
	orientation   int     // EXIF orientation 1..8 (1 when absent or unreadable)
	bytesPerPixel float64 // the decoder's working set per pixel of the image
	frames        int     // GIF frames (image descriptors)
	scans         int     // JPEG scans (SOS segments)
	animated      bool    // an animated WebP (which the decoder does not read)
}

// jpegHeader walks the markers: the first APP1 Exif segment gives the
// orientation, the frame header (SOF) the components, their sampling and
// whether the JPEG is progressive (Go's decoder then keeps 4 bytes of
// coefficients per sample besides the image), and the scans are counted:
// a progressive scan of a few bytes can make the decoder go over every
// block of the image again, so a file of many scans is a CPU bomb.
func jpegHeader(b []byte) header {
	h := header{orientation: 1, bytesPerPixel: 3}
	exifSeen := false
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			i++ // not at a marker: the decoder will judge the file
			continue
		}
		m := b[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) { // no length
			i += 2
			continue
		}
		if m == 0xD9 { // end of image
			break
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			break
		}
		seg := b[i+4 : i+2+n]
		switch {
		case m == 0xE1 && !exifSeen && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			exifSeen = true
			h.orientation = exifOrientation(seg[6:])
		case isSOF(m):
			h.bytesPerPixel = jpegBytesPerPixel(seg, m)
		}
		i += 2 + n
		if m == 0xDA { // a scan: its entropy-coded data runs to the next marker
			h.scans++
			i = skipEntropyData(b, i)
		}
	}
	return h
}

// skipEntropyData returns the index of the first marker at or after i:
// 0xFF followed by neither a stuffed 0x00, a restart marker nor a fill
// byte.
func skipEntropyData(b []byte, i int) int {
	for ; i+1 < len(b); i++ {
		if b[i] != 0xFF {
			continue
		}
		if m := b[i+1]; m != 0x00 && m != 0xFF && (m < 0xD0 || m > 0xD7) {
			return i
		}
	}
	return len(b)
}

func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}

// jpegBytesPerPixel estimates what Go's JPEG decoder allocates per pixel:
// one byte per sample of each component at its sampling (plus the MCU
// padding, a few rows and columns, taken as 2%), four more per sample
// for a progressive JPEG, and for four components (CMYK) also the 4-byte
// converted image.
func jpegBytesPerPixel(seg []byte, m byte) float64 {
	if len(seg) < 6 {
		return 3
	}
	nc := int(seg[5])
	if nc == 0 || len(seg) < 6+3*nc {
		return 3
	}
	hmax, vmax := 1, 1
	for c := range nc {
		hv := seg[6+3*c+1]
		hmax = max(hmax, int(hv>>4))
		vmax = max(vmax, int(hv&15))
	}
	samples := 0.0
	for c := range nc {
		hv := seg[6+3*c+1]
		hc, vc := max(int(hv>>4), 1), max(int(hv&15), 1)
		samples += float64(hc*vc) / float64(hmax*vmax)
	}
	samples *= 1.02
	per := samples
	if m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE { // progressive
		per += 4 * samples
	}
	if nc == 4 {
		per += 4
	}
	return per
}

// pngHeader reads the header chunk (bit depth, colour type, interlace), a
// tRNS chunk and an eXIf chunk before the image data. Go's decoder makes 1
// byte per pixel of a palette or 8-bit grey image, 2 of a 16-bit grey one,
// 4 of an 8-bit one with colour or transparency, 8 of a 16-bit one; an
// interlaced image is decoded pass by pass into images of its own before
// they are merged, so counts twice.
func pngHeader(b []byte) header {
	h := header{orientation: 1, bytesPerPixel: 8}
	if len(b) < 33 || string(b[12:16]) != "IHDR" {
		return h
	}
	depth, ctype, interlace := b[24], b[25], b[28]
	trns := false
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || n > len(b)-i-12 || typ == "IDAT" || typ == "IEND" {
			break
		}
		switch typ {
		case "tRNS":
			trns = true
		case "eXIf":
			h.orientation = exifOrientation(b[i+8 : i+8+n])
		}
		i += 12 + n
	}
	switch {
	case ctype == 3:
		h.bytesPerPixel = 1
	case ctype == 0 && !trns && depth == 16:
		h.bytesPerPixel = 2
	case ctype == 0 && !trns:
		h.bytesPerPixel = 1
	case depth == 16:
		h.bytesPerPixel = 8
	default:
		h.bytesPerPixel = 4
	}
	if interlace != 0 {
		h.bytesPerPixel *= 2
	}
	return h
}

// webpHeader walks the RIFF chunks: lossy (VP8) decodes to 4:2:0 YCbCr,
// 1.5 bytes per pixel, and an alpha channel (ALPH, itself possibly
// lossless-coded) adds up to 5 more; lossless (VP8L) keeps 32-bit pixels
// and then the 4-byte image. An EXIF chunk gives the orientation.
func webpHeader(b []byte) header {
	h := header{orientation: 1, bytesPerPixel: 8}
	lossy, alpha := false, false
	for i := 12; i+8 <= len(b); {
		typ := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		if n < 0 || n > len(b)-i-8 {
			break
		}
		switch typ {
		case "VP8 ":
			lossy = true
		case "ALPH":
			alpha = true
		case "ANIM", "ANMF":
			h.animated = true
		case "EXIF":
			data := b[i+8 : i+8+n]
			// Some writers keep the JPEG APP1 prefix.
			data = bytes.TrimPrefix(data, []byte("Exif\x00\x00"))
			h.orientation = exifOrientation(data)
		}
		i += 8 + n + n&1
	}
	if lossy {
		h.bytesPerPixel = 1.5
		if alpha {
			h.bytesPerPixel += 5
		}
	}
	return h
}

// gifHeader counts the frames of a GIF by walking its blocks (without
// decompressing any). Go's decoder stops after the first frame, which is
// paletted: 1 byte per pixel; a first frame smaller than the screen is
// laid on a 4-byte canvas of the screen's size: 5 in all.
func gifHeader(b []byte) header {
	h := header{orientation: 1, bytesPerPixel: 5}
	if len(b) < 13 {
		return h
	}
	i := 13
	if flags := b[10]; flags&0x80 != 0 {
		i += 3 << (1 + flags&7)
	}
	skipSubBlocks := func(i int) int {
		for i < len(b) {
			n := int(b[i])
			i++
			if n == 0 {
				return i
			}
			i += n
		}
		return len(b)
	}
	for i < len(b) {
		switch b[i] {
		case 0x21: // extension: label, then sub-blocks
			i = skipSubBlocks(i + 2)
		case 0x2C: // image descriptor
			h.frames++
			if i+10 > len(b) {
				return h
			}
			flags := b[i+9]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (1 + flags&7)
			}
			i = skipSubBlocks(i + 1) // LZW minimum code size, then data
		default: // trailer, or not a GIF block: the decoder judges the rest
			return h
		}
	}
	return h
}

// exifOrientation reads the Orientation tag (0x0112) of IFD0 from EXIF
// data (a TIFF header and its IFDs). Anything missing, out of bounds or
// out of range gives 1, the upright default.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[off:]))
	for e := range n {
		p := off + 2 + e*12
		if p+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[p:]) != 0x0112 {
			continue
		}
		typ, count := bo.Uint16(t[p+2:]), bo.Uint32(t[p+4:])
		if typ != 3 || count != 1 { // one SHORT
			return 1
		}
		if o := int(bo.Uint16(t[p+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}
