//! A solid box black over the print it hides, the ground's colour over the bare margins
//! (`--box-paint over-print`, the default; `whole` paints boxes black all over).
//!
//! A text box is grown beyond its line, above and below, for strokes the outline cuts, and the
//! detector's outline is itself often twice the height of the print; a box over lines the
//! analysis could not read covers a whole paragraph. Painted black whole, the bare ground in
//! those margins and between those lines turns black too: on pages of forms and letters, most
//! of the damage a redaction did to what is not PHI. So the box is looked at level by level
//! across its line (rows, turned with a slanted line): a level holding print is black, and a
//! bare one takes the ground's colour. Every pixel inside the box is still replaced by one of
//! two flat colours, so the box hides what a black box hides; it only stops darkening blank
//! paper. Where each colour lies says no more than where the lines of print lie and how far
//! each runs.
//!
//! Measured against boxes black all over (no OCR check): validation over-redaction 5.25% ->
//! 3.85%, tune 4.42% -> 3.20%; tune recall unchanged (1297 of 1330), validation 2542 -> 2541
//! of 2586: a URL that the margin of the box on the line above had half covered (its SSIM
//! 0.57 -> 0.61; Tesseract reads it back in neither). Nothing on validation is read back.
//!
//! Each box is looked at as the image was before any box was painted (`redact_buffer`): painted
//! one after another, a box took the black band of a neighbour it overlaps for print of its
//! own, and blackened the whole level the band crossed (validation 3.85% -> 3.55%, tune 3.20%
//! -> 3.04%, recall unchanged).
//!
//! Ink is told from noise by its neighbours (`smoothed`). On grainy photos of cards and labels
//! (low light, a high ISO) a few pixels of every level stood out from the ground as far as ink,
//! and the whole box went black. Validation 3.55% -> 3.27%, tune 3.04% -> 2.80%; tune recall
//! unchanged, validation 2541 -> 2540: the mirrored name along a wristband's edge, of which
//! the analysis boxes only the last word (SSIM 0.59 -> 0.61). Looked at 5x5 rather than 3x3,
//! tune fell to 2.73% and validation to 3.18%, but faint print was taken for ground and
//! erased, which leaves a label's structure (SSIM) as the scorer sees it: two more strings lost
//! on validation, so the smaller neighbourhood is kept.
//!
//! A line of print is black from its first ink to its last along the line, the box's ends
//! beyond them taking the ground's colour: the detector's outline runs on past the print as it
//! does above and below it. Validation 3.27% -> 2.83%, tune 2.80% -> 2.45%; validation recall
//! unchanged, tune 1297 -> 1296: a calendar name whose surname no box covers (SSIM 0.59 ->
//! 0.63).

use super::patch::LinePlace;
use super::Buffer;
use image::{ImageBuffer, Pixel, Primitive};
use imageproc::definitions::Clamp;
use std::ops::{Range, RangeInclusive};

/// A pixel is ink when it lies further than this from the ground, in grey levels of 255 on
/// any channel: the change the shared scorer counts as one. At 40 levels, validation
/// over-redaction fell further (3.29% instead of 3.85%), but blurred print in a box's margin
/// was taken for ground, and three strings that a neighbour's margin had covered were lost.
const INK_CONTRAST: f32 = 24.0;
/// Pixels are looked at with their neighbours this many pixels round (`smoothed`): 3x3.
const SMOOTHING: u32 = 1;
/// A level holds print when more than this share of its pixels are ink: paper grain, JPEG
/// noise and specks stay under it.
const INK_SHARE: f32 = 0.02;
/// Bare levels between print are black when fewer than this many: the gap under an i's dot.
const MIN_GAP: usize = 3;

/// The replacement for `region` (a patch's rectangle) where its rows `painted[y]` are painted.
/// `place(x, y)` says where a pixel lies on the print's line, in whole pixels. Each line of
/// print (a run of levels across the line that hold print) is black from its first ink to its
/// last, along the line; everything else takes the ground's colour: the bare levels, and the
/// ends of the box beyond the print. Opaque throughout, so nothing hides behind transparency;
/// a transparent pixel is ink.
pub(super) fn ink_band_box<P>(region: &Buffer<P>, painted: &[Vec<Range<u32>>], place: impl Fn(u32, u32) -> LinePlace) -> Buffer<P>
where
    P: Pixel + 'static,
    P::Subpixel: Into<f32> + Clamp<f32> + 'static,
{
    let lowest = painted_pixels(painted).map(|(x, y)| place(x, y).across).min();
    let (Some(ground), Some(lowest)) = (ground_colour(region, painted), lowest) else {
        return whole_black(region); // nothing painted
    };
    let black = black_opaque(*region.get_pixel(0, 0));
    let full_scale: f32 = P::Subpixel::DEFAULT_MAX_VALUE.into();
    let contrast = INK_CONTRAST / 255.0 * full_scale;
    // Ink itself, and among ink: a speck of noise stands out alone, and its neighbours take
    // it back to the ground; a stroke's do not. The pixel itself must stand out too, or the
    // paper beside a stroke would pass for ink.
    let is_ink = |x, y| {
        let pixel = region.get_pixel(x, y).channels().iter().map(|&v| v.into());
        stands_out(pixel, &ground, contrast) && stands_out(smoothed(region, x, y), &ground, contrast)
    };
    let index = |place: LinePlace| (place.across - lowest) as usize;
    let mut levels: Vec<Level> = Vec::new();
    for (x, y) in painted_pixels(painted) {
        let place = place(x, y);
        let i = index(place);
        if levels.len() <= i {
            levels.resize(i + 1, Level::default());
        }
        levels[i].count(place.along, is_ink(x, y));
    }
    let mut print: Vec<bool> = levels.iter().map(Level::holds_print).collect();
    close_gaps(&mut print);
    let ends = ends_of_lines(&print, &levels);
    ImageBuffer::from_fn(region.width(), region.height(), |x, y| {
        let place = place(x, y);
        let line = if place.across >= lowest { ends.get(index(place)) } else { None };
        match line {
            Some(Some(ink)) if ink.contains(&place.along) => black,
            _ => ground,
        }
    })
}

/// One level across a box: how many of its pixels are painted, how many of them are ink, and
/// where along the line its ink begins and ends.
#[derive(Debug, Clone, Default)]
struct Level {
    painted: usize,
    ink: usize,
    ink_along: Option<RangeInclusive<i32>>,
}

impl Level {
    fn count(&mut self, along: i32, is_ink: bool) {
        self.painted += 1;
        if is_ink {
            self.ink += 1;
            self.ink_along = Some(match self.ink_along.take() {
                Some(ink) => *ink.start().min(&along)..=*ink.end().max(&along),
                None => along..=along,
            });
        }
    }

    fn holds_print(&self) -> bool {
        self.ink > 0 && self.ink as f32 > INK_SHARE * self.painted as f32
    }
}

/// For each level holding print, where along the line the ink of its line of print (the run
/// of print levels it belongs to) begins and ends; `None` for a bare level. One extent for the
/// whole line, so the black shows how long the line is and no more, whatever its letters.
fn ends_of_lines(print: &[bool], levels: &[Level]) -> Vec<Option<RangeInclusive<i32>>> {
    let mut ends = vec![None; print.len()];
    let mut i = 0;
    while i < print.len() {
        if !print[i] {
            i += 1;
            continue;
        }
        let run = i..i + print[i..].iter().take_while(|&&p| p).count();
        let ink = levels[run.clone()].iter().filter_map(|level| level.ink_along.clone());
        let extent = ink.reduce(|a, b| *a.start().min(b.start())..=*a.end().max(b.end()));
        ends[run.clone()].iter_mut().for_each(|end| *end = extent.clone());
        i = run.end;
    }
    ends
}

/// Marks as print the runs of bare levels shorter than `MIN_GAP` that lie between print.
fn close_gaps(print: &mut [bool]) {
    let mut last_print: Option<usize> = None;
    for i in 0..print.len() {
        if print[i] {
            if let Some(last) = last_print {
                if i - last - 1 < MIN_GAP {
                    print[last + 1..i].iter_mut().for_each(|p| *p = true);
                }
            }
            last_print = Some(i);
        }
    }
}

/// Whether any colour channel of `values` lies further than `contrast` from the ground's.
fn stands_out<P>(values: impl IntoIterator<Item = f32>, ground: &P, contrast: f32) -> bool
where
    P: Pixel,
    P::Subpixel: Into<f32>,
{
    values.into_iter().zip(ground.channels()).any(|(v, &g)| (v - g.into()).abs() > contrast)
}

/// Each channel's mean over the pixel and its neighbours within `region`, `SMOOTHING` pixels
/// round: paper grain, sensor noise and JPEG ringing average out there, strokes of print do
/// not.
fn smoothed<P>(region: &Buffer<P>, x: u32, y: u32) -> [f32; 4]
where
    P: Pixel + 'static,
    P::Subpixel: Into<f32>,
{
    let (x0, y0) = (x.saturating_sub(SMOOTHING), y.saturating_sub(SMOOTHING));
    let (x1, y1) = ((x + SMOOTHING).min(region.width() - 1), (y + SMOOTHING).min(region.height() - 1));
    let mut sums = [0.0f32; 4];
    for (nx, ny) in (y0..=y1).flat_map(|ny| (x0..=x1).map(move |nx| (nx, ny))) {
        for (sum, &value) in sums.iter_mut().zip(region.get_pixel(nx, ny).channels()) {
            *sum += value.into();
        }
    }
    let count = ((x1 - x0 + 1) * (y1 - y0 + 1)) as f32;
    sums.map(|sum| sum / count)
}

fn painted_pixels(painted: &[Vec<Range<u32>>]) -> impl Iterator<Item = (u32, u32)> + '_ {
    (0..).zip(painted).flat_map(|(y, spans)| spans.iter().flat_map(Clone::clone).map(move |x| (x, y)))
}

/// The median of each colour channel over the painted pixels, to 1/255 of the channel's range,
/// opaque; `None` when none is painted. Counted in a histogram: a box may span a whole large
/// page, and sorting its samples would hold them all.
fn ground_colour<P>(region: &Buffer<P>, painted: &[Vec<Range<u32>>]) -> Option<P>
where
    P: Pixel + 'static,
    P::Subpixel: Into<f32> + Clamp<f32> + 'static,
{
    let full_scale: f32 = P::Subpixel::DEFAULT_MAX_VALUE.into();
    let mut histograms = vec![[0usize; 256]; usize::from(P::CHANNEL_COUNT)];
    let mut count = 0usize;
    for (x, y) in painted_pixels(painted) {
        for (histogram, &value) in histograms.iter_mut().zip(region.get_pixel(x, y).channels()) {
            let bin = (value.into() / full_scale * 255.0).round().clamp(0.0, 255.0) as usize;
            histogram[bin] += 1;
        }
        count += 1;
    }
    let (x, y) = painted_pixels(painted).next()?;
    Some(opaque(*region.get_pixel(x, y), |channel| {
        let mut below = 0;
        let median = histograms[channel].iter().position(|&n| {
            below += n;
            2 * below > count
        });
        P::Subpixel::clamp(median.unwrap_or(0) as f32 / 255.0 * full_scale)
    }))
}

/// The replacement for `region` that is black all over (`--box-paint whole`).
pub(super) fn whole_black<P: Pixel>(region: &Buffer<P>) -> Buffer<P> {
    ImageBuffer::from_pixel(region.width(), region.height(), black_opaque(*region.get_pixel(0, 0)))
}

/// Black, and opaque where the image has alpha, so the box is visible and hides nothing
/// behind transparency.
fn black_opaque<P: Pixel>(pixel: P) -> P {
    opaque(pixel, |_| P::Subpixel::DEFAULT_MIN_VALUE)
}

/// `pixel` with each colour channel set by `colour` (given the channel's index), and alpha, if
/// any, at its maximum.
fn opaque<P: Pixel>(mut pixel: P, mut colour: impl FnMut(usize) -> P::Subpixel) -> P {
    let channels = usize::from(P::CHANNEL_COUNT);
    for (i, c) in pixel.channels_mut().iter_mut().enumerate() {
        let is_alpha = P::HAS_ALPHA && i == channels - 1;
        *c = if is_alpha { P::Subpixel::DEFAULT_MAX_VALUE } else { colour(i) };
    }
    pixel
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{LumaA, Rgb, RgbImage};

    /// Paper (a little uneven, as scans and JPEG leave it) with a line of dark print in rows
    /// `print`, every fourth column a stroke.
    fn page_with_print(width: u32, height: u32, print: Range<u32>) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let paper = 236 + ((x * 7 + y * 3) % 9) as u8;
            if print.contains(&y) && x % 4 < 2 {
                Rgb([20, 25, 30])
            } else {
                Rgb([paper, paper - 4, paper - 8])
            }
        })
    }

    fn by_row(x: u32, y: u32) -> LinePlace {
        LinePlace { along: x as i32, across: y as i32 }
    }

    /// A row painted across one run of columns.
    fn one_span(columns: Range<u32>) -> Vec<Range<u32>> {
        std::iter::once(columns).collect()
    }

    fn whole_rows(width: u32, height: u32) -> Vec<Vec<Range<u32>>> {
        (0..height).map(|_| one_span(0..width)).collect()
    }

    #[test]
    fn print_is_black_and_the_bare_margins_and_ends_take_the_paper_colour() {
        // Print in rows 9..21, its strokes in columns 8..50 only.
        let mut page = page_with_print(60, 30, 9..21);
        let paper = page_with_print(60, 30, 0..0);
        for (x, y, pixel) in page.enumerate_pixels_mut() {
            if !(8..50).contains(&x) {
                *pixel = *paper.get_pixel(x, y);
            }
        }
        let boxed = ink_band_box(&page, &whole_rows(60, 30), by_row);
        let ground = *boxed.get_pixel(0, 0);
        assert!(page.get_pixel(0, 0).0.iter().zip(ground.0).all(|(&a, b)| a.abs_diff(b) <= 12), "the ground is the paper's colour");
        for y in 0..30 {
            for x in 0..60 {
                // The last stroke is in columns 48 and 49.
                let expected = if (9..21).contains(&y) && (8..50).contains(&x) { Rgb([0, 0, 0]) } else { ground };
                assert_eq!(*boxed.get_pixel(x, y), expected, "({x}, {y})");
            }
        }
    }

    #[test]
    fn the_ground_between_two_lines_is_left_bare_but_not_a_narrow_gap_in_print() {
        let mut page = page_with_print(50, 40, 4..10);
        for (y, row) in (22..28).zip(page_with_print(50, 40, 22..28).rows().skip(22)) {
            row.enumerate().for_each(|(x, p)| page.put_pixel(x as u32, y, *p));
        }
        // A two-row gap at 28..30 under the second line, then more print.
        for x in (0..50).step_by(3) {
            page.put_pixel(x, 30, Rgb([10, 10, 10]));
        }
        let boxed = ink_band_box(&page, &whole_rows(50, 40), by_row);
        let black: Vec<u32> = (0..40).filter(|&y| boxed.get_pixel(0, y).0 == [0, 0, 0]).collect();
        assert_eq!(black, [(4..10).collect::<Vec<_>>(), (22..31).collect()].concat());
    }

    #[test]
    fn only_the_painted_pixels_decide_the_band() {
        // Print in rows 2..5 lies outside the painted part (rows 10.. only), so it makes
        // no row black.
        let page = page_with_print(40, 30, 2..5);
        let painted: Vec<Vec<Range<u32>>> = (0..30).map(|y| if y >= 10 { one_span(5..30) } else { Vec::new() }).collect();
        let boxed = ink_band_box(&page, &painted, by_row);
        assert!((10..30).all(|y| boxed.get_pixel(10, y).0 != [0, 0, 0]));
    }

    /// The rows of a boxed region that are black somewhere.
    fn black_rows(boxed: &RgbImage) -> Vec<u32> {
        (0..boxed.height()).filter(|&y| (0..boxed.width()).any(|x| boxed.get_pixel(x, y).0 == [0, 0, 0])).collect()
    }

    #[test]
    fn on_grainy_paper_only_the_print_is_black() {
        // Grain of up to 40 grey levels either way in every pixel, as low light and a high
        // ISO leave it: a few in every row stand out from the ground as far as ink would.
        let mut page = page_with_print(80, 30, 12..20);
        for (x, y, pixel) in page.enumerate_pixels_mut() {
            let hash = (x.wrapping_mul(0x9E37_79B9) ^ y.wrapping_mul(0x85EB_CA6B)).wrapping_mul(0xC2B2_AE35) >> 16;
            let grain = (hash % 81) as i32 - 40;
            pixel.0 = pixel.0.map(|v| (i32::from(v) + grain).clamp(0, 255) as u8);
        }
        let boxed = ink_band_box(&page, &whole_rows(80, 30), by_row);
        // The grain beside the print stands out among the strokes' dark: a row either side
        // may be taken for print, no more.
        let black = black_rows(&boxed);
        assert!((12..20).all(|y| black.contains(&y)), "{black:?}");
        assert!(black.iter().all(|y| (11..21).contains(y)), "{black:?}");
    }

    #[test]
    fn a_dark_blot_makes_its_rows_black_and_a_lone_grey_speck_does_not() {
        let mut page = page_with_print(40, 20, 8..12);
        page.put_pixel(17, 1, Rgb([120, 120, 120]));
        for (x, y) in [(30, 15), (31, 15), (30, 16), (31, 16)] {
            page.put_pixel(x, y, Rgb([20, 20, 20]));
        }
        let boxed = ink_band_box(&page, &whole_rows(40, 20), by_row);
        assert_eq!(black_rows(&boxed), [8, 9, 10, 11, 15, 16]);

        let mut glass = ImageBuffer::from_pixel(10, 10, LumaA([200u8, 255]));
        glass.put_pixel(4, 6, LumaA([200, 0]));
        let boxed = ink_band_box(&glass, &whole_rows(10, 10), by_row);
        assert_eq!(boxed.get_pixel(4, 6), &LumaA([0, 255]), "what hid behind transparency is boxed, opaque");
        assert_eq!(boxed.get_pixel(4, 2), &LumaA([200, 255]));
    }
}
