package inspections

import (
	"slices"
	"testing"

	"quality/models"
)

// item builders for the golden table.
func pf(key string, weight int, outcome string) models.InspectionItem {
	return models.InspectionItem{Key: key, Response: models.ResponsePassFail, MaxScore: 1, Weight: weight, Outcome: outcome}
}

func sc(key string, weight, max, points int) models.InspectionItem {
	return models.InspectionItem{Key: key, Response: models.ResponseScore, MaxScore: max, Weight: weight, Outcome: models.OutcomePass, Points: &points}
}

func critical(it models.InspectionItem) models.InspectionItem { it.Critical = true; return it }
func required(it models.InspectionItem) models.InspectionItem { it.Required = true; return it }
func passAt(it models.InspectionItem, p int) models.InspectionItem {
	it.PassScore = p
	return it
}

func pct(s string) *models.Percent {
	var p models.Percent
	if err := p.UnmarshalJSON([]byte(s)); err != nil {
		panic(err)
	}
	return &p
}

const (
	pass = models.OutcomePass
	fail = models.OutcomeFail
	na   = models.OutcomeNA
)

// TestScoringGolden is the scoring rule's table of edges (issue 4, point 2).
func TestScoringGolden(t *testing.T) {
	cases := []struct {
		name       string
		items      []models.InspectionItem
		passMark   int
		earned     int
		possible   int
		score      *models.Percent
		result     string
		critical   bool
		failed     []string
		unanswered []string
	}{
		{"all pass", []models.InspectionItem{pf("1", 1, pass), pf("2", 2, pass)}, 80, 3, 3, pct("100.00"), models.ResultPass, false, nil, nil},
		{"all fail", []models.InspectionItem{pf("1", 1, fail), pf("2", 2, fail)}, 80, 0, 3, pct("0.00"), models.ResultFail, false, []string{"1", "2"}, nil},
		{"weights count", []models.InspectionItem{pf("1", 3, pass), pf("2", 1, fail)}, 80, 3, 4, pct("75.00"), models.ResultFail, false, []string{"2"}, nil},
		{"N/A leaves both sums", []models.InspectionItem{pf("1", 3, pass), pf("2", 5, na), pf("3", 1, fail)}, 70, 3, 4, pct("75.00"), models.ResultPass, false, []string{"3"}, nil},
		{"all N/A is no score, not 0 or 100", []models.InspectionItem{pf("1", 1, na), pf("2", 4, na)}, 80, 0, 0, nil, models.ResultNoScore, false, nil, nil},
		{"empty template is no score", nil, 80, 0, 0, nil, models.ResultNoScore, false, nil, nil},
		{"weight 0 not scored even when failed", []models.InspectionItem{pf("1", 2, pass), pf("2", 0, fail)}, 80, 2, 2, pct("100.00"), models.ResultPass, false, []string{"2"}, nil},
		{"only weight-0 items is no score", []models.InspectionItem{pf("1", 0, pass), pf("2", 0, pass)}, 80, 0, 0, nil, models.ResultNoScore, false, nil, nil},
		{"critical fail overrides a high score", []models.InspectionItem{pf("1", 10, pass), pf("2", 10, pass), critical(pf("3", 1, fail))}, 80, 20, 21, pct("95.24"), models.ResultFail, true, []string{"3"}, nil},
		{"critical fail of weight 0 still fails", []models.InspectionItem{pf("1", 1, pass), critical(pf("2", 0, fail))}, 80, 1, 1, pct("100.00"), models.ResultFail, true, []string{"2"}, nil},
		{"critical item passed is ordinary", []models.InspectionItem{critical(pf("1", 1, pass)), pf("2", 1, pass)}, 80, 2, 2, pct("100.00"), models.ResultPass, false, nil, nil},
		{"critical N/A does not fail", []models.InspectionItem{critical(pf("1", 1, na)), pf("2", 1, pass)}, 80, 1, 1, pct("100.00"), models.ResultPass, false, nil, nil},
		{"score items by points", []models.InspectionItem{sc("1", 2, 5, 4), sc("2", 1, 10, 10)}, 80, 18, 20, pct("90.00"), models.ResultPass, false, []string{"1"}, nil},
		{"score below its pass score is a finding", []models.InspectionItem{passAt(sc("1", 1, 5, 3), 3), passAt(sc("2", 1, 5, 2), 3)}, 50, 5, 10, pct("50.00"), models.ResultPass, false, []string{"2"}, nil},
		{"one third rounds down", []models.InspectionItem{pf("1", 1, pass), pf("2", 1, fail), pf("3", 1, fail)}, 30, 1, 3, pct("33.33"), models.ResultPass, false, []string{"2", "3"}, nil},
		{"two thirds rounds up", []models.InspectionItem{pf("1", 1, pass), pf("2", 1, pass), pf("3", 1, fail)}, 80, 2, 3, pct("66.67"), models.ResultFail, false, []string{"3"}, nil},
		{"exact half-up at the third decimal", []models.InspectionItem{sc("1", 1, 8000, 6667)}, 80, 6667, 8000, pct("83.34"), models.ResultPass, false, []string{"1"}, nil},
		{"just below half stays down", []models.InspectionItem{sc("1", 1, 10000, 8333)}, 80, 8333, 10000, pct("83.33"), models.ResultPass, false, []string{"1"}, nil},
		{"the pass mark is compared with the score as shown", []models.InspectionItem{sc("1", 1, 200000, 159999)}, 80, 159999, 200000, pct("80.00"), models.ResultPass, false, []string{"1"}, nil},
		{"just under the pass mark fails", []models.InspectionItem{sc("1", 1, 20000, 15989)}, 80, 15989, 20000, pct("79.95"), models.ResultFail, false, []string{"1"}, nil},
		{"required unanswered is listed and left out", []models.InspectionItem{required(pf("1", 1, "")), pf("2", 1, pass), pf("3", 1, "")}, 80, 1, 1, pct("100.00"), models.ResultPass, false, nil, []string{"1"}},
		{"N/A answers a required item", []models.InspectionItem{required(pf("1", 1, na)), pf("2", 1, fail)}, 80, 0, 1, pct("0.00"), models.ResultFail, false, []string{"2"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Score(c.items, c.passMark)
			if got.Earned != c.earned || got.Possible != c.possible {
				t.Errorf("sums = %d/%d, want %d/%d", got.Earned, got.Possible, c.earned, c.possible)
			}
			switch {
			case (got.Score == nil) != (c.score == nil):
				t.Errorf("score = %v, want %v", got.Score, c.score)
			case got.Score != nil && *got.Score != *c.score:
				t.Errorf("score = %s, want %s", got.Score, c.score)
			}
			if got.Result != c.result || got.CriticalFailed != c.critical {
				t.Errorf("result = %s critical=%v, want %s critical=%v", got.Result, got.CriticalFailed, c.result, c.critical)
			}
			if !slices.Equal(got.Failed, c.failed) || !slices.Equal(got.Unanswered, c.unanswered) {
				t.Errorf("failed %v unanswered %v, want %v %v", got.Failed, got.Unanswered, c.failed, c.unanswered)
			}
		})
	}
}

// TestPercentOf checks the integer half-up rounding against the defining formula.
func TestPercentOf(t *testing.T) {
	for den := int64(1); den <= 300; den++ {
		for num := int64(0); num <= den; num++ {
			got := models.PercentOf(num, den)
			// round(10000·num/den) half-up: the least n with n ≥ 10000·num/den − ½.
			lo, hi := 2*int64(got)*den, 2*(int64(got)+1)*den
			if x := 20000*num + den; !(lo <= x && x < hi) {
				t.Fatalf("PercentOf(%d, %d) = %s", num, den, got)
			}
		}
	}
}
