package exams_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
)

func validSingle() exams.QuestionInput {
	return exams.QuestionInput{Kind: models.KindSingle, Category: "basics", Difficulty: 1, Stem: "营业厅应公示哪类电话？",
		Options: []string{"私人手机", "服务热线和监督电话", "家庭电话"}, Answer: []int{1}, Explanation: "公示制度", Rule: "R1.2"}
}

func validMultiple() exams.QuestionInput {
	return exams.QuestionInput{Kind: models.KindMultiple, Category: "etiquette", Difficulty: 2, Stem: "哪些属于文明用语？",
		Options: []string{"您好", "请稍等", "不知道", "谢谢"}, Answer: []int{3, 0, 1}}
}

func validTrueFalse() exams.QuestionInput {
	return exams.QuestionInput{Kind: models.KindTrueFalse, Category: "ethics", Difficulty: 3, Stem: "可以向客户索要小费。",
		Options: []string{"正确", "错误"}, Answer: []int{1}}
}

func validFill() exams.QuestionInput {
	return exams.QuestionInput{Kind: models.KindFill, Category: "technical", Difficulty: 1, Stem: "故障修复时限为____小时。",
		Accepted: []string{" 24 ", "", "二十四"}}
}

// fieldCodes runs CheckQuestion and returns its errors as "field: code", sorted.
func fieldCodes(in *exams.QuestionInput) []string {
	v := &models.ValidationError{}
	exams.CheckQuestion(v, "", in)
	out := []string{}
	for _, f := range v.Fields {
		out = append(out, f.Field+": "+f.Code)
	}
	slices.Sort(out)
	return out
}

func TestCheckQuestion(t *testing.T) {
	t.Parallel()
	with := func(base func() exams.QuestionInput, edit func(*exams.QuestionInput)) exams.QuestionInput {
		in := base()
		edit(&in)
		return in
	}
	cases := []struct {
		name string
		in   exams.QuestionInput
		want []string
	}{
		{"single valid", validSingle(), nil},
		{"multiple valid", validMultiple(), nil},
		{"truefalse valid", validTrueFalse(), nil},
		{"fill valid", validFill(), nil},
		{"explicit code valid", with(validSingle, func(in *exams.QuestionInput) { in.Code = "ETQ-01_a" }), nil},
		{"code with a space", with(validSingle, func(in *exams.QuestionInput) { in.Code = "Q 1" }), []string{"code: invalid_code"}},
		{"code starting with a dash", with(validSingle, func(in *exams.QuestionInput) { in.Code = "-Q1" }), []string{"code: invalid_code"}},
		{"code of 65 characters", with(validSingle, func(in *exams.QuestionInput) { in.Code = strings.Repeat("a", 65) }), []string{"code: invalid_code"}},
		{"unknown kind", with(validSingle, func(in *exams.QuestionInput) { in.Kind = "essay" }), []string{"kind: invalid_choice"}},
		{"unknown category", with(validSingle, func(in *exams.QuestionInput) { in.Category = "sports" }), []string{"category: invalid_choice"}},
		{"difficulty 0", with(validSingle, func(in *exams.QuestionInput) { in.Difficulty = 0 }), []string{"difficulty: out_of_range"}},
		{"difficulty 4", with(validSingle, func(in *exams.QuestionInput) { in.Difficulty = 4 }), []string{"difficulty: out_of_range"}},
		{"blank stem", with(validSingle, func(in *exams.QuestionInput) { in.Stem = " \n\t " }), []string{"stem: required"}},
		{"stem of 2000 runes", with(validSingle, func(in *exams.QuestionInput) { in.Stem = strings.Repeat("题", 2000) }), nil},
		{"stem of 2001 runes", with(validSingle, func(in *exams.QuestionInput) { in.Stem = strings.Repeat("题", 2001) }), []string{"stem: too_long"}},
		{"explanation of 4001 runes", with(validSingle, func(in *exams.QuestionInput) { in.Explanation = strings.Repeat("解", 4001) }), []string{"explanation: too_long"}},
		{"rule not like R4.1", with(validSingle, func(in *exams.QuestionInput) { in.Rule = "4.1" }), []string{"rule: invalid_rule"}},
		{"rule R4", with(validSingle, func(in *exams.QuestionInput) { in.Rule = "R4" }), nil},
		{"blank option", with(validSingle, func(in *exams.QuestionInput) { in.Options[2] = "  " }), []string{"options[2]: invalid"}},
		{"option of 501 runes", with(validSingle, func(in *exams.QuestionInput) { in.Options[0] = strings.Repeat("选", 501) }), []string{"options[0]: invalid"}},
		{"answer out of range", with(validSingle, func(in *exams.QuestionInput) { in.Answer = []int{3} }), []string{"answer: invalid"}},
		{"negative answer", with(validSingle, func(in *exams.QuestionInput) { in.Answer = []int{-1} }), []string{"answer: invalid"}},
		{"single with one option", with(validSingle, func(in *exams.QuestionInput) { in.Options, in.Answer = []string{"唯一"}, []int{0} }), []string{"options: option_count"}},
		{"single with nine options", with(validSingle, func(in *exams.QuestionInput) {
			in.Options = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}
		}), []string{"options: option_count"}},
		{"single with two answers", with(validSingle, func(in *exams.QuestionInput) { in.Answer = []int{0, 1} }), []string{"answer: one_answer"}},
		{"single with no answer", with(validSingle, func(in *exams.QuestionInput) { in.Answer = nil }), []string{"answer: one_answer"}},
		{"single with a repeated answer", with(validSingle, func(in *exams.QuestionInput) { in.Answer = []int{1, 1} }), []string{"answer: invalid"}},
		{"multiple with two options", with(validMultiple, func(in *exams.QuestionInput) { in.Options, in.Answer = []string{"a", "b"}, []int{0, 1} }), []string{"options: option_count"}},
		{"multiple with one answer", with(validMultiple, func(in *exams.QuestionInput) { in.Answer = []int{2} }), []string{"answer: two_answers"}},
		{"multiple with every option right", with(validMultiple, func(in *exams.QuestionInput) { in.Answer = []int{0, 1, 2, 3} }), nil},
		{"truefalse with two answers", with(validTrueFalse, func(in *exams.QuestionInput) { in.Answer = []int{0, 1} }), []string{"answer: one_answer"}},
		{"truefalse without an answer", with(validTrueFalse, func(in *exams.QuestionInput) { in.Answer = nil }), []string{"answer: one_answer"}},
		{"truefalse with other option words", with(validTrueFalse, func(in *exams.QuestionInput) { in.Options = []string{"对", "错"} }), nil},
		{"truefalse without options", with(validTrueFalse, func(in *exams.QuestionInput) { in.Options = nil }), nil},
		// The key must point into 正确/错误, whatever options were sent.
		{"truefalse key outside 正确/错误", with(validTrueFalse, func(in *exams.QuestionInput) {
			in.Options, in.Answer = []string{"a", "b", "c"}, []int{2}
		}), []string{"answer: invalid"}},
		{"fill with options", with(validFill, func(in *exams.QuestionInput) { in.Options = []string{"24"} }), []string{"options: must_be_empty"}},
		{"fill with only blank accepted answers", with(validFill, func(in *exams.QuestionInput) { in.Accepted = []string{" ", ""} }), []string{"accepted: required"}},
		{"fill without accepted answers", with(validFill, func(in *exams.QuestionInput) { in.Accepted = nil }), []string{"accepted: required"}},
		{"several errors at once", exams.QuestionInput{Kind: "x", Category: "y", Difficulty: 9},
			[]string{"category: invalid_choice", "difficulty: out_of_range", "kind: invalid_choice", "stem: required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			want := c.want
			if want == nil {
				want = []string{}
			}
			require.Equal(t, want, fieldCodes(&in))
		})
	}
}

func TestCheckQuestionNormalizes(t *testing.T) {
	t.Parallel()
	in := validMultiple()
	in.Stem, in.Explanation, in.Rule = "  题干 \n", " 解析 ", " R2.1 "
	in.Options[0] = " 您好 "
	in.Accepted = []string{"stray"}
	require.Empty(t, fieldCodes(&in))
	require.Equal(t, "题干", in.Stem)
	require.Equal(t, "解析", in.Explanation)
	require.Equal(t, "R2.1", in.Rule)
	require.Equal(t, "您好", in.Options[0])
	require.Equal(t, []int{0, 1, 3}, in.Answer, "answer sorted")
	require.Nil(t, in.Accepted, "only fill-in questions keep accepted answers")

	tf := validTrueFalse()
	tf.Options = []string{"对", "错"}
	require.Empty(t, fieldCodes(&tf))
	require.Equal(t, []string{"正确", "错误"}, tf.Options)

	fill := validFill()
	require.Empty(t, fieldCodes(&fill))
	require.Equal(t, []string{"24", "二十四"}, fill.Accepted)

	// The prefix names a nested field (an import row).
	bad := validSingle()
	bad.Difficulty = 0
	v := &models.ValidationError{}
	exams.CheckQuestion(v, "rows[3].", &bad)
	require.Equal(t, "rows[3].difficulty", v.Fields[0].Field)
}

func TestCreateQuestion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		q := f.question(validSingle())
		require.Equal(t, fmt.Sprintf("Q%05d", q.ID), q.Code, "a code is made when none is given")
		require.Equal(t, 1, q.Version)
		require.True(t, q.Latest)
		require.EqualValues(t, 1, f.audits("create", "question", q.ID))
		stored, err := models.GetQuestion(f.ctx, f.db, q.ID)
		require.NoError(t, err)
		require.Equal(t, q.Code, stored.Code)
		require.Equal(t, models.JSONList[string]{"私人手机", "服务热线和监督电话", "家庭电话"}, stored.Options)
		require.Equal(t, models.JSONList[int]{1}, stored.Answer)

		fill := f.question(validFill())
		stored, err = models.GetQuestion(f.ctx, f.db, fill.ID)
		require.NoError(t, err)
		require.Equal(t, models.JSONList[string]{"24", "二十四"}, stored.Accepted)
		require.Empty(t, stored.Options)

		in := validMultiple()
		in.Code = "ETQ-1"
		f.question(in)
		_, err = f.svc.CreateQuestion(f.ctx, trainer, in)
		dbtest.RequireConflict(t, err, "code", "duplicate")

		bad := validSingle()
		bad.Stem = ""
		_, err = f.svc.CreateQuestion(f.ctx, trainer, bad)
		dbtest.RequireFieldError(t, err, "stem", "required")
		require.EqualValues(t, 3, f.count(&models.Question{}, "1 = 1"))
	})
}

// A code typed by a trainer must never block the codes the bank makes itself.
func TestChosenCodesNeverBlockGeneratedOnes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		in := validSingle()
		in.Code = "pending"
		f.question(in)
		q := f.question(validSingle())
		require.Equal(t, fmt.Sprintf("Q%05d", q.ID), q.Code)
		q = f.question(validSingle())
		require.Equal(t, fmt.Sprintf("Q%05d", q.ID), q.Code)
	})
}

func TestUpdateQuestionVersions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		v1 := bank["S1"]

		// Unused: edited in place.
		unused := f.question(validSingle())
		in := validSingle()
		in.Stem = "改过的题干"
		got, err := f.svc.UpdateQuestion(f.ctx, trainer, unused.ID, in)
		require.NoError(t, err)
		require.Equal(t, unused.ID, got.ID)
		require.Equal(t, 1, got.Version)
		stored, err := models.GetQuestion(f.ctx, f.db, unused.ID)
		require.NoError(t, err)
		require.Equal(t, "改过的题干", stored.Stem)
		require.True(t, stored.Latest)
		require.EqualValues(t, 1, f.audits("update", "question", unused.ID))

		// Used by an attempt: the edit becomes version 2, the attempt keeps version 1.
		v, _ := f.start(clerk, e.ID)
		require.NoError(t, f.save(clerk, v.ID, v1.ID, 1, []int{1}, ""))
		edit := exams.QuestionInput{Kind: models.KindSingle, Category: "basics", Difficulty: 1,
			Stem: "单选：服务监督电话是？", Options: []string{"110", "10000", "12345", "10010"}, Answer: []int{3}, Code: "ignored"}
		v2, err := f.svc.UpdateQuestion(f.ctx, trainer, v1.ID, edit)
		require.NoError(t, err)
		require.NotEqual(t, v1.ID, v2.ID)
		require.Equal(t, "S1", v2.Code, "the code of a question never changes")
		require.Equal(t, 2, v2.Version)
		require.True(t, v2.Latest)
		old, err := models.GetQuestion(f.ctx, f.db, v1.ID)
		require.NoError(t, err)
		require.False(t, old.Latest)
		require.Equal(t, "单选：服务热线是？", old.Stem, "version 1 is untouched")
		require.Equal(t, models.JSONList[int]{1}, old.Answer)
		require.EqualValues(t, 1, f.audits("create", "question", v2.ID))
		current, err := models.CurrentQuestions(f.ctx, f.db, "S1")
		require.NoError(t, err)
		require.Len(t, current, 1)
		require.Equal(t, v2.ID, current[0].ID)

		view, err := f.svc.View(f.ctx, *f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, v1.ID, view.Questions[0].ID)
		require.Equal(t, "单选：服务热线是？", view.Questions[0].Stem)
		require.Equal(t, "10000", view.Questions[0].Options[1].Text)

		// Grading uses the version shown: option 1 was right in version 1.
		res, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, 10, res.Result.Points)

		// A new attempt gets version 2.
		nv, _ := f.start(clerk2, e.ID)
		require.Equal(t, v2.ID, nv.Questions[0].ID)
		require.Equal(t, "单选：服务监督电话是？", nv.Questions[0].Stem)

		// Only the latest version can be edited.
		_, err = f.svc.UpdateQuestion(f.ctx, trainer, v1.ID, edit)
		dbtest.RequireConflict(t, err, "id", "not_latest")
		_, err = f.svc.UpdateQuestion(f.ctx, trainer, 999999, edit)
		require.ErrorIs(t, err, models.ErrNotFound)
		bad := edit
		bad.Answer = []int{9}
		_, err = f.svc.UpdateQuestion(f.ctx, trainer, v2.ID, bad)
		dbtest.RequireFieldError(t, err, "answer", "invalid")

		// Editing version 2 (now used) makes version 3.
		edit.Stem = "第三版"
		v3, err := f.svc.UpdateQuestion(f.ctx, trainer, v2.ID, edit)
		require.NoError(t, err)
		require.Equal(t, 3, v3.Version)
		require.EqualValues(t, 3, f.count(&models.Question{}, "code = ?", "S1"))
		require.EqualValues(t, 1, f.count(&models.Question{}, "code = ? AND latest = ?", "S1", true))
	})
}

// Editing an archived question that an attempt used must not bring it back into
// future papers: the new version stays archived, as an edit in place would.
func TestUpdateArchivedQuestionStaysArchived(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		f.start(clerk, e.ID)
		require.NoError(t, f.svc.ArchiveQuestion(f.ctx, trainer, bank["T1"].ID))
		in := validTrueFalse()
		in.Category = "basics"
		next, err := f.svc.UpdateQuestion(f.ctx, trainer, bank["T1"].ID, in)
		require.NoError(t, err)
		require.Equal(t, 2, next.Version)
		require.True(t, next.Archived)
		current, err := models.CurrentQuestions(f.ctx, f.db, "T1")
		require.NoError(t, err)
		require.Empty(t, current)
	})
}

// Trainers adding questions at the same time each get their own generated code.
func TestParallelCreateQuestionsWithGeneratedCodes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		const n = 10
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.CreateQuestion(f.ctx, trainer, validSingle())
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		var qs []models.Question
		require.NoError(t, f.db.Find(&qs).Error)
		require.Len(t, qs, n)
		for _, q := range qs {
			require.Equal(t, fmt.Sprintf("Q%05d", q.ID), q.Code)
		}
	})
}

// Two trainers editing a used version at once: one new version, the others refused
// with a conflict, and still exactly one latest version.
func TestParallelEditsOfAUsedVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		f.start(clerk, e.ID)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := validSingle()
				in.Stem = fmt.Sprintf("编辑 %d", i)
				_, errs[i] = f.svc.UpdateQuestion(f.ctx, trainer, bank["S1"].ID, in)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			require.ErrorIs(t, err, models.ErrConflict)
		}
		require.Equal(t, 1, ok)
		require.EqualValues(t, 2, f.count(&models.Question{}, "code = ?", "S1"))
		require.EqualValues(t, 1, f.count(&models.Question{}, "code = ? AND latest = ?", "S1", true))
	})
}
