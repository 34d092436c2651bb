//! dealscore-node (work in progress).
