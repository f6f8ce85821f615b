//! Other looks at an image for the text detector, each for a kind of picture the network
//! misses print in at first sight: dark ground (searched in the negative), a dim photo
//! (stretched) and a soft one (sharpened). Each is taken only when the first look shows the
//! picture is of that kind, so that photos and clean pages are looked at once.

use super::Region;
use crate::geometry::BBox;
use image::RgbImage;

/// Whether at least a quarter of the lines found (and at least two) stand on dark ground: the
/// median brightness of a line's box, which its ground outweighs its strokes in, is below
/// mid-grey.
pub(super) fn stands_on_dark_ground(image: &RgbImage, lines: &[Region]) -> bool {
    let on_dark = lines.iter().filter(|line| median_luma(image, &line.bbox).is_some_and(|luma| luma < 128)).count();
    on_dark >= 2 && 4 * on_dark >= lines.len()
}

/// The median brightness of the pixels in `b` (every other one each way), if it holds any.
fn median_luma(image: &RgbImage, b: &BBox) -> Option<u8> {
    let area = b.clipped_to(image.width(), image.height());
    let (x0, y0) = (area.x0 as u32, area.y0 as u32);
    let (x1, y1) = (area.x1.ceil() as u32, area.y1.ceil() as u32);
    let mut lumas: Vec<u8> = (y0..y1)
        .step_by(2)
        .flat_map(|y| (x0..x1).step_by(2).map(move |x| (x, y)))
        .map(|(x, y)| image::Pixel::to_luma(image.get_pixel(x, y)).0[0])
        .collect();
    if lumas.is_empty() {
        return None;
    }
    let middle = lumas.len() / 2;
    Some(*lumas.select_nth_unstable(middle).1)
}

/// A view is dim when its brightest 2% are darker than this (white paper in a dim room, a
/// screen photographed at low brightness).
const DIM_BELOW: u8 = 170;

/// A dim view with its brightness stretched to the full range (2% of its pixels at each end),
/// or `None` when it is not dim or holds no contrast to stretch. The network sees faint print
/// in a dim photo better stretched: with a second pass over the stretched view of dim images,
/// validation recall rose from 2199 to 2205 of 2797 and boxes matching no label fell from 670
/// to 667 (tune unchanged).
pub(super) fn stretched_if_dim(view: &RgbImage) -> Option<RgbImage> {
    let (low, high) = contrast_range(&Histogram::of(view.pixels().map(|pixel| image::Pixel::to_luma(pixel).0[0])))?;
    if high >= DIM_BELOW || high <= low + 16 {
        return None;
    }
    let scale = 255.0 / f32::from(high - low);
    let mut stretched = view.clone();
    for pixel in stretched.pixels_mut() {
        pixel.0 = pixel.0.map(|c| (f32::from(c.saturating_sub(low)) * scale).min(255.0) as u8);
    }
    Some(stretched)
}

/// How many 8-bit values lie at each level.
struct Histogram([usize; 256]);

impl Histogram {
    fn of(values: impl Iterator<Item = u8>) -> Self {
        let mut counts = [0; 256];
        values.for_each(|value| counts[usize::from(value)] += 1);
        Self(counts)
    }

    /// The level below which `share` of the values lie; none for no values.
    fn level_below(&self, share: f64) -> Option<u8> {
        let wanted = (self.0.iter().sum::<usize>() as f64 * share) as usize;
        let mut seen = 0;
        let level = self.0.iter().position(|&count| {
            seen += count;
            seen > wanted
        })?;
        u8::try_from(level).ok()
    }
}

/// The brightness range of a view without its outliers (2% of the pixels at each end).
fn contrast_range(luma: &Histogram) -> Option<(u8, u8)> {
    Some((luma.level_below(0.02)?, luma.level_below(0.98)?))
}

/// Steepest steps under this share of a view's brightness range per pixel make it soft.
const SOFT_BELOW: f32 = 0.2;
/// A view is searched sharpened only when its first look found this many lines.
const MIN_LINES_TO_SHARPEN: usize = 2;
/// The unsharp mask: the blur it subtracts (in the network's pixels) and how strongly.
const SHARPEN_SIGMA: f32 = 3.0;
const SHARPEN_AMOUNT: f32 = 2.0;

/// A blurred photo of a page leaves the network only faint smudges of its lines: on one
/// intake form, three regions of a page of forty lines. The same view sharpened (an unsharp
/// mask, `SHARPEN_SIGMA` and `SHARPEN_AMOUNT`) shows it most of them. A view is soft when its
/// steepest brightness steps (the 99.5th percentile of those between pixels two apart) climb
/// less than `SOFT_BELOW` of its brightness range per pixel: print blurred by two pixels or
/// more (in the network's pixels), or print faint against the range from desk to paper.
///
/// A photo without print is soft too, and its first look finds nothing or a line, so a view
/// is searched sharpened only when the first look found at least `MIN_LINES_TO_SHARPEN`: no
/// photo of the dev set then takes another look. Measured on the generated corpus with the
/// blotch rule of `not_yet_found`: validation recall rose from 2455 to 2479 of 2586 (tune 1271
/// to 1279 of 1330), boxes matching no label from 905 to 966 (3 268 to 3 387 boxes), the
/// generated corpus took 13% longer, the dev set no longer. Sharpening every view found 10
/// strings more on validation in 40% more time on the generated corpus and 26% on the dev
/// set; sharpening the first look instead of looking twice found 1 more.
///
/// A dim view is searched sharpened too (not stretched as well: that found 2 fewer): in a dim,
/// noisy photo the noise's steps hide how soft the print is. Validation 2487 -> 2497, boxes
/// matching no label 968 -> 974; tune 1279 -> 1278 (one dim calendar's names read otherwise).
pub(super) fn sharpened_if_soft_or_dim(view: &RgbImage, lines_found: usize, dim: bool) -> Option<RgbImage> {
    (lines_found >= MIN_LINES_TO_SHARPEN && (dim || is_soft(view))).then(|| sharpened(view))
}

/// Whether the view's steepest brightness steps climb less than `SOFT_BELOW` of its range.
fn is_soft(view: &RgbImage) -> bool {
    let luma = image::imageops::grayscale(view);
    let (width, height) = luma.dimensions();
    let at = |x: u32, y: u32| i16::from(luma.get_pixel(x, y).0[0]);
    let steps = (1..height.saturating_sub(1)).flat_map(|y| (1..width.saturating_sub(1)).map(move |x| (x, y))).map(|(x, y)| {
        let across = (at(x + 1, y) - at(x - 1, y)).abs();
        let down = (at(x, y + 1) - at(x, y - 1)).abs();
        (across.max(down) / 2) as u8
    });
    let steepest = Histogram::of(steps).level_below(0.995);
    let range = contrast_range(&Histogram::of(luma.pixels().map(|p| p.0[0])));
    match (steepest, range) {
        (Some(steepest), Some((low, high))) if high > low => f32::from(steepest) < SOFT_BELOW * f32::from(high - low),
        _ => false,
    }
}

/// `view` with an unsharp mask: each pixel pushed away from its blurred surroundings.
fn sharpened(view: &RgbImage) -> RgbImage {
    let blurred = imageproc::filter::gaussian_blur_f32(view, SHARPEN_SIGMA);
    let mut sharp = view.clone();
    for (pixel, around) in sharp.pixels_mut().zip(blurred.pixels()) {
        for (value, &mean) in pixel.0.iter_mut().zip(&around.0) {
            let value_f = f32::from(*value);
            *value = (value_f + SHARPEN_AMOUNT * (value_f - f32::from(mean))).clamp(0.0, 255.0) as u8;
        }
    }
    sharp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::RegionKind;

    /// A line of 4-px-wide strokes, one in three columns, of `ink` on `ground`, at height `y`.
    fn draw_line(image: &mut RgbImage, y: u32, ink: u8, ground: u8) -> Region {
        for yy in y..y + 12 {
            for x in 0..120 {
                let value = if x % 12 < 4 { ink } else { ground };
                image.put_pixel(x, yy, image::Rgb([value; 3]));
            }
        }
        let bbox = BBox { x0: 0.0, y0: y as f32, x1: 120.0, y1: (y + 12) as f32 };
        Region { bbox, kind: RegionKind::Text, score: 0.9, quad: None }
    }

    #[test]
    fn the_negative_is_searched_only_where_a_quarter_of_the_lines_stand_on_dark_ground() {
        let mut image = RgbImage::from_pixel(120, 120, image::Rgb([128; 3]));
        let light_on_dark: Vec<Region> = (0..2).map(|i| draw_line(&mut image, 12 * i, 230, 30)).collect();
        let dark_on_light: Vec<Region> = (2..9).map(|i| draw_line(&mut image, 12 * i, 30, 230)).collect();
        assert_eq!(median_luma(&image, &light_on_dark[0].bbox), Some(30), "the ground outweighs the strokes");
        assert_eq!(median_luma(&image, &dark_on_light[0].bbox), Some(230));
        assert!(stands_on_dark_ground(&image, &light_on_dark), "a dark screen");
        assert!(!stands_on_dark_ground(&image, &dark_on_light), "a printed page");
        assert!(!stands_on_dark_ground(&image, &light_on_dark[..1]), "one line is not enough");
        let mixed = [&light_on_dark[..], &dark_on_light[..6]].concat();
        assert!(stands_on_dark_ground(&image, &mixed), "two of eight lines");
        let mostly_light = [&light_on_dark[..], &dark_on_light[..]].concat();
        assert!(!stands_on_dark_ground(&image, &mostly_light), "two of nine lines");
        let off_image = Region { bbox: BBox { x0: 500.0, y0: 500.0, x1: 600.0, y1: 520.0 }, ..light_on_dark[0] };
        assert_eq!(median_luma(&image, &off_image.bbox), None);
    }

    #[test]
    fn a_blurred_page_is_soft_and_sharpening_steepens_its_strokes() {
        // Rows of 2-px strokes on a light page, beside a dark desk.
        let page = RgbImage::from_fn(200, 100, |x, y| {
            let stroke = (60..190).contains(&x) && x % 10 < 2 && (10..90).contains(&y) && y % 16 < 8;
            let value = if x < 40 {
                20
            } else if stroke {
                40
            } else {
                220
            };
            image::Rgb([value; 3])
        });
        assert!(!is_soft(&page), "crisp print");
        assert!(!is_soft(&imageproc::filter::gaussian_blur_f32(&page, 1.0)), "print blurred by a pixel");
        let blurred = imageproc::filter::gaussian_blur_f32(&page, 2.5);
        assert!(is_soft(&blurred), "print blurred by 2.5 px");
        let sharp = sharpened(&blurred);
        let steepest = |view: &RgbImage| (60..190).map(|x| view.get_pixel(x + 1, 20).0[0].abs_diff(view.get_pixel(x, 20).0[0])).max();
        assert!(steepest(&sharp) > steepest(&blurred).map(|step| step + 20), "{:?} against {:?}", steepest(&sharp), steepest(&blurred));
        assert!(!is_soft(&RgbImage::from_pixel(200, 60, image::Rgb([128; 3]))), "a blank view has no contrast to be soft in");
    }

    #[test]
    fn only_a_dim_view_with_contrast_is_stretched_to_the_full_range() {
        let page = |paper: u8, ink: u8| RgbImage::from_fn(100, 100, |x, _| image::Rgb([if x % 10 < 3 { ink } else { paper }; 3]));
        let stretched = stretched_if_dim(&page(120, 40)).expect("a dim page");
        assert_eq!(stretched.get_pixel(5, 0).0, [255; 3], "the paper is white");
        assert_eq!(stretched.get_pixel(0, 0).0, [0; 3], "the ink is black");
        assert!(stretched_if_dim(&page(230, 40)).is_none(), "a bright page");
        assert!(stretched_if_dim(&page(60, 60)).is_none(), "nothing to stretch");
    }
}
