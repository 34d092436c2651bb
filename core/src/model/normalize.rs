//! Text normalisation shared by title aliases: NFKC, then lower-case, then trim.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;

/// The NFKC normaliser (compiled-in data: nothing is loaded at run time).
pub(crate) const NFKC: ComposingNormalizerBorrowed<'static> = ComposingNormalizerBorrowed::new_nfkc();

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
        let folded = NFKC.normalize(title).to_lowercase();
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

    /// icu_normalizer replaced unicode-normalization (wasm size) without changing any result:
    /// the two agree on every code point (the Q&A tokenizer's property test covers sequences).
    #[test]
    fn nfkc_matches_unicode_normalization_on_every_code_point() {
        use unicode_normalization::UnicodeNormalization;
        let mut text = String::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            assert_eq!(super::NFKC.normalize(&text), text.nfkc().collect::<String>(), "U+{:04X}", c as u32);
        }
    }
}
