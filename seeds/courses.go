package seeds

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/training"
)

// Seeded course titles.
const (
	BasicsCourseTitle    = "公司基础知识"
	EtiquetteCourseTitle = "服务礼仪"
	EthicsCourseTitle    = "职业道德"
)

// SeedCourses are the three courses of the standard: company basics for every new hire
// (R8.2), etiquette for frontline staff (R8.3) and ethics for everyone (R8.4).
func SeedCourses() []training.CourseInput {
	return []training.CourseInput{
		{
			Title: BasicsCourseTitle, Category: models.CourseBasics, Mode: models.ModeOnline,
			Materials: []models.Material{
				{Title: "服务项目公示（R1）", Text: "每个营业厅必须在醒目位置公示：公司服务承诺；服务热线和监督电话；" +
					"资费政策、收费标准和收费项目；业务办理流程；本地营业网点的地址和电话；服务人员的照片和工号。"},
				{Title: "首问责任制（R2）", Text: "客户首先接触到的员工即为首问责任人，负责办理或引导客户到承办部门，" +
					"适用于来访、来电、咨询、投诉和业务申请。要热情文明，不得冷漠、推诿、敷衍；资料不全时一次性告知客户全部所缺材料；" +
					"能当场解决的当场解决，不能的要解释、转办、电话联系承办部门并告知地址和流程；疑难、重要、紧急事项立即向领导报告。"},
				{Title: "客服合同制与片区责任（R3）", Text: "维护人员按户数包片：市公司约每人 4,500 户，县分公司约每人 2,000 户。" +
					"各社区、街道公布服务电话、监督电话和责任人照片、工号。片区责任人按月考核投诉率、工单 24 小时响应率和客户满意度，年度汇总；" +
					"片区调整要及时公布。"},
				{Title: "限时办结制（R4）", Text: "一般故障 24 小时内修复，重大故障 72 小时内修复；有网络条件的新装业务城区 5 个工作日、" +
					"农村 10 个工作日内完成；恢复业务 5 个工作日内完成；投诉 3 个工作日内答复。时限自客户手续齐全时起算；" +
					"预约时客户联系不上或不在家的视为按时完成，但须立即书面说明原因；延期须经领导批准；违反时限的按问责制处理。"},
				{Title: "客户回访制（R5）", Text: "报修和投诉工单 100% 在 72 小时内回访，新装业务 100% 回访；回访中发现的问题要整改并向客户说明；" +
					"回访要记录并分析；大客户定期计划回访。"},
			},
		},
		{
			Title: EtiquetteCourseTitle, Category: models.CourseEtiquette, Mode: models.ModeFaceToFace,
			// R8.3: etiquette training for hall/window, installation/maintenance and marketing staff.
			Positions: []string{models.PositionWindow, models.PositionInstaller, models.PositionMarketing},
			Materials: []models.Material{
				{Title: "窗口服务礼仪", Text: "仪容整洁、着装统一、佩戴工号牌；起身迎客、微笑问候、使用文明用语；" +
					"首问负责，一次性告知所需材料；不推诿、不冷落、不与客户争执；送客道别。"},
				{Title: "上门安装维护礼仪", Text: "按预约时间准时上门，无法准时须提前告知；出示工号，穿鞋套，爱护客户物品；" +
					"施工后清理现场，向客户说明使用方法；不收受客户财物，不吸客户的烟。"},
				{Title: "营销服务礼仪", Text: "如实介绍资费和业务，不夸大、不误导、不强行推销；尊重客户选择；做好记录并按时回访。"},
			},
		},
		{
			Title: EthicsCourseTitle, Category: models.CourseEthics, Mode: models.ModeOnline,
			Materials: []models.Material{
				{Title: "职业道德教育（R8.4）", Text: "遵守法律法规和公司制度，诚实守信，廉洁自律，保守客户信息，文明服务，爱岗敬业。"},
				{Title: "问责制（R6）", Text: "违反法律法规或公司制度，违反服务规范损害公司形象，或失职造成客户中不良影响的，要追究责任。" +
					"情节轻微的警告；情节严重造成不良后果的取消评先评优资格；情节特别严重的通报批评、给予行政和经济处罚，并追究主要领导的领导责任。" +
					"打击报复投诉人或调查人、一年内两次及以上、阻碍调查、不执行监督决定的从重；道歉并获客户谅解、有效防止不良后果、" +
					"纠正并挽回全部或大部分损失的从轻或免责。作出处理前必须听取并记录本人的陈述和申辩。"},
			},
		},
	}
}

// LoadCourses creates and publishes the seeded courses and saves the onboarding plan
// (the basics and ethics courses and the onboarding exam, due in 30 days) when no
// course exists yet. It returns the number of courses created.
func LoadCourses(ctx context.Context, db *gorm.DB) (int, error) {
	have, err := models.ListCourses(ctx, db, models.CourseFilter{Page: models.Page{PerPage: 1}})
	if err != nil || have.Total > 0 {
		return 0, err
	}
	svc := training.NewService(db, shanghai())
	var planCourses []uint
	for _, in := range SeedCourses() {
		c, err := svc.CreateCourse(ctx, models.SystemActor, in)
		if err != nil {
			return 0, fmt.Errorf("seed course %s: %w", in.Title, err)
		}
		if _, err := svc.PublishCourse(ctx, models.SystemActor, c.ID); err != nil {
			return 0, fmt.Errorf("publish seed course %s: %w", in.Title, err)
		}
		if in.Title == BasicsCourseTitle || in.Title == EthicsCourseTitle {
			planCourses = append(planCourses, c.ID)
		}
	}
	due := 30
	in := training.PlanInput{DueDays: &due, CourseIDs: &planCourses}
	exams, err := models.ListExams(ctx, db, true, models.Page{PerPage: models.MaxPerPage})
	if err != nil {
		return 0, err
	}
	for _, e := range exams.Items {
		if e.Kind == models.ExamOnboarding && e.Title == OnboardingExamTitle {
			id := e.ID
			in.ExamID = &id
		}
	}
	if _, err := svc.SavePlan(ctx, models.SystemActor, in); err != nil {
		return 0, fmt.Errorf("seed onboarding plan: %w", err)
	}
	return len(SeedCourses()), nil
}

// LoadDemoTraining gives the demo new hires (active, hired within the plan's window
// before now) some of the onboarding plan, unless any completion exists: in job-number
// order, every third finishes every plan course and passes the onboarding exam, every
// third finishes the courses alone, and the rest have done nothing. So the overdue
// list shows both kinds and the finished hires stay off it. Of the staff hired earlier,
// each branch's own share has completed every course meant for them during the demo's
// year (demoVeteranCompletions). It returns the number of completions made.
func LoadDemoTraining(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&models.Completion{}).Count(&n).Error; err != nil || n > 0 {
		return 0, err
	}
	plan, err := models.GetOnboardingPlan(ctx, db)
	if err != nil {
		return 0, err
	}
	courses, err := models.CoursesByID(ctx, db, plan.CourseIDs)
	if err != nil {
		return 0, err
	}
	var exam *models.Exam
	if plan.ExamID != nil {
		if exam, err = models.GetExam(ctx, db, *plan.ExamID); err != nil {
			return 0, err
		}
	}
	pool, err := models.CurrentQuestions(ctx, db)
	if err != nil {
		return 0, err
	}
	from := models.DateOf(now.UTC().AddDate(0, 0, -plan.WindowDays))
	var hires []models.Employee
	err = db.WithContext(ctx).Where("status = ? AND hire_date >= ?", models.StatusActive, from).Order("job_number").Find(&hires).Error
	if err != nil {
		return 0, err
	}
	made := 0
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var events []*models.AuditEvent
		for i, emp := range hires {
			if i%3 == 2 {
				continue
			}
			at := emp.HireDate.Time().Add(3*24*time.Hour + 10*time.Hour)
			for _, c := range courses {
				if !c.For(emp.Position) {
					continue
				}
				comp := &models.Completion{CourseID: c.ID, EmployeeID: emp.ID, At: at, Method: models.CompletedOnline}
				if err := tx.Omit("Course", "Employee").Create(comp).Error; err != nil {
					return err
				}
				made++
				events = append(events, models.NewAuditEvent(models.SystemActor, "seed", "completion", comp.ID,
					map[string]any{"course_id": c.ID, "employee_id": emp.ID}))
			}
			if i%3 == 0 && exam != nil {
				a, err := demoAttempt(ctx, tx, exam, pool, emp, at.Add(24*time.Hour), rand.New(rand.NewPCG(20261127, uint64(i))))
				if err != nil {
					return fmt.Errorf("demo onboarding attempt of %s: %w", emp.JobNumber, err)
				}
				events = append(events, models.NewAuditEvent(models.SystemActor, "seed", "attempt", a.ID,
					map[string]any{"exam_id": exam.ID, "employee_id": emp.ID, "points": a.Points}))
			}
		}
		published := now.UTC().AddDate(0, -demoHistoryMonths, 0)
		veterans, err := demoVeteranCompletions(ctx, tx, from, published, now.UTC())
		if err != nil {
			return err
		}
		if len(veterans) > 0 {
			if err := tx.Omit("Course", "Employee").CreateInBatches(veterans, 500).Error; err != nil {
				return err
			}
			for _, comp := range veterans {
				events = append(events, models.NewAuditEvent(models.SystemActor, "seed", "completion", comp.ID,
					map[string]any{"course_id": comp.CourseID, "employee_id": comp.EmployeeID}))
			}
			made += len(veterans)
		}
		return models.AuditMany(tx, events)
	})
	if err != nil {
		return 0, err
	}
	return made, nil
}
