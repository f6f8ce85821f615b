//! JPEG frame headers (the start-of-frame segment), read before any decoder sees a stream, so
//! that no decoder makes or fills a frame the DICOM header did not declare. dicom-rs's JPEG
//! decoder (0.10.1) copies each decoded frame into room made from Rows, Columns and Samples
//! per Pixel, and panics when a frame holds more.

use super::pixels::Header;
use anyhow::{ensure, Context, Result};
use dicom_dictionary_std::tags;
use dicom_object::DefaultDicomObject;

/// Baseline, extended, and the two lossless processes: what dicom-rs's JPEG decoder reads.
const JPEG_SYNTAXES: [&str; 4] = ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"];

/// What a JPEG's start-of-frame segment says.
pub struct FrameHeader {
    pub precision: u8,
    pub rows: u64,
    pub columns: u64,
    pub components: u8,
}

impl FrameHeader {
    /// Walks the segments after the start of image up to the first start of frame.
    pub fn read(stream: &[u8]) -> Option<Self> {
        if stream.get(..2)? != [0xFF, 0xD8] {
            return None;
        }
        let mut at = 2;
        loop {
            if *stream.get(at)? != 0xFF {
                return None;
            }
            if is_start_of_frame(*stream.get(at + 1)?) {
                return Self::at(stream, at);
            }
            at += 2 + usize::from(u16::from_be_bytes([*stream.get(at + 2)?, *stream.get(at + 3)?]));
        }
    }

    /// The start-of-frame segment whose marker is at `at`.
    fn at(stream: &[u8], at: usize) -> Option<Self> {
        let segment = stream.get(at + 4..at + 10)?;
        Some(Self {
            precision: segment[0],
            rows: u64::from(u16::from_be_bytes([segment[1], segment[2]])),
            columns: u64::from(u16::from_be_bytes([segment[3], segment[4]])),
            components: segment[5],
        })
    }
}

/// SOF0..SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range.
fn is_start_of_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Fails unless every JPEG frame of the object is the size, the samples and the sample width
/// its header declares; objects in other syntaxes pass.
pub fn check(object: &DefaultDicomObject, header: &Header) -> Result<()> {
    if !JPEG_SYNTAXES.contains(&super::transfer_syntax(object)) {
        return Ok(());
    }
    let pixel_data = object.get(tags::PIXEL_DATA).context("no Pixel Data")?.value();
    let stream = pixel_data.fragments().context("JPEG pixel data that is not encapsulated")?.concat();
    // dicom-rs finds the frames by their start-of-image markers, so every start of frame in
    // the stream is checked wherever it lies (entropy-coded data cannot hold one: a 0xFF byte
    // there is followed by 0x00 or a restart marker).
    let mut frames = 0;
    for at in (0..stream.len().saturating_sub(1)).filter(|&at| stream[at] == 0xFF && is_start_of_frame(stream[at + 1])) {
        let frame = FrameHeader::at(&stream, at).context("a JPEG frame header cut short")?;
        ensure!(
            (frame.columns, frame.rows, u64::from(frame.components)) == (header.columns, header.rows, header.samples),
            "a JPEG frame of {}x{} with {} components, in an object of {}x{} with {}",
            frame.columns,
            frame.rows,
            frame.components,
            header.columns,
            header.rows,
            header.samples
        );
        let sample_bits = if frame.precision > 8 { 16 } else { 8 };
        ensure!(sample_bits == header.bits_allocated, "{}-bit JPEG samples stored in {} bits", frame.precision, header.bits_allocated);
        frames += 1;
    }
    ensure!(frames > 0, "no JPEG frame header in the pixel data");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_header_is_found_after_other_segments() {
        // SOI, an APP0 segment of 4 bytes, then SOF1: 12 bits, 3 rows, 5 columns, 1 component.
        let stream = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC1, 0, 11, 12, 0, 3, 0, 5, 1, 1, 0x11, 0];
        let frame = FrameHeader::read(&stream).unwrap();
        assert_eq!((frame.precision, frame.rows, frame.columns, frame.components), (12, 3, 5, 1));
        assert!(FrameHeader::read(&stream[..12]).is_none(), "cut before the frame header");
        assert!(FrameHeader::read(&stream[2..]).is_none(), "no start of image");
    }
}
