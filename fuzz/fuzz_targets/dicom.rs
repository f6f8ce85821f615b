#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| phi_redact::fuzzing::dicom(data));
