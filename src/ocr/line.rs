//! Text lines as outlines: straightening one out of a photo for a recognizer, and finding
//! where a part of it lies.

use crate::geometry::Quad;
use anyhow::{ensure, Result};
use image::RgbImage;

/// The outline of the part of a line between two fractions of its length.
pub fn part_of_line(outline: &Quad, from: f32, to: f32) -> Quad {
    let [start_top, end_top, end_bottom, start_bottom] = *outline;
    [lerp(start_top, end_top, from), lerp(start_top, end_top, to), lerp(start_bottom, end_bottom, to), lerp(start_bottom, end_bottom, from)]
}

/// The outline of the band of a line between two fractions of its height, from its top edge.
pub fn band_of_line(outline: &Quad, from: f32, to: f32) -> Quad {
    let [start_top, end_top, end_bottom, start_bottom] = *outline;
    [lerp(start_top, start_bottom, from), lerp(end_top, end_bottom, from), lerp(end_top, end_bottom, to), lerp(start_top, start_bottom, to)]
}

/// The point a fraction `t` of the way from `p` to `q`.
fn lerp(p: (f32, f32), q: (f32, f32), t: f32) -> (f32, f32) {
    (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t)
}

/// The outline read from its other end: what a line turned upside down looks like.
pub fn turned_round(outline: &Quad) -> Quad {
    [outline[2], outline[3], outline[0], outline[1]]
}

/// The line inside an outline as an upright strip, sampled bilinearly: a turned or slanted
/// line comes out level, as the recognizer was trained to see text.
pub fn straighten(image: &RgbImage, outline: &Quad) -> Result<RgbImage> {
    let [start_top, end_top, _, start_bottom] = *outline;
    let length = ((end_top.0 - start_top.0).powi(2) + (end_top.1 - start_top.1).powi(2)).sqrt();
    let thickness = ((start_bottom.0 - start_top.0).powi(2) + (start_bottom.1 - start_top.1).powi(2)).sqrt();
    ensure!(length >= 1.0 && thickness >= 1.0, "empty text region");
    let (width, height) = (length.round() as u32, thickness.round() as u32);
    let along = ((end_top.0 - start_top.0) / width as f32, (end_top.1 - start_top.1) / width as f32);
    let down = ((start_bottom.0 - start_top.0) / height as f32, (start_bottom.1 - start_top.1) / height as f32);
    Ok(RgbImage::from_fn(width, height, |u, v| {
        let (u, v) = (u as f32 + 0.5, v as f32 + 0.5);
        let x = start_top.0 + u * along.0 + v * down.0 - 0.5;
        let y = start_top.1 + u * along.1 + v * down.1 - 0.5;
        sample_bilinear(image, x, y)
    }))
}

/// The colour at a point between pixel centres; points off the image take the nearest edge.
fn sample_bilinear(image: &RgbImage, x: f32, y: f32) -> image::Rgb<u8> {
    let (max_x, max_y) = ((image.width() - 1) as f32, (image.height() - 1) as f32);
    let (x, y) = (x.clamp(0.0, max_x), y.clamp(0.0, max_y));
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as u32, y0 as u32);
    let (x1, y1) = ((x0 + 1).min(max_x as u32), (y0 + 1).min(max_y as u32));
    let at = |px: u32, py: u32, c: usize| f32::from(image.get_pixel(px, py)[c]);
    image::Rgb(std::array::from_fn(|c| {
        let top = at(x0, y0, c) * (1.0 - fx) + at(x1, y0, c) * fx;
        let bottom = at(x0, y1, c) * (1.0 - fx) + at(x1, y1, c) * fx;
        // Rounded by adding a half (the value is never negative): `round()` is a library call.
        (top * (1.0 - fy) + bottom * fy + 0.5) as u8
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{quad_bbox, BBox};

    #[test]
    fn parts_of_straight_and_turned_lines() {
        let row: Quad = [(10.0, 20.0), (110.0, 20.0), (110.0, 40.0), (10.0, 40.0)];
        assert_eq!(quad_bbox(&part_of_line(&row, 0.5, 1.0)), BBox { x0: 60.0, y0: 20.0, x1: 110.0, y1: 40.0 });
        assert_eq!(
            quad_bbox(&part_of_line(&turned_round(&row), 0.0, 0.5)),
            BBox { x0: 60.0, y0: 20.0, x1: 110.0, y1: 40.0 },
            "read upside down, it starts at the right"
        );
        let column: Quad = [(70.0, 0.0), (70.0, 200.0), (50.0, 200.0), (50.0, 0.0)];
        assert_eq!(quad_bbox(&part_of_line(&column, 0.0, 0.25)), BBox { x0: 50.0, y0: 0.0, x1: 70.0, y1: 50.0 });
        assert_eq!(quad_bbox(&band_of_line(&row, 0.25, 0.75)), BBox { x0: 10.0, y0: 25.0, x1: 110.0, y1: 35.0 });
        assert_eq!(
            quad_bbox(&band_of_line(&column, 0.0, 0.5)),
            BBox { x0: 60.0, y0: 0.0, x1: 70.0, y1: 200.0 },
            "a column's top is its right side"
        );
    }
}
