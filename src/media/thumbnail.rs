//! Small redacted views saved beside the report for the review page (video keyframes, a DICOM
//! object's frame).

use anyhow::Result;
use image::RgbImage;
use std::path::{Path, PathBuf};

/// Thumbnails' width.
const WIDTH: u32 = 320;

/// Saves `pixels` shrunk to a small JPEG named `name` in `dir`; returns its path relative to
/// the report's folder (`dir`'s parent).
pub fn save(dir: &Path, name: &str, pixels: &RgbImage) -> Result<String> {
    let height = (pixels.height() * WIDTH / pixels.width().max(1)).max(1);
    let small = super::resize::resize(pixels, WIDTH, height)?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80).encode_image(&small)?;
    crate::fsutil::write_atomically(&dir.join(name), &jpeg)?;
    let folder = dir.file_name().map(PathBuf::from).unwrap_or_default();
    Ok(folder.join(name).display().to_string())
}
