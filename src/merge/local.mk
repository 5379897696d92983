# src/merge: input checking, merge, conflicts (issue 5).
