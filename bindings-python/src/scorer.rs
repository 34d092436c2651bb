//! The incremental `Scorer`: activity reports added, edited and deleted one at a time.

use dealscore::{Activity, Deal};
use pyo3::prelude::*;

use crate::Model;
use crate::convert::{date, from_py, models, to_py};
use crate::error::Result;

#[pyclass(module = "dealscore._dealscore")]
#[derive(Debug)]
pub struct Scorer {
    inner: dealscore::Scorer,
}

#[pymethods]
impl Scorer {
    #[new]
    #[pyo3(signature = (deals, model=None))]
    fn new(deals: &Bound<'_, PyAny>, model: Option<&Bound<'_, Model>>) -> Result<Scorer> {
        let deals: Vec<Deal> = from_py(deals, "deals")?;
        Ok(Scorer { inner: dealscore::Scorer::new(models(model.map(Bound::get)), deals)? })
    }

    fn add(&mut self, activity: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.inner.add(from_py::<Activity>(activity, "activity")?)?)
    }

    fn replace(&mut self, activity: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.inner.replace(from_py::<Activity>(activity, "activity")?)?)
    }

    fn remove<'py>(&mut self, py: Python<'py>, id: &str) -> Result<Bound<'py, PyAny>> {
        to_py(py, &self.inner.remove(id)?)
    }

    fn upsert_deal(&mut self, deal: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.inner.upsert_deal(from_py::<Deal>(deal, "deal")?)?)
    }

    fn report<'py>(&self, py: Python<'py>, deal: &str, as_of: &str) -> Result<Bound<'py, PyAny>> {
        let as_of = date(as_of, "as_of")?;
        to_py(py, &py.detach(|| self.inner.report(deal, as_of))?)
    }

    fn report_all<'py>(&self, py: Python<'py>, as_of: &str) -> Result<Bound<'py, PyAny>> {
        let as_of = date(as_of, "as_of")?;
        to_py(py, &py.detach(|| self.inner.report_all(as_of))?)
    }

    fn explain<'py>(&self, py: Python<'py>, deal: &str, as_of: &str) -> Result<Bound<'py, PyAny>> {
        let as_of = date(as_of, "as_of")?;
        to_py(py, &py.detach(|| self.inner.explain(deal, as_of))?)
    }

    fn deal_ids(&self) -> Vec<String> {
        self.inner.deal_ids().into_iter().map(str::to_owned).collect()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}
