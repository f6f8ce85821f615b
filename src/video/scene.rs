//! Shot boundaries. Tracks must not carry a face's box across a cut into an unrelated picture,
//! nor fill a "gap" that is really two different shots.
//!
//! Each frame's coarsest grey thumbnail (the one camera motion starts from) is reduced to a
//! grid of cell means; a cut is a frame whose grid differs from the previous one by more than
//! `CUT_DIFFERENCE` grey levels on average. A pan or a person walking moves a few cells; a cut
//! changes nearly all of them.

use image::GrayImage;

const THUMB_SIDE: u32 = 16;
const CUT_DIFFERENCE: f32 = 40.0;

#[derive(Default)]
pub struct SceneCuts {
    previous: Option<Vec<f32>>,
}

impl SceneCuts {
    /// Whether the frame of this grey thumbnail starts a new shot (the first frame always does).
    pub fn is_cut(&mut self, thumbnail: &GrayImage) -> bool {
        let thumb = cell_means(thumbnail);
        let cut = match &self.previous {
            None => true,
            Some(previous) => previous.iter().zip(&thumb).map(|(a, b)| (a - b).abs()).sum::<f32>() / thumb.len() as f32 > CUT_DIFFERENCE,
        };
        self.previous = Some(thumb);
        cut
    }
}

/// Mean grey level of each cell of a `THUMB_SIDE` x `THUMB_SIDE` grid.
fn cell_means(grey: &GrayImage) -> Vec<f32> {
    let (width, height) = grey.dimensions();
    let mut sums = vec![(0.0f32, 0u32); (THUMB_SIDE * THUMB_SIDE) as usize];
    for (x, y, pixel) in grey.enumerate_pixels() {
        let cell = &mut sums[((y * THUMB_SIDE / height) * THUMB_SIDE + x * THUMB_SIDE / width) as usize];
        cell.0 += f32::from(pixel[0]);
        cell.1 += 1;
    }
    sums.into_iter().map(|(sum, n)| if n == 0 { 0.0 } else { sum / n as f32 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::motion::Thumbnails;
    use image::{Rgb, RgbImage};

    /// The coarsest thumbnail of a textured picture shifted `dx` pixels sideways.
    fn picture(dx: u32, seed: u32) -> GrayImage {
        let frame = RgbImage::from_fn(320, 180, |x, y| {
            let v = (((x + dx) / 20 * 37 + y / 20 * 91 + seed * 53) % 200 + 30) as u8;
            Rgb([v, v, v / 2])
        });
        Thumbnails::of(&frame).unwrap().coarsest().clone()
    }

    #[test]
    fn a_pan_is_one_shot_and_a_different_picture_is_a_cut() {
        let mut cuts = SceneCuts::default();
        assert!(cuts.is_cut(&picture(0, 1)), "the first frame starts a shot");
        for dx in 1..10 {
            assert!(!cuts.is_cut(&picture(dx * 3, 1)), "panning {dx} steps");
        }
        assert!(cuts.is_cut(&picture(0, 7)));
        assert!(!cuts.is_cut(&picture(2, 7)));
    }

    #[test]
    fn fading_to_black_is_a_cut_once_it_is_dark() {
        let mut cuts = SceneCuts::default();
        cuts.is_cut(&picture(0, 1));
        assert!(cuts.is_cut(&GrayImage::new(80, 45)));
    }
}
