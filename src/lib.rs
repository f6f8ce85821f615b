//! phi-redact: finds and redacts protected health information in images and videos.
//!
//! The pipeline, one module per stage: `media` (sniff, decode) -> `detect` (faces, text
//! lines, barcodes) -> `ocr` (read) -> `ner` (names by meaning) -> `phi` (score) -> `redact` -> `media` (encode without
//! metadata) -> `report` (JSON, and the `review` page for people, whose decisions `review` applies
//! back). `analyse` runs the detecting, reading and scoring of one image,
//! `pipeline` one file through every stage (`video` a video's frames, tracked), `batch` many
//! files in parallel on a shared `engine_pool`, and `app` wires the commands together. `caption`
//! puts the words posted with a photo through the same scoring, and `serve` offers all of it
//! as a local web application.

pub mod analyse;
pub mod app;
pub mod batch;
pub mod caption;
pub mod cli;
pub mod config;
pub mod detect;
pub mod dicom;
pub mod engine_pool;
pub mod engines;
pub mod eval;
pub mod fsutil;
pub mod fuzzing;
pub mod geometry;
pub mod hashing;
pub mod infer;
pub mod job;
pub mod media;
pub mod ner;
pub mod ocr;
pub mod phi;
pub mod pipeline;
pub mod plates;
pub mod redact;
pub mod report;
pub mod resume;
pub mod review;
pub mod serve;
pub mod shard;
pub mod video;
