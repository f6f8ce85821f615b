//! A PNG's compressed metadata, inflated within bounds.
//!
//! The colour profile (iCCP) is a deflate stream, and the decoder inflates it with no bound of
//! its own: a 1 MB file whose profile inflates to 1 GiB took 2.2 GB of memory before its pixels
//! were even looked at. So the decoder gets the file without it, and the profile is inflated
//! here, refused past `MAX_ICC_BYTES`. Text chunks (tEXt, and zTXt and iTXt, compressed too)
//! are left out as well: they are never written, and not inflating them costs nothing.

use anyhow::{bail, ensure, Context, Result};
use flate2::read::ZlibDecoder;
use std::io::Read;

/// Far above any real profile (printer profiles reach a few MB).
const MAX_ICC_BYTES: u64 = 16 << 20;
const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Chunks left out: the profile (inflated here) and every kind of text.
const LEFT_OUT: [&[u8; 4]; 4] = [b"iCCP", b"zTXt", b"iTXt", b"tEXt"];

/// The PNG without its profile and text chunks, and its profile, inflated.
pub fn without_metadata(bytes: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    ensure!(bytes.starts_with(SIGNATURE), "not a PNG");
    let mut kept = SIGNATURE.to_vec();
    let mut profile = None;
    let mut at = SIGNATURE.len();
    while at < bytes.len() {
        let length = bytes.get(at..at + 4).context("PNG chunk cut short")?;
        let length = u32::from_be_bytes(length.try_into().expect("four bytes")) as usize;
        let end = at.checked_add(12 + length).filter(|&end| end <= bytes.len()).context("PNG chunk runs past the end of the file")?;
        let (kind, data) = (&bytes[at + 4..at + 8], &bytes[at + 8..at + 8 + length]);
        if kind == b"iCCP" {
            ensure!(profile.is_none(), "PNG with two colour profiles");
            profile = Some(inflated_profile(data)?);
        }
        if !LEFT_OUT.iter().any(|left_out| kind == *left_out) {
            kept.extend_from_slice(&bytes[at..end]);
        }
        at = end;
        if kind == b"IEND" {
            break;
        }
    }
    Ok((kept, profile))
}

/// An iCCP chunk's profile: a name, a NUL, a compression method (0: zlib) and the stream.
fn inflated_profile(data: &[u8]) -> Result<Vec<u8>> {
    let name_end = data.iter().position(|&b| b == 0).context("iCCP chunk without a name")?;
    let Some((&0, stream)) = data[name_end + 1..].split_first() else { bail!("iCCP chunk with an unknown compression") };
    let mut profile = Vec::new();
    ZlibDecoder::new(stream).take(MAX_ICC_BYTES + 1).read_to_end(&mut profile).context("iCCP chunk does not inflate")?;
    ensure!(
        profile.len() as u64 <= MAX_ICC_BYTES,
        "its colour profile inflates past {} MB (possible decompression bomb)",
        MAX_ICC_BYTES >> 20
    );
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::ZlibEncoder, Compression};
    use std::io::Write;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
        chunk.extend_from_slice(kind);
        chunk.extend_from_slice(data);
        chunk.extend_from_slice(&[0; 4]); // CRC: not checked here
        chunk
    }

    fn iccp(profile_len: usize) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&vec![0u8; profile_len]).unwrap();
        [b"icc\0\0".to_vec(), encoder.finish().unwrap()].concat()
    }

    #[test]
    fn profile_and_text_are_taken_out_and_the_rest_kept_in_order() {
        let (header, pixels, end) = (chunk(b"IHDR", &[1; 13]), chunk(b"IDAT", &[2; 20]), chunk(b"IEND", &[]));
        let png =
            [SIGNATURE.to_vec(), header.clone(), chunk(b"iCCP", &iccp(3000)), chunk(b"tEXt", b"Name\0John"), pixels.clone(), end.clone()]
                .concat();
        let (kept, profile) = without_metadata(&png).unwrap();
        assert_eq!(kept, [SIGNATURE.to_vec(), header, pixels, end].concat());
        assert_eq!(profile, Some(vec![0; 3000]));
    }

    #[test]
    fn a_profile_that_inflates_past_the_bound_or_a_broken_file_is_refused() {
        let bomb = [SIGNATURE.to_vec(), chunk(b"iCCP", &iccp(MAX_ICC_BYTES as usize + 1))].concat();
        assert!(without_metadata(&bomb).unwrap_err().to_string().contains("decompression bomb"));
        let mut cut = [SIGNATURE.to_vec(), chunk(b"IDAT", &[2; 20])].concat();
        cut.truncate(cut.len() - 3);
        assert!(without_metadata(&cut).is_err());
        assert!(without_metadata(b"GIF89a").is_err());
    }
}
