//! Reading stage: the text inside detected text regions.

mod line;
mod onnx;
#[cfg(feature = "tesseract")]
mod tesseract;
#[cfg(not(feature = "tesseract"))]
#[path = "no_tesseract.rs"]
mod tesseract;

pub use line::{band_of_line, part_of_line, straighten, turned_round};
pub use onnx::{PpOcrRecognizer, RecognizerModel, SMALL_RECOGNIZER, TINY_RECOGNIZER};
pub use tesseract::TesseractReader;

use crate::geometry::Quad;
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
    /// The reader: "pp-ocrv6" or "tesseract".
    pub engine: &'static str,
}

/// Reads the text along outlined lines of an upright RGB image: one reading per line, in order.
pub trait TextReader {
    fn read(&mut self, image: &RgbImage, lines: &[Quad]) -> Result<Vec<ReadText>>;
}
