//! Decides from a file's content (and, for fail-closed handling, its name) what it is.
//!
//! Content decides: a JPEG named `.png` is a JPEG. The name only matters when the content is
//! not media at all: a file that *claims* to be an image or video but is not one is an error
//! (it may be a damaged photo that must not be mistaken for "nothing to redact"), while any
//! other file is simply skipped.

use super::heif::{self, HeifKind};
use anyhow::{Context, Result};
use image::ImageFormat;
use std::io::Read;
use std::path::Path;

/// Bytes read to tell a file's type from its content.
const HEAD_BYTES: u64 = 8192;

/// Still-image formats phi-redact reads and writes back in the same format.
pub const SUPPORTED_IMAGE_FORMATS: [ImageFormat; 5] =
    [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP, ImageFormat::Tiff, ImageFormat::Bmp];

const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "apng", "webp", "tif", "tiff", "bmp", "gif", "heic", "heif", "hif", "avif", "jxl", "jp2", "dng",
    "dcm", "dicom",
];
const VIDEO_EXTENSIONS: &[&str] = &["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "wmv", "3gp", "ts", "mts"];

/// Whether the name says video (for planning only: content decides what a file is).
pub fn named_like_video(path: &Path) -> bool {
    VIDEO_EXTENSIONS.contains(&lowercase_extension(path).as_str())
}

fn lowercase_extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// A still image's coding: one the `image` crate reads and writes, or a HEIF (read by libheif).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StillFormat {
    Raster(ImageFormat),
    Heif(HeifKind),
}

impl StillFormat {
    /// As the report names it: "jpeg", "png", "heic", "avif"...
    pub fn name(self) -> String {
        match self {
            StillFormat::Raster(format) => format!("{format:?}").to_lowercase(),
            StillFormat::Heif(kind) => kind.name().into(),
        }
    }

    /// The format its copy takes unless asked otherwise: its own, or JPEG for a HEIF (see
    /// `heif`).
    pub fn own_copy_format(self) -> ImageFormat {
        match self {
            StillFormat::Raster(format) => format,
            StillFormat::Heif(_) => ImageFormat::Jpeg,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaKind {
    /// A still image in a format phi-redact handles.
    Image(StillFormat),
    /// A video (or something FFmpeg may read as one: the container is probed when opened).
    Video,
    /// A DICOM file (`DICM` after its preamble): header and pixels (`crate::dicom`).
    Dicom,
    /// Media phi-redact cannot process: must fail, never pass as clean.
    Unsupported(String),
    /// Named like media but the content is not: damaged or mislabelled.
    NotWhatItClaims(String),
    /// Not media by content or by name.
    Other,
}

/// What the file at `path` is, from its first bytes.
pub fn sniff_file(path: &Path) -> Result<MediaKind> {
    let mut head = Vec::new();
    std::fs::File::open(path).context("cannot read file")?.take(HEAD_BYTES).read_to_end(&mut head).context("cannot read file")?;
    Ok(sniff(path, &head))
}

pub fn sniff(path: &Path, head: &[u8]) -> MediaKind {
    // First: a DICOM file's preamble is free for anything, another format's header included.
    if crate::dicom::is_dicom(head) {
        return MediaKind::Dicom;
    }
    // Before the `image` crate, which knows AVIF but cannot decode it here.
    match heif::kind_of(head) {
        Some(HeifKind::Sequence) => {
            return MediaKind::Unsupported("HEIF image sequences (bursts, animations) are not supported yet".into())
        }
        Some(kind) => return MediaKind::Image(StillFormat::Heif(kind)),
        None => {}
    }
    if let Ok(format) = image::guess_format(head) {
        if SUPPORTED_IMAGE_FORMATS.contains(&format) {
            return MediaKind::Image(StillFormat::Raster(format));
        }
        return MediaKind::Unsupported(format!("{format:?} images are not supported"));
    }
    if let Some(kind) = infer::get(head) {
        match kind.matcher_type() {
            infer::MatcherType::Image => return MediaKind::Unsupported(format!("{} images are not supported", kind.mime_type())),
            infer::MatcherType::Video => return MediaKind::Video,
            _ => {}
        }
    }
    let extension = lowercase_extension(path);
    if head.is_empty() && (IMAGE_EXTENSIONS.contains(&extension.as_str()) || VIDEO_EXTENSIONS.contains(&extension.as_str())) {
        return MediaKind::NotWhatItClaims(format!("empty file named .{extension}"));
    }
    if matches!(extension.as_str(), "dcm" | "dicom") {
        return MediaKind::NotWhatItClaims(format!("named .{extension} but it has no DICOM file header (DICM at byte 128)"));
    }
    if IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        return MediaKind::NotWhatItClaims(format!("named .{extension} but its content is not an image"));
    }
    if VIDEO_EXTENSIONS.contains(&extension.as_str()) {
        return MediaKind::NotWhatItClaims(format!("named .{extension} but its content is not a video"));
    }
    MediaKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

    #[test]
    fn content_decides_over_the_name() {
        assert_eq!(sniff(Path::new("photo.txt"), PNG_MAGIC), MediaKind::Image(StillFormat::Raster(ImageFormat::Png)));
        assert_eq!(sniff(Path::new("a.jpg"), b"\xff\xd8\xff\xe0"), MediaKind::Image(StillFormat::Raster(ImageFormat::Jpeg)));
        let heic_head = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
        assert_eq!(sniff(Path::new("IMG_0001.jpg"), heic_head), MediaKind::Image(StillFormat::Heif(HeifKind::Heic)));
        let mut dicom_head = vec![0u8; 128];
        dicom_head.extend_from_slice(b"\xff\xd8\xff\xe0");
        dicom_head[128..132].copy_from_slice(b"DICM");
        assert_eq!(sniff(Path::new("IM0001"), &dicom_head), MediaKind::Dicom);
        assert!(matches!(sniff(Path::new("scan.dcm"), &[0u8; 200]), MediaKind::NotWhatItClaims(_)));
    }

    #[test]
    fn media_names_without_media_content_are_errors_and_other_files_are_skipped() {
        assert!(matches!(sniff(Path::new("x.JPG"), b"hello"), MediaKind::NotWhatItClaims(_)));
        assert!(matches!(sniff(Path::new("x.png"), b""), MediaKind::NotWhatItClaims(_)));
        assert!(matches!(sniff(Path::new("clip.mp4"), b"nope"), MediaKind::NotWhatItClaims(_)));
        assert_eq!(sniff(Path::new("notes.txt"), b"hello"), MediaKind::Other);
        assert_eq!(sniff(Path::new("README"), b""), MediaKind::Other);
    }

    #[test]
    fn gif_is_refused_rather_than_passed_and_video_is_known_by_content() {
        assert!(matches!(sniff(Path::new("a.gif"), b"GIF89a\x01\x00"), MediaKind::Unsupported(_)));
        let mp4_head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom";
        assert_eq!(sniff(Path::new("a.bin"), mp4_head), MediaKind::Video);
    }
}
