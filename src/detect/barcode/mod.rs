//! Barcodes: every symbology rxing reads that can hold a patient's data, found and decoded. On
//! a wristband or specimen label the payload is usually the medical record number, so it is
//! scored like text and the whole symbol is boxed when it carries PHI. A 2-D symbol that rxing's detectors see but that
//! cannot be decoded (damaged, blurred, partly covered) is reported undecoded: what it holds
//! cannot be ruled out, so it is boxed too.

mod linear;
mod undecoded;

use crate::geometry::{points_bbox, BBox};
use crate::media::resize::resize;
use anyhow::Result;
use image::{imageops, RgbImage};
use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiUseMultiFormatReader};
use std::collections::HashSet;

/// A symbol found: where it is, what kind, and what it says (`None`: found, not decoded).
#[derive(Debug, Clone, PartialEq)]
pub struct Barcode {
    pub bbox: BBox,
    pub format: String,
    pub payload: Option<String>,
}

/// Finds and decodes the barcodes in an upright RGB image.
pub trait BarcodeReader {
    fn barcodes(&mut self, image: &RgbImage) -> Result<Vec<Barcode>>;
}

/// The passes over an image, one per 2-D symbology (rxing's multi-format pass can drop a 1-D
/// code that lies inside the outline it computes for a 2-D one) and one for the 1-D codes
/// (rxing's 1-D reader tries them all along the same scan lines). Every 2-D symbology rxing
/// reads; of the 1-D ones, those that carry a patient's or a specimen's data: Code 128, Code 39,
/// Codabar (blood banks, laboratories), ITF, EAN-13 and UPC-A. Not the product, library and
/// parcel codes, which hold none and would cost a tenth of a run more (the 1-D pass scans
/// every row once per symbology: Code 93, GS1 DataBar and Telepen took it from 0.9 s to 1.5 s
/// over the dev images), nor EAN-8 and UPC-E, whose eight digits with one check digit decode
/// by chance along lines of print and across pictures (in 6 of the 81 dev images: a typed
/// page, a cartoon, forms and licences; none holds one).
const PASSES: [&[BarcodeFormat]; 6] = {
    use BarcodeFormat::*;
    [&[QR_CODE, MICRO_QR_CODE], &[DATA_MATRIX], &[PDF_417], &[AZTEC], &[MAXICODE], &[CODE_128, CODE_39, CODABAR, ITF, EAN_13, UPC_A]]
};
/// Larger images are searched shrunk to this many pixels: a symbol in a photo this size is
/// still many pixels per module, and the search time grows with the pixel count.
const MAX_PIXELS: f32 = 3_000_000.0;
/// A MaxiCode symbol is 30 modules wide and 33 high: no image narrower or lower holds one,
/// and rxing's MaxiCode search never ends on an image under 13 pixels wide and over 12 high
/// (a DICOM test object, 10x45, held a run for good).
const MAXICODE_LEAST_SIDE: u32 = 30;
/// Quiet zone and a margin for a slightly misplaced outline, as a share of the symbol's size.
const MARGIN: f32 = 0.1;

#[derive(Debug, Default)]
pub struct RxingBarcodes;

impl BarcodeReader for RxingBarcodes {
    fn barcodes(&mut self, image: &RgbImage) -> Result<Vec<Barcode>> {
        let pixels = image.width() as f32 * image.height() as f32;
        let scale = (MAX_PIXELS / pixels).sqrt().min(1.0);
        let mut luma = imageops::grayscale(image);
        if scale < 1.0 {
            let size = |side: u32| ((side as f32 * scale).round() as u32).max(1);
            luma = resize(&luma, size(image.width()), size(image.height()))?;
        }
        let (width, height) = luma.dimensions();
        // Thresholded once, for every pass (each leaves it as it found it).
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(Luma8LuminanceSource::new(luma.into_raw(), width, height)?));
        let mut found = Vec::new();
        let holds_maxicode = width.min(height) >= MAXICODE_LEAST_SIDE;
        for formats in PASSES.iter().filter(|formats| holds_maxicode || !formats.contains(&BarcodeFormat::MAXICODE)) {
            let hints = DecodeHints {
                TryHarder: Some(true),
                AlsoInverted: Some(true),
                PossibleFormats: Some(HashSet::from_iter(formats.iter().copied())),
                ..Default::default()
            };
            let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
            // rxing reports "nothing found" as an error, and a symbol found but not decoded
            // the same way, without saying where: `seen_undecoded` looks for those.
            let results = reader.decode_multiple_with_hints(&mut bitmap, &hints).unwrap_or_default();
            for result in results {
                let mut points: Vec<(f32, f32)> = result.getPoints().iter().map(|p| (p.x, p.y)).collect();
                if let [start, end] = points[..] {
                    points = linear::bars(bitmap.get_black_matrix(), start, end);
                }
                if let Some(bbox) = outline(&points, MARGIN, width, height) {
                    let (format, payload) = (result.getBarcodeFormat().to_string(), Some(result.getText().to_string()));
                    found.push(Barcode { bbox, format, payload });
                }
            }
        }
        let undecoded = undecoded::seen(bitmap.get_black_matrix(), &found);
        found.extend(undecoded);
        Ok(found.into_iter().map(|code| Barcode { bbox: code.bbox.unscale(scale, 0.0, 0.0), ..code }).collect())
    }
}

/// The box around a symbol's points, grown by `margin` of its size on each side.
pub(super) fn outline(points: &[(f32, f32)], margin: f32, width: u32, height: u32) -> Option<BBox> {
    let b = points_bbox(points);
    if !b.x0.is_finite() {
        return None;
    }
    let margin = margin * b.width().max(b.height());
    Some(BBox { x0: b.x0 - margin, y0: b.y0 - margin, x1: b.x1 + margin, y1: b.y1 + margin }.clipped_to(width, height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;
    use rxing::{EncodeHints, MultiFormatWriter, Writer};

    /// Draws the symbol at (x, y) and returns the box of its ink.
    fn draw(canvas: &mut RgbImage, payload: &str, format: BarcodeFormat, size: (i32, i32), at: (u32, u32)) -> BBox {
        let hints = EncodeHints { Margin: Some("2".into()), ..Default::default() };
        let matrix = MultiFormatWriter.encode_with_hints(payload, &format, size.0, size.1, &hints).expect("encode");
        let mut ink = BBox { x0: f32::MAX, y0: f32::MAX, x1: 0.0, y1: 0.0 };
        for y in 0..matrix.height() {
            for x in 0..matrix.width() {
                if matrix.get(x, y) {
                    let (px, py) = (at.0 + x, at.1 + y);
                    canvas.put_pixel(px, py, Rgb([0, 0, 0]));
                    ink = BBox {
                        x0: ink.x0.min(px as f32),
                        y0: ink.y0.min(py as f32),
                        x1: ink.x1.max(px as f32 + 1.0),
                        y1: ink.y1.max(py as f32 + 1.0),
                    };
                }
            }
        }
        ink
    }

    /// A symbol to draw: payload, format, size and where.
    type Symbol<'a> = (&'a str, BarcodeFormat, (i32, i32), (u32, u32));

    /// Draws `symbols` on a white canvas and checks that each is found, decoded and outlined.
    fn each_is_found_decoded_and_outlined(canvas_size: (u32, u32), symbols: &[Symbol]) {
        let mut canvas = RgbImage::from_pixel(canvas_size.0, canvas_size.1, Rgb([255, 255, 255]));
        let drawn: Vec<BBox> = symbols.iter().map(|&(text, format, size, at)| draw(&mut canvas, text, format, size, at)).collect();
        let found = RxingBarcodes.barcodes(&canvas).unwrap();
        for ((payload, format, _, _), truth) in symbols.iter().zip(&drawn) {
            let code = found
                .iter()
                .find(|c| c.payload.as_deref() == Some(*payload) && c.format == format.to_string())
                .unwrap_or_else(|| panic!("{format} {payload} not found in {found:?}"));
            // The outline covers the symbol (bars of a 1-D code included).
            let covered = code.bbox.intersection(truth) / truth.area();
            assert!(covered > 0.99, "{payload}: {covered} of the symbol covered by {:?} (truth {truth:?})", code.bbox);
        }
        assert!(found.iter().all(|c| c.payload.is_some()), "every symbol was decoded: {found:?}");
    }

    #[test]
    fn each_matrix_format_is_found_decoded_and_outlined() {
        each_is_found_decoded_and_outlined(
            (900, 700),
            &[
                ("MRN:00482913", BarcodeFormat::QR_CODE, (160, 160), (40, 40)),
                ("00482913", BarcodeFormat::CODE_128, (300, 80), (300, 60)),
                ("ACC 7734-2219", BarcodeFormat::DATA_MATRIX, (120, 120), (40, 400)),
                ("SMITH^JOHN 19620314", BarcodeFormat::PDF_417, (420, 140), (400, 420)),
            ],
        );
    }

    /// The codes of wristbands, specimen labels and drug packs other than the four above. The Aztec code
    /// sits in the middle: rxing's Aztec search starts from the image's centre (docs/guide.md).
    #[test]
    fn aztec_and_every_linear_format_are_found_decoded_and_outlined() {
        each_is_found_decoded_and_outlined(
            (1000, 780),
            &[
                ("MRN 00482913", BarcodeFormat::AZTEC, (150, 150), (425, 305)),
                ("A0048291", BarcodeFormat::CODE_39, (420, 80), (40, 40)),
                ("48291", BarcodeFormat::CODABAR, (300, 80), (40, 300)),
                ("00482913", BarcodeFormat::ITF, (300, 80), (640, 300)),
                ("4006381333931", BarcodeFormat::EAN_13, (240, 150), (40, 560)),
            ],
        );
    }

    #[test]
    fn a_symbol_seen_but_not_decodable_is_reported_undecoded() {
        let mut canvas = RgbImage::from_pixel(400, 400, Rgb([255, 255, 255]));
        let symbol = draw(&mut canvas, "MRN:00482913 SMITH JOHN", BarcodeFormat::QR_CODE, (200, 200), (100, 100));
        // Smudge the middle, past what its error correction mends; the finder patterns stay.
        let (x0, y0) = (symbol.x0 as u32, symbol.y0 as u32);
        let side = symbol.width() as u32;
        for y in y0 + side * 2 / 5..y0 + side * 3 / 5 {
            for x in x0 + side * 2 / 5..x0 + side * 3 / 5 {
                let speckle = (x * 7 + y * 13) % 5 < 2;
                canvas.put_pixel(x, y, if speckle { Rgb([0, 0, 0]) } else { Rgb([255, 255, 255]) });
            }
        }
        let found = RxingBarcodes.barcodes(&canvas).unwrap();
        let undecoded: Vec<_> = found.iter().filter(|c| c.payload.is_none()).collect();
        assert_eq!(undecoded.len(), 1, "{found:?}");
        assert!(undecoded[0].bbox.intersection(&symbol) / symbol.area() > 0.99, "{found:?} vs {symbol:?}");
    }

    #[test]
    fn a_blank_page_has_no_barcodes() {
        assert!(RxingBarcodes.barcodes(&RgbImage::from_pixel(300, 200, Rgb([255, 255, 255]))).unwrap().is_empty());
    }

    #[test]
    fn slivers_of_images_are_searched_to_the_end() {
        // rxing's MaxiCode search looped for ever on these; a thread, so that a hang fails.
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (width, height) in [(10, 45), (1, 200), (12, 20), (45, 10), (29, 400)] {
                let sliver = RgbImage::from_pixel(width, height, Rgb([128, 128, 128]));
                assert!(RxingBarcodes.barcodes(&sliver).unwrap().is_empty());
            }
            done.send(()).unwrap();
        });
        finished.recv_timeout(std::time::Duration::from_secs(120)).expect("the search did not end");
    }
}
