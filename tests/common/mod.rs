//! Helpers shared by the end-to-end tests: running the real binary and reading its report.
#![allow(dead_code)]

pub mod fixtures;
pub mod scenes;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn phi_redact(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phi-redact")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("run phi-redact")
}

/// `phi-redact redact INPUT... --out OUT` plus `extra`; returns the process output and report.
pub fn redact(inputs: &[&Path], out: &Path, extra: &[&str]) -> (Output, Value) {
    let mut args: Vec<String> = vec!["redact".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string(), "--quiet".into()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = phi_redact(&arg_refs);
    let report_path = out.join("phi-redact-report.json");
    let report = std::fs::read(&report_path).map(|bytes| serde_json::from_slice(&bytes).expect("report is JSON")).unwrap_or(Value::Null);
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

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The shared development set, when this checkout has it beside it.
pub fn dev_set() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev");
    dir.join("labels.json").is_file().then_some(dir)
}
