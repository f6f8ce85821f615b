//! Camera motion: how far the picture moved between consecutive frames. In a pan every face
//! moves with the camera; a face seen only now and then (small, or at the edge of the frame)
//! has no motion of its own to follow, and would otherwise be held where it was last seen
//! while the camera moves it away from its box.
//!
//! Coarse to fine block matching on grey thumbnails: the best shift within a few cells on an
//! 80-px-wide thumbnail, refined on 160 and 320 px ones. Translation only: zoom and rotation
//! are left to each track's own motion.

use crate::media::resize::resize;
use anyhow::Result;
use image::{imageops, GrayImage, RgbImage};

/// Thumbnail widths, coarse to fine, and how far (in pixels of each) the search reaches.
const LEVELS: [(u32, i32); 3] = [(80, 8), (160, 1), (320, 1)];

/// A frame's grey thumbnails, coarse to fine (see `LEVELS`); the coarsest also tells scene
/// cuts.
pub struct Thumbnails {
    levels: Vec<GrayImage>,
    frame_width: u32,
}

impl Thumbnails {
    pub fn of(frame: &RgbImage) -> Result<Self> {
        let grey = imageops::grayscale(frame);
        let levels = LEVELS
            .iter()
            .map(|&(width, _)| {
                let width = width.min(frame.width()).max(1);
                let height = (frame.height() * width / frame.width().max(1)).max(1);
                resize(&grey, width, height)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { levels, frame_width: frame.width() })
    }

    pub fn coarsest(&self) -> &GrayImage {
        &self.levels[0]
    }
}

#[derive(Default)]
pub struct CameraMotion {
    previous: Option<Vec<GrayImage>>,
}

impl CameraMotion {
    /// The shift, in pixels of the frame, that carries the previous frame's content onto this
    /// one's ((0, 0) for the first).
    pub fn shift(&mut self, thumbnails: Thumbnails) -> (f32, f32) {
        let Some(previous) = self.previous.replace(thumbnails.levels) else { return (0.0, 0.0) };
        let current = self.previous.as_ref().expect("just stored");
        let mut best = (0i32, 0i32);
        for (level, (&(_, reach), (before, now))) in LEVELS.iter().zip(previous.iter().zip(current)).enumerate() {
            if level > 0 {
                let growth = now.width() as f32 / current[level - 1].width() as f32;
                best = ((best.0 as f32 * growth).round() as i32, (best.1 as f32 * growth).round() as i32);
            }
            best = best_shift(before, now, best, reach);
        }
        let finest = &current[current.len() - 1];
        let scale = thumbnails.frame_width as f32 / finest.width() as f32;
        (best.0 as f32 * scale, best.1 as f32 * scale)
    }
}

/// The shift within `reach` of `around` with the least mean absolute difference.
fn best_shift(before: &GrayImage, now: &GrayImage, around: (i32, i32), reach: i32) -> (i32, i32) {
    let mut best = (f32::MAX, around);
    for dy in around.1 - reach..=around.1 + reach {
        for dx in around.0 - reach..=around.0 + reach {
            if let Some(difference) = mean_difference(before, now, dx, dy) {
                if difference < best.0 {
                    best = (difference, (dx, dy));
                }
            }
        }
    }
    best.1
}

/// Mean |before(x, y) - now(x + dx, y + dy)| where both exist, if they overlap enough to say.
fn mean_difference(before: &GrayImage, now: &GrayImage, dx: i32, dy: i32) -> Option<f32> {
    let (w, h) = (before.width() as i32, before.height() as i32);
    let (x0, x1) = ((-dx).max(0), (w - dx).min(w));
    let (y0, y1) = ((-dy).max(0), (h - dy).min(h));
    if (x1 - x0) * 2 < w || (y1 - y0) * 2 < h {
        return None;
    }
    let (a, b) = (before.as_raw(), now.as_raw());
    let mut total = 0u64;
    for y in y0..y1 {
        let row_a = &a[(y * w) as usize..][x0 as usize..x1 as usize];
        let row_b = &b[((y + dy) * w) as usize..][(x0 + dx) as usize..(x1 + dx) as usize];
        total += row_a.iter().zip(row_b).map(|(&p, &q)| u64::from(p.abs_diff(q))).sum::<u64>();
    }
    Some(total as f32 / ((x1 - x0) * (y1 - y0)) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A textured scene too large for the frame, and the frame's view of it at (x, y).
    fn view(x: u32, y: u32) -> RgbImage {
        let scene = RgbImage::from_fn(900, 500, |x, y| {
            let v = ((x / 9 * 31 + y / 7 * 57 + (x * y) / 97) % 220 + 20) as u8;
            Rgb([v, v.wrapping_mul(3), 255 - v])
        });
        imageops::crop_imm(&scene, x, y, 640, 360).to_image()
    }

    #[test]
    fn a_pan_is_measured_to_within_a_couple_of_pixels() {
        let mut motion = CameraMotion::default();
        let mut shift = |x, y| motion.shift(Thumbnails::of(&view(x, y)).unwrap());
        assert_eq!(shift(100, 60), (0.0, 0.0));
        // The camera moves right and down: the content moves left and up.
        for (x, y, expected) in [(107, 62, (-7.0, -2.0)), (130, 50, (-23.0, 12.0)), (130, 50, (0.0, 0.0))] {
            let (dx, dy) = shift(x, y);
            assert!((dx - expected.0).abs() <= 2.0 && (dy - expected.1).abs() <= 2.0, "({dx}, {dy}) for {expected:?}");
        }
    }
}
