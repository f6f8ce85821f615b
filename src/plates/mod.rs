//! Licence plates, Safe Harbor's vehicle identifiers: a line of text that reads as a
//! registration (`Scanner::registration`) printed on a plate (`shape`). Each is boxed whole,
//! rim to rim, as its own finding (region kind `plate`), and a plate's text is not scored
//! again as text.
//!
//! The text detector already outlines plates' characters; what it lacked was knowing them for
//! an identifier. A registration alone ("ABC 1234") could be a part number on a page, and a
//! plate-shaped sign ("EXIT") says nothing: both together make a plate.

mod shape;

pub use shape::{plate_around, PlateShape};

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
/// same colour): one, or two for a registration in a known format, the stronger sign.
const OPEN_SIDES: usize = 1;
const OPEN_SIDES_OF_A_FORMAT: usize = 2;

/// For each line, the plate it is printed on, if any, as an assessment of category
/// `vehicle_identifier` whose outline is the plate.
pub fn plates_among(image: &RgbImage, lines: &[TextLine], scanner: &Scanner) -> Vec<Option<Assessment>> {
    lines
        .iter()
        .map(|line| {
            let registration = scanner.registration(&line.text)?;
            // The core as the tiny detector grew it; a second look's region, grown more, gives
            // a core a little larger than its own, with a little more ground around the print.
            let open_sides = if registration.format.is_some() { OPEN_SIDES_OF_A_FORMAT } else { OPEN_SIDES };
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
                outline: plate.rect.outline(),
                follows_print: false,
            })
        })
        .collect()
}

fn aspect(rect: &BBox) -> f32 {
    rect.width() / rect.height().max(1.0)
}
