//! `phi-redact check-text`: the caption check on the command line, with the real models
//! (name lists, the learned name tagger), from an argument and from standard input.

mod common;

use common::{phi_redact, stderr};
use serde_json::Value;
use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `phi-redact check-text` plus `extra`, its three streams piped.
fn spawn_check(extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_phi-redact"))
        .arg("check-text")
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run phi-redact")
}

fn check_from_stdin(text: &[u8], extra: &[&str]) -> Output {
    let mut child = spawn_check(extra);
    // A text over the limit is refused before it has all been read.
    if let Err(error) = child.stdin.take().expect("stdin").write_all(text) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().expect("wait for phi-redact")
}

/// The characters of `text` a finding's span covers.
fn spanned(text: &str, finding: &Value) -> String {
    let [start, end] = [0, 1].map(|i| finding["span"][i].as_u64().expect("span offsets") as usize);
    text.chars().skip(start).take(end - start).collect()
}

fn categories(finding: &Value) -> Vec<&str> {
    finding["categories"].as_array().expect("categories").iter().filter_map(Value::as_str).collect()
}

#[test]
fn a_caption_naming_a_patient_with_a_record_number_is_flagged_and_masked() {
    let caption = "So proud of Maria Gonzalez, MRN 4471923, who went home on 03/14/2024!";
    let output = phi_redact(&["check-text", caption]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("a person's name") && said.contains("a medical record number") && said.contains("a date"), "{said}");
    for secret in ["Maria", "Gonzalez", "4471923", "03/14"] {
        assert!(!said.contains(secret), "{secret} printed as it is:\n{said}");
    }

    let output = phi_redact(&["check-text", caption, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let findings = json["findings"].as_array().expect("findings");
    let found: Vec<(String, Vec<&str>)> = findings.iter().map(|f| (spanned(caption, f), categories(f))).collect();
    let covering = |text: &str, category: &str| found.iter().any(|(spanned, cats)| spanned.contains(text) && cats.contains(&category));
    assert!(covering("Maria Gonzalez", "name"), "{found:?}");
    assert!(covering("4471923", "medical_record_number"), "{found:?}");
    assert!(covering("03/14/2024", "date"), "{found:?}");
    for finding in findings {
        assert!(finding["risk"].as_f64().is_some_and(|risk| (0.5..=1.0).contains(&risk)), "{finding}");
        assert!(!finding["reasons"].as_array().expect("reasons").is_empty(), "{finding}");
        assert!(!finding.to_string().contains("Gonzalez"), "{finding}");
    }
}

#[test]
fn a_greeting_with_no_identifier_is_clean() {
    let output = phi_redact(&["check-text", "Happy Nurses Week from 4 West!"]);
    assert_eq!(output.status.code(), Some(0), "{}\n{}", stdout(&output), stderr(&output));
    assert_eq!(stdout(&output).trim(), "clean: no PHI found");

    let output = check_from_stdin(b"Thank you to our volunteers and the whole night shift.\n", &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["findings"], Value::Array(Vec::new()));
}

#[test]
fn a_reply_read_from_standard_input_is_checked_line_by_line() {
    let reply = "Thank you to our volunteers!\nCall John Smith at 617-555-0142.\n";
    let output = check_from_stdin(reply.as_bytes(), &["-"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(said.contains("line 2") && !said.contains("line 1"), "{said}");
    assert!(said.contains("a phone number") && said.contains("a person's name"), "{said}");
    assert!(!said.contains("Smith") && !said.contains("0142"), "{said}");
}

#[test]
fn text_that_cannot_be_checked_is_an_error() {
    let not_utf8 = check_from_stdin(b"Caf\xe9 au lait for Ren\xe9\n", &[]);
    assert_eq!(not_utf8.status.code(), Some(2));
    assert!(stderr(&not_utf8).contains("not UTF-8"), "{}", stderr(&not_utf8));

    let too_long = check_from_stdin("Get well soon! ".repeat(20_000).as_bytes(), &[]);
    assert_eq!(too_long.status.code(), Some(2));
    assert!(stderr(&too_long).contains("at most"), "{}", stderr(&too_long));
}

/// A reader that stops early (`phi-redact check-text ... | head -1`) ends the check with an
/// error and the exit status of errors (2), never with a panic.
#[test]
fn a_reader_that_goes_away_is_an_error_not_a_panic() {
    let mut child = spawn_check(&["-"]);
    // Closed before the text is even given, so that every line the check prints is refused.
    drop(child.stdout.take());
    child.stdin.take().expect("stdin").write_all(b"SSN 123-45-6789, call 617-555-0100").expect("write the text");
    let output = child.wait_with_output().expect("wait for phi-redact");
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert!(errors.contains("cannot write to standard output"), "{errors}");
    assert!(!errors.contains("panicked"), "{errors}");
}
