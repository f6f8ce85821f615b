//! Runs a single-pass face detector coarse-to-fine and merges the results.
//!
//! CenterFace at native resolution misses faces under about 15 px, which crowd photos are full
//! of; on an upscaled copy it finds smaller ones, at the square of the factor in cost. So:
//! 1. a first pass over the whole image (scaled down only when it is large);
//! 2. a small-face pass at `upscale`x over the parts where the first pass saw small faces, even
//!    weak ones (a crowd announces itself), or over the whole image when that is cheap;
//! 3. for large images, a coarse pass that catches faces too big for the network's field of view.
//!
//! Measured on the development set (207 faces, 113 under 32 px): a 1.5x small-face pass with a
//! 2 MP first pass redacts 99.5% of faces in 4.8 s; 2x with 3 MP, 99.0% in 7.7 s.
//!
//! Tiles bound the memory of each pass; their overlap is wider than the faces the finer passes
//! exist for, so no such face is cut in two.

use super::fuse::fuse_passes;
use super::{Detector, FaceModel, Region};
use crate::geometry::BBox;
use crate::geometry::PixelRect;
use crate::media::margin::{with_mirrored_margins, Margins};
use crate::media::resize::resize_area;
use anyhow::{ensure, Result};
use image::RgbImage;

/// How the passes are chosen. Everything depends on the image alone, never on timing, so the
/// same image always gives the same result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalePlan {
    /// The first pass sees the whole image, scaled down to at most this many pixels.
    pub first_pass_max_pixels: u64,
    /// Factor, relative to the original, of the small-face pass.
    pub upscale: f32,
    /// Images up to this many pixels get the small-face pass everywhere.
    pub always_upscale_max_pixels: u64,
    /// First-pass detections at least this confident...
    pub trigger_score: f32,
    /// ...and smaller than this (in first-pass pixels) call for the small-face pass around them.
    pub small_face_px: f32,
    /// Area around each such face that the small-face pass covers, in original pixels.
    pub neighbourhood_px: f32,
    /// The small-face pass is scaled down (never below 1x) to stay within this many pixels.
    pub upscale_max_pixels: u64,
    /// Images whose longer side exceeds twice this also get a pass at this longer side.
    pub coarse_side: u32,
    /// Tile side and overlap, in pixels of the scaled image.
    pub tile: u32,
    pub overlap: u32,
    /// The networks that run the first and coarse passes, and the small-face pass (the one
    /// the detector was given stands in for one it was not): `FaceNetworks` chooses them. With
    /// the mirrored margins below, the 8-bit copy finds the same faces of the development set
    /// as the full network in every pass (without them, one fewer).
    pub first_pass_model: FaceModel,
    pub small_face_model: FaceModel,
    /// The first and coarse passes see the image extended beyond its border by this many
    /// pixels (of the view) of itself mirrored: a face cut by the border then looks whole to
    /// the network. With 70% of the astronaut's face cut off by the border, its score rises
    /// from 0.23-0.29 to 0.42-0.75 (8-bit network, at three sizes); a sliver of face at the
    /// parade photo's edge, which the 8-bit network missed, is found at 0.18. Not the
    /// small-face pass: enlarged, the mirrored edge of the astronaut photo looked like a face.
    pub mirrored_margin: u32,
}

impl Default for ScalePlan {
    fn default() -> Self {
        Self {
            first_pass_max_pixels: 2_000_000,
            upscale: 1.5,
            always_upscale_max_pixels: 600_000,
            trigger_score: 0.05,
            small_face_px: 40.0,
            neighbourhood_px: 128.0,
            upscale_max_pixels: 24_000_000,
            coarse_side: 640,
            tile: 2560,
            overlap: 128,
            first_pass_model: FaceModel::Full,
            small_face_model: FaceModel::Full,
            mirrored_margin: 16,
        }
    }
}

impl ScalePlan {
    /// The first pass alone (and the coarse one on large images): for video frames between
    /// those that get the full plan, whose small faces tracking carries over.
    pub fn first_pass_only(&self) -> Self {
        Self { upscale: 1.0, always_upscale_max_pixels: 0, ..self.clone() }
    }
}

pub struct MultiScale<D> {
    full: Option<D>,
    quantized: Option<D>,
    nms_iou: f32,
}

impl<D: Detector> MultiScale<D> {
    /// With the full network, its 8-bit copy, or both: where a plan asks for one it was not
    /// given, the other stands in. The networks must report detections down to the plans'
    /// `trigger_score`; callers apply their own threshold to what this returns.
    pub fn new(full: Option<D>, quantized: Option<D>) -> Result<Self> {
        ensure!(full.is_some() || quantized.is_some(), "a face detector needs a network");
        Ok(Self { full, quantized, nms_iou: 0.3 })
    }

    /// The networks it has, the full one first.
    pub fn networks(&self) -> impl Iterator<Item = &D> {
        self.full.iter().chain(&self.quantized)
    }

    fn network(&mut self, model: FaceModel) -> &mut D {
        let (asked, other) = match model {
            FaceModel::Full => (&mut self.full, &mut self.quantized),
            FaceModel::Quantized => (&mut self.quantized, &mut self.full),
        };
        match asked {
            Some(network) => network,
            None => other.as_mut().expect("`new` keeps at least one network"),
        }
    }

    /// Detects inside `area` of the image, seen at `scale`, tile by tile, with `model`; tiles
    /// on the image border are extended by `margin` pixels of their mirror image.
    fn run_pass(
        &mut self,
        image: &RgbImage,
        area: PixelRect,
        scale: f32,
        plan: &ScalePlan,
        model: FaceModel,
        margin: u32,
    ) -> Result<Vec<Region>> {
        let tile = ((plan.tile as f32 / scale).round() as u32).max(1);
        let overlap = (plan.overlap as f32 / scale).round() as u32;
        let mut found = Vec::new();
        for y in tile_starts(area.height, tile, overlap) {
            for x in tile_starts(area.width, tile, overlap) {
                let part = PixelRect { x: area.x + x, y: area.y + y, width: tile.min(area.width - x), height: tile.min(area.height - y) };
                let view = scaled_view(image, part, scale)?;
                let actual_scale = view.width() as f32 / part.width as f32;
                let margins = margins_at_border(part, image, margin);
                found.extend(
                    self.detect_in_mirror(&view, margins, model)?
                        .into_iter()
                        .map(|r| Region { bbox: r.bbox.unscale(actual_scale, part.x as f32, part.y as f32), ..r }),
                );
            }
        }
        Ok(found)
    }

    /// Detects in `view` extended by `margins` of its mirror image; boxes come back in the
    /// view's pixels, cut to the view (a mirrored face wholly in a margin is dropped).
    fn detect_in_mirror(&mut self, view: &RgbImage, margins: Margins, model: FaceModel) -> Result<Vec<Region>> {
        if margins == Margins::default() {
            return self.network(model).detect(view);
        }
        let (left, top) = (margins.left as f32, margins.top as f32);
        let found = self.network(model).detect(&with_mirrored_margins(view, margins))?;
        Ok(found
            .into_iter()
            .map(|r| Region { bbox: r.bbox.unscale(1.0, -left, -top).clipped_to(view.width(), view.height()), ..r })
            .filter(|r| r.bbox.area() > 0.0)
            .collect())
    }

    /// Where the small-face pass should look, given what the first pass saw.
    fn small_face_areas(image: &RgbImage, first: &[Region], first_scale: f32, plan: &ScalePlan) -> Vec<PixelRect> {
        let whole = PixelRect::whole(image);
        if whole.pixels() <= plan.always_upscale_max_pixels {
            return vec![whole];
        }
        let seeds: Vec<BBox> = first
            .iter()
            .filter(|r| r.score >= plan.trigger_score && r.bbox.height() * first_scale < plan.small_face_px)
            .map(|r| {
                let grow = plan.neighbourhood_px.max(2.0 * r.bbox.height());
                BBox { x0: r.bbox.x0 - grow, y0: r.bbox.y0 - grow, x1: r.bbox.x1 + grow, y1: r.bbox.y1 + grow }
            })
            .collect();
        merge_overlapping(seeds).iter().map(|b| clip(b, image)).filter(|a| a.pixels() > 0).collect()
    }

    /// Faces in `image`, looked for at the scales `plan` calls for.
    pub fn detect(&mut self, image: &RgbImage, plan: &ScalePlan) -> Result<Vec<Region>> {
        let whole = PixelRect::whole(image);
        let first_scale = fit_scale(whole.pixels(), plan.first_pass_max_pixels).min(1.0);
        let first = self.run_pass(image, whole, first_scale, plan, plan.first_pass_model, plan.mirrored_margin)?;
        let areas = Self::small_face_areas(image, &first, first_scale, plan);
        let mut passes = vec![first];
        let upscale_pixels: u64 = areas.iter().map(PixelRect::pixels).sum();
        let upscale = plan.upscale.min(fit_scale(upscale_pixels, plan.upscale_max_pixels)).max(1.0);
        if upscale > first_scale {
            let mut fine = Vec::new();
            for area in areas {
                fine.extend(self.run_pass(image, area, upscale, plan, plan.small_face_model, 0)?);
            }
            passes.push(fine);
        }

        let longer = image.width().max(image.height());
        if longer > 2 * plan.coarse_side {
            let coarse_scale = plan.coarse_side as f32 / longer as f32;
            passes.push(self.run_pass(image, whole, coarse_scale, plan, plan.first_pass_model, plan.mirrored_margin)?);
        }
        Ok(fuse_passes(passes, self.nms_iou))
    }
}

/// `margin` on each side of `part` that lies on the image's border, none on the others (there
/// the view goes on into the neighbouring tile's real pixels).
fn margins_at_border(part: PixelRect, image: &RgbImage, margin: u32) -> Margins {
    let on_border = |yes: bool| if yes { margin } else { 0 };
    Margins {
        left: on_border(part.x == 0),
        top: on_border(part.y == 0),
        right: on_border(part.x + part.width == image.width()),
        bottom: on_border(part.y + part.height == image.height()),
    }
}

/// The scale at which `pixels` shrink or grow to `budget`.
fn fit_scale(pixels: u64, budget: u64) -> f32 {
    (budget as f64 / pixels.max(1) as f64).sqrt() as f32
}

/// Unions boxes that overlap, repeatedly, until none do.
fn merge_overlapping(mut boxes: Vec<BBox>) -> Vec<BBox> {
    let mut merged = true;
    while merged {
        merged = false;
        let mut out: Vec<BBox> = Vec::with_capacity(boxes.len());
        for b in boxes {
            match out.iter_mut().find(|o| o.intersection(&b) > 0.0) {
                Some(o) => {
                    *o = o.union(&b);
                    merged = true;
                }
                None => out.push(b),
            }
        }
        boxes = out;
    }
    boxes
}

fn clip(b: &BBox, image: &RgbImage) -> PixelRect {
    let x0 = b.x0.max(0.0).floor() as u32;
    let y0 = b.y0.max(0.0).floor() as u32;
    let x1 = (b.x1.ceil().max(0.0) as u32).min(image.width());
    let y1 = (b.y1.ceil().max(0.0) as u32).min(image.height());
    PixelRect { x: x0, y: y0, width: x1.saturating_sub(x0), height: y1.saturating_sub(y0) }
}

/// The `area` of the image resized by `scale` (at least 1 px each way).
fn scaled_view(image: &RgbImage, area: PixelRect, scale: f32) -> Result<RgbImage> {
    let side = |length: u32| ((length as f32 * scale).round() as u32).max(1);
    resize_area(image, area, side(area.width), side(area.height))
}

/// Start offsets of tiles of side `tile` covering `len` pixels, neighbours overlapping by at
/// least `overlap`, spread evenly so the last tile ends exactly at the edge.
fn tile_starts(len: u32, tile: u32, overlap: u32) -> Vec<u32> {
    if len <= tile {
        return vec![0];
    }
    let step = tile.saturating_sub(overlap).max(1);
    let count = (len - overlap.min(len)).div_ceil(step).max(2);
    let span = u64::from(len - tile);
    (0..count).map(|i| (span * u64::from(i) / u64::from(count - 1)) as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::RegionKind;

    #[test]
    fn tiles_cover_the_whole_side_with_the_required_overlap() {
        for (len, tile, overlap) in [(5000, 1536, 128), (1537, 1536, 128), (3000, 1000, 100)] {
            let starts = tile_starts(len, tile, overlap);
            assert_eq!(starts[0], 0);
            assert_eq!(starts.last().unwrap() + tile, len);
            for pair in starts.windows(2) {
                assert!(pair[0] + tile >= pair[1] + overlap, "{len} {tile} {overlap}: {starts:?}");
            }
        }
        assert_eq!(tile_starts(800, 1536, 128), vec![0]);
    }

    #[test]
    fn overlapping_neighbourhoods_merge_into_one_area() {
        let b = |x0: f32, x1: f32| BBox { x0, y0: 0.0, x1, y1: 10.0 };
        let merged = merge_overlapping(vec![b(0.0, 10.0), b(50.0, 60.0), b(5.0, 55.0), b(100.0, 110.0)]);
        assert_eq!(merged, vec![b(0.0, 60.0), b(100.0, 110.0)]);
    }

    /// Records the size of every view it is shown, and "finds" `first_finds` in the first.
    struct Recorder {
        views: Vec<(u32, u32)>,
        first_finds: Vec<BBox>,
    }

    impl Recorder {
        fn new() -> Self {
            // One small face, weak enough to count only as a hint.
            Self::finding(vec![BBox { x0: 500.0, y0: 500.0, x1: 510.0, y1: 512.0 }])
        }

        fn finding(first_finds: Vec<BBox>) -> Self {
            Self { views: Vec::new(), first_finds }
        }
    }

    impl Detector for Recorder {
        fn detect(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
            self.views.push(image.dimensions());
            let found = if self.views.len() == 1 { self.first_finds.clone() } else { vec![] };
            Ok(found.into_iter().map(|bbox| Region { bbox, kind: RegionKind::Face, score: 0.1, quad: None }).collect())
        }
    }

    fn views(network: &Option<Recorder>) -> &Vec<(u32, u32)> {
        &network.as_ref().expect("the network was given").views
    }

    /// The default plan without mirrored margins, so that views have the sizes of their areas.
    fn unmirrored() -> ScalePlan {
        ScalePlan { mirrored_margin: 0, ..ScalePlan::default() }
    }

    #[test]
    fn a_weak_small_face_calls_for_an_upscaled_look_around_it_only() {
        let mut detector = MultiScale::new(Some(Recorder::new()), None).unwrap();
        detector.detect(&RgbImage::new(1200, 1000), &unmirrored()).unwrap();
        let views = views(&detector.full);
        assert_eq!(views[0], (1200, 1000), "first pass sees the whole image");
        // neighbourhood 128 px around the 10x12 face, at 1.5x
        assert_eq!(views[1], (399, 402));
        assert_eq!(views.len(), 2, "no coarse pass below 1280 px");
    }

    #[test]
    fn small_images_are_always_upscaled_and_large_ones_get_a_coarse_pass() {
        let mut small = MultiScale::new(Some(Recorder::new()), None).unwrap();
        small.detect(&RgbImage::new(400, 300), &unmirrored()).unwrap();
        assert_eq!(*views(&small.full), vec![(400, 300), (600, 450)]);

        let mut large = MultiScale::new(Some(Recorder::new()), None).unwrap();
        large.detect(&RgbImage::new(3000, 2000), &unmirrored()).unwrap();
        let views = views(&large.full);
        assert_eq!(views[0], (1732, 1155), "first pass shrunk to 2 MP");
        assert_eq!(*views.last().unwrap(), (640, 427), "coarse pass");
    }

    #[test]
    fn each_pass_runs_on_the_network_its_plan_names() {
        let plan = ScalePlan { first_pass_model: FaceModel::Full, small_face_model: FaceModel::Quantized, ..unmirrored() };
        let mut both = MultiScale::new(Some(Recorder::new()), Some(Recorder::new())).unwrap();
        both.detect(&RgbImage::new(400, 300), &plan).unwrap();
        assert_eq!(*views(&both.full), vec![(400, 300)]);
        assert_eq!(*views(&both.quantized), vec![(600, 450)]);
        let mut full_only = MultiScale::new(Some(Recorder::new()), None).unwrap();
        full_only.detect(&RgbImage::new(400, 300), &plan).unwrap();
        assert_eq!(*views(&full_only.full), vec![(400, 300), (600, 450)], "the full network stands in");
        let mut quantized_only = MultiScale::new(None, Some(Recorder::new())).unwrap();
        quantized_only.detect(&RgbImage::new(400, 300), &plan).unwrap();
        assert_eq!(*views(&quantized_only.quantized), vec![(400, 300), (600, 450)], "and the other way round");
        assert!(MultiScale::<Recorder>::new(None, None).is_err(), "a detector without a network");
    }

    #[test]
    fn the_first_pass_only_plan_makes_no_small_face_pass_however_small_the_image() {
        let mut detector = MultiScale::new(Some(Recorder::new()), None).unwrap();
        detector.detect(&RgbImage::new(400, 300), &unmirrored().first_pass_only()).unwrap();
        detector.detect(&RgbImage::new(1200, 1000), &unmirrored().first_pass_only()).unwrap();
        assert_eq!(*views(&detector.full), vec![(400, 300), (1200, 1000)]);
    }

    #[test]
    fn views_at_the_border_are_seen_mirrored_and_what_is_found_comes_back_cut_to_the_image() {
        let plan = ScalePlan { mirrored_margin: 16, ..ScalePlan::default().first_pass_only() };
        let b = |x0: f32, y0: f32, x1: f32, y1: f32| BBox { x0, y0, x1, y1 };
        // In the mirrored view: a face across the left border, one inside the image, and the
        // mirror image of a face, wholly in the top margin.
        let finds = vec![b(6.0, 100.0, 36.0, 140.0), b(216.0, 116.0, 246.0, 156.0), b(100.0, 0.0, 120.0, 12.0)];
        let mut detector = MultiScale::new(Some(Recorder::finding(finds)), None).unwrap();
        let found = detector.detect(&RgbImage::new(400, 300), &plan).unwrap();
        assert_eq!(*views(&detector.full), vec![(432, 332)], "16 px more on every side");
        let mut boxes: Vec<BBox> = found.iter().map(|r| r.bbox).collect();
        boxes.sort_by(|p, q| p.x0.total_cmp(&q.x0));
        assert_eq!(boxes, vec![b(0.0, 84.0, 20.0, 124.0), b(200.0, 100.0, 230.0, 140.0)]);
    }

    #[test]
    fn tiles_are_mirrored_only_on_the_image_border_not_at_their_seams() {
        let whole = RgbImage::new(1000, 800);
        let margins = |x, y, width, height| margins_at_border(PixelRect { x, y, width, height }, &whole, 16);
        assert_eq!(margins(0, 0, 1000, 800), Margins { left: 16, top: 16, right: 16, bottom: 16 });
        assert_eq!(margins(0, 0, 600, 800), Margins { left: 16, top: 16, right: 0, bottom: 16 });
        assert_eq!(margins(400, 300, 600, 500), Margins { left: 0, top: 0, right: 16, bottom: 16 });
        assert_eq!(margins(100, 100, 200, 200), Margins::default());
    }
}
