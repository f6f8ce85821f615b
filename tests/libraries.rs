//! Whole libraries: resumable runs (files an earlier run finished are not redone, and a run
//! killed part-way resumes to the outputs and report of a run never interrupted), and shards
//! running side by side whose merged report is a single process's.

mod common;

use common::fixtures::{astronaut, crowd};
use common::{redact, stderr, temp_dir};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Twelve small images of faces, so a one-worker run takes a few seconds.
fn library(dir: &Path) {
    std::fs::create_dir_all(dir.join("ward")).unwrap();
    for i in 0..10u32 {
        let (image, _) = crowd(&[60 + 8 * i, 50, 40 + 4 * i]);
        image.save(dir.join(format!("ward/party-{i:02}.png"))).unwrap();
    }
    astronaut().save(dir.join("astronaut.png")).unwrap();
    astronaut().save(dir.join("astronaut.jpg")).unwrap();
}

#[test]
fn a_run_killed_part_way_resumes_to_the_outputs_and_report_of_an_uninterrupted_run() {
    let dir = temp_dir();
    let (library_dir, reference, resumed) = (dir.path().join("library"), dir.path().join("reference"), dir.path().join("resumed"));
    library(&library_dir);
    let (output, expected) = redact(&[&library_dir], &reference, &["--jobs", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));

    // Killed (SIGKILL) once a few files are done and while others are in flight.
    let mut child = Command::new(env!("CARGO_BIN_EXE_phi-redact"))
        .args(["redact", library_dir.to_str().unwrap(), "--out", resumed.to_str().unwrap(), "--quiet", "--jobs", "1"])
        .spawn()
        .unwrap();
    let records = resumed.join(".phi-redact/done");
    let started = Instant::now();
    let finished = || {
        std::fs::read_dir(&records)
            .map_or(0, |d| d.filter(|e| e.as_ref().is_ok_and(|e| e.path().extension() == Some("json".as_ref()))).count())
    };
    while finished() < 3 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!resumed.join("phi-redact-report.json").exists(), "killed before the end");

    let (output, report) = redact(&[&library_dir], &resumed, &["--jobs", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let unchanged = report["totals"]["unchanged"].as_u64().unwrap();
    assert!((3..12).contains(&unchanged), "{unchanged} files were done before the kill");
    for (got, want) in normalised(&report, &resumed).iter().zip(normalised(&expected, &reference)) {
        assert_eq!(got, &want, "same report, timings and resumption aside");
    }
    for entry in expected["files"].as_array().unwrap() {
        let name = Path::new(entry["output"].as_str().unwrap()).strip_prefix(&reference).unwrap();
        assert_eq!(std::fs::read(resumed.join(name)).unwrap(), std::fs::read(reference.join(name)).unwrap(), "{}", name.display());
    }
    let temporaries: Vec<_> = walkdir::WalkDir::new(&resumed)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(temporaries.is_empty(), "left behind: {temporaries:?}");

    // Run again (how the work is shared out changes no output): all unchanged. A deleted
    // output, and then other settings, are redone.
    let (_, again) = redact(&[&library_dir], &resumed, &["--jobs", "1", "--batching", "across-files"]);
    assert_eq!(again["totals"]["unchanged"], 12);
    std::fs::remove_file(resumed.join("astronaut.png")).unwrap();
    let (_, after_delete) = redact(&[&library_dir], &resumed, &[]);
    assert_eq!(after_delete["totals"]["unchanged"], 11, "the deleted output is redone");
    assert!(resumed.join("astronaut.png").exists());
    let (_, other_mode) = redact(&[&library_dir], &resumed, &["--mode", "box"]);
    assert_eq!(other_mode["totals"]["unchanged"], 0, "new settings redo everything");
    let (_, forced) = redact(&[&library_dir], &resumed, &["--mode", "box", "--force"]);
    assert_eq!(forced["totals"]["unchanged"], 0, "--force redoes everything");
}

#[test]
fn shards_running_at_once_merge_into_the_report_of_a_single_process() {
    let dir = temp_dir();
    let (library_dir, single, sharded) = (dir.path().join("library"), dir.path().join("single"), dir.path().join("sharded"));
    library(&library_dir);
    std::fs::write(library_dir.join("notes.txt"), "not media").unwrap();
    let (output, expected) = redact(&[&library_dir], &single, &["--jobs", "1"]);
    assert!(output.status.success(), "{}", stderr(&output));

    // Three processes at once on one output folder: two told their shard, one as a pod of a
    // Kubernetes Indexed Job is.
    let shard = |index: u32| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_phi-redact"));
        command.args(["redact", library_dir.to_str().unwrap(), "--out", sharded.to_str().unwrap(), "--quiet", "--jobs", "1"]);
        match index {
            2 => command.args(["--shards", "3"]).env("JOB_COMPLETION_INDEX", "2"),
            _ => command.args(["--shard", &format!("{index}/3")]),
        };
        command.spawn().unwrap()
    };
    let children: Vec<_> = (0..3).map(shard).collect();
    let mut sizes = Vec::new();
    for (index, child) in children.into_iter().enumerate() {
        assert!(child.wait_with_output().unwrap().status.success(), "shard {index}");
        let part: Value =
            serde_json::from_slice(&std::fs::read(sharded.join(format!("phi-redact-report.shard-{index}-of-3.json"))).unwrap()).unwrap();
        sizes.push(part["files"].as_array().unwrap().len());
    }
    assert_eq!(sizes.iter().sum::<usize>(), 13, "every file in exactly one shard: {sizes:?}");
    assert!(sizes.iter().all(|&n| n > 0), "each shard has work: {sizes:?}");

    let merge = common::phi_redact(&["merge-reports", sharded.to_str().unwrap()]);
    assert!(merge.status.success(), "{}", stderr(&merge));
    let merged: Value = serde_json::from_slice(&std::fs::read(sharded.join("phi-redact-report.json")).unwrap()).unwrap();
    assert_eq!(normalised(&merged, &sharded), normalised(&expected, &single));
    let without_seconds = |totals: &Value| {
        let mut totals = totals.clone();
        totals.as_object_mut().unwrap().remove("seconds");
        totals
    };
    assert_eq!(without_seconds(&merged["totals"]), without_seconds(&expected["totals"]));
    assert!(sharded.join("phi-redact-report.html").is_file());
}

/// The report's files as a run into `out` would give them without timings, outputs named
/// relative to `out`, and an `unchanged` file under the status its earlier run gave it.
fn normalised(report: &Value, out: &Path) -> Vec<Value> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let mut entry = entry.clone();
            let object = entry.as_object_mut().unwrap();
            object.remove("timings");
            if let Some(status) = object.remove("result_status") {
                object.insert("status".into(), status);
            }
            if let Some(output) = object.get("output").and_then(Value::as_str) {
                let relative = Path::new(output).strip_prefix(out).unwrap().display().to_string();
                object.insert("output".into(), Value::String(relative));
            }
            entry
        })
        .collect()
}
