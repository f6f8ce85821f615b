//! CenterFace alone on 720p frames, one frame per call and eight per call (frames per second),
//! on the device `--device auto` picks with the ONNX Runtime library `$PHI_REDACT_ORT_LIB`
//! names (the verified CPU build when unset): `PHI_REDACT_ORT_LIB=models/gpu/libonnxruntime.so.1.31.1
//! make bench` measures the GPU after `make setup-gpu`. Each frame is padded as a GPU pads it
//! (`InputShapes::FewFixed`), so that on a GPU every call is a planned shape.
//!
//! Uses a photo of the shared development set when `../shared/eval/dev` is present, otherwise
//! the project's astronaut (run `make setup` first); only its size matters to the network's time.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ndarray::Axis;
use phi_redact::detect::{face_network_input, load_face_network, FaceModel, FACE_OUTPUTS_USED};
use phi_redact::infer::{BatchNetwork, DeviceRequest, InputShapes, Runtime, RuntimePaths, SessionNetwork, ORT_LIB_ENV};
use std::path::{Path, PathBuf};

fn frame_720p() -> image::RgbImage {
    let dev = Path::new("../shared/eval/dev/images/wider_12_Group_Group_12_Group_Group_12_728.jpg");
    let path = if dev.is_file() { dev.to_path_buf() } else { Path::new("samples/astronaut.png").to_path_buf() };
    let photo = image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make setup`)", path.display())).to_rgb8();
    image::imageops::resize(&photo, 1280, 720, image::imageops::FilterType::Triangle)
}

fn centerface_720p_frames(c: &mut Criterion) {
    let paths = RuntimePaths { ort_library: std::env::var_os(ORT_LIB_ENV).map(PathBuf::from), ..RuntimePaths::default() };
    let runtime = Runtime::init(&paths, DeviceRequest::Auto).expect("runtime (run `make setup`)");
    // The published network: the one every video frame's first pass runs.
    let (session, _) = load_face_network(&runtime, FaceModel::Full, phi_redact::config::default_jobs()).expect("face model");
    let mut network = SessionNetwork { session, outputs: FACE_OUTPUTS_USED };
    let frame = face_network_input(&frame_720p(), InputShapes::FewFixed);
    let mut group = c.benchmark_group(format!("centerface_720p_{:?}", runtime.device).to_lowercase());
    group.sample_size(10);
    for frames in [1, 8] {
        let copies: Vec<_> = (0..frames).map(|_| frame.view()).collect();
        let batch = ndarray::concatenate(Axis(0), &copies).expect("frames of one shape");
        group.throughput(Throughput::Elements(frames as u64)); // criterion prints frames/s
        group.bench_function(format!("{frames}_per_call"), |b| b.iter(|| network.run(batch.clone()).expect("inference")));
    }
    group.finish();
}

criterion_group!(benches, centerface_720p_frames);
criterion_main!(benches);
