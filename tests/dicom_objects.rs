//! DICOM objects, made here as a scanner or a secondary capture would write them: the PHI
//! burned into their frames boxed in the stored samples (every other sample kept as it was),
//! the header de-identified by the PS3.15 Basic Profile with one study kept one study, and the
//! copy read back cleanly by DCMTK's `dcmdump`; broken or contradictory objects fail.

mod common;

use common::fixtures::{burned_in_dicom, DICOM_PATIENT, DICOM_STUDY_UID, WRISTBAND_SIZE};
use common::{file_entry, redact, stderr, temp_dir};
use dicom_dictionary_std::tags;
use dicom_object::{DefaultDicomObject, OpenFileOptions};
use dicom_pixeldata::PixelDecoder;
use std::path::Path;

fn open(path: &Path) -> DefaultDicomObject {
    OpenFileOptions::new().open_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text_of(object: &DefaultDicomObject, tag: dicom_core::Tag) -> Option<String> {
    object.get(tag).map(|element| element.value().to_str().unwrap().trim_end_matches('\0').trim().to_string())
}

fn contains(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Frame `index`'s stored samples.
fn frame_samples(object: &DefaultDicomObject, index: usize) -> Vec<u16> {
    let decoded = object.decode_pixel_data().unwrap();
    let frame = decoded.frame_data(index as u32).unwrap();
    frame.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect()
}

/// Whether the report's redactions of `frame` cover sample (`column`, `row`).
fn is_redacted(entry: &serde_json::Value, frame: usize, column: u64, row: u64) -> bool {
    let frames_of = entry["dicom"]["finding_frames"].as_array().unwrap();
    entry["findings"].as_array().unwrap().iter().zip(frames_of).filter(|(_, at)| at.as_u64() == Some(frame as u64)).any(|(finding, _)| {
        let r = &finding["redacted"];
        let (x, y, w, h) =
            (r["x"].as_u64().unwrap(), r["y"].as_u64().unwrap(), r["width"].as_u64().unwrap(), r["height"].as_u64().unwrap());
        (x..x + w).contains(&column) && (y..y + h).contains(&row)
    })
}

/// Checks each frame of `after` against `before`: every sample of an identifier holds the
/// frame's floor (its lowest value, which the boxes are filled with), and no sample outside the
/// redactions moved by more than `tolerance`.
fn check_frames(
    before: &DefaultDicomObject,
    after: &DefaultDicomObject,
    entry: &serde_json::Value,
    identifiers: &[[u32; 4]],
    tolerance: u16,
) {
    let columns = u64::from(WRISTBAND_SIZE.0);
    let frames = entry["dicom"]["frames"].as_u64().unwrap() as usize;
    for frame in 0..frames {
        let (before, after) = (frame_samples(before, frame), frame_samples(after, frame));
        let floor = *after.iter().min().unwrap();
        for &[x, y, w, h] in identifiers {
            let inside = (y..y + h).flat_map(|row| (x..x + w).map(move |col| (u64::from(row) * columns + u64::from(col)) as usize));
            let shown = inside.filter(|&at| after[at] != floor).count();
            assert_eq!(shown, 0, "frame {frame}: {shown} samples of the identifier at {x},{y} still show");
        }
        let changed_elsewhere = (0..before.len())
            .filter(|&at| {
                before[at].abs_diff(after[at]) > tolerance && !is_redacted(entry, frame, at as u64 % columns, at as u64 / columns)
            })
            .count();
        assert_eq!(changed_elsewhere, 0, "frame {frame}: samples changed outside the redactions");
    }
}

fn dcmtk(tool: &str, args: &[&Path]) {
    let run =
        std::process::Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} (DCMTK, `make setup` installs it): {e}"));
    assert!(run.status.success(), "{tool}: {}", String::from_utf8_lossy(&run.stderr));
}

fn dumps_cleanly(path: &Path) -> String {
    let dump = std::process::Command::new("dcmdump").arg(path).output().expect("dcmdump (DCMTK, `make setup` installs it)");
    assert!(dump.status.success() && dump.stderr.is_empty(), "dcmdump: {}", String::from_utf8_lossy(&dump.stderr));
    String::from_utf8_lossy(&dump.stdout).into_owned()
}

#[test]
fn burned_in_phi_is_boxed_in_every_frame_and_the_header_keeps_nothing_of_the_patient() {
    let dir = temp_dir();
    let (cine, identifiers) = burned_in_dicom(2, &DICOM_PATIENT, 1);
    let (still, _) = burned_in_dicom(1, &DICOM_PATIENT, 2);
    std::fs::create_dir(dir.path().join("in")).unwrap();
    let cine_path = dir.path().join("in/cine.dcm");
    std::fs::write(&cine_path, &cine).unwrap();
    // No extension: content, not the name, makes a file DICOM.
    std::fs::write(dir.path().join("in/IM0002"), &still).unwrap();

    let out = dir.path().join("out");
    let (run, report) = redact(&[&dir.path().join("in")], &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let entry = file_entry(&report, "cine.dcm");
    assert_eq!(entry["format"], "dicom");
    let details = &entry["dicom"];
    assert_eq!(details["frames"], 2);
    assert_eq!(details["written_as"], "1.2.840.10008.1.2.1");
    let per_frame: Vec<u64> = details["findings_per_frame"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    assert!(per_frame.iter().all(|&n| n >= 3), "each frame's three lines are found: {per_frame:?}");
    assert!(details["attributes"]["removed"].as_u64().unwrap() >= 4, "{details:#}");
    assert!(out.join(details["keyframe"]["file"].as_str().unwrap()).is_file());

    let original = open(&cine_path);
    let copy_path = out.join("cine.dcm");
    let copy = open(&copy_path);
    let bytes = std::fs::read(&copy_path).unwrap();
    for leaked in ["DOE", "4471923", "19620314", "Mercy", "A99812", DICOM_STUDY_UID, "ACME"] {
        assert!(!contains(&bytes, leaked), "the copy still holds {leaked:?}");
    }
    assert_eq!(text_of(&copy, tags::PATIENT_NAME).as_deref(), Some(""));
    assert_eq!(text_of(&copy, tags::PATIENT_BIRTH_DATE).as_deref(), Some(""));
    assert_eq!(text_of(&copy, tags::PATIENT_IDENTITY_REMOVED).as_deref(), Some("YES"));
    assert_eq!(text_of(&copy, tags::BURNED_IN_ANNOTATION).as_deref(), Some("NO"));
    assert!(copy.get(dicom_core::Tag(0x0009, 0x1001)).is_none() && copy.get(dicom_core::Tag(0x6000, 0x3000)).is_none());
    let study = text_of(&copy, tags::STUDY_INSTANCE_UID).unwrap();
    assert!(study.starts_with("2.25."), "{study}");
    let other = open(&out.join("IM0002"));
    assert_eq!(text_of(&other, tags::STUDY_INSTANCE_UID).unwrap(), study, "one study stays one study");
    assert_ne!(text_of(&other, tags::SOP_INSTANCE_UID), text_of(&copy, tags::SOP_INSTANCE_UID));
    assert_eq!(copy.meta().media_storage_sop_instance_uid().trim_end_matches('\0'), text_of(&copy, tags::SOP_INSTANCE_UID).unwrap());

    // Pixels: each identifier's box holds only the frame's floor; every sample outside the
    // redactions is the stored value it was.
    check_frames(&original, &copy, entry, &identifiers, 0);
    let dump = dumps_cleanly(&copy_path);
    assert!(dump.contains("(0012,0064)"), "the de-identification method code is recorded");
}

#[test]
fn twelve_bit_jpeg_and_implicit_vr_objects_are_boxed_and_uncompressed_syntaxes_kept() {
    let dir = temp_dir();
    let (cine, identifiers) = burned_in_dicom(2, &DICOM_PATIENT, 5);
    let native = dir.path().join("native.dcm");
    std::fs::write(&native, &cine).unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // The JPEG extended process at 12 bits, a frame per fragment; and implicit VR.
    let (jpeg, implicit) = (input.join("jpeg12.dcm"), input.join("implicit.dcm"));
    dcmtk("dcmcjpeg", &[Path::new("+ee"), &native, &jpeg]);
    dcmtk("dcmconv", &[Path::new("+ti"), &native, &implicit]);

    let out = dir.path().join("out");
    let (run, report) = redact(&[&input], &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let original = open(&native);
    for (name, syntax, tolerance) in [("jpeg12.dcm", "1.2.840.10008.1.2.1", 512), ("implicit.dcm", "1.2.840.10008.1.2", 0)] {
        let entry = file_entry(&report, name);
        assert_eq!(entry["dicom"]["written_as"], syntax, "{name}");
        let per_frame = entry["dicom"]["findings_per_frame"].as_array().unwrap();
        assert!(per_frame.len() == 2 && per_frame.iter().all(|n| n.as_u64().unwrap() >= 3), "{name}: {per_frame:?}");
        let copy_path = out.join(name);
        dumps_cleanly(&copy_path);
        let copy = open(&copy_path);
        // Samples stay at the scale the header gives (12 bits), near the original's values
        // outside the boxes: lossy JPEG moves edges by up to about 360 of 4096 here, a shift
        // by the wrong number of bits by thousands.
        assert!(frame_samples(&copy, 1).iter().all(|&sample| sample < 4096), "{name}");
        check_frames(&original, &copy, entry, &identifiers, tolerance);
    }
}

#[test]
fn truncated_objects_and_unfound_burned_in_text_fail_and_write_nothing() {
    let dir = temp_dir();
    let (whole, _) = burned_in_dicom(1, &DICOM_PATIENT, 3);
    std::fs::write(dir.path().join("truncated.dcm"), &whole[..whole.len() * 2 / 3]).unwrap();
    let (blank, _) = burned_in_dicom(1, &[], 4);
    std::fs::write(dir.path().join("says-burned-in.dcm"), &blank).unwrap();
    std::fs::write(dir.path().join("not-dicom.dcm"), b"hello").unwrap();

    let out = dir.path().join("out");
    let (run, report) =
        redact(&[&dir.path().join("truncated.dcm"), &dir.path().join("says-burned-in.dcm"), &dir.path().join("not-dicom.dcm")], &out, &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    for name in ["truncated.dcm", "says-burned-in.dcm", "not-dicom.dcm"] {
        assert_eq!(file_entry(&report, name)["status"], "failed", "{name}");
        assert!(!out.join(name).exists(), "{name} was written");
    }
    let reason = file_entry(&report, "says-burned-in.dcm")["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("Burned In Annotation"), "{reason}");
}
