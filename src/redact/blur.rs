//! Blur: a region reduced to a coarse grid of means, blurred there, and painted back.

use super::patch::Patch;
use super::{row_range, Buffer};
use crate::geometry::PixelRect;
use image::Pixel;
use imageproc::definitions::Clamp;

/// A region reduced to about `BLUR_WORK_SIDE` cells across, each the mean of its pixels, and
/// blurred there (sigma = a sixth of the region's size): whatever the face size, that coarse
/// grid is all the detail that survives, and the averaging throws the rest away for good. The
/// region is painted back from it by bilinear interpolation. Working small keeps a 1000-px
/// face as cheap as a 10-px one.
pub(super) struct BlurGrid {
    columns: usize,
    rows: usize,
    channels: usize,
    /// Per cell, row by row, its channels.
    values: Vec<f32>,
    /// Cells per pixel, across and down.
    step: (f32, f32),
}

const BLUR_WORK_SIDE: f32 = 12.0;
const BLUR_SIGMA_AT_WORK_SIDE: f32 = 2.0;

impl BlurGrid {
    pub(super) fn of<P>(image: &Buffer<P>, rect: PixelRect) -> Self
    where
        P: Pixel + 'static,
        P::Subpixel: Into<f32> + 'static,
    {
        let (w, h) = (rect.width as usize, rect.height as usize);
        let shrink = (BLUR_WORK_SIDE / w.max(h) as f32).min(1.0);
        let columns = ((w as f32 * shrink).round() as usize).max(1);
        let rows = ((h as f32 * shrink).round() as usize).max(1);
        let channels = usize::from(P::CHANNEL_COUNT);
        let column_of: Vec<usize> = (0..w).map(|x| x * columns / w).collect();
        let mut values = vec![0.0f32; columns * rows * channels];
        let mut counts = vec![0u32; columns * rows];
        for y in 0..h {
            let row = y * rows / h;
            let samples = &image.as_raw()[row_range(image, rect.x, rect.y + y as u32, rect.width)];
            for (pixel, &column) in samples.chunks_exact(channels).zip(&column_of) {
                let cell = row * columns + column;
                for (sum, &c) in values[cell * channels..][..channels].iter_mut().zip(pixel) {
                    *sum += c.into();
                }
                counts[cell] += 1;
            }
        }
        for (cell, &count) in counts.iter().enumerate() {
            values[cell * channels..][..channels].iter_mut().for_each(|v| *v /= count.max(1) as f32);
        }
        let mut grid = Self { columns, rows, channels, values, step: (columns as f32 / w as f32, rows as f32 / h as f32) };
        grid.gaussian((BLUR_SIGMA_AT_WORK_SIDE * columns.max(rows) as f32 / BLUR_WORK_SIDE).max(0.5));
        grid
    }

    /// Separable Gaussian blur of the cells, edges extended.
    fn gaussian(&mut self, sigma: f32) {
        let radius = (3.0 * sigma).ceil() as isize;
        let weights: Vec<f32> = (-radius..=radius).map(|d| (-((d * d) as f32) / (2.0 * sigma * sigma)).exp()).collect();
        let total: f32 = weights.iter().sum();
        let kernel: Vec<(isize, f32)> = (-radius..=radius).zip(weights.iter().map(|w| w / total)).collect();
        let channels = self.channels;
        // Along each row, then down each column: (cells per line, distance between its cells,
        // lines, distance between lines), in cells.
        for (length, stride, lines, line_stride) in [(self.columns, 1, self.rows, self.columns), (self.rows, self.columns, self.columns, 1)]
        {
            let source = self.values.clone();
            for line in 0..lines {
                for i in 0..length {
                    let target = (line * line_stride + i * stride) * channels;
                    let mut sums = [0.0f32; 4];
                    for &(d, weight) in &kernel {
                        let j = (i as isize + d).clamp(0, length as isize - 1) as usize;
                        let from = (line * line_stride + j * stride) * channels;
                        for (sum, value) in sums.iter_mut().zip(&source[from..from + channels]) {
                            *sum += weight * value;
                        }
                    }
                    self.values[target..target + channels].copy_from_slice(&sums[..channels]);
                }
            }
        }
    }

    /// Paints the patch's pixels with the grid, interpolated: each row of pixels from a row of
    /// the grid mixed from the two nearest, then across.
    pub(super) fn paint<P>(&self, image: &mut Buffer<P>, patch: &Patch)
    where
        P: Pixel + 'static,
        P::Subpixel: Clamp<f32> + 'static,
    {
        let rect = patch.bounds;
        // (lower cell, upper cell, weight of the upper) for each column and row of pixels.
        let around = |pixels: u32, step: f32, cells: usize| -> Vec<(usize, usize, f32)> {
            (0..pixels)
                .map(|p| {
                    let position = ((p as f32 + 0.5) * step - 0.5).clamp(0.0, (cells - 1) as f32);
                    let low = position as usize;
                    (low, (low + 1).min(cells - 1), position - low as f32)
                })
                .collect()
        };
        let (columns, rows) = (around(rect.width, self.step.0, self.columns), around(rect.height, self.step.1, self.rows));
        let (channels, line_length) = (self.channels, self.columns * self.channels);
        let mut line = vec![0.0f32; line_length];
        let mut spans = Vec::new();
        for (y, &(y0, y1, fy)) in rows.iter().enumerate() {
            patch.row_spans(y as u32, &mut spans);
            if spans.is_empty() {
                continue;
            }
            let (upper, lower) = (&self.values[y0 * line_length..][..line_length], &self.values[y1 * line_length..][..line_length]);
            for ((mixed, &a), &b) in line.iter_mut().zip(upper).zip(lower) {
                *mixed = a + (b - a) * fy;
            }
            let range = row_range(image, rect.x, rect.y + y as u32, rect.width);
            let samples = &mut (**image)[range];
            for span in &spans {
                let (start, end) = (span.start as usize, span.end as usize);
                let pixels = samples[start * channels..end * channels].chunks_exact_mut(channels);
                for (pixel, &(x0, x1, fx)) in pixels.zip(&columns[start..end]) {
                    for (c, out) in pixel.iter_mut().enumerate() {
                        let (a, b) = (line[x0 * channels + c], line[x1 * channels + c]);
                        *out = Clamp::clamp(a + (b - a) * fx);
                    }
                }
            }
        }
    }
}
