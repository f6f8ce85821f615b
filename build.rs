//! Tells the tests whether the shared development set lies beside this checkout
//! (`../shared/eval/dev`): the tests that need it then run, and elsewhere they are reported as
//! ignored, with the reason, instead of passing without having looked at anything.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_dev_set)");
    // Read as the script runs, not built into it: the same script binary may serve a checkout
    // elsewhere.
    let checkout = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let labels = Path::new(&checkout).join("../shared/eval/dev/labels.json");
    println!("cargo::rerun-if-changed={}", labels.display());
    if labels.is_file() {
        println!("cargo::rustc-cfg=shared_dev_set");
    }
}
