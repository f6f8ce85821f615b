//! Transparency: what viewers may show of an image with an alpha channel.
//!
//! A signature, label or overlay exported with a transparent background can hold its text or
//! face in the alpha channel alone, over colours that are all one black. Analysed with its
//! alpha dropped, such an image is a black page and comes out "clean", while every viewer
//! shows the text over its white page. So an image with any see-through pixel is analysed as
//! it looks over white, as it looks over black, and as its colours are stored (what a program
//! that ignores transparency shows); whatever any of the three reveals is redacted.

use image::{DynamicImage, Rgb, RgbImage, RgbaImage};

/// The images to analyse for what viewers of `pixels` may see: the image itself when it is
/// opaque, otherwise the three views above.
pub fn views(pixels: &DynamicImage) -> Vec<RgbImage> {
    if !pixels.color().has_alpha() {
        return vec![pixels.to_rgb8()];
    }
    let rgba = pixels.to_rgba8();
    if rgba.pixels().all(|p| p[3] == u8::MAX) {
        return vec![pixels.to_rgb8()];
    }
    vec![over_white(&rgba), over(&rgba, 0), pixels.to_rgb8()]
}

/// The image as a viewer shows it on a white page (and as a copy without alpha must be).
pub fn over_white(rgba: &RgbaImage) -> RgbImage {
    over(rgba, u8::MAX)
}

/// The image composited over a flat grey `background`.
fn over(rgba: &RgbaImage, background: u8) -> RgbImage {
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let mix = |c: u8| ((u32::from(c) * u32::from(a) + u32::from(background) * u32::from(u8::MAX - a) + 127) / 255) as u8;
        Rgb([mix(r), mix(g), mix(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayAlphaImage, GrayImage, Luma, LumaA, Rgba};

    #[test]
    fn an_opaque_image_is_one_view_of_itself() {
        let grey = GrayImage::from_fn(4, 3, |x, y| Luma([(x * 10 + y) as u8]));
        let as_is = DynamicImage::ImageLuma8(grey.clone());
        assert_eq!(views(&as_is), [as_is.to_rgb8()]);
        let opaque = DynamicImage::ImageLumaA8(GrayAlphaImage::from_fn(4, 3, |x, y| LumaA([(x * 10 + y) as u8, 255])));
        assert_eq!(views(&opaque), [as_is.to_rgb8()]);
    }

    #[test]
    fn ink_held_only_in_alpha_shows_over_white_and_its_colours_over_black() {
        // Black ink where alpha is high, as a transparent signature export stores it, and a
        // white mark hidden under a fully transparent pixel.
        let image = RgbaImage::from_fn(3, 1, |x, _| match x {
            0 => Rgba([0, 0, 0, 255]),
            1 => Rgba([0, 0, 0, 0]),
            _ => Rgba([255, 255, 255, 0]),
        });
        let [over_white, over_black, stored] = <[RgbImage; 3]>::try_from(views(&DynamicImage::ImageRgba8(image))).unwrap();
        let row = |view: &RgbImage| (0..3).map(|x| view.get_pixel(x, 0)[0]).collect::<Vec<_>>();
        assert_eq!(row(&over_white), [0, 255, 255], "ink shows as black on the white page");
        assert_eq!(row(&over_black), [0, 0, 0]);
        assert_eq!(row(&stored), [0, 0, 255], "the hidden mark shows where transparency is ignored");
    }

    #[test]
    fn half_transparent_pixels_blend_with_the_background() {
        let image = RgbaImage::from_pixel(1, 1, Rgba([200, 100, 0, 128]));
        let views = views(&DynamicImage::ImageRgba8(image));
        assert_eq!(views[0].get_pixel(0, 0).0, [227, 177, 127]);
        assert_eq!(views[1].get_pixel(0, 0).0, [100, 50, 0]);
    }
}
