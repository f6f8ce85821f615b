//! `phi-redact apply decisions.json`: what reviewers decided on the review page, applied back.
//!
//! Outputs are re-rendered from the originals, never from the redacted copies: every kept
//! redaction of the report, in its order, plus the boxes reviewers added, through the same
//! stage the run used, so a new copy differs from the old one only where a decision says. The
//! report keeps every finding (unredacted ones are marked with who decided and when) and gains
//! an audit trail. Decisions made on an older report, or an original that has changed since,
//! are refused for that file; the other files go on.

use super::{page_path, resolve, write_page};
use crate::fsutil::{lies_within, write_atomically, Placing};
use crate::geometry::PixelRect;
use crate::hashing::sha256_hex;
use crate::pipeline::{decode_image, redact_and_write};
use crate::redact::{Redaction, RedactionMode, Shape};
use crate::report::{highest_risk, totals_of, FileResult, Finding, Status, Timings, SCHEMA_VERSION};
use crate::resume::update_recorded_result;
use anyhow::{bail, ensure, Context, Result};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

pub const DECISIONS_KIND: &str = "phi-redact-decisions";
pub const DECISIONS_VERSION: u64 = 1;

/// `decisions.json` as the review page exports it (README documents the format); a field it
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
    let report_path = report.unwrap_or(&decisions.report);
    let (mut report, shape) = read_report(&read(report_path)?, &decisions)
        .with_context(|| format!("{} is not a phi-redact report the decisions fit", report_path.display()))?;

    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let keep_notes = !lies_among_copies(report_path, &shape);
    let mut outcome = ApplyOutcome::default();
    let mut audit = Vec::new();
    for file in &decisions.files {
        match apply_to_file(&mut report, file, &decisions.reviewer, &now, keep_notes) {
            Ok(actions) => {
                outcome.applied += 1;
                audit.extend(actions.into_iter().map(|action| audit_entry(&decisions, file, &now, action)));
            }
            Err(error) => {
                let reason = format!("{error:#}");
                audit.push(audit_entry(&decisions, file, &now, format!("decisions not applied: {reason}")));
                outcome.failed.push((file.input.clone(), reason));
            }
        }
    }
    let seconds = report["totals"]["seconds"].as_f64().unwrap_or(0.0);
    report["totals"] = totals_of(report["files"].as_array().map_or(&[][..], Vec::as_slice), seconds)?;
    match report["audit"].as_array_mut() {
        Some(trail) => trail.extend(audit),
        None => report["audit"] = Value::Array(audit),
    }
    write_atomically(report_path, &serde_json::to_vec_pretty(&report)?)
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    write_page(&report, report_path, &page_path(report_path))?;
    Ok(outcome)
}

/// Decisions as the review page exports them, of the kind and schema this program writes.
pub fn read_decisions(bytes: &[u8]) -> Result<Decisions> {
    let decisions: Decisions = serde_json::from_slice(bytes)?;
    ensure!(decisions.kind == DECISIONS_KIND, "not a phi-redact decisions file (kind {:?})", decisions.kind);
    ensure!(decisions.schema_version == DECISIONS_VERSION, "decisions schema {} is not supported", decisions.schema_version);
    Ok(decisions)
}

/// A report (as JSON, to be edited, and as what `apply` relies on), refused unless it is a
/// phi-redact report of this schema that `decisions` could have been made on: all of it
/// checked before anything is written.
fn read_report(bytes: &[u8], decisions: &Decisions) -> Result<(Value, ReportShape)> {
    let report: Value = serde_json::from_slice(bytes)?;
    let shape = ReportShape::deserialize(&report)?;
    ensure!(
        shape.tool.name == env!("CARGO_PKG_NAME") && shape.schema_version == SCHEMA_VERSION,
        "not a phi-redact report of schema {SCHEMA_VERSION}"
    );
    decisions.files.iter().try_for_each(|file| check_decisions(&shape, file))?;
    Ok((report, shape))
}

/// Whether `report` could take `decisions`: [`read_report`] without keeping what it read.
pub fn check_report(report: &[u8], decisions: &Decisions) -> Result<()> {
    read_report(report, decisions).map(drop)
}

/// What `apply` relies on in a report, read typed: anything else (a settings file, a JSON
/// array, a report of another schema) is refused before anything is written.
#[derive(Debug, Deserialize)]
struct ReportShape {
    schema_version: u32,
    tool: ToolName,
    working_directory: String,
    output_directory: Option<String>,
    files: Vec<FileResult>,
    #[allow(dead_code)] // read only to be sure it is a list
    audit: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct ToolName {
    name: String,
}

/// Decisions that the review page of this report could not have made are refused whole,
/// before anything is written: for a file the report does not list, on a finding it does not
/// have, a box outside the image, or a copy to re-render outside the run's output folder.
fn check_decisions(report: &ReportShape, file: &FileDecisions) -> Result<()> {
    let entry = report.files.iter().find(|f| f.input == file.input).with_context(|| format!("{}: not in the report", file.input))?;
    if let Some(index) = file.not_phi.iter().find(|&&index| index >= entry.findings.len()) {
        bail!("{}: there is no finding {index}", file.input);
    }
    let (width, height) = (u64::from(entry.width.unwrap_or(0)), u64::from(entry.height.unwrap_or(0)));
    for added in &file.added_boxes {
        let [x, y, w, h] = [added.x, added.y, added.width, added.height].map(u64::from);
        ensure!(
            w > 0 && h > 0 && x + w <= width && y + h <= height,
            "{}: the added box {added:?} lies outside its {width}x{height} image",
            file.input
        );
    }
    if file.not_phi.is_empty() && file.added_boxes.is_empty() {
        return Ok(());
    }
    let working_directory = Some(report.working_directory.as_str());
    let output = entry.output.as_deref().map(|output| resolve(output, working_directory));
    let out_dir = report.output_directory.as_deref().map(|dir| resolve(dir, working_directory));
    let confined = match (&output, &out_dir) {
        (Some(output), Some(dir)) => lies_within(output, dir).unwrap_or(false),
        _ => false,
    };
    ensure!(confined, "{}: its copy to re-render, {:?}, lies outside the run's output folder", file.input, entry.output);
    Ok(())
}

/// Whether the report lies in its run's output folder, beside the public copies, or cannot be
/// told apart from it.
fn lies_among_copies(report_path: &Path, report: &ReportShape) -> bool {
    let Some(out_dir) = &report.output_directory else { return false };
    lies_within(report_path, &resolve(out_dir, Some(&report.working_directory))).unwrap_or(true)
}

fn audit_entry(decisions: &Decisions, file: &FileDecisions, applied_at: &str, action: String) -> Value {
    let at = file.approved_at.as_deref().filter(|_| action == "approved").unwrap_or(&decisions.exported_at);
    json!({ "by": decisions.reviewer, "at": at, "applied_at": applied_at, "file": file.input, "action": action })
}

/// Applies one file's decisions to its entry in the report; returns what was done, in words.
/// A reviewer's note may name the patient, so it is kept only when `keep_notes` (the report
/// lies outside the output folder).
fn apply_to_file(report: &mut Value, decisions: &FileDecisions, reviewer: &str, now: &str, keep_notes: bool) -> Result<Vec<String>> {
    let working_directory = report["working_directory"].as_str().map(str::to_string);
    let report_out_dir = report["output_directory"].as_str().map(str::to_string);
    let max_pixels = report["settings"]["max_megapixels"].as_u64().unwrap_or(u64::MAX / 1_000_000) * 1_000_000;
    let slot = report["files"]
        .as_array_mut()
        .and_then(|files| files.iter_mut().find(|f| f["input"].as_str() == Some(decisions.input.as_str())))
        .context("not in the report")?;
    // Changed on a copy, put back only when every decision took: a file whose re-rendering
    // failed must not be reported as unredacted.
    let mut entry = slot.clone();
    let entry = &mut entry;
    ensure!(
        entry["output_sha256"].as_str() == decisions.output_sha256.as_deref(),
        "the output has changed since these decisions were made (review the new report)"
    );
    let mut actions = Vec::new();
    if !decisions.not_phi.is_empty() || !decisions.added_boxes.is_empty() {
        ensure!(entry["format"].as_str() != Some("video"), "unredacting or adding boxes in videos is not supported: re-run the video");
        let findings = entry["findings"].as_array_mut().context("the report lists no findings for it")?;
        for &index in &decisions.not_phi {
            let finding = findings.get_mut(index).with_context(|| format!("there is no finding {index}"))?;
            finding["review"] = json!({ "decision": "not_phi", "by": reviewer, "at": now });
            actions.push(format!("unredacted finding {index} ({}) as not PHI", finding["kind"].as_str().unwrap_or("?")));
        }
        for added in &decisions.added_boxes {
            let redacted = Redaction { rect: *added, mode: RedactionMode::Box, shape: Shape::Rectangle };
            let [x, y, w, h] = [added.x, added.y, added.width, added.height];
            findings.push(json!({
                "kind": "manual", "box": [x, y, w, h], "redacted": redacted, "score": 1.0,
                "review": { "decision": "added", "by": reviewer, "at": now },
            }));
            actions.push(format!("added a box at x {x}, y {y}, {w}x{h}"));
        }
        let sha256 = rerender(entry, working_directory.as_deref(), max_pixels)?;
        entry["output_sha256"] = json!(sha256);
    }
    if let Some(note) = decisions.note.as_deref().filter(|n| !n.trim().is_empty()) {
        if keep_notes {
            entry["review"]["note"] = json!(note);
            actions.push("noted".into());
        } else {
            actions.push("note not kept: the report lies in the output folder, beside the public copies".into());
        }
    }
    if let Some(at) = &decisions.approved_at {
        entry["review"]["approved_by"] = json!(reviewer);
        entry["review"]["approved_at"] = json!(at);
        actions.push("approved".into());
    }
    settle(entry)?;
    if let (Some(out_dir), Some(output)) = (report_out_dir.as_deref(), entry["output"].as_str()) {
        let mut result: FileResult = serde_json::from_value(entry.clone()).context("the report's entry for it does not read back")?;
        // The record holds how the file ended, not that this run found it unchanged.
        if let Some(status) = result.result_status.take() {
            result.status = status;
        }
        update_recorded_result(&resolve(out_dir, working_directory.as_deref()), &resolve(output, working_directory.as_deref()), result)?;
    }
    *slot = entry.take();
    Ok(actions)
}

/// Renders the file's output afresh from its original with the redactions still kept.
fn rerender(entry: &Value, working_directory: Option<&str>, max_pixels: u64) -> Result<String> {
    let input = resolve(entry["input"].as_str().context("no input path")?, working_directory);
    let output = resolve(entry["output"].as_str().context("it has no output to re-render")?, working_directory);
    let bytes = std::fs::read(&input).with_context(|| format!("cannot read the original {}", input.display()))?;
    if entry["input_sha256"].as_str() != Some(sha256_hex(&bytes).as_str()) {
        bail!("the original {} has changed since the report was made", input.display());
    }
    let mut image = decode_image(&input, &bytes, max_pixels)?;
    let areas = kept_findings(entry)
        .map(|finding| serde_json::from_value::<Redaction>(finding["redacted"].clone()).context("a finding has no readable redaction"))
        .collect::<Result<Vec<_>>>()?;
    redact_and_write(&input, &mut image, &areas, (&output, Placing::Replace), &mut Timings::default())
}

fn kept_findings(entry: &Value) -> impl Iterator<Item = &Value> {
    entry["findings"].as_array().into_iter().flatten().filter(|f| f["review"]["decision"].as_str() != Some("not_phi"))
}

/// Status and risk again from the findings still redacted, as a run sets them; an approved
/// file no longer `needs_review`. An `unchanged` entry stays so, and the status it stands for
/// (`result_status`) changes instead.
fn settle(entry: &mut Value) -> Result<()> {
    let field = if entry["status"] == "unchanged" { "result_status" } else { "status" };
    if !matches!(entry[field].as_str(), Some("redacted" | "needs_review" | "clean")) {
        return Ok(());
    }
    let kept: Vec<Finding> = kept_findings(entry)
        .map(|f| serde_json::from_value(f.clone()))
        .collect::<Result<_, _>>()
        .context("a finding does not read back")?;
    let status = match Status::of(&kept) {
        Status::NeedsReview if entry["review"]["approved_at"].is_string() => Status::Redacted,
        status => status,
    };
    entry["risk"] = json!(highest_risk(&kept));
    entry[field] = serde_json::to_value(status)?;
    Ok(())
}
