//! Licence plates, Safe Harbor's vehicle identifiers: a line of text that reads as a
//! registration (`Scanner::registration`) printed on a plate (`shape`). Each is its own
//! finding (region kind `plate`), its registration boxed as far as the plate reaches, and a
//! plate's text is not scored again as text.
//!
//! The text detector already outlines plates' characters; what it lacked was knowing them for
//! an identifier. A registration alone ("ABC 1234") could be a part number on a page, and a
//! plate-shaped sign ("EXIT") says nothing: both together make a plate.

pub mod close_up;
mod shape;

use close_up::is_a_page;
use shape::{aspect, plate_around, PlateShape, MIN_CONTRAST_IN_A_SCENE, MIN_CONTRAST_ON_A_PAGE};

use crate::detect::{core_of, TINY_DETECTOR};
use crate::geometry::{quad_bbox, BBox};
use crate::ocr::part_of_line;
use crate::phi::{is_state_and_zip, Assessment, PhiCategory, Registration, Scanner, TextLine};
use image::RgbImage;
use std::ops::Range;

/// A registration in a known format, on a plate: what `--min-risk` and review see.
const FORMAT_STRENGTH: f32 = 0.9;
/// Letters and digits in a registration's shape but in no format known here: boxed, and left
/// for review (under the default review threshold).
const SHAPE_STRENGTH: f32 = 0.72;

/// How many sides of a plate may show no end (its ground running into a car's paint of the
/// same colour): one, or two for a registration in a known format, the stronger sign, and
/// any for one standing alone (a white plate on a white van), as no line on a page does.
const OPEN_SIDES: usize = 1;
const OPEN_SIDES_OF_A_FORMAT: usize = 2;
const OPEN_SIDES_ALONE: usize = 4;
/// A line stands alone when no other line at least this share of its height lies within this
/// many of its heights above or below it (a plate's state name and slogan are smaller).
const NEIGHBOUR_HEIGHT: f32 = 0.7;
const NEIGHBOUR_REACH: f32 = 2.0;
/// A plate read on one line with writing beside it ends at least this many character heights
/// clear of the writing: the reader places a character up to about half a height short of
/// where its ink ends, and a plate's margin and rim lie beyond that.
const CLEAR_OF_WRITING: f32 = 0.5;

/// For each line, the plate it is printed on, if any, as an assessment of category
/// `vehicle_identifier` whose outline is the registration's print within the plate's rows.
pub fn plates_among(image: &RgbImage, lines: &[TextLine], scanner: &Scanner) -> Vec<Option<Assessment>> {
    // A page's many lines ask a plate for plainer print than a street's few.
    let min_contrast = if is_a_page(lines.len()) { MIN_CONTRAST_ON_A_PAGE } else { MIN_CONTRAST_IN_A_SCENE };
    lines
        .iter()
        .map(|line| {
            plate_of_line(image, line, lines, scanner, min_contrast).or_else(|| plate_beside_writing(image, line, scanner, min_contrast))
        })
        .collect()
}

/// The plate a whole line is printed on.
fn plate_of_line(image: &RgbImage, line: &TextLine, lines: &[TextLine], scanner: &Scanner, min_contrast: f32) -> Option<Assessment> {
    let registration = scanner.registration(&line.text)?;
    let open_sides = match registration.format {
        Some(_) if stands_alone(line, lines) => OPEN_SIDES_ALONE,
        Some(_) => OPEN_SIDES_OF_A_FORMAT,
        None => OPEN_SIDES,
    };
    // The core as the tiny detector grew it; a second look's region, grown more, gives a core
    // a little larger than its own, with a little more ground around the print.
    let core = core_of(&line.bbox, TINY_DETECTOR.unclip_ratio)?;
    let plate = plate_around(image, &core, open_sides, min_contrast)?;
    // The registration's line, no higher or lower than the plate: what is read is boxed, not
    // the state's name or the paint around it. Along the line the detector's outline is kept:
    // the plate's ends as seen from the print's middle can fall on its last characters.
    let outline = within_rows_of(&line.bbox, &plate.rect);
    Some(plate_assessment(line, 0..line.text.len(), &registration, &plate, outline))
}

/// The plate printed on the first or last words of a line read together with writing beside
/// it (`MEDIC 27 FL 59 RM`: an ambulance's unit number and its plate). Only a registration in a
/// known format, on a plate whose end towards the writing is seen, clear of the writing: a
/// plate's margin and rim part them, where on a page or a card the end found beside a value
/// is its neighbour's ink (`Anchorage, AK 74580`).
fn plate_beside_writing(image: &RgbImage, line: &TextLine, scanner: &Scanner, min_contrast: f32) -> Option<Assessment> {
    let (text, end) = (&line.text, line.text.len());
    let spaces: Vec<usize> = text.match_indices(' ').map(|(at, _)| at).collect();
    // (the registration's words, the writing beside them), the longest registrations first.
    let suffixes = spaces.iter().map(|&at| (at + 1..end, 0..at));
    let prefixes = spaces.iter().rev().map(|&at| (0..at, at + 1..end));
    suffixes.chain(prefixes).find_map(|(words, beside)| {
        let (words, beside) = (trimmed(text, words), trimmed(text, beside));
        if words.is_empty() || beside.is_empty() {
            return None;
        }
        // At the end of other writing, a state and ZIP (`EL PASO, TX 79905`) ends an address,
        // though Illinois's plates read that way too (on a plate of their own they are kept).
        if is_state_and_zip(&text[words.clone()]) {
            return None;
        }
        let registration = scanner.registration(&text[words.clone()]).filter(|found| found.format.is_some())?;
        let core = core_of(&line.bbox, TINY_DETECTOR.unclip_ratio)?;
        let box_of = |range: &Range<usize>| line.span_of(range).map(|(from, to)| quad_bbox(&part_of_line(&line.outline, from, to)));
        let (print, writing) = (box_of(&words)?, box_of(&beside)?);
        let print = BBox { y0: core.y0, y1: core.y1, ..print };
        let plate = plate_around(image, &print, OPEN_SIDES_OF_A_FORMAT, min_contrast)?;
        let [_, _, left_seen, right_seen] = plate.ends_seen;
        let clearance = CLEAR_OF_WRITING * core.height();
        let apart = match writing.x1 <= print.x0 {
            true => left_seen && plate.rect.x0 >= writing.x1 + clearance,
            false => right_seen && plate.rect.x1 <= writing.x0 - clearance,
        };
        if !apart {
            return None;
        }
        let outline = within_rows_of(&BBox { x0: print.x0.min(plate.rect.x0), x1: print.x1.max(plate.rect.x1), ..line.bbox }, &plate.rect);
        Some(plate_assessment(line, words, &registration, &plate, outline))
    })
}

/// `range` of `text` without the spaces at its ends.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let inner = &text[range.clone()];
    let start = range.start + (inner.len() - inner.trim_start().len());
    start..start + inner.trim().len()
}

/// The finding of a plate whose registration is `range` of `line`, boxed as `outline`.
fn plate_assessment(line: &TextLine, range: Range<usize>, registration: &Registration, plate: &PlateShape, outline: BBox) -> Assessment {
    let (strength, read_as) = match registration.format {
        Some(format) => (FORMAT_STRENGTH, format!("reads as a registration: {format}")),
        None => (SHAPE_STRENGTH, "reads as a registration: letters and digits in a plate's shape".to_string()),
    };
    let ink = if plate.dark_on_light { "dark characters on a light plate" } else { "light characters on a dark plate" };
    Assessment {
        text: line.text[range.clone()].to_string(),
        range,
        categories: vec![PhiCategory::VehicleIdentifier],
        // Plates are read from afar and at a slant: a poor reading still counts.
        risk: strength * (0.5 + 0.5 * line.best_confidence),
        reasons: vec![format!("plate-shaped region ({ink}, {:.1}:1)", aspect(&plate.rect)), read_as],
        outline: outline.outline(),
        follows_print: false,
    }
}

/// Whether no line of about `line`'s height or more runs across it within a few of its
/// heights above or below (other readings of the same region are the same line).
fn stands_alone(line: &TextLine, lines: &[TextLine]) -> bool {
    let (own, height) = (&line.bbox, line.bbox.height());
    lines.iter().filter(|other| other.bbox != *own).all(|other| {
        let across = other.bbox.x0 < own.x1 && own.x0 < other.bbox.x1;
        let near = other.bbox.y0 < own.y1 + NEIGHBOUR_REACH * height && own.y0 - NEIGHBOUR_REACH * height < other.bbox.y1;
        !(across && near && other.bbox.height() >= NEIGHBOUR_HEIGHT * height)
    })
}

/// `line` cut to the rows of `plate` (`plate` itself when they do not meet).
fn within_rows_of(line: &BBox, plate: &BBox) -> BBox {
    let cut = BBox { y0: line.y0.max(plate.y0), y1: line.y1.min(plate.y1), ..*line };
    if cut.area() > 0.0 {
        cut
    } else {
        *plate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_at(x0: f32, y0: f32, x1: f32, y1: f32) -> TextLine {
        TextLine::read_at("7ABC123", BBox { x0, y0, x1, y1 })
    }

    /// `MEDIC 27 FL 59 RM` read as one line on a white ground, `FL 59 RM` from `registration_at`
    /// on, in a white `frame` with a grey rim where there is one. Characters are drawn as
    /// blocks, 20 px high.
    fn written_line(frame: Option<(i32, u32)>, registration_at: i32) -> (RgbImage, TextLine) {
        use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_rect_mut};
        use imageproc::rect::Rect;
        let mut image = RgbImage::from_pixel(400, 200, image::Rgb([238, 238, 238]));
        if let Some((left, width)) = frame {
            draw_filled_rect_mut(&mut image, Rect::at(left, 80).of_size(width, 44), image::Rgb([250, 250, 250]));
            draw_hollow_rect_mut(&mut image, Rect::at(left, 80).of_size(width, 44), image::Rgb([140, 140, 140]));
        }
        let text = "MEDIC 27 FL 59 RM";
        // The detector's outline, grown from the characters' box as the tiny detector grows it.
        let (line_x0, line_x1) = (47.0, 323.0);
        let left_of = |k: usize| if k < 9 { 60 + 14 * k as i32 } else { registration_at + 12 * (k as i32 - 9) };
        for (k, c) in text.chars().enumerate() {
            if c != ' ' {
                draw_filled_rect_mut(&mut image, Rect::at(left_of(k), 92).of_size(8, 20), image::Rgb([20, 30, 90]));
            }
        }
        let along = |x: i32| (x as f32 - line_x0) / (line_x1 - line_x0);
        let char_spans = (0..text.len()).map(|k| (along(left_of(k)), along(left_of(k) + 10))).collect();
        let line = TextLine { char_spans, ..TextLine::read_at(text, BBox { x0: line_x0, y0: 79.0, x1: line_x1, y1: 125.0 }) };
        (image, line)
    }

    #[test]
    fn a_plate_read_together_with_the_writing_beside_it_is_found_at_the_lines_end() {
        let scanner = Scanner::new(crate::phi::NameLists::default(), crate::phi::TextPolicy::default());
        let plate_of = |(image, line): (RgbImage, TextLine)| plates_among(&image, &[line], &scanner).remove(0);
        // An ambulance's unit number painted beside its plate.
        let plate = plate_of(written_line(Some((200, 124)), 214)).expect("the plate at the line's end");
        assert_eq!((plate.text.as_str(), plate.range.clone()), ("FL 59 RM", 9..17));
        let boxed = plate.extent();
        assert!(boxed.x0 >= 195.0 && boxed.x0 <= 214.0 && boxed.x1 >= 300.0 && boxed.x1 <= 330.0, "{boxed:?}");
        assert_eq!(plate_of(written_line(None, 214)), None, "the same words along a page");
        // A sign framed like a plate, its words a space apart: one writing, no plate beside it.
        assert_eq!(plate_of(written_line(Some((50, 280)), 176)), None, "a framed sign");
    }

    #[test]
    fn a_plates_line_stands_alone_and_a_pages_does_not() {
        let plate = line_at(100.0, 100.0, 220.0, 130.0);
        let state_name = line_at(120.0, 85.0, 200.0, 97.0);
        let same_region_read_again = line_at(100.0, 100.0, 220.0, 130.0);
        assert!(stands_alone(&plate, &[plate.clone(), state_name, same_region_read_again]));
        let next_line_on_a_page = line_at(100.0, 140.0, 400.0, 170.0);
        assert!(!stands_alone(&plate, &[plate.clone(), next_line_on_a_page]));
        let far_below = line_at(100.0, 300.0, 400.0, 330.0);
        let beside = line_at(400.0, 100.0, 600.0, 130.0);
        assert!(stands_alone(&plate, &[plate.clone(), far_below, beside]));
    }
}
