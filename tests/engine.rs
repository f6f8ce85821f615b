//! End-to-end tests of the runtime around the pipeline: model verification, device choice,
//! help text, and face recall on the shared development set.

mod common;

use common::{default_face_network, dev_set, phi_redact, redact, stderr, temp_dir};
use std::path::Path;

fn repo(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The 8-bit face network runs every pass of a still image (on a CPU with VNNI); the published
/// one, elsewhere and with `--full-precision`. One bit flipped in either stops the run before any output.
#[test]
fn a_model_that_does_not_match_its_sha256_is_never_used() {
    for (tampered, options) in [(default_face_network(), &[][..]), ("centerface.onnx", &["--full-precision"][..])] {
        let dir = temp_dir();
        let models = dir.path().join("models");
        std::fs::create_dir_all(&models).unwrap();
        // The files only: models/gpu/ (`make setup-gpu`) is not needed here.
        for entry in std::fs::read_dir(repo("models")).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), models.join(entry.file_name())).unwrap();
            }
        }
        let model = models.join(tampered);
        let mut bytes = std::fs::read(&model).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&model, bytes).unwrap();

        let input = repo("samples/astronaut.png");
        let out = dir.path().join("out");
        let (output, _) = redact(&[&input], &out, &[&["--models", models.to_str().unwrap()], options].concat());
        assert_eq!(output.status.code(), Some(2), "{tampered}");
        assert!(stderr(&output).contains("does not match its sha256"), "{tampered}: {}", stderr(&output));
        assert!(!out.join("astronaut.png").exists(), "{tampered}");
    }
}

#[test]
fn cuda_is_used_when_requested_or_refused_clearly_never_silently_replaced() {
    let dir = temp_dir();
    let out = dir.path().join("out");
    let (output, report) = redact(&[&repo("samples/astronaut.png")], &out, &["--device", "cuda"]);
    if output.status.success() {
        assert_eq!(report["runtime"]["device"], "cuda");
    } else {
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("--device cuda"), "{}", stderr(&output));
        assert!(!out.join("astronaut.png").exists());
    }
    let (output, report) = redact(&[&repo("samples/astronaut.png")], &dir.path().join("cpu"), &["--device", "cpu"]);
    assert!(output.status.success());
    assert_eq!(report["runtime"]["device"], "cpu");
}

#[test]
fn help_explains_usage_with_examples_and_exit_codes() {
    let output = phi_redact(&["redact", "--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in ["--out", "--mode", "--threshold", "--device", "--jobs", "Examples:", "Exit status"] {
        assert!(text.contains(expected), "help lacks {expected}:\n{text}");
    }
    let output = phi_redact(&["redact", "x.jpg", "--out", "o", "--threshold", "2"]);
    assert_eq!(output.status.code(), Some(2), "bad arguments are a usage error");
}

/// Regression guard on real photos: the shared development set.
/// `eval` counts a face only when 80% of its box is covered; it measured 99.5% (206/207) when
/// this floor was set, so one more miss still passes and two fail.
#[test]
#[cfg_attr(not(shared_dev_set), ignore = "needs the shared development set, ../shared/eval/dev")]
fn face_recall_on_the_development_set_stays_at_or_above_99_percent() {
    assert_dev_face_recall_at_least(99.0, &[]);
}

/// A GPU pads the networks' inputs up to a few fixed sizes (`InputShapes`); on the CPU, padded
/// so, CenterFace finds the development set's faces as well.
#[test]
#[cfg_attr(not(shared_dev_set), ignore = "needs the shared development set, ../shared/eval/dev")]
fn face_recall_with_a_gpus_few_fixed_input_shapes_stays_at_or_above_99_percent() {
    assert_dev_face_recall_at_least(99.0, &["--input-shapes", "few-fixed"]);
}

/// A GPU shares one face network among the engine sets and runs the inputs of the files in
/// flight together (`--batching across-files`); on the CPU, so batched, every sample comes out
/// as it does from each set's own network, and the report says how it ran.
#[test]
fn face_inputs_batched_across_files_redact_exactly_as_one_at_a_time() {
    let samples =
        ["astronaut.png", "crowd-of-faces.png", "halloween.png", "wristband.png", "chelsea.png"].map(|name| repo("samples").join(name));
    let inputs: Vec<&Path> = samples.iter().map(|path| path.as_path()).collect();
    let dir = temp_dir();
    let run = |batching: &str| {
        let out = dir.path().join(batching);
        let (output, report) = redact(&inputs, &out, &["--batching", batching, "--input-shapes", "few-fixed", "--jobs", "2"]);
        assert!(output.status.code().is_some_and(|code| code <= 1), "{batching}: {}", stderr(&output));
        assert_eq!(report["settings"]["batching"], batching);
        (out, report)
    };
    let ((alone, one_at_a_time), (together, batched)) = (run("per-engine-set"), run("across-files"));
    let findings = |report: &serde_json::Value| -> Vec<String> {
        let mut files: Vec<String> =
            report["files"].as_array().unwrap().iter().map(|file| format!("{} {}", file["input"], file["findings"])).collect();
        files.sort();
        files
    };
    assert_eq!(findings(&batched), findings(&one_at_a_time));
    assert!(findings(&batched).iter().any(|file| file.contains("\"face\"")), "faces were found");
    for sample in &samples {
        let name = sample.file_name().unwrap();
        assert_eq!(std::fs::read(together.join(name)).unwrap(), std::fs::read(alone.join(name)).unwrap(), "{name:?}");
    }
}

fn assert_dev_face_recall_at_least(floor: f64, extra: &[&str]) {
    let dev = dev_set().expect("the shared development set");
    let output = phi_redact(&[&["eval", dev.join("labels.json").to_str().unwrap()][..], extra].concat());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    let line = text.lines().find(|l| l.starts_with("face recall")).expect("recall line");
    let percent: f64 = line.split_whitespace().nth(2).unwrap().trim_end_matches('%').parse().unwrap();
    assert!(percent >= floor, "{line}\n{text}");
}
