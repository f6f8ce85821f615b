//! PHI recall on hospital scenes the project draws itself, plain and degraded, and no false
//! flags on signs without PHI: everything runs through the real binary with default settings.

mod common;

use common::scenes::{self, Scene};
use common::{
    file_entry, finding_box, intersection, letters_hidden, phi_redact, redact_with_raw_text, redact_with_raw_text_and, stderr, temp_dir,
};
use serde_json::Value;
use std::path::Path;

/// Letters and digits only, upper-case: OCR spacing and punctuation do not matter.
fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

fn save_all(scenes: &[Scene], dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for scene in scenes {
        scene.image.save(dir.join(format!("{}.png", scene.name))).unwrap();
    }
}

/// Every PHI string of every scene is inside what the report says was boxed.
fn assert_all_phi_boxed(scenes: &[Scene], report: &Value) {
    let mut missed = Vec::new();
    for scene in scenes {
        let entry = file_entry(report, &format!("{}.png", scene.name));
        let boxed: String = entry["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["text"]["raw"].as_str())
            .map(normalise)
            .collect::<Vec<_>>()
            .join("|");
        missed.extend(scene.phi.iter().filter(|phi| !boxed.contains(&normalise(phi))).map(|phi| format!("{}: {phi}", scene.name)));
    }
    assert!(missed.is_empty(), "PHI not boxed: {missed:?}");
}

/// Redacts `scenes` with the default settings and `extra` options and checks that every PHI
/// string of every one was boxed; returns the report.
fn assert_redacting_boxes_all_phi(scenes: &[Scene], extra: &[&str]) -> Value {
    let dir = temp_dir();
    save_all(scenes, &dir.path().join("in"));
    let (output, report) = redact_with_raw_text_and(&[&dir.path().join("in")], &dir.path().join("out"), extra);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_all_phi_boxed(scenes, &report);
    report
}

/// A GPU pads the networks' inputs up to a few fixed sizes (`InputShapes`); on the CPU, padded
/// so, the detectors find the same PHI.
#[test]
fn inputs_padded_to_a_gpus_few_fixed_shapes_box_the_same_phi() {
    let report = assert_redacting_boxes_all_phi(&scenes::with_phi(), &["--input-shapes", "few-fixed"]);
    assert_eq!(report["settings"]["input_shapes"], "few-fixed");
}

#[test]
fn phi_on_wristbands_boards_monitors_labels_and_badges_is_boxed_and_signs_are_left_alone() {
    let dir = temp_dir();
    let with_phi = scenes::with_phi();
    let controls = scenes::controls();
    save_all(&with_phi, &dir.path().join("in"));
    save_all(&controls, &dir.path().join("in"));

    let (output, report) = redact_with_raw_text(&[&dir.path().join("in")], &dir.path().join("out"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_all_phi_boxed(&with_phi, &report);
    for control in &controls {
        let entry = file_entry(&report, &format!("{}.png", control.name));
        assert_eq!(entry["status"], "clean", "a sign without PHI was flagged: {entry:#}");
    }

    // The wristband's QR code carries the MRN: the whole symbol is boxed.
    let wristband = file_entry(&report, "wristband.png");
    let barcode = wristband["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "barcode").expect("QR code found");
    assert_eq!(barcode["text"]["masked"], "********");

    assert_nothing_left_to_flag(&dir.path().join("out"));
}

/// Read again after redaction, the PNG outputs in `out` leave nothing of the PHI to flag.
fn assert_nothing_left_to_flag(out: &Path) {
    let outputs: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "png"))
        .map(|path| path.display().to_string())
        .collect();
    let mut args = vec!["check"];
    args.extend(outputs.iter().map(String::as_str));
    let after = phi_redact(&args);
    assert_eq!(after.status.code(), Some(0), "{}", String::from_utf8_lossy(&after.stdout));
}

#[test]
fn phi_is_still_boxed_when_turned_seen_at_an_angle_blurred_or_compressed() {
    let degraded: Vec<Scene> = scenes::with_phi()
        .iter()
        .flat_map(|scene| {
            [
                scenes::rotated(scene, 7.0),
                scenes::turned_quarter(scene),
                scenes::in_perspective(scene),
                scenes::blurred_and_compressed(scene),
            ]
        })
        .collect();
    assert_redacting_boxes_all_phi(&degraded, &[]);
}

/// A page photographed sideways or upside down is found, read and scored turned upright, and
/// what is found there is boxed where it lies in the photo: read again, the redacted copies
/// leave nothing to flag.
#[test]
fn a_turned_page_is_read_upright_and_boxed_where_it_lies() {
    let schedule = scenes::clinic_schedule();
    let turned = [scenes::turned_quarter(&schedule), scenes::upside_down(&schedule)];
    let dir = temp_dir();
    save_all(&turned, &dir.path().join("in"));
    let (output, report) = redact_with_raw_text(&[&dir.path().join("in")], &dir.path().join("out"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_all_phi_boxed(&turned, &report);
    assert_nothing_left_to_flag(&dir.path().join("out"));
}

/// Dim print on a dark-mode screen, blurred and compressed: found only in the image's negative
/// (without it, a name of the list was missed).
#[test]
fn light_print_on_a_dark_screen_is_boxed() {
    assert_redacting_boxes_all_phi(&[scenes::blurred_and_compressed(&scenes::dark_mode_list())], &[]);
}

/// A page that reads poorly is looked at a second time, with a stronger detector and a
/// stronger recognizer: the line with the patient's name, which the first look lost, is found,
/// the stronger recognizer reads the first name on it, and it is boxed.
#[test]
fn a_poorly_read_page_gets_a_second_look() {
    let (scene, name) = scenes::faint_fax_page();
    let dir = temp_dir();
    let entry = redact_alone(&scene, dir.path());
    let on_the_name = findings_over(&entry, name);
    assert!(!on_the_name.is_empty(), "the name's line is not boxed: {entry:#}");
    let read_as = |f: &&Value| normalise(f["text"]["raw"].as_str().unwrap_or_default());
    assert!(on_the_name.iter().any(|f| read_as(f).contains("CHIAMAKA")), "the name was not read: {on_the_name:#?}");
}

/// A record number printed again along a wristband's edge, with no label of its own, is boxed
/// there as the number its labelled copy is, and the copy's letters are hidden.
#[test]
fn an_identifier_printed_again_without_its_label_is_boxed_there_too() {
    let (scene, copy) = scenes::wristband_with_edge_number();
    let dir = temp_dir();
    let entry = redact_alone(&scene, dir.path());
    let on_the_copy = findings_over(&entry, copy);
    let found_elsewhere =
        |f: &&Value| f["text"]["reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("found elsewhere on the page"));
    assert!(on_the_copy.iter().any(found_elsewhere), "the copy is not boxed as the record number: {entry:#}");
    let redacted = image::open(dir.path().join("out/wristband-edge-number.png")).unwrap().to_rgb8();
    let [x, y, w, h] = copy;
    // Turned, the copy's rows run across the print: its columns are checked as rows.
    let turned = image::imageops::rotate90(&image::imageops::crop_imm(&redacted, x, y, w, h).to_image());
    letters_hidden(&turned, [0, 0, h, w]).unwrap_or_else(|e| panic!("the copy can still be read: {e}"));
}

/// Redacts `scene` alone, from `dir`/in into `dir`/out with its raw text reported, and returns
/// its entry in the report.
fn redact_alone(scene: &Scene, dir: &Path) -> Value {
    save_all(std::slice::from_ref(scene), &dir.join("in"));
    let (output, report) = redact_with_raw_text(&[&dir.join("in")], &dir.join("out"));
    assert!(output.status.success(), "{}", stderr(&output));
    file_entry(&report, &format!("{}.png", scene.name)).clone()
}

/// The findings that cover at least half of `rect`.
fn findings_over(entry: &Value, rect: [u32; 4]) -> Vec<&Value> {
    let covers = |finding: &&Value| intersection(finding_box(finding), rect).is_some_and(|[_, _, iw, ih]| 2 * iw * ih >= rect[2] * rect[3]);
    entry["findings"].as_array().unwrap().iter().filter(covers).collect()
}

/// Names of Ghanaian and Irish people in sentences, known only from the world name lists (the
/// census lists alone miss both).
#[test]
fn names_beyond_the_census_are_boxed_in_running_text() {
    assert_redacting_boxes_all_phi(&[scenes::handover_note()], &[]);
}

/// Names that no label, census pair or layout rule gives away, found by the learned tagger
/// from what they are and what surrounds them.
#[test]
fn names_only_context_tells_are_boxed_by_the_learned_tagger() {
    assert_redacting_boxes_all_phi(&[scenes::names_only_context_tells()], &[]);
}
