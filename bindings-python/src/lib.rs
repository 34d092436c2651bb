//! `dealscore._dealscore`: the native half of the `dealscore` Python package.
//!
//! Each function converts its input, calls one core function with the GIL released, and maps the
//! error. Results leave as the core's serde shape (plain dicts and lists); the pure-Python half
//! (`python/dealscore/`) wraps them in typed objects whose `to_dict()` gives that shape back.
// The pyo3 macros expand to unsafe FFI code.
#![allow(unsafe_code)]
// Arguments arrive from Python as owned values (pyo3 cannot lend a `&[String]` or a `&Path`).
#![allow(clippy::needless_pass_by_value)]

mod convert;
mod error;
mod frame;
mod qa;
mod scorer;

use std::num::NonZeroUsize;
use std::path::PathBuf;

use dealscore::api::{BacktestRequest, FitRequest, ReportRequest, ScoreRequest, json_call};
use dealscore::{Activity, BacktestOptions, Deal, FitOptions, ModelSet, StaleBasis, StaleOptions};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PySchema, PyTable};

use crate::convert::{date, from_py, json, models, to_py};
use crate::error::Result;

/// A validated scoring model, or a named set of them (deals pick one with `model`).
#[pyclass(frozen, module = "dealscore")]
#[derive(Debug)]
pub struct Model {
    pub(crate) inner: ModelSet,
}

#[pymethods]
impl Model {
    /// The embedded default model.
    #[staticmethod]
    fn default() -> Model {
        Model { inner: models(None) }
    }

    #[staticmethod]
    fn from_toml(text: &str) -> Result<Model> {
        Ok(Model { inner: ModelSet::from_toml(text)? })
    }

    #[staticmethod]
    fn from_json(text: &str) -> Result<Model> {
        Ok(Model { inner: ModelSet::from_json(text)? })
    }

    /// A model or model set (`{"default": …, "models": {…}}`) as a dict.
    #[staticmethod]
    fn from_dict(value: &Bound<'_, PyAny>) -> Result<Model> {
        Ok(Model { inner: ModelSet::from_json(&convert::json_text(value, "$")?)? })
    }

    /// Reads a `.json` file as JSON and anything else as TOML.
    #[staticmethod]
    fn from_file(path: PathBuf) -> Result<Model> {
        let text = std::fs::read_to_string(&path)?;
        let json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Ok(Model { inner: if json { ModelSet::from_json(&text)? } else { ModelSet::from_toml(&text)? } })
    }

    /// The model (or model set) as a dict, every default filled in.
    fn to_dict<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        to_py(py, &self.inner.to_value())
    }

    /// Name of the model deals use when they name none.
    #[getter]
    fn default_name(&self) -> &str {
        self.inner.default_name()
    }

    /// Model names, sorted.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.inner.names().map(str::to_owned).collect()
    }

    fn __repr__(&self) -> String {
        format!("Model(default={:?}, names={:?})", self.inner.default_name(), self.names())
    }

    /// Pickles as its JSON text (so a model can travel to Spark workers).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let text = self.inner.to_value().to_string();
        Ok((py.get_type::<Model>().getattr("from_json")?, PyTuple::new(py, [text])?))
    }
}

/// The `model` argument: a `Model`, or the embedded default.
type ModelArg<'a, 'py> = Option<&'a Bound<'py, Model>>;

fn set(model: ModelArg<'_, '_>) -> ModelSet {
    models(model.map(Bound::get))
}

#[pyfunction]
#[pyo3(signature = (activities, deals, as_of, model=None))]
fn score<'py>(
    py: Python<'py>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    as_of: &str,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    batch_call(py, activities, deals, as_of, model, dealscore::score_all)
}

#[pyfunction]
#[pyo3(signature = (activities, deals, as_of, model=None))]
fn explain<'py>(
    py: Python<'py>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    as_of: &str,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    batch_call(py, activities, deals, as_of, model, dealscore::explain)
}

/// Reads the arguments every batch call takes, runs `call` with the GIL released, and returns
/// its result as Python objects.
fn batch_call<'py, T: serde::Serialize + Send>(
    py: Python<'py>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    as_of: &str,
    model: ModelArg<'_, '_>,
    call: fn(&ModelSet, &[Deal], &[Activity], dealscore::Date) -> dealscore::Result<T>,
) -> Result<Bound<'py, PyAny>> {
    let (models, deals, activities, as_of) =
        (set(model), deals_arg(deals)?, acts_arg(activities)?, date(as_of, "as_of")?);
    let out = py.detach(|| call(&models, &deals, &activities, as_of))?;
    to_py(py, &out)
}

#[pyfunction]
#[pyo3(signature = (activity, deal_model=None, model=None))]
fn explain_activity<'py>(
    py: Python<'py>,
    activity: &Bound<'py, PyAny>,
    deal_model: Option<&str>,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    let (models, activity) = (set(model), from_py::<Activity>(activity, "activity")?);
    to_py(py, &dealscore::explain_activity(&models, deal_model, &activity)?)
}

#[pyfunction]
#[pyo3(signature = (activities, deals, as_of, days=None, basis="contact", model=None))]
fn stale<'py>(
    py: Python<'py>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    as_of: &str,
    days: Option<u32>,
    basis: &str,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    let (models, deals, activities, as_of) =
        (set(model), deals_arg(deals)?, acts_arg(activities)?, date(as_of, "as_of")?);
    let basis: StaleBasis = dealscore::from_value(serde_json::Value::String(basis.to_owned()))
        .map_err(|e| dealscore::Error::InvalidInput { path: "basis".into(), message: e.to_string() })?;
    let out = py.detach(|| dealscore::stale(&models, &deals, &activities, as_of, StaleOptions { days, basis }))?;
    to_py(py, &out)
}

#[pyfunction]
#[pyo3(signature = (deal, as_of, model=None))]
fn quality<'py>(
    py: Python<'py>,
    deal: &Bound<'py, PyAny>,
    as_of: &str,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    let (models, deal, as_of) = (set(model), from_py::<Deal>(deal, "deal")?, date(as_of, "as_of")?);
    to_py(py, &dealscore::quality(&models, &deal, as_of)?)
}

#[pyfunction]
#[pyo3(signature = (deal, done, model=None))]
fn next_steps<'py>(
    py: Python<'py>,
    deal: &Bound<'py, PyAny>,
    done: Vec<String>,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    let (models, deal) = (set(model), from_py::<Deal>(deal, "deal")?);
    to_py(py, &dealscore::next_steps(&models, &deal, &done)?)
}

#[pyfunction]
fn recipients(deal: &Bound<'_, PyAny>, activity: &Bound<'_, PyAny>) -> Result<Vec<String>> {
    let (deal, activity) = (from_py::<Deal>(deal, "deal")?, from_py::<Activity>(activity, "activity")?);
    Ok(dealscore::recipients(&deal, &activity)?)
}

#[pyfunction]
#[pyo3(signature = (report, activities, deals, as_of, deal=None, model=None))]
fn on_report<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    as_of: &str,
    deal: Option<String>,
    model: ModelArg<'_, '_>,
) -> Result<Bound<'py, PyAny>> {
    let request = ReportRequest {
        model: None,
        deals: deals_arg(deals)?,
        deal,
        activities: acts_arg(activities)?,
        report: from_py(report, "report")?,
        as_of: date(as_of, "as_of")?,
    };
    let models = set(model);
    let out = py.detach(|| request.run(&models))?;
    to_py(py, &out)
}

/// JSON text in (a `ScoreRequest`: `{model?, deals?, activities, as_of}`), the core's JSON text out.
#[pyfunction]
#[pyo3(signature = (request, model=None))]
fn score_json(py: Python<'_>, request: &str, model: ModelArg<'_, '_>) -> Result<String> {
    let models = set(model);
    Ok(py.detach(|| dealscore::api::score_json(request.as_bytes(), &models))?)
}

#[pyfunction]
#[pyo3(signature = (request, model=None))]
fn explain_json(py: Python<'_>, request: &str, model: ModelArg<'_, '_>) -> Result<String> {
    let models = set(model);
    Ok(py.detach(|| json_call(request, |r: &ScoreRequest| r.explain(&models)))?)
}

/// `request` may also carry `days` and `basis`.
#[pyfunction]
#[pyo3(signature = (request, model=None))]
fn stale_json(py: Python<'_>, request: &str, model: ModelArg<'_, '_>) -> Result<String> {
    let models = set(model);
    Ok(py.detach(|| json_call(request, |r: &ScoreRequest| r.stale(&models)))?)
}

/// `fit_scorecard` on a JSON request (`{table, labels, options?, test?}`), the core's JSON out.
#[pyfunction]
fn fit_scorecard_json(py: Python<'_>, request: &str) -> Result<String> {
    Ok(py.detach(|| json_call(request, dealscore::api::ScorecardRequest::run))?)
}

/// `fit_scorecard` on row-major values: `labels` as floats (0/1 or -1/1), or as 0/1 read as
/// booleans when `bool_labels`; the test table likewise. Returns the scorecard's JSON text.
#[pyfunction]
#[pyo3(signature = (columns, values, labels, bool_labels, k, lb, ub, test_values=None, test_labels=None))]
#[allow(clippy::too_many_arguments)]
fn fit_scorecard_values(
    py: Python<'_>,
    columns: Vec<String>,
    values: Vec<f64>,
    labels: Vec<f64>,
    bool_labels: bool,
    k: usize,
    lb: i64,
    ub: i64,
    test_values: Option<Vec<f64>>,
    test_labels: Option<Vec<f64>>,
) -> Result<String> {
    let label = |v: &f64| if bool_labels { dealscore::Label::Bool(*v != 0.0) } else { dealscore::Label::Number(*v) };
    let labels: Vec<dealscore::Label> = labels.iter().map(label).collect();
    let test_labels: Option<Vec<dealscore::Label>> = test_labels.map(|t| t.iter().map(label).collect());
    let options = dealscore::ScorecardOptions { k, lb, ub };
    py.detach(|| {
        let train = dealscore::ScorecardTable { columns: &columns, values: &values, labels: &labels };
        let test = match (&test_values, &test_labels) {
            (Some(v), Some(l)) => Some(dealscore::ScorecardTable { columns: &columns, values: v, labels: l }),
            _ => None,
        };
        let card = dealscore::fit_scorecard(train, test, &options)?;
        Ok(serde_json::to_string(&card).expect("a scorecard serialises"))
    })
}

/// `(b + Σ points × x) / m` per row of row-major `values` for a scorecard's JSON text.
#[pyfunction]
fn scorecard_decision(py: Python<'_>, card: &str, columns: Vec<String>, values: Vec<f64>) -> Result<Vec<f64>> {
    let card: dealscore::Scorecard = dealscore::from_json(card)?;
    Ok(py.detach(|| card.decision(&columns, &values))?)
}

/// `P(y = 1)` per row, as [`scorecard_decision`].
#[pyfunction]
fn scorecard_probabilities(py: Python<'_>, card: &str, columns: Vec<String>, values: Vec<f64>) -> Result<Vec<f64>> {
    let card: dealscore::Scorecard = dealscore::from_json(card)?;
    Ok(py.detach(|| card.probabilities(&columns, &values))?)
}

/// Scores an Arrow stream (any `__arrow_c_stream__` object) and returns a `pyarrow.Table`.
/// `rows`, when the caller knows it, sizes the scorer's buffers once instead of as they fill.
#[pyfunction]
#[pyo3(signature = (activities, deals, as_of, model=None, rows=None, threads=None))]
fn score_frame<'py>(
    py: Python<'py>,
    activities: AnyRecordBatch,
    deals: &Bound<'py, PyAny>,
    as_of: &str,
    model: ModelArg<'_, '_>,
    rows: Option<usize>,
    threads: Option<usize>,
) -> Result<Bound<'py, PyAny>> {
    let (models, deals, as_of, threads) =
        (set(model), deals_arg(deals)?, date(as_of, "as_of")?, threads_arg(rows, threads)?);
    let reader = activities.into_reader()?;
    let batch = py.detach(|| frame::run(reader, &frame::Score(as_of), &models, deals, rows, threads))?;
    let schema = batch.schema();
    Ok(PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)?)
}

/// How many threads a frame may use: by default every core for a frame that knows its length (a
/// table or data frame, in memory already), one for a stream, which more threads would read into
/// memory first.
fn threads_arg(rows: Option<usize>, threads: Option<usize>) -> Result<NonZeroUsize> {
    Ok(match threads {
        None if rows.is_some() => std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
        None => NonZeroUsize::MIN,
        Some(n) => NonZeroUsize::new(n).ok_or_else(|| dealscore::Error::InvalidInput {
            path: "threads".into(),
            message: "must be at least 1".into(),
        })?,
    })
}

/// Backtest (OUTCOMES.md §2–3) of activity and deal records; `options` is
/// `{horizon_days?, as_of?, bins?}`. The core's JSON text out.
#[pyfunction]
#[pyo3(signature = (activities, deals, options, model=None))]
fn backtest<'py>(
    py: Python<'py>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    options: &Bound<'py, PyAny>,
    model: ModelArg<'_, '_>,
) -> Result<String> {
    let (models, deals, activities, options) =
        (set(model), deals_arg(deals)?, acts_arg(activities)?, from_py::<BacktestOptions>(options, "options")?);
    let out = py.detach(|| dealscore::backtest(&models, &deals, &activities, &options))?;
    json(&out)
}

/// [`backtest`] of an Arrow stream of activities (the columns of `score_frame`).
#[pyfunction]
#[pyo3(signature = (activities, deals, options, model=None, rows=None, threads=None))]
fn backtest_frame<'py>(
    py: Python<'py>,
    activities: AnyRecordBatch,
    deals: &Bound<'py, PyAny>,
    options: &Bound<'py, PyAny>,
    model: ModelArg<'_, '_>,
    rows: Option<usize>,
    threads: Option<usize>,
) -> Result<String> {
    let (models, deals, options) = (set(model), deals_arg(deals)?, from_py::<BacktestOptions>(options, "options")?);
    let threads = threads_arg(rows, threads)?;
    let reader = activities.into_reader()?;
    let out = py.detach(|| frame::run(reader, &frame::Backtest(options), &models, deals, rows, threads))?;
    json(&out)
}

/// JSON text in (a `BacktestRequest`: `{model?, deals, activities, horizon_days?, as_of?, bins?}`),
/// the core's JSON text out.
#[pyfunction]
#[pyo3(signature = (request, model=None))]
fn backtest_json(py: Python<'_>, request: &str, model: ModelArg<'_, '_>) -> Result<String> {
    let models = set(model);
    Ok(py.detach(|| json_call(request, |r: &BacktestRequest| r.run(&models)))?)
}

/// Fit (OUTCOMES.md §4) of activity and deal records; `options` is FitOptions' object
/// (`{horizon_days?, as_of?, train_before?, max_points?, max_nonzero?, model?}`). The core's JSON
/// text out.
#[pyfunction]
#[pyo3(signature = (activities, deals, options, model=None))]
fn fit<'py>(
    py: Python<'py>,
    activities: &Bound<'py, PyAny>,
    deals: &Bound<'py, PyAny>,
    options: &Bound<'py, PyAny>,
    model: ModelArg<'_, '_>,
) -> Result<String> {
    let (models, deals, activities, options) =
        (set(model), deals_arg(deals)?, acts_arg(activities)?, from_py::<FitOptions>(options, "options")?);
    let out = py.detach(|| dealscore::fit(&models, &deals, &activities, &options))?;
    json(&out)
}

/// JSON text in (a `FitRequest`: `{model?, deals, activities, options?}`), the core's JSON out.
#[pyfunction]
#[pyo3(signature = (request, model=None))]
fn fit_json(py: Python<'_>, request: &str, model: ModelArg<'_, '_>) -> Result<String> {
    let models = set(model);
    Ok(py.detach(|| json_call(request, |r: &FitRequest| r.run(&models)))?)
}

/// `Backtest::merge` of backtests given as JSON texts (disjoint populations, one snapshot rule).
#[pyfunction]
#[pyo3(signature = (parts, bins=None))]
fn merge_backtests(py: Python<'_>, parts: Vec<String>, bins: Option<i64>) -> Result<String> {
    let bins = bins
        .map(|b| u32::try_from(b).map_err(|_| bad_value("bins", format!("{b} lift groups: give 1 to 100"))))
        .transpose()?;
    let out = py.detach(|| -> Result<String> {
        let parts = parts
            .iter()
            .enumerate()
            .map(|(i, text)| dealscore::from_json(text).map_err(|e| convert::prefixed(e, &format!("parts[{i}]"))))
            .collect::<dealscore::Result<Vec<dealscore::Backtest>>>()?;
        json(&dealscore::Backtest::merge(&parts, bins)?)
    })?;
    Ok(out)
}

fn bad_value(path: &str, message: String) -> dealscore::Error {
    dealscore::Error::InvalidInput { path: path.into(), message }
}

/// The schema of `score_frame`'s result, as a `pyarrow.Schema`.
#[pyfunction]
fn frame_schema(py: Python<'_>) -> Result<Bound<'_, PyAny>> {
    Ok(PySchema::new(frame::output(&[])?.schema()).into_pyarrow(py)?)
}

/// JSON Schema of the model file, as a dict.
#[pyfunction]
fn model_schema(py: Python<'_>) -> Result<Bound<'_, PyAny>> {
    to_py(py, &dealscore::model_schema())
}

/// A free-text job title as the model's alias table sees it (NFKC, lower-case, trimmed).
#[pyfunction]
fn normalize_title(title: &str) -> String {
    dealscore::normalize_title(title).into_owned()
}

fn deals_arg(deals: &Bound<'_, PyAny>) -> Result<Vec<Deal>> {
    from_py(deals, "deals")
}

fn acts_arg(activities: &Bound<'_, PyAny>) -> Result<Vec<Activity>> {
    from_py(activities, "activities")
}

#[pymodule]
fn _dealscore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("DealscoreError", py.get_type::<error::DealscoreError>())?;
    m.add("ModelError", py.get_type::<error::ModelError>())?;
    m.add("InputError", py.get_type::<error::InputError>())?;
    m.add("NotMaintainerError", py.get_type::<error::NotMaintainerError>())?;
    m.add("DEFAULT_MODEL_TOML", dealscore::DEFAULT_MODEL_TOML)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Model>()?;
    m.add_class::<scorer::Scorer>()?;
    m.add_class::<qa::QaIndex>()?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(explain_activity, m)?)?;
    m.add_function(wrap_pyfunction!(stale, m)?)?;
    m.add_function(wrap_pyfunction!(quality, m)?)?;
    m.add_function(wrap_pyfunction!(next_steps, m)?)?;
    m.add_function(wrap_pyfunction!(recipients, m)?)?;
    m.add_function(wrap_pyfunction!(on_report, m)?)?;
    m.add_function(wrap_pyfunction!(score_json, m)?)?;
    m.add_function(wrap_pyfunction!(fit_scorecard_json, m)?)?;
    m.add_function(wrap_pyfunction!(fit_scorecard_values, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_decision, m)?)?;
    m.add_function(wrap_pyfunction!(scorecard_probabilities, m)?)?;
    m.add_function(wrap_pyfunction!(explain_json, m)?)?;
    m.add_function(wrap_pyfunction!(stale_json, m)?)?;
    m.add_function(wrap_pyfunction!(score_frame, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(backtest_frame, m)?)?;
    m.add_function(wrap_pyfunction!(backtest_json, m)?)?;
    m.add_function(wrap_pyfunction!(fit, m)?)?;
    m.add_function(wrap_pyfunction!(fit_json, m)?)?;
    m.add_function(wrap_pyfunction!(merge_backtests, m)?)?;
    m.add_function(wrap_pyfunction!(frame_schema, m)?)?;
    m.add_function(wrap_pyfunction!(model_schema, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_title, m)?)?;
    m.add_function(wrap_pyfunction!(qa::tokenize, m)?)?;
    Ok(())
}
