//! Form layout: which label a line of text fills in. A value sits to the right of its label on
//! the same row ("Address: | 456 Landlord Town") or under it in the same column (a "Zip"
//! header over "12345"); a signature may also stand on its line over a caption ("(Signature)").
//! The label decides what the value is even when the value alone says nothing ("Sample Town",
//! "414-2285", a scrawled signature).

use super::labels::{bare_label, FieldLabel};
use super::recognizers::{is_not_personal_number_label, organisation_named};
use super::TextLine;
use crate::geometry::{direction, quad_bbox, BBox};

/// Where a value's label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Above,
    /// A signature's caption under the line it is signed on.
    Below,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelledValue {
    pub label: FieldLabel,
    pub side: Side,
    pub label_box: BBox,
}

/// Values are short: a sentence under a label is more text of the form, not an answer.
const MAX_VALUE_WORDS: usize = 6;
/// How far a label may be from its value, in text heights: across a row, and down a column
/// per line of stacked header (`LINES_UP` of them at most).
const MAX_GAP_ACROSS: f32 = 1.5;
const MAX_GAP_DOWN: f32 = 2.5;
/// A header and the cells under it share at least this much of the narrower one's width: a
/// long line that only reaches under a header's edge is not in its column.
const MIN_SHARED_COLUMN: f32 = 0.5;
/// Column headers can be stacked ("Date of" / "Birth" / "(mm/dd/yy)"): look this many lines up.
const LINES_UP: usize = 3;

/// For each line, the label it is the value of, if any.
pub fn labelled_values(lines: &[TextLine]) -> Vec<Option<LabelledValue>> {
    let labels: Vec<Option<FieldLabel>> = lines.iter().map(|line| bare_label(&line.text)).collect();
    // "Signature:" announces a value to its right; a header without a colon heads a column
    // (or captions the signature over it).
    let heads_column = |j: usize| !lines[j].text.contains(':');
    let frame = boxes_in_reading_frame(lines);
    lines
        .iter()
        .enumerate()
        .map(|(i, value)| {
            if labels[i].is_some() || is_label_note(&value.text) || value.text.split_whitespace().count() > MAX_VALUE_WORDS {
                return None;
            }
            // A firm's name under "Sincerely," or over "Authorized Signature" is not its signature.
            let signed_by_firm = |label: &FieldLabel| label.is_signature() && organisation_named(&value.text).is_some();
            let labelled = |j: usize, side| {
                labels[j].filter(|label| label.accepts(&value.text) && !signed_by_firm(label)).map(|label| LabelledValue {
                    label,
                    side,
                    label_box: lines[j].bbox,
                })
            };
            let here = &frame[i];
            let left = nearest_left_on_same_row(&frame, i);
            let mut above: Vec<usize> =
                (0..lines.len()).filter(|&j| j != i && heads_column(j) && is_above_in_same_column(&frame[j], here)).collect();
            above.sort_by(|&a, &b| frame[b].y1.total_cmp(&frame[a].y1));
            let caption_below = || {
                (0..lines.len())
                    .filter(|&j| {
                        heads_column(j) && labels[j].is_some_and(|label| label.captions_signature()) && is_caption_under(&frame[j], here)
                    })
                    .find_map(|j| labelled(j, Side::Below))
            };
            left.and_then(|j| labelled(j, Side::Left))
                .or_else(|| above.into_iter().take(LINES_UP).find_map(|j| labelled(j, Side::Above)))
                .or_else(caption_below)
        })
        .collect()
}

/// For each line, whether it is a number or code printed beside the label of a product's, a
/// place's or a bank's number ("Lot" | "A12345B", "Routing" | "227077620"): one token with
/// digits in it, the label its nearest neighbour to the left on its row.
pub fn numbers_beside_impersonal_labels(lines: &[TextLine]) -> Vec<bool> {
    let frame = boxes_in_reading_frame(lines);
    let one_code = |text: &str| text.split_whitespace().count() == 1 && text.chars().filter(char::is_ascii_digit).count() >= 3;
    (0..lines.len())
        .map(|i| {
            one_code(&lines[i].text) && nearest_left_on_same_row(&frame, i).is_some_and(|j| is_not_personal_number_label(&lines[j].text))
        })
        .collect()
}

/// The line nearest to the left of line `i` on its row, in the reading frame `frame`.
fn nearest_left_on_same_row(frame: &[BBox], i: usize) -> Option<usize> {
    let here = &frame[i];
    (0..frame.len())
        .filter(|&j| j != i && is_left_on_same_row(&frame[j], here))
        .min_by(|&a, &b| (here.x0 - frame[a].x1).total_cmp(&(here.x0 - frame[b].x1)))
}

/// A letterhead holds at most this many lines of address and contacts under its name line,
/// which is a heading of at most `LETTERHEAD_NAME_WORDS` words.
const LETTERHEAD_LINES: usize = 2;
const LETTERHEAD_NAME_WORDS: usize = 6;

/// For each line, whether it stands in a letterhead: at most `LETTERHEAD_LINES` lines
/// straight under a short line naming an organisation ("Lakeview Community Hospital" over
/// "6564 Tamarack Way · Tuscaloosa, AL 58482"), each close under the one above it.
pub fn in_letterhead(lines: &[TextLine]) -> Vec<bool> {
    let frame = boxes_in_reading_frame(lines);
    // The line each stands straight under, found once for every line.
    let straight_above: Vec<Option<usize>> = (0..lines.len())
        .map(|i| {
            (0..lines.len())
                .filter(|&j| is_straight_above(&frame[j], &frame[i]))
                .min_by(|&a, &b| (frame[i].y0 - frame[a].y1).total_cmp(&(frame[i].y0 - frame[b].y1)))
        })
        .collect();
    let names_organisation =
        |line: &TextLine| line.text.split_whitespace().count() <= LETTERHEAD_NAME_WORDS && organisation_named(&line.text).is_some();
    (0..lines.len())
        .map(|i| {
            let mut at = i;
            for _ in 0..LETTERHEAD_LINES {
                let Some(above) = straight_above[at] else { return false };
                if names_organisation(&lines[above]) {
                    return true;
                }
                at = above;
            }
            false
        })
        .collect()
}

/// For each line, the lines stacked on it: just above or just below, starting where it starts,
/// in print of about its size (a card's surname over its given names).
pub fn stacked_neighbours(lines: &[TextLine]) -> Vec<Vec<usize>> {
    let frame = boxes_in_reading_frame(lines);
    (0..lines.len())
        .map(|i| (0..lines.len()).filter(|&j| is_stacked(&frame[j], &frame[i]) || is_stacked(&frame[i], &frame[j])).collect())
        .collect()
}

/// Whether `lower` is the line under `upper` at its left edge, the two of a size.
fn is_stacked(upper: &BBox, lower: &BBox) -> bool {
    let (short, tall) = (upper.height().min(lower.height()), upper.height().max(lower.height()));
    let gap = lower.y0 - upper.y1;
    upper.y0 < lower.y0 && tall <= 2.0 * short && gap >= -0.5 * short && gap <= 0.8 * short && (upper.x0 - lower.x0).abs() <= short
}

/// How far, in the lower line's heights, the line above may reach into it: the detector's
/// outlines run past the ink, and a letterhead set tight has its name's outline over its
/// address's (at 0.3 such addresses were boxed as a patient's; see docs/benchmarks.md, stop 65).
const MAX_OVERLAP_ABOVE: f32 = 0.5;

/// Whether `upper` is the line just above `lower`, sharing most of the narrower one's width.
fn is_straight_above(upper: &BBox, lower: &BBox) -> bool {
    let gap = lower.y0 - upper.y1;
    let shared_columns = upper.x1.min(lower.x1) - upper.x0.max(lower.x0);
    upper.y0 < lower.y0
        && gap >= -MAX_OVERLAP_ABOVE * lower.height()
        && gap <= lower.height()
        && shared_columns > 0.5 * upper.width().min(lower.width())
}

/// The unit vector along the page's lines: the length-weighted mean of their reading
/// directions (along x when there is none).
fn reading_direction(lines: &[TextLine]) -> (f32, f32) {
    let (dx, dy) = lines.iter().fold((0.0, 0.0), |(x, y), line| {
        let [start, end, ..] = line.outline;
        (x + end.0 - start.0, y + end.1 - start.1)
    });
    direction((0.0, 0.0), (dx, dy)).unwrap_or((1.0, 0.0))
}

/// Each line's box in the text's own frame: the image turned so that the lines' mean reading
/// direction runs left to right, so "beside" and "under" mean what they mean on the page,
/// however the photo was taken.
pub(super) fn boxes_in_reading_frame(lines: &[TextLine]) -> Vec<BBox> {
    boxes_along(lines, reading_direction(lines))
}

/// Each line's box in the frame whose x axis runs along the unit vector `(cos, sin)`.
fn boxes_along(lines: &[TextLine], (cos, sin): (f32, f32)) -> Vec<BBox> {
    lines.iter().map(|line| quad_bbox(&line.outline.map(|(x, y)| (x * cos + y * sin, y * cos - x * sin)))).collect()
}

/// A margin stamp has this many digits (a Bates number's eight to ten, with room for a misread).
const STAMP_DIGITS: std::ops::RangeInclusive<usize> = 7..=12;
/// Only a page of this many lines has a body to tell a margin from.
const STAMP_MIN_PAGE_LINES: usize = 15;
/// A line turned this far from the page's lines (the cosine between their directions) runs
/// across them.
const STAMP_MAX_ALIGNMENT: f32 = 0.3;
/// At least this share of the page's other lines ends before the stamp begins.
const STAMP_MIN_SHARE_BEFORE: f32 = 0.7;
/// A stamp printed along the page's foot, in its lines' direction, stands under at least
/// this share of them: it is the page's last line.
const FOOT_STAMP_MIN_SHARE_ABOVE: f32 = 0.95;

/// For each line, whether it is a number stamped along a page's margin: digits alone, turned a
/// quarter from the page's lines and beyond the end of nearly all of them, as litigation and
/// archive copies carry a control (Bates) number down the right edge of every page, or in the
/// lines' direction under all of them, along the page's foot. Only on a page: text in
/// portrait, of at least `STAMP_MIN_PAGE_LINES` lines. An ID card's or a wristband's text runs
/// wider than it is tall, and a number along its edge is its holder's.
pub fn margin_stamps(lines: &[TextLine]) -> Vec<bool> {
    let page_direction = reading_direction(lines);
    let frame = boxes_along(lines, page_direction);
    let Some(extent) = frame.iter().copied().reduce(|a, b| a.union(&b)) else { return Vec::new() };
    if lines.len() < STAMP_MIN_PAGE_LINES || extent.height() < extent.width() {
        return vec![false; lines.len()];
    }
    let digits_alone = |text: &str| {
        let digits = text.chars().filter(|c| !c.is_whitespace()).count();
        STAMP_DIGITS.contains(&digits) && text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
    };
    let turned = |line: &TextLine| {
        let [start, end, ..] = line.outline;
        direction(start, end).is_some_and(|(x, y)| (x * page_direction.0 + y * page_direction.1).abs() < STAMP_MAX_ALIGNMENT)
    };
    let beyond_the_text = |i: usize| {
        let ending_before = frame.iter().enumerate().filter(|&(j, other)| j != i && other.x1 <= frame[i].x0).count();
        ending_before as f32 >= STAMP_MIN_SHARE_BEFORE * (lines.len() - 1) as f32
    };
    let under_the_text = |i: usize| {
        let standing_above = frame.iter().enumerate().filter(|&(j, other)| j != i && other.y1 <= frame[i].y0).count();
        standing_above as f32 >= FOOT_STAMP_MIN_SHARE_ABOVE * (lines.len() - 1) as f32
    };
    (0..lines.len())
        .map(|i| digits_alone(&lines[i].text) && if turned(&lines[i]) { beyond_the_text(i) } else { under_the_text(i) })
        .collect()
}

/// A parenthesised line under a header explains the header ("(Last, First, Middle)",
/// "(mm/dd/yy)"); it is not filled in.
fn is_label_note(text: &str) -> bool {
    let text = text.trim();
    text.starts_with('(') && text.ends_with(')')
}

/// Whether `caption` stands close under `value`, sharing some of its width: the signature line
/// lies between them.
fn is_caption_under(caption: &BBox, value: &BBox) -> bool {
    let height = caption.height().max(value.height());
    let gap = caption.y0 - value.y1;
    let shared_columns = caption.x1.min(value.x1) - caption.x0.max(value.x0);
    shared_columns > 0.0 && gap >= -0.5 * height && gap <= height && value.y0 < caption.y0
}

fn is_left_on_same_row(label: &BBox, value: &BBox) -> bool {
    let height = label.height().max(value.height());
    let shared_rows = label.y1.min(value.y1) - label.y0.max(value.y0);
    let gap = value.x0 - label.x1;
    shared_rows >= 0.5 * label.height().min(value.height()) && label.x0 < value.x0 && gap <= MAX_GAP_ACROSS * height && gap >= -0.5 * height
}

fn is_above_in_same_column(label: &BBox, value: &BBox) -> bool {
    let height = label.height().max(value.height());
    let gap = value.y0 - label.y1;
    let shared_columns = label.x1.min(value.x1) - label.x0.max(value.x0);
    shared_columns >= MIN_SHARED_COLUMN * label.width().min(value.width())
        && gap >= -0.5 * height
        && gap <= MAX_GAP_DOWN * height * LINES_UP as f32
        && label.y0 < value.y0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phi::PhiCategory;

    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        TextLine::read_at(text, BBox { x0: x, y0: y, x1: x + w, y1: y + h })
    }

    fn categories(lines: &[TextLine]) -> Vec<Option<PhiCategory>> {
        labelled_values(lines).into_iter().map(|v| v.map(|v| v.label.category)).collect()
    }

    #[test]
    fn values_under_column_headers_and_beside_row_labels() {
        let lines = [
            line("City", 594.0, 613.0, 37.0, 24.0),
            line("Zip", 863.0, 611.0, 35.0, 27.0),
            line("Sample Town", 522.0, 626.0, 136.0, 31.0),
            line("12345", 861.0, 627.0, 68.0, 31.0),
            line("Telephone No.: (", 617.0, 1039.0, 124.0, 24.0),
            line(")314-8888", 770.0, 1037.0, 90.0, 24.0),
        ];
        use PhiCategory::*;
        assert_eq!(categories(&lines), [None, None, Some(Geographic), Some(Geographic), None, Some(Phone)]);
    }

    #[test]
    fn a_column_header_labels_the_cells_under_it_but_not_a_line_reaching_under_its_edge() {
        let header = line("DOB", 410.0, 40.0, 60.0, 30.0);
        let cell = line("05/22/1948", 400.0, 110.0, 200.0, 30.0);
        // A monitor's vitals, left of the table's date column.
        let vitals = line("HR 72 SpO2 98% NIBP 120/80", 36.0, 250.0, 384.0, 30.0);
        assert_eq!(categories(&[header, cell, vitals]), [None, Some(PhiCategory::Date), None]);
    }

    #[test]
    fn the_care_team_on_a_door_card_is_labelled_by_role() {
        // As on a sticky note over a ward bed: each role on the line above a handwritten name.
        let role_over_name = |role: &str, name: &str, y: f32| [line(role, 167.0, y, 140.0, 19.0), line(name, 165.0, y + 20.0, 130.0, 21.0)];
        let lines: Vec<TextLine> =
            [role_over_name("Nurse", "Quóc", 325.0), role_over_name("Attending Physician", "Dr. S. Bin Saleh", 380.0)]
                .into_iter()
                .flatten()
                .collect();
        assert_eq!(categories(&lines), [None, Some(PhiCategory::Name), None, Some(PhiCategory::Name)]);
    }

    #[test]
    fn a_whiteboards_credential_header_labels_its_column_but_not_a_name_beside_it() {
        let lines = [line("RN", 520.0, 170.0, 30.0, 20.0), line("XINYI", 515.0, 200.0, 70.0, 36.0)];
        assert_eq!(categories(&lines), [None, Some(PhiCategory::Name)]);
        let discharge = [line("D/C", 870.0, 107.0, 53.0, 37.0), line("81", 875.0, 160.0, 57.0, 40.0)];
        assert_eq!(categories(&discharge), [None, Some(PhiCategory::Date)], "a discharge date read without its slash");
        let signed = [line("Jane Roe, RN", 100.0, 170.0, 120.0, 20.0), line("Ward 4 West", 100.0, 195.0, 110.0, 20.0)];
        assert_eq!(categories(&signed), [None, None], "a credential after a name labels nothing");
    }

    fn sides(lines: &[TextLine]) -> Vec<Option<Side>> {
        labelled_values(lines).into_iter().map(|v| v.map(|v| v.side)).collect()
    }

    #[test]
    fn a_signature_over_its_caption_is_the_captions_value() {
        let lines = [
            line("Business Address One Park Avenue", 60.0, 700.0, 400.0, 20.0),
            line("A", 105.0, 796.0, 108.0, 52.0),
            line("(Signature)", 172.0, 838.0, 112.0, 22.0),
            line("Return this form in the envelope", 200.0, 930.0, 300.0, 20.0),
        ];
        assert_eq!(sides(&lines)[1], Some(Side::Below), "the scrawl over the caption");
        assert_eq!(sides(&lines)[0], None, "text far over the caption is no signature");
        // "Signature:" announces a value to its right: the line over it is another field's.
        let lines = [line("Mary Ellen Park", 100.0, 100.0, 150.0, 20.0), line("Signature:", 100.0, 124.0, 90.0, 20.0)];
        assert_eq!(sides(&lines), [None, None]);
    }

    #[test]
    fn under_a_letters_closing_the_signature_and_typed_name_but_not_the_firm() {
        let lines = [
            line("We look forward to seeing her at the clinic.", 80.0, 620.0, 420.0, 24.0),
            line("Sincerely,", 80.0, 668.0, 74.0, 26.0),
            line("Dõ", 86.0, 700.0, 58.0, 43.0),
            line("ĐỖ, BẢO NGỌC MD", 82.0, 745.0, 144.0, 23.0),
            line("Lakeview Community Hospital", 82.0, 770.0, 200.0, 23.0),
        ];
        let found = labelled_values(&lines);
        let closing = |i: usize| found[i].is_some_and(|v| v.label.is_closing() && v.side == Side::Above);
        assert!(closing(2) && closing(3), "{found:?}");
        assert!(found[0].is_none() && found[4].is_none(), "a closing captions nothing over it; a firm signs nothing");
    }

    #[test]
    fn a_letterhead_is_the_lines_under_an_organisations_name() {
        let lines = [
            line("Lakeview Community Hospital", 60.0, 0.0, 400.0, 30.0),
            line("6564 Tamarack Way, Tuscaloosa, AL 58482", 62.0, 34.0, 300.0, 16.0),
            line("Tel (336) 555-0169 www.lakeview.example.org", 64.0, 52.0, 330.0, 16.0),
            line("Fax 336-555-0102", 66.0, 70.0, 120.0, 16.0),
            line("74 Foxglove Ln, Ypsilanti, MI 20857", 150.0, 200.0, 250.0, 16.0),
            line("She was seen at the Lakeview Community Hospital clinic on Monday", 60.0, 300.0, 500.0, 16.0),
            line("74 Foxglove Ln, Ypsilanti, MI 20857", 60.0, 318.0, 250.0, 16.0),
        ];
        assert_eq!(in_letterhead(&lines), [false, true, true, false, false, false, false], "two lines under a heading that names one");
        let set_tight = [
            line("Northwind Staffing Inc.", 60.0, 0.0, 220.0, 34.0),
            line("2691 Whispering Pines Pkwy, Winston-Salem, NC 98906", 60.0, 26.0, 330.0, 20.0),
        ];
        assert_eq!(in_letterhead(&set_tight), [false, true], "outlines overlapping by 0.4 of a line");
        let overlapping = [line("Northwind Staffing Inc.", 60.0, 0.0, 220.0, 34.0), line("74 Foxglove Ln", 60.0, 20.0, 330.0, 20.0)];
        assert_eq!(in_letterhead(&overlapping), [false, false], "a line running into another's print is no line under it");
    }

    #[test]
    fn a_form_photographed_turned_a_quarter_keeps_its_labels() {
        // "Zip" over "12345" on the page; the photo is turned a quarter clockwise, so the page's
        // lines run down the image and "under" is to the left.
        let turned = |text: &str, x: f32, y: f32, w: f32, h: f32| {
            let (x0, y0, x1, y1) = (1000.0 - y - h, x, 1000.0 - y, x + w);
            TextLine { outline: [(x1, y0), (x1, y1), (x0, y1), (x0, y0)], ..line(text, x0, y0, x1 - x0, y1 - y0) }
        };
        let lines = [
            turned("Zip", 863.0, 611.0, 35.0, 27.0),
            turned("12345", 861.0, 642.0, 68.0, 31.0),
            turned("Spouse", 700.0, 642.0, 80.0, 31.0),
        ];
        assert_eq!(categories(&lines), [None, Some(PhiCategory::Geographic), None]);
    }

    #[test]
    fn sentences_far_text_and_implausible_values_are_not_filled_in_fields() {
        let lines = [
            line("Home Phone", 55.0, 689.0, 90.0, 26.0),
            line("Please call us any time, we are open all night", 55.0, 720.0, 600.0, 26.0),
            line("Zip", 863.0, 611.0, 35.0, 27.0),
            line("Spouse", 863.0, 1200.0, 80.0, 27.0),
            line("Phone", 55.0, 900.0, 60.0, 26.0),
            line("Yes", 55.0, 930.0, 40.0, 26.0),
            line("Provider Signature:", 1000.0, 900.0, 300.0, 40.0),
            line("Vaccine", 1000.0, 950.0, 120.0, 40.0),
            line("Name", 2000.0, 900.0, 60.0, 26.0),
            line("(Last, First, Middle)", 2000.0, 930.0, 150.0, 26.0),
        ];
        assert!(categories(&lines).iter().all(Option::is_none), "{:?}", categories(&lines));
    }

    /// A line running down the page, top to bottom, in `bbox`.
    fn turned_line(text: &str, x: f32, y: f32, w: f32, h: f32) -> TextLine {
        let (x0, y0, x1, y1) = (x, y, x + w, y + h);
        TextLine { outline: [(x1, y0), (x1, y1), (x0, y1), (x0, y0)], ..line(text, x, y, w, h) }
    }

    #[test]
    fn a_number_stamped_down_a_pages_margin_is_told_from_a_cards_and_from_the_text() {
        let page: Vec<TextLine> =
            (0..16).map(|i| line("Enclosed are copies of the process", 50.0, 40.0 + 30.0 * i as f32, 450.0, 20.0)).collect();
        let with = |extra: TextLine| [page.clone(), vec![extra]].concat();
        let stamped = |lines: &[TextLine]| margin_stamps(lines).last().copied();
        assert_eq!(stamped(&with(turned_line("92314414", 700.0, 800.0, 15.0, 90.0))), Some(true), "a Bates number");
        assert_eq!(stamped(&with(turned_line("5222 1963", 700.0, 800.0, 15.0, 90.0))), Some(true), "read in two groups");
        assert_eq!(stamped(&with(line("92314414", 20.0, 900.0, 90.0, 15.0))), Some(true), "along the page's foot");
        assert_eq!(stamped(&with(line("92314414", 700.0, 300.0, 90.0, 15.0))), Some(false), "along the lines, beside them");
        assert_eq!(stamped(&with(turned_line("WC935934", 700.0, 800.0, 15.0, 90.0))), Some(false), "letters in it");
        assert_eq!(stamped(&with(turned_line("92314414", 20.0, 300.0, 15.0, 90.0))), Some(false), "before the text");
        let card: Vec<TextLine> = (0..16).map(|i| line("DLN 12345 EXP 01/02/2030", 50.0, 40.0 + 12.0 * i as f32, 600.0, 10.0)).collect();
        let card = [card, vec![turned_line("749782148", 700.0, 100.0, 15.0, 90.0)]].concat();
        assert_eq!(stamped(&card), Some(false), "a card's edge: text wider than tall");
        let short_page: Vec<TextLine> = (0..10).map(|i| line("Enclosed are copies", 50.0, 40.0 + 80.0 * i as f32, 450.0, 20.0)).collect();
        let short_page = [short_page, vec![turned_line("92314414", 700.0, 800.0, 15.0, 90.0)]].concat();
        assert_eq!(stamped(&short_page), Some(false), "too few lines to tell a margin");
    }

    #[test]
    fn a_code_beside_the_label_of_a_products_or_banks_number_is_no_persons() {
        let beside = |label: &str, value: &str| {
            let lines = [line(label, 50.0, 100.0, 60.0, 20.0), line(value, 125.0, 100.0, 90.0, 20.0)];
            numbers_beside_impersonal_labels(&lines)
        };
        assert_eq!(beside("Lot", "A12345B"), [false, true]);
        assert_eq!(beside("Routing #", "227077620"), [false, true]);
        assert_eq!(beside("NDC:", "0093-7146-56"), [false, true]);
        assert_eq!(beside("MRN", "227077620"), [false, false], "a person's label");
        assert_eq!(beside("Lot", "Maria Lopez"), [false, false], "words, not a code");
        assert_eq!(beside("Lot", "12"), [false, false], "too short to be anyone's");
        let below = [line("Lot", 50.0, 100.0, 60.0, 20.0), line("227077620", 50.0, 130.0, 90.0, 20.0)];
        assert_eq!(numbers_beside_impersonal_labels(&below), [false, false], "beside, not under");
    }
}
