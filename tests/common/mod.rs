//! Helpers shared by the end-to-end tests: running the real binary and reading its report.
#![allow(dead_code)]

pub mod fixtures;
pub mod scenes;
pub mod serve;
pub mod video;

use image::RgbImage;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn phi_redact(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phi-redact")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("run phi-redact")
}

/// `phi-redact redact INPUT... --out OUT` plus `extra`; returns the process output and report.
pub fn redact(inputs: &[&Path], out: &Path, extra: &[&str]) -> (Output, Value) {
    redact_into(inputs, out, &out.join("phi-redact-report.json"), extra)
}

/// `redact` with the text read in the report (`--report-raw-text`), which holds PHI and so goes
/// outside the output folder: beside it, as `OUT-private-report.json`.
pub fn redact_with_raw_text(inputs: &[&Path], out: &Path) -> (Output, Value) {
    redact_with_raw_text_and(inputs, out, &[])
}

/// `redact_with_raw_text` with `extra` options.
pub fn redact_with_raw_text_and(inputs: &[&Path], out: &Path, extra: &[&str]) -> (Output, Value) {
    let name = out.file_name().expect("an output folder name").to_string_lossy();
    let report = out.with_file_name(format!("{name}-private-report.json"));
    let options = [&["--report-raw-text", "--report", report.to_str().expect("a UTF-8 path")][..], extra].concat();
    redact_into(inputs, out, &report, &options)
}

fn redact_into(inputs: &[&Path], out: &Path, report_path: &Path, extra: &[&str]) -> (Output, Value) {
    let mut args: Vec<String> = vec!["redact".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string(), "--quiet".into()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = phi_redact(&arg_refs);
    let report = std::fs::read(report_path).map(|bytes| serde_json::from_slice(&bytes).expect("report is JSON")).unwrap_or(Value::Null);
    (output, report)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The report entry whose input path ends with `name`.
pub fn file_entry<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["files"]
        .as_array()
        .expect("files array")
        .iter()
        .find(|f| f["input"].as_str().is_some_and(|i| i.ends_with(name)))
        .unwrap_or_else(|| panic!("{name} not in report: {report:#}"))
}

/// The face network still images run by default: the 8-bit copy where this CPU computes it
/// faithfully (VNNI), the published one elsewhere.
#[allow(dead_code)] // not every test binary looks at models
pub fn default_face_network() -> &'static str {
    phi_redact::config::Settings::default().scale_plan.first_pass_model.file()
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The shared development set, when this checkout has it beside it (tests that need it are
/// ignored, with the reason, where it is absent: see `build.rs`).
pub fn dev_set() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev");
    dir.join("labels.json").is_file().then_some(dir)
}

/// Sum of absolute grey-level differences between neighbours: the fine detail a face is
/// recognised by. Blur removes most of it; flat colour removes all of it.
pub fn detail(image: &RgbImage, rect: [u32; 4]) -> f64 {
    neighbour_differences(image, rect, true)
}

/// Sum of absolute grey-level differences between neighbours along each row: the strokes of
/// upright letters. A solid box over an upright line leaves none, whether black whole or
/// black over the print and the ground's colour over its margins (`--box-paint`), whose
/// edges run along the rows.
pub fn detail_along_rows(image: &RgbImage, rect: [u32; 4]) -> f64 {
    neighbour_differences(image, rect, false)
}

fn neighbour_differences(image: &RgbImage, [x, y, w, h]: [u32; 4], down_too: bool) -> f64 {
    let grey = |x: u32, y: u32| image.get_pixel(x, y).0.iter().map(|&c| f64::from(c)).sum::<f64>() / 3.0;
    let mut total = 0.0;
    for yy in y..y + h - 1 {
        for xx in x..x + w - 1 {
            total += (grey(xx + 1, yy) - grey(xx, yy)).abs();
            if down_too {
                total += (grey(xx, yy + 1) - grey(xx, yy)).abs();
            }
        }
    }
    total
}

/// The most edges any row of `rect` crosses: runs of neighbours more than a quarter of the
/// grey scale apart, so that a lossy copy's softened edge counts once. Letters cross a row at
/// every stroke; a solid box's bands of print, black over the ground's colour
/// (`--box-paint`), only at their edges, whether the band runs along the row or slants.
pub fn edges_along_rows(image: &RgbImage, [x, y, w, h]: [u32; 4]) -> usize {
    let grey = |x: u32, y: u32| image.get_pixel(x, y).0.iter().map(|&c| i32::from(c)).sum::<i32>() / 3;
    let edges_in = |row| {
        let steep: Vec<bool> = (x..x + w - 1).map(|column| (grey(column + 1, row) - grey(column, row)).abs() > 64).collect();
        steep.iter().zip(std::iter::once(&false).chain(&steep)).filter(|&(&now, &before)| now && !before).count()
    };
    (y..y + h).map(edges_in).max().unwrap_or(0)
}

/// Whether `rect` (inside a solid box over a line of text, in a lossless copy) hides the
/// letters, however the box was painted: two flat colours at most, black among them, and no
/// row crossing more edges than two bands of print (a line and an i's dot) have.
pub fn letters_hidden(image: &RgbImage, [x, y, w, h]: [u32; 4]) -> Result<(), String> {
    let mut colours = vec![image::Rgb([0u8, 0, 0])];
    for pixel in (y..y + h).flat_map(|row| (x..x + w).map(move |column| *image.get_pixel(column, row))) {
        if !colours.contains(&pixel) {
            colours.push(pixel);
        }
    }
    let edges = edges_along_rows(image, [x, y, w, h]);
    match colours.len() {
        _ if edges > 4 => Err(format!("a row crosses {edges} edges")),
        1 | 2 => Ok(()),
        n => Err(format!("{n} colours: {:?}", &colours[..n.min(5)])),
    }
}

/// The part two `[x, y, w, h]` boxes share, if any.
pub fn intersection([ax, ay, aw, ah]: [u32; 4], [bx, by, bw, bh]: [u32; 4]) -> Option<[u32; 4]> {
    let (x0, y0) = (ax.max(bx), ay.max(by));
    let (x1, y1) = ((ax + aw).min(bx + bw), (ay + ah).min(by + bh));
    (x1 > x0 && y1 > y0).then(|| [x0, y0, x1 - x0, y1 - y0])
}

/// A finding's `box` in the report, as whole pixels.
pub fn finding_box(finding: &Value) -> [u32; 4] {
    let values: Vec<u32> = finding["box"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as u32).collect();
    [values[0], values[1], values[2], values[3]]
}

/// The middle of a head box: eyes, nose and mouth.
pub fn face_core([x, y, w, h]: [u32; 4]) -> [u32; 4] {
    [x + w / 4, y + h / 4, w / 2, h / 2]
}
