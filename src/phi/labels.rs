//! Form field labels ("Name", "DOB", "Home Phone", "Zip", "Signature") and the identifier
//! their filled-in value is. Used within a line ("Name: Jane Roe") and across lines, where a
//! value sits beside or under its label (see `layout`).

use super::PhiCategory::{self, *};

/// Keywords in the order they are tried; the first found decides the category.
const FIELD_KEYWORDS: &[(&str, PhiCategory)] = &[
    ("signature", Name),
    ("signed", Name),
    ("name", Name),
    ("patient", Name),
    ("visitor", Name),
    ("guardian", Name),
    // The care team, on a door card, a sticky note or a label ("Doctor" over "Dr. Lee").
    ("doctor", Name),
    ("physician", Name),
    ("attending", Name),
    ("nurse", Name),
    ("provider", Name),
    ("prescriber", Name),
    ("dob", Date),
    ("d.o.b", Date),
    ("birth", Date),
    ("y/m/d", Date),
    ("mm/dd/yy", Date),
    ("mm/dd/yyyy", Date),
    ("dd/mm/yyyy", Date),
    ("admitted", Date),
    ("discharge", Date),
    // A ward whiteboard's discharge column ("D/C" over "5/19", "8/1"), as staff abbreviate it
    // (validation 2540 -> 2541, no box more on no label).
    ("d/c", Date),
    ("date", Date),
    ("fax", Fax),
    ("phone", Phone),
    ("telephone", Phone),
    ("tel", Phone),
    ("cell", Phone),
    ("mobile", Phone),
    ("e-mail", Email),
    ("email", Email),
    ("address", Geographic),
    ("addres", Geographic),
    ("street", Geographic),
    ("city", Geographic),
    ("zip", Geographic),
    ("postal", Geographic),
    ("location", Geographic),
    ("county", Geographic),
    ("ssn", Ssn),
    ("social security", Ssn),
    ("mrn", MedicalRecordNumber),
    ("medical record", MedicalRecordNumber),
    ("account", AccountNumber),
    ("acct", AccountNumber),
    ("member", HealthPlanNumber),
    ("policy", HealthPlanNumber),
    ("license", LicenseNumber),
    ("licence", LicenseNumber),
    ("serial", DeviceIdentifier),
    ("vin", VehicleIdentifier),
    ("plate", VehicleIdentifier),
];

/// The care team's credentials, as a whiteboard heads its columns ("ROOM | PATIENT | RN | MD"):
/// labels only standing alone, since after a name they are its credential ("Jane Roe, RN").
const HEADER_KEYWORDS: &[(&str, PhiCategory)] = &[("rn", Name), ("md", Name), ("np", Name), ("cna", Name)];

/// A letter's closing, standing alone on its line: what follows under it is the signer's
/// signature and typed name.
const VALEDICTIONS: &[&str] = &[
    "sincerely",
    "sincerely yours",
    "yours sincerely",
    "yours truly",
    "very truly yours",
    "yours faithfully",
    "regards",
    "best regards",
    "kind regards",
    "respectfully",
    "respectfully yours",
    "cordially",
];

/// A label found in a text: the identifier its value is, and the keyword that said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLabel {
    pub category: PhiCategory,
    pub keyword: &'static str,
}

impl FieldLabel {
    /// Handwriting is found in fragments, so a signature field is boxed whole.
    pub fn is_signature(&self) -> bool {
        matches!(self.keyword, "signature" | "signed") || self.is_closing()
    }

    /// Whether this is a letter's closing ("Sincerely,"): the signature stands between it and
    /// the typed name under it.
    pub fn is_closing(&self) -> bool {
        VALEDICTIONS.contains(&self.keyword)
    }

    /// Whether a line of this label alone may caption the signature over it ("(Signature)",
    /// "Patient signature"): a letter's closing stands over the signature, never under it.
    pub fn captions_signature(&self) -> bool {
        self.keyword == "signature"
    }

    /// Whether `value` could be what this field holds (a phone field holds digits).
    pub fn accepts(&self, value: &str) -> bool {
        // A signature is whatever ink is there, however little of it reads as letters.
        if self.is_signature() {
            return !is_money(value) && value.chars().any(char::is_alphanumeric);
        }
        // Postal codes hold digits the world over: words under "Zip" are more of the form.
        let postal_code = matches!(self.keyword, "zip" | "postal");
        let holds_digits = value.chars().any(|c| c.is_ascii_digit());
        plausible_value(self.category, value) && (holds_digits || !postal_code)
    }
}

/// Whether `value` could be an identifier of `category` (a phone number holds digits), by its
/// make-up alone: for a value placed by a label or a table column rather than read as one.
pub fn plausible_value(category: PhiCategory, value: &str) -> bool {
    if is_money(value) {
        return false; // a wage, a tax or a price under "Social Security" or "Date" is no identifier
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    match category {
        // A name is written in letters: a line of readings ("HR 72 SpO2 98%") under a
        // "Patient" column header is not one. (Once light print on dark screens was read,
        // a redacted monitor's vital signs were taken for the name under its header.)
        Name => letters >= 2 && letters > digits,
        Phone | Fax => digits >= 7,
        Date => digits >= 1,
        Email => value.contains('@'),
        Ssn | MedicalRecordNumber | AccountNumber | HealthPlanNumber | LicenseNumber | DeviceIdentifier | VehicleIdentifier => digits >= 4,
        _ => digits + letters >= 2,
    }
}

/// Whether a word of `text` begins as a month's name does ("March", "SEPT", "Oct.", and
/// "Septernber" as misread).
pub fn names_a_month(text: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    text.split(|c: char| !c.is_alphabetic()).any(|word| {
        let word = word.to_lowercase();
        MONTHS.iter().any(|month| word.starts_with(month))
    })
}

/// An amount of money: "$1,234.56", "1,234.56", "(12.50)", "-$80.00", and as a cheque prints
/// it, padded with asterisks ("$***1,234.56", its dollar sign often read as an S).
pub fn is_money(text: &str) -> bool {
    let text = text.trim().trim_start_matches(['-', '+', '(']).trim_end_matches(')').trim();
    let (text, dollar) = match text.strip_prefix('$') {
        Some(rest) => (without_cheque_padding(rest).unwrap_or(rest).trim_start(), true),
        None => match text.strip_prefix(['S', 's']).and_then(without_cheque_padding) {
            Some(rest) => (rest, true),
            None => (text, false),
        },
    };
    let Some((whole, cents)) = text.rsplit_once('.') else {
        return dollar && !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == ',');
    };
    let grouped = whole.split(',').enumerate().all(|(i, group)| {
        !group.is_empty() && group.len() <= 3 && group.chars().all(|c| c.is_ascii_digit()) && (i == 0 || group.len() == 3)
    });
    cents.len() == 2 && cents.chars().all(|c| c.is_ascii_digit()) && (grouped || (dollar && whole.chars().all(|c| c.is_ascii_digit())))
}

/// An amount after the asterisks a cheque pads it with ("***1,234.56"), if it has them.
fn without_cheque_padding(amount: &str) -> Option<&str> {
    amount.starts_with('*').then(|| amount.trim_start_matches('*'))
}

/// Kinds of visit on a schedule ("New patient" in a visit-reason column): the word names the
/// visit, not a field whose value follows, and what lies under it is the next visit's reason.
const VISIT_TYPES: &[&str] = &["new patient", "established patient", "returning patient", "existing patient"];

/// The first field keyword in `text`, as a whole word.
pub fn find_field_label(text: &str) -> Option<FieldLabel> {
    let lower = text.to_lowercase();
    let visit_type = VISIT_TYPES.iter().any(|visit| contains_word(&lower, visit));
    FIELD_KEYWORDS
        .iter()
        .filter(|(keyword, _)| !(visit_type && *keyword == "patient"))
        .find(|(keyword, _)| contains_word(&lower, keyword))
        .map(|&(keyword, category)| FieldLabel { category, keyword })
}

/// The label of a line that is a label and nothing else: a keyword, few words, nothing after
/// a colon; or a column header standing alone.
pub fn bare_label(text: &str) -> Option<FieldLabel> {
    let after_colon = text.split_once(':').map_or("", |(_, rest)| rest);
    if text.split_whitespace().count() > 8 || after_colon.chars().any(char::is_alphanumeric) || opens_with_house_number(text) {
        return None;
    }
    find_field_label(text).or_else(|| {
        let alone = text.trim().trim_end_matches([':', ',', '.']).trim().to_lowercase();
        let mut standing_alone = HEADER_KEYWORDS.iter().copied().chain(VALEDICTIONS.iter().map(|&keyword| (keyword, Name)));
        standing_alone.find(|&(keyword, _)| keyword == alone).map(|(keyword, category)| FieldLabel { category, keyword })
    })
}

/// Whether a line opens with a number of three digits or more before a word: an address
/// ("22068 W Harborview Street") or a quantity, where a form numbers its fields with one or
/// two digits ("4. Occupation").
fn opens_with_house_number(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let number = words.next().unwrap_or("");
    number.len() >= 3 && number.bytes().all(|b| b.is_ascii_digit()) && words.next().is_some_and(|w| w.chars().any(char::is_alphabetic))
}

/// Whether a line is a label and nothing else (see `bare_label`).
pub fn is_bare_label(text: &str) -> bool {
    bare_label(text).is_some()
}

/// The keywords as a regex alternation, longest first.
pub fn keyword_alternation() -> String {
    let mut keywords: Vec<&str> = FIELD_KEYWORDS.iter().map(|(k, _)| *k).collect();
    keywords.sort_by_key(|k| std::cmp::Reverse(k.len()));
    keywords.iter().map(|k| regex::escape(k)).collect::<Vec<_>>().join("|")
}

/// Whether `word` occurs in `haystack` with no letter or digit on either side.
pub(super) fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_identifier_their_value_is() {
        let category = |text: &str| find_field_label(text).map(|l| l.category);
        assert_eq!(category("Home Phone"), Some(Phone));
        assert_eq!(category("Day/Message/Cell Phone"), Some(Phone));
        assert_eq!(category("Zip"), Some(Geographic));
        assert_eq!(category("Date of Birth"), Some(Date));
        assert_eq!(category("Immunizer or Health Care Provider Signature:"), Some(Name));
        assert_eq!(category("Names of household members"), None, "a word containing a keyword is not it");
        assert_eq!(category("Relationship to You"), None);
        assert_eq!(category("New patient"), None, "a kind of visit");
        assert_eq!(category("New Patient Name:"), Some(Name));
    }

    #[test]
    fn bare_labels_and_plausible_values() {
        assert!(is_bare_label("Home Phone") && is_bare_label("Signature:"));
        assert!(!is_bare_label("Address: 456 Landlord Town"), "it has a value");
        assert!(!is_bare_label("Spouse"));
        assert_eq!(bare_label("RN").map(|label| label.category), Some(Name), "a whiteboard's nurse column");
        assert!(!is_bare_label("Jane Roe, RN"), "a name's credential");
        assert!(!is_bare_label("22068 W Harborview Street"), "an address ending in a label's word");
        assert!(is_bare_label("4. Street"), "a numbered field");
        let phone = find_field_label("Phone").unwrap();
        assert!(phone.accepts("414-2285") && !phone.accepts("( )"));
        assert!(find_field_label("City").unwrap().accepts("Sample Town"));
        let zip = find_field_label("Zip").unwrap();
        assert!(zip.accepts("94948") && zip.accepts("SW1A 1AA") && !zip.accepts("Plaintiff"), "a postal code holds digits");
        assert!(!find_field_label("Social Security").unwrap().accepts("$1,234.56"), "a tax column holds money");
        let patient = find_field_label("Patient").unwrap();
        assert!(patient.accepts("GARCIA, MARIA") && patient.accepts("1 AL-FARSI"));
        assert!(!patient.accepts("HR 72 SpO2 98% NIBP 120/80"), "readings are no name");
        assert!(find_field_label("Signature").unwrap().accepts("7"), "a signature is whatever ink is there");
    }

    #[test]
    fn a_letters_closing_alone_on_its_line_is_a_signature_label_over_the_signature() {
        for closing in ["Sincerely,", "Yours truly.", "Best Regards,"] {
            let label = bare_label(closing).unwrap_or_else(|| panic!("{closing}"));
            assert!(label.is_signature() && label.is_closing() && !label.captions_signature(), "{closing}");
        }
        assert!(bare_label("Sincerely, Jane Roe").is_none(), "signed on the same line");
        assert!(bare_label("(Signature)").unwrap().captions_signature());
        assert!(!bare_label("Signature").unwrap().is_closing());
    }

    #[test]
    fn money() {
        for amount in ["$1,234.56", "1,234.56", "(12.50)", "-$80.00", "$1500", "$ 1500.00", "234.56", "$***1,234.56", "S**1,234.56"] {
            assert!(is_money(amount), "{amount}");
        }
        for other in ["03.14.1962", "1234.5", "12,34.56", "123-45-6789", "7734219", "1.2.3", "***-**-9084", "S1234567"] {
            assert!(!is_money(other), "{other}");
        }
    }
}
