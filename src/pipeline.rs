//! One file through every stage: read -> sniff -> decode -> detect -> read text -> score ->
//! redact -> encode -> write.
//!
//! Fail closed: any error on the way turns the file into `failed` and nothing is written for
//! it, so a file that was not fully analysed can never look like a clean one.

use crate::config::{Settings, TextMode};
use crate::engines::Analyser;
use crate::fsutil::write_atomically;
use crate::infer::sha256_hex;
use crate::media::{self, image::DecodedImage, MediaKind};
use crate::detect::{BBox, BarcodeReader, Quad, Region, RegionKind, RxingBarcodes};
use crate::phi::TextLine;
use crate::redact::{self, face_redaction, text_redaction};
use crate::report::{FileResult, Finding, Status, TextDetails, Timings};
use anyhow::{bail, Context, Result};
use image::DynamicImage;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One input file and where its redacted copy goes (`None`: analyse only, as `check` does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJob {
    pub input: PathBuf,
    pub output: Option<PathBuf>,
}

pub fn process_file(job: &FileJob, engines: &mut dyn Analyser, settings: &Settings) -> FileResult {
    let started = Instant::now();
    let mut result = FileResult::new(&job.input);
    if let Err(error) = run_stages(job, engines, settings, &mut result) {
        result.status = Status::Failed;
        result.reason = Some(format!("{error:#}"));
        result.output = None;
        result.output_sha256 = None;
    }
    result.timings.total_ms = elapsed_ms(started);
    result
}

fn run_stages(job: &FileJob, engines: &mut dyn Analyser, settings: &Settings, result: &mut FileResult) -> Result<()> {
    let bytes = std::fs::read(&job.input).context("cannot read file")?;
    result.input_sha256 = Some(sha256_hex(&bytes));
    let format = match media::sniff(&job.input, &bytes) {
        MediaKind::Image(format) => format,
        MediaKind::Other => {
            result.status = Status::Skipped;
            result.reason = Some("not an image or video".into());
            return Ok(());
        }
        MediaKind::Unsupported(why) | MediaKind::NotWhatItClaims(why) => bail!(why),
    };
    result.format = Some(format!("{format:?}").to_lowercase());

    let t = Instant::now();
    let mut image = media::image::decode(&bytes, format, settings.max_pixels())?;
    result.timings.decode_ms = elapsed_ms(t);
    result.width = Some(image.pixels.width());
    result.height = Some(image.pixels.height());

    result.findings = analyse(&image.pixels, engines, settings, &mut result.timings)?;
    result.status = match &result.findings {
        findings if findings.is_empty() => Status::Clean,
        findings if findings.iter().any(Finding::needs_review) => Status::NeedsReview,
        _ => Status::Redacted,
    };
    let Some(output) = &job.output else { return Ok(()) };

    let t = Instant::now();
    for finding in &result.findings {
        redact::redact(&mut image.pixels, &finding.redacted)?;
    }
    result.timings.redact_ms = elapsed_ms(t);

    let t = Instant::now();
    let encoded = media::image::encode(&image)?;
    result.timings.encode_ms = elapsed_ms(t);
    write_output(&job.input, output, &encoded)?;
    result.output = Some(output.display().to_string());
    result.output_sha256 = Some(sha256_hex(&encoded));
    Ok(())
}

/// Finds faces and text on the upright image, reads and scores the text, and decides what to
/// redact, and how, for each.
pub fn analyse(pixels: &DynamicImage, engines: &mut dyn Analyser, settings: &Settings, timings: &mut Timings) -> Result<Vec<Finding>> {
    let rgb = pixels.to_rgb8();
    let (width, height) = rgb.dimensions();
    let faces = timed(&mut timings.faces_ms, || engines.faces(&rgb))?;
    let mut findings: Vec<Finding> = faces
        .iter()
        .filter(|face| face.score >= settings.face_threshold)
        .filter_map(|face| face_redaction(&face.bbox, width, height, settings.mode).map(|r| Finding::new(face, r, None)))
        .collect();
    if settings.text == TextMode::Off {
        return Ok(findings);
    }

    // Barcode reading needs no model, so it runs outside the shared engines, beside another
    // file's inference.
    let barcodes = timed(&mut timings.barcodes_ms, || Ok(RxingBarcodes.barcodes(&rgb)))?;
    for barcode in &barcodes {
        let region = Region { bbox: barcode.bbox, kind: RegionKind::Barcode, score: 1.0, quad: None };
        let details = engines.score_barcode(barcode).map(|part| {
            let needs_review = part.risk < settings.review_below;
            TextDetails::new(1.0, part, needs_review, settings.report_raw_text)
        });
        let carries_phi = details.as_ref().is_some_and(|d| d.risk >= settings.min_text_risk);
        if carries_phi || settings.redact_all_barcodes || settings.text == TextMode::All {
            findings.extend(text_redaction(&region.bbox, width, height, settings.text_mode).map(|r| Finding::new(&region, r, details)));
        }
    }

    let regions = timed(&mut timings.text_ms, || engines.text_regions(&rgb))?;
    if settings.text == TextMode::All {
        // The cautious mode boxes every text region, read or not.
        findings.extend(regions.iter().filter_map(|region| text_redaction(&region.bbox, width, height, settings.text_mode).map(|r| Finding::new(region, r, None))));
        return Ok(findings);
    }
    let lines = timed(&mut timings.read_ms, || read_lines(&rgb, &regions, engines))?;
    let assessments = timed(&mut timings.score_ms, || Ok(engines.score(&lines)))?;
    for ((region, line), parts) in regions.iter().zip(&lines).zip(assessments) {
        for part in parts.into_iter().filter(|part| part.risk >= settings.min_text_risk) {
            let found = Region { bbox: part.extent, ..*region };
            let needs_review = part.risk < settings.review_below;
            let details = TextDetails::new(line.confidence, part, needs_review, settings.report_raw_text);
            findings.extend(text_redaction(&found.bbox, width, height, settings.text_mode).map(|r| Finding::new(&found, r, Some(details))));
        }
    }
    Ok(findings)
}

/// The text of every region, with where each character lies.
fn read_lines(rgb: &image::RgbImage, regions: &[Region], engines: &mut dyn Analyser) -> Result<Vec<TextLine>> {
    let outlines: Vec<Quad> = regions.iter().map(|r| r.quad.unwrap_or_else(|| box_outline(&r.bbox))).collect();
    let readings = engines.read(rgb, &outlines)?;
    Ok(regions
        .iter()
        .zip(readings)
        .map(|(region, reading)| TextLine {
            bbox: region.bbox,
            text: reading.text,
            confidence: reading.confidence,
            char_spans: reading.char_spans,
            outline: reading.outline,
        })
        .collect())
}

/// A box as an outline read left to right.
fn box_outline(b: &BBox) -> Quad {
    [(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1), (b.x0, b.y1)]
}

fn timed<T>(total_ms: &mut f64, stage: impl FnOnce() -> Result<T>) -> Result<T> {
    let started = Instant::now();
    let result = stage();
    *total_ms += elapsed_ms(started);
    result
}

/// Decodes a file for analysis only (the `eval` command): same checks as a real run.
pub fn decode_file(path: &Path, settings: &Settings) -> Result<DecodedImage> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match media::sniff(path, &bytes) {
        MediaKind::Image(format) => media::image::decode(&bytes, format, settings.max_pixels()),
        _ => bail!("{} is not a supported image", path.display()),
    }
}

fn write_output(input: &Path, output: &Path, encoded: &[u8]) -> Result<()> {
    // Never overwrite an original, whatever paths the user combined.
    if let (Ok(input), Ok(output)) = (input.canonicalize(), output.canonicalize()) {
        if input == output {
            bail!("refusing to overwrite the input with its redacted copy");
        }
    }
    write_atomically(output, encoded).with_context(|| format!("cannot write {}", output.display()))
}

fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
