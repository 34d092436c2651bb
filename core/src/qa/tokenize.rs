//! The Q&A tokenizer (MODEL.md §8).
//!
//! Text is NFKC-normalised, then lower-cased (`str::to_lowercase`, applied to the whole normalised
//! text). The result is then cut into tokens:
//!
//! * a maximal run of [CJK characters](is_cjk_char) yields its overlapping character bigrams in
//!   order; a run of a single character yields that character;
//! * a maximal run of other alphanumeric characters (Unicode `Alphabetic` or `Numeric`) yields one
//!   word token (so Hangul, Thai, Cyrillic, Latin… words are single tokens);
//! * everything else (spaces, punctuation, symbols, emoji, `・` U+30FB) separates.
//!
//! `"ＰＣの見積もりをAWSで"` → `["pc", "の見", "見積", "積も", "もり", "りを", "aws", "で"]`.

use crate::model::normalize::NFKC;

/// Splits `text` into Q&A tokens, in text order (duplicates kept).
///
/// ```
/// use dealscore::qa::tokenize;
/// assert_eq!(
///     tokenize("ＰＣの見積もりをAWSで"),
///     ["pc", "の見", "見積", "積も", "もり", "りを", "aws", "で"],
/// );
/// ```
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |token| out.push(token.to_owned()));
    out
}

/// Whether `c` is a CJK character in the sense of MODEL.md §8: U+3005–U+3007, U+3040–U+309F,
/// U+30A0–U+30FF except U+30FB (`・`), U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF or
/// U+20000–U+2FFFF. Hangul is not among them (it is `Alphabetic`, so it forms word tokens).
pub fn is_cjk_char(c: char) -> bool {
    matches!(
        c,
        '\u{3005}'..='\u{3007}'
            | '\u{3040}'..='\u{309F}'
            | '\u{30A0}'..='\u{30FA}'
            | '\u{30FC}'..='\u{30FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FFFF}'
    )
}

/// NFKC, then lower-case, into reusable buffers.
///
/// NFKC is icu_normalizer's, which copies the already-normalised prefix of the text as is.
/// Lower-casing is `str::to_lowercase` (its final-sigma rule included),
/// done character by character when the text has no `Σ`.
#[derive(Debug, Default)]
pub(crate) struct Normalizer {
    nfkc: String,
    out: String,
}

impl Normalizer {
    /// The normalised form of `text`: `text` itself when it is ASCII without upper-case letters,
    /// else a buffer of `self`.
    pub(crate) fn normalize<'a>(&'a mut self, text: &'a str) -> &'a str {
        if text.is_ascii() {
            if !text.bytes().any(|b| b.is_ascii_uppercase()) {
                return text;
            }
            self.out.clear();
            self.out.push_str(text);
            self.out.make_ascii_lowercase();
            return &self.out;
        }
        self.nfkc.clear();
        // Writing into a `String` cannot fail.
        let _ = NFKC.normalize_to(text, &mut self.nfkc);
        self.out.clear();
        if self.nfkc.contains('Σ') {
            self.out.push_str(&self.nfkc.to_lowercase());
        } else {
            for c in self.nfkc.chars() {
                if c.is_ascii() {
                    self.out.push(c.to_ascii_lowercase());
                } else if is_plain_cjk(c) {
                    self.out.push(c);
                } else {
                    self.out.extend(c.to_lowercase());
                }
            }
        }
        &self.out
    }
}

/// Hiragana, katakana and unified ideographs that are stable under NFKC and have no case (the
/// common case of Japanese text, answered without table look-ups).
fn is_plain_cjk(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// What the scanner is in the middle of.
#[derive(Clone, Copy)]
enum Run {
    /// Between tokens.
    None,
    /// A word run that started at this byte offset.
    Word { start: usize },
    /// A CJK run: byte offset of its first and of its latest character, and whether a bigram has
    /// been emitted (that is, the run has two or more characters).
    Cjk { start: usize, last: usize, paired: bool },
}

/// Calls `f` with every token of `text`, in order.
pub(crate) fn for_each_token(text: &str, f: impl FnMut(&str)) {
    scan(Normalizer::default().normalize(text), f);
}

/// Calls `f` with every token of `s`, which must already be [normalised](Normalizer), in order.
/// Tokens are slices of `s`, so nothing is allocated per token.
pub(crate) fn scan<'a>(s: &'a str, mut f: impl FnMut(&'a str)) {
    let mut run = Run::None;
    for (pos, c) in s.char_indices() {
        let end = pos + c.len_utf8();
        if is_cjk_char(c) {
            run = match run {
                Run::Cjk { start, last, .. } => {
                    f(&s[last..end]);
                    Run::Cjk { start, last: pos, paired: true }
                }
                other => {
                    finish(s, other, pos, &mut f);
                    Run::Cjk { start: pos, last: pos, paired: false }
                }
            };
        } else if c.is_alphabetic() || c.is_numeric() {
            if !matches!(run, Run::Word { .. }) {
                finish(s, run, pos, &mut f);
                run = Run::Word { start: pos };
            }
        } else {
            finish(s, run, pos, &mut f);
            run = Run::None;
        }
    }
    finish(s, run, s.len(), &mut f);
}

/// Emits what a run still owes when it ends at byte offset `end`: a word, or the lone character of
/// a one-character CJK run.
fn finish<'a>(s: &'a str, run: Run, end: usize, f: &mut impl FnMut(&'a str)) {
    match run {
        Run::None | Run::Cjk { paired: true, .. } => {}
        Run::Word { start } | Run::Cjk { start, paired: false, .. } => f(&s[start..end]),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

    use super::*;

    #[test]
    fn plain_cjk_is_stable_and_caseless() {
        for c in ('\u{3041}'..='\u{3096}')
            .chain('\u{30A1}'..='\u{30FA}')
            .chain('\u{3400}'..='\u{4DBF}')
            .chain('\u{4E00}'..='\u{9FFF}')
        {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfkc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert!(c.to_lowercase().eq(std::iter::once(c)), "{c:?}");
        }
    }

    fn reference(text: &str) -> String {
        text.nfkc().collect::<String>().to_lowercase()
    }

    #[test]
    fn tricky_normalisation() {
        let mut n = Normalizer::default();
        for text in [
            "e\u{301}",
            "\u{301}e",
            "ｶﾞｷﾞ",
            "か\u{3099}",
            "\u{1100}\u{1161}\u{11A8}",
            "한\u{11A8}",
            "ﬁ ΣΑΣ Σ ΌΣ.",
            "①\u{3000}㍻",
            "\u{F900}\u{FA10}",
            "a\u{323}\u{307}\u{323}",
            "\u{FDFA}",
        ] {
            assert_eq!(n.normalize(text), reference(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn normalizer_equals_nfkc_then_lowercase(
            parts in prop::collection::vec(
                prop_oneof![
                    "\\PC{0,4}",
                    prop::sample::select(vec![
                        "\u{301}", "\u{323}", "\u{307}", "\u{3099}", "\u{309A}", "ｶ", "ﾞ", "\u{1100}",
                        "\u{1161}", "\u{11A8}", "가", "Σ", "A", "e", "か", "\u{3000}", "①", "\u{F900}",
                        "\u{FF1F}", "ﬁ", "\u{FB2A}", "\u{5B4}", "\u{5BC}", "\u{D4B}", "\u{D57}",
                    ]).prop_map(str::to_owned),
                ],
                0..12,
            )
        ) {
            let text: String = parts.concat();
            let mut normalizer = Normalizer::default();
            prop_assert_eq!(normalizer.normalize(&text), reference(&text));
        }
    }
}
