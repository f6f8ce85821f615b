//! Symbols seen but not decoded: rxing reports a symbol it finds and cannot decode as it
//! reports nothing found, without saying where. Its detectors say where, and what they see
//! where nothing was decoded may hold anything: it is boxed.

use super::{outline, Barcode};
use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::{BarcodeFormat, DecodeHints, Point};

/// The points a detector gives for a symbol may be a QR code's finder centres, three and a
/// half modules inside its corners: a quarter of a small code's span.
const UNDECODED_MARGIN: f32 = 0.35;
/// A symbol a detector sees is the one decoded when this share of the smaller box is shared.
const SAME_SYMBOL_OVERLAP: f32 = 0.5;

/// The QR and Aztec codes that rxing's detectors see (three finder patterns; a bullseye whose
/// mode message checks out) where nothing was decoded. Not Data Matrix or PDF417: their
/// detectors take the edges of forms and photos for symbols (4 of the 81 dev images, none of
/// them a symbol), and each would be a box for a person to look at.
pub fn seen(matrix: &BitMatrix, decoded: &[Barcode]) -> Vec<Barcode> {
    let to_pairs = |points: &[Point]| points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>();
    let hints = DecodeHints { TryHarder: Some(true), ..Default::default() };
    let mut seen: Vec<(BarcodeFormat, Vec<(f32, f32)>)> = Vec::new();
    if let Ok(qr) = rxing::qrcode::detector::Detector::new(matrix).detect_with_hints(&hints) {
        seen.push((BarcodeFormat::QR_CODE, to_pairs(qr.getPoints())));
    }
    if let Ok(aztec) = rxing::aztec::detector::Detector::new(matrix).detect(false) {
        seen.push((BarcodeFormat::AZTEC, to_pairs(aztec.getPoints())));
    }
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    seen.into_iter()
        .filter_map(|(format, points)| outline(&points, UNDECODED_MARGIN, width, height).map(|bbox| (format, bbox)))
        .filter(|(_, bbox)| {
            !decoded.iter().any(|code| code.bbox.intersection(bbox) >= SAME_SYMBOL_OVERLAP * code.bbox.area().min(bbox.area()))
        })
        .map(|(format, bbox)| Barcode { bbox, format: format.to_string(), payload: None })
        .collect()
}
