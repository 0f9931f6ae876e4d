package reports

import (
	"math/big"
	"slices"
	"strings"

	"quality/models"
)

// The arithmetic of RANKING.md, in integers and exact rationals only: a score is
// computed exactly and rounded once, half-up, to hundredths; the composite uses the
// rounded scores and is rounded once more.

// share is 100 × num / den in hundredths, rounded half-up; den must be positive.
func share(num, den int64) models.Percent { return models.PercentOf(num, den) }

// hundredths rounds 100 × r (r ≥ 0) half-up to hundredths: the Percent of a fraction.
func hundredths(r *big.Rat) models.Percent {
	x := new(big.Rat).Mul(r, big.NewRat(10000, 1))
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom()) // floor, as x ≥ 0
	return models.Percent(q.Int64())
}

// rate is one pooled rate Σon-time / Σtotal.
type rate struct{ On, Total int64 }

// meanOfRates is the mean of the rates whose total is above zero, as a Percent, and
// how many there were; ok is false when none has a total.
func meanOfRates(rates []rate) (p models.Percent, n int, ok bool) {
	sum := new(big.Rat)
	for _, r := range rates {
		if r.Total > 0 {
			sum.Add(sum, big.NewRat(r.On, r.Total))
			n++
		}
	}
	if n == 0 {
		return 0, 0, false
	}
	return hundredths(sum.Quo(sum, big.NewRat(int64(n), 1))), n, true
}

// Composite is the outcome of weighting one branch's dimension scores.
type Composite struct {
	// Score is Σ(weightᵢ × scoreᵢ) / Σ(weightᵢ with data) − deductions, floored at 0,
	// rounded half-up to hundredths; nil when no dimension has data.
	Score *models.Percent
	// WeightWithData is the sum of the weights of the dimensions with data, before
	// they are scaled to 100.
	WeightWithData int
	// Ranked is whether WeightWithData reaches the threshold.
	Ranked bool
}

// composite weighs the rounded scores (nil: no data) by weights, subtracts the
// deductions (points, already capped) and decides whether the branch is ranked: only
// when the weights with data add up to at least minWeight (RANKING.md, steps 2–3).
func composite(scores map[string]*models.Percent, weights map[string]int, deductions int64, minWeight int) Composite {
	var num, den int64 // Σ weight × hundredths, Σ weight
	for _, key := range DimensionKeys {
		s := scores[key]
		if s == nil {
			continue
		}
		num += int64(weights[key]) * int64(*s)
		den += int64(weights[key])
	}
	c := Composite{WeightWithData: int(den), Ranked: den > 0 && den >= int64(minWeight)}
	if den == 0 {
		return c
	}
	x := num - deductions*100*den // hundredths × den
	var v models.Percent
	if x > 0 {
		v = models.Percent((2*x + den) / (2 * den))
	}
	c.Score = &v
	return c
}

// scaledWeight is weight × 100 / Σ weights with data, the weight as used, in hundredths.
func scaledWeight(weight, withData int) models.Percent {
	if withData == 0 {
		return 0
	}
	return share(int64(weight), int64(withData))
}

// Ranked is one entry to rank: its unit code (the order among equals) and composite.
type rankable struct {
	Code   string
	Score  models.Percent
	Ranked bool
}

// assignRanks gives each ranked entry its rank by rounded composite, highest first;
// equal composites share a rank and the next rank skips (1, 2, 2, 4). It returns the
// order to list the entries in: ranked ones by rank then code, then the unranked by
// code. Ranks of unranked entries are 0.
func assignRanks(items []rankable) (order []int, ranks []int) {
	order = make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := items[a], items[b]
		switch {
		case x.Ranked != y.Ranked:
			if x.Ranked {
				return -1
			}
			return 1
		case x.Ranked && x.Score != y.Score:
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Code, y.Code)
	})
	ranks = make([]int, len(items))
	for pos, i := range order {
		if !items[i].Ranked {
			continue
		}
		if pos > 0 && items[order[pos-1]].Ranked && items[order[pos-1]].Score == items[i].Score {
			ranks[i] = ranks[order[pos-1]]
		} else {
			ranks[i] = pos + 1
		}
	}
	return order, ranks
}
