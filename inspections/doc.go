// Package inspections is the supervision side of the service standard (R1, R2, R6, R7,
// R9): checklist templates and their versions, patrol plans, on-site inspections with
// photos and their scoring, the findings they make, rectifications (整改) with their
// timeline and escalation, and accountability cases (问责) with due process.
package inspections
