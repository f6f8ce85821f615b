//! 1-D codes: rxing reports one as the two ends of the scan line it decoded, which can stop
//! short of the outer bars (its Code 39 line can end half-way along the code) and can cross
//! the bars anywhere between their tops and bottoms. The code's whole extent is measured on
//! the thresholded image.

use crate::geometry::{direction, distance};
use rxing::common::BitMatrix;

/// The line is followed on while it crosses edges no further apart than this share of its
/// length: wider than any space between bars, narrower than the quiet zone around them.
const WIDEST_GAP_BETWEEN_BARS: f32 = 0.08;
/// A line parallel to the scan line crosses the bars while it crosses at least this share of
/// the scan line's edges (print and blur merge a few).
const STILL_ACROSS_BARS: f32 = 0.5;
/// The bars are taken to reach at least this share of the code's length above and below the
/// scan line, however few rows are measured.
const LEAST_BAR_HEIGHT_EACH_SIDE: f32 = 0.1;

/// The four corners of the 1-D code read along `start`..`end`: the line followed out to its
/// outer bars, and moved up and down as far as it still crosses them.
pub fn bars(matrix: &BitMatrix, start: (f32, f32), end: (f32, f32)) -> Vec<(f32, f32)> {
    let Some((dx, dy)) = direction(start, end) else { return vec![start, end] };
    let [start, end] = along(matrix, start, end, (dx, dy));
    let length = distance(start, end);
    let shifted = |p: (f32, f32), by: f32| (p.0 - dy * by, p.1 + dx * by);
    let edges_at = |by: f32| edges(matrix, shifted(start, by), shifted(end, by));
    let needed = (STILL_ACROSS_BARS * edges_at(0.0) as f32).ceil() as usize;
    let reach = |sign: f32| {
        let mut by = 1.0;
        while by < length && edges_at(sign * by) >= needed.max(1) {
            by += 1.0;
        }
        sign * (by - 1.0).max(LEAST_BAR_HEIGHT_EACH_SIDE * length)
    };
    let (above, below) = (reach(-1.0), reach(1.0));
    vec![shifted(start, above), shifted(end, above), shifted(end, below), shifted(start, below)]
}

/// The ends of the scan line, each moved out to the last edge between bars that follows on
/// within the widest gap between bars. Edges, not dark pixels, so light bars on dark count too.
fn along(matrix: &BitMatrix, start: (f32, f32), end: (f32, f32), (dx, dy): (f32, f32)) -> [(f32, f32); 2] {
    let widest_gap = (WIDEST_GAP_BETWEEN_BARS * distance(start, end)).max(3.0);
    let follow = |from: (f32, f32), (sx, sy): (f32, f32)| {
        let (mut last_edge, mut previous, mut step) = (0.0, ink_at(matrix, from), 1.0);
        while step - last_edge <= widest_gap {
            let Some(here) = ink_at(matrix, (from.0 + sx * step, from.1 + sy * step)) else { break };
            if Some(here) != previous {
                last_edge = step;
            }
            previous = Some(here);
            step += 1.0;
        }
        (from.0 + sx * last_edge, from.1 + sy * last_edge)
    };
    [follow(start, (-dx, -dy)), follow(end, (dx, dy))]
}

/// How many times the line from `from` to `to` changes between ink and paper, pixel by pixel.
fn edges(matrix: &BitMatrix, from: (f32, f32), to: (f32, f32)) -> usize {
    let steps = distance(from, to).round() as usize;
    let point = |i: usize| {
        let t = i as f32 / steps.max(1) as f32;
        (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t)
    };
    let samples: Vec<Option<bool>> = (0..=steps).map(|i| ink_at(matrix, point(i))).collect();
    samples.windows(2).filter(|pair| pair[0].is_some() && pair[1].is_some() && pair[0] != pair[1]).count()
}

/// Whether the pixel nearest `(x, y)` is ink; `None` outside the image.
fn ink_at(matrix: &BitMatrix, (x, y): (f32, f32)) -> Option<bool> {
    let (x, y) = (x.round(), y.round());
    (x >= 0.0 && y >= 0.0 && x < matrix.getWidth() as f32 && y < matrix.getHeight() as f32).then(|| matrix.get(x as u32, y as u32))
}
