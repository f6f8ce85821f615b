//! Decoding: a file's video stream as RGB frames in presentation order, with the packets of the
//! streams that are copied unchanged (audio) carried beside the frame they came before, so the
//! output can interleave them where they were.
//!
//! Fail closed: a read error, a damaged packet, a decoding error or a stream that ends before
//! its container's index says it should all end the file with an error, never a short output.

use super::motion::{CameraMotion, Thumbnails};
use super::scene::SceneCuts;
use anyhow::{bail, ensure, Context, Result};
use ffmpeg::{codec, decoder, format, media, software::scaling, util::frame, Packet, Rational};
use ffmpeg_next as ffmpeg;
use image::{imageops, RgbImage};
use std::path::Path;
use std::time::{Duration, Instant};

/// What the output needs to know of the input before the first frame.
#[derive(Clone)]
pub struct StreamInfo {
    pub width: u32,
    pub height: u32,
    pub time_base: Rational,
    pub frame_rate: Rational,
    pub aspect_ratio: Rational,
    /// Frames the container's index announces (0: it does not say).
    pub announced_frames: u64,
    pub duration_s: f64,
    /// The rotation players apply (a 3x3 display matrix), kept as it is in the output.
    pub display_matrix: Option<Vec<u8>>,
    /// Frames are analysed as players show them (a phone held upright stores its video on its
    /// side), and turned back to be stored as they were.
    pub turn: Turn,
    pub colour: Colour,
    pub audio: Vec<AudioStream>,
}

#[derive(Clone, Copy)]
pub struct Colour {
    pub space: ffmpeg::color::Space,
    pub range: ffmpeg::color::Range,
    pub primaries: ffmpeg::color::Primaries,
    pub transfer: ffmpeg::color::TransferCharacteristic,
}

#[derive(Clone)]
pub struct AudioStream {
    pub input_index: usize,
    pub parameters: codec::Parameters,
    pub time_base: Rational,
}

/// One decoded frame and the copied packets that preceded it in the file.
pub struct SourceFrame {
    pub index: usize,
    pub pts: i64,
    pub image: RgbImage,
    /// The first frame of a new shot: nothing seen before it carries over.
    pub scene_cut: bool,
    /// How far the camera moved the picture since the frame before, in pixels.
    pub motion: (f32, f32),
    pub audio_before: Vec<(usize, Packet)>,
}

pub struct DecodeSummary {
    pub frames: usize,
    /// Copied packets after the last frame.
    pub trailing_audio: Vec<(usize, Packet)>,
    pub decode_ms: f64,
}

/// The codecs of a file's audio streams, from its header, for naming its copy before any file
/// is analysed.
pub fn audio_codecs(path: &Path) -> Result<Vec<codec::Id>> {
    let input = format::input(&path).context("cannot open the video")?;
    Ok(input.streams().map(|s| s.parameters()).filter(|p| p.medium() == media::Type::Audio).map(|p| p.id()).collect())
}

pub struct VideoSource {
    input: format::context::Input,
    video_index: usize,
    decoder: decoder::Video,
    info: StreamInfo,
    max_frames: u64,
}

impl VideoSource {
    /// Opens a video whose frames are at most `max_pixels` (a small file can declare frames of
    /// any size, and every frame is decoded and analysed whole), of at most `max_frames`
    /// frames (as its index announces, and as decoded).
    pub fn open(path: &Path, max_pixels: u64, max_frames: u64) -> Result<Self> {
        let input = format::input(&path).context("cannot open the video")?;
        let stream = input.streams().best(media::Type::Video).context("no video stream")?;
        let video_index = stream.index();
        let decoder =
            codec::context::Context::from_parameters(stream.parameters())?.decoder().video().context("no decoder for the video stream")?;
        let (width, height) = (decoder.width(), decoder.height());
        ensure!(width > 0 && height > 0, "the video stream has no frame size");
        ensure!(
            u64::from(width) * u64::from(height) <= max_pixels,
            "video frames of {width}x{height} are over the {} MP limit (see --max-megapixels)",
            max_pixels / 1_000_000
        );
        let frame_rate = [stream.avg_frame_rate(), stream.rate()].into_iter().find(|r| r.numerator() > 0).unwrap_or(Rational(25, 1));
        let audio = input
            .streams()
            .filter(|s| s.parameters().medium() == media::Type::Audio)
            .map(|s| AudioStream { input_index: s.index(), parameters: s.parameters(), time_base: s.time_base() })
            .collect();
        let duration_s = if input.duration() > 0 { input.duration() as f64 / f64::from(ffmpeg::ffi::AV_TIME_BASE) } else { 0.0 };
        let display_matrix =
            stream.side_data().find(|d| d.kind() == codec::packet::side_data::Type::DisplayMatrix).map(|d| d.data().to_vec());
        let info = StreamInfo {
            width: decoder.width(),
            height: decoder.height(),
            time_base: stream.time_base(),
            frame_rate,
            aspect_ratio: decoder.aspect_ratio(),
            announced_frames: stream.frames().max(0) as u64,
            duration_s,
            turn: display_matrix.as_deref().map_or(Turn::None, Turn::of_display_matrix),
            display_matrix,
            colour: Colour {
                space: decoder.color_space(),
                range: decoder.color_range(),
                primaries: decoder.color_primaries(),
                transfer: decoder.color_transfer_characteristic(),
            },
            audio,
        };
        ensure!(
            info.announced_frames <= max_frames,
            "its index announces {} frames, over the limit of {max_frames} (see --max-video-frames)",
            info.announced_frames
        );
        Ok(Self { input, video_index, decoder, info, max_frames })
    }

    pub fn info(&self) -> &StreamInfo {
        &self.info
    }

    /// Decodes every frame into `deliver`, in order; packets of the `copied` input streams
    /// travel with the next frame.
    pub fn decode(mut self, copied: &[usize], mut deliver: impl FnMut(SourceFrame) -> Result<()>) -> Result<DecodeSummary> {
        let started = Instant::now();
        let mut frames = Frames::new(&self.info, self.max_frames);
        // Time spent waiting for the next stage is not decoding.
        let mut waiting = Duration::ZERO;
        let mut deliver = |frame| {
            let handed_over = Instant::now();
            let delivered = deliver(frame);
            waiting += handed_over.elapsed();
            delivered
        };
        let mut audio = Vec::new();
        loop {
            let mut packet = Packet::empty();
            match packet.read(&mut self.input) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => break,
                Err(e) => bail!("cannot read the file after frame {}: {e}", frames.count),
            }
            ensure!(!packet.is_corrupt(), "damaged or truncated: an incomplete packet at byte {}", packet.position());
            if packet.stream() == self.video_index {
                self.decoder.send_packet(&packet).with_context(|| format!("cannot decode frame {}", frames.count))?;
                frames.drain(&mut self.decoder, &mut audio, &mut deliver)?;
            } else if copied.contains(&packet.stream()) {
                audio.push((packet.stream(), packet));
            }
        }
        self.decoder.send_eof()?;
        frames.drain(&mut self.decoder, &mut audio, &mut deliver)?;

        let announced = self.info.announced_frames;
        ensure!(frames.count > 0, "the video stream holds no frames");
        ensure!(
            announced == 0 || frames.count as u64 >= announced,
            "truncated: the stream ends after {} of the {announced} frames its index announces",
            frames.count
        );
        let decode_ms = started.elapsed().saturating_sub(waiting).as_secs_f64() * 1000.0;
        Ok(DecodeSummary { frames: frames.count, trailing_audio: audio, decode_ms })
    }
}

/// Turns decoded frames into numbered RGB images.
struct Frames {
    count: usize,
    /// Refused beyond this many (see `VideoSource::open`).
    max_frames: u64,
    width: u32,
    height: u32,
    /// Made for the first frame's pixel format; rebuilt if a stream changes it.
    to_rgb: Option<scaling::Context>,
    turn: Turn,
    cuts: SceneCuts,
    camera: CameraMotion,
    previous_pts: Option<i64>,
    frame_duration: i64,
}

impl Frames {
    fn new(info: &StreamInfo, max_frames: u64) -> Self {
        // One frame's length in the stream's time base, for frames without a timestamp.
        let duration = (f64::from(info.time_base.denominator()) * f64::from(info.frame_rate.denominator()))
            / (f64::from(info.time_base.numerator()) * f64::from(info.frame_rate.numerator()));
        Self {
            count: 0,
            max_frames,
            width: info.width,
            height: info.height,
            to_rgb: None,
            turn: info.turn,
            cuts: SceneCuts::default(),
            camera: CameraMotion::default(),
            previous_pts: None,
            frame_duration: (duration.round() as i64).max(1),
        }
    }

    fn drain(
        &mut self,
        decoder: &mut decoder::Video,
        audio: &mut Vec<(usize, Packet)>,
        deliver: &mut impl FnMut(SourceFrame) -> Result<()>,
    ) -> Result<()> {
        let mut decoded = frame::Video::empty();
        loop {
            match decoder.receive_frame(&mut decoded) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => return Ok(()),
                Err(ffmpeg::Error::Other { errno }) if errno == ffmpeg::util::error::EAGAIN => return Ok(()),
                Err(e) => bail!("cannot decode frame {}: {e}", self.count),
            }
            ensure!((self.count as u64) < self.max_frames, "over the limit of {} frames (see --max-video-frames)", self.max_frames);
            ensure!(
                decoded.width() == self.width && decoded.height() == self.height,
                "frame {} is {}x{}, the stream began at {}x{}: size changes are not supported",
                self.count,
                decoded.width(),
                decoded.height(),
                self.width,
                self.height
            );
            let image = self.turn.upright(self.convert_to_rgb(&decoded)?);
            let pts = self.timestamp(&decoded);
            let thumbnails = Thumbnails::of(&image)?;
            let frame = SourceFrame {
                index: self.count,
                pts,
                scene_cut: self.cuts.is_cut(thumbnails.coarsest()),
                motion: self.camera.shift(thumbnails),
                image,
                audio_before: std::mem::take(audio),
            };
            self.count += 1;
            deliver(frame)?;
        }
    }

    fn convert_to_rgb(&mut self, decoded: &frame::Video) -> Result<RgbImage> {
        if self.to_rgb.as_ref().is_none_or(|s| s.input().format != decoded.format()) {
            self.to_rgb = Some(scaling::Context::get(
                decoded.format(),
                self.width,
                self.height,
                format::Pixel::RGB24,
                self.width,
                self.height,
                scaling::Flags::BILINEAR,
            )?);
        }
        let mut rgb = frame::Video::empty();
        self.to_rgb.as_mut().expect("made above").run(decoded, &mut rgb)?;
        Ok(rgb_image(&rgb))
    }

    /// The frame's presentation time, made strictly increasing: the encoder refuses repeats.
    fn timestamp(&mut self, decoded: &frame::Video) -> i64 {
        let guess = self.previous_pts.map(|p| p + self.frame_duration).unwrap_or(0);
        let pts = match (decoded.timestamp().or(decoded.pts()), self.previous_pts) {
            (Some(pts), Some(previous)) if pts <= previous => guess,
            (Some(pts), _) => pts,
            (None, _) => guess,
        };
        self.previous_pts = Some(pts);
        pts
    }
}

/// A quarter-turn rotation, clockwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    None,
    Quarter,
    Half,
    ThreeQuarters,
}

impl Turn {
    /// The turn that shows the frames as a player would; rotations that are not a multiple of
    /// 90 degrees are rare and left alone.
    fn of_display_matrix(bytes: &[u8]) -> Self {
        let Ok(matrix) = <[u8; 36]>::try_from(bytes) else { return Self::None };
        let values: [i32; 9] = std::array::from_fn(|i| i32::from_ne_bytes(matrix[4 * i..4 * i + 4].try_into().expect("4 bytes")));
        // SAFETY: reads the nine values of a display matrix.
        let counter_clockwise = unsafe { ffmpeg::ffi::av_display_rotation_get(values.as_ptr()) };
        if counter_clockwise.is_nan() {
            return Self::None;
        }
        match (-counter_clockwise).round().rem_euclid(360.0) as u32 {
            90 => Self::Quarter,
            180 => Self::Half,
            270 => Self::ThreeQuarters,
            _ => Self::None,
        }
    }

    pub fn upright(self, image: RgbImage) -> RgbImage {
        match self {
            Self::None => image,
            Self::Quarter => imageops::rotate90(&image),
            Self::Half => imageops::rotate180(&image),
            Self::ThreeQuarters => imageops::rotate270(&image),
        }
    }

    /// Undoes `upright`.
    pub fn stored(self, image: RgbImage) -> RgbImage {
        let back = match self {
            Self::Quarter => Self::ThreeQuarters,
            Self::ThreeQuarters => Self::Quarter,
            other => other,
        };
        back.upright(image)
    }
}

/// Copies an RGB24 frame out of its padded rows.
fn rgb_image(frame: &frame::Video) -> RgbImage {
    let (width, height) = (frame.width() as usize, frame.height() as usize);
    let stride = frame.stride(0);
    let data = frame.data(0);
    let mut pixels = Vec::with_capacity(width * height * 3);
    for row in 0..height {
        pixels.extend_from_slice(&data[row * stride..row * stride + width * 3]);
    }
    RgbImage::from_raw(width as u32, height as u32, pixels).expect("buffer sized to the frame")
}
