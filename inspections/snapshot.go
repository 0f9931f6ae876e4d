package inspections

import "quality/models"

// Snapshot is the items an inspection with template t starts with (the demo data
// builds its inspections with it).
func Snapshot(t *models.ChecklistTemplate) []models.InspectionItem { return snapshot(t) }
