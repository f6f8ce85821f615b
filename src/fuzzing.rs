//! The entry points of the fuzz targets (`fuzz/`, `make fuzz`), here so that the inputs that
//! once broke one (`fuzz/regressions/TARGET/`) go through the very same code in `make test`.
//! Each takes any bytes at all and must return: an error is the expected answer to most of them,
//! a panic, a hang or a run out of memory is a bug.

use crate::geometry::BBox;
use crate::phi::{Scanner, TextLine, TextPolicy};
use std::path::Path;
use std::sync::LazyLock;

/// What a file may decode to here: small enough for many runs a second, large enough that the
/// limits are met (a larger image is refused, as `--max-megapixels` would).
const MAX_PIXELS: u64 = 1 << 20;
/// Lines of text looked at together, as on one page.
const MAX_LINES: usize = 24;

/// Made once per fuzzing process: building its hundred patterns took the whole of each run (one
/// run a second).
static SCANNER: LazyLock<Scanner> = LazyLock::new(Scanner::default);

/// Sniffing and decoding a file with the limits of a run (colour profile, metadata chunks,
/// dimensions), then writing the image back as the output would be.
pub fn media(data: &[u8]) {
    if let Ok(image) = crate::pipeline::decode_image(Path::new("input"), data, MAX_PIXELS) {
        let _ = crate::media::image::encode(&image);
    }
}

/// A DICOM object read, every frame decoded and rendered, boxed in its stored samples, its
/// header de-identified and the whole written back: all a run does to one but the analysis.
pub fn dicom(data: &[u8]) {
    let _ = crate::dicom::rewrite_without_analysis(data, MAX_PIXELS);
}

/// The PHI recognizers on any text: each line of it as read on a page (one below the other,
/// each character's place along its line known), and the whole as a barcode's payload.
pub fn recognizers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<TextLine> = text.lines().take(MAX_LINES).enumerate().map(|(row, line)| TextLine::typed(row, line)).collect();
    let _ = SCANNER.assess(&lines);
    let _ = SCANNER.assess_payload(Some(&text), BBox { x0: 0.0, y0: 0.0, x1: 100.0, y1: 100.0 });
}

/// A site's `--config` file, and the policy it makes applied to its own text: what its own
/// recognizers find there, less what it allows.
pub fn site_config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(policy) = TextPolicy::parse(&text) {
        let _ = policy.drop_allowed(&text, policy.matches(&text));
    }
}

/// A decisions file and the report it names, as `apply` reads and checks them before writing
/// anything: the bytes before the first NUL are the decisions, the rest the report.
pub fn review_files(data: &[u8]) {
    let (decisions, report) = data.split_at(data.iter().position(|&b| b == 0).unwrap_or(data.len()));
    if let Ok(decisions) = crate::review::read_decisions(decisions) {
        let _ = crate::review::check_report(report.get(1..).unwrap_or_default(), &decisions);
    }
}
