//! Writes the review page: the report as an inert JSON block, the page's own script and style
//! inline, and a Content-Security-Policy that allows exactly those two.

use super::resolve;
use crate::fsutil::write_atomically;
use crate::report::Report;
use anyhow::{Context, Result};
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Component, Path};

/// The element helper the front page of `serve` shares, then the page's own script.
const SCRIPT: &str = concat!(include_str!("dom.js"), include_str!("review.js"));
const STYLE: &str = include_str!("review.css");

/// What the page needs beyond the report: where the files it shows are, seen from its folder.
#[derive(Debug, Serialize)]
struct View {
    /// The JSON report's absolute path, which exported decisions name for `apply`.
    report_json: String,
    /// Whether the page links the original (unredacted) files: `--report-originals`.
    show_originals: bool,
    /// Whether the report carries the text read: `--report-raw-text`.
    show_raw_text: bool,
    /// Per file, in the report's order.
    files: Vec<FileLinks>,
    /// Where decisions are sent when a server shows the page (`serve`), to be applied at
    /// once; `None` for a page on disk, whose decisions are exported for `apply`.
    decisions_url: Option<String>,
}

/// Where a page that `serve` shows for one upload finds what it shows.
pub struct LiveLinks {
    /// The name the file was uploaded under.
    pub name: String,
    pub output: Option<String>,
    pub original: Option<String>,
    pub decisions: String,
}

#[derive(Debug, Serialize)]
struct FileLinks {
    /// The name to show for the file instead of its input path (`serve` shows the name it was
    /// uploaded under, not where the server keeps it).
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// Relative to the page, `/`-separated, not yet URL-encoded (the page encodes each part).
    output: Option<String>,
    original: Option<String>,
}

/// Writes the page for `report` (which lives at `json_path`) to `page_path`, atomically.
pub fn write_page(report: &Report, json_path: &Path, page_path: &Path) -> Result<()> {
    let view = view(report, json_path, page_path)?;
    let data = serde_json::json!({ "report": report, "view": view });
    let html = render(&inert_json(&data)?, &content_security_policy(false));
    write_atomically(page_path, html.as_bytes()).with_context(|| format!("cannot write review page {}", page_path.display()))
}

/// The page for a report of one file as `serve` shows it, and the Content-Security-Policy the
/// server must send with it: its decisions go to `links.decisions` and apply at once.
pub fn live_page(report: &Report, links: LiveLinks) -> Result<(String, String)> {
    let view = View {
        report_json: String::new(),
        show_originals: links.original.is_some(),
        show_raw_text: report.settings.report_raw_text,
        files: vec![FileLinks { name: Some(links.name), output: links.output, original: links.original }],
        decisions_url: Some(links.decisions),
    };
    let policy = content_security_policy(true);
    let html = render(&inert_json(&serde_json::json!({ "report": report, "view": view }))?, &policy);
    Ok((html, policy))
}

fn view(report: &Report, json_path: &Path, page_path: &Path) -> Result<View> {
    let page_dir = std::path::absolute(page_path)?.parent().map(Path::to_path_buf).unwrap_or_default();
    let link = |recorded: Option<&str>| -> Option<String> {
        let target = std::path::absolute(resolve(recorded?, Some(&report.working_directory))).ok()?;
        let relative = pathdiff::diff_paths(target, &page_dir)?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| match c {
                Component::ParentDir => "..".to_string(),
                other => other.as_os_str().to_string_lossy().into_owned(),
            })
            .collect();
        Some(parts.join("/"))
    };
    let show_originals = report.settings.report_originals;
    let files = report
        .files
        .iter()
        .map(|file| FileLinks {
            name: None,
            output: link(file.output.as_deref()),
            original: if show_originals { link(Some(&file.input)) } else { None },
        })
        .collect();
    Ok(View {
        report_json: std::path::absolute(json_path)?.display().to_string(),
        show_originals,
        show_raw_text: report.settings.report_raw_text,
        files,
        decisions_url: None,
    })
}

/// JSON that can sit inside a `<script>` block: `<`, `>` and `&` are written as `\u003c` and
/// so on, which JSON reads back the same, so no string in it can end the block early.
fn inert_json(data: &serde_json::Value) -> Result<String> {
    let json = serde_json::to_string(data)?;
    Ok(json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"))
}

fn render(data: &str, policy: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>phi-redact review</title>
<style>{STYLE}</style>
</head>
<body>
<noscript>This page draws the report with its own script, which your browser has switched off. The same report is in the JSON file beside it.</noscript>
<div id="app"></div>
<script type="application/json" id="phi-report">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#,
        csp = policy
    )
}

/// Nothing from the network, no script or style but this page's own (by hash), images and
/// videos only from the page's own place (the redacted copies beside it); when a server shows
/// it (`live`), requests to that server alone, for the decisions.
fn content_security_policy(live: bool) -> String {
    format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src 'self' file: data: blob:; media-src 'self' file: blob:; \
         base-uri 'none'; form-action 'none'{}",
        csp_hash(SCRIPT),
        csp_hash(STYLE),
        if live { "; connect-src 'self'" } else { "" }
    )
}

fn csp_hash(inline: &str) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(inline.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_the_data_can_close_its_script_block() {
        let hostile = serde_json::json!({ "text": "</script><script>alert(1)</script> & <!--" });
        let inert = inert_json(&hostile).unwrap();
        assert!(!inert.contains('<') && !inert.contains('>') && !inert.contains('&'), "{inert}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&inert).unwrap(), hostile, "reads back unchanged");
    }

    #[test]
    fn the_policy_allows_exactly_the_page_script_and_style_and_no_network() {
        let csp = content_security_policy(false);
        let html = render("{}", &csp);
        assert!(html.contains(&csp));
        assert!(csp.starts_with("default-src 'none';"));
        let script_hash = csp_hash(SCRIPT);
        assert!(csp.contains(&format!("script-src '{script_hash}';")), "{csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("http"), "{csp}");
        assert!(!csp.contains("connect-src"), "a page on disk talks to nothing: {csp}");
        assert!(content_security_policy(true).ends_with("; connect-src 'self'"));
        // The hash is of the script exactly as the page carries it.
        let start = html.rfind("<script>").unwrap() + "<script>".len();
        let end = html.rfind("</script>").unwrap();
        assert_eq!(csp_hash(&html[start..end]), script_hash);
    }
}
