//! The machine-readable report (`phi-redact-report.json`). Its layout is documented in
//! docs/guide.md; bump `SCHEMA_VERSION` on any incompatible change.

mod file;
mod review;

pub use file::{
    highest_risk, DicomDetails, FileResult, Finding, KeptAudio, Keyframe, Status, TextDetails, Timings, TrackSpan, VideoDetails,
};
pub use review::{AuditEntry, FileReview, FindingReview, ReviewDecision};

use crate::config::Settings;
use crate::detect::RegionKind;
use crate::infer::{Device, ModelFile};
use anyhow::{ensure, Result};
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 3;
pub const DEFAULT_REPORT_NAME: &str = "phi-redact-report.json";
/// Folder beside the report holding redacted video keyframes.
pub const THUMBNAIL_DIR: &str = "phi-redact-thumbnails";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub files: usize,
    pub redacted: usize,
    pub needs_review: usize,
    pub clean: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub failed: usize,
    pub faces: usize,
    pub text_regions: usize,
    pub barcodes: usize,
    /// Licence plates (reports before plates were looked for: none).
    #[serde(default)]
    pub plates: usize,
    pub seconds: f64,
}

impl Totals {
    pub fn count(files: &[FileResult], seconds: f64) -> Self {
        let with = |status| files.iter().filter(|f| f.status == status).count();
        Self {
            files: files.len(),
            redacted: with(Status::Redacted),
            needs_review: with(Status::NeedsReview),
            clean: with(Status::Clean),
            unchanged: with(Status::Unchanged),
            skipped: with(Status::Skipped),
            failed: with(Status::Failed),
            faces: count_findings(files, RegionKind::Face),
            text_regions: count_findings(files, RegionKind::Text),
            barcodes: count_findings(files, RegionKind::Barcode),
            plates: count_findings(files, RegionKind::Plate),
            seconds,
        }
    }
}

fn count_findings(files: &[FileResult], kind: RegionKind) -> usize {
    files.iter().flat_map(|f| &f.findings).filter(|finding| finding.kind == kind).count()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeInfo {
    pub onnxruntime_library: String,
    pub device: Device,
    pub device_note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub runtime: RuntimeInfo,
    pub models: Vec<ModelFile>,
    pub settings: Settings,
    /// The folder the run started in: relative input and output paths are relative to it.
    pub working_directory: String,
    /// The run's output folder (`--out`), which also holds its resume records.
    pub output_directory: Option<String>,
    pub totals: Totals,
    pub files: Vec<FileResult>,
    /// Reviewers' decisions as `apply` recorded them: who, when, which file, what.
    pub audit: Vec<AuditEntry>,
    /// In a shard's report part only: which shard, and where its files go in the whole report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardPart>,
}

/// What a report part says of its shard: which it is, and where each of its files belongs in
/// the whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardPart {
    pub index: u32,
    pub count: u32,
    pub positions: Vec<usize>,
}

impl Report {
    pub fn new(runtime: RuntimeInfo, models: Vec<ModelFile>, settings: Settings, files: Vec<FileResult>, seconds: f64) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo { name: env!("CARGO_PKG_NAME").into(), version: env!("CARGO_PKG_VERSION").into() },
            runtime,
            models,
            settings,
            working_directory: std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
            output_directory: None,
            totals: Totals::count(&files, seconds),
            files,
            audit: Vec::new(),
            shard: None,
        }
    }

    /// A report as written to disk, read back whole: refused unless it is a phi-redact
    /// report of this schema with nothing in it this program does not write.
    pub fn read(bytes: &[u8]) -> Result<Self> {
        let report: Self = serde_json::from_slice(bytes)?;
        ensure!(
            report.tool.name == env!("CARGO_PKG_NAME") && report.schema_version == SCHEMA_VERSION,
            "not a phi-redact report of schema {SCHEMA_VERSION}"
        );
        Ok(report)
    }

    /// The totals again, after `apply` or `merge-reports` changed the files.
    pub fn recount(&mut self) {
        self.totals = Totals::count(&self.files, self.totals.seconds);
    }
}

/// Milliseconds since `since`, as timings are kept.
pub fn elapsed_ms(since: std::time::Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::PixelRect;
    use crate::redact::{Redaction, RedactionMode, Shape};

    fn a_report() -> Report {
        let runtime = RuntimeInfo { onnxruntime_library: "libonnxruntime.so".into(), device: Device::Cpu, device_note: "cpu".into() };
        let mut file = FileResult { status: Status::Redacted, risk: 0.5, ..FileResult::new(std::path::Path::new("in/a.png")) };
        let rect = PixelRect { x: 1, y: 2, width: 3, height: 4 };
        file.findings.push(Finding {
            kind: RegionKind::Manual,
            bbox: [1.0, 2.0, 3.0, 4.0],
            quad: None,
            redacted: Redaction { rect, mode: RedactionMode::Box, shape: Shape::Rectangle },
            score: 1.0,
            text: None,
            review: Some(FindingReview { decision: ReviewDecision::Added, by: "R".into(), at: "now".into() }),
        });
        file.review = Some(FileReview { approved_by: Some("R".into()), ..FileReview::default() });
        Report::new(runtime, Vec::new(), Settings::default(), vec![file], 1.5)
    }

    #[test]
    fn a_report_reads_back_as_written() {
        let written = serde_json::to_vec_pretty(&a_report()).unwrap();
        let read = Report::read(&written).unwrap();
        assert_eq!(serde_json::to_vec_pretty(&read).unwrap(), written);
    }

    #[test]
    fn a_report_with_what_this_program_does_not_write_is_refused() {
        let written = serde_json::to_value(a_report()).unwrap();
        type Edit = fn(&mut serde_json::Value);
        let edits: [(&str, Edit); 4] = [
            ("a field at the top", |r| r["extra"] = 1.into()),
            ("a field in a redaction", |r| r["files"][0]["findings"][0]["redacted"]["depth"] = 1.into()),
            ("another tool", |r| r["tool"]["name"] = "other".into()),
            ("another schema", |r| r["schema_version"] = 2.into()),
        ];
        for (what, edit) in edits {
            let mut report = written.clone();
            edit(&mut report);
            assert!(Report::read(&serde_json::to_vec(&report).unwrap()).is_err(), "{what}");
        }
    }
}
