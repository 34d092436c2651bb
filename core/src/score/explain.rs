//! Each activity's points, item by item, after caps (the deal-context explain).

use crate::date::Date;
use crate::error::Result;
use crate::input::Activity;
use crate::model::compiled::CompiledModel;
use crate::score::energy::Resolved;
use crate::score::fold::clip;
use crate::score::report::Explanation;

/// The clipped breakdown of a deal's activities dated ≤ `as_of`, in (date, id) order.
pub(crate) fn explain_deal(m: &CompiledModel, acts: &mut [&Activity], as_of: Date) -> Result<Vec<Explanation>> {
    // Ids are distinct (duplicates are rejected first): a total order.
    crate::util::sort::sort_unstable_by(acts, |a, b| (a.date, a.id.as_bytes()).cmp(&(b.date, b.id.as_bytes())));
    let mut used = vec![0u64; m.model.actions.len()];
    let mut r = Resolved::default();
    let mut out = Vec::new();
    for a in acts.iter().filter(|a| a.date <= as_of) {
        r.fill(m, *a)?;
        let clipped: Vec<u64> = r
            .actions
            .iter()
            .map(|&(idx, points)| {
                let i = idx as usize;
                m.model.actions[i].cap.map_or(points, |cap| clip(points, cap as u64, &mut used[i]))
            })
            .collect();
        let items = r.items(m, |i, _| clipped[i]);
        out.push(Explanation {
            activity: a.id.clone(),
            deal: a.deal.clone(),
            date: a.date,
            energy: items.iter().map(|i| i.points).sum(),
            items,
        });
    }
    Ok(out)
}
