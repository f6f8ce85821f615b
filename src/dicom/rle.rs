//! RLE Lossless pixel data checked before dicom-rs decodes it. Its decoder (0.10.1) slices the
//! 64-byte segment table by the count the table declares and indexes each decoded segment as
//! if it held a whole plane, so a crafted fragment (under 64 bytes, a count of four billion, a
//! segment that decodes short) panics or allocates gigabytes. PS3.5 Annex G: one fragment per
//! frame, each a table of up to 15 segment offsets, one PackBits segment per byte of each
//! sample.

use super::pixels::Header;
use anyhow::{ensure, Context, Result};
use dicom_dictionary_std::tags;
use dicom_object::DefaultDicomObject;

const RLE_LOSSLESS: &str = "1.2.840.10008.1.2.5";
const TABLE_BYTES: usize = 64;

/// Fails unless every frame of an RLE object decodes whole; any other object passes.
pub fn check(object: &DefaultDicomObject, header: &Header) -> Result<()> {
    if super::transfer_syntax(object) != RLE_LOSSLESS {
        return Ok(());
    }
    let pixel_data = object.get(tags::PIXEL_DATA).context("no Pixel Data")?.value();
    let fragments = pixel_data.fragments().context("RLE pixel data that is not encapsulated")?;
    ensure!(fragments.len() as u64 == header.frames, "{} RLE fragments for {} frames (one each)", fragments.len(), header.frames);
    let segments = (header.samples * header.bits_allocated / 8) as usize;
    let plane = (header.rows * header.columns) as usize;
    for (frame, fragment) in fragments.iter().enumerate() {
        check_fragment(fragment, segments, plane).with_context(|| format!("RLE frame {frame}"))?;
    }
    Ok(())
}

fn check_fragment(fragment: &[u8], segments: usize, plane: usize) -> Result<()> {
    ensure!(fragment.len() >= TABLE_BYTES, "{} bytes, shorter than the segment table", fragment.len());
    let word = |at: usize| u32::from_le_bytes([fragment[at], fragment[at + 1], fragment[at + 2], fragment[at + 3]]) as usize;
    ensure!(word(0) == segments, "{} segments, not the {segments} its samples take", word(0));
    let mut bounds: Vec<usize> = (1..=segments).map(|index| word(4 * index)).collect();
    bounds.push(fragment.len());
    for (index, pair) in bounds.windows(2).enumerate() {
        let segment = fragment.get(pair[0]..pair[1]).with_context(|| format!("segment {index} lies outside the fragment"))?;
        ensure!(pair[0] >= TABLE_BYTES, "segment {index} starts inside the table");
        let decoded = packbits_length(segment);
        ensure!(decoded >= plane, "segment {index} decodes to {decoded} bytes, not a whole plane of {plane}");
    }
    Ok(())
}

/// How many bytes a PackBits segment decodes to: a header byte n of 0..=127 copies the n + 1
/// bytes after it, -127..=-1 repeats the next byte 1 - n times, -128 does nothing.
fn packbits_length(segment: &[u8]) -> usize {
    let (mut at, mut length) = (0, 0usize);
    while let Some(&header) = segment.get(at) {
        let header = header as i8;
        at += 1;
        match header {
            0..=127 => {
                let run = header as usize + 1;
                length += run.min(segment.len() - at);
                at += run;
            }
            -127..=-1 => {
                if at < segment.len() {
                    length += (1 - isize::from(header)) as usize;
                }
                at += 1;
            }
            -128 => {}
        }
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fragment of one segment: the table, then `segment`.
    fn fragment(count: u32, segment: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0u8; TABLE_BYTES];
        bytes[..4].copy_from_slice(&count.to_le_bytes());
        bytes[4..8].copy_from_slice(&(TABLE_BYTES as u32).to_le_bytes());
        bytes.extend_from_slice(segment);
        bytes
    }

    #[test]
    fn packbits_runs_and_literals_are_counted_as_the_decoder_expands_them() {
        // Three literal bytes, a run of 5, a no-op, a literal cut short by the end.
        assert_eq!(packbits_length(&[2, 7, 8, 9, 0xFC, 1, 0x80, 3, 1]), 3 + 5 + 1);
        assert_eq!(packbits_length(&[0xFC]), 0, "a run with no byte to repeat");
    }

    #[test]
    fn a_frame_is_accepted_only_when_every_segment_fills_its_plane() {
        let whole = fragment(1, &[0xFD, 42]); // four bytes of 42
        check_fragment(&whole, 1, 4).unwrap();
        assert!(check_fragment(&whole, 1, 5).is_err(), "a segment that decodes short");
        assert!(check_fragment(&fragment(2, &[0xFD, 42]), 1, 4).is_err(), "a count the samples do not take");
        assert!(check_fragment(&fragment(u32::MAX, &[0xFD, 42]), 1, 4).is_err(), "a count of four billion");
        assert!(check_fragment(&whole[..20], 1, 4).is_err(), "shorter than the table");
        let mut outside = whole.clone();
        outside[4..8].copy_from_slice(&500u32.to_le_bytes());
        assert!(check_fragment(&outside, 1, 4).is_err(), "a segment past the end");
    }
}
