package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAnalyze(t *testing.T) {
	code, out, errs := runCLI(t, "Шайлоодон кийин жана шайлоолорго\n", "analyze", "--lang", "ky")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 lines, got %q", out)
	}
	first, _, _ := strings.Cut(lines[0], "\t")
	_, t0, _ := strings.Cut(lines[0], "\t")
	_, t3, _ := strings.Cut(lines[3], "\t")
	if first != "Шайлоодон" || t0 == "" || t0 != t3 {
		t.Errorf("шайлоодон and шайлоолорго should give one term: %q", out)
	}
	if lines[2] != "жана\t" {
		t.Errorf("stop word line %q, want \"жана\\t\"", lines[2])
	}
	code, out, _ = runCLI(t, "Выборы выборов\n", "analyze", "--lang", "ru")
	if code != 0 || strings.Count(out, "\tвыбор\n") != 2 {
		t.Errorf("ru: exit %d, %q", code, out)
	}
	if code, _, _ := runCLI(t, "x", "analyze", "--lang", "fr"); code != 2 {
		t.Errorf("unknown language: exit %d, want 2", code)
	}
	if code, out, _ := runCLI(t, "\xff\xfe шайлоо", "analyze", "--lang", "ky"); code != 0 || !strings.Contains(out, "шайлоо\t") {
		t.Errorf("invalid UTF-8: exit %d, %q", code, out)
	}
}

func TestReindex(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "in.jsonl")
	in := jsonLine(article("r1", "Шайлоо жыйынтыктары")) + "\n" + jsonLine(article("r2", "Экономика жаңылыктары")) + "\n"
	if err := os.WriteFile(file, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "", "import", "--data", data, file); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	code, _, errs := runCLI(t, "", "reindex", "--data", data)
	if code != 0 || !strings.Contains(errs, "reindexed 2 articles") {
		t.Fatalf("reindex: exit %d: %s", code, errs)
	}
	if code, _, _ := runCLI(t, "", "reindex", "--data", data, "extra"); code != 2 {
		t.Errorf("reindex with an argument: exit %d, want 2", code)
	}
}
