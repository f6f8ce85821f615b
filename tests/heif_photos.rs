//! HEIF photos (HEIC as phones save them, and AVIF), made here with libheif's own encoders:
//! read by content whatever their name, turned upright, redacted like any photo, and copied as
//! JPEGs named so, with nothing of the container's metadata; bursts fail.

mod common;

use common::fixtures::{astronaut_landscape, heif, phone_heic, wristband, XMP_MARKER};
use common::{detail, edges_along_rows, file_entry, finding_box, redact, stderr, temp_dir};
use image::{GenericImageView, ImageFormat};
use libheif_rs::CompressionFormat;
use std::path::Path;

fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_phone_heic_comes_out_an_upright_jpeg_named_so_with_its_face_blurred_and_no_metadata() {
    let dir = temp_dir();
    let upright = astronaut_landscape();
    let original = phone_heic(&upright);
    assert!(contains(&original, XMP_MARKER) && contains(&original, b"SN-4711"), "the fixture carries its metadata");
    let input = dir.path().join("IMG_0001.HEIC");
    std::fs::write(&input, &original).unwrap();

    let (run, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let entry = file_entry(&report, "IMG_0001.HEIC");
    assert_eq!(entry["format"], "heic");
    assert!(entry["output"].as_str().unwrap().ends_with("IMG_0001.jpg"), "{entry:#}");
    let bytes = std::fs::read(dir.path().join("out/IMG_0001.jpg")).unwrap();
    assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::Jpeg);
    let copy = image::load_from_memory(&bytes).unwrap();
    assert_eq!(copy.dimensions(), upright.dimensions(), "turned upright as its EXIF says");
    for needle in [XMP_MARKER, b"Exif", b"SN-4711", b"http://ns.adobe.com/xap"] {
        assert!(!contains(&bytes, needle), "the copy still holds {:?}", String::from_utf8_lossy(needle));
    }

    let face = entry["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "face").expect("the face is found");
    let face_box = finding_box(face);
    assert!((150..210).contains(&face_box[0]) && (30..90).contains(&face_box[1]), "face at {face_box:?}, where it is upright");
    let before = detail(&upright, face_box);
    let after = detail(&copy.to_rgb8(), face_box);
    assert!(after < before * 0.3, "the face keeps {after:.0} of {before:.0} detail");
}

/// The text findings of a report entry, as (masked text, categories), sorted.
fn text_findings(entry: &serde_json::Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = entry["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "text")
        .map(|f| (f["text"]["masked"].to_string(), f["text"]["categories"].to_string()))
        .collect();
    found.sort();
    found
}

#[test]
fn an_avif_wristband_is_read_and_boxed_as_the_same_band_in_png_whatever_its_name() {
    let dir = temp_dir();
    let (band, _) = wristband(&["SMITH, JOHN", "MRN 00482913", "DOB 03/14/1962"], 40.0);
    let png = dir.path().join("png/band.png");
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    band.save(&png).unwrap();
    let avif = dir.path().join("avif/band.png"); // content, not the name, says what it is
    std::fs::create_dir_all(avif.parent().unwrap()).unwrap();
    std::fs::write(&avif, heif(&band, CompressionFormat::Av1, 1, None)).unwrap();

    let (run, report) = redact(&[&png, &avif], &dir.path().join("out"), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let (as_png, as_avif) = (&report["files"][0], &report["files"][1]);
    assert_eq!((&as_png["format"], &as_avif["format"]), (&"png".into(), &"avif".into()));
    assert_eq!(text_findings(as_avif), text_findings(as_png));
    assert!(text_findings(as_avif).len() >= 3, "the name, the MRN and the date: {as_avif:#}");
    let copy = image::load_from_memory(&std::fs::read(dir.path().join("out/band.jpg")).unwrap()).unwrap().to_rgb8();
    for finding in as_avif["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "text") {
        let r = &finding["redacted"];
        let rect = ["x", "y", "width", "height"].map(|k| r[k].as_u64().unwrap() as u32);
        let inner = [rect[0] + 2, rect[1] + 2, rect[2] - 4, rect[3] - 4]; // JPEG blurs the box's edge
        let (left, was) = (edges_along_rows(&copy, inner), edges_along_rows(&band, inner));
        assert!(left <= 4 && was > 10, "text left at {rect:?}: rows cross {left} edges, {was} before");
    }
}

#[test]
fn a_burst_fails_rather_than_passing_as_its_first_picture() {
    let dir = temp_dir();
    let input = dir.path().join("burst.heic");
    std::fs::write(&input, heif(&astronaut_landscape(), CompressionFormat::Hevc, 2, None)).unwrap();

    let (run, report) = redact(&[&input], &dir.path().join("out"), &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let entry = file_entry(&report, "burst.heic");
    assert_eq!(entry["status"], "failed");
    assert!(entry["reason"].as_str().unwrap().contains("2 images"), "{entry:#}");
    assert!(!Path::new(&dir.path().join("out/burst.jpg")).exists(), "nothing written for it");
}
