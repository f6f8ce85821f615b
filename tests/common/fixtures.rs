//! Images the project makes itself, for tests and for `samples/`: a "crowd" of real faces at
//! known positions and sizes, and phone-style JPEGs and HEICs carrying EXIF orientation, GPS
//! and an embedded thumbnail. Built from the public-domain astronaut photo that set-up fetches.
#![allow(dead_code)]

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use image::{imageops, Rgb, RgbImage};
use libheif_rs::{Channel, ColorSpace, CompressionFormat, EncoderQuality, HeifContext, Image, LibHeif, RgbChroma};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The astronaut's head in `samples/astronaut.png`, `[x, y, w, h]` (CenterFace finds the face
/// at about (181, 58)-(270, 178); this adds hair and chin).
pub const ASTRONAUT_HEAD: [u32; 4] = [165, 35, 120, 155];

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn astronaut() -> RgbImage {
    let path = repo_path("samples/astronaut.png");
    image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make setup` first)", path.display())).to_rgb8()
}

/// The top 512x384 of the astronaut photo: landscape, so a wrong orientation shows in the size.
pub fn astronaut_landscape() -> RgbImage {
    imageops::crop_imm(&astronaut(), 0, 0, 512, 384).to_image()
}

/// A light, slightly textured background with copies of the astronaut's head pasted at the
/// given sizes (head heights in pixels), left to right, top to bottom. Returns the image and
/// each head's `[x, y, w, h]`.
pub fn crowd(head_heights: &[u32]) -> (RgbImage, Vec<[u32; 4]>) {
    let source = astronaut();
    let [hx, hy, hw, hh] = ASTRONAUT_HEAD;
    let head = imageops::crop_imm(&source, hx, hy, hw, hh).to_image();
    let mut canvas = RgbImage::from_fn(1024, 768, |x, y| {
        let v = 200 + ((x * 7 + y * 13) % 23) as u8;
        Rgb([v, v - 5, v - 10])
    });
    let (mut x, mut y, mut row_height) = (20u32, 20u32, 0u32);
    let mut boxes = Vec::new();
    for &height in head_heights {
        let width = height * hw / hh;
        if x + width + 20 > canvas.width() {
            x = 20;
            y += row_height + 30;
            row_height = 0;
        }
        let scaled = imageops::resize(&head, width, height, imageops::FilterType::Lanczos3);
        imageops::replace(&mut canvas, &scaled, i64::from(x), i64::from(y));
        boxes.push([x, y, width, height]);
        x += width + 40;
        row_height = row_height.max(height);
    }
    (canvas, boxes)
}

/// A font every machine set up by `make setup` has (Debian's fonts-dejavu-core).
pub const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// A patient wristband: dark text lines on a white band across a blue-grey background.
/// Returns the image and the box of each text line as drawn.
pub fn wristband(lines: &[&str], text_height: f32) -> (RgbImage, Vec<[u32; 4]>) {
    let bytes = std::fs::read(FONT).unwrap_or_else(|e| panic!("{FONT}: {e} (run `make setup`)"));
    let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("a TrueType font");
    let mut image = RgbImage::from_fn(900, 400, |x, y| Rgb([90 + (x % 7) as u8, 110 + (y % 5) as u8, 140]));
    let band_height = (lines.len() as f32 * text_height * 1.6 + text_height) as u32;
    imageproc::drawing::draw_filled_rect_mut(
        &mut image,
        imageproc::rect::Rect::at(40, 120).of_size(820, band_height),
        Rgb([245, 245, 240]),
    );
    let mut boxes = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let y = 120 + (text_height * 0.5 + i as f32 * text_height * 1.6) as i32;
        imageproc::drawing::draw_text_mut(&mut image, Rgb([20, 20, 30]), 60, y, text_height, &font, line);
        let (w, h) = imageproc::drawing::text_size(text_height, &font, line);
        boxes.push([60, y as u32, w, h]);
    }
    (image, boxes)
}

/// A JPEG whose pixels are stored rotated 90 degrees counter-clockwise with EXIF Orientation 6
/// ("rotate 90 clockwise to display"), as phones write them, plus GPS coordinates, a capture
/// date, a camera serial number and an embedded thumbnail of the unredacted photo.
pub fn phone_jpeg(upright: &RgbImage) -> Vec<u8> {
    let stored = imageops::rotate270(upright);
    let main = encode_jpeg(&stored, 92);
    let thumbnail = encode_jpeg(&imageops::thumbnail(&stored, 120, 120), 80);
    let exif = exif_block(&thumbnail);
    splice_app1(&main, &exif)
}

fn encode_jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(image).unwrap();
    out
}

fn exif_block(thumbnail: &[u8]) -> Vec<u8> {
    let degrees = |d: u32, m: u32, s: u32| Value::Rational(vec![Rational::from((d, 1)), Rational::from((m, 1)), Rational::from((s, 1))]);
    let fields = [
        Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![6]) },
        Field { tag: Tag::Make, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"PhoneMaker".to_vec()]) },
        Field { tag: Tag::BodySerialNumber, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"SN-4711-PATIENT-CAM".to_vec()]) },
        Field { tag: Tag::DateTimeOriginal, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"2026:03:14 09:26:53".to_vec()]) },
        Field { tag: Tag::GPSLatitudeRef, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"N".to_vec()]) },
        Field { tag: Tag::GPSLatitude, ifd_num: In::PRIMARY, value: degrees(42, 21, 30) },
        Field { tag: Tag::GPSLongitudeRef, ifd_num: In::PRIMARY, value: Value::Ascii(vec![b"W".to_vec()]) },
        Field { tag: Tag::GPSLongitude, ifd_num: In::PRIMARY, value: degrees(71, 3, 49) },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    writer.set_jpeg(thumbnail, In::THUMBNAIL);
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    tiff.into_inner()
}

/// A HEIC as converters write a phone photo: stored a quarter turn back, with the turn in its
/// EXIF orientation (6) rather than in the container, and GPS coordinates, a camera serial
/// number and a thumbnail in the EXIF, and an XMP packet carrying [`XMP_MARKER`].
pub fn phone_heic(upright: &RgbImage) -> Vec<u8> {
    let stored = imageops::rotate270(upright);
    let exif = exif_block(&encode_jpeg(&imageops::thumbnail(&stored, 120, 120), 80));
    heif(&stored, CompressionFormat::Hevc, 1, Some(&exif))
}

/// What the container says besides the pixels: it must not reach the copy.
pub const XMP_MARKER: &[u8] = b"PATIENT-GPS-42.3583";

/// A HEIF holding `stored` `copies` times over, coded as `format`, each with an XMP packet
/// carrying [`XMP_MARKER`] and `exif` (a TIFF block) if given.
pub fn heif(stored: &RgbImage, format: CompressionFormat, copies: usize, exif: Option<&[u8]>) -> Vec<u8> {
    let library = LibHeif::new();
    let mut encoder = library.encoder_for_format(format).expect("libheif's encoder (run `make setup`)");
    encoder.set_quality(EncoderQuality::Lossy(90)).unwrap();
    let (width, height) = stored.dimensions();
    let mut image = Image::new(width, height, ColorSpace::Rgb(RgbChroma::Rgb)).unwrap();
    image.create_plane(Channel::Interleaved, width, height, 8).unwrap();
    let plane = image.planes_mut().interleaved.unwrap();
    let row = width as usize * 3;
    for (y, line) in stored.as_raw().chunks(row).enumerate() {
        plane.data[y * plane.stride..y * plane.stride + row].copy_from_slice(line);
    }
    let mut context = HeifContext::new().unwrap();
    for _ in 0..copies {
        let handle = context.encode_image(&image, &mut encoder, None).unwrap();
        let xmp = [b"<x:xmpmeta><rdf:Description note=\"".as_slice(), XMP_MARKER, b"\"/></x:xmpmeta>"].concat();
        context.add_xmp_metadata(&handle, &xmp).unwrap();
        if let Some(exif) = exif {
            context.add_exif_metadata(&handle, exif).unwrap();
        }
    }
    context.write_to_bytes().unwrap()
}

/// Inserts an `Exif` APP1 segment right after the JPEG's start-of-image marker.
fn splice_app1(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let payload = [b"Exif\0\0".as_slice(), tiff].concat();
    let length = u16::try_from(payload.len() + 2).expect("EXIF block fits one segment");
    [&jpeg[..2], &[0xFF, 0xE1], &length.to_be_bytes(), &payload, &jpeg[2..]].concat()
}

/// A tiny PNG declaring a `width` x `height` RGB canvas, with a token of compressed data:
/// the shape of a decompression bomb, without the gigabytes it would inflate to.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    png_with_profile(width, height, None)
}

/// A PNG of `width`x`height` black pixels declared (and no pixel data), with an iCCP chunk that
/// inflates to `profile_bytes` zeros when given: a colour-profile bomb.
pub fn png_with_profile(width: u32, height: u32, profile_bytes: Option<usize>) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let empty_zlib_stream = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    let iccp = profile_bytes.map(|len| {
        let mut encoder = flate2::write::ZlibEncoder::new(b"icc\0\0".to_vec(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        (0..len >> 20).for_each(|_| std::io::Write::write_all(&mut encoder, &zeros).unwrap());
        encoder.finish().unwrap()
    });
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunks =
        [(b"IHDR", Some(header.as_slice())), (b"iCCP", iccp.as_deref()), (b"IDAT", Some(&empty_zlib_stream)), (b"IEND", Some(&[]))];
    for (kind, data) in chunks.into_iter().filter_map(|(kind, data)| Some((kind, data?))) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let chunk = [kind.as_slice(), data].concat();
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    }
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
