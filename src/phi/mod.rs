//! PHI scoring: which parts of a piece of read text are HIPAA Safe Harbor identifiers, how
//! strongly, and why, in words a reviewer can check.
//!
//! Each recognizer is a pattern plus the rules that tell a real identifier from a look-alike
//! (SSN area numbers, calendar dates, IPv4 octets) and context words that raise or decide its
//! strength ("DOB", "MRN:", "Fax"). Strength is in [0, 1]; callers combine it with detector and
//! OCR confidence.

mod assess;
mod columns;
mod labels;
mod layout;
mod misread;
mod names;
mod person;
mod policy;
mod recognizers;
mod recurring;
mod registration;
mod words;

pub use assess::{Assessment, TextLine};
pub use names::NameLists;
pub use policy::TextPolicy;
pub use recognizers::{is_state_and_zip, Scanner};
pub use registration::Registration;

/// Text whose PHI risk reaches this is boxed out (`--min-risk`'s default).
pub const DEFAULT_MIN_TEXT_RISK: f32 = 0.5;
use serde::{Deserialize, Serialize};

/// The Safe Harbor identifiers that can appear as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhiCategory {
    Name,
    Geographic,
    Date,
    Phone,
    Fax,
    Email,
    Ssn,
    MedicalRecordNumber,
    HealthPlanNumber,
    AccountNumber,
    LicenseNumber,
    VehicleIdentifier,
    DeviceIdentifier,
    Url,
    IpAddress,
    Age,
    OtherIdentifier,
}

impl PhiCategory {
    /// Whether this is a number or code given to one person, vehicle or device (not a name,
    /// place, date or contact): the same code elsewhere on a page is the same identifier.
    pub fn is_identifier(self) -> bool {
        use PhiCategory::*;
        matches!(
            self,
            Ssn | MedicalRecordNumber
                | HealthPlanNumber
                | AccountNumber
                | LicenseNumber
                | VehicleIdentifier
                | DeviceIdentifier
                | OtherIdentifier
        )
    }

    /// The identifier in words, for a reviewer ("a date", "a medical record number").
    pub fn described(self) -> &'static str {
        use PhiCategory::*;
        match self {
            Name => "a person's name",
            Geographic => "a place",
            Date => "a date",
            Phone => "a phone number",
            Fax => "a fax number",
            Email => "an e-mail address",
            Ssn => "a social security number",
            MedicalRecordNumber => "a medical record number",
            HealthPlanNumber => "a health plan number",
            AccountNumber => "an account number",
            LicenseNumber => "a licence number",
            VehicleIdentifier => "a vehicle identifier",
            DeviceIdentifier => "a device identifier",
            Url => "a web address",
            IpAddress => "an IP address",
            Age => "an age over 89",
            OtherIdentifier => "an identifier",
        }
    }
}

/// One identifier found in a text: its byte range, category, strength and reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhiMatch {
    pub category: PhiCategory,
    #[serde(skip)]
    pub range: std::ops::Range<usize>,
    pub strength: f32,
    pub reason: String,
}

/// The text with every digit and every letter starred but the first of each word of three
/// letters or more, so a report shows the shape of what was found ("J*** D**", "**/**/****")
/// without the PHI. Shorter words are starred whole: their first letter is half of them, and
/// a lone initial or a sex marker ("[M]") would show as it is.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let letters = word.chars().count();
        for (i, c) in word.chars().enumerate() {
            out.push(if i == 0 && letters >= 3 { c } else { '*' });
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(if c.is_numeric() { '*' } else { c });
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_shape_and_initials_only() {
        assert_eq!(mask("John Doe"), "J*** D**");
        assert_eq!(mask("DOB 03/14/1962"), "D** **/**/****");
        assert_eq!(mask("jane.roe@example.org"), "j***.r**@e******.o**");
        assert_eq!(mask("MRN ０１２３"), "M** ****", "digits of every script are starred");
        assert_eq!(mask("SMITH, JOHN A [M] Jo"), "S****, J*** * [*] **", "short words are starred whole");
    }
}
