package inspections

import "quality/models"

// The scoring rule, defined here and nowhere else (the README prints it):
//
//   - An item's response score is 1 for pass and 0 for fail (pass/fail items), or the
//     score given, 0..MaxScore (score items); its best response score is 1 or MaxScore.
//   - earned_i = Weight × response score and max_i = Weight × best response score.
//   - An item answered N/A, or not answered, is left out of both sums; an item of
//     weight 0 adds nothing to either (it is answered and can fail, but is not scored).
//   - Score = 100 × Σearned / Σmax, rounded half-up to two decimals in integers; the
//     exact sums are stored beside it. When Σmax is 0 (everything N/A) there is no
//     score: never 0 % or 100 %.
//   - The result is 不合格 (fail) when any critical item failed, whatever the
//     percentage (which is still shown); otherwise 合格 (pass) when the score as shown
//     is at least the template's pass mark, 不合格 below it, and "no score" without one.
//   - An inspection cannot be submitted while a required item is unanswered.
//
// An item fails when a pass/fail item is answered fail, or a score item is given less
// than its PassScore (which defaults to MaxScore). Every failed item is a finding.

// Scoring is the outcome of the rule for one inspection's items.
type Scoring struct {
	Earned   int
	Possible int
	// Score is nil when nothing was scored.
	Score          *models.Percent
	Result         string
	CriticalFailed bool
	// Unanswered are the keys of required items without an answer; Failed the keys of
	// failed items, in order.
	Unanswered []string
	Failed     []string
}

// bestScore is an item's best response score.
func bestScore(it *models.InspectionItem) int {
	if it.Response == models.ResponseScore {
		return it.MaxScore
	}
	return 1
}

// passScore is the least score of a score item that is not a failure.
func passScore(it *models.InspectionItem) int {
	if it.PassScore > 0 {
		return it.PassScore
	}
	return it.MaxScore
}

// ItemFailed reports whether an answered item is a failure (a finding).
func ItemFailed(it *models.InspectionItem) bool {
	switch it.Outcome {
	case models.OutcomeFail:
		return true
	case models.OutcomePass:
		return it.Response == models.ResponseScore && it.Points != nil && *it.Points < passScore(it)
	}
	return false
}

// responseScore is the score an answered, applicable item earns per unit of weight.
func responseScore(it *models.InspectionItem) int {
	if it.Points != nil {
		return *it.Points
	}
	if it.Outcome == models.OutcomePass {
		return bestScore(it)
	}
	return 0
}

// Score applies the scoring rule to items with the template's pass mark (a percentage).
func Score(items []models.InspectionItem, passMark int) Scoring {
	var s Scoring
	for i := range items {
		it := &items[i]
		switch it.Outcome {
		case "":
			if it.Required {
				s.Unanswered = append(s.Unanswered, it.Key)
			}
			continue
		case models.OutcomeNA:
			continue
		}
		if ItemFailed(it) {
			s.Failed = append(s.Failed, it.Key)
			if it.Critical {
				s.CriticalFailed = true
			}
		}
		s.Earned += it.Weight * responseScore(it)
		s.Possible += it.Weight * bestScore(it)
	}
	if s.Possible > 0 {
		p := models.PercentOf(int64(s.Earned), int64(s.Possible))
		s.Score = &p
	}
	switch {
	case s.CriticalFailed:
		s.Result = models.ResultFail
	case s.Score == nil:
		s.Result = models.ResultNoScore
	case *s.Score >= models.Percent(passMark*100):
		s.Result = models.ResultPass
	default:
		s.Result = models.ResultFail
	}
	return s
}
