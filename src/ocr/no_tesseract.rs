//! Builds without the `tesseract` feature (no libtesseract on the machine): asking for
//! Tesseract is an error that says why.

use super::{ReadText, TextReader};
use crate::geometry::Quad;
use anyhow::{bail, Result};
use image::RgbImage;

pub struct TesseractReader;

impl TesseractReader {
    pub fn new() -> Result<Self> {
        bail!("this phi-redact was built without Tesseract (cargo feature `tesseract`); use --ocr onnx")
    }
}

impl TextReader for TesseractReader {
    fn read(&mut self, _image: &RgbImage, _outlines: &[Quad]) -> Result<Vec<ReadText>> {
        bail!("this phi-redact was built without Tesseract")
    }
}
