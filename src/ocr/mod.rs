//! Reading stage: the text inside detected text regions.

mod onnx;

pub use onnx::{PpOcrRecognizer, RecognizerModel, SMALL_RECOGNIZER, TINY_RECOGNIZER};

use crate::detect::BBox;
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
    pub direction: Direction,
}

/// Which way the text runs in the upright image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    LeftToRight,
    /// Upside down.
    RightToLeft,
    TopToBottom,
    BottomToTop,
}

impl Direction {
    fn turned_round(self) -> Self {
        match self {
            Direction::LeftToRight => Direction::RightToLeft,
            Direction::RightToLeft => Direction::LeftToRight,
            Direction::TopToBottom => Direction::BottomToTop,
            Direction::BottomToTop => Direction::TopToBottom,
        }
    }

    /// The part of `line` between two fractions of its length along this direction.
    pub fn part(self, line: &BBox, from: f32, to: f32) -> BBox {
        let (w, h) = (line.width(), line.height());
        match self {
            Direction::LeftToRight => BBox { x0: line.x0 + from * w, x1: line.x0 + to * w, ..*line },
            Direction::RightToLeft => BBox { x0: line.x1 - to * w, x1: line.x1 - from * w, ..*line },
            Direction::TopToBottom => BBox { y0: line.y0 + from * h, y1: line.y0 + to * h, ..*line },
            Direction::BottomToTop => BBox { y0: line.y1 - to * h, y1: line.y1 - from * h, ..*line },
        }
    }
}

/// Reads the text in regions of an upright RGB image: one reading per region, in order.
pub trait TextReader {
    fn read(&mut self, image: &RgbImage, regions: &[BBox]) -> Result<Vec<ReadText>>;
}
