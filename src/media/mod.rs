//! Media in and out: recognising what a file is, decoding it upright, encoding the redacted
//! copy without metadata.

pub mod alpha;
pub mod heif;
mod icc;
pub mod image;
pub mod margin;
mod png_chunks;
pub mod resize;
mod sniff;
pub mod thumbnail;
pub mod turn;

pub use sniff::{named_like_video, sniff, sniff_file, MediaKind, StillFormat};

use anyhow::Result;

/// Decodes a still image of `format` upright, within `max_pixels`.
pub fn decode_still(bytes: &[u8], format: StillFormat, max_pixels: u64) -> Result<image::DecodedImage> {
    match format {
        StillFormat::Raster(format) => image::decode(bytes, format, max_pixels),
        StillFormat::Heif(_) => heif::decode(bytes, max_pixels),
    }
}
