//! Geometry in image pixels: boxes, turned quadrilaterals and whole-pixel rectangles, and the
//! few operations on points every stage shares.

use image::{ImageBuffer, Pixel};
use serde::{Deserialize, Serialize};

/// An axis-aligned box in pixel coordinates, `x0,y0` inclusive, `x1,y1` exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl BBox {
    pub fn width(&self) -> f32 {
        (self.x1 - self.x0).max(0.0)
    }

    pub fn height(&self) -> f32 {
        (self.y1 - self.y0).max(0.0)
    }

    pub fn area(&self) -> f32 {
        self.width() * self.height()
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &BBox) -> BBox {
        BBox { x0: self.x0.min(other.x0), y0: self.y0.min(other.y0), x1: self.x1.max(other.x1), y1: self.y1.max(other.y1) }
    }

    pub fn intersection(&self, other: &BBox) -> f32 {
        let w = self.x1.min(other.x1) - self.x0.max(other.x0);
        let h = self.y1.min(other.y1) - self.y0.max(other.y0);
        w.max(0.0) * h.max(0.0)
    }

    pub fn iou(&self, other: &BBox) -> f32 {
        let inter = self.intersection(other);
        let union = self.area() + other.area() - inter;
        if union > 0.0 {
            inter / union
        } else {
            0.0
        }
    }

    /// Maps a box found in a scaled and shifted copy back to the original image.
    pub fn unscale(&self, scale: f32, offset_x: f32, offset_y: f32) -> BBox {
        BBox {
            x0: self.x0 / scale + offset_x,
            y0: self.y0 / scale + offset_y,
            x1: self.x1 / scale + offset_x,
            y1: self.y1 / scale + offset_y,
        }
    }

    /// The part of the box inside a `width` x `height` image.
    pub fn clipped_to(&self, width: u32, height: u32) -> BBox {
        let (width, height) = (width as f32, height as f32);
        BBox {
            x0: self.x0.clamp(0.0, width),
            y0: self.y0.clamp(0.0, height),
            x1: self.x1.clamp(0.0, width),
            y1: self.y1.clamp(0.0, height),
        }
    }

    /// The box as a text line's outline, read left to right.
    pub fn outline(&self) -> Quad {
        [(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1)]
    }

    /// `[x, y, w, h]`, the layout of the report and of labelled data sets.
    pub fn xywh(&self) -> [f32; 4] {
        [self.x0, self.y0, self.width(), self.height()]
    }

    /// The box given as `[x, y, w, h]`.
    pub fn from_xywh([x, y, w, h]: [f32; 4]) -> BBox {
        BBox { x0: x, y0: y, x1: x + w, y1: y + h }
    }
}

/// Four corners, `(x, y)` in pixels.
pub type Quad = [(f32, f32); 4];

/// The axis-aligned box around a quad.
pub fn quad_bbox(quad: &Quad) -> BBox {
    points_bbox(quad)
}

/// The distance between two points.
pub fn distance(p: (f32, f32), q: (f32, f32)) -> f32 {
    (q.0 - p.0).hypot(q.1 - p.1)
}

/// The unit vector from `p` towards `q`; none when they coincide.
pub fn direction(p: (f32, f32), q: (f32, f32)) -> Option<(f32, f32)> {
    let length = distance(p, q);
    (length > 0.0).then(|| ((q.0 - p.0) / length, (q.1 - p.1) / length))
}

/// The point halfway between two points.
pub fn midpoint(p: (f32, f32), q: (f32, f32)) -> (f32, f32) {
    (0.5 * (p.0 + q.0), 0.5 * (p.1 + q.1))
}

/// Whether (x, y) lies inside a convex quad (on its edge counts), whichever way round its
/// corners go.
pub fn inside_convex(quad: &Quad, x: f32, y: f32) -> bool {
    let cross = |i: usize| {
        let (p, q) = (quad[i], quad[(i + 1) % 4]);
        (q.0 - p.0) * (y - p.1) - (q.1 - p.1) * (x - p.0)
    };
    let signs = [cross(0), cross(1), cross(2), cross(3)];
    signs.iter().all(|&c| c >= 0.0) || signs.iter().all(|&c| c <= 0.0)
}

/// The axis-aligned box around some points; infinite (empty) when there are none.
pub fn points_bbox(points: &[(f32, f32)]) -> BBox {
    BBox {
        x0: points.iter().map(|p| p.0).fold(f32::INFINITY, f32::min),
        y0: points.iter().map(|p| p.1).fold(f32::INFINITY, f32::min),
        x1: points.iter().map(|p| p.0).fold(f32::NEG_INFINITY, f32::max),
        y1: points.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max),
    }
}

/// An integer pixel rectangle inside an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PixelRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl PixelRect {
    /// The whole of `image`.
    pub fn whole<P: Pixel>(image: &ImageBuffer<P, Vec<P::Subpixel>>) -> Self {
        Self { x: 0, y: 0, width: image.width(), height: image.height() }
    }

    pub fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }

    /// Whether `other` lies wholly inside this rectangle (counted in 64 bits: a rectangle
    /// read from a report may reach past `u32::MAX`).
    pub fn encloses(&self, other: &PixelRect) -> bool {
        let [x, y, width, height] = [self.x, self.y, self.width, self.height].map(u64::from);
        let [ox, oy, owidth, oheight] = [other.x, other.y, other.width, other.height].map(u64::from);
        ox >= x && oy >= y && ox + owidth <= x + width && oy + oheight <= y + height
    }

    pub fn to_bbox(self) -> BBox {
        BBox { x0: self.x as f32, y0: self.y as f32, x1: (self.x + self.width) as f32, y1: (self.y + self.height) as f32 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f32, y0: f32, size: f32) -> BBox {
        BBox { x0, y0, x1: x0 + size, y1: y0 + size }
    }

    #[test]
    fn iou_of_identical_disjoint_and_half_overlapping_boxes() {
        let a = square(0.0, 0.0, 10.0);
        assert_eq!(a.iou(&a), 1.0);
        assert_eq!(a.iou(&square(20.0, 0.0, 10.0)), 0.0);
        let half = BBox { x0: 5.0, y0: 0.0, x1: 15.0, y1: 10.0 };
        assert!((a.iou(&half) - 50.0 / 150.0).abs() < 1e-6);
    }

    #[test]
    fn a_rectangle_encloses_those_wholly_inside_it_even_far_out_ones_without_overflow() {
        let rect = |x, y, width, height| PixelRect { x, y, width, height };
        let page = rect(10, 10, 100, 50);
        assert!(page.encloses(&page) && page.encloses(&rect(20, 20, 90, 40)));
        assert!(!page.encloses(&rect(20, 20, 91, 40)) && !page.encloses(&rect(5, 20, 10, 10)));
        assert!(!page.encloses(&rect(u32::MAX, 20, u32::MAX, 10)), "past u32::MAX");
    }

    #[test]
    fn unscale_maps_back_to_original_coordinates() {
        let b = BBox { x0: 20.0, y0: 40.0, x1: 60.0, y1: 80.0 }.unscale(2.0, 100.0, 10.0);
        assert_eq!(b, BBox { x0: 110.0, y0: 30.0, x1: 130.0, y1: 50.0 });
    }
}
