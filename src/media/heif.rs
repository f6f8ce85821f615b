//! HEIF photos (HEIC, as phones save them, and AVIF) through libheif: the primary image is
//! decoded upright (see [`exif_turn`]) and cropped as its container says; thumbnails, depth
//! maps, auxiliary images and every metadata item (EXIF, XMP, GPS) are left behind by never
//! being written: only the EXIF orientation is read.
//!
//! The copy is a JPEG (`IMG_0001.HEIC` -> `IMG_0001.jpg`) unless `--image-format png` asks for
//! a PNG: a HEIC encoder would need x265, under the GPL, and a JPEG opens everywhere a post
//! goes. A transparent HEIF is analysed and redacted as it shows over white.

use super::image::{refuse_oversized, DecodedImage};
use super::{alpha, icc};
use anyhow::{ensure, Context, Result};
use image::metadata::Orientation;
use image::{DynamicImage, ImageFormat, RgbImage, RgbaImage};
use libheif_rs::{ColorSpace, DecodingOptions, HeifContext, ImageHandle, LibHeif, RgbChroma};

/// Which HEIF a file is, from its `ftyp` box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeifKind {
    /// A still image coded in HEVC (or another codec: named by its container).
    Heic,
    /// A still image coded in AV1.
    Avif,
    /// An image sequence (a burst, an animation): only its first image would be analysed.
    Sequence,
}

impl HeifKind {
    pub fn name(self) -> &'static str {
        match self {
            HeifKind::Heic => "heic",
            HeifKind::Avif => "avif",
            HeifKind::Sequence => "heif sequence",
        }
    }
}

/// The HEIF kind `head` (a file's first bytes) declares in its `ftyp` box, if it is a HEIF:
/// by its major brand, then (for the generic `mif1`) its compatible brands.
pub fn kind_of(head: &[u8]) -> Option<HeifKind> {
    let size = usize::try_from(u32::from_be_bytes(head.get(0..4)?.try_into().ok()?)).ok()?;
    if head.get(4..8)? != b"ftyp" || size < 16 {
        return None;
    }
    let major = head.get(8..12)?;
    // Compatible brands follow the minor version, to the box's end (or what was read of it).
    let compatible: Vec<&[u8]> = head.get(16..size.min(head.len()))?.chunks_exact(4).collect();
    match major {
        b"heic" | b"heix" | b"heim" | b"heis" => Some(HeifKind::Heic),
        b"avif" => Some(HeifKind::Avif),
        b"msf1" | b"hevc" | b"hevx" | b"hevm" | b"hevs" | b"avis" => Some(HeifKind::Sequence),
        b"mif1" | b"mif2" if compatible.iter().any(|brand| matches!(*brand, b"msf1" | b"avis" | b"hevc")) => Some(HeifKind::Sequence),
        b"mif1" | b"mif2" if compatible.contains(&&b"avif"[..]) => Some(HeifKind::Avif),
        b"mif1" | b"mif2" => Some(HeifKind::Heic),
        _ => None,
    }
}

/// Decodes a HEIF still's primary image upright, refusing anything over `max_pixels` before
/// decoding it, and files holding more than one image (a burst would be cut to its first).
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<DecodedImage> {
    let library = LibHeif::new();
    let context = HeifContext::read_from_bytes(bytes).context("cannot read the HEIF container")?;
    let images = context.number_of_top_level_images();
    ensure!(images == 1, "HEIF files holding {images} images (a burst or a collection) are not supported yet");
    let handle = context.primary_image_handle().context("the HEIF file has no primary image")?;
    refuse_oversized(handle.width(), handle.height(), max_pixels)?;
    let mut options = DecodingOptions::new().context("libheif gave no decoding options")?;
    options.set_convert_hdr_to_8bit(true);
    let has_alpha = handle.has_alpha_channel();
    let chroma = if has_alpha { RgbChroma::Rgba } else { RgbChroma::Rgb };
    // Rotation, mirroring and crop are applied unless the options ask otherwise.
    let decoded = library.decode(&handle, ColorSpace::Rgb(chroma), Some(options)).context("cannot decode the HEIF image")?;
    let plane = decoded.planes().interleaved.context("libheif gave no interleaved pixels")?;
    let channels = if has_alpha { 4 } else { 3 };
    let row = plane.width as usize * channels;
    ensure!(plane.stride >= row && plane.data.len() >= plane.stride * plane.height as usize, "libheif gave a short image");
    let samples: Vec<u8> = plane.data.chunks(plane.stride).take(plane.height as usize).flat_map(|line| &line[..row]).copied().collect();
    let mut upright = if has_alpha {
        let rgba = RgbaImage::from_raw(plane.width, plane.height, samples).context("libheif gave a short image")?;
        DynamicImage::ImageRgb8(alpha::over_white(&rgba))
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(plane.width, plane.height, samples).context("libheif gave a short image")?)
    };
    if let Some(turn) = exif_turn(bytes, &handle) {
        upright.apply_orientation(turn);
    }
    let icc_profile = handle.color_profile_raw().and_then(|profile| icc::colours_only(&profile.data));
    Ok(DecodedImage { pixels: upright, format: ImageFormat::Jpeg, icc_profile })
}

/// Phones store a photo as the sensor saw it and say how to turn it: in the container
/// (`irot`, `imir`), which libheif applies, or, from some converters, only in the EXIF
/// orientation. That one is applied when the container says nothing, so that the faces the
/// detector looks for are upright; when it does, the EXIF tag repeats it and is ignored.
fn exif_turn(bytes: &[u8], handle: &ImageHandle) -> Option<Orientation> {
    if container_turns(bytes) {
        return None;
    }
    let mut ids = [0; 4];
    let count = handle.metadata_block_ids(&mut ids, b"Exif");
    let block = handle.metadata(*ids[..count].first()?).ok()?;
    // An Exif item starts with the offset from its end to the TIFF header.
    let offset = usize::try_from(u32::from_be_bytes(block.get(..4)?.try_into().ok()?)).ok()?;
    let tiff = block.get(4usize.checked_add(offset)?..)?.to_vec();
    let exif = exif::Reader::new().read_raw(tiff).ok()?;
    let value = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?.value.get_uint(0)?;
    Orientation::from_exif(u8::try_from(value).ok()?)
}

/// Whether the container holds a rotation or mirroring property (`meta/iprp/ipco`).
fn container_turns(bytes: &[u8]) -> bool {
    let properties = child(bytes, b"meta")
        .and_then(|meta| meta.get(4..)) // a full box: version and flags first
        .and_then(|meta| child(meta, b"iprp"))
        .and_then(|iprp| child(iprp, b"ipco"));
    properties.is_some_and(|ipco| boxes(ipco).any(|(kind, _)| kind == b"irot" || kind == b"imir"))
}

fn child<'a>(parent: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(parent).find(|(found, _)| found == kind).map(|(_, body)| body)
}

/// The ISO base media boxes laid end to end in `data`: (type, body). Stops at the first box
/// whose size does not fit.
fn boxes(data: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let size = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?);
        let kind = rest.get(4..8)?;
        let (header, size) = match size {
            0 => (8, rest.len()),
            1 => (16, usize::try_from(u64::from_be_bytes(rest.get(8..16)?.try_into().ok()?)).ok()?),
            size => (8, usize::try_from(size).ok()?),
        };
        let body = rest.get(header..size)?;
        rest = &rest[size..];
        Some((kind, body))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len() as u32;
        let mut head = [&size.to_be_bytes()[..], b"ftyp", major, &[0; 4]].concat();
        compatible.iter().for_each(|brand| head.extend_from_slice(&brand[..]));
        head
    }

    #[test]
    fn the_brand_says_which_heif_and_whether_it_is_a_sequence() {
        assert_eq!(kind_of(&ftyp(b"heic", &[b"mif1", b"heic"])), Some(HeifKind::Heic));
        assert_eq!(kind_of(&ftyp(b"avif", &[b"mif1", b"avif"])), Some(HeifKind::Avif));
        assert_eq!(kind_of(&ftyp(b"mif1", &[b"mif1", b"avif", b"miaf"])), Some(HeifKind::Avif));
        assert_eq!(kind_of(&ftyp(b"msf1", &[b"msf1", b"hevc"])), Some(HeifKind::Sequence));
        assert_eq!(kind_of(&ftyp(b"avis", &[b"avis", b"msf1"])), Some(HeifKind::Sequence));
        assert_eq!(kind_of(&ftyp(b"mp42", &[b"isom"])), None, "an MP4 is a video");
        assert_eq!(kind_of(b"\x00\x00\x00\x08ftyp"), None, "a box too short to name a brand");
        assert_eq!(kind_of(b"\xff\xd8\xff"), None);
    }

    /// A box of `kind` around `body`.
    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        [&(8 + body.len() as u32).to_be_bytes()[..], kind, body].concat()
    }

    #[test]
    fn a_rotation_is_found_among_the_containers_properties() {
        let with = |property: &[u8; 4]| {
            let ipco = boxed(b"ipco", &[boxed(b"ispe", &[0; 12]), boxed(property, &[0])].concat());
            let meta = boxed(b"meta", &[&[0u8; 4][..], &boxed(b"hdlr", &[0; 8]), &boxed(b"iprp", &ipco)].concat());
            [ftyp(b"heic", &[b"mif1"]), meta, boxed(b"mdat", &[1, 2, 3])].concat()
        };
        assert!(container_turns(&with(b"irot")));
        assert!(container_turns(&with(b"imir")));
        assert!(!container_turns(&with(b"colr")));
        let mut cut = with(b"irot");
        cut.truncate(30);
        assert!(!container_turns(&cut), "a box cut short is not read past its end");
    }

    #[test]
    fn garbage_named_heif_is_an_error_not_a_panic() {
        let mut bytes = ftyp(b"heic", &[b"mif1"]);
        bytes.extend_from_slice(&[0xAB; 64]);
        assert!(decode(&bytes, 1_000_000).is_err());
    }
}
