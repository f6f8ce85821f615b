//! One video through every stage, streaming: decode -> analyse -> track -> redact -> encode.
//!
//! Three stages overlap: a decoding thread, the analysis of frames on the batch's worker pool
//! (each frame borrowing a free engine set, so frames are analysed in parallel), and a writing
//! thread that puts frames back in order, tracks, redacts and encodes. Bounded queues between
//! them keep memory flat however long the video: at most a few frames in flight, plus the
//! tracker's look-ahead.
//!
//! Fail closed: if any stage fails, the temporary output is deleted and the file is `failed`.

mod motion;
mod scene;
mod sink;
mod source;
mod track;

use crate::analyse::analyse;
use crate::config::{Settings, TextMode};
use crate::detect::{RegionKind, ScalePlan};
use crate::engine_pool::EnginePool;
use crate::fsutil::{put_in_place, refuse_to_overwrite, temporary_beside};
use crate::job::{FileJob, FramesDone};
use crate::redact::{face_redaction, plate_redaction, redact_all, text_redaction, Redaction};
use crate::report::{elapsed_ms, FileResult, Finding, KeptAudio, Keyframe, Timings, TrackSpan, VideoDetails};
use anyhow::{anyhow, bail, ensure, Context, Result};
use ffmpeg_next as ffmpeg;
use image::{DynamicImage, RgbImage};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver};
use std::time::Instant;

pub use sink::Container;
use sink::VideoSink;
use source::{AudioStream, DecodeSummary, SourceFrame, StreamInfo, Turn, VideoSource};
use track::{Track, TrackRules, Tracker};

/// Frames waiting between two stages.
const QUEUE: usize = 4;
/// Faces: a gap of at least 8 frames (a third of a second at 25 fps) is filled, and tracks
/// reach at least 4 frames beyond their first and last detection.
const LEAST_FACE_RULES: TrackRules = TrackRules { max_gap: 8, pad: 4 };
/// Face detection tiles for video frames, in pixels of the scaled frame: each engine set's
/// memory grows to fit its largest input, and two sets with photo-sized tiles (2560) took a
/// 720p clip to 2 GB; 1280 keeps it near 0.9 GB at the same speed (smaller tiles cost time in
/// their overlaps).
const VIDEO_TILE: u32 = 1280;
/// Keyframes saved per video.
const MAX_KEYFRAMES: usize = 6;

/// A frame after analysis, on its way to the writer.
struct AnalysedFrame {
    source: SourceFrame,
    findings: Vec<Finding>,
    timings: Timings,
}

enum ToWriter {
    Frame(AnalysedFrame),
    /// Every frame was decoded and analysed; these copied packets came after the last one.
    End(Vec<(usize, ffmpeg::Packet)>),
}

/// A stage stopped because another one failed; that one's error is the one to report.
#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for Stopped {}

/// The name of a video's redacted copy, decided before any file is written (so that it can be
/// checked against every other input and output): `mirrored`, the input's own name under the
/// output folder, with the extension of the container it will be written in. A file whose
/// header cannot be read keeps its family's; it fails when analysed, with its reason.
pub fn output_path(input: &Path, mirrored: &Path, strip_audio: bool) -> PathBuf {
    let family = Container::named(input);
    let container = if strip_audio || family == Container::Matroska {
        family
    } else {
        start_ffmpeg().and_then(|()| source::audio_codecs(input)).map_or(family, |audio| Container::choose(input, &audio))
    };
    mirrored.with_extension(container.extension())
}

pub(crate) fn start_ffmpeg() -> Result<()> {
    ffmpeg::init().context("cannot start FFmpeg")?;
    // Errors are reported per file by phi-redact itself.
    ffmpeg::util::log::set_level(ffmpeg::util::log::Level::Fatal);
    Ok(())
}

/// Analyses, redacts and (when the job has an output) re-encodes one video, into the container
/// its output's name says (see [`output_path`]).
pub fn process(job: &FileJob, engines: &EnginePool, settings: &Settings, frames_done: FramesDone, result: &mut FileResult) -> Result<()> {
    start_ffmpeg()?;
    let source = VideoSource::open(&job.input, settings.max_pixels(), settings.video.max_frames)?;
    let info = source.info().clone();
    result.format = Some("video".into());
    // As players show it, like the boxes of its findings.
    let quarter_turned = matches!(info.turn, Turn::Quarter | Turn::ThreeQuarters);
    result.width = Some(if quarter_turned { info.height } else { info.width });
    result.height = Some(if quarter_turned { info.width } else { info.height });

    let copy_audio = job.output.is_some() && !settings.video.strip_audio;
    let output = job.output.as_ref();
    let container = output.map(|path| Container::named(path));
    let copied_codecs: Vec<_> = info.audio.iter().filter(|_| copy_audio).map(|audio| audio.parameters.id()).collect();
    ensure!(
        container.is_none_or(|container| container.can_hold_all(&copied_codecs)),
        "the audio changed since the output was named: its container cannot hold it"
    );
    let temp = output.map(|path| temporary_beside(path)).transpose()?;
    let destination =
        temp.as_ref().zip(container).map(|(t, container)| Destination { path: t.path().to_path_buf(), container, copy_audio });
    let (written, decoded) = run_stages(source, &info, destination, engines, settings, frames_done)?;
    ensure!(written.frames == decoded.frames, "{} frames decoded but {} written", decoded.frames, written.frames);

    result.timings.decode_ms = decoded.decode_ms;
    result.timings += written.timings;
    let mut details = VideoDetails {
        frames: written.frames,
        duration_s: info.duration_s,
        frame_rate: f64::from(info.frame_rate),
        tracks: written.tracks.iter().map(|(span, _)| span.clone()).collect(),
        keyframes: Vec::new(),
        audio_kept_unanalysed: if copy_audio { info.audio.iter().map(kept_unanalysed).collect() } else { Vec::new() },
    };
    result.findings = written.tracks.into_iter().map(|(_, strongest)| strongest).collect();
    if let (Some(temp), Some(output)) = (temp, &output) {
        result.output_sha256 = Some(crate::hashing::sha256_file(temp.path())?);
        if let Some(dir) = &settings.thumbnail_dir {
            details.keyframes = save_keyframes(dir, result.input_sha256.as_deref().unwrap_or("video"), &written.keyframes, &info)?;
        }
        // Last, so that nothing above can fail after the output appeared.
        refuse_to_overwrite(&job.input, output)?;
        put_in_place(temp, output, job.placing)?;
        result.output = Some(output.display().to_string());
    }
    result.video = Some(details);
    Ok(())
}

/// An audio stream as the report lists it, copied and not analysed.
fn kept_unanalysed(audio: &AudioStream) -> KeptAudio {
    KeptAudio { stream: audio.input_index, codec: audio.parameters.id().name().to_string() }
}

/// Where and how the redacted video is written.
struct Destination {
    path: PathBuf,
    container: Container,
    copy_audio: bool,
}

/// Decodes, analyses, and tracks, redacts and writes, the three at once (see the module
/// comment); returns what the writer and the decoder saw.
fn run_stages(
    source: VideoSource,
    info: &StreamInfo,
    destination: Option<Destination>,
    engines: &EnginePool,
    settings: &Settings,
    frames_done: FramesDone,
) -> Result<(Written, DecodeSummary)> {
    let copied: Vec<usize> = match &destination {
        Some(d) if d.copy_audio => info.audio.iter().map(|a| a.input_index).collect(),
        _ => Vec::new(),
    };
    // Key frames (every `text_every`th, and the first of each shot) get the whole still-image
    // analysis; the frames between them faces at their own size only (tracks carry what key
    // frames see over them); `FaceNetworks` says which network runs which. Frames get no
    // mirrored margins (see `ScalePlan`): they were measured on still images only, and would
    // make a 640x360 frame an eighth larger. Frames keep lone weak faces: a frame's one face
    // may be entering cut by the border, and tracks need it.
    let frame_plan = ScalePlan { tile: VIDEO_TILE, mirrored_margin: 0, ..settings.scale_plan.clone() };
    let key_plan = settings.face_networks.key_frame_plan(&frame_plan);
    let between_plan = settings.face_networks.between_keys_plan(&frame_plan);
    let frames = Settings { keep_lone_weak_faces: true, ..settings.clone() };
    let key_frames = Settings { scale_plan: key_plan, ..frames.clone() };
    let between_keys = Settings { text: TextMode::Off, scale_plan: between_plan, ..frames };
    std::thread::scope(|scope| {
        let (frames_in, frames_out) = sync_channel::<SourceFrame>(QUEUE);
        let (to_writer, from_analysis) = sync_channel::<ToWriter>(QUEUE);
        let decoder = scope.spawn(move || source.decode(&copied, |frame| frames_in.send(frame).map_err(|_| anyhow!(Stopped))));
        // The stream parameters may move between threads but not be shared: the writer gets its own.
        let writer_info = info.clone();
        let writer = scope.spawn(move || write_video(from_analysis, destination.as_ref(), &writer_info, settings, frames_done));

        let analysed = frames_out.into_iter().par_bridge().try_for_each(|source| {
            let key = source.index % settings.video.text_every as usize == 0 || source.scene_cut;
            let frame = analyse_frame(source, engines, if key { &key_frames } else { &between_keys })?;
            to_writer.send(ToWriter::Frame(frame)).map_err(|_| anyhow!(Stopped))
        });
        let mut decoded = decoder.join().unwrap_or_else(|_| Err(anyhow!("the decoder panicked")));
        if let (Ok(()), Ok(summary)) = (&analysed, &mut decoded) {
            // If the writer has failed, its own result says why.
            let _ = to_writer.send(ToWriter::End(std::mem::take(&mut summary.trailing_audio)));
        }
        drop(to_writer);
        let written = writer.join().unwrap_or_else(|_| Err(anyhow!("the encoder panicked")));
        match (analysed, decoded, written) {
            (Ok(()), Ok(decoded), Ok(written)) => Ok((written, decoded)),
            (analysed, decoded, written) => Err(first_failure([analysed.err(), decoded.err(), written.err()])),
        }
    })
}

/// The first real error of the stages, in the order given, passing over those that only
/// stopped because another stage did.
fn first_failure(errors: [Option<anyhow::Error>; 3]) -> anyhow::Error {
    let mut errors = errors.into_iter().flatten();
    errors.find(|e| !e.is::<Stopped>()).unwrap_or_else(|| anyhow!("processing stopped unexpectedly"))
}

fn analyse_frame(source: SourceFrame, engines: &EnginePool, settings: &Settings) -> Result<AnalysedFrame> {
    let mut timings = Timings::default();
    let findings = analyse(&source.image, &mut engines.borrower(), settings, &mut timings)
        .with_context(|| format!("cannot analyse frame {}", source.index))?;
    Ok(AnalysedFrame { source, findings, timings })
}

/// What the writer learnt: the tracks and a few redacted keyframes.
struct Written {
    frames: usize,
    frame_rate: f64,
    /// Finished tracks, reduced to what the report says of them (a long video has many).
    tracks: Vec<(TrackSpan, Finding)>,
    keyframes: Vec<(usize, RgbImage)>,
    timings: Timings,
}

/// Puts analysed frames back in order, tracks, redacts and encodes them (`destination`: `None`
/// to analyse only).
fn write_video(
    frames: Receiver<ToWriter>,
    destination: Option<&Destination>,
    info: &StreamInfo,
    settings: &Settings,
    frames_done: FramesDone,
) -> Result<Written> {
    let mut sink = destination.map(|d| VideoSink::create(&d.path, d.container, info, d.copy_audio, &settings.video)).transpose()?;
    let every = settings.video.text_every as usize;
    let mut tracker = Tracker::new(key_frame_rules(every, LEAST_FACE_RULES), key_frame_rules(every, TrackRules { max_gap: 0, pad: 0 }));
    let frame_rate = f64::from(info.frame_rate);
    let mut out = Written { frames: 0, frame_rate, tracks: Vec::new(), keyframes: Vec::new(), timings: Timings::default() };
    let mut arrived: BTreeMap<usize, AnalysedFrame> = BTreeMap::new();
    let mut waiting: std::collections::VecDeque<SourceFrame> = Default::default();
    let mut trailing = None;
    for message in frames {
        match message {
            ToWriter::Frame(frame) => {
                arrived.insert(frame.source.index, frame);
            }
            ToWriter::End(audio) => trailing = Some(audio),
        }
        // Frames enter the tracker in order; each leaves once its look-ahead has arrived.
        while let Some(frame) = arrived.remove(&(out.frames + waiting.len())) {
            out.timings += frame.timings;
            tracker.add_frame(frame.source.index, frame.source.scene_cut, frame.source.motion, frame.findings);
            waiting.push_back(frame.source);
            while waiting.len() > tracker.lookahead() {
                let next = waiting.pop_front().expect("not empty");
                emit(next, &mut tracker, sink.as_mut(), settings, &mut out)?;
                frames_done(1);
            }
        }
    }
    let Some(trailing) = trailing else { bail!(Stopped) };
    if !arrived.is_empty() {
        bail!("frames were lost between analysis and encoding");
    }
    while let Some(next) = waiting.pop_front() {
        emit(next, &mut tracker, sink.as_mut(), settings, &mut out)?;
        frames_done(1);
    }
    out.tracks.extend(tracker.finish().into_iter().map(|t| summary(t, out.frame_rate)));
    if let Some(mut sink) = sink {
        for (stream, packet) in trailing {
            sink.write_copied(stream, packet)?;
        }
        let started = Instant::now();
        sink.finish()?;
        out.timings.encode_ms += elapsed_ms(started);
    }
    out.tracks.sort_by_key(|(span, _)| span.id);
    Ok(out)
}

/// Rules that carry what only key frames see (small faces, text) over the frames between them:
/// gaps of up to two key-frame intervals are filled, and tracks reach two intervals beyond
/// their first and last detection, so one key frame may miss a face (half out of view, turning
/// away) without the frames around it leaking.
fn key_frame_rules(every: usize, least: TrackRules) -> TrackRules {
    TrackRules { max_gap: least.max_gap.max(2 * every), pad: least.pad.max(2 * every) }
}

/// Redacts a frame with every track's box in it and writes it after the packets before it.
fn emit(frame: SourceFrame, tracker: &mut Tracker, sink: Option<&mut VideoSink>, settings: &Settings, out: &mut Written) -> Result<()> {
    let started = Instant::now();
    let (width, height) = frame.image.dimensions();
    let mut pixels = DynamicImage::ImageRgb8(frame.image);
    let mut starts_track = false;
    let mut areas = Vec::new();
    for (track, bbox) in tracker.boxes_at(frame.index) {
        areas.extend(match track.kind {
            RegionKind::Face => face_redaction(&bbox, width, height, settings.mode),
            RegionKind::Plate => plate_redaction(&bbox, width, height, settings.plate_mode),
            RegionKind::Text | RegionKind::Barcode => text_redaction(&bbox.outline(), width, height, settings.text_mode),
            RegionKind::Manual => text_redaction(&bbox.outline(), width, height, settings.text_mode).map(Redaction::as_rectangle),
        });
        starts_track |= track.first_frame() == frame.index;
    }
    redact_all(&mut pixels, &areas, settings.box_paint)?;
    out.timings.redact_ms += elapsed_ms(started);
    let pixels = pixels.into_rgb8();
    if starts_track && out.keyframes.len() < MAX_KEYFRAMES {
        out.keyframes.push((frame.index, pixels.clone()));
    }
    if let Some(sink) = sink {
        let started = Instant::now();
        for (stream, packet) in frame.audio_before {
            sink.write_copied(stream, packet)?;
        }
        sink.write_frame(pixels, frame.pts)?;
        out.timings.encode_ms += elapsed_ms(started);
    }
    out.frames += 1;
    let frame_rate = out.frame_rate;
    out.tracks.extend(tracker.retire_before(frame.index + 1).into_iter().map(|t| summary(t, frame_rate)));
    Ok(())
}

fn summary(track: Track, frame_rate: f64) -> (TrackSpan, Finding) {
    let seconds = |frame: usize| frame as f64 / frame_rate;
    let span = TrackSpan {
        id: track.id,
        kind: track.kind,
        first_frame: track.first_frame(),
        last_frame: track.last_frame(),
        first_s: seconds(track.first_frame()),
        last_s: seconds(track.last_frame()),
        detections: track.detections(),
    };
    (span, track.strongest)
}

/// Saves keyframes as small JPEGs under `dir`, named after the input's hash.
fn save_keyframes(dir: &Path, input_hash: &str, keyframes: &[(usize, RgbImage)], info: &StreamInfo) -> Result<Vec<Keyframe>> {
    let mut saved = Vec::new();
    for (frame, pixels) in keyframes {
        let name = format!("{}-{frame:06}.jpg", &input_hash[..input_hash.len().min(16)]);
        saved.push(Keyframe {
            frame: *frame,
            time_s: *frame as f64 / f64::from(info.frame_rate),
            file: crate::media::thumbnail::save(dir, &name, pixels)?,
        });
    }
    Ok(saved)
}
