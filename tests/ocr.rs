//! The text detector and recognizer on a rendered wristband: every line is found and read
//! back exactly, and the PHI recognizers flag what is PHI in it. (One test in this file: ONNX
//! Runtime allows one environment per process.)

mod common;

use common::fixtures;
use phi_redact::detect::{DbTextDetector, Detector};
use phi_redact::infer::{DeviceRequest, InputShapes, Runtime, RuntimePaths};
use phi_redact::ocr::{PpOcrRecognizer, TextReader};
use phi_redact::phi::{PhiCategory, Scanner};

#[test]
fn a_wristband_is_detected_read_and_scored() {
    let runtime = Runtime::init(&RuntimePaths::default(), DeviceRequest::Cpu).expect("run `make setup`");
    let mut detector = DbTextDetector::new(&runtime, 2, phi_redact::detect::SMALL_DETECTOR, InputShapes::Aligned).unwrap();
    let mut reader = PpOcrRecognizer::new(&runtime, 2, phi_redact::ocr::SMALL_RECOGNIZER, InputShapes::Aligned).unwrap();
    let lines = ["SMITH, JOHN", "DOB 03/14/1962   MRN 00482913", "Allergies: penicillin"];
    let (image, _) = fixtures::wristband(&lines, 28.0);
    let upside_down = image::imageops::rotate180(&image);

    // Read as on a GPU too (every line's width and every batch padded to a fixed shape).
    let mut padded_reader = PpOcrRecognizer::new(&runtime, 2, phi_redact::ocr::SMALL_RECOGNIZER, InputShapes::FewFixed).unwrap();
    for (picture, name) in [(&image, "upright"), (&upside_down, "upside down")] {
        let mut regions = detector.detect(picture).unwrap();
        regions.sort_by(|a, b| a.bbox.y0.total_cmp(&b.bbox.y0));
        if name == "upside down" {
            regions.reverse();
        }
        let boxes: Vec<_> = regions.iter().map(|r| r.quad.expect("text regions have outlines")).collect();
        let read: Vec<String> = reader.read(picture, &boxes).unwrap().into_iter().map(|r| r.text).collect();
        let normalise = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let read: Vec<String> = read.iter().map(|t| normalise(t)).collect();
        let expected: Vec<String> = lines.iter().map(|t| normalise(t)).collect();
        assert_eq!(read, expected, "{name}");
        let read_padded: Vec<String> = padded_reader.read(picture, &boxes).unwrap().into_iter().map(|r| normalise(&r.text)).collect();
        assert_eq!(read_padded, expected, "{name}, inputs padded to fixed shapes");
    }

    // Its input padded to a GPU's fixed shapes, the detector outlines the same lines, within a
    // few pixels (the network sees zeros past the picture's edges: its outlines move a little).
    let mut padded = DbTextDetector::new(&runtime, 2, phi_redact::detect::SMALL_DETECTOR, InputShapes::FewFixed).unwrap();
    let outlines = |regions: Vec<phi_redact::detect::Region>| {
        let mut boxes: Vec<[i32; 4]> =
            regions.iter().map(|r| [r.bbox.y0, r.bbox.x0, r.bbox.y1, r.bbox.x1].map(|v| v.round() as i32)).collect();
        boxes.sort();
        boxes
    };
    let (aligned, fixed) = (outlines(detector.detect(&image).unwrap()), outlines(padded.detect(&image).unwrap()));
    assert_eq!(aligned.len(), fixed.len(), "{aligned:?} vs {fixed:?}");
    for (one, other) in aligned.iter().zip(&fixed) {
        assert!(one.iter().zip(other).all(|(a, b)| (a - b).abs() <= 4), "{aligned:?} vs {fixed:?}");
    }

    // A line set along a card's edge runs up as often as down, and is read whichever way it runs.
    let (date_line, _) = fixtures::wristband(&["06/25/1944"], 28.0);
    for (picture, name) in [(image::imageops::rotate90(&date_line), "running down"), (image::imageops::rotate270(&date_line), "running up")]
    {
        let regions = detector.detect(&picture).unwrap();
        let boxes: Vec<_> = regions.iter().map(|r| r.quad.expect("text regions have outlines")).collect();
        let read: Vec<String> = reader.read(&picture, &boxes).unwrap().into_iter().map(|r| r.text).collect();
        assert!(read.iter().any(|text| text.contains("06/25/1944")), "{name}: {read:?}");
    }

    let scanner = Scanner::default();
    let categories = |text: &str| scanner.scan(text).into_iter().map(|m| m.category).collect::<Vec<_>>();
    assert!(categories(lines[0]).contains(&PhiCategory::Name));
    let second = categories(lines[1]);
    assert!(second.contains(&PhiCategory::Date) && second.contains(&PhiCategory::MedicalRecordNumber), "{second:?}");
    assert!(categories(lines[2]).is_empty());
}
