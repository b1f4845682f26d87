package search

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

// analysisChunk bounds how much input WriteAnalysis holds at once.
const analysisChunk = 64 << 10

// WriteAnalysis reads text from r and writes one line per token to w: the
// original form, a TAB, and the index term ("" for a stop word). It backs
// `jarchy analyze --lang ky|ru|en`. Input of any size is read in pieces
// cut at whitespace; invalid UTF-8 separates words.
func WriteAnalysis(w io.Writer, r io.Reader, lang jarchy.Lang) error {
	if !lang.Valid() {
		return fmt.Errorf("analyze: unknown language %q (want ky, ru or en)", lang)
	}
	br := bufio.NewReaderSize(r, analysisChunk)
	bw := bufio.NewWriter(w)
	var carry []byte
	buf := make([]byte, analysisChunk)
	for {
		n, err := io.ReadFull(br, buf[:analysisChunk-len(carry)%analysisChunk])
		data := append(carry, buf[:n]...)
		carry = nil
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return fmt.Errorf("analyze: read input: %w", err)
		}
		if !eof {
			// keep the last partial word for the next piece
			cut := lastSpace(data)
			if cut > 0 {
				carry = append([]byte(nil), data[cut:]...)
				data = data[:cut]
			} else {
				// no space in the whole piece: only keep a rune that
				// was cut in two for the next piece
				i := len(data) - 1
				for i > 0 && !utf8.RuneStart(data[i]) {
					i--
				}
				if i >= 0 && !utf8.FullRune(data[i:]) {
					carry = append([]byte(nil), data[i:]...)
					data = data[:i]
				}
			}
		}
		for _, t := range Analyze(lang, string(data)) {
			bw.WriteString(t.Text)
			bw.WriteByte('\t')
			bw.WriteString(t.Term)
			bw.WriteByte('\n')
		}
		if eof {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("analyze: write: %w", err)
	}
	return nil
}

// lastSpace returns the index of the last ASCII whitespace byte, or -1.
func lastSpace(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case ' ', '\n', '\t', '\r':
			return i
		}
	}
	return -1
}
