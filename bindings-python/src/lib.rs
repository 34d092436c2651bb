//! dealscore-python (work in progress).
