package exams_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
)

func requireTime(t *testing.T, want, got time.Time, msg ...any) {
	t.Helper()
	require.True(t, want.Equal(got), "want %s, got %s %v", want, got, msg)
}

func TestStartResumesTheOpenAttempt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())

		v, created := f.start(clerk, e.ID)
		require.True(t, created)
		require.Equal(t, 1, v.Number)
		require.Equal(t, models.AttemptOpen, v.Status)
		requireTime(t, t0, v.StartedAt)
		requireTime(t, t0.Add(30*time.Minute), v.Deadline)
		require.EqualValues(t, 30*60, v.SecondsLeft)
		require.Nil(t, v.Result)
		require.Len(t, v.Questions, 4)
		for i, code := range []string{"S1", "M1", "T1", "F1"} {
			require.Equal(t, bank[code].ID, v.Questions[i].ID, "fixed paper in its order")
			require.Equal(t, i+1, v.Questions[i].Position)
			require.Equal(t, 10, v.Questions[i].Points)
			require.Nil(t, v.Questions[i].Answer)
		}
		require.Equal(t, []exams.ShownOption{{0, "正确"}, {1, "错误"}}, v.Questions[2].Options)
		require.Empty(t, v.Questions[3].Options, "a fill-in question shows no options")
		a := f.attempt(v.ID)
		require.Equal(t, 40, a.MaxPoints)
		require.EqualValues(t, 1, f.audits("start", "attempt", v.ID))

		// A double click, a retry, a refresh five minutes later: the same attempt.
		f.clock.Add(5 * time.Minute)
		again, created := f.start(clerk, e.ID)
		require.False(t, created)
		require.Equal(t, v.ID, again.ID)
		require.Equal(t, v.Questions, again.Questions)
		requireTime(t, v.Deadline, again.Deadline)
		require.EqualValues(t, 25*60, again.SecondsLeft, "time left by the server's clock")
		require.EqualValues(t, 1, f.count(&models.Attempt{}, "exam_id = ?", e.ID))
		require.EqualValues(t, 1, f.audits("start", "attempt", v.ID), "a resume writes nothing")

		// Without an employee there is nothing to start.
		_, _, err := f.svc.Start(f.ctx, as("admin"), nil, e.ID)
		dbtest.RequireConflict(t, err, "user", "no_employee")
	})
}

func TestParallelStartsMakeOneAttempt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.singles("B", "basics", 1, 8)
		in := fixedInput()
		in.Fixed = nil
		in.Blueprint = []models.BlueprintRule{{Category: "basics", Count: 5, Points: 2}}
		in.ShuffleQuestions, in.ShuffleOptions = true, true
		e := f.exam(in)

		const n = 20
		var wg sync.WaitGroup
		ids := make([]uint, n)
		made := make([]bool, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, created, err := f.svc.Start(f.ctx, as(clerk), f.emp(clerk), e.ID)
				errs[i], made[i] = err, created
				if err == nil {
					ids[i] = v.ID
				}
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "start %d", i)
		}
		for _, id := range ids {
			require.Equal(t, ids[0], id, "every start sees the one attempt")
		}
		created := 0
		for _, m := range made {
			if m {
				created++
			}
		}
		require.Equal(t, 1, created, "exactly one start created the attempt")
		require.EqualValues(t, 1, f.count(&models.Attempt{}, "exam_id = ?", e.ID))
		require.EqualValues(t, 5, f.count(&models.AttemptQuestion{}, "attempt_id = ?", ids[0]))
		require.EqualValues(t, 1, f.audits("start", "attempt", ids[0]))
	})
}

func TestDeadlineIsTheEarlierOfLimitAndClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		cases := []struct {
			name         string
			closesAt     time.Time
			extraMinutes int
			want         time.Time
		}{
			{"time limit", t0.Add(24 * time.Hour), 0, t0.Add(30 * time.Minute)},
			{"time limit plus an override's extra time", t0.Add(24 * time.Hour), 15, t0.Add(45 * time.Minute)},
			{"the exam closes first", t0.Add(20 * time.Minute), 0, t0.Add(20 * time.Minute)},
			{"extra time never passes the close", t0.Add(40 * time.Minute), 600, t0.Add(40 * time.Minute)},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := fixedInput()
				in.ClosesAt = c.closesAt
				e := f.exam(in)
				if c.extraMinutes > 0 {
					_, err := f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID,
						exams.OverrideInput{EmployeeID: *f.emp(clerk), ExtraMinutes: c.extraMinutes, Reason: "视力障碍，延时"})
					require.NoError(t, err)
					require.EqualValues(t, 1, f.audits("override", "exam", e.ID))
				}
				v, created := f.start(clerk, e.ID)
				require.True(t, created)
				requireTime(t, c.want, v.Deadline)
				requireTime(t, c.want, f.attempt(v.ID).Deadline)
				require.EqualValues(t, c.want.Sub(t0).Seconds(), v.SecondsLeft)
			})
		}
	})
}

func TestSaveAndResume(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		in := fixedInput()
		in.ShuffleQuestions, in.ShuffleOptions = true, true
		e := f.exam(in)
		v, _ := f.start(clerk, e.ID)
		q := f.byCode(v)
		m1 := q["M1"]

		f.clock.Add(time.Minute)
		res, err := f.svc.Save(f.ctx, as(clerk), f.emp(clerk), v.ID, m1.ID, exams.SaveInput{Choices: []int{2, 0}, Seq: 1})
		require.NoError(t, err)
		require.Equal(t, &exams.SaveResult{QuestionID: m1.ID, Seq: 1, SavedAt: t0.Add(time.Minute)}, res)
		require.EqualValues(t, 1, f.audits("save_answer", "attempt", v.ID))
		require.NoError(t, f.save(clerk, v.ID, q["F1"].ID, 1, nil, "  二十四 "))

		// After a refresh: the same paper, order and answers, and the server's time left.
		f.clock.Add(2 * time.Minute)
		again, created := f.start(clerk, e.ID)
		require.False(t, created)
		require.Equal(t, v.ID, again.ID)
		require.Len(t, again.Questions, len(v.Questions))
		for i := range v.Questions {
			require.Equal(t, v.Questions[i].ID, again.Questions[i].ID)
			require.Equal(t, v.Questions[i].Options, again.Questions[i].Options)
		}
		require.EqualValues(t, 27*60, again.SecondsLeft)
		got := f.byCode(again)
		require.Equal(t, []int{0, 2}, got["M1"].Answer.Choices)
		require.EqualValues(t, 1, got["M1"].Answer.Seq)
		requireTime(t, t0.Add(time.Minute), got["M1"].Answer.SavedAt)
		require.Equal(t, "二十四", got["F1"].Answer.Text, "text is trimmed")
		require.Equal(t, []int{}, got["F1"].Answer.Choices)
		require.Nil(t, got["S1"].Answer)
		view, err := f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, again, view)

		// A newer save wins; an older or equal one is refused and changes nothing.
		require.NoError(t, f.save(clerk, v.ID, m1.ID, 3, []int{1}, ""))
		err = f.save(clerk, v.ID, m1.ID, 2, []int{3}, "")
		dbtest.RequireConflict(t, err, "seq", "stale_seq")
		err = f.save(clerk, v.ID, m1.ID, 3, []int{0, 3}, "")
		dbtest.RequireConflict(t, err, "seq", "stale_seq")
		view, err = f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		ans := f.byCode(view)["M1"].Answer
		require.Equal(t, []int{1}, ans.Choices)
		require.EqualValues(t, 3, ans.Seq)
		require.EqualValues(t, 3, f.audits("save_answer", "attempt", v.ID), "refused saves leave no audit row")
		require.EqualValues(t, 2, f.count(&models.Answer{}, "attempt_id = ?", v.ID))

		// Clearing an answer is a save like any other.
		require.NoError(t, f.save(clerk, v.ID, m1.ID, 4, []int{}, ""))
		view, err = f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, []int{}, f.byCode(view)["M1"].Answer.Choices)
	})
}

func TestParallelStaleSavesNeverOverwriteNewer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n+1)
		for seq := 1; seq <= n; seq++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[seq] = f.save(clerk, v.ID, bank["S1"].ID, int64(seq), []int{seq % 4}, "")
			}()
		}
		wg.Wait()
		for seq := 1; seq <= n; seq++ {
			if errs[seq] != nil {
				dbtest.RequireConflict(t, errs[seq], "seq", "stale_seq")
			}
		}
		require.NoError(t, errs[n], "the newest save is never refused")
		view, err := f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.EqualValues(t, n, view.Questions[0].Answer.Seq)
		require.Equal(t, []int{n % 4}, view.Questions[0].Answer.Choices)
	})
}

// Saves of several questions of one attempt run side by side and race its submit: each
// acknowledged save is in the grading (its row is graded as stored), every other save is
// refused as submitted, and nothing fails otherwise (no deadlock, no lost answer).
func TestSavesRacingSubmitAreGradedOrRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		// Every seq flips right and wrong, so a save stored after the grading shows.
		type save struct {
			q    *models.Question
			resp func(seq int) ([]int, string)
		}
		saves := []save{
			{bank["S1"], func(seq int) ([]int, string) { return []int{seq % 2}, "" }},
			{bank["T1"], func(seq int) ([]int, string) { return []int{seq % 2}, "" }},
			{bank["F1"], func(seq int) ([]int, string) { return nil, []string{"24", "25"}[seq%2] }},
			{bank["M1"], func(seq int) ([]int, string) { return []int{seq % 4}, "" }},
		}
		acked := make([]int, len(saves))
		errs := make([]error, len(saves))
		var wg sync.WaitGroup
		started := make(chan struct{}, len(saves))
		for i, sv := range saves {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for seq := 1; seq <= 200; seq++ {
					choices, text := sv.resp(seq)
					err := f.save(clerk, v.ID, sv.q.ID, int64(seq), choices, text)
					if err != nil {
						errs[i] = err
						return
					}
					acked[i] = seq
					if seq == 3 {
						started <- struct{}{}
					}
				}
			}()
		}
		for range saves {
			<-started
		}
		_, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		wg.Wait()

		answers, err := models.AnswersOf(f.ctx, f.db, v.ID)
		require.NoError(t, err)
		points := 0
		for i, sv := range saves {
			if errs[i] != nil {
				dbtest.RequireConflict(t, errs[i], "attempt", "attempt_submitted")
			}
			a, ok := answers[sv.q.ID]
			require.True(t, ok, "question %s was saved", sv.q.Code)
			require.EqualValues(t, acked[i], a.Seq, "question %s: the last acknowledged save is stored, and no later one", sv.q.Code)
			require.Equal(t, exams.Correct(sv.q, exams.Response{Choices: a.Choices, Text: a.Text}), a.Correct,
				"question %s is graded as stored", sv.q.Code)
			points += a.Points
		}
		require.Equal(t, points, f.attempt(v.ID).Points)
	})
}

func TestSaveRefusals(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		other := f.question(exams.QuestionInput{Kind: models.KindSingle, Category: "ethics", Difficulty: 1,
			Stem: "不在试卷上的题", Options: []string{"a", "b"}, Answer: []int{0}})
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		s1, m1, t1, f1 := bank["S1"].ID, bank["M1"].ID, bank["T1"].ID, bank["F1"].ID

		err := f.save(clerk, v.ID, other.ID, 1, []int{0}, "")
		require.ErrorIs(t, err, models.ErrNotFound, "a question not on the paper")
		err = f.save(clerk, v.ID+1000, s1, 1, []int{0}, "")
		require.ErrorIs(t, err, models.ErrNotFound, "no such attempt")

		dbtest.RequireFieldError(t, f.save(clerk, v.ID, s1, 0, []int{0}, ""), "seq", "out_of_range")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, s1, 1, []int{4}, ""), "choices", "invalid")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, s1, 1, []int{-1}, ""), "choices", "invalid")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, s1, 1, []int{0, 1}, ""), "choices", "one_answer")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, t1, 1, []int{0, 1}, ""), "choices", "one_answer")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, t1, 1, []int{2}, ""), "choices", "invalid")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, f1, 1, []int{0}, "24"), "choices", "invalid")
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, m1, 1, []int{0, 1, 2, 3, 0, 1, 2, 3, 0}, ""), "choices", "invalid")
		long := make([]rune, 201)
		for i := range long {
			long[i] = '字'
		}
		dbtest.RequireFieldError(t, f.save(clerk, v.ID, f1, 1, nil, string(long)), "text", "too_long")
		_, err = f.svc.Save(f.ctx, as("admin"), nil, v.ID, s1, exams.SaveInput{Seq: 1})
		require.ErrorIs(t, err, models.ErrNotFound, "a user without an employee has no attempts")
		require.EqualValues(t, 0, f.count(&models.Answer{}, "attempt_id = ?", v.ID))
		require.EqualValues(t, 0, f.audits("save_answer", "attempt", v.ID))

		// Another employee's attempt does not exist for them, whatever they do.
		_, err = f.svc.View(f.ctx, *f.emp(clerk2), v.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
		err = f.save(clerk2, v.ID, s1, 1, []int{1}, "")
		require.ErrorIs(t, err, models.ErrNotFound)
		_, err = f.svc.Submit(f.ctx, as(clerk2), f.emp(clerk2), v.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
		require.Equal(t, models.AttemptOpen, f.attempt(v.ID).Status)
		require.EqualValues(t, 0, f.count(&models.Answer{}, "attempt_id = ?", v.ID))

		// A submitted attempt takes no more saves.
		require.NoError(t, f.save(clerk, v.ID, s1, 1, []int{1}, ""))
		_, err = f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		dbtest.RequireConflict(t, f.save(clerk, v.ID, s1, 2, []int{0}, ""), "attempt", "attempt_submitted")
	})
}

func TestViewHidesTheKeyUntilSubmittedAndClosed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		in := fixedInput()
		in.ClosesAt = t0.Add(2 * time.Hour)
		e := f.exam(in)
		v, _ := f.start(clerk, e.ID)
		require.NoError(t, f.save(clerk, v.ID, bank["S1"].ID, 1, []int{1}, ""))
		require.NoError(t, f.save(clerk, v.ID, bank["F1"].ID, 1, nil, "24"))

		shownKeys := func(view *exams.AttemptView) []map[string]any {
			doc := jsonOf(t, view)
			var out []map[string]any
			for _, q := range doc["questions"].([]any) {
				out = append(out, q.(map[string]any))
			}
			return out
		}
		view, err := f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		doc := jsonOf(t, view)
		require.NotContains(t, doc, "result")
		for _, q := range shownKeys(view) {
			keys := make([]string, 0, len(q))
			for k := range q {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			require.Equal(t, []string{"answer", "id", "kind", "options", "points", "position", "stem"}, keys,
				"no review, key, accepted answers, explanation or rule before submission")
			// "answer" is the examinee's own saved answer (or null), never the key list.
			if a, ok := q["answer"].(map[string]any); ok {
				require.ElementsMatch(t, []string{"choices", "text", "seq", "saved_at"}, mapKeys(a))
			} else {
				require.Nil(t, q["answer"])
			}
			for _, o := range q["options"].([]any) {
				require.ElementsMatch(t, []string{"id", "text"}, mapKeys(o.(map[string]any)))
			}
		}
		raw := string(mustJSON(t, view))
		for _, secret := range []string{"explanation", "accepted", "review", "服务热线为 10000", "24 小时", "\"rule\""} {
			require.NotContains(t, raw, secret)
		}

		// Submitted: the score at once, the key still not while the window is open.
		f.clock.Add(10 * time.Minute)
		sub, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, &exams.AttemptResult{Points: 20, MaxPoints: 40, Percent: 50, Passed: false}, sub.Result)
		for _, q := range sub.Questions {
			require.Nil(t, q.Review)
		}
		require.NotContains(t, string(mustJSON(t, sub)), "explanation")

		// Once the window has closed the review appears.
		f.clock.Set(in.ClosesAt)
		after, err := f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		rv := f.byCode(after)
		s1, m1 := rv["S1"].Review, rv["M1"].Review
		require.True(t, s1.Correct)
		require.Equal(t, []int{1}, s1.Answer)
		require.Equal(t, "服务热线为 10000。", s1.Explanation)
		require.Equal(t, "R1.2", s1.Rule)
		require.False(t, m1.Correct, "not answered")
		require.Equal(t, []int{0, 2}, m1.Answer)
		require.Equal(t, "公示收费标准与服务热线。", m1.Explanation)
		require.Equal(t, []string{"24"}, rv["F1"].Review.Accepted)
		require.True(t, rv["F1"].Review.Correct)
	})
}

func mapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSaveDeadlineAndGrace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		deadline := v.Deadline
		s1 := bank["S1"].ID

		f.clock.Set(deadline.Add(-time.Second))
		require.NoError(t, f.save(clerk, v.ID, s1, 1, []int{0}, ""), "a second before the deadline")
		f.clock.Set(deadline.Add(10 * time.Second))
		require.NoError(t, f.save(clerk, v.ID, s1, 2, []int{1}, ""), "inside the grace")
		f.clock.Set(deadline.Add(30 * time.Second))
		require.NoError(t, f.save(clerk, v.ID, bank["T1"].ID, 1, []int{0}, ""), "the last instant of the grace")
		f.clock.Set(deadline.Add(30*time.Second + time.Second))
		err := f.save(clerk, v.ID, s1, 3, []int{2}, "")
		dbtest.RequireConflict(t, err, "attempt", "deadline_passed")
		err = f.save(clerk, v.ID, bank["M1"].ID, 1, []int{0, 2}, "")
		dbtest.RequireConflict(t, err, "attempt", "deadline_passed")

		view, err := f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.EqualValues(t, 0, view.SecondsLeft)
		ans := f.byCode(view)
		require.EqualValues(t, 2, ans["S1"].Answer.Seq, "the late save was not stored")
		require.Equal(t, []int{1}, ans["S1"].Answer.Choices)
		require.Nil(t, ans["M1"].Answer)
		require.EqualValues(t, 3, f.audits("save_answer", "attempt", v.ID))
	})
}

func TestSweepAutoSubmitsAtTheDeadline(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		require.NoError(t, f.save(clerk, v.ID, bank["S1"].ID, 1, []int{1}, ""))
		require.NoError(t, f.save(clerk, v.ID, bank["M1"].ID, 1, []int{2, 0}, ""))
		require.NoError(t, f.save(clerk, v.ID, bank["T1"].ID, 1, []int{1}, ""))
		require.NoError(t, f.save(clerk, v.ID, bank["F1"].ID, 1, nil, "２４"))

		// Within the grace a save may still arrive: nothing is swept yet.
		f.clock.Set(v.Deadline.Add(30 * time.Second))
		n, err := f.svc.Sweep(f.ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		require.Equal(t, models.AttemptOpen, f.attempt(v.ID).Status)

		f.clock.Add(time.Second)
		n, err = f.svc.Sweep(f.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		a := f.attempt(v.ID)
		require.Equal(t, models.AttemptSubmitted, a.Status)
		require.True(t, a.AutoSubmitted)
		require.NotNil(t, a.SubmittedAt)
		requireTime(t, a.Deadline, *a.SubmittedAt, "dated at the deadline")
		require.Nil(t, a.OpenKey)
		require.Equal(t, 30, a.Points)
		require.Equal(t, 40, a.MaxPoints)
		require.True(t, a.Passed)
		var graded []models.Answer
		require.NoError(t, f.db.Where("attempt_id = ?", v.ID).Order("question_id").Find(&graded).Error)
		require.Len(t, graded, 4)
		for _, g := range graded {
			wantRight := g.QuestionID != bank["T1"].ID
			require.Equal(t, wantRight, g.Correct, "question %d", g.QuestionID)
			require.Equal(t, map[bool]int{true: 10, false: 0}[wantRight], g.Points)
		}
		require.EqualValues(t, 1, f.audits("auto_submit", "attempt", v.ID))

		n, err = f.svc.Sweep(f.ctx)
		require.NoError(t, err)
		require.Zero(t, n, "a second sweep closes nothing")
		require.EqualValues(t, 1, f.audits("auto_submit", "attempt", v.ID))

		// The examinee's late submit sees the same result and writes nothing.
		sub, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.True(t, sub.AutoSubmitted)
		require.Equal(t, &exams.AttemptResult{Points: 30, MaxPoints: 40, Percent: 75, Passed: true}, sub.Result)
		require.EqualValues(t, 0, f.audits("submit", "attempt", v.ID))
	})
}

func TestParallelSweepsCloseEachAttemptOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		var ids []uint
		for _, job := range []string{clerk, clerk2, clerk3, manager, jiujiang} {
			v, created := f.start(job, e.ID)
			require.True(t, created)
			require.NoError(t, f.save(job, v.ID, bank["S1"].ID, 1, []int{1}, ""))
			ids = append(ids, v.ID)
			f.clock.Add(time.Second)
		}
		f.clock.Add(time.Hour)

		const sweepers = 4
		var wg sync.WaitGroup
		closed := make([]int, sweepers)
		errs := make([]error, sweepers)
		for i := range sweepers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				closed[i], errs[i] = f.svc.Sweep(f.ctx)
			}()
		}
		wg.Wait()
		total := 0
		for i := range sweepers {
			require.NoError(t, errs[i])
			total += closed[i]
		}
		require.Equal(t, len(ids), total, "each attempt closed by exactly one sweeper")
		for _, id := range ids {
			a := f.attempt(id)
			require.Equal(t, models.AttemptSubmitted, a.Status)
			require.Equal(t, 10, a.Points)
			require.EqualValues(t, 1, f.audits("auto_submit", "attempt", id))
		}
	})
}

func TestSubmitGradesOnceAndIsIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		require.NoError(t, f.save(clerk, v.ID, bank["S1"].ID, 1, []int{1}, "")) // right
		require.NoError(t, f.save(clerk, v.ID, bank["M1"].ID, 1, []int{0}, "")) // partial: nothing
		require.NoError(t, f.save(clerk, v.ID, bank["T1"].ID, 1, []int{0}, "")) // right
		require.NoError(t, f.save(clerk, v.ID, bank["F1"].ID, 1, nil, " ２４ "))  // right, full-width

		f.clock.Add(12 * time.Minute)
		first, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, models.AttemptSubmitted, first.Status)
		require.False(t, first.AutoSubmitted)
		requireTime(t, t0.Add(12*time.Minute), *first.SubmittedAt)
		require.Equal(t, &exams.AttemptResult{Points: 30, MaxPoints: 40, Percent: 75, Passed: true}, first.Result)
		require.EqualValues(t, 0, first.SecondsLeft)
		require.EqualValues(t, 1, f.audits("submit", "attempt", v.ID))

		// A retry a minute later, and a burst of retries at once: the same result.
		f.clock.Add(time.Minute)
		second, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, first, second)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		require.EqualValues(t, 1, f.audits("submit", "attempt", v.ID), "one submit audit row")
		require.EqualValues(t, 0, f.audits("auto_submit", "attempt", v.ID))

		// A paper below the pass mark.
		v2, _ := f.start(clerk2, e.ID)
		require.NoError(t, f.save(clerk2, v2.ID, bank["S1"].ID, 1, []int{1}, ""))
		require.NoError(t, f.save(clerk2, v2.ID, bank["M1"].ID, 1, []int{0, 1, 2}, "")) // superset: nothing
		res, err := f.svc.Submit(f.ctx, as(clerk2), f.emp(clerk2), v2.ID)
		require.NoError(t, err)
		require.Equal(t, &exams.AttemptResult{Points: 10, MaxPoints: 40, Percent: 25, Passed: false}, res.Result)
		require.False(t, f.attempt(v2.ID).Passed)

		// An empty paper scores nothing.
		v3, _ := f.start(clerk3, e.ID)
		res, err = f.svc.Submit(f.ctx, as(clerk3), f.emp(clerk3), v3.ID)
		require.NoError(t, err)
		require.Equal(t, &exams.AttemptResult{Points: 0, MaxPoints: 40, Percent: 0, Passed: false}, res.Result)

		_, err = f.svc.Submit(f.ctx, as("admin"), nil, v.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "a user without an employee has no attempts")
	})
}

// A manual submit after the deadline (inside the grace) is dated at the deadline.
func TestLateManualSubmitIsDatedAtTheDeadline(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		f.clock.Set(v.Deadline.Add(5 * time.Second))
		sub, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		requireTime(t, v.Deadline, *sub.SubmittedAt)
		require.False(t, sub.AutoSubmitted)
	})
}

func TestAttemptsAllowedAndExtraAttempts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		in := fixedInput()
		in.AttemptsAllowed = 1
		e := f.exam(in)
		v, _ := f.start(clerk, e.ID)
		_, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		_, _, err = f.svc.Start(f.ctx, as(clerk), f.emp(clerk), e.ID)
		dbtest.RequireConflict(t, err, "exam", "no_attempts_left")

		// An override needs a reason and sane numbers.
		_, err = f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID, exams.OverrideInput{EmployeeID: *f.emp(clerk), ExtraAttempts: 1, Reason: "  "})
		dbtest.RequireFieldError(t, err, "reason", "required")
		_, err = f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID, exams.OverrideInput{EmployeeID: *f.emp(clerk), ExtraAttempts: -1, Reason: "补考"})
		dbtest.RequireFieldError(t, err, "extra_attempts", "out_of_range")
		_, err = f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID, exams.OverrideInput{EmployeeID: 999999, ExtraAttempts: 1, Reason: "补考"})
		dbtest.RequireFieldError(t, err, "employee_id", "not_found")
		_, err = f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID+1000, exams.OverrideInput{EmployeeID: *f.emp(clerk), ExtraAttempts: 1, Reason: "补考"})
		require.ErrorIs(t, err, models.ErrNotFound)
		require.EqualValues(t, 0, f.audits("override", "exam", e.ID))

		o, err := f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID, exams.OverrideInput{EmployeeID: *f.emp(clerk), ExtraAttempts: 1, Reason: " 病假补考 "})
		require.NoError(t, err)
		require.Equal(t, "病假补考", o.Reason)
		require.EqualValues(t, 1, f.audits("override", "exam", e.ID))
		v2, created := f.start(clerk, e.ID)
		require.True(t, created)
		require.Equal(t, 2, v2.Number)
		_, err = f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v2.ID)
		require.NoError(t, err)
		_, _, err = f.svc.Start(f.ctx, as(clerk), f.emp(clerk), e.ID)
		dbtest.RequireConflict(t, err, "exam", "no_attempts_left")

		// Replacing the override keeps one row per person and exam.
		_, err = f.svc.SetOverride(f.ctx, trainer, models.ScopeAll, e.ID, exams.OverrideInput{EmployeeID: *f.emp(clerk), ExtraAttempts: 2, Reason: "再补考"})
		require.NoError(t, err)
		require.EqualValues(t, 1, f.count(&models.ExamOverride{}, "exam_id = ?", e.ID))
		v3, created := f.start(clerk, e.ID)
		require.True(t, created)
		require.Equal(t, 3, v3.Number)

		// The override is personal: a colleague still has one attempt.
		v4, created := f.start(clerk2, e.ID)
		require.True(t, created)
		_, err = f.svc.Submit(f.ctx, as(clerk2), f.emp(clerk2), v4.ID)
		require.NoError(t, err)
		_, _, err = f.svc.Start(f.ctx, as(clerk2), f.emp(clerk2), e.ID)
		dbtest.RequireConflict(t, err, "exam", "no_attempts_left")
	})
}

func TestCoolingOff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		in := fixedInput()
		in.CoolOffMinutes = 60
		e := f.exam(in)
		v, _ := f.start(clerk, e.ID)
		f.clock.Add(10 * time.Minute)
		submittedAt := f.clock.Now()
		_, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)

		f.clock.Set(submittedAt.Add(59*time.Minute + 59*time.Second))
		_, _, err = f.svc.Start(f.ctx, as(clerk), f.emp(clerk), e.ID)
		dbtest.RequireConflict(t, err, "exam", "cooling_off")
		require.EqualValues(t, 1, f.count(&models.Attempt{}, "exam_id = ?", e.ID))

		f.clock.Set(submittedAt.Add(60 * time.Minute))
		v2, created := f.start(clerk, e.ID)
		require.True(t, created)
		require.Equal(t, 2, v2.Number)
	})
}

// An overdue attempt the sweep has not reached yet is closed when its owner starts
// again, dated at its deadline, before the new one begins.
func TestStartClosesAnOverdueAttemptFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v, _ := f.start(clerk, e.ID)
		require.NoError(t, f.save(clerk, v.ID, bank["S1"].ID, 1, []int{1}, ""))
		f.clock.Set(v.Deadline.Add(time.Hour))
		v2, created := f.start(clerk, e.ID)
		require.True(t, created)
		require.NotEqual(t, v.ID, v2.ID)
		require.Equal(t, 2, v2.Number)
		old := f.attempt(v.ID)
		require.Equal(t, models.AttemptSubmitted, old.Status)
		require.True(t, old.AutoSubmitted)
		requireTime(t, old.Deadline, *old.SubmittedAt)
		require.Equal(t, 10, old.Points)
		require.EqualValues(t, 1, f.audits("auto_submit", "attempt", v.ID))
	})
}

func TestRetakePrefersUnseenQuestions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.singles("X", "ethics", 2, 5)
		in := fixedInput()
		in.Fixed = nil
		in.Blueprint = []models.BlueprintRule{{Category: "ethics", Count: 3, Points: 5}}
		e := f.exam(in)

		// The fixed random source would draw the same paper twice; the retake must not.
		first, _ := f.start(clerk, e.ID)
		_, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), first.ID)
		require.NoError(t, err)
		second, created := f.start(clerk, e.ID)
		require.True(t, created)
		seen := map[string]bool{}
		for c := range f.byCode(first) {
			seen[c] = true
		}
		var again []string
		for c := range f.byCode(second) {
			if seen[c] {
				again = append(again, c)
			}
		}
		require.Len(t, second.Questions, 3)
		require.Len(t, again, 1, "both unseen questions are drawn, and one seen one to fill the paper")

		// Someone else's history does not count.
		other, _ := f.start(clerk2, e.ID)
		require.Equal(t, first.Questions, other.Questions, "same seed, no history: the same paper")
	})
}

func TestStartOutsideTheWindowOrAudience(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()

		in := fixedInput()
		in.OpensAt, in.ClosesAt = t0.Add(time.Hour), t0.Add(2*time.Hour)
		later := f.exam(in)
		_, _, err := f.svc.Start(f.ctx, as(clerk), f.emp(clerk), later.ID)
		dbtest.RequireConflict(t, err, "exam", "exam_not_open")
		f.clock.Set(in.ClosesAt.Add(-time.Second))
		v, created := f.start(clerk, later.ID)
		require.True(t, created)
		requireTime(t, in.ClosesAt, v.Deadline)
		f.clock.Set(in.ClosesAt)
		_, _, err = f.svc.Start(f.ctx, as(clerk2), f.emp(clerk2), later.ID)
		dbtest.RequireConflict(t, err, "exam", "exam_closed")
		// The attempt begun a second before the close can still be resumed and saved.
		again, created := f.start(clerk, later.ID)
		require.False(t, created)
		require.Equal(t, v.ID, again.ID)
		f.clock.Set(t0)

		draft, err := f.svc.CreateExam(f.ctx, trainer, fixedInput())
		require.NoError(t, err)
		_, _, err = f.svc.Start(f.ctx, as(clerk), f.emp(clerk), draft.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "a draft cannot be started")
		_, _, err = f.svc.Start(f.ctx, as(clerk), f.emp(clerk), draft.ID+1000)
		require.ErrorIs(t, err, models.ErrNotFound)

		in = fixedInput()
		in.Positions = []string{models.PositionWindow}
		windows := f.exam(in)
		_, _, err = f.svc.Start(f.ctx, as(manager), f.emp(manager), windows.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "a manager is not a window clerk")
		f.start(clerk, windows.ID)

		in = fixedInput()
		in.OrgUnitIDs = []uint{f.unit("360102")}
		donghu := f.exam(in)
		_, _, err = f.svc.Start(f.ctx, as(jiujiang), f.emp(jiujiang), donghu.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "濂溪区 is outside 东湖区")
		f.start(clerk, donghu.ID)   // an outlet inside the branch
		f.start(manager, donghu.ID) // the branch itself

		in = fixedInput()
		in.OrgUnitIDs = []uint{f.unit("360102-01")}
		outlet := f.exam(in)
		_, _, err = f.svc.Start(f.ctx, as(manager), f.emp(manager), outlet.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "the parent branch is not inside the outlet")
		f.start(clerk, outlet.ID)

		require.EqualValues(t, 0, f.count(&models.Attempt{}, "employee_id = ? AND exam_id IN ?", *f.emp(manager), []uint{windows.ID, outlet.ID}))
		require.EqualValues(t, 0, f.count(&models.Attempt{}, "employee_id = ?", *f.emp(jiujiang)))
	})
}
