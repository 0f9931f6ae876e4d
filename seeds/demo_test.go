package seeds

import (
	"reflect"
	"testing"

	"quality/models"
)

func treeUnits(t *testing.T) []models.OrgUnit {
	t.Helper()
	tree, err := OrgTree()
	if err != nil {
		t.Fatal(err)
	}
	units := make([]models.OrgUnit, len(tree))
	for i, s := range tree {
		units[i] = models.OrgUnit{ID: uint(i + 1), Code: s.Code, Level: s.Level, Households: s.Households}
	}
	return units
}

func TestDemoStaffIsDeterministic(t *testing.T) {
	units := treeUnits(t)
	a, b := DemoStaff(units), DemoStaff(units)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs gave different staff")
	}
	if len(a) < 2000 || len(a) > 5000 {
		t.Fatalf("got %d demo employees, want a few thousand", len(a))
	}
	seen := map[string]bool{}
	positions := map[string]int{}
	for _, e := range a {
		if seen[e.JobNumber] {
			t.Fatalf("job number %s twice", e.JobNumber)
		}
		seen[e.JobNumber] = true
		positions[e.Position]++
	}
	for _, p := range models.Positions {
		if positions[p] == 0 {
			t.Errorf("no demo employee in position %s", p)
		}
	}
}

func TestDemoUsersHaveActiveEmployees(t *testing.T) {
	units := treeUnits(t)
	byJob := map[string]*models.Employee{}
	for _, e := range DemoStaff(units) {
		byJob[e.JobNumber] = e
	}
	code := map[uint]string{}
	for _, u := range units {
		code[u.ID] = u.Code
	}
	for _, du := range DemoUsers {
		e, ok := byJob[du.JobNumber]
		if !ok {
			t.Fatalf("%s: no employee %s", du.Username, du.JobNumber)
		}
		if e.Status != models.StatusActive || code[e.OrgUnitID] != du.UnitCode {
			t.Errorf("%s: employee %s is %s in %s, want active in %s", du.Username, du.JobNumber, e.Status, code[e.OrgUnitID], du.UnitCode)
		}
	}
}
