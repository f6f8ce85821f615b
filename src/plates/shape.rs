//! Whether a line of text sits on a plate: one even, bright or dark ground under its
//! characters, ending close around it on every side (at the plate's rim, the car's paint, a
//! blue country band or the image's edge).
//!
//! A line of print on a page or a screen does not: the page goes on above and below it far
//! beyond a plate's margins, broken only by other lines, whose rows are never as solid as a
//! plate's rim.

use crate::geometry::BBox;
use image::{imageops, Rgb, RgbImage};
use imageproc::contrast::otsu_level;

/// The plate found around a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlateShape {
    /// The plate's rectangle, as far as it was seen.
    pub rect: BBox,
    /// Characters darker than their ground (most plates), or lighter (old black plates).
    pub dark_on_light: bool,
    /// Whether its top, bottom, left and right ends were seen (the others are a usual margin).
    pub ends_seen: [bool; 4],
}

/// Lines shorter than this (pixels) are too small to read back.
const MIN_LINE_HEIGHT: f32 = 7.0;
/// Characters and ground must differ by this many levels at least (`colour_distance`) in a
/// scene (a street, a car park) ...
///
/// A small plate in poor light and a little out of focus has its strokes blurred into its
/// ground: the ink's mean lies 31-38 levels from the ground's, though the ground stays even (a
/// spread of about 9). Seen on a validation image (two plates read, refused at 40); decided on
/// 600 images `gen_plates.py` had never made (600-1199): at 30 rather than 40 their tune
/// families boxed 326 of 333 plates instead of 325, their validation families 348 of 365
/// instead of 346, for one box more, on a plate too small to be labelled. On the first 600
/// images the tune families were unchanged (at 20 too).
pub const MIN_CONTRAST_IN_A_SCENE: f32 = 30.0;
/// ... and on a page (`close_up::is_a_page`: more than 16 lines), where print this dim (a
/// dark-theme screen's, a price list's shaded rows) often sits in a box of its own: at 30
/// there, the generated corpus's pages gained 11 plate boxes on no label.
pub const MIN_CONTRAST_ON_A_PAGE: f32 = 40.0;
/// ... and the ground be this even (its spread in levels, as `colour_distance` measures), or
/// this share of the contrast where that is higher (noise and JPEG grow with it): paint, not
/// a photo.
const MAX_GROUND_SPREAD: f32 = 28.0;
const GROUND_SPREAD_OF_CONTRAST: f32 = 0.3;
/// The characters take between these shares of the line's box.
const INK_SHARE: std::ops::RangeInclusive<f32> = 0.08..=0.6;
/// A plate ends within this many line heights above or below its characters (a US plate's
/// state name and slogan stand about 0.6 of a character's height away) ...
const MAX_MARGIN_ABOVE_BELOW: f32 = 1.6;
/// ... and within this many beside them.
const MAX_MARGIN_BESIDE: f32 = 2.0;
/// A row or column of the ground with less than this share of ground-coloured pixels is the
/// plate's end; a row through a line of text keeps more (strokes are thin).
const EDGE_GROUND_SHARE: f32 = 0.3;
/// Looking for that end, a pixel is of the ground's colour within this share of the contrast
/// from the ground's median (at least `MIN_END_TOLERANCE` levels: noise), not halfway to the
/// ink's: a plate's thin grey rim on a white ambulance is its end, though nearer the white than
/// the black characters. With halfway, 210 of 226 plates were boxed on 192 images of the tune
/// families never read for a rule (`gen_plates.py --count 600`, images 201-600), 220 of 237 on
/// the 208 of the validation families; with a fifth of the contrast, 217 and 224.
const END_TOLERANCE_OF_CONTRAST: f32 = 0.2;
const MIN_END_TOLERANCE: f32 = 20.0;
/// A row is part of the print when at least these shares of it are the ground's colour and
/// the ink's.
const PRINT_GROUND_SHARE: f32 = 0.4;
const PRINT_INK_SHARE: f32 = 0.03;
/// The colours are taken from this share of the line's length, about its middle.
const TONES_FROM_MIDDLE: f32 = 0.7;
/// A side of a plate whose end is not seen (a white plate on a white car has no edge to see
/// above it) is taken to end this many line heights away.
const USUAL_MARGIN: f32 = 0.6;
/// A plate is wider than high, but not a banner.
const ASPECT: std::ops::RangeInclusive<f32> = 1.2..=7.0;

/// The plate around a line of text whose characters' box is `line` (the detector's core, not
/// its outline, which reaches past a plate's rim), if it lies on one with its end seen on all
/// sides but `open_sides`, its characters at least `min_contrast` levels from its ground.
pub fn plate_around(image: &RgbImage, line: &BBox, open_sides: usize, min_contrast: f32) -> Option<PlateShape> {
    let line = PixelBox::inside(line, image)?;
    let height = (line.bottom - line.top + 1) as f32;
    if height < MIN_LINE_HEIGHT {
        return None;
    }
    let tones = Tones::of_line(image, &line, min_contrast)?;
    let line = grown_over_print(image, line, &tones);
    let height = (line.bottom - line.top + 1) as f32;
    let vertical_reach = (MAX_MARGIN_ABOVE_BELOW * height).ceil() as u32;
    let side_reach = (MAX_MARGIN_BESIDE * height).ceil() as u32;
    let row_share = |y: u32| tones.ground_share(row(image, &line, y));
    let column_share = |x: u32| tones.ground_share((line.top..=line.bottom).map(|y| image.get_pixel(x, y)));
    let (width, rows) = image.dimensions();
    let mut ends = [
        edge(line.top, vertical_reach, Direction::Back, rows, row_share),
        edge(line.bottom, vertical_reach, Direction::On, rows, row_share),
        edge(line.left, side_reach, Direction::Back, width, column_share),
        edge(line.right, side_reach, Direction::On, width, column_share),
    ];
    let mut rect = rect_of(&ends, &line, height, (width, rows));
    if aspect(&rect) < *ASPECT.start() {
        // Too tall for a plate: its ground ran on into paint of its colour above or below (a
        // white plate on a white ambulance), and the farther end found is the paint's. That
        // side's end is taken as not seen.
        let [top, bottom, ..] = ends;
        let above = top.map_or(0, |top| line.top - top);
        let below = bottom.map_or(0, |bottom| bottom - line.bottom);
        ends[if above >= below { 0 } else { 1 }] = None;
        rect = rect_of(&ends, &line, height, (width, rows));
    }
    let open = ends.iter().filter(|end| end.is_none()).count();
    (open <= open_sides && ASPECT.contains(&aspect(&rect))).then_some(PlateShape {
        rect,
        dark_on_light: tones.ink_luma < tones.ground_luma,
        ends_seen: ends.map(|end| end.is_some()),
    })
}

/// The plate's box from its `ends` (top, bottom, left, right) around `line`: a side whose end
/// was not seen is taken to end a plate's usual margin away.
fn rect_of(ends: &[Option<u32>; 4], line: &PixelBox, height: f32, (width, rows): (u32, u32)) -> BBox {
    let usual = (USUAL_MARGIN * height).round() as u32;
    let [top, bottom, left, right] = *ends;
    BBox {
        x0: left.unwrap_or(line.left.saturating_sub(usual)) as f32,
        y0: top.unwrap_or(line.top.saturating_sub(usual)) as f32,
        x1: right.unwrap_or((line.right + usual).min(width - 1)) as f32 + 1.0,
        y1: bottom.unwrap_or((line.bottom + usual).min(rows - 1)) as f32 + 1.0,
    }
}

/// Width to height.
pub fn aspect(rect: &BBox) -> f32 {
    rect.width() / rect.height().max(1.0)
}

/// The detector's core may cut the characters' tops and bottoms: it is grown, by at most half
/// its height each way, over the rows that still hold some of their ink on their ground.
fn grown_over_print(image: &RgbImage, line: PixelBox, tones: &Tones) -> PixelBox {
    let reach = (line.bottom - line.top).div_ceil(2);
    let print = |y: u32| {
        let shares = tones.shares(row(image, &line, y));
        shares.ground >= PRINT_GROUND_SHARE && shares.ink >= PRINT_INK_SHARE
    };
    let top = (line.top.saturating_sub(reach)..line.top).rev().take_while(|&y| print(y)).last().unwrap_or(line.top);
    let bottom = (line.bottom + 1..(line.bottom + 1 + reach).min(image.height())).take_while(|&y| print(y)).last().unwrap_or(line.bottom);
    PixelBox { top, bottom, ..line }
}

/// Row `y` across the line.
fn row<'i>(image: &'i RgbImage, line: &PixelBox, y: u32) -> impl Iterator<Item = &'i Rgb<u8>> {
    (line.left..=line.right).map(move |x| image.get_pixel(x, y))
}

/// A box in whole pixels, inclusive on every side.
struct PixelBox {
    left: u32,
    top: u32,
    right: u32,
    bottom: u32,
}

impl PixelBox {
    /// The part of `bbox` inside the image; `None` when nothing of it is.
    fn inside(bbox: &BBox, image: &RgbImage) -> Option<Self> {
        let clip = |v: f32, size: u32| v.floor().clamp(0.0, size as f32 - 1.0) as u32;
        let (width, height) = image.dimensions();
        let boxed = Self {
            left: clip(bbox.x0, width),
            top: clip(bbox.y0, height),
            right: clip(bbox.x1 - 1.0, width),
            bottom: clip(bbox.y1 - 1.0, height),
        };
        (width > 0 && height > 0 && boxed.left < boxed.right && boxed.top < boxed.bottom).then_some(boxed)
    }
}

/// The colours of a line's characters and of the ground they are printed on. Colour, not
/// grey: a yellow plate on a silver car is the same grey.
struct Tones {
    ink: [f32; 3],
    ground: [f32; 3],
    /// The ground's median colour: its own, where the mean leans toward the ink by the
    /// characters' blurred edges.
    typical_ground: [f32; 3],
    ink_luma: f32,
    ground_luma: f32,
}

impl Tones {
    /// Split by Otsu's threshold on grey, the ground being the larger part; `None` unless the
    /// two differ plainly, the ground is even and the characters take a character's share.
    fn of_line(image: &RgbImage, line: &PixelBox, min_contrast: f32) -> Option<Self> {
        // The middle of the line: a country band or a bolt at its ends is neither.
        let width = line.right - line.left + 1;
        let trim = (width as f32 * (1.0 - TONES_FROM_MIDDLE) / 2.0) as u32;
        let crop = imageops::crop_imm(image, line.left + trim, line.top, width - 2 * trim, line.bottom - line.top + 1).to_image();
        let grey = imageops::grayscale(&crop);
        let level = otsu_level(&grey);
        let (dark, light): (Vec<[f32; 3]>, Vec<[f32; 3]>) = {
            let mut split = (Vec::new(), Vec::new());
            for (colour, luma) in crop.pixels().zip(grey.pixels()) {
                let side = if luma[0] <= level { &mut split.0 } else { &mut split.1 };
                side.push(colour.0.map(f32::from));
            }
            split
        };
        let (ink, ground) = if light.len() >= dark.len() { (dark, light) } else { (light, dark) };
        let share = ink.len() as f32 / (ink.len() + ground.len()) as f32;
        let (ink_mean, ground_mean) = (mean(&ink)?, mean(&ground)?);
        let spread = (ground.iter().map(|c| colour_distance(c, &ground_mean).powi(2)).sum::<f32>() / ground.len() as f32).sqrt();
        let contrast = colour_distance(&ink_mean, &ground_mean);
        let plain =
            contrast >= min_contrast && spread <= MAX_GROUND_SPREAD.max(GROUND_SPREAD_OF_CONTRAST * contrast) && INK_SHARE.contains(&share);
        plain.then(|| Self {
            ink: ink_mean,
            ground: ground_mean,
            typical_ground: median(&ground),
            ink_luma: luma(&ink_mean),
            ground_luma: luma(&ground_mean),
        })
    }

    /// The shares of `pixels` nearer the ground's colour, and the ink's, than halfway to the
    /// other's.
    fn shares<'p>(&self, pixels: impl Iterator<Item = &'p Rgb<u8>>) -> Shares {
        self.shares_within(pixels, &self.ground, colour_distance(&self.ink, &self.ground) / 2.0)
    }

    /// The share of `pixels` of the plate's own ground colour, as its end is looked for (see
    /// `END_TOLERANCE_OF_CONTRAST`).
    fn ground_share<'p>(&self, pixels: impl Iterator<Item = &'p Rgb<u8>>) -> f32 {
        let tolerance = (END_TOLERANCE_OF_CONTRAST * colour_distance(&self.ink, &self.ground)).max(MIN_END_TOLERANCE);
        self.shares_within(pixels, &self.typical_ground, tolerance).ground
    }

    /// The shares of `pixels` within `tolerance` of `ground` and of the ink's colour.
    fn shares_within<'p>(&self, pixels: impl Iterator<Item = &'p Rgb<u8>>, ground: &[f32; 3], tolerance: f32) -> Shares {
        let (mut on_ground, mut ink, mut all) = (0usize, 0usize, 0usize);
        for pixel in pixels {
            let colour = pixel.0.map(f32::from);
            on_ground += usize::from(colour_distance(&colour, ground) < tolerance);
            ink += usize::from(colour_distance(&colour, &self.ink) < tolerance);
            all += 1;
        }
        let all = all.max(1) as f32;
        Shares { ground: on_ground as f32 / all, ink: ink as f32 / all }
    }
}

struct Shares {
    ground: f32,
    ink: f32,
}

/// Euclidean distance in RGB, scaled so that two greys differ by their difference in levels.
fn colour_distance(a: &[f32; 3], b: &[f32; 3]) -> f32 {
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f32>() / 3.0).sqrt()
}

fn luma(colour: &[f32; 3]) -> f32 {
    0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
}

/// The median of each channel (of at least one colour).
fn median(colours: &[[f32; 3]]) -> [f32; 3] {
    [0, 1, 2].map(|channel| {
        let mut values: Vec<f32> = colours.iter().map(|c| c[channel]).collect();
        let middle = values.len() / 2;
        *values.select_nth_unstable_by(middle, f32::total_cmp).1
    })
}

fn mean(colours: &[[f32; 3]]) -> Option<[f32; 3]> {
    let count = colours.len() as f32;
    (!colours.is_empty()).then(|| [0, 1, 2].map(|channel| colours.iter().map(|c| c[channel]).sum::<f32>() / count))
}

#[derive(Clone, Copy)]
enum Direction {
    /// Towards 0 (up, left).
    Back,
    /// Away from 0 (down, right).
    On,
}

/// Walking from `start` (the line's own first or last row or column) outwards for at most
/// `reach` steps, the last row or column still on the plate: before the first whose ground
/// share falls under `EDGE_GROUND_SHARE`, or the image's own edge (`size`). `None` when the
/// ground goes on past `reach`: no plate ends there.
fn edge(start: u32, reach: u32, direction: Direction, size: u32, ground_share: impl Fn(u32) -> f32) -> Option<u32> {
    let mut last = start;
    for _ in 0..reach {
        let next = match direction {
            Direction::Back => last.checked_sub(1),
            Direction::On => Some(last + 1).filter(|&n| n < size),
        };
        match next {
            None => return Some(last),
            Some(next) if ground_share(next) < EDGE_GROUND_SHARE => return Some(last),
            Some(next) => last = next,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    /// A 400 x 300 scene of `scene` colour with a plate of `ground` colour at `plate` (x, y, w,
    /// h) and seven characters of `ink` colour and 46% of its height across its middle; returns it and
    /// the characters' box.
    fn scene_with_plate(plate: (i32, i32, u32, u32), scene: [u8; 3], ground: [u8; 3], ink: [u8; 3]) -> (RgbImage, BBox) {
        scene_with_line(plate, plate.3 * 46 / 100, scene, ground, ink)
    }

    /// The same with characters `glyph_h` tall.
    fn scene_with_line(plate: (i32, i32, u32, u32), glyph_h: u32, scene: [u8; 3], ground: [u8; 3], ink: [u8; 3]) -> (RgbImage, BBox) {
        let mut image = RgbImage::from_pixel(400, 300, Rgb(scene));
        let (x, y, w, h) = plate;
        draw_filled_rect_mut(&mut image, Rect::at(x, y).of_size(w, h), Rgb(ground));
        let top = y + (h - glyph_h) as i32 / 2;
        let step = glyph_h as i32 * 3 / 5;
        let left_end = x + (w as i32 - 7 * step) / 2;
        for k in 0..7 {
            // Each character a frame of strokes: about a third of its cell inked.
            let left = left_end + k * step;
            let stroke = (glyph_h / 9).max(1);
            let cell = step as u32 * 2 / 3;
            draw_filled_rect_mut(&mut image, Rect::at(left, top).of_size(stroke, glyph_h), Rgb(ink));
            draw_filled_rect_mut(&mut image, Rect::at(left + (cell - stroke) as i32, top).of_size(stroke, glyph_h), Rgb(ink));
            draw_filled_rect_mut(&mut image, Rect::at(left, top).of_size(cell, stroke), Rgb(ink));
        }
        let pad = (glyph_h / 10) as i32;
        let line = BBox {
            x0: (left_end - pad) as f32,
            y0: (top - pad) as f32,
            x1: (left_end + 7 * step + pad) as f32,
            y1: (top + glyph_h as i32 + pad) as f32,
        };
        (image, line)
    }

    const fn grey(level: u8) -> [u8; 3] {
        [level; 3]
    }

    #[test]
    fn a_white_plates_thin_grey_rim_on_a_white_ambulance_is_its_end() {
        let (mut image, line) = scene_with_plate((100, 100, 160, 80), grey(242), grey(250), grey(20));
        for inset in 0..3 {
            let rim = Rect::at(100 + inset, 100 + inset).of_size(160 - 2 * inset as u32, 80 - 2 * inset as u32);
            imageproc::drawing::draw_hollow_rect_mut(&mut image, rim, Rgb(grey(190)));
        }
        let plate = plate_around(&image, &line, 0, MIN_CONTRAST_IN_A_SCENE).expect("every end seen at the rim");
        assert_eq!((plate.rect.x0, plate.rect.y0, plate.rect.x1, plate.rect.y1), (103.0, 103.0, 257.0, 177.0));
    }

    #[test]
    fn a_plate_is_found_around_its_characters_and_ends_at_its_rim() {
        let (image, line) = scene_with_plate((100, 100, 160, 80), grey(60), grey(235), grey(30));
        let plate = plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("a plate");
        assert!(plate.dark_on_light);
        assert_eq!((plate.rect.x0, plate.rect.y0, plate.rect.x1, plate.rect.y1), (100.0, 100.0, 260.0, 180.0));
    }

    #[test]
    fn light_characters_on_a_dark_plate_and_a_plate_cut_by_the_border() {
        let (image, line) = scene_with_plate((100, 100, 160, 80), grey(200), grey(25), grey(230));
        assert!(!plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("a dark plate").dark_on_light);
        let (image, line) = scene_with_plate((-30, 220, 160, 80), grey(60), grey(235), grey(30));
        let plate = plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("cut by the image's edges");
        assert_eq!((plate.rect.x0, plate.rect.y1), (0.0, 300.0));
    }

    #[test]
    fn a_yellow_plate_on_a_silver_car_of_the_same_grey_and_a_white_plate_on_a_white_car() {
        let (silver, yellow) = ([200, 200, 200], [250, 210, 30]);
        let (image, line) = scene_with_plate((100, 100, 120, 44), silver, yellow, grey(15));
        let plate = plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("told apart by colour");
        assert_eq!((plate.rect.x0, plate.rect.y0, plate.rect.x1, plate.rect.y1), (100.0, 100.0, 220.0, 144.0));
        // White on white above the plate, a bumper below it and the car's lamps beside it.
        let (mut image, line) = scene_with_plate((100, 100, 120, 44), grey(240), grey(240), grey(15));
        for y in 144..300 {
            for x in 0..400 {
                image.put_pixel(x, y, Rgb(grey(70)));
            }
        }
        for (x, y) in (0..100).chain(220..400).flat_map(|x| (100..144).map(move |y| (x, y))) {
            image.put_pixel(x, y, Rgb([190, 20, 20]));
        }
        let plate = plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("three ends seen");
        assert_eq!((plate.rect.x0, plate.rect.x1, plate.rect.y1), (100.0, 220.0, 144.0));
        assert!(plate.rect.y0 < line.y0 && plate.rect.y0 > 80.0, "{plate:?}");
    }

    #[test]
    fn a_white_plate_in_white_paint_that_ends_near_it_above_and_below_is_open_on_one_side() {
        // A white van's paint runs on above and below a narrow plate, to a window 16 px above
        // it and a bumper 11 px below: both within reach, which makes a box too tall for a
        // plate. The farther end is taken for the paint's, that side as unseen.
        let (mut image, line) = scene_with_line((100, 100, 70, 40), 16, grey(60), grey(240), grey(15));
        draw_filled_rect_mut(&mut image, Rect::at(100, 84).of_size(70, 16), Rgb(grey(240)));
        draw_filled_rect_mut(&mut image, Rect::at(100, 140).of_size(70, 11), Rgb(grey(240)));
        assert_eq!(plate_around(&image, &line, 0, MIN_CONTRAST_IN_A_SCENE), None, "with every end to be seen");
        let plate = plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("the top taken as unseen");
        assert_eq!((plate.rect.x0, plate.rect.x1, plate.rect.y1), (100.0, 170.0, 151.0));
        assert!(plate.rect.y0 > 95.0 && plate.rect.y0 < line.y0, "{plate:?}");
    }

    #[test]
    fn a_small_plate_out_of_focus_is_still_a_plate_in_a_scene() {
        // A dim plate 100 px wide whose strokes, two pixels wide, are blurred into its ground:
        // ink and ground lie 35 levels apart, the ground's spread is 9.
        let (sharp, line) = scene_with_line((150, 130, 100, 40), 20, grey(30), grey(150), grey(78));
        let blurred = imageproc::filter::gaussian_blur_f32(&sharp, 1.0);
        let tones = Tones::of_line(&blurred, &PixelBox::inside(&line, &blurred).expect("inside"), MIN_CONTRAST_IN_A_SCENE)
            .expect("ink and ground told apart");
        let contrast = colour_distance(&tones.ink, &tones.ground);
        assert!(contrast < 40.0, "contrast {contrast}");
        let plate = plate_around(&blurred, &line, 1, MIN_CONTRAST_IN_A_SCENE).expect("a plate");
        assert!(plate.rect.x0 < line.x0 && plate.rect.x1 > line.x1, "{plate:?}");
        assert_eq!(plate_around(&blurred, &line, 1, MIN_CONTRAST_ON_A_PAGE), None, "print this dim on a page is no plate");
    }

    #[test]
    fn a_line_on_a_page_that_goes_on_is_no_plate() {
        // Characters on a ground reaching far past a plate's margins.
        let (image, line) = scene_with_line((0, 0, 400, 300), 20, grey(60), grey(235), grey(30));
        assert_eq!(plate_around(&image, &line, 1, MIN_CONTRAST_IN_A_SCENE), None);
        assert_eq!(plate_around(&image, &line, 2, MIN_CONTRAST_IN_A_SCENE), None, "nor when two sides may go unseen");
        // Characters on a busy ground, and characters too faint to read.
        let (mut busy, line) = scene_with_plate((100, 100, 160, 80), grey(60), grey(235), grey(30));
        for (i, pixel) in busy.pixels_mut().enumerate() {
            if i % 3 == 0 {
                pixel.0 = grey(120);
            }
        }
        assert_eq!(plate_around(&busy, &line, 1, MIN_CONTRAST_IN_A_SCENE), None);
        let (faint, line) = scene_with_plate((100, 100, 160, 80), grey(60), grey(235), grey(215));
        assert_eq!(plate_around(&faint, &line, 1, MIN_CONTRAST_IN_A_SCENE), None);
    }
}
