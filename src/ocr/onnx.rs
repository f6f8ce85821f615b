//! The PP-OCRv6 CTC text recognizer (from the rapidocr wheel) through ONNX Runtime.
//!
//! Input: a text line scaled to 48 px high, BGR in [-1, 1], NCHW. Output: per time step, a
//! probability for each class: blank, the model's dictionary (stored in its metadata under
//! `character`), and a space. Greedy CTC decoding keeps the best class per step and drops
//! repeats and blanks.

use super::{ReadText, TextReader};
use crate::detect::BBox;
use crate::infer::{paddle_input, ModelFile, Runtime};
use anyhow::{ensure, Context, Result};
use image::{imageops, RgbImage};
use ndarray::{Array4, Ix3};
use ort::{session::Session, value::Tensor};

pub const MODEL_FILE: &str = "PP-OCRv6_rec_small.onnx";
const HEIGHT: u32 = 48;
/// Lines longer than this (in input pixels) are squeezed: 40 times the height.
const MAX_WIDTH: u32 = 48 * 40;

pub struct PpOcrRecognizer {
    session: Session,
    /// Class index -> text: blank (empty), the dictionary, then a space.
    classes: Vec<String>,
    pub model: ModelFile,
}

impl PpOcrRecognizer {
    pub fn new(runtime: &Runtime, intra_threads: usize) -> Result<Self> {
        let (session, model) = runtime.session(MODEL_FILE, intra_threads, Ok)?;
        let dictionary = session
            .metadata()?
            .custom("character")
            .with_context(|| format!("{MODEL_FILE} has no character dictionary in its metadata"))?;
        let mut classes = vec![String::new()];
        classes.extend(dictionary.split('\n').map(str::to_string));
        classes.push(" ".into());
        Ok(Self { session, classes, model })
    }

    fn read_line(&mut self, line: &RgbImage) -> Result<ReadText> {
        let input = Tensor::from_array(to_input(line))?;
        let outputs = self.session.run(ort::inputs![input]).context("text recognition failed")?;
        let steps = outputs[0].try_extract_array::<f32>()?.into_dimensionality::<Ix3>()?;
        ensure!(steps.shape()[2] == self.classes.len(), "recognizer output does not match its dictionary");
        let first = steps.index_axis(ndarray::Axis(0), 0);
        let best_per_step = first.outer_iter().map(|probabilities| {
            probabilities.iter().copied().enumerate().fold((0, f32::MIN), |best, (i, p)| if p > best.1 { (i, p) } else { best })
        });
        Ok(ctc_greedy_decode(best_per_step, &self.classes))
    }
}

impl TextReader for PpOcrRecognizer {
    /// Reads the region as it stands and turned upside down, and keeps the more confident
    /// reading; a region much taller than wide is read as a vertical line turned upright.
    fn read(&mut self, image: &RgbImage, region: &BBox) -> Result<ReadText> {
        let x0 = region.x0.max(0.0).floor() as u32;
        let y0 = region.y0.max(0.0).floor() as u32;
        let x1 = (region.x1.ceil() as u32).min(image.width());
        let y1 = (region.y1.ceil() as u32).min(image.height());
        ensure!(x1 > x0 && y1 > y0, "empty text region");
        let mut line = imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image();
        if line.height() as f32 > 1.5 * line.width() as f32 {
            line = imageops::rotate270(&line);
        }
        let upright = self.read_line(&line)?;
        let flipped = self.read_line(&imageops::rotate180(&line))?;
        Ok(if flipped.confidence > upright.confidence { flipped } else { upright })
    }
}

/// Greedy CTC decoding of (best class, its probability) per time step.
fn ctc_greedy_decode(best_per_step: impl Iterator<Item = (usize, f32)>, classes: &[String]) -> ReadText {
    let (mut text, mut confidences, mut previous) = (String::new(), Vec::new(), 0usize);
    for (class, probability) in best_per_step {
        if class != 0 && class != previous {
            text.push_str(classes.get(class).map(String::as_str).unwrap_or(""));
            confidences.push(probability);
        }
        previous = class;
    }
    let confidence = if confidences.is_empty() { 0.0 } else { confidences.iter().sum::<f32>() / confidences.len() as f32 };
    ReadText { text: text.trim().to_string(), confidence }
}

/// The line scaled to `HEIGHT` px high (width in proportion, at most `MAX_WIDTH`).
fn to_input(line: &RgbImage) -> Array4<f32> {
    let width = ((line.width() as f32 * HEIGHT as f32 / line.height().max(1) as f32).round() as u32).clamp(8, MAX_WIDTH);
    paddle_input(&imageops::resize(line, width, HEIGHT, imageops::FilterType::Triangle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_drops_blanks_and_repeats_but_keeps_letters_separated_by_a_blank() {
        let classes: Vec<String> = ["", "A", "B", " "].iter().map(|s| s.to_string()).collect();
        // A A _ A B B _ _ (space) B
        let steps = [(1, 0.9), (1, 0.8), (0, 0.9), (1, 0.7), (2, 0.6), (2, 0.9), (0, 0.9), (3, 0.5), (2, 0.8)];
        let read = ctc_greedy_decode(steps.into_iter(), &classes);
        assert_eq!(read.text, "AAB B");
        assert!((read.confidence - (0.9 + 0.7 + 0.6 + 0.5 + 0.8) / 5.0).abs() < 1e-6);
    }
}
