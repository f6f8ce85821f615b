//! One file through every stage: read -> sniff -> decode -> detect -> read text -> score ->
//! redact -> encode -> write. Videos take the same stages frame by frame (`video`).
//!
//! Fail closed: any error on the way turns the file into `failed` and nothing is written for
//! it, so a file that was not fully analysed can never look like a clean one.

use crate::analyse::analyse_as_seen;
use crate::config::Settings;
use crate::dicom;
use crate::engine_pool::EnginePool;
use crate::fsutil::{refuse_to_overwrite, write_placed, Placing};
use crate::hashing::{sha256_file, sha256_hex};
use crate::job::{FileJob, FramesDone};
use crate::media::{self, image::DecodedImage, MediaKind, StillFormat};
use crate::redact::{self, BoxPaint, Redaction};
use crate::report::{elapsed_ms, highest_risk, FileResult, Status, Timings};
use crate::video;
use anyhow::{anyhow, bail, Context, Result};
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Instant;

/// One file through every stage. A panic in any of them (a bug, or a library meeting input it
/// did not expect) is that file's failure, not the batch's: what it was writing is a temporary
/// file, deleted as the panic unwinds, and its engine set goes back to the pool.
pub fn process_file(job: &FileJob, engines: &EnginePool, settings: &Settings, frames_done: FramesDone) -> FileResult {
    let started = Instant::now();
    let mut result = FileResult::new(&job.input);
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run_stages(job, engines, settings, frames_done, &mut result)))
        .unwrap_or_else(|panic| Err(anyhow!("internal error while analysing it: {}", panic_message(panic.as_ref()))));
    if let Err(error) = outcome {
        result.status = Status::Failed;
        result.reason = Some(format!("{error:#}"));
        result.output = None;
        result.output_sha256 = None;
    }
    result.timings.total_ms = elapsed_ms(started);
    result
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(message), _) => message,
        (_, Some(message)) => message,
        _ => "a panic",
    }
}

fn run_stages(job: &FileJob, engines: &EnginePool, settings: &Settings, frames_done: FramesDone, result: &mut FileResult) -> Result<()> {
    match media::sniff_file(&job.input)? {
        MediaKind::Image(format) => process_image(job, format, engines, settings, result)?,
        MediaKind::Video => {
            result.input_sha256 = Some(sha256_file(&job.input)?);
            video::process(job, engines, settings, frames_done, result)?;
        }
        MediaKind::Dicom => dicom::process(job, engines, settings, result)?,
        MediaKind::Other => {
            result.status = Status::Skipped;
            result.reason = Some("not an image or video".into());
            return Ok(());
        }
        MediaKind::Unsupported(why) | MediaKind::NotWhatItClaims(why) => bail!(why),
    }
    result.risk = highest_risk(&result.findings);
    result.status = Status::of(&result.findings);
    Ok(())
}

fn process_image(job: &FileJob, format: StillFormat, engines: &EnginePool, settings: &Settings, result: &mut FileResult) -> Result<()> {
    let bytes = std::fs::read(&job.input).context("cannot read file")?;
    result.input_sha256 = Some(sha256_hex(&bytes));
    result.format = Some(format.name());

    let t = Instant::now();
    let mut image = media::decode_still(&bytes, format, settings.max_pixels())?;
    image.format = settings.image_format.copy_format(image.format);
    result.timings.decode_ms = elapsed_ms(t);
    result.width = Some(image.pixels.width());
    result.height = Some(image.pixels.height());

    result.findings = analyse_as_seen(&image.pixels, &mut engines.borrower(), settings, &mut result.timings)?;
    let Some(output) = &job.output else { return Ok(()) };
    let areas: Vec<Redaction> = result.findings.iter().map(|finding| finding.redacted).collect();
    result.output_sha256 =
        Some(redact_and_write(&job.input, &mut image, (&areas, settings.box_paint), (output, job.placing), &mut result.timings)?);
    result.output = Some(output.display().to_string());
    Ok(())
}

/// Redacts `areas` of an input's decoded image, and writes it without metadata to
/// `output`, placed as it says; returns the output's sha256. The review's `apply` renders through this too, so a
/// re-rendered copy differs from the first only where the decisions say.
pub fn redact_and_write(
    input: &Path,
    image: &mut DecodedImage,
    (areas, box_paint): (&[Redaction], BoxPaint),
    (output, placing): (&Path, Placing),
    timings: &mut Timings,
) -> Result<String> {
    let t = Instant::now();
    redact::redact_all(&mut image.pixels, areas, box_paint)?;
    timings.redact_ms = elapsed_ms(t);

    let t = Instant::now();
    let encoded = media::image::encode(image)?;
    timings.encode_ms = elapsed_ms(t);
    write_output(input, output, placing, &encoded)?;
    Ok(sha256_hex(&encoded))
}

/// Decodes a file for analysis only (the `eval` command): same checks as a real run.
pub fn decode_file(path: &Path, settings: &Settings) -> Result<DecodedImage> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    decode_image(path, &bytes, settings.max_pixels())
}

/// Decodes an image file's bytes, refusing anything that is not a supported image.
pub fn decode_image(path: &Path, bytes: &[u8], max_pixels: u64) -> Result<DecodedImage> {
    match media::sniff(path, bytes) {
        MediaKind::Image(format) => media::decode_still(bytes, format, max_pixels),
        _ => bail!("{} is not a supported image", path.display()),
    }
}

fn write_output(input: &Path, output: &Path, placing: Placing, encoded: &[u8]) -> Result<()> {
    refuse_to_overwrite(input, output)?;
    write_placed(output, encoded, placing)
}
