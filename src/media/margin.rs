//! Margins of mirrored image around a picture. A face detector sees a face cut by the image
//! border as half a face and scores it low, or not at all; mirrored about the border, the half
//! completes itself into a whole face again.

use image::RgbImage;

/// Widths of a margin on each side, in pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Margins {
    pub left: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
}

/// `image` inside `margins` of itself mirrored about each edge (the edge pixel not repeated).
/// The corners, where two margins meet, stay black: mirrored about both edges, any texture
/// there turns four-fold symmetric, and the face network takes that for a face (0.8 in a
/// corner of the astronaut photo).
pub fn with_mirrored_margins(image: &RgbImage, margins: Margins) -> RgbImage {
    let (width, height) = image.dimensions();
    let inside = |i: i64, len: u32| (0..i64::from(len)).contains(&i);
    let mut mirrored = RgbImage::new(width + margins.left + margins.right, height + margins.top + margins.bottom);
    for (y, row) in mirrored.rows_mut().enumerate() {
        let y = y as i64 - i64::from(margins.top);
        for (x, pixel) in row.enumerate() {
            let x = x as i64 - i64::from(margins.left);
            if inside(x, width) || inside(y, height) {
                *pixel = *image.get_pixel(reflect(x, width), reflect(y, height));
            }
        }
    }
    mirrored
}

/// Position `i` on a line of `len` pixels, mirrored back onto it as often as it takes.
fn reflect(i: i64, len: u32) -> u32 {
    let period = 2 * (i64::from(len) - 1);
    if period == 0 {
        return 0;
    }
    let i = i.rem_euclid(period);
    (if i < i64::from(len) { i } else { period - i }) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn positions_beyond_either_end_mirror_back_without_repeating_the_edge() {
        let mirrored: Vec<u32> = (-4..9).map(|i| reflect(i, 5)).collect();
        assert_eq!(mirrored, [4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0]);
        assert_eq!(reflect(-3, 1), 0, "a one-pixel line mirrors onto itself");
    }

    #[test]
    fn the_image_sits_inside_its_own_mirror_images() {
        let image = RgbImage::from_fn(4, 3, |x, y| Rgb([x as u8, y as u8, 7]));
        let margins = Margins { left: 2, top: 1, right: 1, bottom: 0 };
        let mirrored = with_mirrored_margins(&image, margins);
        assert_eq!(mirrored.dimensions(), (7, 4));
        let at = |x: u32, y: u32| mirrored.get_pixel(x, y).0;
        assert_eq!(at(2, 1), [0, 0, 7], "the image's corner, shifted by the margins");
        assert_eq!(at(5, 3), [3, 2, 7]);
        assert_eq!(at(0, 1), [2, 0, 7], "left margin: columns 2 and 1, mirrored");
        assert_eq!(at(3, 0), [1, 1, 7], "top margin: row 1");
        assert_eq!(at(6, 2), [2, 1, 7], "right margin: column 2");
        assert_eq!([at(0, 0), at(6, 0)], [[0, 0, 0]; 2], "corners stay black");
    }
}
