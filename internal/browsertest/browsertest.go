// Package browsertest starts Debian's headless chromium for browser tests
// (chromedp) and gives them a folder for screenshots.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Start starts headless chromium for one test and returns its browser
// context, closed at the end of the test. Without chromium the test is
// skipped, or fails when CI is set (.ci/run installs it). extra options
// (a UI language, say) come after the defaults.
func Start(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not found (CI installs it with .ci/run)")
		}
		t.Skip("chromium not found: apt-get install chromium to run the browser test")
	}
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()),
	}, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(bctx); err != nil { // start the browser without a timeout
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// ArtifactsDir is where browser tests save screenshots: $JARCHY_ARTIFACTS
// (CI keeps it), else jarchy-artifacts in the temp folder; sub names a
// subfolder ("" for none).
func ArtifactsDir(t *testing.T, sub string) string {
	t.Helper()
	dir := os.Getenv("JARCHY_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "jarchy-artifacts")
	}
	dir = filepath.Join(dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
