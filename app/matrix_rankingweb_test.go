package app_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
	"quality/reports"
)

// rankingPageMatrixRows are the rows of the ranking's pages (issue 8): the table for
// every reader whatever their scope, one branch's explanation only in scope, a workbook
// job's page only for the one who asked, the settings for the staff and their form for
// the admin. A page asked for without a session sends to the login form.
func rankingPageMatrixRows() []matrixRow {
	readers := only(ok, rankCallers...).but(seeOther, anon)
	explain := func(code string) func(*env, string) (string, any) {
		return func(e *env, _ string) (string, any) {
			return fmt.Sprintf("/rankings/%d?period=2026-Q3", e.unit(code)), nil
		}
	}
	return []matrixRow{
		{method: get, route: "/rankings", name: "county level", want: readers, redirect: toLogin,
			prep: static("/rankings?period=2026-Q3&level=county"), check: pageShows("濂溪区分公司", rankCallers...)},
		{method: get, route: "/rankings", name: "city level by default period", want: readers, redirect: toLogin,
			prep: static("/rankings?level=city"), check: pageShows("九江市分公司", rankCallers...)},
		{method: get, route: "/rankings", name: "2026-Q5", want: readers.but(400, rankCallers...), redirect: toLogin,
			prep: static("/rankings?period=2026-Q5")},
		{method: post, route: "/rankings/exports", want: only(seeOther, rankCallers...), redirect: expectedJob, noAudit: "a queued job of the caller's for the same period and level is handed back",
			prep: func(e *env, as string) (string, any) {
				// A queued job of the caller's for the same period and level is handed back
				// by the form, so its id is known before the request.
				id, period := e.queuedExportJob(as)
				return "/rankings/exports?job=" + idStr(id), formBody{"period": {period}, "level": {"city"}}
			}},
		{method: post, route: "/rankings/exports", name: "bad period", want: only(invalid, rankCallers...),
			prep: func(*env, string) (string, any) {
				return "/rankings/exports", formBody{"period": {"26-09"}, "level": {"outlet"}}
			}},
		{method: get, route: "/rankings/exports/:id", name: "one's own job", want: readers, redirect: toLogin,
			prep: func(e *env, as string) (string, any) {
				return withID("/rankings/exports/:id", e.exportJob(as, true)), nil
			},
			check: func(t *testing.T, _ *env, _ string, res response) {
				assert.Contains(t, res.Body, "/file\" download")
			}},
		{method: get, route: "/rankings/exports/:id", name: "another's job", want: readers.but(notFound, inspector, manager), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/rankings/exports/:id", e.exportJob(admin, false)), nil
			}},
		{method: get, route: "/rankings/:unit_id", name: "360102, the manager's branch", want: readers, redirect: toLogin,
			prep: explain("360102"), check: pageShows("东湖区分公司", rankCallers...)},
		{method: get, route: "/rankings/:unit_id", name: "360402, another city's branch", want: readers.but(notFound, inspector, manager),
			redirect: toLogin, prep: explain("360402")},
		{method: get, route: "/rankings/:unit_id", name: "3601, the city above the manager", want: readers.but(notFound, manager),
			redirect: toLogin, prep: explain("3601")},
		{method: get, route: "/rankings/:unit_id", name: "360102-01, an outlet", want: readers.but(notFound, rankCallers...),
			redirect: toLogin, prep: explain("360102-01")},
		{method: get, route: "/rankings/:unit_id", name: "nonexistent", want: readers.but(notFound, rankCallers...),
			redirect: toLogin, prep: static("/rankings/999999?period=2026-Q3")},
		{method: get, route: "/settings/ranking", want: only(ok, staff...).but(seeOther, anon), redirect: toLogin,
			prep: static("/settings/ranking"), check: pageShows(`action="/settings/ranking"`, admin)},
		{method: post, route: "/settings/ranking", want: only(seeOther, admin), redirect: redirectTo("/settings/ranking?done=saved"), noAudit: "the values it had: nothing changed",
			prep: func(*env, string) (string, any) {
				return "/settings/ranking", settingsForm(reports.DefaultSettings, nil)
			}},
	}
}

// expectedJob is the progress page of the job the row's prep made (its ?job=).
func expectedJob(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	return "/rankings/exports/" + u.Query().Get("job")
}

// queuedExportJob records a queued workbook job of a fresh month at the city level
// for the user as (the admin for those who see no ranking) and returns it with its period.
func (e *env) queuedExportJob(as string) (uint, string) {
	if as == anon || as == employee || as == trainer {
		as = admin
	}
	ctx := context.Background()
	u, err := models.GetUserByUsername(ctx, e.db, as)
	require.NoError(e.t, err)
	scope := models.ScopeAll
	if as != admin {
		scope = models.Scope{Paths: []string{e.units[scopeRoot[as]].Path}}
	}
	// A year of its own, so no job of the caller's of that period is queued or running.
	period := fmt.Sprintf("%d-%02d", 2000+uniq()%20, 1+uniq()%12)
	j, err := e.exports.Request(ctx, models.Actor{UserID: u.ID, Username: u.Username}, scope, reports.ExportInput{Period: period, Level: "city"})
	require.NoError(e.t, err)
	require.Equal(e.t, models.ExportQueued, j.Status)
	return j.ID, period
}

// settingsForm is the settings form filled with set, with the fields of change typed over.
func settingsForm(set reports.Settings, change map[string]string) formBody {
	w, d := set.Weights, set.Deductions
	f := formBody{}
	for k, v := range map[string]int{
		"weights.site": w.Site, "weights.rectification": w.Rectification, "weights.training": w.Training, "weights.onboarding": w.Onboarding,
		"weights.certification": w.Certification, "weights.timeliness": w.Timeliness, "weights.satisfaction": w.Satisfaction,
		"deductions.warning": d.Warning, "deductions.no_awards": d.NoAwards, "deductions.circulated_criticism": d.Circulated,
		"deductions.penalty": d.Penalty, "deductions.critical_failure": d.CriticalFailure,
		"deduction_cap": set.DeductionCap, "min_ranked_weight": set.MinRankedWeight, "min_inspections": set.MinInspections,
		"households_per_installer_urban": set.HouseholdsPerInstallerUrban, "households_per_installer_rural": set.HouseholdsPerInstallerRural,
		"export_keep_days": set.ExportKeepDays,
	} {
		f[k] = []string{fmt.Sprint(v)}
	}
	for k, v := range change {
		f[k] = []string{v}
	}
	return f
}
