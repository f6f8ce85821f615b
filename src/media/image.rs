//! Still images: decode upright (EXIF orientation applied) within size limits, and encode the
//! redacted pixels back into the input's format with no metadata at all.
//!
//! Nothing from the input's metadata is carried over except the ICC colour profile's colours
//! (its text tags are left out: see `icc`). EXIF (GPS, dates, serial numbers, the embedded
//! thumbnail, which shows the unredacted photo), XMP, IPTC and comments are dropped simply by
//! never being written: the encoders below only write pixels and, where supported, the profile.

use super::{alpha, icc, png_chunks};
use anyhow::{bail, ensure, Context, Result};
use image::codecs::{bmp::BmpEncoder, png::PngDecoder, png::PngEncoder};
use image::codecs::{tiff::TiffEncoder, webp::WebPDecoder, webp::WebPEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};
use std::borrow::Cow;
use std::io::Cursor;

/// JPEG quality of redacted copies: high enough that pixels outside redactions stay visually
/// identical to the input.
pub const JPEG_QUALITY: u8 = 95;

/// The longest side accepted.
const MAX_SIDE: u32 = 65_535;

pub struct DecodedImage {
    /// Upright pixels in the input's own colour type and bit depth.
    pub pixels: DynamicImage,
    /// The format its copy is written in: as decoded, the input's own (JPEG for a HEIF).
    pub format: ImageFormat,
    pub icc_profile: Option<Vec<u8>>,
}

/// Decodes an image, refusing anything over `max_pixels` before allocating it (a small file
/// can declare a 30000x30000 canvas), and animated images and multi-page TIFFs, whose later
/// frames or pages would otherwise go unexamined while the file is reported as done.
pub fn decode(bytes: &[u8], format: ImageFormat, max_pixels: u64) -> Result<DecodedImage> {
    // A PNG's compressed metadata is inflated here, within bounds; the decoder sees the rest.
    let (png_rest, png_profile) = match format {
        ImageFormat::Png => png_chunks::without_metadata(bytes).map(|(rest, profile)| (Some(rest), profile))?,
        _ => (None, None),
    };
    let bytes = png_rest.as_deref().unwrap_or(bytes);
    ensure!(!is_animated(bytes, format)?, "animated {format:?} images are not supported yet");
    ensure!(!is_multi_page(bytes, format)?, "multi-page TIFFs are not supported yet");
    if format == ImageFormat::Jpeg {
        // The JPEG decoder fills a cut-off image with grey instead of failing; a photo missing
        // its lower half must not pass as fully analysed.
        ensure!(jpeg_has_end_marker(bytes), "truncated JPEG (no end-of-image marker after the image data)");
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    // Worst case: 4 channels of 32-bit floats, plus one working copy.
    limits.max_alloc = Some(max_pixels.saturating_mul(32));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().with_context(|| format!("cannot read {format:?} header"))?;
    let (width, height) = decoder.dimensions();
    refuse_oversized(width, height, max_pixels)?;
    let orientation = decoder.orientation().context("cannot read EXIF orientation")?;
    let icc_profile = png_profile.or_else(|| decoder.icc_profile().ok().flatten()).and_then(|profile| icc::colours_only(&profile));
    let mut image = DynamicImage::from_decoder(decoder).with_context(|| format!("cannot decode {format:?} image"))?;
    image.apply_orientation(orientation);
    Ok(DecodedImage { pixels: image, format, icc_profile })
}

/// Refuses, before anything is decoded, a declared canvas over `max_pixels` or with a side over
/// `MAX_SIDE`, and one with no pixels.
pub fn refuse_oversized(width: u32, height: u32, max_pixels: u64) -> Result<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        bail!(
            "image declares {width}x{height} ({} MP), over the {} MP limit (possible decompression bomb; see --max-megapixels)",
            pixels / 1_000_000,
            max_pixels / 1_000_000
        );
    }
    ensure!(pixels > 0, "image has no pixels ({width}x{height})");
    // JPEG's own limit: a longer side is a strip no camera or scanner makes, and the detectors,
    // which enlarge a short side, would spend a page's memory on it for nothing.
    ensure!(width.max(height) <= MAX_SIDE, "image declares {width}x{height}: a side over {MAX_SIDE} px is refused");
    Ok(())
}

fn is_animated(bytes: &[u8], format: ImageFormat) -> Result<bool> {
    Ok(match format {
        ImageFormat::Png => PngDecoder::new(Cursor::new(bytes))?.is_apng()?,
        ImageFormat::WebP => WebPDecoder::new(Cursor::new(bytes))?.has_animation(),
        _ => false,
    })
}

fn is_multi_page(bytes: &[u8], format: ImageFormat) -> Result<bool> {
    Ok(format == ImageFormat::Tiff && tiff::decoder::Decoder::new(Cursor::new(bytes))?.more_images())
}

/// True when an end-of-image marker follows the first scan. Segments before the scan are
/// skipped by their lengths, because an EXIF thumbnail inside them is a whole JPEG of its own;
/// inside scan data a 0xFF byte is always escaped, so the first unescaped 0xFFD9 is the end.
fn jpeg_has_end_marker(bytes: &[u8]) -> bool {
    const SOS: u8 = 0xDA;
    const EOI: u8 = 0xD9;
    let mut pos = 2; // after SOI
    loop {
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1; // fill bytes
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(pos), bytes.get(pos + 1)) else {
            return false;
        };
        if marker == SOS {
            break;
        }
        let standalone = marker == 0x01 || (0xD0..=0xD7).contains(&marker);
        pos += if standalone {
            2
        } else {
            let Some(length) = bytes.get(pos + 2..pos + 4) else { return false };
            2 + usize::from(u16::from_be_bytes([length[0], length[1]]))
        };
    }
    bytes[pos + 2..].windows(2).any(|w| w == [0xFF, EOI])
}

/// Encodes in the given format, keeping colour type and bit depth where the format can hold
/// them. Deterministic: the same pixels always give the same bytes.
pub fn encode(image: &DecodedImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let icc = image.icc_profile.clone();
    let pixels = &image.pixels;
    let result = match image.format {
        ImageFormat::Jpeg => return encode_jpeg(pixels, icc),
        ImageFormat::Png => write(pixels, PngEncoder::new(&mut out), icc),
        ImageFormat::WebP => write(pixels, WebPEncoder::new_lossless(&mut out), icc),
        ImageFormat::Tiff => write(pixels, TiffEncoder::new(Cursor::new(&mut out)), icc),
        ImageFormat::Bmp => write(pixels, BmpEncoder::new(&mut out), icc),
        other => bail!("cannot write {other:?} images"),
    };
    result.with_context(|| format!("cannot encode {:?} ({:?})", image.format, image.pixels.color()))?;
    Ok(out)
}

/// Through `jpeg-encoder`, whose SIMD code is several times faster than `image`'s encoder, at
/// the same full-resolution colour at this quality; in 8-bit grey or RGB, what JPEG holds
/// (a copy of another kind's image, `--image-format jpeg`, is converted: see `jpeg_ready`).
fn encode_jpeg(pixels: &DynamicImage, icc: Option<Vec<u8>>) -> Result<Vec<u8>> {
    let pixels = jpeg_ready(pixels);
    let colour = if pixels.color().has_color() { jpeg_encoder::ColorType::Rgb } else { jpeg_encoder::ColorType::Luma };
    let (width, height) = (u16::try_from(pixels.width()), u16::try_from(pixels.height()));
    let (Ok(width), Ok(height)) = (width, height) else { bail!("a JPEG cannot be {}x{}", pixels.width(), pixels.height()) };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    if let Some(profile) = icc {
        encoder.add_icc_profile(&profile).context("cannot embed the ICC profile")?;
    }
    encoder.encode(pixels.as_bytes(), width, height, colour).context("cannot encode JPEG")?;
    Ok(out)
}

/// What a JPEG can hold of `pixels`: 8-bit grey or RGB, transparency as it shows over white
/// (one of the views analysed, see `alpha`, so nothing unexamined appears).
fn jpeg_ready(pixels: &DynamicImage) -> Cow<'_, DynamicImage> {
    match pixels {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => Cow::Borrowed(pixels),
        _ if pixels.color().has_alpha() => Cow::Owned(DynamicImage::ImageRgb8(alpha::over_white(&pixels.to_rgba8()))),
        _ if pixels.color().has_color() => Cow::Owned(DynamicImage::ImageRgb8(pixels.to_rgb8())),
        _ => Cow::Owned(DynamicImage::ImageLuma8(pixels.to_luma8())),
    }
}

fn write(pixels: &DynamicImage, mut encoder: impl ImageEncoder, icc: Option<Vec<u8>>) -> image::ImageResult<()> {
    if let Some(profile) = icc {
        // Formats without ICC support simply drop it: colours shift slightly, nothing leaks.
        let _ = encoder.set_icc_profile(profile);
    }
    pixels.write_with_encoder(encoder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayAlphaImage, ImageBuffer, Luma, LumaA, Rgb, RgbImage};

    fn roundtrip(pixels: DynamicImage, format: ImageFormat) -> DynamicImage {
        let bytes = encode(&DecodedImage { pixels, format, icc_profile: None }).unwrap();
        decode(&bytes, format, 1_000_000).unwrap().pixels
    }

    fn gradient() -> RgbImage {
        RgbImage::from_fn(40, 30, |x, y| Rgb([x as u8 * 6, y as u8 * 8, 128]))
    }

    #[test]
    fn lossless_formats_round_trip_exactly_and_keep_colour_type() {
        for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Tiff, ImageFormat::Bmp] {
            let back = roundtrip(DynamicImage::ImageRgb8(gradient()), format);
            assert_eq!(back.to_rgb8(), gradient(), "{format:?}");
        }
        let grey16 = ImageBuffer::from_fn(8, 8, |x, y| Luma([(x * 8000 + y) as u16]));
        assert_eq!(roundtrip(DynamicImage::ImageLuma16(grey16.clone()), ImageFormat::Png).as_luma16(), Some(&grey16));
        let grey_alpha = GrayAlphaImage::from_fn(8, 8, |x, _| LumaA([x as u8 * 30, 255 - x as u8]));
        assert_eq!(roundtrip(DynamicImage::ImageLumaA8(grey_alpha.clone()), ImageFormat::Png).as_luma_alpha8(), Some(&grey_alpha));
    }

    #[test]
    fn jpeg_round_trip_is_close() {
        let back = roundtrip(DynamicImage::ImageRgb8(gradient()), ImageFormat::Jpeg).to_rgb8();
        let max_diff = back.pixels().zip(gradient().pixels()).flat_map(|(a, b)| (0..3).map(move |c| a[c].abs_diff(b[c]))).max();
        assert!(max_diff.unwrap() <= 12, "{max_diff:?}");
        let grey = DynamicImage::ImageRgb8(gradient()).into_luma8();
        let back = roundtrip(DynamicImage::ImageLuma8(grey.clone()), ImageFormat::Jpeg);
        assert_eq!(back.color(), image::ColorType::L8, "grey stays grey");
        assert!(back.to_luma8().pixels().zip(grey.pixels()).all(|(a, b)| a[0].abs_diff(b[0]) <= 12));
    }

    #[test]
    fn oversized_declared_canvas_is_refused_before_decoding() {
        let bytes =
            encode(&DecodedImage { pixels: DynamicImage::ImageRgb8(gradient()), format: ImageFormat::Png, icc_profile: None }).unwrap();
        let err = decode(&bytes, ImageFormat::Png, 1000).err().unwrap().to_string();
        assert!(err.contains("limit"), "{err}");
    }

    #[test]
    fn a_jpeg_cut_short_is_refused_even_with_a_complete_thumbnail_inside() {
        let whole =
            encode(&DecodedImage { pixels: DynamicImage::ImageRgb8(gradient()), format: ImageFormat::Jpeg, icc_profile: None }).unwrap();
        assert!(jpeg_has_end_marker(&whole));
        assert!(decode(&whole, ImageFormat::Jpeg, 1_000_000).is_ok());
        let cut = &whole[..whole.len() - 10];
        assert!(!jpeg_has_end_marker(cut));
        assert!(decode(cut, ImageFormat::Jpeg, 1_000_000).err().unwrap().to_string().contains("truncated"));
        // An APP1 segment carrying a complete JPEG (like an EXIF thumbnail) does not count.
        let app1 = [&[0xFF, 0xE1], &((whole.len() + 2) as u16).to_be_bytes()[..], &whole].concat();
        let with_thumbnail_then_cut = [&cut[..2], &app1, &cut[2..]].concat();
        assert!(!jpeg_has_end_marker(&with_thumbnail_then_cut));
    }

    #[test]
    fn multi_page_tiffs_are_refused_rather_than_cut_to_their_first_page() {
        let mut bytes = Cursor::new(Vec::new());
        let mut encoder = tiff::encoder::TiffEncoder::new(&mut bytes).unwrap();
        for _ in 0..2 {
            encoder.write_image::<tiff::encoder::colortype::RGB8>(40, 30, gradient().as_raw()).unwrap();
        }
        let err = decode(bytes.get_ref(), ImageFormat::Tiff, 1_000_000).err().unwrap().to_string();
        assert!(err.contains("multi-page"), "{err}");
    }

    #[test]
    fn icc_profile_is_kept() {
        let profile = super::icc::white_point_only();
        for format in [ImageFormat::Png, ImageFormat::Jpeg] {
            let image = DecodedImage { pixels: DynamicImage::ImageRgb8(gradient()), format, icc_profile: Some(profile.clone()) };
            let bytes = encode(&image).unwrap();
            assert_eq!(decode(&bytes, format, 1_000_000).unwrap().icc_profile, Some(profile.clone()), "{format:?}");
        }
    }
}
