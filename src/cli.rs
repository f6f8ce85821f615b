//! Command-line definitions (clap) and nothing else.

use crate::config::{
    ImageFormatChoice, OcrEngines, TextModels, DEFAULT_CRF, DEFAULT_FACE_THRESHOLD, DEFAULT_MAX_MEGAPIXELS, DEFAULT_MAX_VIDEO_FRAMES,
    DEFAULT_MIN_TEXT_RISK, DEFAULT_PRESET, DEFAULT_TEXT_EVERY,
};
use crate::infer::{Batching, DeviceRequest, InputShapes, RuntimePaths, MODELS_ENV, ORT_LIB_ENV};
use crate::redact::{BoxPaint, RedactionMode};
use crate::shard::{parse_shard, Shard};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  Redact every photo in a folder (mirrored into out/, report in out/phi-redact-report.json):
    phi-redact redact photos/ --out out/
  Solid boxes instead of blur, stricter face threshold, one file:
    phi-redact redact ward-party.jpg --out public/ --mode box --threshold 0.3
  Faces only, text left alone:
    phi-redact redact photos/ --out out/ --no-text
  Cautious: box out every piece of text, PHI or not:
    phi-redact redact photos/ --out out/ --redact-all-text
  Check how well it does on your own labelled photos:
    phi-redact eval my-labels.json --root my-photos/
  Review in a browser (out/phi-redact-report.html), export decisions.json, apply them:
    phi-redact apply ~/Downloads/decisions.json

Exit status: 0 every file was handled (redacted, clean or skipped); 1 at least one file
failed and got no output; 2 the run could not start (bad arguments, models missing).";

#[derive(Debug, Parser)]
#[command(
    name = "phi-redact",
    version,
    about = "Find and redact protected health information (faces, text) in photos before they are published",
    long_about = "Find and redact protected health information in photos before they are published.\n\n\
        Works offline: the ONNX Runtime library and the face model are read from the models \
        directory set up by `make setup`, each verified by sha256.",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write redacted, metadata-free copies of images plus a JSON report.
    #[command(after_help = EXAMPLES)]
    Redact(RedactArgs),
    /// Is this safe to post? Analyses without writing anything: one verdict per file; exit
    /// status 0 when nothing was found, 1 when PHI (a face, or text at or above --min-risk)
    /// was, 2 on errors.
    Check(CheckArgs),
    /// Does this caption, alt text or reply carry PHI? Reads TEXT (or standard input, for `-`
    /// or none) and marks the names, dates, record numbers, phones and places in it, with the
    /// reasons; exit status 0 when nothing was found, 1 when PHI was, 2 on errors.
    CheckText(CheckTextArgs),
    /// Measure face recall on a labelled image set (labels.json format of the dev set).
    Eval(EvalArgs),
    /// Apply the decisions exported from the review page (decisions.json): re-render the
    /// outputs concerned from the originals, and record the decisions and approvals in the
    /// report. Exit status 0 when every file's decisions were applied, 1 when some were not.
    Apply(ApplyArgs),
    /// A local web application for people who do not use a terminal: drop photos and videos,
    /// review and approve the redacted copies, download them, and check the caption that goes
    /// with them. Prints one URL (with its access token) to open in a browser; also a JSON API
    /// (docs/guide.md).
    Serve(ServeArgs),
    /// Join the report parts that shards wrote into DIR (phi-redact-report.shard-I-of-N.json)
    /// into DIR/phi-redact-report.json and its review page.
    MergeReports(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The output folder the shards shared.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The decisions file the review page exported.
    #[arg(value_name = "DECISIONS")]
    pub decisions: PathBuf,
    /// The JSON report the decisions were made on [default: the one the decisions name].
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Image and video files and/or directories (walked recursively).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory; each output mirrors its input's path relative to the directory given.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Where to write the JSON report [default: DIR/phi-redact-report.json]; the review page
    /// goes beside it, named like it with .html.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Let the review page show the original, unredacted files beside the redacted ones. The
    /// page then shows PHI: keep it as private as the originals.
    #[arg(long)]
    pub report_originals: bool,
    /// Redo every file. By default a file that an earlier run into the same DIR finished, with
    /// the same content, settings, models and program, and whose output is untouched, is not
    /// redone: it is reported as `unchanged` (records in DIR/.phi-redact/).
    #[arg(long)]
    pub force: bool,
    /// Process only shard I of N (numbered from 0): inputs are shared out by their path, the
    /// same way on every machine. The shard writes its report part as
    /// phi-redact-report.shard-I-of-N.json; `merge-reports DIR` joins the parts.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, conflicts_with = "shards")]
    pub shard: Option<Shard>,
    /// Number of shards, the index coming from $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).
    #[arg(long, value_name = "N", env = "PHI_REDACT_SHARDS")]
    pub shards: Option<u32>,
    #[command(flatten)]
    pub copies: CopyArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub video: VideoArgs,
    /// No progress bar and no summary; failures are still printed.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// One line per file.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// How the redacted copies are made; shared by `redact` and `serve`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// How to redact faces.
    #[arg(long, alias = "face-mode", value_enum, default_value_t = RedactionMode::Blur)]
    pub mode: RedactionMode,
    /// How to redact PHI text (blurred or pixelated text can often be read back).
    #[arg(long, value_enum, default_value_t = RedactionMode::Box)]
    pub text_mode: RedactionMode,
    /// How to redact licence plates (a blurred plate can often be read back).
    #[arg(long, value_enum, default_value_t = RedactionMode::Box)]
    pub plate_mode: RedactionMode,
    /// How solid boxes over print (text, barcodes, plates) are painted: black over the print
    /// they cover and the ground's own colour over their bare margins (every pixel still
    /// replaced), or black whole. Reviewers' boxes and boxed faces are always black whole.
    #[arg(long, value_enum, default_value_t = BoxPaint::OverPrint)]
    pub box_paint: BoxPaint,
    /// The format of still images' copies, named for it (`photo.png` -> `photo.jpg`).
    #[arg(long, value_enum, default_value_t = ImageFormatChoice::Keep)]
    pub image_format: ImageFormatChoice,
}

/// How text in images is treated; shared by `redact` and `check`.
#[derive(Debug, Args)]
pub struct TextArgs {
    /// Box out every piece of text found, PHI or not (the cautious mode). By default text is
    /// read and only regions carrying PHI (names, dates, record numbers, phones, ...) are boxed.
    #[arg(long, conflicts_with = "no_text")]
    pub redact_all_text: bool,
    /// Box every barcode (QR, Code128, DataMatrix, PDF417), not only those whose payload
    /// carries PHI.
    #[arg(long)]
    pub redact_all_barcodes: bool,
    /// Leave text and barcodes alone: faces only.
    #[arg(long)]
    pub no_text: bool,
    /// Leave licence plates alone (they are looked for among the text found).
    #[arg(long)]
    pub no_plates: bool,
    /// Box out text regions whose PHI risk reaches this, in [0, 1].
    #[arg(long, default_value_t = DEFAULT_MIN_TEXT_RISK, value_parser = parse_unit_interval)]
    pub min_risk: f32,
    /// Site policy (TOML): allow-list, deny-list and extra regex recognizers for text; see
    /// docs/guide.md.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Who reads the text found.
    #[arg(long, value_enum, default_value_t = OcrEngines::Onnx)]
    pub ocr: OcrEngines,
    /// Text detector and recognizer pair.
    #[arg(long, value_enum, default_value_t = TextModels::Tiny)]
    pub text_models: TextModels,
    /// Put the text read into the report, not only its masked shape ("J*** D**"). The report
    /// then holds PHI itself: keep it as private as the originals.
    #[arg(long)]
    pub report_raw_text: bool,
}

const X264_PRESETS: [&str; 10] =
    ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"];

/// How videos are analysed and written.
#[derive(Debug, Args)]
pub struct VideoArgs {
    /// Look for text in every Nth frame of a video (faces are looked for in every frame; text
    /// found is tracked over the frames in between and boxed wherever it is visible).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_TEXT_EVERY, value_parser = clap::value_parser!(u32).range(1..))]
    pub text_every: u32,
    /// H.264 quality: libx264's constant rate factor (0-51, lower is better and larger).
    #[arg(long, default_value_t = DEFAULT_CRF, value_parser = clap::value_parser!(u8).range(0..=51))]
    pub crf: u8,
    /// libx264 preset: slower presets make smaller files at the same quality.
    #[arg(long, default_value = DEFAULT_PRESET, value_parser = X264_PRESETS)]
    pub preset: String,
    /// Drop audio streams (by default they are copied unchanged; audio is not analysed).
    #[arg(long)]
    pub strip_audio: bool,
    /// Refuse videos of more frames than this (every frame is analysed).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_VIDEO_FRAMES)]
    pub max_video_frames: u64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Image and video files and/or directories (walked recursively).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// One verdict line per file, or one JSON document for the whole run.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free one; the URL printed says which).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// The address to listen on. The default lets only this machine in; another address lets
    /// the network reach the server (the token still guards every request).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub listen: std::net::IpAddr,
    /// Where uploads, their copies and reports are kept, and found again by the next `serve`
    /// [default: phi-redact/serve in the user's data directory].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Write the access token to FILE (mode 0600) once listening, for scripts.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The largest upload accepted, in bytes, or with a suffix K, M or G (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
    pub max_upload: u64,
    /// Let the review show the original, unredacted files too. It then shows PHI.
    #[arg(long)]
    pub report_originals: bool,
    #[command(flatten)]
    pub copies: CopyArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub video: VideoArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct CheckTextArgs {
    /// The text to check; `-` or nothing reads it from standard input.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// One line per finding and a verdict, or one JSON document (`{"findings": [...]}`).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Report text whose PHI risk reaches this, in [0, 1].
    #[arg(long, default_value_t = DEFAULT_MIN_TEXT_RISK, value_parser = parse_unit_interval)]
    pub min_risk: f32,
    /// Site policy (TOML), as for `redact`: its allow-list, deny-list and regex recognizers.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labels file: {"images": [{"file": "...", "faces": [[x,y,w,h], ...]}]}.
    pub labels: PathBuf,
    /// Folder the labelled file paths are relative to [default: the labels file's folder].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Options shared by every command that runs the detectors.
#[derive(Debug, Args)]
pub struct EngineArgs {
    /// Face score threshold in [0, 1]; lower finds more faces and blurs more by mistake. In a
    /// still image, faces under 0.3 are kept only beside one of 0.5 or more (see
    /// --keep-weak-faces).
    #[arg(long, default_value_t = DEFAULT_FACE_THRESHOLD, value_parser = parse_unit_interval)]
    pub threshold: f32,
    /// Keep every face at or above --threshold in still images, even a weak one (under 0.3) with
    /// no face of 0.5 or more beside it: a lone person in poor light is not missed, and lamps,
    /// pets and form boxes are blurred by mistake.
    #[arg(long)]
    pub keep_weak_faces: bool,
    /// Images processed in parallel [default: number of CPU cores].
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Refuse images declaring more megapixels than this (decompression bombs).
    #[arg(long, value_name = "MP", default_value_t = DEFAULT_MAX_MEGAPIXELS)]
    pub max_megapixels: u64,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    /// Look for faces with the full-precision network only. By default, on a CPU with VNNI
    /// instructions (elsewhere its 8-bit arithmetic saturates), the network's 8-bit copy (about
    /// twice as fast) runs every face pass of still images, and in videos every face pass but
    /// the first one of key frames (every Nth frame, see --text-every, and each shot's first).
    #[arg(long)]
    pub full_precision: bool,
    /// How far the networks' inputs are padded [default: aligned on a CPU, few-fixed on a GPU]:
    /// `aligned`, only to the multiple a network needs; `few-fixed`, up to one of a few fixed
    /// sizes, so that a GPU plans each shape once (to compare the two on one machine).
    #[arg(long, value_enum, value_name = "HOW")]
    pub input_shapes: Option<InputShapes>,
    /// How the face network's inputs are run [default: per-engine-set on a CPU, across-files on
    /// a GPU]: `per-engine-set`, each set of engines (one per worker, up to four) its own
    /// network, one input at a time; `across-files`, one network for every set, the inputs of
    /// the files and frames in flight run together in batches (to compare the two on one machine).
    #[arg(long, value_enum, value_name = "HOW")]
    pub batching: Option<Batching>,
}

/// Where the models and ONNX Runtime are, and where inference runs.
#[derive(Debug, Args)]
pub struct RuntimeArgs {
    /// Where inference runs; `auto` uses CUDA when ONNX Runtime's CUDA provider registers.
    #[arg(long, value_enum, default_value_t = DeviceRequest::Auto)]
    pub device: DeviceRequest,
    /// Models directory [default: models/ beside or above the binary; never the working directory].
    #[arg(long, value_name = "DIR", env = MODELS_ENV)]
    pub models: Option<PathBuf>,
    /// ONNX Runtime library to load instead of the verified one in the models directory
    /// (for example a CUDA build).
    #[arg(long, value_name = "PATH", env = ORT_LIB_ENV)]
    pub ort_lib: Option<PathBuf>,
}

impl RuntimeArgs {
    pub fn paths(&self) -> RuntimePaths {
        RuntimePaths { models_dir: self.models.clone(), ort_library: self.ort_lib.clone() }
    }
}

/// "2G", "500M", "64K" or a number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.char_indices().last() {
        Some((at, 'K' | 'k')) => (&text[..at], 1 << 10),
        Some((at, 'M' | 'm')) => (&text[..at], 1 << 20),
        Some((at, 'G' | 'g')) => (&text[..at], 1 << 30),
        _ => (text, 1),
    };
    let number: u64 = digits.parse().map_err(|_| format!("`{text}` is not a size (a number, or one with K, M or G)"))?;
    number.checked_mul(unit).filter(|&size| size > 0).ok_or_else(|| format!("`{text}` is not a size above zero that fits"))
}

fn parse_unit_interval(text: &str) -> Result<f32, String> {
    let value: f32 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}
