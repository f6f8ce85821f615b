//! One file through every stage: read -> sniff -> decode -> detect -> redact -> encode -> write.
//!
//! Fail closed: any error on the way turns the file into `failed` and nothing is written for
//! it, so a file that was not fully analysed can never look like a clean one.

use crate::config::Settings;
use crate::detect::Detector;
use crate::fsutil::write_atomically;
use crate::infer::sha256_hex;
use crate::media::{self, image::DecodedImage, MediaKind};
use crate::detect::RegionKind;
use crate::redact::{self, face_redaction, text_redaction};
use crate::report::{FileResult, Finding, Status};
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

pub fn process_file(job: &FileJob, detector: &mut dyn Detector, settings: &Settings) -> FileResult {
    let started = Instant::now();
    let mut result = FileResult::new(&job.input);
    if let Err(error) = run_stages(job, detector, settings, &mut result) {
        result.status = Status::Failed;
        result.reason = Some(format!("{error:#}"));
        result.output = None;
        result.output_sha256 = None;
    }
    result.timings.total_ms = elapsed_ms(started);
    result
}

fn run_stages(job: &FileJob, detector: &mut dyn Detector, settings: &Settings, result: &mut FileResult) -> Result<()> {
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
    result.findings = find_regions(&image.pixels, detector, settings)?;
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

/// Runs the detectors on the upright image and decides what to redact, and how, for each
/// region found. (The text detector applies its own thresholds.)
pub fn find_regions(pixels: &DynamicImage, detector: &mut dyn Detector, settings: &Settings) -> Result<Vec<Finding>> {
    let rgb = pixels.to_rgb8();
    let (width, height) = rgb.dimensions();
    let regions = detector.detect(&rgb)?;
    Ok(regions
        .into_iter()
        .filter_map(|region| {
            let redacted = match region.kind {
                RegionKind::Face if region.score < settings.face_threshold => return None,
                RegionKind::Face => face_redaction(&region.bbox, width, height, settings.mode)?,
                RegionKind::Text => text_redaction(&region.bbox, width, height)?,
            };
            Some(Finding { kind: region.kind, bbox: region.bbox.xywh(), redacted, score: region.score })
        })
        .collect())
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
