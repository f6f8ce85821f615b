//! One file's entry in the report: its status, what was found and redacted in it, and how
//! long each stage took.

use super::review::{FileReview, FindingReview};
use crate::detect::{Region, RegionKind};
use crate::dicom::AttributeCounts;
use crate::geometry::{BBox, Quad};
use crate::phi::{mask, Assessment, PhiCategory};
use crate::redact::Redaction;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Something was found and redacted in the output.
    Redacted,
    /// Redacted, but some text was judged PHI with middling confidence: a person should look.
    NeedsReview,
    /// Fully analysed, nothing found; the output is a metadata-free copy.
    Clean,
    /// Done by an earlier run with the same input, settings, models and program, and its
    /// output is still the one written then: not redone (`--force` redoes it). The entry is
    /// that run's, with `result_status` saying how it ended.
    Unchanged,
    /// Not media; nothing written.
    Skipped,
    /// Could not be fully analysed; nothing written.
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub kind: RegionKind,
    /// What the detector found, `[x, y, w, h]` in pixels of the upright image.
    #[serde(rename = "box")]
    pub bbox: [f32; 4],
    /// For text, the same area as an outline turned with its line: start-top, end-top,
    /// end-bottom, start-bottom corners.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quad: Option<Quad>,
    /// The area actually redacted: the box grown to cover hair and chin, and its shape.
    pub redacted: Redaction,
    pub score: f32,
    /// For text that was read: what it holds, without the PHI itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextDetails>,
    /// A reviewer's decision on it, as `apply` recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<FindingReview>,
}

impl Status {
    /// A file's status from what is redacted in it: `clean` with nothing, `needs_review` when
    /// any finding asks for a person's look, `redacted` otherwise.
    pub fn of(findings: &[Finding]) -> Self {
        match findings {
            [] => Status::Clean,
            _ if findings.iter().any(Finding::needs_review) => Status::NeedsReview,
            _ => Status::Redacted,
        }
    }
}

/// A file's risk: the highest of its findings', 0 with none.
pub fn highest_risk(findings: &[Finding]) -> f32 {
    findings.iter().map(Finding::risk).fold(0.0, f32::max)
}

impl Finding {
    pub fn needs_review(&self) -> bool {
        self.text.as_ref().is_some_and(|t| t.needs_review)
    }

    /// How likely this is PHI: a text's or barcode's risk, a face detector's score.
    pub fn risk(&self) -> f32 {
        self.text.as_ref().map_or(self.score, |t| t.risk)
    }

    /// Whether `other` is this finding again: of the same kind, on nearly the same box (the
    /// same text or face found in two views of one image).
    pub fn repeats(&self, other: &Finding) -> bool {
        const SAME_BOX_IOU: f32 = 0.8;
        self.kind == other.kind && BBox::from_xywh(self.bbox).iou(&BBox::from_xywh(other.bbox)) >= SAME_BOX_IOU
    }

    pub fn new(region: &Region, redacted: Redaction, text: Option<TextDetails>) -> Self {
        let quad = region.quad.filter(|_| region.kind == RegionKind::Text);
        Self { kind: region.kind, bbox: region.bbox.xywh(), quad, redacted, score: region.score, text, review: None }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextDetails {
    /// The text with letters (but each word's first) and digits starred: "D** **/**/****".
    pub masked: String,
    /// Redacted, but the risk is middling (between `--min-risk` and the review threshold).
    pub needs_review: bool,
    /// The text as read; only with `--report-raw-text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// Who read it: "pp-ocrv6", "tesseract", or the barcode format.
    pub ocr_engine: String,
    pub ocr_confidence: f32,
    pub categories: Vec<PhiCategory>,
    /// In [0, 1]: the strongest identifier's strength, lowered a little by poor OCR confidence.
    pub risk: f32,
    pub reasons: Vec<String>,
}

impl TextDetails {
    pub fn new(assessment: Assessment, ocr_confidence: f32, ocr_engine: &str, needs_review: bool, with_raw_text: bool) -> Self {
        Self {
            needs_review,
            ocr_engine: ocr_engine.to_string(),
            masked: mask(&assessment.text),
            raw: with_raw_text.then(|| assessment.text.clone()),
            ocr_confidence,
            categories: assessment.categories,
            risk: assessment.risk,
            reasons: assessment.reasons,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timings {
    pub decode_ms: f64,
    pub faces_ms: f64,
    /// Finding text lines (reading them is `read_ms`, scoring `score_ms`).
    pub text_ms: f64,
    pub barcodes_ms: f64,
    pub read_ms: f64,
    pub score_ms: f64,
    pub redact_ms: f64,
    pub encode_ms: f64,
    pub total_ms: f64,
}

impl std::ops::AddAssign for Timings {
    fn add_assign(&mut self, other: Self) {
        self.decode_ms += other.decode_ms;
        self.faces_ms += other.faces_ms;
        self.text_ms += other.text_ms;
        self.barcodes_ms += other.barcodes_ms;
        self.read_ms += other.read_ms;
        self.score_ms += other.score_ms;
        self.redact_ms += other.redact_ms;
        self.encode_ms += other.encode_ms;
        self.total_ms += other.total_ms;
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileResult {
    pub input: String,
    pub output: Option<String>,
    pub status: Status,
    /// For an `unchanged` file, the status the earlier run gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_status: Option<Status>,
    pub reason: Option<String>,
    pub format: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub input_sha256: Option<String>,
    pub output_sha256: Option<String>,
    /// The highest risk of its findings, in [0, 1]; 0 when nothing was found.
    pub risk: f32,
    pub findings: Vec<Finding>,
    /// For a video: when each finding's track was visible (`tracks[i]` is `findings[i]`'s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoDetails>,
    /// For a DICOM object: its frames, the frame of each finding, and what its header lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dicom: Option<DicomDetails>,
    /// The review, as `apply` recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<FileReview>,
    pub timings: Timings,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoDetails {
    pub frames: usize,
    pub duration_s: f64,
    pub frame_rate: f64,
    pub tracks: Vec<TrackSpan>,
    /// Redacted frames where tracks begin, saved beside the report.
    pub keyframes: Vec<Keyframe>,
    /// The audio streams copied into the redacted video as they were. phi-redact does not
    /// listen: a name or date spoken in them goes through (`--strip-audio` drops them).
    #[serde(default)]
    pub audio_kept_unanalysed: Vec<KeptAudio>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DicomDetails {
    /// The input's transfer syntax UID, and the one its copy is written in (always explicit
    /// VR little endian: the redacted samples are written uncompressed).
    pub transfer_syntax: String,
    pub written_as: String,
    pub frames: usize,
    /// The frame each finding is in (`finding_frames[i]` is `findings[i]`'s), and how many
    /// each frame has.
    pub finding_frames: Vec<usize>,
    pub findings_per_frame: Vec<usize>,
    /// What the header's de-identification did (PS3.15 Basic Profile, private attributes,
    /// overlays).
    pub attributes: AttributeCounts,
    /// The frame with most findings, rendered and redacted, saved beside the report.
    pub keyframe: Option<Keyframe>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeptAudio {
    /// The stream's index in the input file.
    pub stream: usize,
    pub codec: String,
}

/// One tracked face, text or barcode: the frames it was redacted in and how often it was seen.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackSpan {
    pub id: usize,
    pub kind: RegionKind,
    pub first_frame: usize,
    pub last_frame: usize,
    pub first_s: f64,
    pub last_s: f64,
    /// Frames in which the detector itself found it (the rest were filled in by tracking).
    pub detections: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyframe {
    pub frame: usize,
    pub time_s: f64,
    /// Relative to the report's folder.
    pub file: String,
}

impl FileResult {
    /// The result as it may be kept beside the public copies: without the text as read and
    /// without a reviewer's note, either of which may name the patient (the masked shapes stay,
    /// as in the report).
    pub fn without_private_text(mut self) -> Self {
        for text in self.findings.iter_mut().filter_map(|finding| finding.text.as_mut()) {
            text.raw = None;
        }
        if let Some(review) = &mut self.review {
            review.note = None;
        }
        self
    }

    pub fn new(input: &Path) -> Self {
        Self {
            input: input.display().to_string(),
            output: None,
            status: Status::Failed,
            result_status: None,
            reason: None,
            format: None,
            width: None,
            height: None,
            input_sha256: None,
            output_sha256: None,
            risk: 0.0,
            findings: Vec::new(),
            video: None,
            dicom: None,
            review: None,
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
