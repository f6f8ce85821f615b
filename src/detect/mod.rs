//! Detection stage: finds regions to redact, all in one `Region` vocabulary: faces, and text
//! regions when text is looked at.

mod barcode;
mod centerface;
mod company;
mod face_networks;
mod fragments;
mod fuse;
mod looks;
mod multiscale;
mod text;

pub use barcode::{Barcode, BarcodeReader, RxingBarcodes};
/// The face network's session, its input and the outputs it is read for (the batched benchmark's).
pub use centerface::{load as load_face_network, to_padded_nchw as face_network_input, OUTPUTS_USED as FACE_OUTPUTS_USED};
pub use centerface::{CenterFace, FaceModel, SharedFaceNetworks};
pub use company::weak_faces_only_in_company;
pub use face_networks::{FaceNetworks, NetworksToLoad};
pub use multiscale::{MultiScale, ScalePlan};
pub use text::{core_of, not_yet_found, DbTextDetector, TextDetectorModel, SECOND_LOOK_DETECTOR, SMALL_DETECTOR, TINY_DETECTOR};

use crate::geometry::{BBox, Quad};
use anyhow::Result;
use image::RgbImage;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    Face,
    Text,
    Barcode,
    /// A vehicle's licence plate (see `crate::plates`).
    Plate,
    /// An area a reviewer boxed out on the review page (applied by `apply`).
    Manual,
}

impl RegionKind {
    /// The name reports give it.
    pub fn name(self) -> &'static str {
        match self {
            RegionKind::Face => "face",
            RegionKind::Text => "text",
            RegionKind::Barcode => "barcode",
            RegionKind::Plate => "plate",
            RegionKind::Manual => "manual",
        }
    }
}

/// Something found in an image that may have to be redacted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub bbox: BBox,
    pub kind: RegionKind,
    /// Detector confidence in [0, 1].
    pub score: f32,
    /// For a text line, its (possibly turned) outline in reading order: start-top, end-top,
    /// end-bottom, start-bottom.
    pub quad: Option<Quad>,
}

/// Finds regions in an upright RGB image; boxes are in that image's pixel coordinates.
pub trait Detector {
    fn detect(&mut self, image: &RgbImage) -> Result<Vec<Region>>;
}

#[cfg(test)]
mod tests {
    use super::RegionKind;

    #[test]
    fn a_kind_is_named_as_the_report_writes_it() {
        for kind in [RegionKind::Face, RegionKind::Text, RegionKind::Barcode, RegionKind::Plate, RegionKind::Manual] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
    }
}
