// Package rectifications is what follows a failed inspection item (R7.3 督促整改): the
// rectification's list, export and timeline; its transitions (evidence submitted by the
// branch, verified or rejected by an independent inspector, waived with a reason and an
// approver); and the sweep that reminds the branch before the due date and escalates an
// overdue one to the city company and then to the provincial office, once per level.
//
// It owns every write of a rectification's status. The inspections package imports it
// and, in its own transactions, opens rectifications when an inspection is submitted,
// re-checks one at a follow-up, cancels one whose finding is voided and withdraws the
// open ones of a reopened inspection, all through Service (moves.go); this package never
// imports inspections. The policy and the photo store are leaf packages both use.
package rectifications
