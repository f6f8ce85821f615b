//! The commands: turn parsed arguments into settings, set up the runtime and detectors, run,
//! and report. Returns the process exit status.

use crate::batch::{discover, progress_bar, run_parallel, OutputPlan};
use crate::caption::CaptionChecker;
use crate::cli::{
    ApplyArgs, CheckArgs, CheckFormat, CheckTextArgs, CopyArgs, EngineArgs, EvalArgs, MergeArgs, RedactArgs, ServeArgs, TextArgs, VideoArgs,
};
use crate::config::{default_jobs, ConfigFile, OcrEngines, Settings, TextMode, TextModels, VideoSettings};
use crate::detect::RegionKind;
use crate::detect::{
    CenterFace, DbTextDetector, FaceModel, FaceNetworks, MultiScale, SharedFaceNetworks, SECOND_LOOK_DETECTOR, SMALL_DETECTOR,
    TINY_DETECTOR,
};
use crate::dicom::UidKey;
use crate::engine_pool::{EnginePool, EngineSet};
use crate::engines::{Engines, OnDemand, SecondLook};
use crate::fsutil::lies_within;
use crate::hashing::sha256_hex;
use crate::infer::{self, BatchPolicy, Batching, InputShapes, ModelFile, Runtime};
use crate::job::FileJob;
use crate::media::{named_like_video, sniff_file, MediaKind};
use crate::ner::Rampart;
use crate::ocr::{PpOcrRecognizer, TesseractReader, SMALL_RECOGNIZER, TINY_RECOGNIZER};
use crate::phi::PhiCategory;
use crate::phi::{NameLists, Scanner, TextPolicy};
use crate::report::{FileResult, Report, RuntimeInfo, ShardPart, Status, DEFAULT_REPORT_NAME, THUMBNAIL_DIR};
use crate::resume::{Fingerprint, Manifest};
use crate::review;
use crate::serve::{Analysis, ServeOptions};
use crate::shard::Shard;
use anyhow::{bail, ensure, Context, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Every file was redacted, clean or skipped.
pub const EXIT_OK: u8 = 0;
/// At least one file failed and got no output; the rest of the batch was processed.
pub const EXIT_FILES_FAILED: u8 = 1;
/// The run could not start or finish (bad arguments, models missing, report not writable).
pub const EXIT_FATAL: u8 = 2;

/// `check`'s verdicts as exit statuses: nothing found, PHI found, not every file analysed.
pub const CHECK_CLEAN: u8 = 0;
pub const CHECK_PHI_FOUND: u8 = 1;
pub const CHECK_NOT_ANALYSED: u8 = 2;

pub fn redact(args: RedactArgs) -> Result<std::process::ExitCode> {
    let started = Instant::now();
    let report_path = args.report.clone().unwrap_or_else(|| args.out.join(DEFAULT_REPORT_NAME));
    let thumbnail_dir = report_path.parent().unwrap_or(Path::new(".")).join(THUMBNAIL_DIR);
    let settings = Settings {
        thumbnail_dir: Some(thumbnail_dir),
        report_originals: args.report_originals,
        dicom_uids: Some(UidKey::fresh()?),
        ..with_copies(&args.copies, &args.video, with_text(&args.text, settings_from(&args.engine))?)
    };
    refuse_private_report_among_copies(&report_path, &args.out, &settings)?;
    let (runtime, shared, settings) = start_runtime(&args.engine, settings)?;
    if !args.quiet {
        eprintln!("phi-redact: device {}", runtime.device_note);
    }
    let plan = OutputPlan { dir: &args.out, strip_audio: settings.video.strip_audio, image_format: settings.image_format };
    let mut discovery = discover(&args.inputs, Some(plan))?;
    let shard = Shard::choose(args.shard, args.shards)?;
    let positions = shard.map(|shard| shard.keep(&mut discovery, &args.out));
    let engines = engine_sets(&runtime, &settings, &shared, &discovery.jobs)?;
    let models = engines[0].models();

    let progress = progress_bar(discovery.jobs.len(), args.quiet);
    let announce = |result: &FileResult| progress.suspend(|| print_file_line(result, args.verbose));
    let reuse_results = !args.force && !settings.report_raw_text;
    let manifest = Manifest::open(&args.out, Fingerprint::of_this_run(&settings, &models, runtime.device)?, reuse_results)?;
    let mut files =
        run_parallel(&discovery.jobs, settings.jobs, &EnginePool::new(boxed(engines)), &settings, Some(&manifest), &progress, &announce)?;
    progress.finish_and_clear();
    discovery.problems.iter().for_each(announce);
    files.extend(discovery.problems);

    let report = Report {
        output_directory: Some(args.out.display().to_string()),
        shard: shard.zip(positions).map(|(shard, positions)| ShardPart { index: shard.index, count: shard.count, positions }),
        ..Report::new(runtime_info(&runtime), models, settings, files, started.elapsed().as_secs_f64())
    };
    let report_path = match shard {
        Some(shard) => shard.part_path(&report_path),
        None => report_path,
    };
    review::write_report(&report, &report_path)?;
    if !args.quiet {
        let t = &report.totals;
        eprintln!(
            "phi-redact: {} files in {:.1} s: {} redacted and {} to review ({} faces, {} text parts, {} plates, {} barcodes), {} clean, {} unchanged, {} skipped, {} failed",
            t.files, t.seconds, t.redacted, t.needs_review, t.faces, t.text_regions, t.plates, t.barcodes, t.clean, t.unchanged, t.skipped, t.failed
        );
        eprintln!(
            "phi-redact: outputs in {}, report {} (for people: {})",
            args.out.display(),
            report_path.display(),
            review::page_path(&report_path).display()
        );
    }
    let code = if report.totals.failed > 0 { EXIT_FILES_FAILED } else { EXIT_OK };
    Ok(code.into())
}

/// A report that shows the text read or the originals holds PHI itself, and the output folder
/// is what gets published: such a report must be written elsewhere.
fn refuse_private_report_among_copies(report: &Path, out: &Path, settings: &Settings) -> Result<()> {
    let private = [(settings.report_raw_text, "--report-raw-text"), (settings.report_originals, "--report-originals")];
    let Some((_, option)) = private.iter().find(|(asked, _)| *asked) else { return Ok(()) };
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    if lies_within(report, out)? {
        bail!(
            "{option} puts PHI into the report, and {} lies inside the output folder {}, beside the public copies: give --report a path outside it",
            report.display(),
            out.display()
        );
    }
    Ok(())
}

/// `check`: the redact pipeline without outputs, as a yes/no gate.
pub fn check(args: CheckArgs) -> Result<std::process::ExitCode> {
    let settings = with_text(&args.text, settings_from(&args.engine))?;
    let (runtime, shared, settings) = start_runtime(&args.engine, settings)?;
    let discovery = discover(&args.inputs, None)?;
    let engines = engine_sets(&runtime, &settings, &shared, &discovery.jobs)?;
    let mut files =
        run_parallel(&discovery.jobs, settings.jobs, &EnginePool::new(boxed(engines)), &settings, None, &ProgressBar::hidden(), &|_| {})?;
    files.extend(discovery.problems);
    match args.format {
        CheckFormat::Text => files.iter().try_for_each(|file| print_line(verdict_line(file)))?,
        CheckFormat::Json => print_line(serde_json::to_string_pretty(&files)?)?,
    }
    // A file that was not analysed (failed, or skipped as not media) cannot be called safe.
    let code = if files.iter().any(|f| matches!(f.status, Status::Failed | Status::Skipped)) {
        CHECK_NOT_ANALYSED
    } else if files.iter().any(|f| !f.findings.is_empty()) {
        CHECK_PHI_FOUND
    } else {
        CHECK_CLEAN
    };
    Ok(code.into())
}

/// Writes a line to standard output. A reader that has gone away (`phi-redact check ... | head
/// -1`) makes it an error to report and exit on, never a panic, as it is with `println!`.
pub(crate) fn print_line(line: impl std::fmt::Display) -> Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{line}").context("cannot write to standard output")
}

/// `check-text`: the PHI in a caption, alt text or reply, one line per finding and a verdict.
pub fn check_text(args: CheckTextArgs) -> Result<std::process::ExitCode> {
    let text = text_to_check(args.text.as_deref())?;
    let policy = read_config(args.config.as_deref())?.map(|config| config.policy).unwrap_or_default();
    let paths = args.runtime.paths();
    let manifest = paths.manifest()?;
    let (runtime, names) =
        rayon::join(|| Runtime::start(manifest.clone(), paths.ort_library.as_deref(), args.runtime.device), || NameLists::load(&manifest));
    let scanner = Arc::new(Scanner::new(names?, policy));
    let checker = CaptionChecker::new(scanner, Box::new(Rampart::new(&runtime?, default_jobs())?), args.min_risk);
    let findings = checker.check(&text)?;
    match args.format {
        CheckFormat::Text => {
            findings.iter().try_for_each(print_line)?;
            print_line(text_verdict(&findings))?;
        }
        CheckFormat::Json => print_line(serde_json::to_string_pretty(&serde_json::json!({ "findings": findings }))?)?,
    }
    Ok(if findings.is_empty() { CHECK_CLEAN } else { CHECK_PHI_FOUND }.into())
}

/// The argument, or standard input for `-` or none (read up to the check's limit, and one byte
/// more to tell that it is over).
fn text_to_check(argument: Option<&str>) -> Result<String> {
    if let Some(text) = argument.filter(|&text| text != "-") {
        return Ok(text.to_string());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(crate::caption::MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    let limit = crate::caption::MAX_TEXT_BYTES;
    ensure!(bytes.len() <= limit, "standard input holds more than {limit} bytes; at most {limit} are checked at once");
    String::from_utf8(bytes).context("standard input is not UTF-8 text")
}

/// "PHI: a date, a person's name" or "clean: no PHI found".
fn text_verdict(findings: &[crate::caption::TextFinding]) -> String {
    let mut categories: Vec<PhiCategory> = findings.iter().flat_map(|finding| finding.categories.iter().copied()).collect();
    categories.sort();
    categories.dedup();
    match categories.is_empty() {
        true => "clean: no PHI found".into(),
        false => format!("PHI: {}", categories.iter().map(|c| c.described()).collect::<Vec<_>>().join(", ")),
    }
}

/// "photo.jpg: PHI: 2 faces; text: date, name" and the like.
fn verdict_line(file: &FileResult) -> String {
    let faces = file.findings.iter().filter(|f| f.kind == RegionKind::Face).count();
    let mut categories: Vec<PhiCategory> =
        file.findings.iter().filter_map(|f| f.text.as_ref()).flat_map(|t| t.categories.clone()).collect();
    categories.sort();
    categories.dedup();
    let mut found = Vec::new();
    if faces > 0 {
        found.push(format!("{faces} face{}", if faces == 1 { "" } else { "s" }));
    }
    if !categories.is_empty() {
        let names: Vec<String> = categories
            .iter()
            .map(|c| serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
            .collect();
        found.push(format!("text: {}", names.join(", ")));
    }
    let verdict = match file.status {
        Status::Failed => format!("failed: {}", file.reason.as_deref().unwrap_or("unknown error")),
        Status::Skipped => format!("skipped: {}", file.reason.as_deref().unwrap_or("")),
        Status::Clean => "clean".into(),
        Status::Unchanged => "unchanged".into(),
        Status::NeedsReview => format!("PHI (needs review): {}", found.join("; ")),
        Status::Redacted => format!("PHI: {}", found.join("; ")),
    };
    format!("{}: {verdict}", file.input)
}

/// How the copies are made, from the options `redact` and `serve` share.
fn with_copies(copies: &CopyArgs, video: &VideoArgs, settings: Settings) -> Settings {
    Settings {
        mode: copies.mode,
        text_mode: copies.text_mode,
        plate_mode: copies.plate_mode,
        box_paint: copies.box_paint,
        image_format: copies.image_format,
        video: video_settings(video),
        ..settings
    }
}

fn video_settings(args: &VideoArgs) -> VideoSettings {
    VideoSettings {
        text_every: args.text_every,
        crf: args.crf,
        preset: args.preset.clone(),
        strip_audio: args.strip_audio,
        max_frames: args.max_video_frames,
    }
}

/// Text settings from the shared options; a policy file that does not parse stops the run.
fn with_text(args: &TextArgs, settings: Settings) -> Result<Settings> {
    let text = match (args.no_text, args.redact_all_text) {
        (true, _) => TextMode::Off,
        (false, true) => TextMode::All,
        (false, false) => TextMode::Phi,
    };
    Ok(Settings {
        text,
        min_text_risk: args.min_risk,
        report_raw_text: args.report_raw_text,
        redact_all_barcodes: args.redact_all_barcodes,
        plates: !args.no_plates,
        text_models: args.text_models,
        ocr: args.ocr,
        config: read_config(args.config.as_deref())?,
        ..settings
    })
}

/// The site policy file, read once: the policy applied is the one whose hash the report records.
fn read_config(path: Option<&Path>) -> Result<Option<ConfigFile>> {
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config {}", path.display()))?;
    let policy = TextPolicy::parse(&text).with_context(|| format!("config {}", path.display()))?;
    Ok(Some(ConfigFile { path: path.to_path_buf(), sha256: sha256_hex(text.as_bytes()), policy }))
}

/// `merge-reports`: the shards' report parts joined into one report.
pub fn merge_reports(args: MergeArgs) -> Result<std::process::ExitCode> {
    let path = crate::shard::merge_reports(&args.dir)?;
    eprintln!("phi-redact: merged report {} (for people: {})", path.display(), review::page_path(&path).display());
    Ok(EXIT_OK.into())
}

/// `apply`: reviewers' decisions back into the outputs and the report; exit 1 for decisions
/// or a report it cannot trust, refused before anything is written.
pub fn apply(args: ApplyArgs) -> Result<std::process::ExitCode> {
    let outcome = match review::apply(&args.decisions, args.report.as_deref()) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("phi-redact: error: {error:#}");
            return Ok(EXIT_FILES_FAILED.into());
        }
    };
    for (input, reason) in &outcome.failed {
        eprintln!("phi-redact: decisions for {input} not applied: {reason}");
    }
    eprintln!("phi-redact: decisions applied to {} files, {} not applied", outcome.applied, outcome.failed.len());
    let code = if outcome.failed.is_empty() { EXIT_OK } else { EXIT_FILES_FAILED };
    Ok(code.into())
}

pub fn eval(args: EvalArgs) -> Result<std::process::ExitCode> {
    let (runtime, shared, settings) = start_runtime(&args.engine, settings_from(&args.engine))?;
    eprintln!("phi-redact: device {}", runtime.device_note);
    let mut engines = build_engines(&runtime, &settings, &shared, default_jobs(), false)?;
    let root = args.root.clone().unwrap_or_else(|| args.labels.parent().unwrap_or(".".as_ref()).to_path_buf());
    let summary = crate::eval::evaluate(&args.labels, &root, &mut engines, &settings)?;
    print_line(summary)?;
    Ok(EXIT_OK.into())
}

fn settings_from(engine: &EngineArgs) -> Settings {
    let defaults = Settings::default();
    Settings {
        face_threshold: engine.threshold,
        keep_lone_weak_faces: engine.keep_weak_faces,
        device: engine.runtime.device,
        jobs: engine.jobs.map_or_else(default_jobs, |n| n as usize),
        max_megapixels: engine.max_megapixels,
        ..defaults
    }
}

/// The runtime, shared (engine sets keep it to load models they need only now and then); what
/// all engine sets share, made on another core while ONNX Runtime starts; and the settings
/// with the face networks chosen for the device the runtime got.
fn start_runtime(engine: &EngineArgs, settings: Settings) -> Result<(Arc<Runtime>, SharedParts, Settings)> {
    let paths = engine.runtime.paths();
    let manifest = paths.manifest()?;
    let (runtime, shared) = rayon::join(
        || Runtime::start(manifest.clone(), paths.ort_library.as_deref(), settings.device),
        || SharedParts::load(&manifest, &settings),
    );
    let runtime = runtime?;
    let input_shapes = InputShapes::choose(engine.input_shapes, runtime.device);
    let settings = Settings {
        input_shapes,
        batching: Batching::choose(engine.batching, runtime.device),
        ..settings.with_face_networks(FaceNetworks::choose(runtime.device, engine.full_precision))
    };
    let shared = SharedParts {
        shared_faces: (settings.batching == Batching::AcrossFiles).then(|| SharedFaceNetworks::new(BatchPolicy::for_shapes(input_shapes))),
        ..shared?
    };
    Ok((Arc::new(runtime), shared, settings))
}

/// What every engine set shares, made once: the PHI scanner, whose name lists took 50 ms of
/// each set's start, and the check of the second look's models (40 ms), which are loaded only
/// when a page first calls for them but checked now, so that a damaged file stops the run
/// before any output.
pub struct SharedParts {
    scanner: Arc<Scanner>,
    second_look_models: Option<Vec<ModelFile>>,
    /// The face networks every set runs on, when they are shared (`Batching::AcrossFiles`).
    shared_faces: Option<SharedFaceNetworks>,
}

impl SharedParts {
    pub fn load(manifest: &infer::Manifest, settings: &Settings) -> Result<Self> {
        let name_lists = if settings.text == TextMode::Phi { NameLists::load(manifest)? } else { NameLists::default() };
        let policy = settings.config.as_ref().map(|c| c.policy.clone()).unwrap_or_default();
        let second_look_models = has_second_look(settings)
            .then(|| [SECOND_LOOK_DETECTOR.file, SMALL_RECOGNIZER.file].map(|file| manifest.verify_file(file)).into_iter().collect())
            .transpose()?;
        Ok(Self { scanner: Arc::new(Scanner::new(name_lists, policy)), second_look_models, shared_faces: None })
    }
}

/// A second look needs readings to call for it, and the small pair must not already be the first.
fn has_second_look(settings: &Settings) -> bool {
    settings.text == TextMode::Phi && settings.text_models == TextModels::Tiny
}

/// Each set of engines keeps a memory arena as large as the biggest image it has analysed
/// (about 1 GB for a page scan), so many-core machines share a few sets rather than one each.
const MAX_ENGINE_SETS: usize = 4;

/// One set of engines per worker (up to `MAX_ENGINE_SETS`), each running its inference on its
/// own share of the cores. Two files on two cores beat one file on both: ONNX Runtime's threads
/// split one model's work less evenly (dev set: about 7% faster, at about 0.5 GB more memory).
/// With fewer files than workers, the spare cores go to the sets' inference instead; a video
/// counts as many files, since its frames are analysed side by side.
pub fn engine_sets(runtime: &Arc<Runtime>, settings: &Settings, shared: &SharedParts, jobs: &[FileJob]) -> Result<Vec<Engines>> {
    let parallel_work: usize = jobs.iter().map(|job| if named_like_video(&job.input) { settings.jobs } else { 1 }).sum();
    // Content, not the name, makes a file a video (and calls for the published face network).
    let videos = jobs.iter().any(|job| matches!(sniff_file(&job.input), Ok(MediaKind::Video)));
    engine_sets_for(runtime, settings, shared, parallel_work, videos)
}

/// As [`engine_sets`], for `parallel_work` files at once (a video counting as many), some of
/// them videos if `videos`.
fn engine_sets_for(
    runtime: &Arc<Runtime>,
    settings: &Settings,
    shared: &SharedParts,
    parallel_work: usize,
    videos: bool,
) -> Result<Vec<Engines>> {
    let sets = settings.jobs.min(parallel_work).clamp(1, MAX_ENGINE_SETS);
    let threads = (default_jobs() / sets).max(1);
    // Loading is mostly single-threaded work (parsing models): side by side.
    (0..sets).into_par_iter().map(|_| build_engines(runtime, settings, shared, threads, videos)).collect()
}

fn boxed(engines: Vec<Engines>) -> Vec<EngineSet<'static>> {
    engines.into_iter().map(|set| Box::new(set) as EngineSet).collect()
}

/// The models the settings call for, their inference running on `threads` threads; `videos`:
/// whether video key frames are to be analysed (see `FaceNetworks`).
pub fn build_engines(runtime: &Arc<Runtime>, settings: &Settings, shared: &SharedParts, threads: usize, videos: bool) -> Result<Engines> {
    let min_score = settings.face_threshold.min(settings.scale_plan.trigger_score);
    let shapes = settings.input_shapes;
    let face_network = |which| match &shared.shared_faces {
        Some(networks) => networks.detector(runtime, which, default_jobs(), min_score),
        None => CenterFace::new(runtime, which, threads, min_score, shapes),
    };
    let load = settings.face_networks.to_load(videos);
    let quantized = load.quantized.then(|| face_network(FaceModel::Quantized)).transpose()?;
    let full = load.full.then(|| face_network(FaceModel::Full)).transpose()?;
    let faces = MultiScale::new(full, quantized)?;
    let (detector, recognizer) = match settings.text_models {
        TextModels::Tiny => (TINY_DETECTOR, TINY_RECOGNIZER),
        TextModels::Small => (SMALL_DETECTOR, SMALL_RECOGNIZER),
    };
    let text = (settings.text != TextMode::Off).then(|| DbTextDetector::new(runtime, threads, detector, shapes)).transpose()?;
    let second_look = shared.second_look_models.clone().map(|models| {
        let runtime = Arc::clone(runtime);
        OnDemand::new(models, move || {
            let detector = DbTextDetector::new(&runtime, threads, SECOND_LOOK_DETECTOR, shapes)?;
            Ok(SecondLook { detector, recognizer: PpOcrRecognizer::new(&runtime, threads, SMALL_RECOGNIZER, shapes)? })
        })
    });
    let reads = |engine| settings.text == TextMode::Phi && settings.ocr != engine;
    let recognizer = reads(OcrEngines::Tesseract).then(|| PpOcrRecognizer::new(runtime, threads, recognizer, shapes)).transpose()?;
    let tesseract = reads(OcrEngines::Onnx).then(TesseractReader::new).transpose()?;
    let tagger = (settings.text == TextMode::Phi).then(|| Rampart::new(runtime, threads)).transpose()?;
    Ok(Engines { faces, text, second_look, recognizer, tesseract, tagger, scanner: Arc::clone(&shared.scanner) })
}

fn runtime_info(runtime: &Runtime) -> RuntimeInfo {
    RuntimeInfo {
        onnxruntime_library: runtime.library.display().to_string(),
        device: runtime.device,
        device_note: runtime.device_note.clone(),
    }
}

/// `serve`: the engines loaded once, then the web application until it is stopped.
pub fn serve(args: ServeArgs) -> Result<std::process::ExitCode> {
    let settings = Settings {
        report_originals: args.report_originals,
        ..with_copies(&args.copies, &args.video, with_text(&args.text, settings_from(&args.engine))?)
    };
    let data = match args.data {
        Some(dir) => dir,
        None => dirs::data_dir().context("no data directory for this user: give --data DIR")?.join("phi-redact").join("serve"),
    };
    let (runtime, shared, settings) = start_runtime(&args.engine, settings)?;
    eprintln!("phi-redact: device {}", runtime.device_note);
    // Any upload may be a video, whose frames take every worker.
    let engines = engine_sets_for(&runtime, &settings, &shared, settings.jobs, true)?;
    let models = engines[0].models();
    // Captions are always checked for PHI, also when images are not (`--no-text`, `--redact-all-text`).
    let caption_scanner = match settings.text {
        TextMode::Phi => Arc::clone(&shared.scanner),
        _ => Arc::new(Scanner::new(
            NameLists::load(&runtime.manifest)?,
            settings.config.as_ref().map(|c| c.policy.clone()).unwrap_or_default(),
        )),
    };
    let tagger = Box::new(Rampart::new(&runtime, default_jobs())?);
    let captions = CaptionChecker::new(caption_scanner, tagger, settings.min_text_risk);
    let analysis = Analysis { engines: EnginePool::new(boxed(engines)), settings, runtime: runtime_info(&runtime), models };
    let listen = ServeOptions { address: (args.listen, args.port).into(), data, token_file: args.token_file, max_upload: args.max_upload };
    crate::serve::run(listen, analysis, captions)?;
    Ok(EXIT_OK.into())
}

fn print_file_line(result: &FileResult, verbose: bool) {
    match result.status {
        Status::Failed => {
            eprintln!("phi-redact: FAILED {}: {}", result.input, result.reason.as_deref().unwrap_or("unknown error"))
        }
        status if verbose => eprintln!(
            "phi-redact: {:?} {} ({} findings, {:.0} ms){}",
            status,
            result.input,
            result.findings.len(),
            result.timings.total_ms,
            result.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
        ),
        _ => {}
    }
    let kept_audio = result.video.as_ref().map_or(0, |video| video.audio_kept_unanalysed.len());
    if kept_audio > 0 {
        eprintln!(
            "phi-redact: note: {}: {kept_audio} audio stream(s) copied as they were, not analysed (speech is not checked for PHI; --strip-audio drops them)",
            result.input
        );
    }
}
