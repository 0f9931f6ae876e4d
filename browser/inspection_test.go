package browser_test

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// The supervision loop on a phone (R7): an inspector at 390 × 844 completes the hall
// checklist by tapping, with no 保存 pressed; the network drops for two answers, which
// wait as 待同步 and are sent when it returns, as does the failed item's photo chosen
// while offline, resized in the browser and uploaded; submit is refused with the
// missing item named and linked, the page opening at it; the inspector answers it and
// submits. The branch manager
// sees the rectification, is refused without a photo and keeps the typed text, then
// sends it with a photo; another inspector verifies.
func TestInspectionOnAPhone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSite(t, db)
		photo := testPhoto(t)
		insp := s.open(phone)
		insp.login("inspector")

		county, outlet, tmpl := unitID(t, db, "360102"), unitID(t, db, "360102-01"), templateID(t, db, "HALL-SERVICE")
		insp.visit(fmt.Sprintf("/inspections/new?county=%d", county))
		insp.run(chromedp.SetValue(chromedp.CSS(`select[name="template_id"]`), fmt.Sprint(tmpl)),
			chromedp.SetValue(chromedp.CSS(`select[name="org_unit_id"]`), fmt.Sprint(outlet)),
			chromedp.Click(chromedp.CSS(`form[action="/inspections"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#fill section.item")))
		inspection := strings.TrimPrefix(insp.path(), "/inspections/")
		keys := insp.itemKeys()
		require.Len(t, keys, 19, "the hall checklist has 19 items")
		insp.noProblems("opening the checklist")

		const failed, missing = "1.2", "5.2" // 1.2 fails with a photo; 5.2 is left for the refusal
		offline := map[string]bool{"1.4": true, "1.5": true}
		for _, it := range keys {
			if it.Key == missing {
				continue
			}
			if offline[it.Key] && !insp.isOffline() {
				insp.setOffline(true)
			}
			if !offline[it.Key] && insp.isOffline() {
				// Back online: the two answers kept in the browser go out in order.
				insp.waitState("1.4", "pending")
				insp.waitState("1.5", "pending")
				insp.setOffline(false)
				insp.waitState("1.4", "saved")
				insp.waitState("1.5", "saved")
				insp.problems() // the requests refused while offline
			}
			insp.tapAnswer(it, it.Key == failed)
		}
		// The photo is chosen with no network: it waits as 待同步, kept in the browser.
		// The network comes back but uploads still fail (a weak signal), and the page is
		// reloaded: the photo is still waiting, and goes out once uploads get through.
		insp.setOffline(true)
		insp.run(chromedp.SetUploadFiles(chromedp.CSS(`input[name="items[`+failed+`][photo]"]`), []string{photo}))
		insp.waitState(failed, "pending")
		assert.Contains(t, insp.text("#sync-state"), "1")
		insp.block(photoUploads)
		insp.setOffline(false)
		insp.visit("/inspections/" + inspection)
		insp.waitState(failed, "pending")
		assert.Equal(t, 1, insp.count(itemSel(failed)+` .photos a.waiting img`), "the waiting photo is shown again after the reload")
		get(insp, chromedp.Poll[bool](`document.querySelector('`+itemSel(failed)+` .photos a.waiting img').complete`))
		assert.Positive(t, get(insp, chromedp.Evaluate[int](`document.querySelector('`+itemSel(failed)+` .photos a.waiting img').naturalWidth`)),
			"its preview is drawn (the page's policy lets blob: images in)")
		assert.Contains(t, insp.text("#sync-state"), "1")
		assert.Empty(t, photosOf(t, db, inspection), "nothing reached the server yet")
		// Meanwhile the session ended (12 h in a hall): the upload is refused with 401 and
		// the photo keeps waiting; logged in again, the inspector finds it on the item,
		// and it goes out.
		require.NoError(t, db.Exec("DELETE FROM sessions").Error)
		insp.block()
		insp.setOffline(true)
		insp.setOffline(false)
		insp.waitState(failed, "failed")
		assert.Equal(t, 1, insp.count(itemSel(failed)+` .photos a.waiting img`), "a refused session does not drop the photo")
		assert.Empty(t, photosOf(t, db, inspection))
		insp.problems() // the 401
		insp.login("inspector")
		insp.visit("/inspections/" + inspection)
		insp.run(chromedp.WaitVisible(chromedp.CSS(itemSel(failed) + ` .photos a:not(.waiting) img`)))
		assert.Zero(t, insp.count(itemSel(failed)+` .photos a.waiting`), "the sent photo no longer waits")
		insp.problems() // the uploads refused while offline and blocked
		// A second photo, chosen with the network there, goes straight out.
		insp.run(chromedp.SetUploadFiles(chromedp.CSS(`input[name="items[`+failed+`][photo]"]`), []string{photo}))
		get(insp, chromedp.Poll[bool](`document.querySelectorAll('`+itemSel(failed)+` .photos a:not(.waiting) img').length === 2`))
		insp.waitAllSaved()
		assert.Equal(t, "18", insp.text("#answered"), "已答 counts every answer")
		assert.EqualValues(t, 18, answeredItems(t, db, inspection), "every tapped answer is stored, the two sent after the network came back too")
		assert.Equal(t, [][2]int{{1600, 1200}, {1600, 1200}}, photosOf(t, db, inspection), "both photos are stored, resized in the browser to a long edge of 1,600 px")
		insp.noProblems("answering by tapping")
		insp.shot("inspection-filled")

		// Submit with 5.2 unanswered: refused, the summary names and links it, the page opens there.
		insp.allow(422)
		insp.run(chromedp.SendKeys(chromedp.CSS(`input[name="confirmation"]`), "督导员"),
			insp.press(`button.submit`), chromedp.WaitVisible(chromedp.CSS("#error-summary")))
		assert.Equal(t, 1, insp.count(`#error-summary a[href="#item-`+missing+`"]`), "the refusal links the missing item")
		focused := get(insp, chromedp.Evaluate[string](`(document.activeElement.closest("section.item") || {}).id || ""`))
		assert.Equal(t, "item-"+missing, focused, "the page opens at the first item refused")
		insp.shot("inspection-refused")
		insp.tapAnswer(itemOf(keys, missing), false)
		insp.waitAllSaved()
		insp.run(insp.press(`button.submit`), chromedp.WaitNotPresent(chromedp.CSS("#fill")))
		var rectHref string
		rectHref = insp.attr(`a[href^="/rectifications/"]`, "href")
		require.NotEmpty(t, rectHref, "the failed item opened a rectification")
		rectPath := strings.TrimPrefix(rectHref, s.url)
		insp.noProblems("submitting the inspection")
		insp.shot("inspection-submitted")

		// The branch manager answers it: refused without a photo, the text kept.
		mgr := s.open(phone)
		mgr.login("manager")
		mgr.visit(rectPath)
		const evidence = "已重新培训窗口人员，工牌统一佩戴，附整改后照片。"
		mgr.allow(422)
		mgr.run(chromedp.SendKeys(chromedp.CSS(`#evidence textarea[name="text"]`), evidence),
			chromedp.Click(chromedp.CSS(`#evidence button.submit`)),
			chromedp.WaitVisible(chromedp.CSS(`main .error`)))
		assert.Equal(t, evidence, get(mgr, chromedp.Value(chromedp.CSS(`#evidence textarea[name="text"]`))), "the refusal keeps what was typed")
		mgr.shot("rectification-refused")
		mgr.run(chromedp.SetUploadFiles(chromedp.CSS(`#evidence input[name="file"]`), []string{photo}),
			chromedp.Click(chromedp.CSS(`#evidence button.submit`)),
			chromedp.WaitNotPresent(chromedp.CSS(`#evidence`)))
		assert.Equal(t, models.RectSubmitted, rectStatus(t, db, rectPath))
		mgr.noProblems("answering the rectification")

		// Another inspector verifies it.
		v := s.open(desktop)
		v.login("inspector2")
		v.visit(rectPath)
		v.run(chromedp.Click(chromedp.CSS(`form[action$="/verify"] button[type="submit"]`)),
			chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/verify"]`)))
		assert.Equal(t, models.RectVerified, rectStatus(t, db, rectPath))
		v.noProblems("verifying")
		v.shot("rectification-verified")
	})
}

// checkItem is one item of the checklist on the page.
type checkItem struct {
	Key      string `json:"key"`
	Response string `json:"response"`
}

func (tb *tab) itemKeys() []checkItem {
	tb.t.Helper()
	return get(tb, chromedp.Evaluate[[]checkItem](`Array.from(document.querySelectorAll("#fill section.item")).map(s => ({key: s.dataset.key, response: s.dataset.response}))`))
}

func itemOf(items []checkItem, key string) checkItem {
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	return checkItem{Key: key}
}

// tapAnswer answers it as a finger would: 合格 (or 不合格 with a note), or 打分 and 4 points.
func (tb *tab) tapAnswer(it checkItem, fail bool) {
	tb.t.Helper()
	name := `input[name="items[` + it.Key + `][outcome]"]`
	switch {
	case it.Response == "score":
		tb.run(chromedp.Tap(chromedp.CSS(name+`[value="pass"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="items[`+it.Key+`][points]"]`), "4"),
			chromedp.Blur(chromedp.CSS(`input[name="items[`+it.Key+`][points]"]`)))
	case fail:
		// A failed item needs a note and a photo (evidence_on_fail); the note saves when typing stops.
		tb.run(chromedp.Tap(chromedp.CSS(name+`[value="fail"]`)),
			chromedp.SendKeys(chromedp.CSS(`textarea[name="items[`+it.Key+`][note]"]`), "服务热线和监督电话未公示"))
	default:
		tb.run(chromedp.Tap(chromedp.CSS(name + `[value="pass"]`)))
	}
}

// waitState waits until item key shows state (saved, saving, failed, pending).
func (tb *tab) waitState(key, state string) {
	tb.t.Helper()
	get(tb, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector(%q).dataset.state === %q`, itemSel(key)+" .save-state", state)))
}

// waitAllSaved waits until no item is saving, pending or failed.
func (tb *tab) waitAllSaved() {
	tb.t.Helper()
	get(tb, chromedp.Poll[bool](`document.querySelectorAll('#fill .save-state:not([data-state="saved"])').length === 0`))
}

func (tb *tab) setOffline(off bool) {
	tb.t.Helper()
	conds := []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}
	_, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds})
	require.NoError(tb.t, err)
	tb.offline = off
}

func (tb *tab) isOffline() bool { return tb.offline }

// photoUploads are the requests that upload an inspection's photos.
const photoUploads = "*://*:*/api/v1/inspections/*/photos"

// block makes the requests matching patterns (URLPattern syntax) fail as requests that
// never reach the server do, while the rest of the site loads; none unblocks them.
func (tb *tab) block(patterns ...string) {
	tb.t.Helper()
	var ps []*network.BlockPattern
	for _, p := range patterns {
		ps = append(ps, &network.BlockPattern{URLPattern: p, Block: true})
	}
	_, err := chromedp.Call(tb.ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: ps})
	require.NoError(tb.t, err)
}

// itemSel selects item key's section (its id has a dot, so not by id).
func itemSel(key string) string { return `section.item[data-key="` + key + `"]` }

// testPhoto writes a 2,400 × 1,800 JPEG, larger than the 1,600 px the page resizes to.
func testPhoto(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2400, 1800))
	for y := 0; y < 1800; y += 4 {
		for x := 0; x < 2400; x += 4 {
			c := color.RGBA{uint8(x / 10), uint8(y / 8), 160, 255}
			for dy := range 4 {
				for dx := range 4 {
					img.Set(x+dx, y+dy, c)
				}
			}
		}
	}
	file := filepath.Join(t.TempDir(), "hall.jpg")
	f, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, jpeg.Encode(f, img, &jpeg.Options{Quality: 80}))
	require.NoError(t, f.Close())
	return file
}

func unitID(t *testing.T, db *gorm.DB, code string) uint {
	t.Helper()
	var u models.OrgUnit
	require.NoError(t, db.Where("code = ?", code).Take(&u).Error)
	return u.ID
}

func templateID(t *testing.T, db *gorm.DB, code string) uint {
	t.Helper()
	var id uint
	require.NoError(t, db.Table("checklist_templates").Where("code = ? AND status = ?", code, "published").Order("version DESC").Limit(1).Pluck("id", &id).Error)
	return id
}

func answeredItems(t *testing.T, db *gorm.DB, inspection string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, db.Table("inspection_items").Where("inspection_id = ? AND outcome <> ''", inspection).Count(&n).Error)
	return n
}

// photosOf are the sizes of the photos stored for the inspection's items.
func photosOf(t *testing.T, db *gorm.DB, inspection string) [][2]int {
	t.Helper()
	var rows []struct{ Width, Height int }
	require.NoError(t, db.Table("photos p").Select("p.width, p.height").
		Joins("JOIN inspection_items i ON i.id = p.inspection_item_id").Where("i.inspection_id = ?", inspection).Scan(&rows).Error)
	out := make([][2]int, len(rows))
	for i, r := range rows {
		out[i] = [2]int{r.Width, r.Height}
	}
	return out
}

func rectStatus(t *testing.T, db *gorm.DB, path string) string {
	t.Helper()
	var st string
	id := strings.TrimPrefix(strings.SplitN(path, "?", 2)[0], "/rectifications/")
	require.NoError(t, db.Table("rectifications").Where("id = ?", id).Pluck("status", &st).Error)
	return st
}

// Two inspectors' phones on one inspection: an answer changed on the other phone since
// this page loaded is not overwritten; both versions are shown side by side and the
// inspector chooses — 保留我的 sends theirs' revision with my answer, 采用已保存的 takes theirs.
func TestInspectionConflictInTheBrowser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSite(t, db)
		a := s.open(phone)
		a.login("inspector")
		a.visit(fmt.Sprintf("/inspections/new?county=%d", unitID(t, db, "360102")))
		a.run(chromedp.SetValue(chromedp.CSS(`select[name="template_id"]`), fmt.Sprint(templateID(t, db, "HALL-SERVICE"))),
			chromedp.SetValue(chromedp.CSS(`select[name="org_unit_id"]`), fmt.Sprint(unitID(t, db, "360102-01"))),
			chromedp.Click(chromedp.CSS(`form[action="/inspections"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#fill section.item")))
		page := a.path()
		inspection := strings.TrimPrefix(page, "/inspections/")

		b := s.open(phone)
		b.login("inspector")
		b.visit(page)
		for _, key := range []string{"1.1", "1.3"} {
			b.run(chromedp.Tap(chromedp.CSS(`input[name="items[` + key + `][outcome]"][value="na"]`)))
			b.waitState(key, "saved")
		}
		b.waitAllSaved()
		b.noProblems("the other phone")

		a.allow(409)
		for _, key := range []string{"1.1", "1.3"} {
			a.run(chromedp.Tap(chromedp.CSS(`input[name="items[`+key+`][outcome]"][value="pass"]`)),
				chromedp.WaitVisible(chromedp.CSS(itemSel(key)+` .conflict`)))
			assert.Contains(t, a.text(itemSel(key)+` .conflict`), "不适用", "their answer is shown")
			assert.Contains(t, a.text(itemSel(key)+` .conflict`), "合格", "and mine")
		}
		a.shot("conflict")
		a.run(chromedp.Click(chromedp.CSS(itemSel("1.1") + ` .conflict div:nth-of-type(2) button`))) // 保留我的
		a.waitState("1.1", "saved")
		a.run(chromedp.Click(chromedp.CSS(itemSel("1.3") + ` .conflict div:nth-of-type(1) button`))) // 采用已保存的
		a.waitState("1.3", "saved")
		assert.True(t, get(a, chromedp.Evaluate[bool](`document.querySelector('input[name="items[1.3][outcome]"][value="na"]').checked`)))
		assert.Equal(t, "pass", itemOutcome(t, db, inspection, "1.1"), "保留我的 stored my answer")
		assert.Equal(t, "na", itemOutcome(t, db, inspection, "1.3"), "采用已保存的 left theirs")
		assert.Zero(t, a.count(".conflict"))
		a.noProblems("choosing between versions")
	})
}

func itemOutcome(t *testing.T, db *gorm.DB, inspection, key string) string {
	t.Helper()
	var o string
	require.NoError(t, db.Table("inspection_items").Where("inspection_id = ? AND `key` = ?", inspection, key).Pluck("outcome", &o).Error)
	return o
}
