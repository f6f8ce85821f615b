//! PHI in the words that go out with a photo: a caption, its alt text, a reply. The text is
//! laid out as lines on a page and put through the same scorer as text read from an image (the
//! recognizers, the learned name tagger, labels beside their values), so that "MRN 4471923" is
//! found in a caption exactly as on a wristband.

use crate::ner::{learned_matches, tag_page, EntityTagger};
use crate::phi::{mask, Assessment, PhiCategory, Scanner, TextLine};
use anyhow::{bail, Result};
use serde::Serialize;
use std::fmt;
use std::sync::{Arc, Mutex};

/// Captions and replies are short; a whole document is not what this check is for, and the
/// tagger's time grows with the text.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// One identifier found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextFinding {
    pub categories: Vec<PhiCategory>,
    /// The line it is on, counted from 1.
    pub line: usize,
    /// Where it lies in the whole text, in characters (Unicode scalar values), end excluded.
    pub span: [usize; 2],
    /// In [0, 1].
    pub risk: f32,
    pub reasons: Vec<String>,
    /// What was found, every letter but each word's first and every digit starred.
    pub masked: String,
}

/// The identifiers in `text` whose risk reaches `min_risk`, in reading order.
pub fn find_phi(text: &str, scanner: &Scanner, tagger: &mut dyn EntityTagger, min_risk: f32) -> Result<Vec<TextFinding>> {
    if text.len() > MAX_TEXT_BYTES {
        bail!("the text is {} bytes long; at most {MAX_TEXT_BYTES} are checked at once", text.len());
    }
    let lines: Vec<(usize, &str)> = lines_with_offsets(text);
    let page: Vec<TextLine> = lines.iter().enumerate().map(|(row, &(_, line))| TextLine::typed(row, line)).collect();
    let texts: Vec<&str> = lines.iter().map(|&(_, line)| line).collect();
    let learned = tag_page(tagger, &texts)?.into_iter().map(learned_matches).collect();
    let assessed = scanner.assess_with(&page, learned);
    let findings = lines
        .iter()
        .zip(assessed)
        .enumerate()
        .flat_map(|(row, (&(offset, line), parts))| {
            parts.into_iter().filter(|part| part.risk >= min_risk).map(move |part| finding(row, offset, line, part))
        })
        .collect();
    Ok(findings)
}

/// The check with its scanner and tagger kept loaded, for many texts from many threads (the
/// tagger reads one at a time).
pub struct CaptionChecker {
    scanner: Arc<Scanner>,
    tagger: Mutex<Box<dyn EntityTagger + Send>>,
    min_risk: f32,
}

impl CaptionChecker {
    pub fn new(scanner: Arc<Scanner>, tagger: Box<dyn EntityTagger + Send>, min_risk: f32) -> Self {
        Self { scanner, tagger: Mutex::new(tagger), min_risk }
    }

    pub fn check(&self, text: &str) -> Result<Vec<TextFinding>> {
        let mut tagger = self.tagger.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        find_phi(text, &self.scanner, tagger.as_mut(), self.min_risk)
    }
}

/// Each line of `text` (a "\r\n" ending taken whole) with the character offset it starts at.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split('\n')
        .map(|line| {
            let start = offset;
            offset += line.chars().count() + 1;
            (start, line.strip_suffix('\r').unwrap_or(line))
        })
        .collect()
}

fn finding(row: usize, line_offset: usize, line: &str, part: Assessment) -> TextFinding {
    let start = line_offset + line[..part.range.start].chars().count();
    TextFinding {
        categories: part.categories,
        line: row + 1,
        span: [start, start + part.text.chars().count()],
        risk: part.risk,
        reasons: part.reasons,
        masked: mask(&part.text),
    }
}

/// "line 1, characters 17-31, "M**** G*******": a person's name, risk 0.91 (reasons)".
impl fmt::Display for TextFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what: Vec<&str> = self.categories.iter().map(|c| c.described()).collect();
        write!(
            f,
            "line {}, characters {}-{}, \"{}\": {}, risk {:.2} ({})",
            self.line,
            self.span[0] + 1,
            self.span[1],
            self.masked,
            what.join(" and "),
            self.risk,
            self.reasons.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::Tagged;
    use crate::phi::{NameLists, TextPolicy};

    /// Tags the words it is given as names wherever they appear.
    struct Knows(&'static [&'static str]);

    impl EntityTagger for Knows {
        fn tag(&mut self, lines: &[&str]) -> Result<Vec<Vec<Tagged>>> {
            let tag = |line: &str| {
                let found = self.0.iter().filter_map(|name| line.find(name).map(|at| at..at + name.len()));
                found.map(|range| Tagged { category: PhiCategory::Name, range, confidence: 0.95 }).collect()
            };
            Ok(lines.iter().map(|line| tag(line)).collect())
        }
    }

    fn check(text: &str, names: &'static [&'static str]) -> Vec<TextFinding> {
        let scanner = Scanner::new(NameLists::default(), TextPolicy::default());
        find_phi(text, &scanner, &mut Knows(names), crate::phi::DEFAULT_MIN_TEXT_RISK).unwrap()
    }

    fn spanned(text: &str, finding: &TextFinding) -> String {
        text.chars().skip(finding.span[0]).take(finding.span[1] - finding.span[0]).collect()
    }

    #[test]
    fn spans_count_characters_across_lines() {
        let text = "Café día ☕ 🎉\r\nGracias, Zoë Ærø! MRN: 4471923\nBorn 03/14/2024";
        let findings = check(text, &["Zoë Ærø"]);
        let found: Vec<(usize, String, Vec<PhiCategory>)> =
            findings.iter().map(|f| (f.line, spanned(text, f), f.categories.clone())).collect();
        assert_eq!(found.len(), 3, "{findings:#?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (2, "Zoë Ærø"));
        assert!(found[1].1.contains("4471923") && found[1].2.contains(&PhiCategory::MedicalRecordNumber), "{found:?}");
        assert_eq!((found[2].0, found[2].1.as_str(), found[2].2.as_slice()), (3, "03/14/2024", &[PhiCategory::Date][..]));
        assert_eq!(findings[0].masked, "Z** Æ**");
    }

    #[test]
    fn wording_with_no_identifier_is_clean() {
        assert_eq!(check("Happy Nurses Week from 4 West!\nThank you, night shift.", &[]), []);
    }

    #[test]
    fn display_names_the_place_and_masks_the_text() {
        let findings = check("Call 617-555-0142 today", &[]);
        let line = findings[0].to_string();
        assert!(line.starts_with("line 1, characters 6-17, \"***-***-****\": a phone number, risk 0.95 ('call' context"), "{line}");
    }

    #[test]
    fn text_over_the_limit_is_refused() {
        let scanner = Scanner::new(NameLists::default(), TextPolicy::default());
        let long = "a".repeat(MAX_TEXT_BYTES + 1);
        assert!(find_phi(&long, &scanner, &mut Knows(&[]), 0.5).is_err());
    }
}
