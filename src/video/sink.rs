//! Encoding: redacted frames to H.264 (libx264) at the input's size, frame rate, timestamps and
//! rotation, in a container of the input's family; audio packets copied unchanged; nothing else.
//! Container metadata (creation time, location, encoder tags, chapters), subtitle and data
//! streams are not carried over: any of them can identify a patient or a place.

use super::source::{StreamInfo, Turn};
use crate::config::VideoSettings;
use anyhow::{bail, Context, Result};
use ffmpeg::{codec, encoder, format, software::scaling, util::frame, Dictionary, Packet, Rational};
use ffmpeg_next as ffmpeg;
use image::RgbImage;
use std::path::Path;

/// Output containers: the input's own family where it can hold H.264, MP4 otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Mp4,
    Mov,
    Matroska,
}

impl Container {
    /// The container for a copy of `input`: the input's family, unless that cannot hold one of
    /// the audio codecs to be copied (PCM from an AVI, say): then Matroska, which holds them all.
    pub fn choose(input: &Path, copied_audio: &[codec::Id]) -> Self {
        let family = Self::named(input);
        if family.can_hold_all(copied_audio) {
            family
        } else {
            Self::Matroska
        }
    }

    /// The container a file's name says: MOV stays MOV, Matroska and WebM become Matroska (WebM
    /// cannot hold H.264), the rest MP4.
    pub fn named(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("mov") => Self::Mov,
            Some("mkv" | "webm") => Self::Matroska,
            _ => Self::Mp4,
        }
    }

    pub fn can_hold_all(self, codecs: &[codec::Id]) -> bool {
        codecs.iter().all(|&codec| self.can_hold(codec))
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Mp4 => "mp4",
            Self::Mov => "mov",
            Self::Matroska => "mkv",
        }
    }

    fn can_hold(self, codec: codec::Id) -> bool {
        let name = std::ffi::CString::new(self.muxer()).expect("muxer names have no NUL");
        // SAFETY: FFmpeg returns a static muxer description or null; 0 is FF_COMPLIANCE_NORMAL.
        unsafe {
            let muxer = ffmpeg::ffi::av_guess_format(name.as_ptr(), std::ptr::null(), std::ptr::null());
            !muxer.is_null() && ffmpeg::ffi::avformat_query_codec(muxer, codec.into(), 0) == 1
        }
    }

    fn muxer(self) -> &'static str {
        match self {
            Self::Mp4 => "mp4",
            Self::Mov => "mov",
            Self::Matroska => "matroska",
        }
    }
}

struct CopiedStream {
    input_index: usize,
    output_index: usize,
    input_time_base: Rational,
}

pub struct VideoSink {
    output: format::context::Output,
    encoder: encoder::Video,
    to_yuv: scaling::Context,
    encoder_time_base: Rational,
    copied: Vec<CopiedStream>,
    turn: Turn,
    pub frames: usize,
}

const VIDEO_STREAM: usize = 0;

impl VideoSink {
    /// Opens `path` for writing and writes the container header. `copy_audio`: the input's
    /// audio streams go into the output unchanged.
    pub fn create(path: &Path, container: Container, info: &StreamInfo, copy_audio: bool, settings: &VideoSettings) -> Result<Self> {
        let mut output = format::output_as(&path, container.muxer()).context("cannot create the output video")?;
        // Bit-exact mode: libavformat writes no encoder tag or other identifying field.
        // SAFETY: the context is valid and its header has not been written yet.
        unsafe { (*output.as_mut_ptr()).flags |= ffmpeg::ffi::AVFMT_FLAG_BITEXACT };
        let global_header = output.format().flags().contains(format::Flags::GLOBAL_HEADER);
        let codec = encoder::find_by_name("libx264").context("this FFmpeg has no libx264 encoder")?;
        let mut stream = output.add_stream(codec)?;

        let mut video = codec::context::Context::new_with_codec(codec).encoder().video()?;
        video.set_width(info.width);
        video.set_height(info.height);
        // x264's 4:2:0 needs even sides; odd-sized frames keep full-resolution colour.
        let even = info.width % 2 == 0 && info.height % 2 == 0;
        video.set_format(if even { format::Pixel::YUV420P } else { format::Pixel::YUV444P });
        video.set_time_base(info.time_base);
        video.set_frame_rate(Some(info.frame_rate));
        video.set_aspect_ratio(info.aspect_ratio);
        // The same colour tags as the input: the conversions to and from RGB use one matrix, so
        // the values come back as they were and must be read as before.
        video.set_colorspace(info.colour.space);
        video.set_color_range(info.colour.range);
        // SAFETY: plain fields of a context not yet opened.
        unsafe {
            (*video.as_mut_ptr()).color_primaries = info.colour.primaries.into();
            (*video.as_mut_ptr()).color_trc = info.colour.transfer.into();
        }
        if global_header {
            video.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let mut options = Dictionary::new();
        options.set("crf", &settings.crf.to_string());
        options.set("preset", &settings.preset);
        let encoder = video.open_with(options).context("cannot open the H.264 encoder (check --preset and --crf)")?;
        stream.set_parameters(&encoder);
        stream.set_time_base(info.time_base);
        stream.set_avg_frame_rate(info.frame_rate);
        stream.set_rate(info.frame_rate);
        if let Some(matrix) = &info.display_matrix {
            keep_rotation(&mut stream, matrix)?;
        }

        let mut copied = Vec::new();
        for audio in info.audio.iter().filter(|_| copy_audio) {
            let mut stream = output.add_stream(encoder::find(codec::Id::None))?;
            stream.set_parameters(audio.parameters.clone());
            // The input container's codec tag may mean nothing in the output's.
            // SAFETY: the parameters belong to this stream and are not shared.
            unsafe { (*stream.parameters().as_mut_ptr()).codec_tag = 0 };
            copied.push(CopiedStream { input_index: audio.input_index, output_index: stream.index(), input_time_base: audio.time_base });
        }
        output.write_header().context("the output container cannot hold these streams")?;

        let to_yuv = scaling::Context::get(
            format::Pixel::RGB24,
            info.width,
            info.height,
            encoder.format(),
            info.width,
            info.height,
            scaling::Flags::BILINEAR,
        )?;
        Ok(Self { output, encoder, to_yuv, encoder_time_base: info.time_base, copied, turn: info.turn, frames: 0 })
    }

    /// Writes a packet of a copied input stream (one not copied is dropped).
    pub fn write_copied(&mut self, input_index: usize, mut packet: Packet) -> Result<()> {
        let Some(stream) = self.copied.iter().find(|s| s.input_index == input_index) else { return Ok(()) };
        let output_time_base = self.output.stream(stream.output_index).context("output stream")?.time_base();
        packet.rescale_ts(stream.input_time_base, output_time_base);
        packet.set_position(-1);
        packet.set_stream(stream.output_index);
        packet.write_interleaved(&mut self.output).context("cannot write an audio packet")
    }

    /// Writes an upright frame, turned back the way the input stored it.
    pub fn write_frame(&mut self, upright: RgbImage, pts: i64) -> Result<()> {
        let image = self.turn.stored(upright);
        let mut rgb = frame::Video::new(format::Pixel::RGB24, image.width(), image.height());
        let stride = rgb.stride(0);
        let row_bytes = image.width() as usize * 3;
        for (row, pixels) in image.as_raw().chunks_exact(row_bytes).enumerate() {
            rgb.data_mut(0)[row * stride..row * stride + row_bytes].copy_from_slice(pixels);
        }
        let mut yuv = frame::Video::empty();
        self.to_yuv.run(&rgb, &mut yuv)?;
        yuv.set_pts(Some(pts));
        self.encoder.send_frame(&yuv).context("the encoder refused a frame")?;
        self.frames += 1;
        self.write_encoded()
    }

    /// Flushes the encoder and completes the file.
    pub fn finish(mut self) -> Result<()> {
        self.encoder.send_eof()?;
        self.write_encoded()?;
        self.output.write_trailer().context("cannot complete the output video")
    }

    fn write_encoded(&mut self) -> Result<()> {
        let output_time_base = self.output.stream(VIDEO_STREAM).context("output stream")?.time_base();
        let mut packet = Packet::empty();
        loop {
            match self.encoder.receive_packet(&mut packet) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => return Ok(()),
                Err(ffmpeg::Error::Other { errno }) if errno == ffmpeg::util::error::EAGAIN => return Ok(()),
                Err(e) => bail!("encoding failed: {e}"),
            }
            packet.set_stream(VIDEO_STREAM);
            packet.rescale_ts(self.encoder_time_base, output_time_base);
            packet.write_interleaved(&mut self.output).context("cannot write a video packet")?;
        }
    }
}

/// Gives the output stream the input's display matrix, so players turn it the same way.
fn keep_rotation(stream: &mut format::stream::StreamMut, matrix: &[u8]) -> Result<()> {
    // SAFETY: libavformat allocates `matrix.len()` bytes owned by the stream, or returns null.
    unsafe {
        let data = ffmpeg::ffi::av_stream_new_side_data(
            stream.as_mut_ptr(),
            ffmpeg::ffi::AVPacketSideDataType::AV_PKT_DATA_DISPLAYMATRIX,
            matrix.len() as _,
        );
        if data.is_null() {
            bail!("cannot keep the video's rotation");
        }
        std::ptr::copy_nonoverlapping(matrix.as_ptr(), data, matrix.len());
    }
    Ok(())
}
