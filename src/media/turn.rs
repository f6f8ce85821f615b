//! Quarter turns of a whole image, for pages photographed or scanned sideways or upside down,
//! and the way back for what was found on the turned copy.

use image::{imageops, RgbImage};

/// How far an image is turned clockwise to bring it upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuarterTurns {
    One,
    Two,
    Three,
}

impl QuarterTurns {
    /// The turn that brings text running along `direction` (image coordinates, y down) upright,
    /// to the nearest quarter; `None` when it already runs left to right.
    pub fn to_upright(direction: (f32, f32)) -> Option<Self> {
        let degrees = direction.1.atan2(direction.0).to_degrees();
        match degrees {
            d if d.abs() <= 45.0 => None,
            // Reading downwards: a quarter turn back, anticlockwise.
            d if d > 45.0 && d <= 135.0 => Some(Self::Three),
            d if (-135.0..-45.0).contains(&d) => Some(Self::One),
            _ => Some(Self::Two),
        }
    }

    /// The image turned.
    pub fn apply(self, image: &RgbImage) -> RgbImage {
        match self {
            Self::One => imageops::rotate90(image),
            Self::Two => imageops::rotate180(image),
            Self::Three => imageops::rotate270(image),
        }
    }

    /// Where a point of the turned copy lies in the original image of `width` x `height`
    /// (continuous coordinates: pixel i spans i to i + 1).
    pub fn undo(self, (u, v): (f32, f32), width: u32, height: u32) -> (f32, f32) {
        let (width, height) = (width as f32, height as f32);
        match self {
            Self::One => (v, height - u),
            Self::Two => (width - u, height - v),
            Self::Three => (width - v, u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn text_direction_decides_the_turn() {
        assert_eq!(QuarterTurns::to_upright((1.0, 0.1)), None, "a slight slant is upright");
        assert_eq!(QuarterTurns::to_upright((0.0, 1.0)), Some(QuarterTurns::Three), "reading down the page");
        assert_eq!(QuarterTurns::to_upright((0.1, -1.0)), Some(QuarterTurns::One), "reading up the page");
        assert_eq!(QuarterTurns::to_upright((-1.0, 0.0)), Some(QuarterTurns::Two), "upside down");
    }

    #[test]
    fn a_marked_pixel_maps_back_to_where_it_was() {
        let (width, height) = (7, 4);
        let mut image = RgbImage::new(width, height);
        image.put_pixel(5, 1, Rgb([255, 0, 0]));
        for turn in [QuarterTurns::One, QuarterTurns::Two, QuarterTurns::Three] {
            let turned = turn.apply(&image);
            let (u, v) = turned.enumerate_pixels().find(|(_, _, p)| p[0] == 255).map(|(u, v, _)| (u, v)).unwrap();
            // The marked pixel's centre, and its corners, come back to the original pixel.
            let (x, y) = turn.undo((u as f32 + 0.5, v as f32 + 0.5), width, height);
            assert_eq!((x.floor(), y.floor()), (5.0, 1.0), "{turn:?}");
            let corners =
                [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map(|(du, dv)| turn.undo((u as f32 + du, v as f32 + dv), width, height));
            let (xs, ys): (Vec<f32>, Vec<f32>) = corners.iter().copied().unzip();
            assert_eq!((xs.iter().copied().fold(f32::MAX, f32::min), ys.iter().copied().fold(f32::MAX, f32::min)), (5.0, 1.0), "{turn:?}");
        }
    }

    #[test]
    fn text_turned_upright_reads_left_to_right() {
        // A stroke running up the image, brighter towards its end, as a line read bottom to top.
        let mut image = RgbImage::new(8, 40);
        for step in 0..30u8 {
            image.put_pixel(3, 35 - u32::from(step), Rgb([8 * step + 8, 0, 0]));
        }
        let upright = QuarterTurns::to_upright((0.0, -30.0)).unwrap().apply(&image);
        let mut stroke: Vec<(u32, u32, u8)> =
            upright.enumerate_pixels().filter(|(_, _, p)| p[0] > 0).map(|(x, y, p)| (x, y, p[0])).collect();
        stroke.sort_by_key(|&(x, _, _)| x);
        assert!(stroke.iter().all(|&(_, y, _)| y == stroke[0].1), "one row");
        assert!(stroke.windows(2).all(|pair| pair[0].2 < pair[1].2), "brighter to the right");
    }
}
