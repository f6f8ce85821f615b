//! Media in and out: recognising what a file is, decoding it upright, encoding the redacted
//! copy without metadata.

pub mod alpha;
mod icc;
pub mod image;
pub mod margin;
mod png_chunks;
pub mod resize;
mod sniff;
pub mod turn;

pub use sniff::{named_like_video, sniff, sniff_file, MediaKind};
