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

/// A photo `make setup` fetched into `samples/`.
fn sample(name: &str) -> RgbImage {
    let path = repo_path(&format!("samples/{name}"));
    image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make setup` first)", path.display())).to_rgb8()
}

pub fn astronaut() -> RgbImage {
    sample("astronaut.png")
}

/// scikit-image's photo of a cat: no person.
pub fn cat() -> RgbImage {
    sample("chelsea.png")
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

/// The width of `text` drawn `height` pixels high in `FONT`.
pub fn text_width(text: &str, height: f32) -> u32 {
    let bytes = std::fs::read(FONT).unwrap_or_else(|e| panic!("{FONT}: {e} (run `make setup`)"));
    let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("a TrueType font");
    imageproc::drawing::text_size(height, &font, text).0
}

/// The size of [`wristband`]'s image, and so of [`burned_in_dicom`]'s frames.
pub const WRISTBAND_SIZE: (u32, u32) = (900, 400);

/// A patient wristband: dark text lines on a white band across a blue-grey background.
/// Returns the image and the box of each text line as drawn.
pub fn wristband(lines: &[&str], text_height: f32) -> (RgbImage, Vec<[u32; 4]>) {
    let bytes = std::fs::read(FONT).unwrap_or_else(|e| panic!("{FONT}: {e} (run `make setup`)"));
    let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("a TrueType font");
    let mut image = RgbImage::from_fn(WRISTBAND_SIZE.0, WRISTBAND_SIZE.1, |x, y| Rgb([90 + (x % 7) as u8, 110 + (y % 5) as u8, 140]));
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

/// The identifiers `burned_in_dicom` writes into its header (and, the first three, its pixels).
pub const DICOM_PATIENT: [&str; 3] = ["Name: DOE, JANE", "DOB: 03/14/1962", "MRN: 4471923"];
pub const DICOM_STUDY_UID: &str = "1.2.826.0.1.3680043.8.498.10001";

/// A multi-frame secondary-capture DICOM object, 12 bits stored in 16, whose frames show a
/// wristband with the patient's name, date of birth and MRN burned in (`lines`; none: plain
/// frames), and whose header names the same patient, a private attribute and an overlay plane
/// as scanners write them. Returns the file and the boxes of the burned-in identifiers (each
/// line's value, after its label).
pub fn burned_in_dicom(frames: u16, lines: &[&str], instance: u32) -> (Vec<u8>, Vec<[u32; 4]>) {
    use dicom_core::{DataElement, PrimitiveValue, VR};
    use dicom_dictionary_std::tags;
    use dicom_object::{meta::FileMetaTableBuilder, InMemDicomObject};

    const TEXT_HEIGHT: f32 = 30.0;
    let (band, line_boxes) = if lines.is_empty() {
        (RgbImage::from_pixel(WRISTBAND_SIZE.0, WRISTBAND_SIZE.1, Rgb([120, 120, 120])), Vec::new())
    } else {
        wristband(lines, TEXT_HEIGHT)
    };
    // The identifier in each line: what follows its label.
    let boxes = lines
        .iter()
        .zip(line_boxes)
        .map(|(line, [x, y, w, h])| {
            let label = line.find(": ").map_or(0, |at| text_width(&line[..at + 2], TEXT_HEIGHT));
            [x + label, y, w - label, h]
        })
        .collect();
    let (width, height) = band.dimensions();
    // Grey levels spread over 12 bits; each frame a little brighter, as a cine loop would be.
    let samples: Vec<u16> =
        (0..frames).flat_map(|frame| band.pixels().map(move |p| 40 + frame * 8 + u16::from(p[1]) * 15).collect::<Vec<_>>()).collect();
    let sop_instance = format!("1.2.826.0.1.3680043.8.498.2000{instance}");
    let text = |tag, vr, value: &str| DataElement::new(tag, vr, PrimitiveValue::from(value));
    let number = |tag, value: u16| DataElement::new(tag, VR::US, PrimitiveValue::from(value));
    let object = InMemDicomObject::from_element_iter([
        text(tags::SOP_CLASS_UID, VR::UI, "1.2.840.10008.5.1.4.1.1.7"),
        text(tags::SOP_INSTANCE_UID, VR::UI, &sop_instance),
        text(tags::STUDY_DATE, VR::DA, "20240611"),
        text(tags::ACCESSION_NUMBER, VR::SH, "A99812"),
        text(tags::MODALITY, VR::CS, "OT"),
        text(tags::INSTITUTION_NAME, VR::LO, "Mercy General Hospital"),
        text(tags::PATIENT_NAME, VR::PN, "DOE^JANE"),
        text(tags::PATIENT_ID, VR::LO, "4471923"),
        text(tags::PATIENT_BIRTH_DATE, VR::DA, "19620314"),
        text(tags::STUDY_INSTANCE_UID, VR::UI, DICOM_STUDY_UID),
        text(tags::SERIES_INSTANCE_UID, VR::UI, "1.2.826.0.1.3680043.8.498.10002"),
        text(tags::NUMBER_OF_FRAMES, VR::IS, &frames.to_string()),
        number(tags::SAMPLES_PER_PIXEL, 1),
        text(tags::PHOTOMETRIC_INTERPRETATION, VR::CS, "MONOCHROME2"),
        number(tags::ROWS, height as u16),
        number(tags::COLUMNS, width as u16),
        number(tags::BITS_ALLOCATED, 16),
        number(tags::BITS_STORED, 12),
        number(tags::HIGH_BIT, 11),
        number(tags::PIXEL_REPRESENTATION, 0),
        text(tags::BURNED_IN_ANNOTATION, VR::CS, "YES"),
        text(dicom_core::Tag(0x0009, 0x0010), VR::LO, "ACME IMAGING"),
        text(dicom_core::Tag(0x0009, 0x1001), VR::LO, "DOE JANE 4471923"),
        number(dicom_core::Tag(0x6000, 0x0010), 8),
        number(dicom_core::Tag(0x6000, 0x0011), 8),
        DataElement::new(dicom_core::Tag(0x6000, 0x3000), VR::OW, PrimitiveValue::U8(vec![0xFF; 8].into())),
        DataElement::new(tags::PIXEL_DATA, VR::OW, PrimitiveValue::U16(samples.into())),
    ]);
    let meta = FileMetaTableBuilder::new()
        .media_storage_sop_class_uid("1.2.840.10008.5.1.4.1.1.7")
        .media_storage_sop_instance_uid(sop_instance)
        .transfer_syntax("1.2.840.10008.1.2.1")
        .build()
        .expect("a file meta header");
    let mut file = Vec::new();
    object.with_exact_meta(meta).write_all(&mut file).expect("a DICOM file");
    (file, boxes)
}
