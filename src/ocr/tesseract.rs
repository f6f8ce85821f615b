//! Tesseract 5 (through leptess) as a reader: each line straightened out of its outline, read
//! as a single line, with word positions from its TSV output.

use super::{straighten, ReadText, TextReader};
use crate::geometry::Quad;
use anyhow::{anyhow, Result};
use image::{imageops, Rgb, RgbImage};
use leptess::tesseract::TessApi;
use leptess::Variable;

/// Tesseract reads text about this tall best; smaller lines are enlarged (up to `MAX_UPSCALE`).
const TARGET_HEIGHT: f32 = 40.0;
const MAX_UPSCALE: f32 = 4.0;
/// A white margin around each line, which Tesseract's layout analysis expects.
const PAD: u32 = 10;

pub struct TesseractReader {
    api: TessApi,
}

impl TesseractReader {
    /// English, from the system's tessdata (Debian's `tesseract-ocr-eng`).
    pub fn new() -> Result<Self> {
        let mut api = TessApi::new(None, "eng")
            .map_err(|e| anyhow!("cannot start Tesseract with English data (install tesseract-ocr-eng): {e:?}"))?;
        // Page segmentation mode 7: the image is one line of text.
        api.raw
            .set_variable(Variable::TesseditPagesegMode.as_cstr(), c"7")
            .map_err(|_| anyhow!("cannot set Tesseract's page segmentation mode"))?;
        Ok(Self { api })
    }

    fn read_line(&mut self, image: &RgbImage, outline: &Quad) -> Result<ReadText> {
        let line = straighten(image, outline)?;
        let scale = (TARGET_HEIGHT / line.height() as f32).clamp(1.0, MAX_UPSCALE);
        let (width, height) = ((line.width() as f32 * scale).round() as u32, (line.height() as f32 * scale).round() as u32);
        let scaled = imageops::resize(&line, width.max(1), height.max(1), imageops::FilterType::CatmullRom);
        let mut padded = RgbImage::from_pixel(scaled.width() + 2 * PAD, scaled.height() + 2 * PAD, Rgb([255, 255, 255]));
        imageops::replace(&mut padded, &scaled, PAD.into(), PAD.into());

        let (w, h) = (padded.width() as i32, padded.height() as i32);
        self.api.raw.set_image(padded.as_raw(), w, h, 3, 3 * w).map_err(|e| anyhow!("Tesseract refused the image: {e:?}"))?;
        self.api.raw.set_source_resolution(300);
        self.api.raw.recognize().map_err(|_| anyhow!("Tesseract could not read a line"))?;
        let tsv = self.api.raw.get_tsv_text(0).map_err(|_| anyhow!("Tesseract gave no TSV output"))?;
        let tsv = tsv.as_ref().to_string_lossy().into_owned();
        Ok(words_to_reading(&tsv, PAD as f32, scaled.width() as f32, *outline))
    }
}

impl TextReader for TesseractReader {
    fn read(&mut self, image: &RgbImage, outlines: &[Quad]) -> Result<Vec<ReadText>> {
        outlines.iter().map(|outline| self.read_line(image, outline)).collect()
    }
}

/// Joins the words of Tesseract's TSV (level-5 rows: left, width, confidence, text) into a
/// line, placing each character along the `line_width` pixels after `offset`.
fn words_to_reading(tsv: &str, offset: f32, line_width: f32, outline: Quad) -> ReadText {
    let mut reading = ReadText { outline, engine: "tesseract", ..ReadText::default() };
    let (mut confidence_sum, mut characters) = (0.0, 0usize);
    for row in tsv.lines() {
        let columns: Vec<&str> = row.splitn(12, '\t').collect();
        let (Some(&"5"), Some(left), Some(width), Some(confidence), Some(word)) =
            (columns.first(), columns.get(6), columns.get(8), columns.get(10), columns.get(11).map(|w| w.trim()))
        else {
            continue;
        };
        let (Ok(left), Ok(width), Ok(confidence)) = (left.parse::<f32>(), width.parse::<f32>(), confidence.parse::<f32>()) else {
            continue;
        };
        let count = word.chars().count();
        if count == 0 {
            continue;
        }
        let to_fraction = |x: f32| ((x - offset) / line_width).clamp(0.0, 1.0);
        if !reading.text.is_empty() {
            let gap_from = reading.char_spans.last().map_or(0.0, |span| span.1);
            reading.text.push(' ');
            reading.char_spans.push((gap_from, to_fraction(left)));
        }
        let step = width / count as f32;
        for (i, c) in word.chars().enumerate() {
            reading.text.push(c);
            reading.char_spans.push((to_fraction(left + i as f32 * step), to_fraction(left + (i + 1) as f32 * step)));
        }
        confidence_sum += confidence.max(0.0) / 100.0 * count as f32;
        characters += count;
    }
    reading.confidence = if characters == 0 { 0.0 } else { confidence_sum / characters as f32 };
    reading
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_one_line_with_placed_characters() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t220\t60\t-1\t\n5\t1\t1\t1\t1\t1\t10\t12\t40\t30\t96.0\tJane\n5\t1\t1\t1\t1\t2\t60\t12\t30\t30\t90.0\tDoe\n";
        let reading = words_to_reading(tsv, 10.0, 200.0, Quad::default());
        assert_eq!(reading.text, "Jane Doe");
        assert_eq!(reading.char_spans.len(), 8);
        assert_eq!(reading.char_spans[0], (0.0, 0.05));
        assert_eq!(reading.char_spans[4], (0.2, 0.25), "the space spans the gap between the words");
        assert!((reading.confidence - (0.96 * 4.0 + 0.9 * 3.0) / 7.0).abs() < 1e-6);
    }
}
