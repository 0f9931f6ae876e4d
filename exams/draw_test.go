package exams_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"quality/exams"
	"quality/models"
)

// bankQ is a pool question for the pure drawing tests.
func bankQ(id uint, code, category string, difficulty int, kind string) models.Question {
	q := models.Question{ID: id, Code: code, Version: 1, Latest: true, Kind: kind, Category: category, Difficulty: difficulty}
	switch kind {
	case models.KindTrueFalse:
		q.Options, q.Answer = []string{"正确", "错误"}, []int{0}
	case models.KindMultiple:
		q.Options, q.Answer = []string{"a", "b", "c", "d", "e"}, []int{0, 1}
	case models.KindFill:
		q.Accepted = []string{"x"}
	default:
		q.Options, q.Answer = []string{"a", "b", "c", "d"}, []int{0}
	}
	return q
}

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 99)) }

// drawPool has 6 basics (2 of each difficulty), 3 etiquette of difficulty 2 and 2 ethics.
func drawPool() []models.Question {
	return []models.Question{
		bankQ(1, "B1", "basics", 1, models.KindSingle),
		bankQ(2, "B2", "basics", 1, models.KindMultiple),
		bankQ(3, "B3", "basics", 2, models.KindTrueFalse),
		bankQ(4, "B4", "basics", 2, models.KindFill),
		bankQ(5, "B5", "basics", 3, models.KindSingle),
		bankQ(6, "B6", "basics", 3, models.KindSingle),
		bankQ(7, "E1", "etiquette", 2, models.KindSingle),
		bankQ(8, "E2", "etiquette", 2, models.KindMultiple),
		bankQ(9, "E3", "etiquette", 2, models.KindTrueFalse),
		bankQ(10, "X1", "ethics", 1, models.KindSingle),
		bankQ(11, "X2", "ethics", 1, models.KindSingle),
	}
}

func codes(paper []exams.Drawn) []string {
	out := make([]string, len(paper))
	for i, d := range paper {
		out[i] = d.Question.Code
	}
	return out
}

func TestDrawFollowsTheBlueprint(t *testing.T) {
	t.Parallel()
	exam := &models.Exam{Blueprint: []models.BlueprintRule{
		{Category: "basics", Difficulty: 3, Count: 2, Points: 5},
		{Category: "etiquette", Difficulty: 2, Count: 2, Points: 3},
		{Category: "basics", Difficulty: 0, Count: 3, Points: 2},
	}}
	for seed := range uint64(50) {
		paper, err := exams.Draw(exam, drawPool(), nil, seeded(seed))
		require.NoError(t, err)
		require.Len(t, paper, 7)
		ids := map[uint]bool{}
		for _, d := range paper {
			require.False(t, ids[d.Question.ID], "seed %d: question %s drawn twice", seed, d.Question.Code)
			ids[d.Question.ID] = true
		}
		// Without shuffling the paper is in rule order.
		for i, d := range paper {
			switch {
			case i < 2:
				require.Equal(t, "basics", d.Question.Category)
				require.Equal(t, 3, d.Question.Difficulty)
				require.Equal(t, 5, d.Points)
			case i < 4:
				require.Equal(t, "etiquette", d.Question.Category)
				require.Equal(t, 3, d.Points)
			default:
				require.Equal(t, "basics", d.Question.Category)
				require.Equal(t, 2, d.Points)
			}
		}
		n, points := exams.PaperSize(exam)
		require.Equal(t, 7, n)
		require.Equal(t, 2*5+2*3+3*2, points)
	}
}

func TestDrawDifficultyZeroMeansAny(t *testing.T) {
	t.Parallel()
	exam := &models.Exam{Blueprint: []models.BlueprintRule{{Category: "basics", Count: 6, Points: 1}}}
	paper, err := exams.Draw(exam, drawPool(), nil, seeded(1))
	require.NoError(t, err)
	got := codes(paper)
	slices.Sort(got)
	require.Equal(t, []string{"B1", "B2", "B3", "B4", "B5", "B6"}, got)
}

func TestDrawPoolError(t *testing.T) {
	t.Parallel()
	exam := &models.Exam{Blueprint: []models.BlueprintRule{
		{Category: "basics", Difficulty: 1, Count: 2, Points: 1},
		{Category: "ethics", Difficulty: 1, Count: 3, Points: 1},
	}}
	_, err := exams.Draw(exam, drawPool(), nil, seeded(1))
	var pe *exams.PoolError
	require.True(t, errors.As(err, &pe), "got %v", err)
	require.Equal(t, 1, pe.Rule)
	require.Equal(t, 3, pe.Want)
	require.Equal(t, 2, pe.Got)
	require.Empty(t, pe.Missing)
	require.Contains(t, err.Error(), "rule 2")

	// A category with no questions at all.
	exam.Blueprint = []models.BlueprintRule{{Category: "technical", Count: 1, Points: 1}}
	_, err = exams.Draw(exam, drawPool(), nil, seeded(1))
	require.True(t, errors.As(err, &pe))
	require.Equal(t, exams.PoolError{Rule: 0, Want: 1, Got: 0}, *pe)
}

// A rule of any difficulty must not take the questions a later, narrower rule of the
// same category needs: the bank holds enough for both, so every seed must succeed.
func TestDrawOverlappingRulesNeverStarveEachOther(t *testing.T) {
	t.Parallel()
	pool := []models.Question{
		bankQ(1, "B1", "basics", 1, models.KindSingle),
		bankQ(2, "B2", "basics", 1, models.KindSingle),
		bankQ(3, "B3", "basics", 2, models.KindSingle),
	}
	exam := &models.Exam{Blueprint: []models.BlueprintRule{
		{Category: "basics", Difficulty: 0, Count: 2, Points: 1},
		{Category: "basics", Difficulty: 2, Count: 1, Points: 4},
	}}
	for seed := range uint64(64) {
		paper, err := exams.Draw(exam, pool, nil, seeded(seed))
		require.NoError(t, err, "seed %d", seed)
		require.Len(t, paper, 3)
		// The paper still lists the rules in blueprint order.
		require.Equal(t, []int{1, 1, 4}, []int{paper[0].Points, paper[1].Points, paper[2].Points})
		require.Equal(t, "B3", paper[2].Question.Code)
	}
}

func TestDrawPrefersUnseenQuestions(t *testing.T) {
	t.Parallel()
	pool := drawPool()[:6] // basics B1..B6
	seen := map[string]bool{"B1": true, "B2": true, "B3": true}
	for seed := range uint64(40) {
		exam := &models.Exam{Blueprint: []models.BlueprintRule{{Category: "basics", Count: 3, Points: 1}}}
		paper, err := exams.Draw(exam, pool, seen, seeded(seed))
		require.NoError(t, err)
		for _, c := range codes(paper) {
			require.False(t, seen[c], "seed %d: seen %s drawn while unseen remained", seed, c)
		}
		// Five wanted: the three unseen and two of the seen ones.
		exam.Blueprint[0].Count = 5
		paper, err = exams.Draw(exam, pool, seen, seeded(seed))
		require.NoError(t, err)
		nSeen := 0
		for _, c := range codes(paper) {
			if seen[c] {
				nSeen++
			}
		}
		require.Equal(t, 2, nSeen, "seed %d: %v", seed, codes(paper))
	}
	// Everything seen: the paper is still drawn.
	all := map[string]bool{"B1": true, "B2": true, "B3": true, "B4": true, "B5": true, "B6": true}
	exam := &models.Exam{Blueprint: []models.BlueprintRule{{Category: "basics", Count: 4, Points: 1}}}
	paper, err := exams.Draw(exam, pool, all, seeded(3))
	require.NoError(t, err)
	require.Len(t, paper, 4)
}

func TestDrawFixedList(t *testing.T) {
	t.Parallel()
	exam := &models.Exam{Fixed: []models.FixedItem{{Code: "E2", Points: 7}, {Code: "B1", Points: 3}, {Code: "X2", Points: 1}}}
	paper, err := exams.Draw(exam, drawPool(), map[string]bool{"E2": true}, seeded(5))
	require.NoError(t, err)
	require.Equal(t, []string{"E2", "B1", "X2"}, codes(paper), "a fixed paper keeps its order, seen or not")
	require.Equal(t, []int{7, 3, 1}, []int{paper[0].Points, paper[1].Points, paper[2].Points})
	n, points := exams.PaperSize(exam)
	require.Equal(t, 3, n)
	require.Equal(t, 11, points)

	exam.Fixed = append(exam.Fixed, models.FixedItem{Code: "NOPE", Points: 1})
	_, err = exams.Draw(exam, drawPool(), nil, seeded(5))
	var pe *exams.PoolError
	require.True(t, errors.As(err, &pe), "got %v", err)
	require.Equal(t, "NOPE", pe.Missing)
	require.Contains(t, err.Error(), "NOPE")
}

func TestDrawShuffles(t *testing.T) {
	t.Parallel()
	exam := &models.Exam{Blueprint: []models.BlueprintRule{
		{Category: "basics", Count: 6, Points: 1},
		{Category: "etiquette", Count: 3, Points: 1},
	}}
	plain, err := exams.Draw(exam, drawPool(), nil, seeded(1))
	require.NoError(t, err)
	for _, d := range plain {
		require.Equal(t, identity(len(d.Question.Options)), d.OptionOrder, "no option shuffle asked")
	}

	exam.ShuffleQuestions, exam.ShuffleOptions = true, true
	movedQuestions, movedOptions := false, false
	for seed := range uint64(20) {
		paper, err := exams.Draw(exam, drawPool(), nil, seeded(seed))
		require.NoError(t, err)
		got, want := codes(paper), codes(plain)
		if !slices.Equal(got, want) {
			movedQuestions = true
		}
		slices.Sort(got)
		slices.Sort(want)
		require.Equal(t, want, got, "same set of questions")
		for _, d := range paper {
			n := len(d.Question.Options)
			if d.Question.Kind == models.KindTrueFalse {
				require.Equal(t, []int{0, 1}, d.OptionOrder, "true/false is never shuffled")
				continue
			}
			if !slices.Equal(d.OptionOrder, identity(n)) {
				movedOptions = true
			}
			sorted := slices.Clone(d.OptionOrder)
			slices.Sort(sorted)
			require.Equal(t, identity(n), sorted, "option order is a permutation")
		}
	}
	require.True(t, movedQuestions, "ShuffleQuestions never changed the order")
	require.True(t, movedOptions, "ShuffleOptions never changed an order")
}

func TestDrawSameSeedSamePaper(t *testing.T) {
	t.Parallel()
	exam := &models.Exam{ShuffleQuestions: true, ShuffleOptions: true, Blueprint: []models.BlueprintRule{
		{Category: "basics", Count: 4, Points: 1},
		{Category: "etiquette", Count: 2, Points: 2},
	}}
	seen := map[string]bool{"B1": true}
	a, err := exams.Draw(exam, drawPool(), seen, seeded(42))
	require.NoError(t, err)
	b, err := exams.Draw(exam, drawPool(), seen, seeded(42))
	require.NoError(t, err)
	require.Equal(t, a, b)
	differs := false
	for seed := range uint64(10) {
		c, err := exams.Draw(exam, drawPool(), seen, seeded(seed))
		require.NoError(t, err)
		differs = differs || !slices.Equal(codes(a), codes(c))
	}
	require.True(t, differs, "different seeds should give different papers")
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
