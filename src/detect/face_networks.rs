//! Which copy of CenterFace runs which face pass: decided here, and only here.
//!
//! The 8-bit copy runs about twice as fast on the CPU, and with the mirrored margins finds the
//! same faces of the development set as the full network in every pass of a still image. It
//! is used only where it computes as calibrated (a CPU with VNNI: without it, ONNX Runtime's
//! integer kernels round differently), never on a GPU (there it would run on the CPU), and
//! never with `--full-precision`. A video key frame's first pass always runs the full network:
//! what it finds is carried over the frames between key frames by the tracker.

use super::{FaceModel, ScalePlan};
use crate::infer::Device;
use serde::{Deserialize, Serialize};

/// Serialized as whether the 8-bit copy runs (the report's `quantized_faces`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FaceNetworks {
    eight_bit: bool,
}

/// The networks an engine set must load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworksToLoad {
    pub full: bool,
    pub quantized: bool,
}

impl FaceNetworks {
    /// The choice for `device`; `full_precision` is the user's `--full-precision`.
    pub fn choose(device: Device, full_precision: bool) -> Self {
        Self { eight_bit: device == Device::Cpu && !full_precision && crate::infer::int8_is_faithful_here() }
    }

    /// The network of the passes that can do with the 8-bit copy.
    fn quick(self) -> FaceModel {
        if self.eight_bit {
            FaceModel::Quantized
        } else {
            FaceModel::Full
        }
    }

    /// `videos`: whether video key frames are to be analysed (they call for the full network).
    pub fn to_load(self, videos: bool) -> NetworksToLoad {
        NetworksToLoad { full: !self.eight_bit || videos, quantized: self.eight_bit }
    }

    /// A still image: every pass with the quick network.
    pub fn still_image_plan(self, plan: &ScalePlan) -> ScalePlan {
        ScalePlan { first_pass_model: self.quick(), small_face_model: self.quick(), ..plan.clone() }
    }

    /// A video key frame: the first pass with the full network, the small-face pass quick.
    pub fn key_frame_plan(self, plan: &ScalePlan) -> ScalePlan {
        ScalePlan { first_pass_model: FaceModel::Full, small_face_model: self.quick(), ..plan.clone() }
    }

    /// The frames between key frames: the first pass alone, quick.
    pub fn between_keys_plan(self, plan: &ScalePlan) -> ScalePlan {
        ScalePlan { first_pass_model: self.quick(), ..plan.first_pass_only() }
    }
}

impl Default for FaceNetworks {
    /// The choice for this machine's CPU, as the user has not asked otherwise.
    fn default() -> Self {
        Self::choose(Device::Cpu, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eight_bit_copy_never_runs_on_a_gpu_or_with_full_precision() {
        for choice in [FaceNetworks::choose(Device::Cuda, false), FaceNetworks::choose(Device::Cpu, true)] {
            assert_eq!(choice.to_load(false), NetworksToLoad { full: true, quantized: false });
            let plans = [choice.still_image_plan(&ScalePlan::default()), choice.between_keys_plan(&ScalePlan::default())];
            for plan in plans {
                assert_eq!((plan.first_pass_model, plan.small_face_model), (FaceModel::Full, FaceModel::Full));
            }
        }
    }

    #[test]
    fn video_key_frames_start_with_the_full_network_and_load_it() {
        let eight_bit = FaceNetworks { eight_bit: true };
        assert_eq!(eight_bit.to_load(false), NetworksToLoad { full: false, quantized: true });
        assert_eq!(eight_bit.to_load(true), NetworksToLoad { full: true, quantized: true });
        let key = eight_bit.key_frame_plan(&ScalePlan::default());
        assert_eq!((key.first_pass_model, key.small_face_model), (FaceModel::Full, FaceModel::Quantized));
        let between = eight_bit.between_keys_plan(&key);
        assert_eq!(between.first_pass_model, FaceModel::Quantized);
        assert_eq!(between.upscale, 1.0, "frames between key frames get the first pass only");
    }
}
