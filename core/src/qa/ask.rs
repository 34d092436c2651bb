//! Answering a rep's question in the context of a deal: the best entries, or, when nothing
//! matches, the deal members whose skills cover the stage (the people to ask).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::input::Deal;
use crate::model::compiled::ModelSet;
use crate::process::{Expert, experts};
use crate::qa::{QaHit, QaIndex};

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct QaAnswer {
    pub question: String,
    /// The stage the question was asked at (given, else the deal's), if any.
    pub stage: Option<String>,
    pub hits: Vec<QaHit>,
    /// True when no entry matched.
    pub unanswered: bool,
    /// When unanswered: deal members whose skills cover the stage's skills, most first.
    pub ask: Vec<Expert>,
}

/// Searches `index` for `question` at `stage` (else the deal's stage). The stage must exist in
/// the deal's model (or the default model when there is no deal).
pub fn ask(
    models: &ModelSet,
    index: &QaIndex,
    deal: Option<&Deal>,
    stage: Option<&str>,
    question: &str,
    k: usize,
) -> Result<QaAnswer> {
    if let Some(d) = deal {
        crate::process::check_deal_ids(d)?;
    }
    let stage = stage.or_else(|| deal.and_then(|d| d.stage.as_deref()));
    let m = match deal {
        Some(d) => models.for_deal(&d.id, d.model.as_deref())?,
        None => models.default_compiled(),
    };
    let stage_def = match stage {
        Some(id) => Some(m.stage(id).ok_or_else(|| Error::UnknownStage {
            context: deal.map_or_else(|| "the question".to_owned(), |d| format!("deal {:?}", d.id)),
            stage: id.to_owned(),
        })?),
        None => None,
    };
    let hits = index.search(question, stage, k)?;
    let unanswered = hits.is_empty();
    let ask = match (unanswered, deal, stage_def) {
        (true, Some(d), Some(s)) => experts(d, &s.skills),
        _ => Vec::new(),
    };
    Ok(QaAnswer { question: question.to_owned(), stage: stage.map(str::to_owned), hits, unanswered, ask })
}
