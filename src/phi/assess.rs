//! From what each text region says, and where it sits among the others, to verdicts: which
//! parts of it are identifiers, how risky each is, why, and what to box.

use super::layout::{labelled_values, LabelledValue, Side};
use super::{PhiCategory, PhiMatch, Scanner};
use crate::detect::BBox;
use crate::detect::Quad;
use crate::ocr::part_of_line;
use std::ops::Range;

/// One detected and read text region.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub bbox: BBox,
    pub text: String,
    /// The recognizer's mean character confidence, in [0, 1].
    pub confidence: f32,
    /// Per character of `text`, where it lies along the line (fractions of its length); empty
    /// when unknown, and then the whole line is boxed.
    pub char_spans: Vec<(f32, f32)>,
    /// The outline the character positions refer to, in reading order.
    pub outline: Quad,
    /// The reader that read it.
    pub engine: &'static str,
}

/// One part of a line that is PHI.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The part of the line's text found (reports mask it).
    pub text: String,
    pub categories: Vec<PhiCategory>,
    /// In [0, 1].
    pub risk: f32,
    pub reasons: Vec<String>,
    /// What to box: that part of the line, or more of the form field when the line is only
    /// part of it.
    pub extent: BBox,
}

/// A filled-in form field is PHI by position alone, but less surely than by what it says.
const FORM_FIELD_STRENGTH: f32 = 0.7;
/// Identifiers this few characters apart are boxed as one, hiding what sits between them
/// (a sex marker between a name and a date, a middle initial).
const JOIN_GAP_CHARS: usize = 5;
/// Character positions from the recognizer are approximate: parts are boxed this many
/// characters wider on each side.
const PAD_CHARS: f32 = 0.6;
/// A part covering this much of its line is boxed as the whole line.
const WHOLE_LINE_SHARE: f32 = 0.7;

impl Scanner {
    /// The PHI in each line, in order; empty for a line that holds none.
    pub fn assess(&self, lines: &[TextLine]) -> Vec<Vec<Assessment>> {
        lines.iter().zip(labelled_values(lines)).map(|(line, field)| self.assess_line(line, field)).collect()
    }

    /// The PHI a barcode at `bbox` carries, as one part boxed whole. A payload that is one
    /// token with digits in it is an identifier even with no label: on a wristband it is the
    /// record number.
    pub fn assess_payload(&self, payload: &str, bbox: BBox) -> Option<Assessment> {
        let mut matches = self.scan(payload);
        let token = payload.trim();
        if !token.is_empty() && !token.contains(char::is_whitespace) && token.chars().filter(char::is_ascii_digit).count() >= 4 {
            matches.push(PhiMatch {
                category: PhiCategory::OtherIdentifier,
                range: 0..payload.len(),
                strength: 0.8,
                reason: "barcode payload is an identifier".into(),
            });
        }
        let matches = self.policy.drop_allowed(payload, matches);
        let strongest = matches.iter().map(|m| m.strength).reduce(f32::max)?;
        let mut categories: Vec<_> = matches.iter().map(|m| m.category).collect();
        categories.sort();
        categories.dedup();
        Some(Assessment {
            text: payload.to_string(),
            categories,
            risk: strongest,
            reasons: matches.into_iter().map(|m| m.reason).collect(),
            extent: bbox,
        })
    }

    fn assess_line(&self, line: &TextLine, field: Option<LabelledValue>) -> Vec<Assessment> {
        let mut matches = self.scan(&line.text);
        if let Some(field) = field {
            let place = match field.side {
                Side::Left => "beside",
                Side::Above => "under",
            };
            matches.push(PhiMatch {
                category: field.label.category,
                range: 0..line.text.len(),
                strength: FORM_FIELD_STRENGTH,
                reason: format!("value {place} the form label '{}'", field.label.keyword),
            });
        }
        let matches = self.policy.drop_allowed(&line.text, matches);
        join_nearby(&line.text, matches)
            .into_iter()
            .map(|(range, matches)| {
                let strongest = matches.iter().map(|m| m.strength).fold(0.0, f32::max);
                let mut categories: Vec<_> = matches.iter().map(|m| m.category).collect();
                categories.sort();
                categories.dedup();
                let extent = match field {
                    Some(field) if field.label.is_signature() && field.side == Side::Above => signature_cell(&field.label_box, &line.bbox),
                    _ => part_box(line, &range),
                };
                Assessment {
                    text: line.text[range].to_string(),
                    categories,
                    // Poorly read text is still likely what it looks like: confidence only trims the risk.
                    risk: strongest * (0.7 + 0.3 * line.confidence),
                    reasons: matches.into_iter().map(|m| m.reason).collect(),
                    extent,
                }
            })
            .collect()
    }
}

/// Groups matches whose text overlaps or lies within `JOIN_GAP_CHARS` characters.
fn join_nearby(text: &str, mut matches: Vec<PhiMatch>) -> Vec<(Range<usize>, Vec<PhiMatch>)> {
    matches.sort_by_key(|m| m.range.start);
    let mut groups: Vec<(Range<usize>, Vec<PhiMatch>)> = Vec::new();
    for m in matches {
        match groups.last_mut() {
            Some((range, members)) if m.range.start <= range.end || text[range.end..m.range.start].chars().count() <= JOIN_GAP_CHARS => {
                range.end = range.end.max(m.range.end);
                members.push(m);
            }
            _ => groups.push((m.range.clone(), vec![m])),
        }
    }
    groups
}

/// The box of the characters in `range`, padded; the whole line when positions are unknown.
fn part_box(line: &TextLine, range: &Range<usize>) -> BBox {
    let chars = line.text.chars().count();
    if line.char_spans.len() != chars || chars == 0 {
        return line.bbox;
    }
    let first = line.text[..range.start].chars().count();
    let last = first + line.text[range.clone()].chars().count().max(1) - 1;
    let pad = PAD_CHARS / chars as f32;
    let from = (line.char_spans[first].0 - pad).max(0.0);
    let to = (line.char_spans[last.min(chars - 1)].1 + pad).min(1.0);
    if to - from >= WHOLE_LINE_SHARE {
        return line.bbox;
    }
    part_of_line(&line.outline, from, to)
}

/// The cell under a signature label, down to two label heights below the ink found: the
/// text detector finds handwriting in fragments, and a fragment's box leaves the rest legible.
fn signature_cell(label: &BBox, ink: &BBox) -> BBox {
    BBox { x0: label.x0.min(ink.x0), y0: label.y1, x1: label.x1.max(ink.x1), y1: ink.y1 + 2.0 * label.height() }
}
