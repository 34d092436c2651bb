//! dealscore for Node.js: the npm package `dealscore`, built with napi-rs.
//!
//! Every export converts its input, calls one core function and maps the error; plain objects
//! cross as JSON text (see `convert`). The TypeScript shapes of requests and results live in
//! `header.d.ts`, which napi prepends to the generated `index.d.ts`.

// N-API ties every JS value's lifetime to a `&'e Env`, so helpers take the `Env` by reference.
#![allow(clippy::trivially_copy_pass_by_ref)]
// JS strings arrive as owned `String`s (napi cannot lend a `&str` into a JS string).
#![allow(clippy::needless_pass_by_value)]
// napi-derive registers exports outside `cfg(test)` only; in `clippy --all-targets` the test build
// would see every export as unused.
#![cfg_attr(test, allow(dead_code))]

/// Parsing a large batch allocates millions of small strings: mimalloc is much faster at that than
/// the system allocator (benches/node/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod convert;
mod error;
mod model;
mod ops;
mod qa;
mod scorer;
mod tasks;

pub use model::Model;
pub use qa::QaIndex;
pub use scorer::Scorer;
pub use tasks::ScoreTask;
