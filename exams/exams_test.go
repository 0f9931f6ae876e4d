package exams_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
)

func TestInAudience(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		exam     models.Exam
		position string
		unit     string
		paths    []string
		want     bool
	}{
		{"no audience: everyone", models.Exam{}, models.PositionOther, "/1/2/", nil, true},
		{"position listed", models.Exam{Positions: []string{"window", "marketing"}}, "marketing", "/1/", nil, true},
		{"position not listed", models.Exam{Positions: []string{"window"}}, "manager", "/1/", nil, false},
		{"unit itself", models.Exam{OrgUnitIDs: []uint{5}}, "window", "/1/5/", []string{"/1/5/"}, true},
		{"unit below", models.Exam{OrgUnitIDs: []uint{5}}, "window", "/1/5/9/12/", []string{"/1/5/"}, true},
		{"unit above", models.Exam{OrgUnitIDs: []uint{5}}, "window", "/1/", []string{"/1/5/"}, false},
		{"sibling unit", models.Exam{OrgUnitIDs: []uint{5}}, "window", "/1/6/", []string{"/1/5/"}, false},
		{"id prefix is not a path prefix", models.Exam{OrgUnitIDs: []uint{5}}, "window", "/1/50/", []string{"/1/5/"}, false},
		{"any of several units", models.Exam{OrgUnitIDs: []uint{5, 7}}, "window", "/1/7/8/", []string{"/1/5/", "/1/7/"}, true},
		{"right unit, wrong position", models.Exam{Positions: []string{"window"}, OrgUnitIDs: []uint{5}}, "installer", "/1/5/", []string{"/1/5/"}, false},
		{"right position, wrong unit", models.Exam{Positions: []string{"window"}, OrgUnitIDs: []uint{5}}, "window", "/1/6/", []string{"/1/5/"}, false},
		// The units could not be loaded: the exam stays closed, never open to all.
		{"units set but none resolved", models.Exam{OrgUnitIDs: []uint{5}}, "window", "/1/6/", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, exams.InAudience(&c.exam, c.position, c.unit, c.paths))
		})
	}
}

func TestCheckExam(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		cases := []struct {
			name        string
			edit        func(*exams.ExamInput)
			field, code string
		}{
			{"blank title", func(in *exams.ExamInput) { in.Title = "  " }, "title", "required"},
			{"unknown kind", func(in *exams.ExamInput) { in.Kind = "quiz" }, "kind", "invalid_choice"},
			{"neither blueprint nor fixed", func(in *exams.ExamInput) { in.Fixed = nil }, "blueprint", "required"},
			{"both blueprint and fixed", func(in *exams.ExamInput) {
				in.Blueprint = []models.BlueprintRule{{Category: "basics", Count: 1, Points: 1}}
			}, "fixed", "blueprint_or_fixed"},
			{"blueprint category", func(in *exams.ExamInput) {
				in.Fixed, in.Blueprint = nil, []models.BlueprintRule{{Category: "x", Count: 1, Points: 1}}
			}, "blueprint[0].category", "invalid_choice"},
			{"blueprint count 0", func(in *exams.ExamInput) {
				in.Fixed, in.Blueprint = nil, []models.BlueprintRule{{Category: "basics", Count: 1, Points: 1}, {Category: "basics", Points: 1}}
			}, "blueprint[1].count", "out_of_range"},
			{"blueprint difficulty 4", func(in *exams.ExamInput) {
				in.Fixed, in.Blueprint = nil, []models.BlueprintRule{{Category: "basics", Difficulty: 4, Count: 1, Points: 1}}
			}, "blueprint[0].difficulty", "out_of_range"},
			{"blueprint points 0", func(in *exams.ExamInput) {
				in.Fixed, in.Blueprint = nil, []models.BlueprintRule{{Category: "basics", Count: 1}}
			}, "blueprint[0].points", "out_of_range"},
			{"fixed code twice", func(in *exams.ExamInput) { in.Fixed[2].Code = "S1" }, "fixed[2].code", "invalid"},
			{"fixed points 0", func(in *exams.ExamInput) { in.Fixed[1].Points = 0 }, "fixed[1].points", "out_of_range"},
			{"no time limit", func(in *exams.ExamInput) { in.TimeLimitMinutes = 0 }, "time_limit_minutes", "out_of_range"},
			{"closes before it opens", func(in *exams.ExamInput) { in.ClosesAt = in.OpensAt }, "closes_at", "before_opens_at"},
			{"no opening time", func(in *exams.ExamInput) { in.OpensAt = time.Time{} }, "opens_at", "required"},
			{"pass mark 0", func(in *exams.ExamInput) { in.PassPercent = 0 }, "pass_percent", "out_of_range"},
			{"pass mark 101", func(in *exams.ExamInput) { in.PassPercent = 101 }, "pass_percent", "out_of_range"},
			{"negative attempts", func(in *exams.ExamInput) { in.AttemptsAllowed = -1 }, "attempts_allowed", "out_of_range"},
			{"negative cooling-off", func(in *exams.ExamInput) { in.CoolOffMinutes = -1 }, "cool_off_minutes", "out_of_range"},
			{"unknown grading", func(in *exams.ExamInput) { in.Grading = "average" }, "grading", "invalid_choice"},
			{"unknown position", func(in *exams.ExamInput) { in.Positions = []string{"window", "ceo"} }, "positions", "invalid_choice"},
			{"unknown org unit", func(in *exams.ExamInput) { in.OrgUnitIDs = []uint{f.unit("360102"), 999999} }, "org_unit_ids", "not_found"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := fixedInput()
				c.edit(&in)
				_, err := f.svc.CreateExam(f.ctx, trainer, in)
				dbtest.RequireFieldError(t, err, c.field, c.code)
			})
		}
		require.EqualValues(t, 0, f.count(&models.Exam{}, "1 = 1"))
		e, err := f.svc.CreateExam(f.ctx, trainer, fixedInput())
		require.NoError(t, err)
		require.Equal(t, models.ExamDraft, e.Status)
		require.Equal(t, models.GradeHighest, e.Grading, "grading defaults to the highest attempt")
		require.EqualValues(t, 1, f.audits("create", "exam", e.ID))
	})
}

func TestPublishChecksThePool(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.singles("B", "basics", 1, 3)
		f.singles("E", "etiquette", 2, 2)
		archived := f.question(exams.QuestionInput{Kind: models.KindSingle, Category: "etiquette", Difficulty: 2,
			Stem: "已归档", Options: []string{"a", "b"}, Answer: []int{0}})
		require.NoError(t, f.svc.ArchiveQuestion(f.ctx, trainer, archived.ID))
		require.EqualValues(t, 1, f.audits("archive", "question", archived.ID))

		in := fixedInput()
		in.Fixed = nil
		in.Blueprint = []models.BlueprintRule{
			{Category: "basics", Count: 2, Points: 1},
			{Category: "etiquette", Difficulty: 2, Count: 3, Points: 1},
		}
		e, err := f.svc.CreateExam(f.ctx, trainer, in)
		require.NoError(t, err)
		_, err = f.svc.PublishExam(f.ctx, trainer, e.ID)
		dbtest.RequireFieldError(t, err, "blueprint[1].count", "pool_too_small")
		ve := err.(*models.ValidationError)
		require.Equal(t, map[string]any{"want": 3, "got": 2}, ve.Fields[0].Params, "an archived question does not count")
		stored, err := models.GetExam(f.ctx, f.db, e.ID)
		require.NoError(t, err)
		require.Equal(t, models.ExamDraft, stored.Status)
		require.EqualValues(t, 0, f.audits("publish", "exam", e.ID))

		// Overlapping rules: "any basics" must not starve "basics of difficulty 1".
		in.Blueprint = []models.BlueprintRule{
			{Category: "basics", Count: 2, Points: 1},
			{Category: "basics", Difficulty: 1, Count: 1, Points: 1},
		}
		for range 10 { // PublishExam draws with a fresh random source each time
			e2, err := f.svc.CreateExam(f.ctx, trainer, in)
			require.NoError(t, err)
			_, err = f.svc.PublishExam(f.ctx, trainer, e2.ID)
			require.NoError(t, err)
		}

		in = fixedInput()
		in.Fixed = []models.FixedItem{{Code: "B1", Points: 1}, {Code: "GONE", Points: 1}}
		fixed, err := f.svc.CreateExam(f.ctx, trainer, in)
		require.NoError(t, err)
		_, err = f.svc.PublishExam(f.ctx, trainer, fixed.ID)
		dbtest.RequireFieldError(t, err, "fixed", "question_missing")
		in.Fixed[1].Code = archived.Code
		_, err = f.svc.UpdateExam(f.ctx, trainer, fixed.ID, in)
		require.NoError(t, err)
		_, err = f.svc.PublishExam(f.ctx, trainer, fixed.ID)
		dbtest.RequireFieldError(t, err, "fixed", "question_missing")

		// Enough questions: published once, a second publish changes nothing.
		f.singles("EE", "etiquette", 2, 1)
		p, err := f.svc.PublishExam(f.ctx, trainer, e.ID)
		require.NoError(t, err)
		require.Equal(t, models.ExamPublished, p.Status)
		_, err = f.svc.PublishExam(f.ctx, trainer, e.ID)
		require.NoError(t, err)
		require.EqualValues(t, 1, f.audits("publish", "exam", e.ID))
		_, err = f.svc.PublishExam(f.ctx, trainer, 999999)
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

func TestExamStructureFreezesOnceAttempted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		in := fixedInput()
		e := f.exam(in)

		// Before any attempt, anything may change.
		in.TimeLimitMinutes = 45
		_, err := f.svc.UpdateExam(f.ctx, trainer, e.ID, in)
		require.NoError(t, err)
		require.EqualValues(t, 1, f.audits("update", "exam", e.ID))

		f.start(clerk, e.ID)
		structural := []struct {
			name string
			edit func(*exams.ExamInput)
		}{
			{"time limit", func(in *exams.ExamInput) { in.TimeLimitMinutes = 60 }},
			{"paper", func(in *exams.ExamInput) { in.Fixed = in.Fixed[:3] }},
			{"points", func(in *exams.ExamInput) { in.Fixed[0].Points = 20 }},
			{"pass mark", func(in *exams.ExamInput) { in.PassPercent = 80 }},
			{"opening time", func(in *exams.ExamInput) { in.OpensAt = in.OpensAt.Add(time.Minute) }},
			{"shuffling", func(in *exams.ExamInput) { in.ShuffleOptions = true }},
			{"audience", func(in *exams.ExamInput) { in.Positions = []string{models.PositionWindow} }},
			{"cooling-off", func(in *exams.ExamInput) { in.CoolOffMinutes = 10 }},
		}
		for _, c := range structural {
			t.Run(c.name, func(t *testing.T) {
				next := fixedInput()
				next.TimeLimitMinutes = 45
				c.edit(&next)
				_, err := f.svc.UpdateExam(f.ctx, trainer, e.ID, next)
				dbtest.RequireConflict(t, err, "id", "exam_frozen")
			})
		}
		require.EqualValues(t, 1, f.audits("update", "exam", e.ID), "refused updates leave no audit row")

		// The title, the closing time and the attempts allowed may still change; the
		// input is the same shape the exam was created from.
		next := fixedInput()
		next.TimeLimitMinutes = 45
		next.Title = "服务规范考试（补）"
		next.ClosesAt = in.ClosesAt.Add(48 * time.Hour)
		next.AttemptsAllowed = 3
		got, err := f.svc.UpdateExam(f.ctx, trainer, e.ID, next)
		require.NoError(t, err)
		require.Equal(t, "服务规范考试（补）", got.Title)
		stored, err := models.GetExam(f.ctx, f.db, e.ID)
		require.NoError(t, err)
		require.Equal(t, "服务规范考试（补）", stored.Title)
		requireTime(t, next.ClosesAt, stored.ClosesAt)
		require.Equal(t, 3, stored.AttemptsAllowed)
		require.Equal(t, 45, stored.TimeLimitMinutes)
		require.Equal(t, models.ExamPublished, stored.Status, "an update never unpublishes")
		require.EqualValues(t, 2, f.audits("update", "exam", e.ID))

		_, err = f.svc.UpdateExam(f.ctx, trainer, 999999, next)
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

func TestVisibleAndListVisible(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.standardBank()
		in := fixedInput()
		in.Positions = []string{models.PositionWindow}
		windows := f.exam(in)
		all := f.exam(fixedInput())
		draft, err := f.svc.CreateExam(f.ctx, trainer, fixedInput())
		require.NoError(t, err)
		// Audiences by unit: 东湖区 (above the clerk's outlet) and 濂溪区 (another city).
		in = fixedInput()
		in.OrgUnitIDs = []uint{f.unit("360102")}
		donghu := f.exam(in)
		in = fixedInput()
		in.OrgUnitIDs = []uint{f.unit("360402")}
		lianxi := f.exam(in)

		clerkUser := &models.User{EmployeeID: f.emp(clerk)}
		managerUser := &models.User{EmployeeID: f.emp(manager)}
		noEmployee := &models.User{}
		trainerUser := &models.User{Grants: []models.Grant{{Role: models.RoleTrainer}}}

		list, err := f.svc.ListVisible(f.ctx, clerkUser, models.Page{})
		require.NoError(t, err)
		require.ElementsMatch(t, []uint{windows.ID, all.ID, donghu.ID}, examIDs(list.Items))
		list, err = f.svc.ListVisible(f.ctx, managerUser, models.Page{})
		require.NoError(t, err)
		require.ElementsMatch(t, []uint{all.ID, donghu.ID}, examIDs(list.Items))
		_, err = f.svc.Visible(f.ctx, clerkUser, lianxi.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "an exam for another city's branch")
		list, err = f.svc.ListVisible(f.ctx, noEmployee, models.Page{})
		require.NoError(t, err)
		require.Empty(t, list.Items)
		list, err = f.svc.ListVisible(f.ctx, trainerUser, models.Page{})
		require.NoError(t, err)
		require.ElementsMatch(t, []uint{windows.ID, all.ID, draft.ID, donghu.ID, lianxi.ID}, examIDs(list.Items))

		_, err = f.svc.Visible(f.ctx, managerUser, windows.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
		_, err = f.svc.Visible(f.ctx, clerkUser, draft.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
		got, err := f.svc.Visible(f.ctx, clerkUser, windows.ID)
		require.NoError(t, err)
		require.Equal(t, windows.ID, got.ID)
		_, err = f.svc.Visible(f.ctx, trainerUser, draft.ID)
		require.NoError(t, err)
	})
}

func examIDs(list []models.Exam) []uint {
	out := make([]uint, len(list))
	for i, e := range list {
		out[i] = e.ID
	}
	return out
}
