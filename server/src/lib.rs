//! dealscore-server (work in progress).
