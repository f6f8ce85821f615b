//! Barcodes: QR, Code128, DataMatrix and PDF417, found and decoded with rxing. On a wristband
//! or specimen label the payload is usually the medical record number, so it is scored like
//! text and the whole symbol is boxed when it carries PHI.

use super::{points_bbox, BBox};
use crate::media::resize::resize;
use anyhow::Result;
use image::{imageops, RgbImage};
use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiUseMultiFormatReader};
use std::collections::HashSet;

/// A decoded symbol: where it is, what kind, and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Barcode {
    pub bbox: BBox,
    pub format: String,
    pub payload: String,
}

/// Finds and decodes the barcodes in an upright RGB image.
pub trait BarcodeReader {
    fn barcodes(&mut self, image: &RgbImage) -> Result<Vec<Barcode>>;
}

const FORMATS: [BarcodeFormat; 4] = [BarcodeFormat::QR_CODE, BarcodeFormat::CODE_128, BarcodeFormat::DATA_MATRIX, BarcodeFormat::PDF_417];
/// Larger images are searched shrunk to this many pixels: a symbol in a photo this size is
/// still many pixels per module, and the search time grows with the pixel count.
const MAX_PIXELS: f32 = 3_000_000.0;
/// Quiet zone and a margin for a slightly misplaced outline, as a share of the symbol's size.
const MARGIN: f32 = 0.1;
/// A 1-D code is reported as the two ends of one scan line, which can stop short of the outer
/// bars: the line is lengthened by this share at each end, and its bars are assumed
/// `BAR_HEIGHT_EACH_SIDE` of its length tall above and below it.
const SCAN_LINE_STOPS_SHORT: f32 = 0.1;
const BAR_HEIGHT_EACH_SIDE: f32 = 0.3;

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
        // Thresholded once, for every format (the passes leave it as they found it).
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(Luma8LuminanceSource::new(luma.into_raw(), width, height)?));
        // One pass per format: rxing's multi-format pass can drop a 1-D code that lies inside
        // the outline it computes for a 2-D one.
        let mut found = Vec::new();
        for format in FORMATS {
            let hints = DecodeHints {
                TryHarder: Some(true),
                AlsoInverted: Some(true),
                PossibleFormats: Some(HashSet::from([format])),
                ..Default::default()
            };
            let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
            // rxing reports "nothing found" as an error.
            let results = reader.decode_multiple_with_hints(&mut bitmap, &hints).unwrap_or_default();
            for result in results {
                let points: Vec<(f32, f32)> = result.getPoints().iter().map(|p| (p.x, p.y)).collect();
                if let Some(bbox) = outline(&points, width, height).map(|b| b.unscale(scale, 0.0, 0.0)) {
                    found.push(Barcode { bbox, format: result.getBarcodeFormat().to_string(), payload: result.getText().to_string() });
                }
            }
        }
        Ok(found)
    }
}

/// The box around a symbol's points, grown by its quiet zone; a 1-D code's scan line is grown
/// to the height of its bars.
fn outline(points: &[(f32, f32)], width: u32, height: u32) -> Option<BBox> {
    let mut b = points_bbox(points);
    if !b.x0.is_finite() {
        return None;
    }
    if points.len() <= 2 {
        let length = b.width().max(b.height());
        let (along, across) = (SCAN_LINE_STOPS_SHORT * length, BAR_HEIGHT_EACH_SIDE * length);
        b = if b.width() >= b.height() {
            BBox { x0: b.x0 - along, x1: b.x1 + along, y0: b.y0 - across, y1: b.y1 + across }
        } else {
            BBox { x0: b.x0 - across, x1: b.x1 + across, y0: b.y0 - along, y1: b.y1 + along }
        };
    }
    let margin = MARGIN * b.width().max(b.height());
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

    #[test]
    fn each_format_is_found_decoded_and_outlined() {
        let mut canvas = RgbImage::from_pixel(900, 700, Rgb([255, 255, 255]));
        let symbols = [
            ("MRN:00482913", BarcodeFormat::QR_CODE, (160, 160), (40, 40)),
            ("00482913", BarcodeFormat::CODE_128, (300, 80), (300, 60)),
            ("ACC 7734-2219", BarcodeFormat::DATA_MATRIX, (120, 120), (40, 400)),
            ("SMITH^JOHN 19620314", BarcodeFormat::PDF_417, (420, 140), (400, 420)),
        ];
        let drawn: Vec<BBox> = symbols.iter().map(|&(text, format, size, at)| draw(&mut canvas, text, format, size, at)).collect();
        let found = RxingBarcodes.barcodes(&canvas).unwrap();
        for ((payload, _, _, _), truth) in symbols.iter().zip(&drawn) {
            let code = found.iter().find(|c| c.payload == *payload).unwrap_or_else(|| panic!("{payload} not found in {found:?}"));
            // The outline covers the symbol (bars of a 1-D code included).
            let covered = code.bbox.intersection(truth) / truth.area();
            assert!(covered > 0.99, "{payload}: {covered} of the symbol covered by {:?} (truth {truth:?})", code.bbox);
        }
    }

    #[test]
    fn a_blank_page_has_no_barcodes() {
        assert!(RxingBarcodes.barcodes(&RgbImage::from_pixel(300, 200, Rgb([255, 255, 255]))).unwrap().is_empty());
    }
}
