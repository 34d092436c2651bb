//! Q&A matching (質疑応答): an immutable BM25 index over question/answer entries.

use dealscore::api::QaRequest;
use dealscore::qa::{QaEntry, QaIndex as CoreIndex, entries_from_csv, entries_from_json, entries_from_jsonl};
use dealscore::{Deal, ModelSet};
use pyo3::prelude::*;

use crate::Model;
use crate::convert::{from_py, models, to_py};
use crate::error::Result;

/// The index and the models whose `qa` settings it uses and whose stages questions name.
#[pyclass(frozen, module = "dealscore._dealscore")]
#[derive(Debug)]
pub struct QaIndex {
    index: CoreIndex,
    models: ModelSet,
}

impl QaIndex {
    fn build(entries: Vec<QaEntry>, model: Option<&Bound<'_, Model>>) -> Result<QaIndex> {
        let models = models(model.map(Bound::get));
        Ok(QaIndex { index: CoreIndex::new(entries, &models.default_model().qa)?, models })
    }
}

#[pymethods]
impl QaIndex {
    #[new]
    #[pyo3(signature = (entries, model=None))]
    fn new(entries: &Bound<'_, PyAny>, model: Option<&Bound<'_, Model>>) -> Result<QaIndex> {
        QaIndex::build(from_py(entries, "entries")?, model)
    }

    /// Entries from a JSON array.
    #[staticmethod]
    #[pyo3(signature = (text, model=None))]
    fn from_json(text: &str, model: Option<&Bound<'_, Model>>) -> Result<QaIndex> {
        QaIndex::build(entries_from_json(text)?, model)
    }

    /// Entries from JSON Lines.
    #[staticmethod]
    #[pyo3(signature = (text, model=None))]
    fn from_jsonl(text: &str, model: Option<&Bound<'_, Model>>) -> Result<QaIndex> {
        QaIndex::build(entries_from_jsonl(text)?, model)
    }

    /// Entries from CSV (`id,question,answer[,stages][,tags]`, lists `;`-separated).
    #[staticmethod]
    #[pyo3(signature = (text, model=None))]
    fn from_csv(text: &str, model: Option<&Bound<'_, Model>>) -> Result<QaIndex> {
        QaIndex::build(entries_from_csv(text)?, model)
    }

    #[pyo3(signature = (question, stage=None, k=5))]
    fn search<'py>(&self, py: Python<'py>, question: &str, stage: Option<&str>, k: usize) -> Result<Bound<'py, PyAny>> {
        to_py(py, &py.detach(|| self.index.search(question, stage, k))?)
    }

    #[pyo3(signature = (question, deal=None, stage=None, k=5))]
    fn ask<'py>(
        &self,
        py: Python<'py>,
        question: &str,
        deal: Option<&Bound<'py, PyAny>>,
        stage: Option<&str>,
        k: usize,
    ) -> Result<Bound<'py, PyAny>> {
        let deal = deal.map(|d| from_py::<Deal>(d, "deal")).transpose()?;
        let request = QaRequest { question: question.to_owned(), stage: stage.map(str::to_owned), deal, k };
        to_py(py, &py.detach(|| request.run(&self.models, &self.index))?)
    }

    fn entries<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        to_py(py, self.index.entries())
    }

    fn __len__(&self) -> usize {
        self.index.len()
    }
}

/// The Q&A tokenizer: NFKC, lower-case, CJK bigrams, word tokens.
#[pyfunction]
pub fn tokenize(text: &str) -> Vec<String> {
    dealscore::tokenize(text)
}
