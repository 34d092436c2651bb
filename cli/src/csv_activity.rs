//! One CSV record as an activity: the column layout the CLI reads (and the fuzz targets check).

use dealscore::{Activity, CompactString, Contact};

/// One CSV record → an activity. List fields are `;`-separated; contacts come from the parallel
/// columns `contact_person`, `contact_title`, `contact_role`, `contact_department` (the i-th item
/// of each belongs to the i-th contact; an empty item means "not given").
pub fn activity(header: &csv::StringRecord, r: &[&str]) -> Result<Activity, (String, String)> {
    let get = |name: &str| header.iter().position(|h| h == name).and_then(|i| r.get(i).copied()).unwrap_or("").trim();
    let list = |name: &str| -> Vec<CompactString> {
        let v = get(name);
        if v.is_empty() { Vec::new() } else { v.split(';').map(|s| s.trim().into()).collect() }
    };
    let opt = |s: &str| (!s.is_empty()).then(|| CompactString::from(s));
    let columns = ["contact_person", "contact_title", "contact_role", "contact_department"].map(list);
    let n = columns.iter().map(Vec::len).max().unwrap_or(0);
    let item = |c: usize, i: usize| columns[c].get(i).and_then(|s| opt(s));
    let contacts = (0..n)
        .map(|i| Contact { person: item(0, i), title: item(1, i), role: item(2, i), department: item(3, i) })
        .collect();
    let attendees = match get("attendees") {
        "" => None,
        v => Some(v.parse::<u32>().map_err(|_| ("attendees".to_owned(), format!("{v:?} is not a count")))?),
    };
    Ok(Activity {
        id: get("id").into(),
        deal: get("deal").into(),
        date: get("date").parse().map_err(|e: dealscore::DateParseError| ("date".to_owned(), e.to_string()))?,
        actions: list("actions"),
        contacts,
        attendees,
        reporter: opt(get("reporter")),
        note: (!get("note").is_empty()).then(|| get("note").to_owned()),
    })
}
