//! From what each text region says, and where it sits among the others, to verdicts: which
//! parts of it are identifiers, how risky each is, why, and what to box.

use super::columns::{column_kinds, headers_run_down_columns};
use super::labels::{find_field_label, names_a_month};
use super::layout::{
    in_letterhead, labelled_values, margin_stamps, numbers_beside_impersonal_labels, stacked_neighbours, LabelledValue, Side,
};
use super::person::{could_be_half_of_name, has_listed_name};
use super::recognizers::as_organisations_contacts;
use super::recurring::{identifiers_found_elsewhere, names_found_elsewhere};
use super::{PhiCategory, PhiMatch, Scanner};
use crate::geometry::{quad_bbox, BBox, Quad};
use crate::ocr::part_of_line;
use std::ops::Range;

/// One detected and read text region.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub bbox: BBox,
    pub text: String,
    /// The recognizer's mean character confidence, in [0, 1].
    pub confidence: f32,
    /// The confidence of the surest reading of the same region by any reader in use (this
    /// one's, or more): what one reader cannot make out, another may read plainly.
    pub best_confidence: f32,
    /// The text detector's confidence that this is text, in [0, 1].
    pub detector_score: f32,
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
    /// Where `text` lies in the line's text (or the barcode's payload), in bytes.
    pub range: Range<usize>,
    pub categories: Vec<PhiCategory>,
    /// In [0, 1].
    pub risk: f32,
    pub reasons: Vec<String>,
    /// What to box, turned with its line: that part of the line, or more of the form field
    /// when the line is only part of it.
    pub outline: Quad,
    /// Whether `outline` is a part of a line of print, which the rows of its ink may move
    /// above and below; not a cell boxed whole (a signature's, whose ink is in fragments).
    pub follows_print: bool,
}

impl Assessment {
    /// The axis-aligned box around what to box.
    pub fn extent(&self) -> BBox {
        quad_bbox(&self.outline)
    }

    /// One part from the matches found in it; `None` when there are none. Their strongest
    /// strength, times `confidence` (how surely the text was found and read), is the risk.
    fn from_matches(
        text: &str,
        range: Range<usize>,
        matches: Vec<PhiMatch>,
        confidence: f32,
        outline: Quad,
        follows_print: bool,
    ) -> Option<Self> {
        let strongest = matches.iter().map(|m| m.strength).reduce(f32::max)?;
        let mut categories: Vec<_> = matches.iter().map(|m| m.category).collect();
        categories.sort();
        categories.dedup();
        let reasons = matches.into_iter().map(|m| m.reason).collect();
        let text = text.get(range.clone())?.to_string();
        Some(Self { text, range, categories, risk: strongest * confidence, reasons, outline, follows_print })
    }
}

/// A filled-in form field is PHI by position alone, but less surely than by what it says.
const FORM_FIELD_STRENGTH: f32 = 0.7;
/// A cell in a column of identifiers is one by position alone, as surely as a form field.
const COLUMN_STRENGTH: f32 = FORM_FIELD_STRENGTH;
/// What a column holds is decided by what its cells say strongly enough to be boxed alone;
/// an organisation's switchboard number, weaker, says nothing about the column.
const COLUMN_EVIDENCE_STRENGTH: f32 = super::DEFAULT_MIN_TEXT_RISK;
/// A name split over two lines is of few words on each; its second half is as sure as a
/// census name alone on its line.
const SPLIT_NAME_MAX_WORDS: usize = 3;
const SPLIT_NAME_STRENGTH: f32 = 0.6;
/// A surname as common in English as this is a word of the language's own ("TO", "FROM" on
/// a fax), however it pairs; "Brown", "White" and "King" are less common.
const PAIRED_SURNAME_MAX_ZIPF: f32 = 5.5;
/// Lines read less surely than this, with at least three letters or digits in them (fewer are
/// more often a logo or a mark than writing), are illegible. Handwriting and blurred print read
/// at 0.5-0.7 hold names and numbers as often as not: at 0.7 rather than 0.5 the validation
/// split's recall rose from 75.7% to 77.9%, for 2.7 points more boxes matching no label.
const ILLEGIBLE_BELOW: f32 = 0.7;
/// A line one reader reads poorly is not illegible when another reads the same region this
/// surely. Not merely legibly: a second reader can be sure and wrong ("5/23/2011" read
/// "5/2V/2011" at 0.93, which no rule takes for a date). Any reading above `ILLEGIBLE_BELOW`
/// lost 6 strings on tune, 8 on validation; above 0.9, one each; above 0.95, none, with 8
/// fewer boxes matching no label on validation (949 -> 941) and 7 on tune.
const PLAIN_TO_ANOTHER_READER: f32 = 0.95;
/// Boxed (it reaches the default `--min-risk` whatever the confidence) and left for review.
const ILLEGIBLE_STRENGTH: f32 = 0.72;
/// Below the default `--min-risk`: reported, not boxed.
const IMPERSONAL_NUMBER_STRENGTH: f32 = 0.45;
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
        self.assess_with(lines, vec![Vec::new(); lines.len()])
    }

    /// As [`Scanner::assess`], weighing with the recognizers' matches those found in each
    /// line by other means (a learned name tagger): `found` holds one list per line.
    pub fn assess_with(&self, lines: &[TextLine], found: Vec<Vec<PhiMatch>>) -> Vec<Vec<Assessment>> {
        let mut read: Vec<Vec<PhiMatch>> = lines.iter().zip(found).map(|(line, found)| self.read_in_line(line, found)).collect();
        self.add_names_split_over_lines(lines, &mut read);
        let names_again = names_found_elsewhere(lines, &read, &self.names, COLUMN_EVIDENCE_STRENGTH);
        let identifiers_again = identifiers_found_elsewhere(lines, &read, COLUMN_EVIDENCE_STRENGTH);
        for ((matches, names), identifiers) in read.iter_mut().zip(names_again).zip(identifiers_again) {
            matches.extend(names.into_iter().chain(identifiers));
        }
        let fields: Vec<Option<LabelledValue>> = labelled_values(lines)
            .into_iter()
            .zip(lines)
            .map(|(field, line)| field.filter(|field| self.fills_field(field, &line.text)))
            .collect();
        let fields = headers_run_down_columns(lines, fields, |field, text| self.fills_field(field, text));
        // What a column holds is said by its cells' own words, and by a header over its rows:
        // a cell of a whiteboard's "PATIENT" column is between names, or under the header.
        let kinds_read: Vec<Vec<PhiCategory>> = read
            .iter()
            .zip(&fields)
            .map(|(matches, field)| {
                let under_header = field.filter(|field| field.side == Side::Above).map(|field| field.label.category);
                matches.iter().filter(|m| m.strength >= COLUMN_EVIDENCE_STRENGTH).map(|m| m.category).chain(under_header).collect()
            })
            .collect();
        let columns = column_kinds(lines, &kinds_read);
        lines
            .iter()
            .zip(fields)
            .zip(columns)
            .zip(read.into_iter().zip(in_letterhead(lines)).zip(impersonal_numbers(lines)))
            .map(|(((line, field), column), ((mut read, in_letterhead), impersonal))| {
                if in_letterhead {
                    as_organisations_contacts(&mut read, "a line under an organisation's name");
                }
                if let Some(whose) = impersonal {
                    as_impersonal_number(&mut read, whose);
                }
                self.assess_line(line, field, column, read)
            })
            .collect()
    }

    /// The PHI a barcode at `bbox` carries, as one part boxed whole. A payload that is one
    /// token with digits in it is an identifier even with no label: on a wristband it is the
    /// record number.
    pub fn assess_payload(&self, payload: Option<&str>, bbox: BBox) -> Option<Assessment> {
        let Some(payload) = payload else {
            let undecoded = PhiMatch {
                category: PhiCategory::OtherIdentifier,
                range: 0..0,
                strength: ILLEGIBLE_STRENGTH,
                reason: "a barcode that could not be decoded: PHI cannot be ruled out".into(),
            };
            return Assessment::from_matches("", 0..0, vec![undecoded], 1.0, bbox.outline(), false);
        };
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
        // A decoded payload is exactly what the symbol says: no confidence to trim the risk.
        Assessment::from_matches(payload, 0..payload.len(), self.policy.drop_allowed(payload, matches), 1.0, bbox.outline(), false)
    }

    /// A name set on two lines, the surname over the given names as on a card ("KARAGÖZ" over
    /// "Gökhan"): a line of no PHI of its own that could be half of a name (see
    /// `could_be_half_of_name`) and is no form label ("FROM" is a census surname), stacked on
    /// a short line that is a name whole with a listed name in it, is the other half. So is a
    /// surname in capitals common in English ("BROWN" over "Thaddeus"), which no rarity
    /// vouches for, when it and a first name alone on the line beside it make a census pair.
    fn add_names_split_over_lines(&self, lines: &[TextLine], read: &mut [Vec<PhiMatch>]) {
        let is_whole_name = |line: &TextLine, matches: &[PhiMatch]| {
            line.text.split_whitespace().count() <= SPLIT_NAME_MAX_WORDS
                && matches.iter().any(|m| {
                    m.category == PhiCategory::Name
                        && m.strength >= COLUMN_EVIDENCE_STRENGTH
                        && m.range.len() as f32 >= WHOLE_LINE_SHARE * line.text.trim().len() as f32
                })
                && has_listed_name(&line.text, &self.names)
        };
        let whole_names: Vec<bool> = lines.iter().zip(read.iter()).map(|(line, matches)| is_whole_name(line, matches)).collect();
        for (i, neighbours) in stacked_neighbours(lines).into_iter().enumerate() {
            let text = &lines[i].text;
            let half = could_be_half_of_name(text, &self.names) && find_field_label(text).is_none();
            let pairs_with = |j: usize| self.is_surname_in_capitals_pairing_with(text, &lines[j].text);
            if read[i].is_empty() && neighbours.iter().any(|&j| whole_names[j] && (half || pairs_with(j))) {
                read[i].push(PhiMatch {
                    category: PhiCategory::Name,
                    range: 0..text.len(),
                    strength: SPLIT_NAME_STRENGTH,
                    reason: "stacked on a line that is a name: its other half".into(),
                });
            }
        }
    }

    /// Whether `text` is one word in capitals, no word of the language's own, that with `other`,
    /// one word, makes a census first name and surname.
    fn is_surname_in_capitals_pairing_with(&self, text: &str, other: &str) -> bool {
        let one_word = |text: &str| text.split_whitespace().count() == 1;
        let (text, other) = (text.trim(), other.trim());
        one_word(text)
            && one_word(other)
            && text.chars().all(char::is_alphabetic)
            && !text.chars().any(char::is_lowercase)
            && self.names.english_zipf(text) < PAIRED_SURNAME_MAX_ZIPF
            && find_field_label(text).is_none()
            && self.names.is_full_name(text, other)
    }

    /// What the line's own words say: the recognizers' matches and those found by other means.
    fn read_in_line(&self, line: &TextLine, found: Vec<PhiMatch>) -> Vec<PhiMatch> {
        let mut matches = self.scan(&line.text);
        // A learned name made only of ordinary English words on no name list ("Happy Halloween
        // from the NICU") is a sign's wording: on the tune split, leaving these out dropped 2 of
        // the 8 new boxes matching no label and no name found.
        let sign_wording = |m: &PhiMatch| m.category == PhiCategory::Name && self.names.only_ordinary_words(&line.text[m.range.clone()]);
        matches.extend(found.into_iter().filter(|m| line.text.get(m.range.clone()).is_some() && !sign_wording(m)));
        // A name within an address, found on the census lists, by the tagger or by its layout,
        // is the street's or the town's ("2691 Whispering Pines Pkwy, Winston-Salem, NC 98906");
        // the address is found as one. Most lines hold no name: only those are searched again.
        if !matches.iter().any(|m| m.category == PhiCategory::Name) {
            return matches;
        }
        let addresses = self.addresses(&line.text);
        let in_an_address = |at: usize| addresses.iter().any(|place| place.contains(&at));
        let names_a_place = |m: &PhiMatch| {
            m.category == PhiCategory::Name
                && line
                    .text
                    .get(m.range.clone())
                    .is_some_and(|name| name.char_indices().all(|(i, c)| !c.is_alphanumeric() || in_an_address(m.range.start + i)))
        };
        matches.retain(|m| !names_a_place(m));
        matches
    }

    /// The parts of a line that are PHI, from what it says (`read`) and where it stands: beside
    /// or under a form label (`field`), in a column of identifiers (`column`).
    fn assess_line(
        &self,
        line: &TextLine,
        field: Option<LabelledValue>,
        column: Option<PhiCategory>,
        mut matches: Vec<PhiMatch>,
    ) -> Vec<Assessment> {
        if let Some(kind) = column.filter(|&kind| !self.is_wording(kind, &line.text)) {
            matches.push(PhiMatch {
                category: kind,
                range: 0..line.text.len(),
                strength: COLUMN_STRENGTH,
                reason: format!("in a table column whose neighbouring cells hold {}", kind.described()),
            });
        }
        if let Some(field) = field {
            let place = match field.side {
                Side::Left => "beside",
                Side::Above => "under",
                Side::Below => "over",
            };
            matches.push(PhiMatch {
                category: field.label.category,
                range: 0..line.text.len(),
                strength: FORM_FIELD_STRENGTH,
                reason: format!("value {place} the form label '{}'", field.label.keyword),
            });
        }
        if is_illegible(line) {
            // Handwriting on a whiteboard or chart reads poorly and is often a name: what
            // cannot be read cannot be cleared, so it is boxed for a person to look at.
            matches.push(PhiMatch {
                category: PhiCategory::OtherIdentifier,
                range: 0..line.text.len(),
                strength: ILLEGIBLE_STRENGTH,
                reason: format!("read with {:.0}% confidence: PHI cannot be ruled out", 100.0 * line.confidence),
            });
        }
        // Poorly read or faintly detected text is still likely what it looks like: the two
        // confidences only trim the pattern's strength.
        let confidence = 0.7 + 0.15 * line.confidence + 0.15 * line.detector_score;
        let matches = self.policy.drop_allowed(&line.text, matches);
        join_nearby(&line.text, matches)
            .into_iter()
            .filter_map(|(range, matches)| {
                let (outline, follows_print) = match field {
                    Some(field) if field.label.is_signature() && field.side != Side::Left => {
                        (signature_cell(&field, &line.bbox).outline(), false)
                    }
                    _ => (part_outline(line, &range), true),
                };
                Assessment::from_matches(&line.text, range, matches, confidence, outline, follows_print)
            })
            .collect()
    }

    /// Whether `text` is a value of `field` rather than more of the form's wording; any ink
    /// fills a signature field, but a closing's lines run on to the signer's department.
    fn fills_field(&self, field: &LabelledValue, text: &str) -> bool {
        (field.label.is_signature() && !field.label.is_closing()) || !self.is_wording(field.label.category, text)
    }

    /// Whether a value placed by a label or a column is ordinary wording rather than the
    /// identifier its place names: a menu ("Summary", "Chart Review") under a "Patient"
    /// heading, medicines ("Gabapentin 300 mg") under "Discharge medications", a checklist
    /// ("[x] 80061 Lipid Panel") under "Member". Its letters outnumber its digits, and:
    /// - for a date, none of its words begins as a month does (read "Septernber" still does)
    ///   and no number in it is a year ("Ocotber 9, 1968" as read is a date);
    /// - for a place, never: towns are named in words ("Sample Town", "Westminster");
    /// - for anything else, its words are all ordinary English on no name list, with no
    ///   initial among them ("Thu N." is a name).
    fn is_wording(&self, category: PhiCategory, text: &str) -> bool {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        letters > digits
            && match category {
                PhiCategory::Date => !names_a_month(text) && !has_year(text),
                PhiCategory::Geographic => false,
                _ => self.names.only_ordinary_words(text) && !has_initial(text),
            }
    }
}

impl TextLine {
    /// Where the characters of `range` (bytes of `text`) lie along the line, as fractions of
    /// its outline's length; `None` when their positions are unknown.
    pub fn span_of(&self, range: &Range<usize>) -> Option<(f32, f32)> {
        let chars = self.text.chars().count();
        if self.char_spans.len() != chars || chars == 0 {
            return None;
        }
        let first = self.text[..range.start].chars().count().min(chars - 1);
        let last = (first + self.text[range.clone()].chars().count().max(1) - 1).min(chars - 1);
        Some((self.char_spans[first].0, self.char_spans[last].1))
    }

    /// Typed text as if read on a page: line `row` of it, under the rows before it, read with
    /// full confidence and each character's place along its line known (a caption, a reply).
    pub fn typed(row: usize, text: &str) -> Self {
        const ROW_HEIGHT: f32 = 30.0;
        const CHAR_WIDTH: f32 = 12.0;
        let top = ROW_HEIGHT * row as f32;
        let chars = text.chars().count();
        let bbox = BBox { x0: 0.0, y0: top, x1: CHAR_WIDTH * chars.max(1) as f32, y1: top + 20.0 };
        let width = chars.max(1) as f32;
        TextLine {
            bbox,
            text: text.to_string(),
            confidence: 1.0,
            best_confidence: 1.0,
            detector_score: 1.0,
            char_spans: (0..chars).map(|i| (i as f32 / width, (i + 1) as f32 / width)).collect(),
            outline: bbox.outline(),
            engine: "typed",
        }
    }

    /// A line read well at `bbox`, left to right, with no character positions.
    #[cfg(test)]
    pub(crate) fn read_at(text: &str, bbox: BBox) -> Self {
        TextLine {
            bbox,
            text: text.into(),
            confidence: 0.9,
            best_confidence: 0.9,
            detector_score: 0.9,
            char_spans: Vec::new(),
            outline: bbox.outline(),
            engine: "test",
        }
    }
}

/// Whether a number in `text` is a year of the last two centuries ("1968", "2024").
fn has_year(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit()).any(|number| number.len() == 4 && (number.starts_with("19") || number.starts_with("20")))
}

/// Whether `text` holds a capital letter alone before a full stop, as a name's initial.
fn has_initial(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        let mut chars = word.chars();
        matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
    })
}

fn is_illegible(line: &TextLine) -> bool {
    line.confidence < ILLEGIBLE_BELOW
        && line.best_confidence < PLAIN_TO_ANOTHER_READER
        && line.text.chars().filter(|c| c.is_alphanumeric()).count() >= 3
}

/// For each line, whose number it is when its place on the page says it is no person's: a
/// copy's control number stamped along the margin, or a product's, place's or bank's number
/// beside its label ("Lot" | "A12345B", "Routing" | "227077620").
fn impersonal_numbers(lines: &[TextLine]) -> Vec<Option<&'static str>> {
    margin_stamps(lines)
        .into_iter()
        .zip(numbers_beside_impersonal_labels(lines))
        .map(|(stamp, beside_label)| match (stamp, beside_label) {
            (true, _) => Some("stamped along the page's margin: the copy's control number"),
            (false, true) => Some("beside the label of a product's, place's or bank's number"),
            (false, false) => None,
        })
        .collect()
}

/// What the recognizers found in a number that is no person's ("9-digit number") is kept in
/// the report, below the default `--min-risk`, for a reviewer to see.
fn as_impersonal_number(matches: &mut [PhiMatch], whose: &str) {
    for m in matches.iter_mut() {
        m.strength = m.strength.min(IMPERSONAL_NUMBER_STRENGTH);
        m.reason = format!("{}, but {whose}", m.reason);
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

/// The outline of the characters in `range`, padded; the whole line when positions are unknown.
fn part_outline(line: &TextLine, range: &Range<usize>) -> Quad {
    let whole = line.outline;
    let Some((from, to)) = line.span_of(range) else { return whole };
    let pad = PAD_CHARS / line.char_spans.len() as f32;
    let (from, to) = ((from - pad).max(0.0), (to + pad).min(1.0));
    if to - from >= WHOLE_LINE_SHARE {
        return whole;
    }
    part_of_line(&whole, from, to)
}

/// The cell between a signature label and the ink found, reaching two label heights beyond
/// the ink (down from a label above it, up from a caption under it): the text detector finds
/// handwriting in fragments, and a fragment's box leaves the rest legible. Under a letter's
/// closing the cell ends with the line: the signature stands between the two.
fn signature_cell(field: &LabelledValue, ink: &BBox) -> BBox {
    let label = &field.label_box;
    let (x0, x1) = (label.x0.min(ink.x0), label.x1.max(ink.x1));
    let reach = if field.label.is_closing() { 0.0 } else { 2.0 * label.height() };
    match field.side {
        Side::Below => BBox { x0, y0: ink.y0 - reach, x1, y1: label.y0.max(ink.y1) },
        _ => BBox { x0, y0: label.y1.min(ink.y0), x1, y1: ink.y1 + reach },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line 10 px per character, starting at x = 100, read left to right.
    fn line(text: &str, confidence: f32) -> TextLine {
        let n = text.chars().count() as f32;
        let bbox = BBox { x0: 100.0, y0: 0.0, x1: 100.0 + 10.0 * n, y1: 20.0 };
        TextLine {
            bbox,
            text: text.into(),
            confidence,
            best_confidence: confidence,
            char_spans: (0..text.chars().count()).map(|i| (i as f32 / n, (i + 1) as f32 / n)).collect(),
            outline: [(bbox.x0, 0.0), (bbox.x1, 0.0), (bbox.x1, 20.0), (bbox.x0, 20.0)],
            detector_score: confidence,
            engine: "test",
        }
    }

    /// The risk and reasons of each part found in the last of `lines`.
    fn last_line_risks(scanner: &Scanner, lines: &[TextLine]) -> Vec<(f32, String)> {
        scanner.assess(lines).pop().unwrap_or_default().into_iter().map(|part| (part.risk, part.reasons.join("; "))).collect()
    }

    #[test]
    fn a_number_stamped_down_a_pages_margin_is_reported_but_not_boxed() {
        let scanner = Scanner::default();
        let row = |i: usize| BBox { x0: 50.0, y0: 40.0 + 30.0 * i as f32, x1: 500.0, y1: 60.0 + 30.0 * i as f32 };
        let page: Vec<TextLine> = (0..16).map(|i| TextLine::read_at("Enclosed are copies of the process served", row(i))).collect();
        let stamp = BBox { x0: 700.0, y0: 800.0, x1: 715.0, y1: 890.0 };
        let down =
            TextLine { outline: [(715.0, 800.0), (715.0, 890.0), (700.0, 890.0), (700.0, 800.0)], ..TextLine::read_at("92314414", stamp) };
        let risks = |extra: TextLine| last_line_risks(&scanner, &[page.clone(), vec![extra]].concat());
        let stamped = risks(down);
        assert!(!stamped.is_empty() && stamped.iter().all(|(risk, _)| *risk < crate::phi::DEFAULT_MIN_TEXT_RISK), "{stamped:?}");
        assert!(stamped[0].1.contains("control number"), "{stamped:?}");
        let in_the_text = risks(TextLine::read_at("92314414", row(8)));
        assert!(in_the_text.iter().any(|(risk, _)| *risk >= crate::phi::DEFAULT_MIN_TEXT_RISK), "{in_the_text:?}");
    }

    #[test]
    fn a_code_beside_a_products_label_is_reported_but_not_boxed() {
        let scanner = Scanner::default();
        let at = |text: &str, x0: f32| TextLine::read_at(text, BBox { x0, y0: 100.0, x1: x0 + 80.0, y1: 120.0 });
        let risks = |lines: &[TextLine]| last_line_risks(&scanner, lines);
        let beside_lot = risks(&[at("Lot", 40.0), at("A1234567", 130.0)]);
        assert!(!beside_lot.is_empty() && beside_lot.iter().all(|(risk, _)| *risk < crate::phi::DEFAULT_MIN_TEXT_RISK), "{beside_lot:?}");
        assert!(beside_lot[0].1.contains("product's, place's or bank's"), "{beside_lot:?}");
        let alone = risks(&[at("A1234567", 130.0)]);
        assert!(alone.iter().any(|(risk, _)| *risk >= crate::phi::DEFAULT_MIN_TEXT_RISK), "{alone:?}");
    }

    #[test]
    fn ordinary_wording_under_a_label_is_not_its_value() {
        use crate::phi::{words::EnglishWords, NameLists, TextPolicy};
        let english = [("summary", 4.6), ("chart", 4.5), ("review", 5.0), ("thu", 4.0), ("sample", 4.9), ("town", 5.2)];
        let names = NameLists::from_census("SMITH 1.0 1.0 1\n", &["JOHN 3.2 6.5 2\n"]).with_english(EnglishWords::from_pairs(&english));
        let scanner = Scanner::new(names, TextPolicy::default());
        // Each text on its own row, one under the other, and whether anything in it is boxed.
        let boxed = |texts: &[&str]| -> Vec<bool> {
            let row = |i: usize| BBox { x0: 100.0, y0: 30.0 * i as f32, x1: 260.0, y1: 30.0 * i as f32 + 20.0 };
            let lines: Vec<TextLine> = texts.iter().enumerate().map(|(i, text)| TextLine::read_at(text, row(i))).collect();
            scanner.assess(&lines).iter().map(|parts| !parts.is_empty()).collect()
        };
        assert_eq!(boxed(&["Patient", "Summary", "Chart Review"]), [false; 3], "a menu under a heading");
        assert_eq!(boxed(&["Patient", "Thu N."]), [false, true], "an initial makes a name of ordinary words");
        assert_eq!(boxed(&["City", "Sample Town"]), [false, true], "towns are named in words");
        assert_eq!(boxed(&["Discharge medications", "Gabapentin 300 mg"]), [false, false]);
        assert_eq!(boxed(&["Discharge date", "Ocotber 9, 1968"]), [false, true], "a misread month, but a year");
    }

    #[test]
    fn a_name_set_on_two_lines_is_boxed_whole_but_not_a_label_or_a_word_beside_one() {
        use crate::phi::{words::EnglishWords, NameLists, TextPolicy};
        let english = [("to", 7.4), ("karagoz", 0.0), ("cytogeneticist", 1.2), ("gokhan", 1.0), ("yeon", 3.02), ("brown", 5.0)];
        let names = NameLists::from_census(
            "TO 0.001 80.0 9000\nSEO 0.001 85.0 7000\nBROWN 0.6 3.7 5\n",
            &["GOKHAN 0.001 90.0 5000\nRAY 0.1 40.0 100\n"],
        )
        .with_english(EnglishWords::from_pairs(&english));
        let scanner = Scanner::new(names, TextPolicy::default());
        let boxed = |texts: &[&str]| -> Vec<bool> {
            let row = |i: usize| BBox { x0: 100.0, y0: 100.0 + 24.0 * i as f32, x1: 220.0, y1: 100.0 + 24.0 * i as f32 + 20.0 };
            let lines: Vec<TextLine> = texts.iter().enumerate().map(|(i, text)| TextLine::read_at(text, row(i))).collect();
            scanner.assess(&lines).iter().map(|parts| !parts.is_empty()).collect()
        };
        assert_eq!(boxed(&["KARAGÖZ", "Gökhan"]), [true, true], "a surname in capitals over a listed first name");
        assert_eq!(boxed(&["Gökhan", "KARAGÖZ"]), [true, true], "or under it");
        assert_eq!(boxed(&["KARAGÖZ"]), [false], "alone, one rare word is too little");
        assert_eq!(boxed(&["TO", "Gökhan"]), [false, true], "a form's label, though a census surname");
        assert_eq!(boxed(&["Gökhan", "Cytogeneticist"]), [true, false], "a rare word in title case");
        assert_eq!(boxed(&["Seo-yeon"]), [false], "a given name whose second syllable is common in English text");
        assert_eq!(boxed(&["SEO", "Seo-yeon"]), [true, true], "is the other half of the surname over it");
        assert_eq!(boxed(&["SEO", "X-Ray"]), [true, false], "a letter joined to a listed name is no given name");
        assert_eq!(boxed(&["BROWN", "Gökhan"]), [true, true], "a surname in capitals common in English, over a first name");
        assert_eq!(boxed(&["Brown", "Gökhan"]), [false, true], "but in title case it is as likely a word");
        assert_eq!(boxed(&["BROWN", "KARAGÖZ"]), [false, false], "two surnames are no pair");
    }

    #[test]
    fn an_address_under_an_organisations_name_is_its_own() {
        let address = "6564 Tamarack Way, Tuscaloosa, AL 58482";
        let at = |y: f32, width: f32| BBox { x0: 60.0, y0: y, x1: 60.0 + width, y1: y + 16.0 };
        let risk = |lines: &[TextLine]| Scanner::default().assess(lines)[lines.len() - 1].iter().map(|p| p.risk).fold(0.0, f32::max);
        let letterhead = [TextLine::read_at("Lakeview Community Hospital", at(0.0, 300.0)), TextLine::read_at(address, at(18.0, 300.0))];
        assert!(risk(&letterhead) < crate::phi::DEFAULT_MIN_TEXT_RISK, "a letterhead");
        assert!(risk(&[TextLine::read_at(address, at(18.0, 300.0))]) >= crate::phi::DEFAULT_MIN_TEXT_RISK, "a patient's");
    }

    #[test]
    fn names_within_an_address_are_the_places() {
        use crate::phi::{NameLists, TextPolicy};
        let names = NameLists::from_census(
            "LUTHER 0.001 80.0 9000\nKING 0.2 30.0 300\nSALEM 0.001 85.0 9500\n",
            &["MARTIN 0.2 20.0 300\nWINSTON 0.01 60.0 900\n"],
        );
        let scanner = Scanner::new(names, TextPolicy::default());
        let at = |y: f32| BBox { x0: 60.0, y0: y, x1: 360.0, y1: y + 16.0 };
        let risk = |lines: &[TextLine]| scanner.assess(lines)[lines.len() - 1].iter().map(|p| p.risk).fold(0.0, f32::max);
        let address = "1200 Martin Luther King Blvd, Winston-Salem, NC 27101";
        let letterhead = [TextLine::read_at("Lakeview Community Hospital", at(0.0)), TextLine::read_at(address, at(18.0))];
        assert!(risk(&letterhead) < crate::phi::DEFAULT_MIN_TEXT_RISK, "the hospital's street, named after no patient");
        let town = [TextLine::read_at("Lakeview Community Hospital", at(0.0)), TextLine::read_at("Winston-Salem, NC 27101", at(18.0))];
        assert!(risk(&town) < crate::phi::DEFAULT_MIN_TEXT_RISK, "and its town");
        let capitals = "1200 MARTIN LUTHER KING BLVD, WINSTON SALEM NC 27101";
        let across = [TextLine::read_at("Lakeview Community Hospital", at(0.0)), TextLine::read_at(capitals, at(18.0))];
        assert!(risk(&across) < crate::phi::DEFAULT_MIN_TEXT_RISK, "a 'LAST, FIRST' from the street into the town");
        assert!(risk(&[TextLine::read_at(address, at(18.0))]) >= crate::phi::DEFAULT_MIN_TEXT_RISK, "a patient's address");
        assert!(risk(&[TextLine::read_at("Martin Luther", at(18.0))]) >= crate::phi::DEFAULT_MIN_TEXT_RISK, "a name on no street");
    }

    #[test]
    fn a_column_under_a_name_header_holds_names_beyond_its_reach() {
        // The header reaches three rows; the fourth is a name by the rows above and below it
        // (and by the header's run down its column).
        let cells = ["Patient", "Okoro", "Adeyemi", "Nwosu", "Eze", "Mr. Obi"];
        let row = |i: usize| BBox { x0: 100.0, y0: 30.0 * i as f32, x1: 100.0 + 12.0 * cells[i].len() as f32, y1: 30.0 * i as f32 + 20.0 };
        let lines: Vec<TextLine> = cells.iter().enumerate().map(|(i, text)| TextLine::read_at(text, row(i))).collect();
        let boxed: Vec<bool> = Scanner::default().assess(&lines).iter().map(|parts| !parts.is_empty()).collect();
        assert_eq!(boxed, [false, true, true, true, true, true]);
    }

    #[test]
    fn a_header_names_its_column_down_to_its_last_row() {
        // One line a row, 30 px apart: which of `(row, text)` are boxed.
        let boxed = |cells: &[(usize, &str)]| -> Vec<bool> {
            let at = |i: usize, text: &str| BBox {
                x0: 100.0,
                y0: 30.0 * i as f32,
                x1: 100.0 + 12.0 * text.len() as f32,
                y1: 30.0 * i as f32 + 20.0,
            };
            let lines: Vec<TextLine> = cells.iter().map(|&(i, text)| TextLine::read_at(text, at(i, text))).collect();
            Scanner::default().assess(&lines).iter().map(|parts| !parts.is_empty()).collect()
        };
        // "PATIENT" reaches three rows; the column runs on past a cell that is no name ("4B")
        // to names of unlike lengths, and ends at a gap of four rows.
        let board = [
            (0, "PATIENT"),
            (1, "Okoro"),
            (2, "Adeyemi"),
            (3, "Nwosu"),
            (4, "Oyelaran"),
            (5, "4B"),
            (6, "Bankole-Williams"),
            (11, "Zanele"),
        ];
        assert_eq!(boxed(&board), [false, true, true, true, true, false, true, false]);
        // Over one value, the header is a form's label: it names nothing further down.
        let form = [(0, "PATIENT"), (1, "Okoro"), (2, "4B"), (3, "12C"), (4, "Zanele")];
        assert_eq!(boxed(&form), [false, true, false, false, false]);
        // Another label ends the column: what stands under it is that label's.
        let sections = [(0, "PATIENT"), (1, "Okoro"), (2, "Adeyemi"), (3, "Nwosu"), (4, "DOB"), (5, "Zanele")];
        assert_eq!(boxed(&sections), [false, true, true, true, false, false]);
    }

    #[test]
    fn only_the_identifier_part_of_a_long_line_is_boxed() {
        let text = "Please call the ward desk on (617) 555-0134 any time";
        let parts = Scanner::default().assess(&[line(text, 0.95)]).remove(0);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].text, "(617) 555-0134");
        let start = text.find('(').unwrap() as f32;
        let extent = parts[0].extent();
        assert!(extent.x0 <= 100.0 + 10.0 * start && extent.x0 >= 100.0 + 10.0 * (start - 1.0), "{extent:?}");
        assert!(extent.width() < 170.0, "{extent:?}");
    }

    #[test]
    fn identifiers_a_few_characters_apart_are_one_part() {
        let parts = Scanner::default().assess(&[line("DOB 03/14/1962 MRN 00482913", 0.95)]).remove(0);
        assert_eq!(parts.len(), 1, "{parts:?}");
        assert!(parts[0].categories.contains(&PhiCategory::Date) && parts[0].categories.contains(&PhiCategory::MedicalRecordNumber));
    }

    #[test]
    fn a_bare_long_number_read_well_is_boxed_for_review() {
        let parts = Scanner::default().assess(&[line("7734219", 0.95)]).remove(0);
        assert_eq!(parts.len(), 1);
        assert!(parts[0].risk >= 0.5 && parts[0].risk < 0.75, "{}", parts[0].risk);
        assert!(Scanner::default().assess(&[line("Room 412", 0.95)]).remove(0).is_empty());
    }

    #[test]
    fn illegible_text_is_boxed_for_review_and_legible_plain_text_is_not() {
        let scanner = Scanner::default();
        let scrawl = scanner.assess(&[line("Mnrq Slthw", 0.3)]).remove(0);
        assert_eq!(scrawl.len(), 1);
        assert!(scrawl[0].risk >= 0.5 && scrawl[0].risk < 0.75, "boxed, but marked for review: {}", scrawl[0].risk);
        assert!(scanner.assess(&[line("Mnrq Slthw", 0.9)]).remove(0).is_empty());
        assert!(scanner.assess(&[line("~ .", 0.2)]).remove(0).is_empty(), "marks are not text");
    }

    #[test]
    fn a_poor_reading_is_cleared_only_by_another_reader_sure_of_the_same_region() {
        let scanner = Scanner::default();
        let read_poorly_and_elsewhere = |best| TextLine { best_confidence: best, ..line("Mnrq Slthw", 0.3) };
        assert!(scanner.assess(&[read_poorly_and_elsewhere(0.97)]).remove(0).is_empty(), "another reader read it plainly");
        assert_eq!(scanner.assess(&[read_poorly_and_elsewhere(0.9)]).remove(0).len(), 1, "sure, but perhaps surely wrong");
    }

    #[test]
    fn a_misread_cell_in_a_column_of_birth_dates_is_boxed_as_one() {
        let cell = |text: &str, row: f32| TextLine::read_at(text, BBox { x0: 300.0, y0: 30.0 * row, x1: 370.0, y1: 30.0 * row + 22.0 });
        let column = [cell("06/16/2021", 0.0), cell("328/195", 1.0), cell("01/27/1938", 2.0)];
        let parts = Scanner::default().assess(&column);
        assert_eq!(parts[1].len(), 1, "{parts:?}");
        assert_eq!(parts[1][0].categories, [PhiCategory::Date]);
        assert!(parts[1][0].risk >= crate::phi::DEFAULT_MIN_TEXT_RISK, "{}", parts[1][0].risk);
        assert!(parts[1][0].reasons[0].contains("table column"), "{:?}", parts[1][0].reasons);
        let alone = Scanner::default().assess(&column[1..2]);
        assert!(alone[0].is_empty(), "read alone it is no date: {alone:?}");
    }

    #[test]
    fn a_bare_identifier_in_a_barcode_is_phi_and_a_word_is_not() {
        let scanner = Scanner::default();
        let bbox = BBox { x0: 0.0, y0: 0.0, x1: 50.0, y1: 50.0 };
        let mrn = scanner.assess_payload(Some("00482913"), bbox).expect("an MRN");
        assert_eq!(mrn.categories, [PhiCategory::OtherIdentifier]);
        assert_eq!(mrn.extent(), bbox);
        assert!(scanner.assess_payload(Some("WASH-HANDS"), bbox).is_none());
    }

    #[test]
    fn a_signature_cell_reaches_past_the_ink_from_a_label_but_ends_with_a_closings_line() {
        let field = |keyword: &'static str, side, label_box| LabelledValue {
            label: crate::phi::labels::bare_label(keyword).unwrap(),
            side,
            label_box,
        };
        let ink = BBox { x0: 100.0, y0: 100.0, x1: 200.0, y1: 130.0 };
        let caption = BBox { x0: 120.0, y0: 135.0, x1: 220.0, y1: 155.0 };
        assert_eq!(signature_cell(&field("(Signature)", Side::Below, caption), &ink), BBox { x0: 100.0, y0: 60.0, x1: 220.0, y1: 135.0 });
        let closing = BBox { x0: 100.0, y0: 60.0, x1: 170.0, y1: 80.0 };
        assert_eq!(signature_cell(&field("Sincerely,", Side::Above, closing), &ink), BBox { x0: 100.0, y0: 80.0, x1: 200.0, y1: 130.0 });
        let label = BBox { x0: 100.0, y0: 60.0, x1: 170.0, y1: 80.0 };
        assert_eq!(signature_cell(&field("Signature", Side::Above, label), &ink), BBox { x0: 100.0, y0: 80.0, x1: 200.0, y1: 170.0 });
    }
}
