//! End-to-end tests of licence plates (`src/plates`): a parked car's plate is boxed as a
//! vehicle identifier, in photos and in every frame of a video, and not the signs beside it.

mod common;

use common::scenes::{distant_parked_car, parked_car};
use common::video::{decode, encode, pan};
use common::{detail, file_entry, phi_redact, redact, stderr, temp_dir};
use image::RgbImage;
use std::path::Path;

/// Redacts the parked car's photo with `extra` options; returns the copy and the report's
/// entry for it.
fn redact_parked_car(dir: &Path, extra: &[&str]) -> (RgbImage, serde_json::Value) {
    let (scene, _) = parked_car();
    std::fs::create_dir_all(dir).unwrap();
    let input = dir.join("car.png");
    scene.image.save(&input).unwrap();
    let (output, report) = redact(&[&input], &dir.join("out"), extra);
    assert!(output.status.success(), "{}", stderr(&output));
    (image::open(dir.join("out/car.png")).unwrap().to_rgb8(), file_entry(&report, "car.png").clone())
}

/// Inside where `parked_car` draws the registration's characters (46-px type at (398, 354):
/// capitals from about 10 px below that, about 32 px tall).
fn registration_box() -> [u32; 4] {
    [400, 366, common::fixtures::text_width("7ABC123", 46.0) - 4, 26]
}

fn plates(entry: &serde_json::Value) -> Vec<&serde_json::Value> {
    entry["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "plate").collect()
}

fn unchanged(before: &RgbImage, after: &RgbImage, [x, y, w, h]: [u32; 4]) -> bool {
    (y..y + h).all(|yy| (x..x + w).all(|xx| before.get_pixel(xx, yy) == after.get_pixel(xx, yy)))
}

#[test]
fn a_parked_cars_plate_is_boxed_solid_as_a_vehicle_identifier_and_the_signs_are_left() {
    let dir = temp_dir();
    let (scene, plate) = parked_car();
    let (copy, entry) = redact_parked_car(dir.path(), &[]);
    let found = plates(&entry);
    assert_eq!(found.len(), 1, "{entry:#}");
    let text = &found[0]["text"];
    assert_eq!(text["categories"], serde_json::json!(["vehicle_identifier"]));
    let reasons = text["reasons"].to_string();
    assert!(reasons.contains("plate-shaped region") && reasons.contains("California"), "{reasons}");
    assert!(!entry.to_string().contains("7ABC123"), "the report masks the registration");
    assert_eq!(found[0]["redacted"]["mode"], "box");
    // The registration's characters are hidden under the box; the state's name above it is no
    // PHI.
    let hidden = common::letters_hidden(&copy, registration_box());
    assert!(hidden.is_ok(), "the registration {:?} is boxed solid: {hidden:?}, {}", registration_box(), found[0]["redacted"]);
    assert!(unchanged(&scene.image, &copy, [plate[0] + 40, plate[1] + 4, plate[2] - 80, 12]), "CALIFORNIA");
    // The signs on the wall are no plates and carry no PHI: the plate is the only thing boxed
    // but faces (the face detector's own false alarms, at its low threshold, are another matter).
    assert!(unchanged(&scene.image, &copy, [60, 60, 230, 60]), "ROOM 412");
    let boxed: Vec<&serde_json::Value> = entry["findings"].as_array().unwrap().iter().filter(|f| f["kind"] != "face").collect();
    assert_eq!(boxed.len(), 1, "{entry:#}");
}

#[test]
fn a_distant_cars_plate_is_found_close_up() {
    // Eight times farther, the plate is 27 px wide: the first look outlines it but cannot read
    // it (boxed as illegible text at most); enlarged with the car around it, it reads as a plate.
    let dir = temp_dir();
    let (scene, [x, y, w, h]) = distant_parked_car(8.0);
    let input = dir.path().join("street.png");
    scene.image.save(&input).unwrap();
    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entry = file_entry(&report, "street.png");
    let on_the_plate = |f: &&serde_json::Value| {
        let [fx, fy, fw, fh] = [0, 1, 2, 3].map(|i| f["box"][i].as_f64().unwrap() as f32);
        let across = (fx + fw).min((x + w) as f32) - fx.max(x as f32);
        let down = (fy + fh).min((y + h) as f32) - fy.max(y as f32);
        across > 0.5 * w as f32 && down > 0.5 * h as f32
    };
    let found: Vec<&serde_json::Value> = plates(entry).into_iter().filter(on_the_plate).collect();
    assert_eq!(found.len(), 1, "{entry:#}");
    assert!(found[0]["text"]["reasons"].to_string().contains("plate-shaped region"), "{}", found[0]);
    let copy = image::open(dir.path().join("out/street.png")).unwrap().to_rgb8();
    let characters = [x + 2, y + h / 2 - 2, w - 4, 4];
    assert!(detail(&copy, characters) < 0.1 * detail(&scene.image, characters), "the registration is boxed");
}

#[test]
fn the_runs_summary_counts_the_plate() {
    let dir = temp_dir();
    let input = dir.path().join("car.png");
    parked_car().0.image.save(&input).unwrap();
    let out = dir.path().join("out");
    let output = phi_redact(&["redact", input.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains(" text parts, 1 plates, 0 barcodes)"), "{}", stderr(&output));
}

#[test]
fn plates_can_be_blurred_left_alone_or_cleared_by_the_sites_allow_list() {
    let dir = temp_dir();
    let (scene, plate) = parked_car();
    let (blurred, entry) = redact_parked_car(&dir.path().join("blur"), &["--plate-mode", "blur"]);
    assert_eq!(plates(&entry)[0]["redacted"]["mode"], "blur");
    let characters = registration_box();
    assert!(detail(&blurred, characters) < 0.3 * detail(&scene.image, characters), "blurred");

    let (kept, entry) = redact_parked_car(&dir.path().join("off"), &["--no-plates"]);
    assert!(plates(&entry).is_empty(), "{entry:#}");
    assert!(unchanged(&scene.image, &kept, plate), "--no-plates leaves the plate");

    let policy = dir.path().join("fleet.toml");
    std::fs::write(&policy, "[text]\nallow = [\"7ABC 123\"]\n").unwrap();
    let (_, entry) = redact_parked_car(&dir.path().join("fleet"), &["--config", policy.to_str().unwrap()]);
    assert!(plates(&entry).is_empty(), "the fleet's own plate: {entry:#}");
}

#[test]
fn a_camera_pan_over_a_parked_car_keeps_its_plate_boxed_in_every_frame() {
    let dir = temp_dir();
    let (scene, _) = parked_car();
    let views = pan(&scene.image, 640, 360, 40);
    let frames: Vec<RgbImage> = views.iter().map(|(view, _)| view.clone()).collect();
    let input = dir.path().join("pan.mp4");
    encode(&frames, 25, &input, &[], &["-c:v", "libx264", "-crf", "10", "-pix_fmt", "yuv420p"]);
    let (output, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let redacted = decode(&dir.path().join("out/pan.mp4"));
    assert_eq!(redacted.len(), frames.len());
    let mut checked = 0;
    for (index, ((before, after), (_, (ox, oy)))) in frames.iter().zip(&redacted).zip(&views).enumerate() {
        // The registration's characters, where they are in this frame, when all in view.
        let [cx, cy, cw, ch] = registration_box();
        if cx < *ox || cy < *oy || cx + cw > ox + 640 || cy + ch > oy + 360 {
            continue;
        }
        let characters = [cx - ox, cy - oy, cw, ch];
        let (kept, had) = (detail(after, characters), detail(before, characters));
        assert!(kept < 0.1 * had, "frame {index}: the plate kept {kept:.0} of {had:.0} detail");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} frames show the plate whole");
    let entry = file_entry(&report, "pan.mp4");
    let tracks = entry["video"]["tracks"].as_array().unwrap();
    assert!(tracks.iter().any(|t| t["kind"] == "plate"), "{tracks:?}");
}
