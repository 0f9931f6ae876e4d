package app

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/reports"
)

// rankingSettingGroups are the form's fields by JSON path, grouped as
// reports.SettingsInput nests them ("" is its top level): every field of it.
var rankingSettingGroups = []struct {
	Key  string
	Keys []string
}{
	{"weights", []string{"site", "rectification", "training", "onboarding", "certification", "timeliness", "satisfaction"}},
	{"deductions", []string{"warning", "no_awards", "circulated_criticism", "penalty", "critical_failure"}},
	{"", []string{"deduction_cap", "min_ranked_weight", "min_inspections", "households_per_installer_urban",
		"households_per_installer_rural", "export_keep_days"}},
}

// settingsField is one number of the form: its value as typed (or stored), its range
// and its messages.
type settingsField struct {
	Name, Value string
	Min, Max    int
	Errors      []string
}

// settingsGroup is one fieldset of the form with the messages about it as a whole
// (the weights' sum).
type settingsGroup struct {
	Key    string
	Fields []settingsField
	Errors []string
}

// rankingSettingsData is the settings page: the form (read-only for all but the
// admin), the refusal's messages at the top and beside each field, the notice of a
// save.
type rankingSettingsData struct {
	Groups  []settingsGroup
	CanEdit bool
	Notice  string
	Summary []settingsMessage
}

func (s *server) rankingSettingsPage(c *fiber.Ctx) error {
	notice, err := s.doneNotice(c, []string{"saved"}, "rankingweb.settings_done_")
	if err != nil {
		return err
	}
	set, err := s.rankings.LoadSettings(c.UserContext())
	if err != nil {
		return err
	}
	values, err := settingsValues(set)
	if err != nil {
		return err
	}
	return s.renderRankingSettings(c, fiber.StatusOK, values, nil, notice)
}

// settingsValues are the settings as the form's text values, by JSON path.
func settingsValues(set reports.Settings) (map[string]string, error) {
	b, err := json.Marshal(set)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range tree {
		if m, ok := v.(map[string]any); ok {
			for kk, vv := range m {
				out[k+"."+kk] = strconv.FormatFloat(vv.(float64), 'f', -1, 64)
			}
		} else {
			out[k] = strconv.FormatFloat(v.(float64), 'f', -1, 64)
		}
	}
	return out, nil
}

func settingPath(group, key string) string {
	if group == "" {
		return key
	}
	return group + "." + key
}

// rankingSettingsForm saves every field of the form through reports.Service.UpdateSettings,
// the call the API's PUT makes (and audits); a refusal shows the form again as typed,
// each message beside its field and all of them at the top.
func (s *server) rankingSettingsForm(c *fiber.Ctx) error {
	typed := map[string]string{}
	body := map[string]any{}
	var bad []models.FieldError
	for _, g := range rankingSettingGroups {
		dst := body
		if g.Key != "" {
			dst = map[string]any{}
			body[g.Key] = dst
		}
		for _, k := range g.Keys {
			path := settingPath(g.Key, k)
			v := strings.TrimSpace(strings.Clone(c.FormValue(path)))
			typed[path] = v
			n, err := strconv.Atoi(v)
			switch {
			case v == "":
				bad = append(bad, models.FieldError{Field: path, Code: "required"})
			case err != nil:
				bad = append(bad, models.FieldError{Field: path, Code: "whole_number"})
			default:
				dst[k] = n
			}
		}
	}
	if len(bad) > 0 {
		return s.renderRankingSettings(c, fiber.StatusUnprocessableEntity, typed, bad, "")
	}
	// The form's numbers become the API's body, so they take the same path.
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	var in reports.SettingsInput
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	_, err = s.rankings.UpdateSettings(c.UserContext(), actorOf(c), scopeOf(c), in, time.Now())
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return s.renderRankingSettings(c, fiber.StatusUnprocessableEntity, typed, ve.Fields, "")
	}
	if err != nil {
		return err
	}
	return c.Redirect("/settings/ranking?done=saved", fiber.StatusSeeOther)
}

// renderRankingSettings shows the form with values and the messages of refused.
func (s *server) renderRankingSettings(c *fiber.Ctx, status int, values map[string]string, refused []models.FieldError, notice string) error {
	msgs, summary := s.settingsRefusals(language(c), "rankingweb.setting.", refused)
	d := rankingSettingsData{CanEdit: accounts.HasRole(currentUser(c), adminOnly...), Notice: notice, Summary: summary}
	for _, g := range rankingSettingGroups {
		sg := settingsGroup{Key: g.Key, Errors: msgs[g.Key]}
		for _, k := range g.Keys {
			path := settingPath(g.Key, k)
			r, ok := reports.SettingsRanges[k]
			if !ok {
				r = reports.SettingsRanges[g.Key]
			}
			sg.Fields = append(sg.Fields, settingsField{Name: path, Value: values[path], Min: r[0], Max: r[1], Errors: msgs[path]})
		}
		d.Groups = append(d.Groups, sg)
	}
	return s.render(c, status, "ranking_settings", "rankingweb.settings_title", d)
}
