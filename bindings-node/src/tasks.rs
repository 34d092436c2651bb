//! Scoring off the event loop: the work runs on the libuv thread pool and a Promise settles with
//! the result. Only what needs JS stays on the main thread: `JSON.stringify` of a request object
//! (none for JSON text: a Buffer is read in place) and `JSON.parse` of the reports. Every failure,
//! bad arguments included, rejects the promise rather than throwing.

use std::panic::AssertUnwindSafe;

use dealscore::ModelSet;
use napi::bindgen_prelude::{AbortSignal, AsyncTask, JsValue, Unknown};
use napi::{Env, ScopedTask};
use napi_derive::napi;

use crate::args;
use crate::convert::{Text, parse, stringify};
use crate::error::{INTERNAL, OrThrow, guard, js_error, panic_message};
use crate::model::models;

/// A score request waiting for, or running on, the thread pool.
#[derive(Debug)]
pub struct ScoreTask {
    /// The request, or why it could not be read (reported when the promise settles).
    input: Option<napi::Result<(Text, ModelSet)>>,
    /// Resolve with plain objects (`scoreAsync`) or with the JSON text (`scoreJsonAsync`).
    objects: bool,
}

/// What the pool hands back to the main thread.
#[derive(Debug)]
pub enum Outcome {
    Done(dealscore::Result<String>),
    Rejected(napi::Error),
}

impl<'t> ScopedTask<'t> for ScoreTask {
    type Output = Outcome;
    type JsValue = Unknown<'t>;

    fn compute(&mut self) -> napi::Result<Outcome> {
        let (text, models) = match self.input.take() {
            Some(Ok(input)) => input,
            Some(Err(e)) => return Ok(Outcome::Rejected(e)),
            None => return Err(napi::Error::new(napi::Status::GenericFailure, "a task ran twice".to_owned())),
        };
        let run = || dealscore::api::score_json(text.bytes(), &models);
        // A panic must not unwind through the pool thread's C frames.
        std::panic::catch_unwind(AssertUnwindSafe(run))
            .map(Outcome::Done)
            .map_err(|p| napi::Error::new(napi::Status::GenericFailure, panic_message(&*p)))
    }

    fn resolve(&mut self, env: &'t Env, output: Outcome) -> napi::Result<Unknown<'t>> {
        let text = match output {
            Outcome::Done(result) => result.or_throw(env)?,
            Outcome::Rejected(e) => return Err(e),
        };
        if self.objects { parse(env, &text) } else { Ok(env.create_string(&text)?.to_unknown()) }
    }

    fn reject(&mut self, env: &'t Env, err: napi::Error) -> napi::Result<Unknown<'t>> {
        Err(js_error(env, INTERNAL, &err.reason, None))
    }
}

fn task(env: &Env, objects: bool, read: impl FnOnce() -> napi::Result<(Text, ModelSet)>) -> ScoreTask {
    ScoreTask { input: Some(guard(env, read)), objects }
}

/// `score` on the thread pool: resolves with the reports. Converting the request object still
/// takes the main thread (a `JSON.stringify`); `scoreJsonAsync` with a Buffer avoids even that.
/// An aborted `signal` rejects with an `AbortError` if the work has not started yet.
#[napi(
    ts_args_type = "request: ScoreRequest, model?: Model | null, signal?: AbortSignal | null",
    ts_return_type = "Promise<DealReport[]>"
)]
pub fn score_async(
    env: &Env,
    request: Unknown,
    model: Option<Unknown>,
    signal: Option<AbortSignal>,
) -> AsyncTask<ScoreTask> {
    let task = task(env, true, || {
        let model = args::model(env, model)?;
        Ok((Text::Str(stringify(env, request)?), models(model.as_deref()).clone()))
    });
    AsyncTask::with_optional_signal(task, signal)
}

/// `scoreJson` on the thread pool: resolves with the reports as JSON text. A Buffer or
/// Uint8Array is read in place on the pool: do not modify it until the promise settles.
#[napi(
    ts_args_type = "request: string | Uint8Array, model?: Model | null, signal?: AbortSignal | null",
    ts_return_type = "Promise<string>"
)]
pub fn score_json_async(
    env: &Env,
    request: Unknown,
    model: Option<Unknown>,
    signal: Option<AbortSignal>,
) -> AsyncTask<ScoreTask> {
    let task = task(env, false, || {
        let model = args::model(env, model)?;
        Ok((Text::from_js(env, request)?, models(model.as_deref()).clone()))
    });
    AsyncTask::with_optional_signal(task, signal)
}
