//! One file through every stage: read -> sniff -> decode -> detect -> read text -> score ->
//! redact -> encode -> write.
//!
//! Fail closed: any error on the way turns the file into `failed` and nothing is written for
//! it, so a file that was not fully analysed can never look like a clean one.

use crate::analyse::analyse;
use crate::config::Settings;
use crate::engines::Analyser;
use crate::fsutil::write_atomically;
use crate::infer::sha256_hex;
use crate::media::{self, image::DecodedImage, MediaKind};
use crate::redact;
use crate::report::{FileResult, Finding, Status};
use anyhow::{bail, Context, Result};
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
    result.risk = result.findings.iter().map(Finding::risk).fold(0.0, f32::max);
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

pub(crate) fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
