package training_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/training"
)

// fakeClock is a settable clock for a Service.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// courseService is a service on clock in Beijing time that always hands out code 482913.
func courseService(db *gorm.DB, clock *fakeClock) *training.Service {
	return &training.Service{DB: db, Now: clock.Now, Loc: dbtest.Shanghai, NewCode: func() (string, error) { return "482913", nil }}
}

// material is one text material.
var material = []models.Material{{Title: "首问责任制", Text: "首先接触客户的员工负责到底（R2.1）。"}}

// publishedCourse creates and publishes a course.
func publishedCourse(f *fixture, svc *training.Service, title, category, mode string, positions ...string) *models.Course {
	f.t.Helper()
	c, err := svc.CreateCourse(f.ctx, actor, training.CourseInput{Title: title, Category: category, Mode: mode,
		Positions: positions, Materials: material})
	require.NoError(f.t, err)
	c, err = svc.PublishCourse(f.ctx, actor, c.ID)
	require.NoError(f.t, err)
	return c
}

// fieldCodes lists "field:code" of a validation error, or fails.
func fieldCodes(t *testing.T, err error) []string {
	t.Helper()
	var ve *models.ValidationError
	require.ErrorAs(t, err, &ve)
	var out []string
	for _, fe := range ve.Fields {
		out = append(out, fe.Field+":"+fe.Code)
	}
	return out
}

// conflictCode is the code of a conflict error, or fails.
func conflictCode(t *testing.T, err error) string {
	t.Helper()
	var ce *models.ConflictError
	require.ErrorAs(t, err, &ce)
	return ce.Code
}

func TestCourseDraftsAndPublishing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		svc := courseService(db, &fakeClock{time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)})

		_, err := svc.CreateCourse(f.ctx, actor, training.CourseInput{Title: " ", Category: "cooking", Mode: "tv",
			Positions: []string{"pilot"}, Materials: []models.Material{{Title: "x"}, {Title: "y", URL: "javascript:alert(1)"}}})
		assert.Equal(t, []string{"title:required", "category:invalid_choice", "mode:invalid_choice", "positions:invalid_choice",
			"materials[0]:url_or_text", "materials[1].url:invalid"}, fieldCodes(t, err))
		assert.Zero(t, f.count(&models.Course{}))

		c, err := svc.CreateCourse(f.ctx, actor, training.CourseInput{Title: "服务礼仪", Category: models.CourseEtiquette,
			Mode: models.ModeFaceToFace, Positions: []string{models.PositionWindow, models.PositionWindow}})
		require.NoError(t, err)
		assert.Equal(t, models.CourseDraft, c.Status)
		assert.Equal(t, models.JSONList[string]{models.PositionWindow}, c.Positions, "duplicates dropped")

		_, err = svc.PublishCourse(f.ctx, actor, c.ID)
		assert.Equal(t, []string{"materials:required"}, fieldCodes(t, err))

		c, err = svc.UpdateCourse(f.ctx, actor, c.ID, training.CourseInput{Title: "服务礼仪（窗口）", Category: models.CourseEtiquette,
			Mode: models.ModeFaceToFace, Positions: []string{models.PositionWindow}, Materials: []models.Material{{Title: "讲义", URL: "https://example.com/a.pdf"}}})
		require.NoError(t, err)
		assert.Equal(t, "服务礼仪（窗口）", c.Title)
		require.Len(t, c.Materials, 1)

		c, err = svc.PublishCourse(f.ctx, actor, c.ID)
		require.NoError(t, err)
		assert.Equal(t, models.CoursePublished, c.Status)
		require.NotNil(t, c.PublishedAt)

		_, err = svc.UpdateCourse(f.ctx, actor, c.ID, training.CourseInput{Title: "改", Category: models.CourseEtiquette, Mode: models.ModeOnline})
		assert.Equal(t, "course_published", conflictCode(t, err))
		_, err = svc.PublishCourse(f.ctx, actor, c.ID)
		assert.Equal(t, "course_published", conflictCode(t, err))

		// Create, update, publish: one audit event each.
		assert.Equal(t, int64(3), f.count(&models.AuditEvent{}, "entity = ?", "course"))

		// Drafts are hidden from non-editors.
		d, err := svc.CreateCourse(f.ctx, actor, training.CourseInput{Title: "草稿", Category: models.CourseBasics, Mode: models.ModeOnline})
		require.NoError(t, err)
		_, err = svc.GetCourse(f.ctx, false, d.ID)
		assert.ErrorIs(t, err, models.ErrNotFound)
		list, err := svc.ListCourses(f.ctx, false, models.CourseFilter{})
		require.NoError(t, err)
		assert.Equal(t, int64(1), list.Total)
		list, err = svc.ListCourses(f.ctx, true, models.CourseFilter{})
		require.NoError(t, err)
		assert.Equal(t, int64(2), list.Total)
	})
}

func TestSessionsAndAttendance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		clock := &fakeClock{time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
		svc := courseService(db, clock)
		window := f.staff("W1", "360102-01", models.PositionWindow, models.StatusActive)
		window2 := f.staff("W2", "360102-01", models.PositionWindow, models.StatusActive)
		boss := f.staff("M1", "360102", models.PositionManager, models.StatusActive)
		gone := f.staff("L1", "360102-01", models.PositionWindow, models.StatusLeft)
		far := f.staff("W9", "360402-01", models.PositionWindow, models.StatusActive)

		online := publishedCourse(f, svc, "职业道德", models.CourseEthics, models.ModeOnline)
		etiquette := publishedCourse(f, svc, "服务礼仪", models.CourseEtiquette, models.ModeFaceToFace, models.PositionWindow)
		in := training.SessionInput{StartsAt: clock.now, EndsAt: clock.now.Add(2 * time.Hour), Place: "东湖区分公司三楼会议室", OrgUnitID: f.unit("360102").ID}

		_, err := svc.CreateSession(f.ctx, actor, models.ScopeAll, online.ID, in)
		assert.Equal(t, "not_face_to_face", conflictCode(t, err))
		bad := in
		bad.EndsAt, bad.Place, bad.OrgUnitID = in.StartsAt, "", f.unit("360402").ID
		_, err = svc.CreateSession(f.ctx, actor, f.scope("360102"), etiquette.ID, bad)
		assert.Equal(t, []string{"ends_at:ends_before_start", "place:required", "org_unit_id:not_found"}, fieldCodes(t, err))
		sess, err := svc.CreateSession(f.ctx, actor, models.ScopeAll, etiquette.ID, in)
		require.NoError(t, err)

		// The trainer marks: only active employees of the course's positions, in scope.
		for id, want := range map[uint]string{boss: "employee_id:not_target_position", gone: "employee_id:not_active", far: "employee_id:not_found", 999999: "employee_id:not_found"} {
			_, _, err := svc.MarkAttendance(f.ctx, actor, f.scope("360102"), sess.ID, training.AttendanceInput{EmployeeID: id})
			assert.Equal(t, []string{want}, fieldCodes(t, err), "employee %d", id)
		}
		got, created, err := svc.MarkAttendance(f.ctx, actor, f.scope("360102"), sess.ID, training.AttendanceInput{EmployeeID: window})
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, models.AttendanceByTrainer, got.Attendance.Method)
		assert.Equal(t, models.CompletedAttendance, got.Completion.Method)
		again, created, err := svc.MarkAttendance(f.ctx, actor, f.scope("360102"), sess.ID, training.AttendanceInput{EmployeeID: window})
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, got.Attendance.ID, again.Attendance.ID)

		// Self sign-in with a code: wrong, then expired by the clock, then valid after reopening.
		_, _, err = svc.SignIn(f.ctx, actor, &window2, sess.ID, training.SignInInput{Code: "482913"})
		assert.Equal(t, []string{"code:sign_in_code_wrong"}, fieldCodes(t, err), "no code is open yet")
		code, err := svc.OpenSignIn(f.ctx, actor, sess.ID, training.CodeInput{})
		require.NoError(t, err)
		assert.Equal(t, "482913", code.Code)
		assert.Equal(t, clock.now.Add(10*time.Minute), code.ExpiresAt)
		_, _, err = svc.SignIn(f.ctx, actor, &window2, sess.ID, training.SignInInput{Code: "000000"})
		assert.Equal(t, []string{"code:sign_in_code_wrong"}, fieldCodes(t, err))
		clock.now = clock.now.Add(10 * time.Minute)
		_, _, err = svc.SignIn(f.ctx, actor, &window2, sess.ID, training.SignInInput{Code: "482913"})
		assert.Equal(t, []string{"code:sign_in_code_expired"}, fieldCodes(t, err))
		_, err = svc.OpenSignIn(f.ctx, actor, sess.ID, training.CodeInput{Minutes: 5})
		require.NoError(t, err)
		clock.now = clock.now.Add(5*time.Minute - time.Second)
		signed, created, err := svc.SignIn(f.ctx, actor, &window2, sess.ID, training.SignInInput{Code: " 482913 "})
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, models.AttendanceSelf, signed.Attendance.Method)
		_, created, err = svc.SignIn(f.ctx, actor, &window2, sess.ID, training.SignInInput{Code: "482913"})
		require.NoError(t, err)
		assert.False(t, created, "signing in twice keeps the first record")
		_, _, err = svc.SignIn(f.ctx, actor, &boss, sess.ID, training.SignInInput{Code: "482913"})
		assert.Equal(t, "not_target_position", conflictCode(t, err))
		_, _, err = svc.SignIn(f.ctx, actor, nil, sess.ID, training.SignInInput{Code: "482913"})
		assert.Equal(t, "no_employee", conflictCode(t, err))

		assert.Equal(t, int64(2), f.count(&models.Attendance{}))
		assert.Equal(t, int64(2), f.count(&models.Completion{}, "course_id = ? AND method = ?", etiquette.ID, models.CompletedAttendance))
		// Two attendances and two completions; two code openings (the code is not logged).
		assert.Equal(t, int64(2), f.count(&models.AuditEvent{}, "entity = ?", "attendance"))
		assert.Equal(t, int64(2), f.count(&models.AuditEvent{}, "entity = ?", "completion"))
		assert.Equal(t, int64(0), f.count(&models.AuditEvent{}, "summary LIKE ?", "%482913%"))
	})
}

func TestCompleteOnline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		svc := courseService(db, &fakeClock{time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)})
		window := f.staff("W1", "360102-01", models.PositionWindow, models.StatusActive)
		installer := f.staff("I1", "360102", models.PositionInstaller, models.StatusActive)
		online := publishedCourse(f, svc, "窗口业务流程", models.CourseTechnical, models.ModeOnline, models.PositionWindow)
		f2f := publishedCourse(f, svc, "服务礼仪", models.CourseEtiquette, models.ModeFaceToFace)
		draft, err := svc.CreateCourse(f.ctx, actor, training.CourseInput{Title: "草稿", Category: models.CourseBasics, Mode: models.ModeOnline})
		require.NoError(t, err)

		_, _, err = svc.CompleteOnline(f.ctx, actor, &window, draft.ID)
		assert.ErrorIs(t, err, models.ErrNotFound)
		_, _, err = svc.CompleteOnline(f.ctx, actor, &window, f2f.ID)
		assert.Equal(t, "not_online", conflictCode(t, err))
		_, _, err = svc.CompleteOnline(f.ctx, actor, &installer, online.ID)
		assert.Equal(t, "not_target_position", conflictCode(t, err))
		_, _, err = svc.CompleteOnline(f.ctx, actor, nil, online.ID)
		assert.Equal(t, "no_employee", conflictCode(t, err))

		first, created, err := svc.CompleteOnline(f.ctx, actor, &window, online.ID)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, models.CompletedOnline, first.Method)
		assert.Equal(t, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC), first.At.UTC())
		again, created, err := svc.CompleteOnline(f.ctx, actor, &window, online.ID)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, first.ID, again.ID)
		assert.Equal(t, int64(1), f.count(&models.Completion{}))
		assert.Equal(t, int64(1), f.count(&models.AuditEvent{}, "entity = ?", "completion"))
		assert.False(t, errors.Is(err, models.ErrConflict))
	})
}

func TestSignInGuessLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		clock := &fakeClock{time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
		svc := courseService(db, clock) // MaxSignInGuesses 0: the default of 5
		guesser := f.staff("W1", "360102-01", models.PositionWindow, models.StatusActive)
		honest := f.staff("W2", "360102-01", models.PositionWindow, models.StatusActive)
		marked := f.staff("W3", "360102-01", models.PositionWindow, models.StatusActive)
		etiquette := publishedCourse(f, svc, "服务礼仪", models.CourseEtiquette, models.ModeFaceToFace, models.PositionWindow)
		sess, err := svc.CreateSession(f.ctx, actor, models.ScopeAll, etiquette.ID, training.SessionInput{StartsAt: clock.now,
			EndsAt: clock.now.Add(2 * time.Hour), Place: "东湖区分公司三楼会议室", OrgUnitID: f.unit("360102").ID})
		require.NoError(t, err)
		_, err = svc.OpenSignIn(f.ctx, actor, sess.ID, training.CodeInput{})
		require.NoError(t, err)
		as := func(userID uint) models.Actor { return models.Actor{UserID: userID, Username: "u", IP: "10.0.0.8"} }

		// Twenty wrong codes at once from one user: four are answered "wrong", the fifth
		// uses up the last try and the rest are refused without being compared.
		results := make(chan error, 20)
		for i := range 20 {
			go func() {
				_, _, err := svc.SignIn(f.ctx, as(101), &guesser, sess.ID, training.SignInInput{Code: fmt.Sprintf("%06d", i)})
				results <- err
			}()
		}
		wrong, locked := 0, 0
		for range 20 {
			err := <-results
			var ve *models.ValidationError
			var ce *models.ConflictError
			switch {
			case errors.As(err, &ve):
				assert.Equal(t, []string{"code:sign_in_code_wrong"}, fieldCodes(t, err))
				wrong++
			case errors.As(err, &ce):
				assert.Equal(t, "sign_in_locked", ce.Code)
				locked++
			default:
				t.Errorf("unexpected result %v", err)
			}
		}
		assert.Equal(t, 4, wrong)
		assert.Equal(t, 16, locked)
		assert.Equal(t, int64(1), f.count(&models.SignInGuess{}, "session_id = ? AND user_id = ? AND guesses = ?", sess.ID, 101, 5))
		assert.Equal(t, int64(1), f.count(&models.AuditEvent{}, "action = ? AND entity_id = ?", "sign_in_locked", fmt.Sprint(sess.ID)))

		// Even the right code is refused now; another user is not affected.
		_, _, err = svc.SignIn(f.ctx, as(101), &guesser, sess.ID, training.SignInInput{Code: "482913"})
		assert.Equal(t, "sign_in_locked", conflictCode(t, err))
		_, created, err := svc.SignIn(f.ctx, as(102), &honest, sess.ID, training.SignInInput{Code: "482913"})
		require.NoError(t, err)
		assert.True(t, created)

		// A new code gives the tries back.
		_, err = svc.OpenSignIn(f.ctx, actor, sess.ID, training.CodeInput{})
		require.NoError(t, err)
		assert.Equal(t, int64(0), f.count(&models.SignInGuess{}, "session_id = ?", sess.ID))
		_, created, err = svc.SignIn(f.ctx, as(101), &guesser, sess.ID, training.SignInInput{Code: "482913"})
		require.NoError(t, err)
		assert.True(t, created)

		// The bound is the service's setting; once the trainer marks a locked-out
		// employee present, their sign-in answers with that attendance.
		svc.MaxSignInGuesses = 2
		for _, want := range []string{"", "sign_in_locked", "sign_in_locked"} {
			_, _, err = svc.SignIn(f.ctx, as(103), &marked, sess.ID, training.SignInInput{Code: "111111"})
			if want == "" {
				assert.Equal(t, []string{"code:sign_in_code_wrong"}, fieldCodes(t, err))
			} else {
				assert.Equal(t, want, conflictCode(t, err))
			}
		}
		byTrainer, _, err := svc.MarkAttendance(f.ctx, actor, models.ScopeAll, sess.ID, training.AttendanceInput{EmployeeID: marked})
		require.NoError(t, err)
		got, created, err := svc.SignIn(f.ctx, as(103), &marked, sess.ID, training.SignInInput{Code: "111111"})
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, byTrainer.Attendance.ID, got.Attendance.ID)
		assert.Equal(t, int64(2), f.count(&models.AuditEvent{}, "action = ?", "sign_in_locked"))
	})
}
