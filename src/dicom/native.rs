//! Pixel data that dicom-rs cannot decode as it is stored, rewritten as native samples that it
//! can, in a copy of the object that keeps every other attribute:
//! - lossy JPEG of 12 bits (the extended process, 1.2.840.10008.1.2.4.51), which the
//!   `jpeg-decoder` crate refuses; FFmpeg's JPEG decoder reads it;
//! - uncompressed YBR_FULL_422, where each pair of pixels shares one chroma pair: repeated for
//!   each pixel it is YBR_FULL, which every later stage reads.

use super::jpeg::FrameHeader;
use super::pixels::Header;
use crate::video::start_ffmpeg;
use anyhow::{ensure, Context, Result};
use dicom_core::header::Header as _;
use dicom_core::{DataElement, PrimitiveValue, VR};
use dicom_dictionary_std::tags;
use dicom_object::{DefaultDicomObject, InMemDicomObject};
use ffmpeg_next as ffmpeg;
use std::borrow::Cow;

const JPEG_EXTENDED: &str = "1.2.840.10008.1.2.4.51";

/// `object` itself, or a copy with its pixel data rewritten where dicom-rs could not decode it.
pub fn decodable<'a>(object: &'a DefaultDicomObject, header: &Header) -> Result<Cow<'a, DefaultDicomObject>> {
    let syntax = super::transfer_syntax(object);
    let pixel_data = object.get(tags::PIXEL_DATA).context("no Pixel Data")?.value();
    if syntax == JPEG_EXTENDED && header.bits_stored > 8 {
        let fragments = pixel_data.fragments().context("JPEG pixel data that is not encapsulated")?;
        let streams = frame_streams(fragments, pixel_data.offset_table().unwrap_or_default(), header.frames)?;
        let samples = twelve_bit_jpeg_samples(&streams, header)?;
        return Ok(Cow::Owned(with_native_pixels(object, DataElement::new(tags::PIXEL_DATA, VR::OW, PrimitiveValue::U16(samples.into())))));
    }
    if header.photometric == "YBR_FULL_422" && pixel_data.fragments().is_none() {
        ensure!(syntax != super::EXPLICIT_VR_BIG_ENDIAN, "big endian YBR_FULL_422 pixel data is not supported");
        let full = ybr_422_as_full(&pixel_data.to_bytes().context("cannot read the pixel data")?, header)?;
        let mut copy = with_native_pixels(object, DataElement::new(tags::PIXEL_DATA, VR::OB, PrimitiveValue::U8(full.into())));
        copy.put(DataElement::new(tags::PHOTOMETRIC_INTERPRETATION, VR::CS, PrimitiveValue::from("YBR_FULL")));
        copy.put(DataElement::new(tags::PLANAR_CONFIGURATION, VR::US, PrimitiveValue::from(0u16)));
        return Ok(Cow::Owned(copy));
    }
    Ok(Cow::Borrowed(object))
}

/// A copy of `object` with `pixel_data` in place of its own, stored natively.
fn with_native_pixels(object: &DefaultDicomObject, pixel_data: DataElement<InMemDicomObject>) -> DefaultDicomObject {
    // Every element but the stored pixels, which are not copied only to be thrown away.
    let others = object.iter().filter(|element| element.tag() != tags::PIXEL_DATA).cloned();
    let mut meta = object.meta().clone();
    meta.transfer_syntax = super::EXPLICIT_VR_LITTLE_ENDIAN.into();
    let mut copy = InMemDicomObject::from_element_iter(others).with_exact_meta(meta);
    copy.put(pixel_data);
    copy
}

/// Each frame's JPEG stream, from the fragments it is stored in: one frame is every fragment;
/// as many fragments as frames are a frame each; otherwise the Basic Offset Table says where
/// each frame starts (in bytes of fragment items, 8 bytes of header each).
fn frame_streams(fragments: &[Vec<u8>], offsets: &[u32], frames: u64) -> Result<Vec<Vec<u8>>> {
    if frames == 1 {
        return Ok(vec![fragments.concat()]);
    }
    if fragments.len() as u64 == frames {
        return Ok(fragments.to_vec());
    }
    ensure!(
        offsets.len() as u64 == frames && offsets.first() == Some(&0) && offsets.is_sorted(),
        "{frames} frames in {} fragments, and no offset table to tell which fragments make each frame",
        fragments.len()
    );
    let mut streams = vec![Vec::new(); offsets.len()];
    let mut position = 0u64;
    for fragment in fragments {
        let frame = offsets.partition_point(|&start| u64::from(start) <= position) - 1;
        streams[frame].extend_from_slice(fragment);
        position += 8 + fragment.len() as u64;
    }
    ensure!(streams.iter().all(|stream| !stream.is_empty()), "the offset table points past the fragments");
    Ok(streams)
}

/// The samples of every frame, one after another, as the header's 12 (or fewer) bits.
fn twelve_bit_jpeg_samples(streams: &[Vec<u8>], header: &Header) -> Result<Vec<u16>> {
    ensure!(header.samples == 1, "12-bit colour JPEG is not supported");
    start_ffmpeg()?;
    let mut samples = Vec::with_capacity((header.rows * header.columns * header.frames) as usize);
    for (index, stream) in streams.iter().enumerate() {
        let frame = FrameHeader::read(stream).with_context(|| format!("frame {index} has no JPEG frame header"))?;
        ensure!(
            (frame.columns, frame.rows) == (header.columns, header.rows) && frame.components == 1 && (9..=16).contains(&frame.precision),
            "frame {index} is a {}x{} JPEG of {} components at {} bits, not the header's {}x{} at 12",
            frame.columns,
            frame.rows,
            frame.components,
            frame.precision,
            header.columns,
            header.rows
        );
        decode_grey_jpeg(stream, &frame, &mut samples).with_context(|| format!("cannot decode frame {index}"))?;
    }
    Ok(samples)
}

/// Appends the grey samples of one JPEG frame. FFmpeg gives samples of more than 8 bits
/// shifted to the top of 16; they are shifted back to the JPEG's precision. Any error in the
/// stream fails the frame (`err_detect explode`) rather than being concealed.
fn decode_grey_jpeg(stream: &[u8], frame: &FrameHeader, samples: &mut Vec<u16>) -> Result<()> {
    let codec = ffmpeg::decoder::find(ffmpeg::codec::Id::MJPEG).context("FFmpeg has no JPEG decoder")?;
    let mut options = ffmpeg::Dictionary::new();
    options.set("err_detect", "explode");
    let mut decoder = ffmpeg::codec::Context::new_with_codec(codec)
        .decoder()
        .open_as_with(codec, options)
        .and_then(|opened| opened.video())
        .context("cannot open FFmpeg's JPEG decoder")?;
    decoder.send_packet(&ffmpeg::Packet::copy(stream))?;
    decoder.send_eof()?;
    let mut image = ffmpeg::frame::Video::empty();
    decoder.receive_frame(&mut image)?;
    ensure!(
        image.format() == ffmpeg::format::Pixel::GRAY16LE
            && u64::from(image.width()) == frame.columns
            && u64::from(image.height()) == frame.rows,
        "FFmpeg decoded it as {:?} of {}x{}",
        image.format(),
        image.width(),
        image.height()
    );
    let (stride, data, shift) = (image.stride(0), image.data(0), 16 - u32::from(frame.precision));
    for row in 0..frame.rows as usize {
        let line = &data[row * stride..][..frame.columns as usize * 2];
        samples.extend(line.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]) >> shift));
    }
    Ok(())
}

/// YBR_FULL_422 samples (Y1 Y2 Cb Cr for each pair of pixels) as YBR_FULL (Y Cb Cr each).
fn ybr_422_as_full(stored: &[u8], header: &Header) -> Result<Vec<u8>> {
    ensure!(header.bits_allocated == 8 && header.samples == 3, "YBR_FULL_422 of {}-bit samples is not supported", header.bits_allocated);
    ensure!(header.columns % 2 == 0, "YBR_FULL_422 pixel data of an odd number of columns ({})", header.columns);
    let length = (header.rows * header.columns * header.frames * 2) as usize;
    ensure!(stored.len() >= length, "the pixel data is shorter than its {} frames of {}x{}", header.frames, header.columns, header.rows);
    Ok(stored[..length].chunks_exact(4).flat_map(|pair| [pair[0], pair[2], pair[3], pair[1], pair[2], pair[3]]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(rows: u64, columns: u64, frames: u64) -> Header {
        Header { rows, columns, frames, samples: 3, bits_allocated: 8, bits_stored: 8, photometric: "YBR_FULL_422".into() }
    }

    #[test]
    fn each_pixel_pair_shares_its_chroma() {
        let stored = [10, 20, 100, 200, 30, 40, 101, 201];
        let full = ybr_422_as_full(&stored, &header(1, 4, 1)).unwrap();
        assert_eq!(full, [10, 100, 200, 20, 100, 200, 30, 101, 201, 40, 101, 201]);
        assert!(ybr_422_as_full(&stored[..6], &header(1, 4, 1)).is_err(), "short data");
        assert!(ybr_422_as_full(&stored, &header(1, 3, 1)).is_err(), "odd columns");
    }

    #[test]
    fn frames_are_gathered_from_fragments_by_the_offset_table() {
        let fragments = vec![vec![1, 2], vec![3, 4], vec![5, 6, 7, 8]];
        // Frame 0: the first two fragments (10 bytes each with item headers); frame 1: the third.
        let streams = frame_streams(&fragments, &[0, 20], 2).unwrap();
        assert_eq!(streams, [vec![1, 2, 3, 4], vec![5, 6, 7, 8]]);
        assert_eq!(frame_streams(&fragments, &[], 1).unwrap(), [vec![1, 2, 3, 4, 5, 6, 7, 8]]);
        assert_eq!(frame_streams(&fragments, &[], 3).unwrap().len(), 3);
        assert!(frame_streams(&fragments, &[], 2).is_err(), "no table to split by");
        assert!(frame_streams(&fragments, &[0, 90], 2).is_err(), "a frame past the fragments");
    }
}
