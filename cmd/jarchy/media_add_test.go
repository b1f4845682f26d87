package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
)

// jarchy media add: each good file is stored (blobs, then the row with
// the texts given) and its key printed; each bad one is named with its
// reason; the exit code says whether any was refused.
func TestMediaAdd(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	photo, err := media.PhotoJPEG(media.SceneFor(1), 7, 2000, 1200)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("ala-too.jpg", photo)
	svg := write("evil.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`))
	txt := write("notes.jpg", []byte("just text, named like a photo"))
	missing := filepath.Join(dir, "missing.jpg")

	code, out, errs := runCLI(t, "", "media", "add", "--data", data, "--caption", " Ала-Тоо аянты\u202E ",
		"--credit", "Сүрөт: Жарчы", "--alt", "Аянттагы адамдар", good, svg, txt, missing, dir)
	if code != 1 {
		t.Fatalf("media add with refused files: code %d, stdout %q, stderr %q", code, out, errs)
	}
	m := regexp.MustCompile(`^([0-9a-f]{64}\.jpg)\t` + regexp.QuoteMeta(good) + "\n$").FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stdout %q, want one line: key, tab, the good file", out)
	}
	key := m[1]
	for _, bad := range []string{svg, txt, missing, dir} {
		if !strings.Contains(errs, bad+": refused: ") {
			t.Errorf("stderr does not name %s with its reason:\n%s", bad, errs)
		}
	}
	if !strings.Contains(errs, "4 of 5 files refused") {
		t.Errorf("stderr lacks the count: %s", errs)
	}

	db := openData(t, data)
	row, err := db.Media(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if row.Caption != "Ала-Тоо аянты" || row.Credit != "Сүрөт: Жарчы" || row.Alt != "Аянттагы адамдар" ||
		row.Width != 2000 || row.Height != 1200 || row.Type != "image/jpeg" || row.Uploader != 0 {
		t.Fatalf("stored row: %+v", row)
	}
	var widths []int
	for _, v := range row.Variants {
		widths = append(widths, v.Width)
	}
	if len(widths) < 4 || widths[0] != 320 || widths[1] != 640 || widths[2] != 1024 || widths[3] != 1600 ||
		row.OG == nil || row.OG.Width != 1200 || row.OG.Height != 630 {
		t.Fatalf("variants %v, og %+v", widths, row.OG)
	}
	// Every blob the row names is in the media folder.
	keys := []string{row.Key, row.OG.Key}
	for _, v := range row.Variants {
		keys = append(keys, v.Key)
	}
	for _, k := range keys {
		if _, err := os.Stat(filepath.Join(data, "media", k)); err != nil {
			t.Errorf("blob %s: %v", k, err)
		}
	}
	if list, total, err := db.ListMedia(context.Background(), jarchy.MediaFilter{}); err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("library after one good file: %d rows (%v)", total, err)
	}

	// Only good files: exit 0; the same photo again keeps its key.
	code, out, errs = runCLI(t, "", "media", "add", "--data", data, "--caption", "Жаңы", good)
	if code != 0 || out != key+"\t"+good+"\n" {
		t.Fatalf("media add of a good file: code %d, stdout %q, stderr %q", code, out, errs)
	}
	// Texts that break a limit stop before any file is read.
	code, _, errs = runCLI(t, "", "media", "add", "--data", data, "--caption", strings.Repeat("я", jarchy.MaxCaptionLen+1), good)
	if code != 2 || !strings.Contains(errs, "longer than") {
		t.Fatalf("too long caption: code %d, stderr %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "media", "add", "--data", data); code != 2 {
		t.Fatalf("media add without files: code %d, want 2", code)
	}
}

// jarchy media sweep removes the files no photo names once they are old
// enough, and keeps every file of every photo.
func TestMediaSweep(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	photo, err := media.PhotoJPEG(media.SceneFor(2), 9, 1200, 800)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "a.jpg")
	if err := os.WriteFile(file, photo, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "media", "add", "--data", data, file)
	if code != 0 {
		t.Fatalf("media add: %d %s", code, errs)
	}
	key := strings.SplitN(out, "\t", 2)[0]
	old := time.Now().Add(-48 * time.Hour)
	mediaDir := filepath.Join(data, "media")
	write := func(name string, at time.Time) {
		p := filepath.Join(mediaDir, name)
		if err := os.WriteFile(p, []byte("orphan"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	write("orphan-old.jpg", old)
	write("orphan-new.jpg", time.Now())
	// Every file of the photo is old too: only the library keeps it.
	entries, _ := os.ReadDir(mediaDir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".jpg") && !strings.HasPrefix(e.Name(), "orphan-") {
			os.Chtimes(filepath.Join(mediaDir, e.Name()), old, old)
		}
	}
	code, out, errs = runCLI(t, "", "media", "sweep", "--data", data, "--min-age", "1h")
	if code != 0 || out != "orphan-old.jpg\n" {
		t.Fatalf("media sweep: code %d, stdout %q, stderr %q; want only the old orphan removed", code, out, errs)
	}
	db := openData(t, data)
	row, err := db.Media(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range row.Blobs() {
		if _, err := os.Stat(filepath.Join(mediaDir, k)); err != nil {
			t.Errorf("the sweep removed %s of the photo: %v", k, err)
		}
	}
	if _, err := os.Stat(filepath.Join(mediaDir, "orphan-new.jpg")); err != nil {
		t.Errorf("the sweep removed a young file: %v", err)
	}
	// A deleted photo's files go at the next sweep.
	if err := db.DeleteMedia(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "", "media", "sweep", "--data", data, "--min-age", "1h")
	if n := len(strings.Fields(out)); code != 0 || n != len(row.Blobs()) {
		t.Fatalf("sweep after the delete: code %d, removed %d files (%q), want the photo's %d", code, n, out, len(row.Blobs()))
	}
}
