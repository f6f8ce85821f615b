//! Face detection throughput (images per second) on a 1024-px photo and on a crowd photo, on
//! the CPU, with the same detector and scale plan as `phi-redact redact`.
//!
//! Uses the shared development set's photos when `../shared/eval/dev` is present, otherwise
//! the project's own rendered samples (run `make setup` first).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use phi_redact::config::Settings;
use phi_redact::detect::{CenterFace, MultiScale};
use phi_redact::infer::{DeviceRequest, InputShapes, Runtime, RuntimePaths};
use std::path::Path;

fn load(dev_file: &str, fallback: &str) -> (String, image::RgbImage) {
    let dev = Path::new("../shared/eval/dev/images").join(dev_file);
    let path = if dev.is_file() { dev } else { Path::new("samples").join(fallback) };
    let image = image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make setup`)", path.display()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    (name, image.to_rgb8())
}

fn face_detection(c: &mut Criterion) {
    let settings = Settings::default();
    let runtime = Runtime::init(&RuntimePaths::default(), DeviceRequest::Cpu).expect("runtime (run `make setup`)");
    let min_score = settings.face_threshold.min(settings.scale_plan.trigger_score);
    let threads = phi_redact::config::default_jobs();
    // The network every pass of a still image runs on this CPU (see `FaceNetworks`).
    let shapes = InputShapes::choose(None, runtime.device);
    let model = CenterFace::new(&runtime, settings.scale_plan.first_pass_model, threads, min_score, shapes).expect("face model");
    let mut detector = MultiScale::new(Some(model), None).expect("detector");

    let photos = [
        ("photo-1024px", load("wider_12_Group_Group_12_Group_Group_12_728.jpg", "astronaut.png")),
        ("crowd", load("wider_0_Parade_Parade_0_873.jpg", "crowd-of-faces.png")),
    ];
    let mut group = c.benchmark_group("face_detection");
    group.throughput(Throughput::Elements(1)); // one image per iteration: criterion prints images/s
    group.sample_size(10);
    for (label, (file, image)) in &photos {
        group.bench_function(format!("{label} ({file}, {}x{})", image.width(), image.height()), |b| {
            b.iter(|| detector.detect(image, &settings.scale_plan).expect("detection"))
        });
    }
    group.finish();
}

criterion_group!(benches, face_detection);
criterion_main!(benches);
