//! Resizing with SIMD (fast_image_resize). Every detector sees the image rescaled, and the
//! `image` crate's own resize took about a seventh of the CPU time of a dev-set run.

use crate::geometry::PixelRect;
use anyhow::{Context, Result};
use fast_image_resize::{FilterType, IntoImageView, IntoImageViewMut, ResizeAlg, ResizeOptions, Resizer};
use image::{ImageBuffer, Pixel};

/// A triangle filter, widened when shrinking so that every source pixel counts (as the
/// `image` crate's `FilterType::Triangle`).
const BILINEAR: ResizeAlg = ResizeAlg::Convolution(FilterType::Bilinear);

/// The whole image resized to `width` x `height` (each at least 1).
pub fn resize<P>(image: &ImageBuffer<P, Vec<u8>>, width: u32, height: u32) -> Result<ImageBuffer<P, Vec<u8>>>
where
    P: Pixel<Subpixel = u8>,
    ImageBuffer<P, Vec<u8>>: IntoImageView + IntoImageViewMut,
{
    resize_area(image, PixelRect::whole(image), width, height)
}

/// The `area` of the image resized to `width` x `height` (each at least 1).
pub fn resize_area<P>(image: &ImageBuffer<P, Vec<u8>>, area: PixelRect, width: u32, height: u32) -> Result<ImageBuffer<P, Vec<u8>>>
where
    P: Pixel<Subpixel = u8>,
    ImageBuffer<P, Vec<u8>>: IntoImageView + IntoImageViewMut,
{
    let mut resized = ImageBuffer::new(width.max(1), height.max(1));
    let options =
        ResizeOptions::new().resize_alg(BILINEAR).crop(f64::from(area.x), f64::from(area.y), f64::from(area.width), f64::from(area.height));
    Resizer::new()
        .resize(image, &mut resized, &options)
        .with_context(|| format!("cannot resize a {}x{} image part to {width}x{height}", area.width, area.height))?;
    Ok(resized)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma, Rgb, RgbImage};

    #[test]
    fn a_part_is_cut_out_and_scaled() {
        // Left half black, right half white: the right half doubled is white but for a slight
        // shade at its left edge, where the filter reaches across the cut.
        let image = RgbImage::from_fn(40, 20, |x, _| if x < 20 { Rgb([0, 0, 0]) } else { Rgb([255, 255, 255]) });
        let part = resize_area(&image, PixelRect { x: 20, y: 0, width: 20, height: 20 }, 40, 40).unwrap();
        assert_eq!(part.dimensions(), (40, 40));
        assert!(part.enumerate_pixels().all(|(x, _, p)| p.0[0] == 255 || (x < 2 && p.0[0] >= 128)), "{:?}", part.get_pixel(0, 0));
    }

    #[test]
    fn shrinking_averages_and_keeps_gray_images_gray() {
        let stripes = GrayImage::from_fn(64, 64, |x, _| Luma([if x % 2 == 0 { 0 } else { 200 }]));
        let small = resize(&stripes, 8, 8).unwrap();
        assert_eq!(small.dimensions(), (8, 8));
        assert!(small.pixels().all(|p| (90..=110).contains(&p.0[0])), "{:?}", small.as_raw());
    }
}
