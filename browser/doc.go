// Package browser holds the browser tests: the product's main flows and a sweep over
// every page, driven in headless Chromium through the DevTools protocol (chromedp)
// against a real server on the demo data, on SQLite and on MariaDB. It has no code of
// its own; the tests skip with a message when no Chromium can be found (QUALITY_CHROMIUM
// names one), and .ci/run installs Debian's chromium so they always run there.
package browser
