//! The machine-readable report (`phi-redact-report.json`). Its layout is documented in
//! README.md; bump `SCHEMA_VERSION` on any incompatible change.

use crate::config::Settings;
use crate::detect::RegionKind;
use crate::infer::{Device, ModelFile};
use crate::phi::PhiCategory;
use crate::redact::Redaction;
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::Path;

pub const SCHEMA_VERSION: u32 = 1;
pub const DEFAULT_REPORT_NAME: &str = "phi-redact-report.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Something was found and redacted in the output.
    Redacted,
    /// Fully analysed, nothing found; the output is a metadata-free copy.
    Clean,
    /// Not media; nothing written.
    Skipped,
    /// Could not be fully analysed; nothing written.
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: RegionKind,
    /// What the detector found, `[x, y, w, h]` in pixels of the upright image.
    #[serde(rename = "box")]
    pub bbox: [f32; 4],
    /// The area actually redacted: the box grown to cover hair and chin, and its shape.
    pub redacted: Redaction,
    pub score: f32,
    /// For text read with `--phi-text`: what it holds, without the PHI itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextDetails>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TextDetails {
    /// The text with letters (but each word's first) and digits starred: "D** **/**/****".
    pub masked: String,
    pub ocr_confidence: f32,
    pub categories: Vec<PhiCategory>,
    /// In [0, 1]: the strongest identifier's strength, lowered a little by poor OCR confidence.
    pub risk: f32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub decode_ms: f64,
    pub detect_ms: f64,
    pub redact_ms: f64,
    pub encode_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub input: String,
    pub output: Option<String>,
    pub status: Status,
    pub reason: Option<String>,
    pub format: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub input_sha256: Option<String>,
    pub output_sha256: Option<String>,
    pub findings: Vec<Finding>,
    pub timings: Timings,
}

impl FileResult {
    pub fn new(input: &Path) -> Self {
        Self {
            input: input.display().to_string(),
            output: None,
            status: Status::Failed,
            reason: None,
            format: None,
            width: None,
            height: None,
            input_sha256: None,
            output_sha256: None,
            findings: Vec::new(),
            timings: Timings::default(),
        }
    }

    pub fn failed(input: &Path, reason: String) -> Self {
        Self { reason: Some(reason), ..Self::new(input) }
    }

    pub fn skipped(input: &Path, reason: String) -> Self {
        Self { status: Status::Skipped, reason: Some(reason), ..Self::new(input) }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub files: usize,
    pub redacted: usize,
    pub clean: usize,
    pub skipped: usize,
    pub failed: usize,
    pub faces: usize,
    pub text_regions: usize,
    pub seconds: f64,
}

impl Totals {
    pub fn count(files: &[FileResult], seconds: f64) -> Self {
        let with = |status| files.iter().filter(|f| f.status == status).count();
        Self {
            files: files.len(),
            redacted: with(Status::Redacted),
            clean: with(Status::Clean),
            skipped: with(Status::Skipped),
            failed: with(Status::Failed),
            faces: count_findings(files, RegionKind::Face),
            text_regions: count_findings(files, RegionKind::Text),
            seconds,
        }
    }
}

fn count_findings(files: &[FileResult], kind: RegionKind) -> usize {
    files.iter().flat_map(|f| &f.findings).filter(|finding| finding.kind == kind).count()
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuntimeInfo {
    pub onnxruntime_library: String,
    pub device: Device,
    pub device_note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub runtime: RuntimeInfo,
    pub models: Vec<ModelFile>,
    pub settings: Settings,
    pub totals: Totals,
    pub files: Vec<FileResult>,
}

impl Report {
    pub fn new(runtime: RuntimeInfo, models: Vec<ModelFile>, settings: Settings, files: Vec<FileResult>, seconds: f64) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") },
            runtime,
            models,
            settings,
            totals: Totals::count(&files, seconds),
            files,
        }
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self)?;
        crate::fsutil::write_atomically(path, &json).with_context(|| format!("cannot write report {}", path.display()))
    }
}
