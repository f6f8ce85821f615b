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
/// A QR code's grid, sampled where the detector put it, shows its three finder patterns in at
/// least this share of their modules: a damaged or blurred symbol keeps them (the detector
/// found them), while three specks of noise or print taken for finder centres far apart give
/// a grid of chance modules, about half of them right.
const LEAST_FINDER_MATCH: f32 = 0.8;

/// The QR and Aztec codes that rxing's detectors see (three finder patterns; a bullseye whose
/// mode message checks out) where nothing was decoded. Not Data Matrix or PDF417: their
/// detectors take the edges of forms and photos for symbols (4 of the 81 dev images, none of
/// them a symbol), and each would be a box for a person to look at.
pub fn seen(matrix: &BitMatrix, decoded: &[Barcode]) -> Vec<Barcode> {
    let to_pairs = |points: &[Point]| points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>();
    let hints = DecodeHints { TryHarder: Some(true), ..Default::default() };
    let mut seen: Vec<(BarcodeFormat, Vec<(f32, f32)>)> = Vec::new();
    if let Ok(qr) = rxing::qrcode::detector::Detector::new(matrix).detect_with_hints(&hints) {
        if finder_match(qr.getBits()) >= LEAST_FINDER_MATCH {
            seen.push((BarcodeFormat::QR_CODE, to_pairs(qr.getPoints())));
        }
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

/// The share of a sampled QR grid's finder-pattern modules (three corners of 7x7: a dark ring,
/// a light ring, a dark 3x3 centre) that are as the pattern has them.
fn finder_match(grid: &BitMatrix) -> f32 {
    let side = grid.getWidth().min(grid.getHeight());
    if side < 21 {
        return 0.0;
    }
    let far = side - 7;
    let mut right = 0;
    for (left, top) in [(0, 0), (far, 0), (0, far)] {
        for row in 0..7 {
            for column in 0..7 {
                let ring = row.min(column).min(6 - row).min(6 - column);
                right += usize::from(grid.get(left + column, top + row) == (ring != 1));
            }
        }
    }
    right as f32 / (3 * 49) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use rxing::{EncodeHints, MultiFormatWriter, Writer};

    #[test]
    fn a_qr_codes_own_grid_shows_its_finder_patterns() {
        let hints = EncodeHints { Margin: Some("0".into()), ..Default::default() };
        let symbol = MultiFormatWriter.encode_with_hints("MRN:00482913", &BarcodeFormat::QR_CODE, 21, 21, &hints).expect("encode");
        assert_eq!(finder_match(&symbol), 1.0);
    }

    #[test]
    fn a_grid_of_chance_modules_does_not() {
        let mut grid = BitMatrix::new(25, 25).unwrap();
        let mut state = 0x2545_f491_u32;
        for y in 0..25 {
            for x in 0..25 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                if state & 1 == 1 {
                    grid.set(x, y);
                }
            }
        }
        let share = finder_match(&grid);
        assert!((0.3..LEAST_FINDER_MATCH).contains(&share), "{share}");
    }
}
