//! How far a network's input is padded beyond the image it holds.
//!
//! On the CPU a new input shape costs nothing, and padding is work: an input is padded only to
//! the multiple its network needs. On a GPU every new shape is planned afresh (cuDNN's
//! convolution algorithms, memory): with each image, scale and tile its own size, the dev set
//! ran 12 times slower than on the CPU (docs/benchmarks.md). There an input is padded up to
//! one of a few fixed sides, so that after the first few images every shape has been seen.

use super::Device;
use image::RgbImage;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The sides a GPU input is padded up to: past 128 px, steps of at most a third, so that the
/// padding adds at most that much to each side.
const FIXED_SIDES: [u32; 14] = [64, 128, 192, 256, 320, 384, 512, 640, 768, 1024, 1280, 1536, 2048, 2560];
/// Past the largest, a multiple of this.
const BEYOND_FIXED: u32 = 512;

/// How inputs are padded (the report's `input_shapes`; reports before it was recorded: aligned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum InputShapes {
    /// To the network's own multiple (the CPU's default).
    #[default]
    Aligned,
    /// To one of a few fixed sides (a GPU's default).
    FewFixed,
}

impl InputShapes {
    /// `asked` (`--input-shapes`), or else the default for `device`.
    pub fn choose(asked: Option<Self>, device: Device) -> Self {
        asked.unwrap_or(match device {
            Device::Cpu => Self::Aligned,
            Device::Cuda => Self::FewFixed,
        })
    }

    /// The padded length of an input side of `side` pixels, for a network whose sides must be
    /// multiples of `align` (a power of two, at most 64).
    pub fn padded(self, side: u32, align: u32) -> u32 {
        let aligned = side.div_ceil(align).max(1) * align;
        match self {
            Self::Aligned => aligned,
            Self::FewFixed => {
                FIXED_SIDES.iter().copied().find(|&fixed| fixed >= aligned).unwrap_or_else(|| aligned.div_ceil(BEYOND_FIXED) * BEYOND_FIXED)
            }
        }
    }

    /// How many slots a batch of `count` inputs takes: on a GPU a power of two, the slots past
    /// the inputs left blank.
    pub fn padded_batch(self, count: usize) -> usize {
        match self {
            Self::Aligned => count,
            Self::FewFixed => count.next_power_of_two(),
        }
    }
}

/// `image` grown to `width` x `height` by repeating its last column and row: padding that
/// looks like the picture going on, not an edge of its own (padded with zeros, the text
/// detector found lines and blotches along it, and CenterFace more weak faces).
pub fn edge_extended(image: &RgbImage, width: u32, height: u32) -> Cow<'_, RgbImage> {
    let (own_width, own_height) = image.dimensions();
    if (width, height) == (own_width, own_height) || own_width == 0 || own_height == 0 {
        return Cow::Borrowed(image);
    }
    Cow::Owned(RgbImage::from_fn(width, height, |x, y| *image.get_pixel(x.min(own_width - 1), y.min(own_height - 1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_device_has_its_default_and_the_user_has_the_last_word() {
        assert_eq!(InputShapes::choose(None, Device::Cpu), InputShapes::Aligned);
        assert_eq!(InputShapes::choose(None, Device::Cuda), InputShapes::FewFixed);
        assert_eq!(InputShapes::choose(Some(InputShapes::FewFixed), Device::Cpu), InputShapes::FewFixed);
        assert_eq!(InputShapes::choose(Some(InputShapes::Aligned), Device::Cuda), InputShapes::Aligned);
    }

    #[test]
    fn the_cpu_pads_only_to_the_networks_multiple() {
        assert_eq!([1, 32, 33, 700, 2561].map(|side| InputShapes::Aligned.padded(side, 32)), [32, 32, 64, 704, 2592]);
    }

    #[test]
    fn padding_repeats_the_last_column_and_row() {
        let image = RgbImage::from_fn(3, 2, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let grown = edge_extended(&image, 5, 4);
        assert_eq!(grown.dimensions(), (5, 4));
        assert_eq!((grown.get_pixel(1, 1).0, grown.get_pixel(4, 0).0, grown.get_pixel(4, 3).0), ([1, 1, 7], [2, 0, 7], [2, 1, 7]));
        assert!(matches!(edge_extended(&image, 3, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn batches_take_a_power_of_two_slots_on_a_gpu_only() {
        assert_eq!([1, 3, 5, 16].map(|count| InputShapes::Aligned.padded_batch(count)), [1, 3, 5, 16]);
        assert_eq!([1, 3, 5, 16].map(|count| InputShapes::FewFixed.padded_batch(count)), [1, 4, 8, 16]);
    }

    #[test]
    fn a_gpu_pads_to_a_few_fixed_sides_by_at_most_a_third() {
        let fixed = InputShapes::FewFixed;
        assert_eq!([1, 64, 65, 700, 1100, 2560, 2561, 5000].map(|side| fixed.padded(side, 32)), [64, 64, 128, 768, 1280, 2560, 3072, 5120]);
        let sides: std::collections::BTreeSet<u32> = (1..=2560).map(|side| fixed.padded(side, 32)).collect();
        assert_eq!(sides.len(), FIXED_SIDES.len(), "every side up to 2560 px in one of 14 shapes");
        for side in 129..=6000 {
            let padded = fixed.padded(side, 32);
            assert!(padded % 32 == 0 && padded >= side && padded as f32 <= side as f32 * 4.0 / 3.0 + 32.0, "{side} -> {padded}");
        }
    }
}
