//! phi-redact: finds and redacts protected health information in images.
//!
//! The pipeline, one module per stage: `media` (sniff, decode) -> `detect` (faces) ->
//! `redact` -> `media` (encode without metadata) -> `report`. `pipeline` runs one file
//! through it, `batch` many files in parallel, `app` wires the commands together.

pub mod app;
pub mod batch;
pub mod cli;
pub mod config;
pub mod detect;
pub mod engines;
pub mod eval;
pub mod fsutil;
pub mod infer;
pub mod media;
pub mod ocr;
pub mod phi;
pub mod pipeline;
pub mod redact;
pub mod report;
