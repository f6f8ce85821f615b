//! A text box fitted to its ink, above and below.
//!
//! The text detector's outline is its shrunken word core grown back by a fixed share: about
//! twice the height of the print on most pages, but on a blurred or slanted line it can cut
//! the tops of capitals or a descender. The rows of ink across the part say where the print
//! really is; the box then covers those rows and the margin `text_redaction` adds.
//!
//! Measured against the outlines as detected: validation recall unchanged (2511 of 2586),
//! over-redaction 5.63% -> 5.32%, boxes matching no label 974 -> 953 (they cover less of the
//! labels around them); tune 1283 -> 1285 of 1330, 5.19% -> 4.58%; dev 5.71% -> 5.38%.

use super::{grown_quad, MARGIN_OF_HEIGHT, MARGIN_PX};
use crate::geometry::{distance, midpoint, Quad};
use crate::ocr::{band_of_line, straighten};
use image::RgbImage;

/// How far beyond its outline, above and below, a part's ink is looked for (a share of the
/// outline's height): print cut by the outline goes on there.
const SEARCH_SHARE: f32 = 0.5;
/// Ink must stand out from the ground by at least this many grey levels somewhere in the part
/// (at its 99th percentile), or the part is left as outlined: faint print on noise has no rows
/// to trust.
const MIN_INK_CONTRAST: f32 = 40.0;
/// A pixel is ink when it differs from the ground by this share of that contrast.
const INK_SHARE_OF_CONTRAST: f32 = 0.4;
/// A row holds ink when this share of its pixels, and at least `MIN_INK_PIXELS`, are ink.
const ROW_INK_SHARE: f32 = 0.01;
const MIN_INK_PIXELS: usize = 2;
/// A band of ink less than this share of the outline's height is not the print but a rule or
/// a smudge beside fainter print: the outline is kept.
const MIN_BAND_SHARE: f32 = 0.45;
/// Outlines thinner than this many pixels are too small to fit.
const MIN_HEIGHT_PX: f32 = 6.0;

/// `outline` (corners in reading order) moved above and below to the rows of ink it holds,
/// with the ink that runs on beyond it; unchanged where the ink is unclear.
pub fn fitted_to_ink(image: &RgbImage, outline: &Quad) -> Quad {
    let height = distance(midpoint(outline[0], outline[1]), midpoint(outline[3], outline[2]));
    if height < MIN_HEIGHT_PX {
        return *outline;
    }
    let search = grown_quad(outline, 0.0, SEARCH_SHARE);
    let Ok(strip) = straighten(image, &search) else {
        return *outline;
    };
    let rows = ink_rows(&strip);
    let scale = rows.len() as f32 / (height * (1.0 + 2.0 * SEARCH_SHARE));
    let core_start = (SEARCH_SHARE * height * scale).round() as usize;
    let core_end = (((1.0 + SEARCH_SHARE) * height * scale).round() as usize).min(rows.len());
    let Some((top, bottom)) = ink_band(&rows, core_start..core_end) else {
        return *outline;
    };
    if ((bottom - top) as f32) < MIN_BAND_SHARE * height * scale {
        return *outline;
    }
    // Another line's ink within the margin the outline would get: the box stays as it was,
    // covering it. A line beside PHI often holds more of it, read too poorly to be found (a
    // date glued to the next, a name's period read for its comma); fitted on one side only,
    // validation lost one such string, and fitted on both, eight.
    let margin = ((MARGIN_PX + MARGIN_OF_HEIGHT * height) * scale).round() as usize;
    let reach_top = core_start.saturating_sub(margin).min(top);
    let reach_bottom = (core_end + margin).min(rows.len()).max(bottom);
    if rows[reach_top..top].contains(&true) || rows[bottom..reach_bottom].contains(&true) {
        return *outline;
    }
    let fraction = |row: usize| row as f32 / rows.len() as f32;
    band_of_line(&search, fraction(top), fraction(bottom))
}

/// For each row of `strip`, whether it holds ink; all false when no ink stands out.
fn ink_rows(strip: &RgbImage) -> Vec<bool> {
    // Rec. 601 luma, as `image` weighs it, but not rounded to whole grey levels: a faint
    // stroke's difference from the ground is a few levels, and the figures above were
    // measured so.
    let luma: Vec<f32> = strip.pixels().map(|p| 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])).collect();
    let ground = percentile(&luma, 0.5);
    let differences: Vec<f32> = luma.iter().map(|value| (value - ground).abs()).collect();
    let contrast = percentile(&differences, 0.99);
    let width = strip.width() as usize;
    if contrast < MIN_INK_CONTRAST || width == 0 {
        return vec![false; strip.height() as usize];
    }
    let needed = MIN_INK_PIXELS.max((ROW_INK_SHARE * width as f32).ceil() as usize);
    differences
        .chunks(width)
        .map(|row| row.iter().filter(|&&difference| difference >= INK_SHARE_OF_CONTRAST * contrast).count() >= needed)
        .collect()
}

/// The rows, as `top..bottom`, from the first to the last row of ink in `core`, each end run
/// on through the ink that continues beyond it; `None` when `core` holds no ink.
fn ink_band(rows: &[bool], core: std::ops::Range<usize>) -> Option<(usize, usize)> {
    let first = core.clone().find(|&row| rows[row])?;
    let last = core.rev().find(|&row| rows[row])?;
    let top = (0..first).rev().take_while(|&row| rows[row]).last().unwrap_or(first);
    let bottom = (last + 1..rows.len()).take_while(|&row| rows[row]).last().unwrap_or(last) + 1;
    Some((top, bottom))
}

/// The value below which `share` of `values` lie (0 for none), found without sorting them all:
/// a blotch the detector took for one line can hold millions of pixels.
fn percentile(values: &[f32], share: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let at = ((values.len() as f32 * share) as usize).min(values.len() - 1);
    *values.to_vec().select_nth_unstable_by(at, f32::total_cmp).1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::quad_bbox;
    use image::Rgb;

    /// A white page with print from row `top` to `bottom`, columns 20..180: black strokes
    /// every fourth column, as much ink as letters hold.
    fn page_with_print(top: u32, bottom: u32) -> RgbImage {
        RgbImage::from_fn(200, 100, |x, y| {
            let ink = (20..180).contains(&x) && (top..bottom).contains(&y) && x % 4 == 0;
            if ink {
                Rgb([0, 0, 0])
            } else {
                Rgb([255, 255, 255])
            }
        })
    }

    fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Quad {
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    }

    #[test]
    fn an_outline_twice_the_print_shrinks_to_it() {
        let fitted = quad_bbox(&fitted_to_ink(&page_with_print(40, 60), &rect(20.0, 30.0, 180.0, 70.0)));
        assert!((fitted.y0 - 40.0).abs() <= 1.0 && (fitted.y1 - 60.0).abs() <= 1.0, "{fitted:?}");
        assert_eq!((fitted.x0, fitted.x1), (20.0, 180.0), "the ends stay where they were");
    }

    #[test]
    fn an_outline_that_cuts_the_print_grows_to_it() {
        let fitted = quad_bbox(&fitted_to_ink(&page_with_print(40, 60), &rect(20.0, 45.0, 180.0, 60.0)));
        assert!((fitted.y0 - 40.0).abs() <= 1.0 && (fitted.y1 - 60.0).abs() <= 1.0, "{fitted:?}");
    }

    #[test]
    fn a_blank_part_or_a_thin_rule_keeps_its_outline() {
        let outline = rect(20.0, 30.0, 180.0, 70.0);
        let blank = RgbImage::from_pixel(200, 100, Rgb([200, 200, 200]));
        assert_eq!(fitted_to_ink(&blank, &outline), outline);
        assert_eq!(fitted_to_ink(&page_with_print(49, 52), &outline), outline, "three rows of ink in a 40-row outline are a rule");
    }

    #[test]
    fn an_outline_with_another_line_within_its_margin_keeps_covering_it() {
        let mut page = page_with_print(40, 60);
        let below = page_with_print(66, 80);
        for (pixel, other) in page.pixels_mut().zip(below.pixels()) {
            pixel.0 = [pixel.0[0].min(other.0[0]); 3];
        }
        let outline = rect(20.0, 30.0, 180.0, 62.0);
        assert_eq!(fitted_to_ink(&page, &outline), outline);
        let far_below = page_with_print(40, 60);
        assert_ne!(fitted_to_ink(&far_below, &outline), outline, "with none there it is fitted");
    }

    #[test]
    fn a_slanted_outline_is_fitted_across_its_own_height() {
        // The print from the first test turned by a quarter: a column running down.
        let turned = image::imageops::rotate90(&page_with_print(40, 60));
        let column: Quad = [(70.0, 20.0), (70.0, 180.0), (30.0, 180.0), (30.0, 20.0)];
        let fitted = quad_bbox(&fitted_to_ink(&turned, &column));
        assert!((fitted.x0 - 40.0).abs() <= 1.0 && (fitted.x1 - 60.0).abs() <= 1.0, "{fitted:?}");
    }
}
