package exams

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"quality/models"
)

// Drawn is one question of a new paper with its frozen points and option order.
type Drawn struct {
	Question    models.Question
	Points      int
	OptionOrder []int
}

// PoolError says a blueprint rule asks for more questions than the bank holds.
type PoolError struct {
	Rule      int // index in the blueprint
	Want, Got int
	Missing   string // a fixed question's code that does not exist
}

func (e *PoolError) Error() string {
	if e.Missing != "" {
		return fmt.Sprintf("fixed question %s does not exist", e.Missing)
	}
	return fmt.Sprintf("blueprint rule %d wants %d questions, the bank has %d", e.Rule+1, e.Want, e.Got)
}

// Draw builds a paper from the exam's blueprint or fixed list out of pool (the latest
// versions). Questions in seen (shown on an earlier attempt) are taken only when the
// unseen ones run out. No question appears twice. rng decides everything random, so
// the same seed gives the same paper.
func Draw(exam *models.Exam, pool []models.Question, seen map[string]bool, rng *rand.Rand) ([]Drawn, error) {
	var out []Drawn
	if len(exam.Fixed) > 0 {
		byCode := make(map[string]models.Question, len(pool))
		for _, q := range pool {
			byCode[q.Code] = q
		}
		for _, it := range exam.Fixed {
			q, ok := byCode[it.Code]
			if !ok {
				return nil, &PoolError{Missing: it.Code}
			}
			out = append(out, Drawn{Question: q, Points: it.Points})
		}
	} else {
		taken := map[uint]bool{}
		// Rules of one difficulty draw before rules of any difficulty, so a broad rule
		// never takes the questions a narrower rule of its category needs; the paper
		// still lists the rules in blueprint order.
		order := make([]int, len(exam.Blueprint))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Compare(btoi(exam.Blueprint[a].Difficulty == 0), btoi(exam.Blueprint[b].Difficulty == 0))
		})
		picked := make([][]models.Question, len(exam.Blueprint))
		for _, i := range order {
			rule := exam.Blueprint[i]
			var fresh, old []models.Question
			for _, q := range pool {
				if taken[q.ID] || q.Category != rule.Category || (rule.Difficulty != 0 && q.Difficulty != rule.Difficulty) {
					continue
				}
				if seen[q.Code] {
					old = append(old, q)
				} else {
					fresh = append(fresh, q)
				}
			}
			rng.Shuffle(len(fresh), func(a, b int) { fresh[a], fresh[b] = fresh[b], fresh[a] })
			rng.Shuffle(len(old), func(a, b int) { old[a], old[b] = old[b], old[a] })
			cands := append(fresh, old...)
			if len(cands) < rule.Count {
				return nil, &PoolError{Rule: i, Want: rule.Count, Got: len(cands)}
			}
			for _, q := range cands[:rule.Count] {
				taken[q.ID] = true
			}
			picked[i] = cands[:rule.Count]
		}
		for i, rule := range exam.Blueprint {
			for _, q := range picked[i] {
				out = append(out, Drawn{Question: q, Points: rule.Points})
			}
		}
	}
	if exam.ShuffleQuestions {
		rng.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	}
	for i := range out {
		q := &out[i].Question
		order := make([]int, len(q.Options))
		for j := range order {
			order[j] = j
		}
		// True/false keeps 正确 before 错误; shuffling them only confuses.
		if exam.ShuffleOptions && q.Kind != models.KindTrueFalse {
			rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		out[i].OptionOrder = order
	}
	return out, nil
}

// PaperSize is the number of questions and the points a paper of the exam has.
func PaperSize(exam *models.Exam) (questions, points int) {
	if len(exam.Fixed) > 0 {
		for _, it := range exam.Fixed {
			questions++
			points += it.Points
		}
		return
	}
	for _, r := range exam.Blueprint {
		questions += r.Count
		points += r.Count * r.Points
	}
	return
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
