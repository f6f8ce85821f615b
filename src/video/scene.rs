//! Shot boundaries. Tracks must not carry a face's box across a cut into an unrelated picture,
//! nor fill a "gap" that is really two different shots.
//!
//! Each frame is reduced to a coarse grey thumbnail; a cut is a frame whose thumbnail differs
//! from the previous one by more than `CUT_DIFFERENCE` grey levels on average. A pan or a person
//! walking moves a few cells; a cut changes nearly all of them.

use image::RgbImage;

const THUMB_SIDE: u32 = 16;
const CUT_DIFFERENCE: f32 = 40.0;

#[derive(Default)]
pub struct SceneCuts {
    previous: Option<Vec<f32>>,
}

impl SceneCuts {
    /// Whether `frame` starts a new shot (the first frame always does).
    pub fn is_cut(&mut self, frame: &RgbImage) -> bool {
        let thumb = thumbnail(frame);
        let cut = match &self.previous {
            None => true,
            Some(previous) => previous.iter().zip(&thumb).map(|(a, b)| (a - b).abs()).sum::<f32>() / thumb.len() as f32 > CUT_DIFFERENCE,
        };
        self.previous = Some(thumb);
        cut
    }
}

/// Mean grey level of each cell of a `THUMB_SIDE` x `THUMB_SIDE` grid (sampled every other
/// pixel: plenty for averages, and half the work on large frames).
fn thumbnail(frame: &RgbImage) -> Vec<f32> {
    let (width, height) = frame.dimensions();
    let mut sums = vec![(0.0f32, 0u32); (THUMB_SIDE * THUMB_SIDE) as usize];
    for y in (0..height).step_by(2) {
        let row = (y * THUMB_SIDE / height) * THUMB_SIDE;
        for x in (0..width).step_by(2) {
            let p = frame.get_pixel(x, y).0;
            let cell = &mut sums[(row + x * THUMB_SIDE / width) as usize];
            cell.0 += (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) as f32 / 3.0;
            cell.1 += 1;
        }
    }
    sums.into_iter().map(|(sum, n)| if n == 0 { 0.0 } else { sum / n as f32 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A textured picture shifted `dx` pixels sideways.
    fn picture(dx: u32, seed: u32) -> RgbImage {
        RgbImage::from_fn(320, 180, |x, y| {
            let v = (((x + dx) / 20 * 37 + y / 20 * 91 + seed * 53) % 200 + 30) as u8;
            Rgb([v, v, v / 2])
        })
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
        assert!(cuts.is_cut(&RgbImage::new(320, 180)));
    }
}
