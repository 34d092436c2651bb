//! # dealscore-wasm
//!
//! The dealscore core for the browser and Node, through wasm-bindgen. The API mirrors the Node
//! package in camelCase: [`Model`] (`Model.default()`, `Model.fromJson`, `Model.fromObject`; `Model.fromToml`
//! throws `unsupported`: no TOML in the wasm build),
//! `score`, `explain`, `stale`, `quality`, `nextSteps`, `recipients`, `onReport`, the incremental
//! [`Scorer`], Q&A matching ([`QaIndex`], [`tokenize`]), and a JSON-text twin of each operation (`scoreJson` …) whose output is the core's
//! exact JSON text. Inputs and outputs are the snake_case shapes of `docs/model.md`; errors are
//! thrown `Error`s (`TypeError`/`RangeError` where apt) carrying the core's `code`.
//!
//! There is no scoring logic here: each function converts its arguments, calls one core
//! function and converts the result.

// wasm-bindgen hands exports owned values, and an optional argument cannot be borrowed
// (`Option<&JsValue>` is not an ABI type).
#![allow(clippy::needless_pass_by_value)]

mod convert;
mod model;
mod ops;
mod qa;
mod scorer;
mod types;

pub use model::Model;
pub use ops::*;
pub use qa::{QaIndex, tokenize};
pub use scorer::Scorer;
