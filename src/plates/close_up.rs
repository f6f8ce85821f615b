//! A closer look at plates too small for the first: a parked car's plate 40-60 px wide in a
//! street scene is outlined by the detector, but cut short or merged with its rim, and read as
//! a stray mark or two ("0", "on"). Cut out with the car around it and enlarged, the same plate
//! is outlined and read whole, by the same detector and readers as the first look. Which lines
//! get that look is decided here; the looking is the pipeline's (`analyse`).

use crate::geometry::{BBox, PixelRect, Quad};
use crate::media::resize::resize_area;
use crate::phi::TextLine;
use anyhow::Result;
use image::RgbImage;

/// Lines this high or lower (pixels, the detector's outline) may be a plate read too small.
const MAX_LINE_HEIGHT: f32 = 40.0;
const MIN_LINE_HEIGHT: f32 = 6.0;
/// A plate holds at most eight letters and digits: a longer reading is some other writing.
const MAX_CHARACTERS: usize = 8;
/// The close-up reaches this many line heights beyond the line on every side: as far as a
/// plate's ends are looked for (`shape`), so that the close-up's own edge is not taken for one.
const MARGIN_IN_LINE_HEIGHTS: f32 = 3.0;
/// Enlarged this many times ...
const ENLARGEMENT: f32 = 3.0;
/// ... but to no more than this many pixels a side.
const MAX_SIDE: f32 = 960.0;
/// At most this many close-ups an image, the surest-outlined lines first: a photo holds a few
/// plates.
pub const MAX_CLOSE_UPS: usize = 8;
/// An image with more lines than this is a page, not a street (the plates corpus's scenes
/// hold 2-21 lines, those whose plates were found close up at most 11), and gets no close-up:
/// a page's short lines are many, none of them a plate, and each close-up costs a detection.
/// Without this bound the dev set's pages took half as long again; with it, 5% longer.
const MAX_LINES_OF_A_SCENE: usize = 16;

/// Whether an image of this many lines of text is a page rather than a street or a car park.
pub fn is_a_page(lines: usize) -> bool {
    lines > MAX_LINES_OF_A_SCENE
}

/// Whether a line outlined as `region`, read as `readings`, none of them a plate, is worth a
/// closer look: small, and read as a few characters at most.
pub fn worth_a_closer_look(region: &BBox, readings: &[&TextLine]) -> bool {
    let height = region.height();
    (MIN_LINE_HEIGHT..=MAX_LINE_HEIGHT).contains(&height)
        && readings.iter().all(|line| line.text.chars().filter(char::is_ascii_alphanumeric).count() <= MAX_CHARACTERS)
}

/// A part of an image, enlarged.
pub struct CloseUp {
    pub image: RgbImage,
    left: f32,
    top: f32,
    scale: f32,
}

impl CloseUp {
    /// The part of `image` around `line`, with a plate's margins, enlarged; `None` when it is
    /// empty.
    pub fn around(image: &RgbImage, line: &BBox) -> Result<Option<Self>> {
        let margin = MARGIN_IN_LINE_HEIGHTS * line.height();
        let (width, height) = image.dimensions();
        let clamp = |v: f32, size: u32| v.clamp(0.0, size as f32).floor() as u32;
        let (x0, y0) = (clamp(line.x0 - margin, width), clamp(line.y0 - margin, height));
        let (x1, y1) = (clamp(line.x1 + margin, width), clamp(line.y1 + margin, height));
        if x1 <= x0 || y1 <= y0 {
            return Ok(None);
        }
        let area = PixelRect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
        let scale = ENLARGEMENT.min(MAX_SIDE / area.width.max(area.height) as f32).max(1.0);
        let (out_width, out_height) = ((area.width as f32 * scale).round() as u32, (area.height as f32 * scale).round() as u32);
        let enlarged = resize_area(image, area, out_width, out_height)?;
        Ok(Some(Self { image: enlarged, left: x0 as f32, top: y0 as f32, scale }))
    }

    /// An outline in the close-up, in the whole image's pixels.
    pub fn in_image(&self, outline: &Quad) -> Quad {
        outline.map(|(x, y)| (self.left + x / self.scale, self.top + y / self.scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn a_close_up_keeps_a_plates_margins_and_maps_back_to_the_image() {
        let mut image = RgbImage::from_pixel(400, 300, Rgb([90, 90, 90]));
        image.put_pixel(205, 152, Rgb([255, 0, 0]));
        let line = BBox { x0: 180.0, y0: 145.0, x1: 240.0, y1: 160.0 };
        let close_up = CloseUp::around(&image, &line).unwrap().unwrap();
        // 15 px high: 45 px of margin each side, three times enlarged.
        assert_eq!(close_up.image.dimensions(), (3 * 150, 3 * 105));
        let [start, ..] = close_up.in_image(&[(0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)]);
        assert_eq!(start, (135.0, 100.0));
        // The red pixel, enlarged, is where it was once mapped back.
        let (red_x, red_y, _) = close_up.image.enumerate_pixels().find(|(_, _, p)| p.0[0] > 150 && p.0[1] < 100).unwrap();
        let [(x, y), ..] = close_up.in_image(&[(red_x as f32, red_y as f32); 4]);
        assert!((x - 205.0).abs() <= 1.0 && (y - 152.0).abs() <= 1.0, "{x},{y}");
    }

    #[test]
    fn only_small_lines_read_as_a_few_characters_are_worth_a_closer_look() {
        let line = |height: f32| BBox { x0: 100.0, y0: 100.0, x1: 160.0, y1: 100.0 + height };
        let read = |text: &str, height: f32| TextLine::read_at(text, line(height));
        let (mark, plate) = (read("0", 14.0), read("7ABC 123", 14.0));
        assert!(worth_a_closer_look(&line(14.0), &[&mark]), "a plate read as a mark");
        assert!(worth_a_closer_look(&line(14.0), &[&mark, &plate]), "eight characters, spaces aside");
        assert!(!worth_a_closer_look(&line(14.0), &[&mark, &read("Admitted 2024", 14.0)]), "a longer reading is other writing");
        assert!(!worth_a_closer_look(&line(60.0), &[&read("0", 60.0)]), "large enough to have been read");
        assert!(!worth_a_closer_look(&line(4.0), &[&read("0", 4.0)]), "a speck");
    }

    #[test]
    fn a_close_up_at_the_border_stops_there() {
        let image = RgbImage::new(100, 80);
        let line = BBox { x0: 0.0, y0: 60.0, x1: 30.0, y1: 75.0 };
        let close_up = CloseUp::around(&image, &line).unwrap().unwrap();
        assert_eq!(close_up.image.dimensions(), (3 * 75, 3 * 65));
        assert!(CloseUp::around(&image, &BBox { x0: 200.0, y0: 200.0, x1: 220.0, y1: 210.0 }).unwrap().is_none(), "outside");
    }
}
