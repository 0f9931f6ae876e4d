package reports

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"quality/models"
	"quality/training"
)

// Levels a ranking is made at.
const (
	LevelCity   = models.LevelCity
	LevelCounty = models.LevelCounty
)

// Flags of a ranked branch.
const (
	// FlagSmallSample: fewer scored inspections than the setting (样本不足); still ranked.
	FlagSmallSample = "small_sample"
	// FlagNotRanked: the dimensions with data carry too little weight (不参与排名).
	FlagNotRanked = "not_ranked"
)

// Service computes rankings on an injected clock in the company's zone.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	Loc *time.Location
	// Training is where the onboarding plan's rule comes from (the onboarding dimension
	// and the dashboard's overdue new hires count as its overdue list does).
	Training *training.Service
}

// NewService is a ranking service on the wall clock in loc.
func NewService(db *gorm.DB, loc *time.Location) *Service {
	return &Service{DB: db, Now: time.Now, Loc: loc, Training: training.NewService(db, loc)}
}

// Ranking is the ranking of one level for one period: the table circulated to every
// admin, inspector and manager (通报), and the workbook's ranking sheets.
type Ranking struct {
	Period         string    `json:"period"`
	Kind           string    `json:"kind"`
	Level          string    `json:"level"`
	From           time.Time `json:"from"`
	To             time.Time `json:"to"`
	InProgress     bool      `json:"in_progress"`
	CutOff         time.Time `json:"cut_off"`
	PreviousPeriod string    `json:"previous_period"`
	Weights        Weights   `json:"weights"`
	Settings       Settings  `json:"settings"`
	// Handbook says whether a handbook version was current at the cut-off (when none
	// was, training is the course share alone).
	Handbook    bool      `json:"handbook"`
	GeneratedAt time.Time `json:"generated_at"`
	Items       []Item    `json:"items"`
}

// Item is one branch's line of a ranking.
type Item struct {
	UnitID   uint   `json:"unit_id"`
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	CityName string `json:"city_name"`
	// Rank is nil when the branch is not ranked; PreviousRank nil when it was not ranked
	// in the previous period. Change is PreviousRank − Rank (positive: up), nil unless
	// both exist; ChangeLabel says it as ▲3, ▼2, — or 新 (not ranked then).
	Rank         *int   `json:"rank"`
	PreviousRank *int   `json:"previous_rank"`
	Change       *int   `json:"change"`
	ChangeLabel  string `json:"change_label"`
	// Composite is nil when no dimension has data.
	Composite *models.Percent `json:"composite"`
	// Deductions are the points taken off (capped); DeductionFacts what they count.
	Deductions     int64            `json:"deductions"`
	DeductionFacts map[string]int64 `json:"deduction_facts"`
	WeightWithData int              `json:"weight_with_data"`
	Ranked         bool             `json:"ranked"`
	Flags          []string         `json:"flags"`
	// Dimensions by key (DimensionKeys); a score of nil is 无数据.
	Dimensions map[string]*Dimension `json:"dimensions"`
}

// snapshot is one window computed for every branch of both levels.
type snapshot struct {
	w        Window
	set      Settings
	handbook bool
	units    []models.OrgUnit // every unit, by code
	byID     map[uint]models.OrgUnit
	items    map[uint]*Item // by branch id, ranks not yet given
}

// onboardingDueDays is the onboarding plan's days from hire to due date (R8.2).
func (s *Service) onboardingDueDays(ctx context.Context) (int, error) {
	p, err := s.Training.GetPlan(ctx)
	if err != nil {
		return 0, err
	}
	return p.DueDays, nil
}

// snapshotOf scores every city company and county branch of units (every org unit, by
// code) on the facts of w.
func snapshotOf(w Window, set Settings, units []models.OrgUnit, facts *unitFacts) *snapshot {
	sn := &snapshot{w: w, set: set, handbook: facts.handbook, units: units, byID: make(map[uint]models.OrgUnit, len(units)), items: map[uint]*Item{}}
	for _, u := range units {
		sn.byID[u.ID] = u
	}
	weights := set.Weights.ByKey()
	for id, t := range branchesOf(units, facts) {
		u := sn.byID[id]
		dims := dimensions(t, branchInfo{Urban: u.Urban, Households: int64(u.Households)}, set, facts.handbook)
		scores := map[string]*models.Percent{}
		for key, d := range dims {
			scores[key] = d.Score
		}
		ded, _ := deductions(t, set)
		c := composite(scores, weights, ded, set.MinRankedWeight)
		for key, d := range dims {
			d.Weight = weights[key]
			if d.Score != nil {
				d.WeightUsed = ptr(scaledWeight(d.Weight, c.WeightWithData))
			}
		}
		it := &Item{UnitID: u.ID, UnitCode: u.Code, UnitName: u.Name, CityName: sn.cityName(u), Composite: c.Score,
			Deductions: ded, WeightWithData: c.WeightWithData, Ranked: c.Ranked, Flags: []string{}, Dimensions: dims,
			DeductionFacts: map[string]int64{"warnings": t.Warnings, "no_awards": t.NoAwards, "circulated_criticism": t.Circulated,
				"penalties": t.Penalties, "critical_failures": t.CriticalFailures}}
		if t.Inspections < int64(set.MinInspections) {
			it.Flags = append(it.Flags, FlagSmallSample)
		}
		if !c.Ranked {
			it.Flags = append(it.Flags, FlagNotRanked)
		}
		sn.items[id] = it
	}
	return sn
}

// cityName is the name of the city company u is in (its own for a city).
func (sn *snapshot) cityName(u models.OrgUnit) string {
	for _, id := range models.PathIDs(u.Path) {
		if a := sn.byID[id]; a.Level == models.LevelCity {
			return a.Name
		}
	}
	return ""
}

// ranked lists the branches of level in ranking order with their ranks.
func (sn *snapshot) ranked(level string) []Item {
	var items []Item
	for _, u := range sn.units { // by code
		if u.Level == level {
			items = append(items, *sn.items[u.ID])
		}
	}
	keys := make([]rankable, len(items))
	for i, it := range items {
		keys[i] = rankable{Code: it.UnitCode, Ranked: it.Ranked}
		if it.Composite != nil {
			keys[i].Score = *it.Composite
		}
	}
	order, ranks := assignRanks(keys)
	out := make([]Item, len(items))
	for pos, i := range order {
		it := items[i]
		if ranks[i] > 0 {
			it.Rank = ptr(ranks[i])
		}
		out[pos] = it
	}
	return out
}

// withChange fills each item's previous rank and change from prev, the same level's
// ranking of the previous period.
func withChange(items, prev []Item) {
	before := map[uint]int{}
	for _, p := range prev {
		if p.Rank != nil {
			before[p.UnitID] = *p.Rank
		}
	}
	for i := range items {
		it := &items[i]
		r, ok := before[it.UnitID]
		if ok {
			it.PreviousRank = ptr(r)
		}
		switch {
		case it.Rank == nil:
			it.ChangeLabel = ""
		case !ok:
			it.ChangeLabel = "新"
		default:
			d := r - *it.Rank
			it.Change = ptr(d)
			switch {
			case d > 0:
				it.ChangeLabel = fmt.Sprintf("▲%d", d)
			case d < 0:
				it.ChangeLabel = fmt.Sprintf("▼%d", -d)
			default:
				it.ChangeLabel = "—"
			}
		}
	}
}

// ErrLevel is a level other than city or county.
var ErrLevel = errors.New("level: want city or county")

// CheckLevel accepts city and county.
func CheckLevel(level string) error {
	if level != LevelCity && level != LevelCounty {
		return ErrLevel
	}
	return nil
}

// Ranking ranks every branch of level (city or county) for p with the current
// settings, with each branch's change against the previous period of the same kind.
// A period not yet over is ranked with the data up to now (InProgress, CutOff); one not
// yet begun is ErrNotStarted.
func (s *Service) Ranking(ctx context.Context, p Period, level string) (*Ranking, error) {
	if err := CheckLevel(level); err != nil {
		return nil, err
	}
	cur, prev, err := s.pair(ctx, p)
	if err != nil {
		return nil, err
	}
	return rankingOf(cur, prev, level, s.Now()), nil
}

// pair computes p and the period before it.
func (s *Service) pair(ctx context.Context, p Period) (cur, prev *snapshot, err error) {
	sns, err := s.lastSnapshots(ctx, p, 2)
	if err != nil {
		return nil, nil, err
	}
	return sns[0], sns[1], nil
}

// lastSnapshots are the snapshots of p and the n-1 periods of its kind before it, newest
// first, under one reading of the settings, the org tree and the onboarding plan. Their
// queries run side by side, as many at once as Go has processors: the staff tallies of
// every window (one query, the longest) beside each window's grouped queries; the first
// error cancels the rest. Each is read-only; at province scale the four of the workbook
// took 1.9 s one after another on SQLite.
func (s *Service) lastSnapshots(ctx context.Context, p Period, n int) ([]*snapshot, error) {
	now := s.Now()
	set, err := s.LoadSettings(ctx)
	if err != nil {
		return nil, err
	}
	windows := make([]Window, n)
	for i := range windows {
		if windows[i], err = WindowAt(p, now, s.Loc); err != nil {
			return nil, err
		}
		p = p.Previous()
	}
	units, err := models.OrgUnitsInScope(ctx, s.DB, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	dueDays, err := s.onboardingDueDays(ctx)
	if err != nil {
		return nil, err
	}
	// The staff query goes first: with the limit, Go starts the tasks in order.
	var staff []staffTallies
	facts := make([]*unitFacts, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, runtime.GOMAXPROCS(0)))
	g.Go(func() (err error) { staff, err = s.gatherStaff(gctx, windows); return err })
	for i, w := range windows {
		g.Go(func() (err error) { facts[i], err = s.gather(gctx, w, dueDays); return err })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sns := make([]*snapshot, n)
	for i, w := range windows {
		facts[i].addStaff(staff[i])
		sns[i] = snapshotOf(w, set, units, facts[i])
	}
	return sns, nil
}

// rankingOf is the ranking of level in cur, with the changes against prev.
func rankingOf(cur, prev *snapshot, level string, now time.Time) *Ranking {
	items := cur.ranked(level)
	withChange(items, prev.ranked(level))
	w := cur.w
	return &Ranking{Period: w.Period.String(), Kind: w.Period.Kind, Level: level, From: w.From.UTC(), To: w.To.UTC(),
		InProgress: w.InProgress, CutOff: w.CutOff.UTC(), PreviousPeriod: w.Period.Previous().String(),
		Weights: cur.set.Weights, Settings: cur.set, Handbook: cur.handbook, GeneratedAt: now.UTC().Truncate(time.Second), Items: items}
}
