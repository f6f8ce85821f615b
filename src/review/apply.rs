//! `phi-redact apply decisions.json`: what reviewers decided on the review page, applied back.
//!
//! Outputs are re-rendered from the originals, never from the redacted copies: every kept
//! redaction of the report, in its order, plus the boxes reviewers added, through the same
//! stage the run used, so a new copy differs from the old one only where a decision says. The
//! report keeps every finding (unredacted ones are marked with who decided and when) and gains
//! an audit trail. Decisions made on an older report, or an original that has changed since,
//! are refused for that file; the other files go on.

use super::resolve;
use crate::config::ImageFormatChoice;
use crate::detect::RegionKind;
use crate::fsutil::{lies_within, Placing};
use crate::geometry::PixelRect;
use crate::hashing::sha256_hex;
use crate::pipeline::{decode_image, redact_and_write};
use crate::redact::{BoxPaint, Redaction, RedactionMode, Shape};
use crate::report::{highest_risk, AuditEntry, FileResult, FileReview, Finding, FindingReview, Report, ReviewDecision, Status, Timings};
use crate::resume::update_recorded_result;
use anyhow::{bail, ensure, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DECISIONS_KIND: &str = "phi-redact-decisions";
pub const DECISIONS_VERSION: u64 = 1;

/// `decisions.json` as the review page exports it (docs/guide.md documents the format); a field it
/// does not export is refused, not ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    pub kind: String,
    pub schema_version: u64,
    /// The JSON report the decisions were made on.
    pub report: PathBuf,
    pub reviewer: String,
    pub exported_at: String,
    pub files: Vec<FileDecisions>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDecisions {
    /// The file, as the report names it.
    pub input: String,
    /// The output the reviewer saw: decisions on a copy that has since changed are stale.
    pub output_sha256: Option<String>,
    /// Indices into the file's findings judged not PHI: their redaction is undone.
    #[serde(default)]
    pub not_phi: Vec<usize>,
    /// Areas the reviewer boxed out, in the upright image's pixels.
    #[serde(default)]
    pub added_boxes: Vec<PixelRect>,
    #[serde(default)]
    pub note: Option<String>,
    /// When the reviewer approved the file for publication; `None`: not approved.
    #[serde(default)]
    pub approved_at: Option<String>,
}

/// What `apply` did: files updated, and the files whose decisions could not be applied.
#[derive(Debug, Default)]
pub struct ApplyOutcome {
    pub applied: usize,
    pub failed: Vec<(String, String)>,
}

/// Applies `decisions` to the report they name (or `report`), rewriting the outputs concerned,
/// the JSON report and its review page.
pub fn apply(decisions: &Path, report: Option<&Path>) -> Result<ApplyOutcome> {
    let read = |path: &Path| std::fs::read(path).with_context(|| format!("cannot read {}", path.display()));
    let decisions = read_decisions(&read(decisions)?).with_context(|| format!("{} is not a decisions file", decisions.display()))?;
    apply_decisions(&decisions, report.unwrap_or(&decisions.report))
}

/// Applies decisions already read (`serve` takes them one file at a time) to the report at
/// `report_path`, as [`apply`] does.
pub fn apply_decisions(decisions: &Decisions, report_path: &Path) -> Result<ApplyOutcome> {
    let read = |path: &Path| std::fs::read(path).with_context(|| format!("cannot read {}", path.display()));
    let mut report = read_report(&read(report_path)?, decisions)
        .with_context(|| format!("{} is not a phi-redact report the decisions fit", report_path.display()))?;

    let run = RecordedRun::of(&report);
    let review = Review {
        reviewer: &decisions.reviewer,
        now: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        keep_notes: !lies_among_copies(report_path, &run),
    };
    let mut outcome = ApplyOutcome::default();
    for file in &decisions.files {
        // Changed on a copy, put back only when every decision took: a file whose
        // re-rendering failed must not be reported as unredacted.
        let slot = report.files.iter_mut().find(|entry| entry.input == file.input);
        let applied = slot.context("not in the report").and_then(|slot| {
            let (entry, actions) = apply_to_file(slot.clone(), file, &run, &review)?;
            *slot = entry;
            Ok(actions)
        });
        match applied {
            Ok(actions) => {
                outcome.applied += 1;
                report.audit.extend(actions.into_iter().map(|action| audit_entry(decisions, file, &review.now, action)));
            }
            Err(error) => {
                let reason = format!("{error:#}");
                report.audit.push(audit_entry(decisions, file, &review.now, format!("decisions not applied: {reason}")));
                outcome.failed.push((file.input.clone(), reason));
            }
        }
    }
    report.recount();
    super::write_report(&report, report_path)?;
    Ok(outcome)
}

/// Decisions as the review page exports them, of the kind and schema this program writes.
pub fn read_decisions(bytes: &[u8]) -> Result<Decisions> {
    let decisions: Decisions = serde_json::from_slice(bytes)?;
    ensure!(decisions.kind == DECISIONS_KIND, "not a phi-redact decisions file (kind {:?})", decisions.kind);
    ensure!(decisions.schema_version == DECISIONS_VERSION, "decisions schema {} is not supported", decisions.schema_version);
    Ok(decisions)
}

/// A report, refused unless it is a phi-redact report of this schema that `decisions` could
/// have been made on: all of it checked before anything is written.
fn read_report(bytes: &[u8], decisions: &Decisions) -> Result<Report> {
    let report = Report::read(bytes)?;
    let run = RecordedRun::of(&report);
    decisions.files.iter().try_for_each(|file| check_decisions(&report, &run, file))?;
    Ok(report)
}

/// Whether `report` could take `decisions`: [`read_report`] without keeping what it read.
pub fn check_report(report: &[u8], decisions: &Decisions) -> Result<()> {
    read_report(report, decisions).map(drop)
}

/// Where the report's run took its files from and put its copies, as absolute paths where the
/// report recorded relative ones; and the decoder's pixel limit and copies' format it ran with.
struct RecordedRun {
    working_directory: String,
    output_directory: Option<PathBuf>,
    max_pixels: u64,
    image_format: ImageFormatChoice,
    box_paint: BoxPaint,
}

impl RecordedRun {
    fn of(report: &Report) -> Self {
        let working_directory = report.working_directory.clone();
        let output_directory = report.output_directory.as_deref().map(|dir| resolve(dir, Some(&working_directory)));
        let settings = &report.settings;
        Self {
            working_directory,
            output_directory,
            max_pixels: settings.max_pixels(),
            image_format: settings.image_format,
            box_paint: settings.box_paint,
        }
    }

    fn resolve(&self, recorded: &str) -> PathBuf {
        resolve(recorded, Some(&self.working_directory))
    }
}

/// Who applies decisions, when, and whether notes may be kept.
struct Review<'a> {
    reviewer: &'a str,
    now: String,
    /// A reviewer's note may name the patient: kept only when the report lies outside the
    /// output folder.
    keep_notes: bool,
}

/// Decisions that the review page of this report could not have made are refused whole,
/// before anything is written: for a file the report does not list, on a finding it does not
/// have, a box outside the image (added, or one to redact again), or a copy to re-render
/// outside the run's output folder.
fn check_decisions(report: &Report, run: &RecordedRun, file: &FileDecisions) -> Result<()> {
    let entry = report.files.iter().find(|f| f.input == file.input).with_context(|| format!("{}: not in the report", file.input))?;
    if let Some(index) = file.not_phi.iter().find(|&&index| index >= entry.findings.len()) {
        bail!("{}: there is no finding {index}", file.input);
    }
    if file.not_phi.is_empty() && file.added_boxes.is_empty() {
        return Ok(());
    }
    let (width, height) = (u64::from(entry.width.unwrap_or(0)), u64::from(entry.height.unwrap_or(0)));
    let redacted = entry.findings.iter().map(|finding| finding.redacted.rect);
    for rect in file.added_boxes.iter().copied().chain(redacted) {
        let [x, y, w, h] = [rect.x, rect.y, rect.width, rect.height].map(u64::from);
        ensure!(
            w > 0 && h > 0 && x + w <= width && y + h <= height,
            "{}: the box {rect:?} lies outside its {width}x{height} image",
            file.input
        );
    }
    let output = entry.output.as_deref().map(|output| run.resolve(output));
    let confined = match (&output, &run.output_directory) {
        (Some(output), Some(dir)) => lies_within(output, dir).unwrap_or(false),
        _ => false,
    };
    ensure!(confined, "{}: its copy to re-render, {:?}, lies outside the run's output folder", file.input, entry.output);
    Ok(())
}

/// Whether the report lies in its run's output folder, beside the public copies, or cannot be
/// told apart from it.
fn lies_among_copies(report_path: &Path, run: &RecordedRun) -> bool {
    let Some(out_dir) = &run.output_directory else { return false };
    lies_within(report_path, out_dir).unwrap_or(true)
}

fn audit_entry(decisions: &Decisions, file: &FileDecisions, applied_at: &str, action: String) -> AuditEntry {
    let at = file.approved_at.as_deref().filter(|_| action == "approved").unwrap_or(&decisions.exported_at);
    AuditEntry { by: decisions.reviewer.clone(), at: at.into(), applied_at: applied_at.into(), file: file.input.clone(), action }
}

/// Applies one file's decisions to its entry in the report; returns the entry as it is now and
/// what was done, in words.
fn apply_to_file(
    mut entry: FileResult,
    decisions: &FileDecisions,
    run: &RecordedRun,
    review: &Review,
) -> Result<(FileResult, Vec<String>)> {
    ensure!(
        entry.output_sha256 == decisions.output_sha256,
        "the output has changed since these decisions were made (review the new report)"
    );
    let decided = |decision| Some(FindingReview { decision, by: review.reviewer.into(), at: review.now.clone() });
    let mut actions = Vec::new();
    if !decisions.not_phi.is_empty() || !decisions.added_boxes.is_empty() {
        ensure!(
            !matches!(entry.format.as_deref(), Some("video" | "dicom")),
            "unredacting or adding boxes in videos and DICOM objects is not supported: re-run the file"
        );
        for &index in &decisions.not_phi {
            let finding = entry.findings.get_mut(index).with_context(|| format!("there is no finding {index}"))?;
            finding.review = decided(ReviewDecision::NotPhi);
            actions.push(format!("unredacted finding {index} ({}) as not PHI", finding.kind.name()));
        }
        for &rect in &decisions.added_boxes {
            let PixelRect { x, y, width, height } = rect;
            entry.findings.push(Finding {
                kind: RegionKind::Manual,
                bbox: [x, y, width, height].map(|v| v as f32),
                quad: None,
                redacted: Redaction { rect, mode: RedactionMode::Box, shape: Shape::Rectangle },
                score: 1.0,
                text: None,
                review: decided(ReviewDecision::Added),
            });
            actions.push(format!("added a box at x {x}, y {y}, {width}x{height}"));
        }
        entry.output_sha256 = Some(rerender(&entry, run)?);
    }
    if let Some(note) = decisions.note.as_deref().filter(|n| !n.trim().is_empty()) {
        if review.keep_notes {
            entry.review.get_or_insert_with(FileReview::default).note = Some(note.into());
            actions.push("noted".into());
        } else {
            actions.push("note not kept: the report lies in the output folder, beside the public copies".into());
        }
    }
    if let Some(at) = &decisions.approved_at {
        let file_review = entry.review.get_or_insert_with(FileReview::default);
        file_review.approved_by = Some(review.reviewer.into());
        file_review.approved_at = Some(at.clone());
        actions.push("approved".into());
    }
    settle(&mut entry);
    if let (Some(out_dir), Some(output)) = (&run.output_directory, &entry.output) {
        // The record holds how the file ended, not that this run found it unchanged.
        let mut result = entry.clone();
        if let Some(status) = result.result_status.take() {
            result.status = status;
        }
        update_recorded_result(out_dir, &run.resolve(output), result)?;
    }
    Ok((entry, actions))
}

/// Renders the file's output afresh from its original with the redactions still kept.
fn rerender(entry: &FileResult, run: &RecordedRun) -> Result<String> {
    let input = run.resolve(&entry.input);
    let output = run.resolve(entry.output.as_deref().context("it has no output to re-render")?);
    let bytes = std::fs::read(&input).with_context(|| format!("cannot read the original {}", input.display()))?;
    if entry.input_sha256.as_deref() != Some(sha256_hex(&bytes).as_str()) {
        bail!("the original {} has changed since the report was made", input.display());
    }
    let mut image = decode_image(&input, &bytes, run.max_pixels)?;
    image.format = run.image_format.copy_format(image.format);
    let areas: Vec<Redaction> = kept_findings(entry).map(|finding| finding.redacted).collect();
    redact_and_write(&input, &mut image, (&areas, run.box_paint), (&output, Placing::Replace), &mut Timings::default())
}

fn kept_findings(entry: &FileResult) -> impl Iterator<Item = &Finding> {
    entry.findings.iter().filter(|f| f.review.as_ref().map(|r| r.decision) != Some(ReviewDecision::NotPhi))
}

/// Status and risk again from the findings still redacted, as a run sets them; an approved
/// file no longer `needs_review`. An `unchanged` entry stays so, and the status it stands for
/// (`result_status`) changes instead.
fn settle(entry: &mut FileResult) {
    let current = if entry.status == Status::Unchanged { entry.result_status } else { Some(entry.status) };
    if !matches!(current, Some(Status::Redacted | Status::NeedsReview | Status::Clean)) {
        return;
    }
    let kept: Vec<Finding> = kept_findings(entry).cloned().collect();
    let approved = entry.review.as_ref().is_some_and(|review| review.approved_at.is_some());
    let settled = match Status::of(&kept) {
        Status::NeedsReview if approved => Status::Redacted,
        status => status,
    };
    entry.risk = highest_risk(&kept);
    if entry.status == Status::Unchanged {
        entry.result_status = Some(settled);
    } else {
        entry.status = settled;
    }
}
