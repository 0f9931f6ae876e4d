// Package accountability runs 问责 cases (R6) with due process: a case is opened from
// findings or a complaint against named employees; each person's statement and defence
// is heard and recorded (R6.8) before a decision, unless the statement window has
// passed; each decision weighs severity and outcome (R6.5) with aggravating (R6.6) and
// mitigating (R6.7) factors and never changes once made.
package accountability
