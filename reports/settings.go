package reports

import (
	"context"
	"reflect"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// SettingsKey names the settings group of the ranking.
const SettingsKey = "ranking"

// Weights are the dimensions' shares of the composite, whole numbers summing to 100.
type Weights struct {
	Site          int `json:"site"`
	Rectification int `json:"rectification"`
	Training      int `json:"training"`
	Onboarding    int `json:"onboarding"`
	Certification int `json:"certification"`
	Timeliness    int `json:"timeliness"`
	Satisfaction  int `json:"satisfaction"`
}

// ByKey maps each dimension key to its weight.
func (w Weights) ByKey() map[string]int {
	return map[string]int{
		DimSite: w.Site, DimRectification: w.Rectification, DimTraining: w.Training, DimOnboarding: w.Onboarding,
		DimCertification: w.Certification, DimTimeliness: w.Timeliness, DimSatisfaction: w.Satisfaction,
	}
}

// Sum is the total of the weights.
func (w Weights) Sum() int {
	n := 0
	for _, v := range w.ByKey() {
		n += v
	}
	return n
}

// DeductionPoints are the points taken off the composite for each decided
// accountability outcome of the period (R6.5) and each critical failure found on patrol.
type DeductionPoints struct {
	Warning         int `json:"warning"`
	NoAwards        int `json:"no_awards"`
	Circulated      int `json:"circulated_criticism"`
	Penalty         int `json:"penalty"`
	CriticalFailure int `json:"critical_failure"`
}

// ofOutcome is the points of one decided outcome.
func (d DeductionPoints) ofOutcome(outcome string) int {
	switch outcome {
	case models.OutcomeWarning:
		return d.Warning
	case models.OutcomeNoAwards:
		return d.NoAwards
	case models.OutcomeCirculated:
		return d.Circulated
	case models.OutcomePenalty:
		return d.Penalty
	}
	return 0
}

// Settings are the numbers of the ranking, each a default the provincial office may
// change (PUT /api/v1/settings/ranking); none is a constant in the code.
type Settings struct {
	Weights    Weights         `json:"weights"`
	Deductions DeductionPoints `json:"deductions"`
	// DeductionCap bounds the points deducted from one branch in one period.
	DeductionCap int `json:"deduction_cap"`
	// MinRankedWeight: a branch whose dimensions with data carry less weight than this
	// is listed as 不参与排名, without a rank.
	MinRankedWeight int `json:"min_ranked_weight"`
	// MinInspections: fewer scored inspections in the period flag the branch 样本不足.
	MinInspections int `json:"min_inspections"`
	// HouseholdsPerInstallerUrban and ...Rural are R3.1's households per maintenance
	// person, shown beside satisfaction by the branch's urban flag.
	HouseholdsPerInstallerUrban int `json:"households_per_installer_urban"`
	HouseholdsPerInstallerRural int `json:"households_per_installer_rural"`
	// ExportKeepDays is how long a generated workbook is kept.
	ExportKeepDays int `json:"export_keep_days"`
}

// DefaultSettings are the settings until the provincial office sets others.
var DefaultSettings = Settings{
	Weights:                     Weights{Site: 30, Rectification: 15, Training: 10, Onboarding: 10, Certification: 10, Timeliness: 15, Satisfaction: 10},
	Deductions:                  DeductionPoints{Warning: 1, NoAwards: 2, Circulated: 3, Penalty: 5, CriticalFailure: 1},
	DeductionCap:                20,
	MinRankedWeight:             60,
	MinInspections:              3,
	HouseholdsPerInstallerUrban: 4500,
	HouseholdsPerInstallerRural: 2000,
	ExportKeepDays:              7,
}

// LoadSettings reads the settings; fields never set keep their defaults.
func (s *Service) LoadSettings(ctx context.Context) (Settings, error) {
	return s.loadSettings(ctx, s.DB)
}

// loadSettings is LoadSettings through tx, the service's database or a transaction on it.
func (s *Service) loadSettings(ctx context.Context, tx *gorm.DB) (Settings, error) {
	set := DefaultSettings
	err := models.LoadSetting(ctx, tx, SettingsKey, &set)
	return set, err
}

// WeightsInput changes some weights; the weights after the change must sum to 100.
type WeightsInput struct {
	Site          *int `json:"site"`
	Rectification *int `json:"rectification"`
	Training      *int `json:"training"`
	Onboarding    *int `json:"onboarding"`
	Certification *int `json:"certification"`
	Timeliness    *int `json:"timeliness"`
	Satisfaction  *int `json:"satisfaction"`
}

// DeductionsInput changes some deduction points.
type DeductionsInput struct {
	Warning         *int `json:"warning"`
	NoAwards        *int `json:"no_awards"`
	Circulated      *int `json:"circulated_criticism"`
	Penalty         *int `json:"penalty"`
	CriticalFailure *int `json:"critical_failure"`
}

// SettingsInput changes the ranking settings; fields left out keep their value.
type SettingsInput struct {
	Weights                     *WeightsInput    `json:"weights"`
	Deductions                  *DeductionsInput `json:"deductions"`
	DeductionCap                *int             `json:"deduction_cap"`
	MinRankedWeight             *int             `json:"min_ranked_weight"`
	MinInspections              *int             `json:"min_inspections"`
	HouseholdsPerInstallerUrban *int             `json:"households_per_installer_urban"`
	HouseholdsPerInstallerRural *int             `json:"households_per_installer_rural"`
	ExportKeepDays              *int             `json:"export_keep_days"`
}

// SettingsRanges bound each setting, by its JSON path: wide enough for any policy,
// narrow enough that every rule keeps its meaning.
var SettingsRanges = map[string][2]int{
	"weights":                        {0, 100},
	"deductions":                     {0, 100},
	"deduction_cap":                  {0, 100},
	"min_ranked_weight":              {1, 100},
	"min_inspections":                {1, 1000},
	"households_per_installer_urban": {100, 100_000},
	"households_per_installer_rural": {100, 100_000},
	"export_keep_days":               {1, 365},
}

// UpdateSettings applies in to the stored settings and saves them with one audit row
// holding the before and after of each changed number. Only a caller over the whole
// province may: the ranking is province-wide. The weights must stay whole numbers
// summing to 100. Nothing changed writes nothing.
func (s *Service) UpdateSettings(ctx context.Context, actor models.Actor, scope models.Scope, in SettingsInput, now time.Time) (Settings, error) {
	if !scope.All {
		return Settings{}, models.ErrForbidden
	}
	if err := models.EnsureSetting(ctx, s.DB, SettingsKey, now); err != nil {
		return Settings{}, err
	}
	var after Settings
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockSetting(tx, SettingsKey); err != nil {
			return err
		}
		before, err := s.loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		after = before
		ve := &models.ValidationError{}
		pairs := map[string][2]any{}
		if in.Weights != nil {
			applyInts(ve, "weights", *in.Weights, &after.Weights, pairs)
		}
		if in.Deductions != nil {
			applyInts(ve, "deductions", *in.Deductions, &after.Deductions, pairs)
		}
		top := struct {
			DeductionCap                *int `json:"deduction_cap"`
			MinRankedWeight             *int `json:"min_ranked_weight"`
			MinInspections              *int `json:"min_inspections"`
			HouseholdsPerInstallerUrban *int `json:"households_per_installer_urban"`
			HouseholdsPerInstallerRural *int `json:"households_per_installer_rural"`
			ExportKeepDays              *int `json:"export_keep_days"`
		}{in.DeductionCap, in.MinRankedWeight, in.MinInspections, in.HouseholdsPerInstallerUrban, in.HouseholdsPerInstallerRural, in.ExportKeepDays}
		applyInts(ve, "", top, &after, pairs)
		if in.Weights != nil && after.Weights.Sum() != 100 {
			ve.Add("weights", "ranking_weights_sum", "sum", after.Weights.Sum())
		}
		if err := ve.Err(); err != nil {
			return err
		}
		changes := models.Diff(pairs)
		if len(changes) == 0 {
			return nil
		}
		if err := models.SaveSetting(tx, SettingsKey, after, actor.UserID, now); err != nil {
			return err
		}
		return models.Audit(tx, actor, "update", "setting", SettingsKey, map[string]any{"changes": changes})
	})
	return after, err
}

// applyInts copies every given (non-nil) *int field of in into the int field of the
// same JSON name in *dst, checking its range, and records the before/after pair under
// prefix.name. The range of a field is SettingsRanges[name], else SettingsRanges[prefix].
func applyInts(ve *models.ValidationError, prefix string, in, dst any, pairs map[string][2]any) {
	src := reflect.ValueOf(in)
	out := reflect.ValueOf(dst).Elem()
	fields := map[string]reflect.Value{}
	for i := range out.NumField() {
		name, _, _ := strings.Cut(out.Type().Field(i).Tag.Get("json"), ",")
		fields[name] = out.Field(i)
	}
	for i := range src.NumField() {
		v := src.Field(i)
		if v.IsNil() {
			continue
		}
		name, _, _ := strings.Cut(src.Type().Field(i).Tag.Get("json"), ",")
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		r, ok := SettingsRanges[name]
		if !ok {
			r = SettingsRanges[prefix]
		}
		n := int(v.Elem().Int())
		if n < r[0] || n > r[1] {
			ve.Add(path, "out_of_range", "min", r[0], "max", r[1])
			continue
		}
		f := fields[name]
		pairs[path] = [2]any{int(f.Int()), n}
		f.SetInt(int64(n))
	}
}
