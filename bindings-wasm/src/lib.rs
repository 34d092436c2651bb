//! dealscore-wasm (work in progress).
