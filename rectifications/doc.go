// Package rectifications is what follows a failed inspection item (R7.3 督促整改): the
// rectification's list, export and timeline; its transitions (evidence submitted by the
// branch, verified or rejected by an independent inspector, waived with a reason and an
// approver); and the sweep that reminds the branch before the due date and escalates an
// overdue one to the city company and then to the provincial office, once per level.
//
// The inspections package opens rectifications when an inspection is submitted; this
// package may import it (for the policy and the photo store), never the other way.
package rectifications
