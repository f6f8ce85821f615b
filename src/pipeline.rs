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
use crate::detect::{Region, RegionKind};
use crate::phi::mask;
use crate::redact::{self, face_redaction, text_redaction};
use crate::report::{FileResult, Finding, Status, TextDetails};
use anyhow::{bail, Context, Result};
use image::DynamicImage;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One input file and where its redacted copy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJob {
    pub input: PathBuf,
    pub output: PathBuf,
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

    let t = Instant::now();
    result.findings = analyse(&image.pixels, engines, settings)?;
    result.timings.detect_ms = elapsed_ms(t);

    let t = Instant::now();
    for finding in &result.findings {
        redact::redact(&mut image.pixels, &finding.redacted)?;
    }
    result.timings.redact_ms = elapsed_ms(t);

    let t = Instant::now();
    let encoded = media::image::encode(&image)?;
    result.timings.encode_ms = elapsed_ms(t);
    write_output(job, &encoded)?;
    result.output = Some(job.output.display().to_string());
    result.output_sha256 = Some(sha256_hex(&encoded));
    result.status = if result.findings.is_empty() { Status::Clean } else { Status::Redacted };
    Ok(())
}

/// Detects regions on the upright image, reads and scores the text ones, and decides what to
/// redact, and how, for each.
pub fn analyse(pixels: &DynamicImage, engines: &mut dyn Analyser, settings: &Settings) -> Result<Vec<Finding>> {
    let rgb = pixels.to_rgb8();
    let (width, height) = rgb.dimensions();
    let mut findings = Vec::new();
    for region in engines.detect(&rgb)? {
        let finding = |redacted, text| Finding { kind: region.kind, bbox: region.bbox.xywh(), redacted, score: region.score, text };
        match region.kind {
            RegionKind::Face if region.score >= settings.face_threshold => {
                findings.extend(face_redaction(&region.bbox, width, height, settings.mode).map(|r| finding(r, None)));
            }
            RegionKind::Face => {}
            // In PHI mode text stays unless what it says is risky enough; otherwise all of it goes.
            RegionKind::Text if settings.text == TextMode::Phi => {
                if let Some(details) = read_and_score(&rgb, &region, engines)?.filter(|d| d.risk >= settings.min_text_risk) {
                    findings.extend(text_redaction(&region.bbox, width, height).map(|r| finding(r, Some(details))));
                }
            }
            RegionKind::Text => findings.extend(text_redaction(&region.bbox, width, height).map(|r| finding(r, None))),
        }
    }
    Ok(findings)
}

/// Reads a text region and scores what it says; `None` when nothing was read or it holds no PHI.
fn read_and_score(rgb: &image::RgbImage, region: &Region, engines: &mut dyn Analyser) -> Result<Option<TextDetails>> {
    let Some(reading) = engines.read(rgb, &region.bbox)? else { return Ok(None) };
    let matches = engines.score(&reading.text);
    let Some(strongest) = matches.iter().map(|m| m.strength).reduce(f32::max) else { return Ok(None) };
    // Poorly read text is still likely what it looks like: confidence only trims the risk.
    let risk = strongest * (0.7 + 0.3 * reading.confidence);
    let mut categories: Vec<_> = matches.iter().map(|m| m.category).collect();
    categories.sort();
    categories.dedup();
    Ok(Some(TextDetails {
        masked: mask(&reading.text),
        ocr_confidence: reading.confidence,
        categories,
        risk,
        reasons: matches.into_iter().map(|m| m.reason).collect(),
    }))
}

/// Decodes a file for analysis only (the `eval` command): same checks as a real run.
pub fn decode_file(path: &Path, settings: &Settings) -> Result<DecodedImage> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match media::sniff(path, &bytes) {
        MediaKind::Image(format) => media::image::decode(&bytes, format, settings.max_pixels()),
        _ => bail!("{} is not a supported image", path.display()),
    }
}

fn write_output(job: &FileJob, encoded: &[u8]) -> Result<()> {
    // Never overwrite an original, whatever paths the user combined.
    if let (Ok(input), Ok(output)) = (job.input.canonicalize(), job.output.canonicalize()) {
        if input == output {
            bail!("refusing to overwrite the input with its redacted copy");
        }
    }
    write_atomically(&job.output, encoded).with_context(|| format!("cannot write {}", job.output.display()))
}

fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
