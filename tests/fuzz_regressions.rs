//! What the fuzz targets (`make fuzz`) are started from, `fuzz/seeds/TARGET/`, and every input
//! that once broke one, `fuzz/regressions/TARGET/`, each run again through the target's entry
//! point: none may panic (a hang or a run out of memory would stop the test run).

use phi_redact::fuzzing;
use std::path::Path;

#[test]
fn every_seed_and_every_input_that_once_broke_a_fuzz_target_passes() {
    type EntryPoint = fn(&[u8]);
    let targets: [(&str, EntryPoint); 5] = [
        ("media", fuzzing::media),
        ("dicom", fuzzing::dicom),
        ("recognizers", fuzzing::recognizers),
        ("site_config", fuzzing::site_config),
        ("review_files", fuzzing::review_files),
    ];
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (target, entry_point) in targets {
        let mut ran = 0;
        for kind in ["seeds", "regressions"] {
            let Ok(inputs) = std::fs::read_dir(fuzz.join(kind).join(target)) else { continue };
            for input in inputs {
                let path = input.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| entry_point(&bytes));
                assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
                ran += 1;
            }
        }
        assert!(ran > 0, "{target} has no seeds");
    }
}
