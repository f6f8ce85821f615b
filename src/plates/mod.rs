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

use shape::{aspect, plate_around};

use crate::detect::{core_of, TINY_DETECTOR};
use crate::geometry::BBox;
use crate::phi::{Assessment, PhiCategory, Scanner, TextLine};
use image::RgbImage;

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

/// For each line, the plate it is printed on, if any, as an assessment of category
/// `vehicle_identifier` whose outline is the line within the plate's rows.
pub fn plates_among(image: &RgbImage, lines: &[TextLine], scanner: &Scanner) -> Vec<Option<Assessment>> {
    lines
        .iter()
        .map(|line| {
            let registration = scanner.registration(&line.text)?;
            let open_sides = match registration.format {
                Some(_) if stands_alone(line, lines) => OPEN_SIDES_ALONE,
                Some(_) => OPEN_SIDES_OF_A_FORMAT,
                None => OPEN_SIDES,
            };
            // The core as the tiny detector grew it; a second look's region, grown more, gives
            // a core a little larger than its own, with a little more ground around the print.
            let plate = core_of(&line.bbox, TINY_DETECTOR.unclip_ratio).and_then(|core| plate_around(image, &core, open_sides))?;
            let (strength, read_as) = match registration.format {
                Some(format) => (FORMAT_STRENGTH, format!("reads as a registration: {format}")),
                None => (SHAPE_STRENGTH, "reads as a registration: letters and digits in a plate's shape".to_string()),
            };
            let ink = if plate.dark_on_light { "dark characters on a light plate" } else { "light characters on a dark plate" };
            Some(Assessment {
                text: line.text.clone(),
                range: 0..line.text.len(),
                categories: vec![PhiCategory::VehicleIdentifier],
                // Plates are read from afar and at a slant: a poor reading still counts.
                risk: strength * (0.5 + 0.5 * line.best_confidence),
                reasons: vec![format!("plate-shaped region ({ink}, {:.1}:1)", aspect(&plate.rect)), read_as],
                // The registration's line, no higher or lower than the plate: what is read is
                // boxed, not the state's name or the paint around it. Along the line the
                // detector's outline is kept: the plate's ends as seen from the print's middle
                // can fall on its last characters.
                outline: within_rows_of(&line.bbox, &plate.rect).outline(),
                follows_print: false,
            })
        })
        .collect()
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
