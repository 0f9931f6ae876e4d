package browser_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/app"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
	"quality/storage"
)

// Passwords of the demo the tests run on.
const (
	adminPassword = "admin-pass-123"
	demoPassword  = seeds.DefaultDemoPassword
)

// Viewports: a phone (390 × 844, as an iPhone 12–15 reports itself) and a desktop.
var (
	phone   = viewport{Name: "390", Width: 390, Height: 844, Mobile: true}
	desktop = viewport{Name: "1280", Width: 1280, Height: 900}
)

type viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

var (
	chromium string // the browser's path; empty when none was found
	dataDir  string // the server's data folder: the demo's photos, every upload of a test
)

// demo is the README's demo (base data, the admin, the demo staff and their year of
// history), loaded once per engine and copied into each test's database.
var demo = &dbtest.Fixture{Load: func(ctx context.Context, db *gorm.DB) error {
	now := time.Now().UTC()
	if err := seeds.Run(ctx, db, seeds.BaseSteps(now), nil); err != nil {
		return err
	}
	if _, _, err := seeds.EnsureAdmin(ctx, db, adminPassword); err != nil {
		return err
	}
	return seeds.Run(ctx, db, seeds.DemoSteps(demoPassword, storage.NewLocal(dataDir), now), nil)
}}

func TestMain(m *testing.M) {
	chromium = findChromium()
	dir, err := os.MkdirTemp("", "quality-browser-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dataDir = dir
	code := m.Run()
	demo.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// findChromium is QUALITY_CHROMIUM, or the first Chromium or Chrome on the PATH.
func findChromium() string {
	if p := os.Getenv("QUALITY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needChromium skips t when there is no browser to drive.
func needChromium(t *testing.T) {
	t.Helper()
	if chromium == "" {
		t.Skip("no Chromium found (set QUALITY_CHROMIUM, or apt-get install chromium): the browser tests need one; .ci/run installs it")
	}
}

// site is a running server on a copy of the demo.
type site struct {
	t   *testing.T
	db  *gorm.DB
	url string
}

func newSite(t *testing.T, db *gorm.DB) *site {
	t.Helper()
	needChromium(t)
	demo.CopyInto(t, db)
	cfg, err := app.ConfigFromEnv()
	require.NoError(t, err)
	cfg.DataDir = dataDir
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	// The address Chromium opens is the public origin forms must come from.
	cfg.PublicURL = "http://" + ln.Addr().String()
	log := slog.New(slog.DiscardHandler)
	exports := reports.NewExporter(reports.NewService(db, cfg.Location), storage.NewLocal(t.TempDir()), log)
	a, err := app.New(cfg, app.Deps{DB: db, Log: log, Exports: exports})
	require.NoError(t, err)
	go a.Listener(ln)
	t.Cleanup(func() {
		_ = a.ShutdownWithTimeout(5 * time.Second)
		exports.Wait()
	})
	return &site{t: t, db: db, url: cfg.PublicURL}
}

// tab is one browser tab on the site, with what went wrong in it: console errors,
// uncaught exceptions, failed requests and error responses.
type tab struct {
	t       *testing.T
	s       *site
	ctx     context.Context
	vp      viewport
	user    string // who signed in, "anonymous" until someone does
	offline bool   // the network is emulated as down
	mu      sync.Mutex
	errs    []string
	allowed map[int64]bool
}

// open starts a browser of its own (so tabs share no cookies) at vp.
func (s *site) open(vp viewport) *tab {
	t := s.t
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.WindowSize(int(vp.Width), int(vp.Height)), chromedp.Flag("lang", "zh-CN"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb := &tab{t: t, s: s, ctx: ctx, vp: vp, user: "anonymous"}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first call starts the browser, so it runs without a deadline.
	require.NoError(t, chromedp.Listen(ctx, tb.record))
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	_, err = chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	require.NoError(t, err)
	tb.run(tb.viewport(vp))
	return tb
}

// viewport sets the tab's size; a phone is emulated as one (touch, mobile layout).
func (tb *tab) viewport(vp viewport) chromedp.Action[chromedp.Void] {
	tb.vp = vp
	if vp.Mobile {
		return chromedp.EmulateViewport(vp.Width, vp.Height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait)
	}
	return chromedp.EmulateViewport(vp.Width, vp.Height)
}

// resize changes the viewport of the page loaded.
func (tb *tab) resize(vp viewport) {
	tb.t.Helper()
	tb.run(tb.viewport(vp))
}

// allow lets the tab's pages answer status on purpose, such as 422 for a refused form.
func (tb *tab) allow(status ...int64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.allowed == nil {
		tb.allowed = map[int64]bool{}
	}
	for _, st := range status {
		tb.allowed[st] = true
	}
}

// record keeps what went wrong in the tab. It runs in the tab's message loop, so it
// only appends under the lock.
func (tb *tab) record(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "exception: " + d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		// CSP violations and failed loads arrive here too.
		// Network errors are read from the network events, which know the allowed answers.
		if ev.Entry.Level == cdplog.EntryLevelError && ev.Entry.Source != cdplog.EntrySourceNetwork {
			msg = "log (" + string(ev.Entry.Source) + "): " + ev.Entry.Text + " " + ev.Entry.URL
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			msg = "request failed: " + ev.ErrorText + " (" + string(ev.Type) + ")"
		}
	case *network.EventResponseReceived:
		tb.mu.Lock()
		ok := tb.allowed[ev.Response.Status]
		tb.mu.Unlock()
		if st := ev.Response.Status; st >= 400 && !ok {
			msg = fmt.Sprintf("HTTP %d %s", st, ev.Response.URL)
		}
	}
	if msg != "" {
		tb.mu.Lock()
		tb.errs = append(tb.errs, msg)
		tb.mu.Unlock()
	}
}

// problems returns and forgets what went wrong since the last call.
func (tb *tab) problems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.errs
	tb.errs = nil
	return p
}

// noProblems fails the test with what went wrong in the tab since the last check.
func (tb *tab) noProblems(where string) {
	tb.t.Helper()
	if p := tb.problems(); len(p) > 0 {
		tb.t.Errorf("%s at %s px: %s", where, tb.vp.Name, strings.Join(p, "; "))
	}
}

// run runs actions with a deadline, failing the test on an error.
func (tb *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	require.NoError(tb.t, chromedp.Do(ctx, actions...))
}

// get runs one action that returns a value, with a deadline.
func get[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(tb.t, err)
	return v
}

// visit loads path and waits for the page's main element.
func (tb *tab) visit(path string) {
	tb.t.Helper()
	tb.run(chromedp.Navigate(tb.s.url+path), chromedp.WaitReady(chromedp.CSS("main")))
}

// login signs a demo user in through the login page.
func (tb *tab) login(username string) {
	tb.t.Helper()
	pw := demoPassword
	if username == seeds.AdminUsername {
		pw = adminPassword
	}
	tb.loginWith(username, pw)
}

// loginWith signs username in with pw through the login page.
func (tb *tab) loginWith(username, pw string) {
	tb.t.Helper()
	tb.visit("/login")
	tb.run(chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), username),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), pw),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitReady(chromedp.CSS(`header form[action="/logout"]`)))
	tb.user = username
}

// press clicks the element sel as a finger would, first scrolled to the middle of the
// screen: chromedp scrolls it only to the edge, where a sticky bar may lie over it.
func (tb *tab) press(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({block: "center"})`, sel)),
		chromedp.Click(chromedp.CSS(sel)))
}

// path is the tab's location without the origin.
func (tb *tab) path() string {
	tb.t.Helper()
	return strings.TrimPrefix(get(tb, chromedp.Location()), tb.s.url)
}

// text is the text of the first visible node matching the CSS selector sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return get(tb, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
}

// attr is the attribute name of the first node matching sel, "" when it has none.
func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	return get(tb, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// count is the number of nodes matching sel.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return get(tb, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// acceptDialogs answers every confirm() the page opens with OK, recording its text.
func (tb *tab) acceptDialogs() func() []string {
	var mu sync.Mutex
	var seen []string
	require.NoError(tb.t, chromedp.Listen(tb.ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			mu.Lock()
			seen = append(seen, d.Message)
			mu.Unlock()
			// A command cannot run inside the listener.
			go func() {
				_, _ = chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}()
		}
	}))
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// shot writes a full-page screenshot of the tab to the artefacts folder as name.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	dir := artefacts(tb.t)
	if dir == "" {
		return
	}
	buf := get(tb, chromedp.FullScreenshot(100))
	file := filepath.Join(dir, safeName(name)+"-"+tb.vp.Name+".png")
	require.NoError(tb.t, os.WriteFile(file, buf, 0o644))
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

// artefacts is the folder screenshots go to: QUALITY_BROWSER_ARTIFACTS (.ci/run sets
// and prints it), or none.
func artefacts(t *testing.T) string {
	dir := os.Getenv("QUALITY_BROWSER_ARTIFACTS")
	if dir == "" {
		return ""
	}
	dir = filepath.Join(dir, safeName(t.Name()))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}
