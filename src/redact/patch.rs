//! Areas painted together. A face found by two passes, or followed by two tracks, comes as
//! several areas that largely cover one another: a crowd frame of a video holds hundreds of
//! them, and painting them one by one took a seventh of a video's CPU time. A patch computes
//! its replacement once, over the rectangle around areas that repeat one another, and paints
//! it on every pixel that any of them contains: the same pixels as painting each, each
//! replaced from a region at least as large as its own.

use super::{Redaction, RedactionMode, Shape};
use crate::geometry::{direction, midpoint, PixelRect};
use std::ops::Range;

/// Areas of one mode overlapping at least this much (intersection over union) are repeats.
const REPEAT_IOU: f32 = 0.3;

pub(super) struct Patch {
    /// The rectangle around every member.
    pub bounds: PixelRect,
    pub mode: RedactionMode,
    members: Vec<Redaction>,
}

impl Patch {
    fn new(first: Redaction) -> Self {
        Self { bounds: first.rect, mode: first.mode, members: vec![first] }
    }

    /// The areas in patches, in the order of each patch's first area: an area joins the first
    /// patch of its mode whose first area it repeats.
    pub fn group(areas: &[Redaction]) -> Vec<Patch> {
        let mut patches: Vec<Patch> = Vec::new();
        for &area in areas {
            let repeated = patches.iter_mut().find(|patch| patch.mode == area.mode && iou(patch.members[0].rect, area.rect) >= REPEAT_IOU);
            match repeated {
                Some(patch) => patch.add(area),
                None => patches.push(Patch::new(area)),
            }
        }
        patches
    }

    fn add(&mut self, area: Redaction) {
        let (b, r) = (self.bounds, area.rect);
        let (x0, y0) = (b.x.min(r.x), b.y.min(r.y));
        let (x1, y1) = ((b.x + b.width).max(r.x + r.width), (b.y + b.height).max(r.y + r.height));
        self.bounds = PixelRect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
        self.members.push(area);
    }

    /// The columns of row `y` of the bounds (both relative to the bounds) that some member
    /// contains, as sorted, disjoint ranges written into `spans`.
    pub fn row_spans(&self, y: u32, spans: &mut Vec<Range<u32>>) {
        spans.clear();
        let row = self.bounds.y + y;
        for member in &self.members {
            let r = member.rect;
            if row < r.y || row >= r.y + r.height {
                continue;
            }
            let span = member.row_span(row - r.y);
            let shift = r.x - self.bounds.x;
            if !span.is_empty() {
                spans.push(span.start + shift..span.end + shift);
            }
        }
        if spans.len() > 1 {
            spans.sort_by_key(|span| span.start);
            let mut merged = 0;
            for i in 1..spans.len() {
                if spans[i].start <= spans[merged].end {
                    spans[merged].end = spans[merged].end.max(spans[i].end);
                } else {
                    merged += 1;
                    spans[merged] = spans[i].clone();
                }
            }
            spans.truncate(merged + 1);
        }
    }

    /// Whether every member is print, outlined by a quad (a line of text, a barcode, a
    /// plate): only print is painted over its print. A reviewer's box or a boxed face is a
    /// rectangle and black whole, and so is a line boxed together with one of them.
    pub fn is_print(&self) -> bool {
        self.members.iter().all(|member| matches!(member.shape, Shape::Quad(_)))
    }

    /// Where each pixel of the bounds (relative to them) lies on its line of print, in whole
    /// pixels: how far along the line, and how far across it. For a text box, measured from
    /// the middle of the top edge of its first member's outline, which may slant; for any
    /// other area, the image's own columns and rows.
    pub fn place_on_its_line(&self) -> impl Fn(u32, u32) -> LinePlace {
        let origin = (self.bounds.x as f32, self.bounds.y as f32);
        let (top, along, across) = match self.members[0].shape {
            Shape::Quad(corners) => {
                let (top, bottom) = (midpoint(corners[0], corners[1]), midpoint(corners[3], corners[2]));
                let across = direction(top, bottom).unwrap_or((0.0, 1.0));
                (top, (across.1, -across.0), across)
            }
            Shape::Rectangle | Shape::Ellipse => (origin, (1.0, 0.0), (0.0, 1.0)),
        };
        move |x, y| {
            let (dx, dy) = (origin.0 + x as f32 + 0.5 - top.0, origin.1 + y as f32 + 0.5 - top.1);
            LinePlace { along: (dx * along.0 + dy * along.1).floor() as i32, across: (dx * across.0 + dy * across.1).floor() as i32 }
        }
    }
}

/// A pixel's place on a line of print, in whole pixels (`Patch::place_on_its_line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LinePlace {
    pub along: i32,
    pub across: i32,
}

/// Patches in the order to paint them, each over what came before: blurs and blocks from the
/// largest to the smallest, so that each face ends up with its own grain, not the ramps of a
/// coarser neighbour's cells across it; then solid boxes, which nothing may show through.
pub(super) fn in_painting_order(mut patches: Vec<Patch>) -> Vec<Patch> {
    patches.sort_by_key(|patch| (patch.mode == RedactionMode::Box, std::cmp::Reverse(patch.bounds.width.max(patch.bounds.height))));
    patches
}

fn iou(a: PixelRect, b: PixelRect) -> f32 {
    a.to_bbox().iou(&b.to_bbox())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ellipse(x: u32, y: u32, width: u32, height: u32, mode: RedactionMode) -> Redaction {
        Redaction { rect: PixelRect { x, y, width, height }, mode, shape: Shape::Ellipse }
    }

    #[test]
    fn repeats_of_one_mode_share_a_patch_and_others_keep_their_own() {
        let face = ellipse(10, 10, 40, 50, RedactionMode::Blur);
        let shifted = ellipse(14, 13, 40, 50, RedactionMode::Blur);
        let elsewhere = ellipse(100, 10, 40, 50, RedactionMode::Blur);
        let boxed = ellipse(12, 10, 40, 50, RedactionMode::Box);
        let patches = Patch::group(&[face, elsewhere, shifted, boxed]);
        let members: Vec<Vec<Redaction>> = patches.iter().map(|p| p.members.clone()).collect();
        assert_eq!(members, [vec![face, shifted], vec![elsewhere], vec![boxed]]);
        assert_eq!(patches[0].bounds, PixelRect { x: 10, y: 10, width: 44, height: 53 });
    }

    #[test]
    fn a_place_on_a_line_reading_downwards_runs_along_the_rows_and_across_the_columns() {
        // Turned a quarter clockwise: the line reads down the image, its top edge on the right.
        let quad = [(20.0, 0.0), (20.0, 40.0), (10.0, 40.0), (10.0, 0.0)];
        let line = Redaction { rect: PixelRect { x: 10, y: 0, width: 10, height: 40 }, mode: RedactionMode::Box, shape: Shape::Quad(quad) };
        let place = Patch::new(line).place_on_its_line();
        assert_eq!(place(9, 20), LinePlace { along: 0, across: 0 }, "the middle of the top edge");
        assert_eq!(place(5, 30), LinePlace { along: 10, across: 4 });
        assert_eq!(place(0, 0).across, 9, "the bottom edge, 10 pixels across");
        let upright = Patch::new(ellipse(10, 10, 40, 50, RedactionMode::Box)).place_on_its_line();
        assert_eq!(upright(7, 3), LinePlace { along: 7, across: 3 }, "any other shape: the image's columns and rows");
    }

    #[test]
    fn row_spans_are_exactly_the_pixels_some_member_contains() {
        let members = [
            ellipse(20, 20, 40, 50, RedactionMode::Blur),
            ellipse(26, 17, 37, 48, RedactionMode::Blur),
            ellipse(18, 30, 30, 44, RedactionMode::Blur),
            Redaction { shape: Shape::Rectangle, ..ellipse(30, 40, 6, 3, RedactionMode::Blur) },
        ];
        let mut patch = Patch::new(members[0]);
        members[1..].iter().for_each(|&m| patch.add(m));
        let b = patch.bounds;
        let mut spans = Vec::new();
        for y in 0..b.height {
            patch.row_spans(y, &mut spans);
            assert!(spans.windows(2).all(|w| w[0].end < w[1].start), "row {y}: {spans:?} not sorted and disjoint");
            for x in 0..b.width {
                let painted = spans.iter().any(|s| s.contains(&x));
                let contained = members.iter().any(|m| m.contains(b.x + x, b.y + y));
                assert_eq!(painted, contained, "({x}, {y}) of {b:?}");
            }
        }
    }
}
