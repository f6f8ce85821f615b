//! The words and codes the recognizers look for around a match, which say whose it is (a
//! person's, an organisation's, a product's) and what it is (a birth date, a phone number).

use crate::phi::labels::contains_word;
use crate::phi::{PhiCategory, PhiMatch};

/// A phone number, web or street address on the same line as one of these words is an
/// organisation's ("Northgate Family Clinic · (555) 555-0100"): below the default `--min-risk`.
const ORGANISATION_WORDS: &str = "hospital|clinic|center|centre|pharmacy|inc|llc|ltd|corp|corporation|company|department|dept|\
    university|institute|laboratory|laboratories|foundation|association|insurance|health|healthcare|pediatrics|pharmaceuticals|medical group|made in|\
    manufactured|visiting hours";
/// The word of `text` that names an organisation, if any.
pub(in crate::phi) fn organisation_named(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    ORGANISATION_WORDS.split('|').find(|word| contains_word(&lower, word))
}

/// Weakens the phone and fax numbers, web and street addresses among `matches` to an
/// organisation's own contact details, found on `organisation` (where that is said).
pub(in crate::phi) fn as_organisations_contacts(matches: &mut [PhiMatch], organisation: &str) {
    let contacts =
        |m: &&mut PhiMatch| matches!(m.category, PhiCategory::Phone | PhiCategory::Fax | PhiCategory::Url | PhiCategory::Geographic);
    for m in matches.iter_mut().filter(contacts) {
        m.strength = m.strength.min(ORGANISATION_CONTACT_STRENGTH);
        m.reason = format!("{} on {organisation}: its own contact details", m.reason);
    }
}

/// Toll-free numbers belong to organisations, never to a patient.
pub(super) const TOLL_FREE_AREA_CODES: [&str; 7] = ["800", "833", "844", "855", "866", "877", "888"];
/// Words before an organisation's own number.
pub(super) const SWITCHBOARD_WORDS: [&str; 5] = ["main", "main line", "switchboard", "operator", "toll free"];
pub(super) const ORGANISATION_CONTACT_STRENGTH: f32 = 0.45;

/// Labels of numbers that belong to a product, a place, a group or a bank, not a person.
pub(super) const NOT_PERSONAL_NUMBER_WORDS: [&str; 23] = [
    "lot", "ndc", "exp", "batch", "ref", "model", "part", "cat", "sku", "upc", "gtin", "po", "room", "rm", "bed", "page", "group", "grp",
    "bin", "pcn", "routing", "aba", "rtn",
];
/// Labels of a bank's routing number, printed beside the account's on a cheque or pay stub.
pub(super) const ROUTING_WORDS: [&str; 3] = ["routing", "aba", "rtn"];

/// Whether `text` is one of the labels of a number that is not a person's, standing alone as
/// a form prints it beside its value ("Lot", "NDC:", "Routing #").
pub(in crate::phi) fn is_not_personal_number_label(text: &str) -> bool {
    let label = text.trim().trim_end_matches([':', '#', '.', ' ']).to_lowercase();
    NOT_PERSONAL_NUMBER_WORDS.contains(&label.as_str())
}

/// Words before a date that tie it to a person: a birth, an admission, a visit.
pub(super) const DATE_WORDS: [&str; 11] = ["dob", "d.o.b", "birth", "born", "adm", "admit", "dos", "date", "discharge", "dod", "visit"];
/// Weekdays and the words of a schedule, before a month and day jotted in figures.
pub(super) const JOTTED_DATE_WORDS: [&str; 33] = [
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "appt",
    "appointment",
    "f/u",
    "follow up",
    "follow-up",
    "seen",
    "due",
    "d/c",
    "dc",
    "surgery",
    "on",
    "since",
    "until",
    "scheduled",
    "admitted",
    "edd",
];

/// Words before a figure like "5/10" that make it a measure, not a month and day.
pub(super) const NOT_A_DATE_WORDS: [&str; 8] = ["pain", "tab", "tabs", "dose", "score", "bp", "ratio", "scale"];

/// Words that make a number before them a phone number.
pub(super) const PHONE_WORDS: [&str; 9] = ["tel", "telephone", "phone", "ph", "cell", "mobile", "call", "contact", "fax"];

pub(super) fn id_category(label: &str) -> PhiCategory {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| label.starts_with(p));
    if starts(&["mrn", "medical", "med", "patient", "pt"]) {
        PhiCategory::MedicalRecordNumber
    } else if starts(&["acct", "account"]) {
        PhiCategory::AccountNumber
    } else if starts(&["member", "policy", "group"]) {
        PhiCategory::HealthPlanNumber
    } else if starts(&["license", "lic", "dl", "cert", "dea", "npi"]) {
        PhiCategory::LicenseNumber
    } else if starts(&["serial", "s/n", "device"]) {
        PhiCategory::DeviceIdentifier
    } else if starts(&["vin", "plate"]) {
        PhiCategory::VehicleIdentifier
    } else {
        PhiCategory::OtherIdentifier
    }
}

/// Whether `text` is a US state's code and a ZIP code, as an address line ends (`TX 79905`).
pub fn is_state_and_zip(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    matches!(words[..], [state, zip] if is_state_code(state) && zip.len() == 5 && zip.chars().all(|c| c.is_ascii_digit()))
}

pub(super) fn is_state_code(word: &str) -> bool {
    const STATES: &str = "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR";
    word.len() == 2 && STATES.split(' ').any(|s| s == word)
}
