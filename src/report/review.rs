//! What `apply` records in a report of reviewers' decisions: on a finding, on a file, and in
//! the report's audit trail.

use serde::{Deserialize, Serialize};

/// A reviewer's decision on one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingReview {
    pub decision: ReviewDecision,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Judged not PHI: its redaction is undone.
    NotPhi,
    /// A box the reviewer drew.
    Added,
}

/// A reviewer's note on a file and its approval for publication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileReview {
    /// May name the patient: kept only in a report outside the output folder, never in the
    /// resume records beside the copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<String>,
}

/// One line of the audit trail: who decided what on which file, when it was decided (on the
/// page) and when applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub by: String,
    pub at: String,
    pub applied_at: String,
    pub file: String,
    pub action: String,
}
