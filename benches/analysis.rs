//! Whole-image analysis throughput (images per second) with the default settings of
//! `phi-redact redact`: faces, barcodes, text lines found, read and scored for PHI. On a
//! typed form, a photo and a drawn wristband, on the CPU.
//!
//! Uses the shared development set's images when `../shared/eval/dev` is present, otherwise
//! the project's own rendered samples (run `make setup` first).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use image::RgbImage;
use phi_redact::analyse::analyse;
use phi_redact::app::{build_engines, SharedParts};
use phi_redact::config::Settings;
use phi_redact::infer::{DeviceRequest, Runtime, RuntimePaths};
use phi_redact::report::Timings;
use std::path::Path;

fn load(dev_file: &str, fallback: &str) -> (String, RgbImage) {
    let dev = Path::new("../shared/eval/dev/images").join(dev_file);
    let path = if dev.is_file() { dev } else { Path::new("samples").join(fallback) };
    let image = image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make setup`)", path.display())).to_rgb8();
    (path.file_name().unwrap().to_string_lossy().into_owned(), image)
}

fn whole_analysis(c: &mut Criterion) {
    let settings = Settings { device: DeviceRequest::Cpu, ..Settings::default() };
    let runtime = std::sync::Arc::new(Runtime::init(&RuntimePaths::default(), DeviceRequest::Cpu).expect("runtime (run `make setup`)"));
    let shared = SharedParts::load(&runtime.manifest, &settings).expect("name lists");
    let mut engines = build_engines(&runtime, &settings, &shared, phi_redact::config::default_jobs(), false).expect("engines");
    let images = [
        ("form", load("textract_form.png", "whiteboard.png")),
        ("photo-1024px", load("wider_12_Group_Group_12_Group_Group_12_728.jpg", "astronaut.png")),
        ("wristband", ("wristband.png".to_string(), image::open("samples/wristband.png").expect("run `make setup`").to_rgb8())),
    ];
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Elements(1)); // one image per iteration: criterion prints images/s
    group.sample_size(10);
    for (label, (file, image)) in &images {
        group.bench_function(format!("{label} ({file}, {}x{})", image.width(), image.height()), |b| {
            b.iter(|| analyse(image, &mut engines, &settings, &mut Timings::default()).expect("analysis"))
        });
    }
    group.finish();
}

criterion_group!(benches, whole_analysis);
criterion_main!(benches);
