//! Reading stage: the text inside a detected text region (used by `--phi-text`).

mod onnx;

pub use onnx::PpOcrRecognizer;

use crate::detect::BBox;
use anyhow::Result;
use image::RgbImage;

#[derive(Debug, Clone, PartialEq)]
pub struct ReadText {
    pub text: String,
    /// Mean confidence of the characters read, in [0, 1].
    pub confidence: f32,
}

/// Reads the text in a region of an upright RGB image.
pub trait TextReader {
    fn read(&mut self, image: &RgbImage, region: &BBox) -> Result<ReadText>;
}
