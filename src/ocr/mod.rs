//! Reading stage: the text inside detected text regions.

mod onnx;

pub use onnx::{PpOcrRecognizer, RecognizerModel, SMALL_RECOGNIZER, TINY_RECOGNIZER};

use crate::detect::{quad_bbox, BBox, Quad};
use anyhow::Result;
use image::RgbImage;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadText {
    pub text: String,
    /// Mean confidence of the characters read, in [0, 1].
    pub confidence: f32,
    /// Where each character of `text` lies along the line, as fractions of its length
    /// (start, end) in reading order, so a part of a line can be boxed alone.
    pub char_spans: Vec<(f32, f32)>,
    /// The line's outline in the order it was read (start-top, end-top, end-bottom,
    /// start-bottom): turned round when it read better upside down.
    pub outline: Quad,
}

/// The axis-aligned box around the part of a line between two fractions of its length.
pub fn part_of_line(outline: &Quad, from: f32, to: f32) -> BBox {
    let lerp = |p: (f32, f32), q: (f32, f32), t: f32| (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t);
    let [start_top, end_top, end_bottom, start_bottom] = *outline;
    quad_bbox(&[lerp(start_top, end_top, from), lerp(start_top, end_top, to), lerp(start_bottom, end_bottom, to), lerp(start_bottom, end_bottom, from)])
}

/// The outline read from its other end: what a line turned upside down looks like.
pub fn turned_round(outline: &Quad) -> Quad {
    [outline[2], outline[3], outline[0], outline[1]]
}

/// Reads the text along outlined lines of an upright RGB image: one reading per line, in order.
pub trait TextReader {
    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_straight_and_turned_lines() {
        let row: Quad = [(10.0, 20.0), (110.0, 20.0), (110.0, 40.0), (10.0, 40.0)];
        assert_eq!(part_of_line(&row, 0.5, 1.0), BBox { x0: 60.0, y0: 20.0, x1: 110.0, y1: 40.0 });
        assert_eq!(part_of_line(&turned_round(&row), 0.0, 0.5), BBox { x0: 60.0, y0: 20.0, x1: 110.0, y1: 40.0 }, "read upside down, it starts at the right");
        let column: Quad = [(70.0, 0.0), (70.0, 200.0), (50.0, 200.0), (50.0, 0.0)];
        assert_eq!(part_of_line(&column, 0.0, 0.25), BBox { x0: 50.0, y0: 0.0, x1: 70.0, y1: 50.0 });
    }
}
