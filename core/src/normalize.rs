//! Text normalisation shared by title aliases: NFKC, then lower-case, then trim.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Normalises a job title for alias matching. ASCII input skips NFKC (it is the identity there)
/// and borrows when nothing changes, since titles are looked up once per contact.
pub fn normalize_title(title: &str) -> Cow<'_, str> {
    if title.is_ascii() {
        let trimmed = title.trim();
        if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(trimmed.to_ascii_lowercase())
        } else {
            Cow::Borrowed(trimmed)
        }
    } else {
        let folded: String = title.nfkc().collect::<String>().to_lowercase();
        Cow::Owned(folded.trim().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_title;

    #[test]
    fn folds_width_case_and_space() {
        assert_eq!(normalize_title("  CEO "), "ceo");
        assert_eq!(normalize_title("ＣＥＯ"), "ceo");
        assert_eq!(normalize_title("ｼｬﾁｮｳ"), "シャチョウ");
        assert_eq!(normalize_title("部長"), "部長");
        assert_eq!(normalize_title("VP　Sales"), "vp sales");
    }
}
