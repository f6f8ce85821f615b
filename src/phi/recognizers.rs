//! The recognizers: one pattern each, with validity rules and context words.

use super::{PhiCategory, PhiMatch};
use regex::{Captures, Regex};

/// Compiled recognizers; build once and reuse (compiling the patterns costs milliseconds).
pub struct Scanner {
    ssn: Regex,
    numeric_date: Regex,
    iso_date: Regex,
    written_date: Regex,
    phone: Regex,
    email: Regex,
    url: Regex,
    ipv4: Regex,
    zip: Regex,
    street: Regex,
    labelled_id: Regex,
    long_number: Regex,
    age: Regex,
    labelled_name: Regex,
    last_comma_first: Regex,
}

const MONTHS: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";

impl Default for Scanner {
    fn default() -> Self {
        let re = |pattern: &str| Regex::new(pattern).expect("valid recognizer pattern");
        Self {
            ssn: re(r"\b(\d{3})([- ]?)(\d{2})([- ]?)(\d{4})\b"),
            numeric_date: re(r"\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})\b"),
            iso_date: re(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
            written_date: re(&format!(
                r"(?i)\b(?:{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}})\b"
            )),
            phone: re(r"(?:\+?1[\s.-]?)?(?:\(([2-9]\d{2})\)\s?|\b([2-9]\d{2})[\s.-])(\d{3})[\s.-](\d{4})\b"),
            email: re(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b"),
            url: re(r"(?i)\b(?:https?://|www\.)[^\s]+"),
            ipv4: re(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b"),
            zip: re(r"\b\d{5}(?:-\d{4})?\b"),
            street: re(r"\b\d{1,6}\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Ter|Terrace|Pkwy|Parkway)\b\.?"),
            labelled_id: re(concat!(
                r"(?i)\b(mrn|medical\s+record(?:\s+(?:number|no\.?))?|med\s*rec|patient\s+id|pt\s+id|acct|account(?:\s+(?:number|no\.?))?",
                r"|member(?:\s+id)?|policy(?:\s+(?:number|no\.?))?|group(?:\s+(?:number|no\.?))?|rx|license|lic|cert(?:ificate)?|dea|npi",
                r"|serial(?:\s+(?:number|no\.?))?|s/n|device(?:\s+id)?|vin|plate|id)",
                r"\s*(?:#|no\.?|number)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,})"
            )),
            long_number: re(r"\b\d{7,}\b"),
            age: re(r"(?i)\b(?:age[:\s]+(9\d|1[0-2]\d)\b|(9\d|1[0-2]\d)\s*(?:y/?o|yrs?\b|years?(?:\s+old)?\b))"),
            labelled_name: re(concat!(
                r"\b(?i:patient|pt|name|visitor|visiting|resident|dr|doctor|nurse|attending|physician|provider)",
                r"\s*[:.]\s*([A-Z][A-Za-z'-]+(?:,?\s+[A-Z][A-Za-z'.-]*){0,3})"
            )),
            last_comma_first: re(r"\b([A-Z][A-Z'-]+),\s*([A-Z][A-Z'-]+)(?:\s+[A-Z]\.?)?\b"),
        }
    }
}

impl Scanner {
    /// Every identifier in `text`, possibly overlapping (callers take the strongest).
    pub fn scan(&self, text: &str) -> Vec<PhiMatch> {
        let mut found = Vec::new();
        let mut add = |category, caps: &Captures, group: usize, strength: f32, reason: String| {
            let m = caps.get(group).expect("group exists");
            found.push(PhiMatch { category, range: m.range(), strength, reason });
        };

        for c in self.ssn.captures_iter(text) {
            let (area, group, serial) = (num(&c, 1), num(&c, 3), num(&c, 5));
            let valid = area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
            let dashed = !c[2].is_empty() && c[2] == c[4];
            let labelled = context_before(text, c.get(0).unwrap().start(), &["ssn", "social security", "ss#", "soc sec"]);
            match (valid, dashed, labelled) {
                (true, _, Some(word)) => add(PhiCategory::Ssn, &c, 0, 0.95, format!("'{word}' context + valid SSN")),
                (true, true, None) => add(PhiCategory::Ssn, &c, 0, 0.9, "SSN layout ddd-dd-dddd with valid area/group/serial".into()),
                _ => {}
            }
        }

        let date_words = ["dob", "d.o.b", "birth", "born", "adm", "admit", "dos", "date", "discharge", "dod", "visit"];
        let date_strength = |start: usize, layout: &str| match context_before(text, start, &date_words) {
            Some(word) => (0.95, format!("'{word}' context + {layout}")),
            None => (0.8, format!("{layout} (a date other than a bare year)")),
        };
        for c in self.numeric_date.captures_iter(text) {
            let (a, b) = (num(&c, 1), num(&c, 3));
            let calendar = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
            if c[2] == c[4] && (calendar(a, b) || calendar(b, a)) {
                let (strength, reason) = date_strength(c.get(0).unwrap().start(), "numeric date");
                add(PhiCategory::Date, &c, 0, strength, reason);
            }
        }
        for c in self.iso_date.captures_iter(text) {
            if (1..=12).contains(&num(&c, 2)) && (1..=31).contains(&num(&c, 3)) {
                let (strength, reason) = date_strength(c.get(0).unwrap().start(), "ISO date");
                add(PhiCategory::Date, &c, 0, strength, reason);
            }
        }
        for c in self.written_date.captures_iter(text) {
            let (strength, reason) = date_strength(c.get(0).unwrap().start(), "written date");
            add(PhiCategory::Date, &c, 0, strength, reason);
        }

        for c in self.phone.captures_iter(text) {
            let start = c.get(0).unwrap().start();
            match context_before(text, start, &["fax"]) {
                Some(_) => add(PhiCategory::Fax, &c, 0, 0.95, "'fax' context + 10-digit number".into()),
                None => match context_before(text, start, &["tel", "phone", "ph", "cell", "mobile", "call", "contact"]) {
                    Some(word) => add(PhiCategory::Phone, &c, 0, 0.95, format!("'{word}' context + 10-digit number")),
                    None => add(PhiCategory::Phone, &c, 0, 0.85, "North American phone number layout".into()),
                },
            }
        }
        for c in self.email.captures_iter(text) {
            add(PhiCategory::Email, &c, 0, 0.95, "e-mail address".into());
        }
        for c in self.url.captures_iter(text) {
            add(PhiCategory::Url, &c, 0, 0.7, "web address".into());
        }
        for c in self.ipv4.captures_iter(text) {
            if (1..=4).all(|i| num(&c, i) <= 255) {
                add(PhiCategory::IpAddress, &c, 0, 0.8, "IPv4 address (four octets 0-255)".into());
            }
        }
        for c in self.zip.captures_iter(text) {
            let start = c.get(0).unwrap().start();
            let after_state = text[..start].trim_end().rsplit(|ch: char| !ch.is_ascii_alphabetic()).next().is_some_and(is_state_code);
            if after_state {
                add(PhiCategory::Geographic, &c, 0, 0.85, "ZIP code after a state abbreviation".into());
            } else if let Some(word) = context_before(text, start, &["zip", "postal"]) {
                add(PhiCategory::Geographic, &c, 0, 0.85, format!("'{word}' context + ZIP code"));
            }
        }
        for c in self.street.captures_iter(text) {
            add(PhiCategory::Geographic, &c, 0, 0.85, "street address".into());
        }

        for c in self.labelled_id.captures_iter(text) {
            let value = &c[2];
            if value.chars().filter(char::is_ascii_digit).count() < 3 {
                continue;
            }
            let label = c[1].to_lowercase();
            let category = id_category(&label);
            add(category, &c, 2, 0.9, format!("'{}' context + {}-character identifier", &c[1], value.len()));
        }
        for c in self.long_number.captures_iter(text) {
            add(PhiCategory::OtherIdentifier, &c, 0, 0.5, format!("{}-digit number (possible unique identifier)", c[0].len()));
        }
        for c in self.age.captures_iter(text) {
            add(PhiCategory::Age, &c, 0, 0.8, "age over 89".into());
        }

        for c in self.labelled_name.captures_iter(text) {
            let label = c.get(0).unwrap().as_str().split([':', '.']).next().unwrap_or("").trim().to_string();
            add(PhiCategory::Name, &c, 1, 0.85, format!("'{label}:' context + capitalised words"));
        }
        for c in self.last_comma_first.captures_iter(text) {
            add(PhiCategory::Name, &c, 0, 0.7, "'LAST, FIRST' name layout".into());
        }
        found
    }
}

fn num(c: &Captures, group: usize) -> u32 {
    c.get(group).and_then(|m| m.as_str().parse().ok()).unwrap_or(0)
}

/// The first of `words` found (case-insensitively, as a word) in the 24 bytes before `start`.
fn context_before<'w>(text: &str, start: usize, words: &[&'w str]) -> Option<&'w str> {
    let mut from = start.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let window = text[from..start].to_lowercase();
    words.iter().copied().find(|word| {
        window.match_indices(word).any(|(i, _)| {
            let before = window[..i].chars().next_back();
            let after = window[i + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

fn id_category(label: &str) -> PhiCategory {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| label.starts_with(p));
    if starts(&["mrn", "medical", "med", "patient", "pt"]) {
        PhiCategory::MedicalRecordNumber
    } else if starts(&["acct", "account"]) {
        PhiCategory::AccountNumber
    } else if starts(&["member", "policy", "group"]) {
        PhiCategory::HealthPlanNumber
    } else if starts(&["license", "lic", "cert", "dea", "npi"]) {
        PhiCategory::LicenseNumber
    } else if starts(&["serial", "s/n", "device"]) {
        PhiCategory::DeviceIdentifier
    } else if starts(&["vin", "plate"]) {
        PhiCategory::VehicleIdentifier
    } else {
        PhiCategory::OtherIdentifier
    }
}

fn is_state_code(word: &str) -> bool {
    const STATES: &str = "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR";
    word.len() == 2 && STATES.split(' ').any(|s| s == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<PhiMatch> {
        Scanner::default().scan(text)
    }

    fn categories(text: &str) -> Vec<PhiCategory> {
        let mut c: Vec<_> = scan(text).into_iter().map(|m| m.category).collect();
        c.sort();
        c.dedup();
        c
    }

    fn found(text: &str, category: PhiCategory) -> Vec<String> {
        scan(text).into_iter().filter(|m| m.category == category).map(|m| text[m.range].to_string()).collect()
    }

    #[test]
    fn ssns_follow_the_issuing_rules() {
        assert_eq!(found("SSN: 123-45-6789", PhiCategory::Ssn), ["123-45-6789"]);
        assert_eq!(found("ssn 123456789", PhiCategory::Ssn), ["123456789"], "bare digits need the label");
        assert!(found("123456789", PhiCategory::Ssn).is_empty());
        for invalid in ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000", "123-45 6789"] {
            assert!(found(invalid, PhiCategory::Ssn).is_empty(), "{invalid}");
        }
    }

    #[test]
    fn dates_other_than_a_bare_year_are_found_and_context_raises_them() {
        assert_eq!(found("DOB 03/14/1962", PhiCategory::Date), ["03/14/1962"]);
        assert_eq!(found("seen 2024-11-05", PhiCategory::Date), ["2024-11-05"]);
        assert_eq!(found("Admitted March 14, 1962.", PhiCategory::Date), ["March 14, 1962"]);
        assert_eq!(found("on 4 Jul 2021", PhiCategory::Date), ["4 Jul 2021"]);
        let dob = scan("DOB: 03/14/1962").into_iter().find(|m| m.category == PhiCategory::Date).unwrap();
        let bare = scan("03/14/1962").into_iter().find(|m| m.category == PhiCategory::Date).unwrap();
        assert!(dob.strength > bare.strength && dob.reason.contains("dob"), "{dob:?}");
        for not_a_date in ["Class of 2019", "13/45/2020", "version 1.2.3", "03/14-1962"] {
            assert!(found(not_a_date, PhiCategory::Date).is_empty(), "{not_a_date}");
        }
    }

    #[test]
    fn phone_and_fax_numbers() {
        assert_eq!(found("Call (617) 555-0134 today", PhiCategory::Phone), ["(617) 555-0134"]);
        assert_eq!(found("tel 617.555.0134", PhiCategory::Phone), ["617.555.0134"]);
        assert_eq!(found("+1 617-555-0134", PhiCategory::Phone), ["+1 617-555-0134"]);
        assert_eq!(found("Fax: 617-555-0199", PhiCategory::Fax), ["617-555-0199"]);
        assert!(found("Call 911", PhiCategory::Phone).is_empty());
        assert!(found("123-456-7890", PhiCategory::Phone).is_empty(), "area codes never start with 1");
        assert!(found("6175550134", PhiCategory::Phone).is_empty(), "ten bare digits are an id, not a phone");
    }

    #[test]
    fn emails_urls_and_ip_addresses() {
        assert_eq!(found("write to jane.roe@example.org.", PhiCategory::Email), ["jane.roe@example.org"]);
        assert_eq!(found("see https://portal.example.org/p/123", PhiCategory::Url), ["https://portal.example.org/p/123"]);
        assert_eq!(found("host 10.20.30.40 down", PhiCategory::IpAddress), ["10.20.30.40"]);
        assert!(found("999.1.1.1", PhiCategory::IpAddress).is_empty());
    }

    #[test]
    fn geography_below_state_level() {
        assert_eq!(found("Boston, MA 02115", PhiCategory::Geographic), ["02115"]);
        assert_eq!(found("ZIP: 02115-1234", PhiCategory::Geographic), ["02115-1234"]);
        assert_eq!(found("lives at 221 Baker Street", PhiCategory::Geographic), ["221 Baker Street"]);
        assert!(found("Room 12345", PhiCategory::Geographic).is_empty(), "a bare 5-digit number is not a ZIP");
    }

    #[test]
    fn labelled_record_numbers_get_the_labels_category() {
        assert_eq!(found("MRN: 00482913", PhiCategory::MedicalRecordNumber), ["00482913"]);
        assert_eq!(found("Acct # 7734-2219", PhiCategory::AccountNumber), ["7734-2219"]);
        assert_eq!(found("Member ID XQZ8812345", PhiCategory::HealthPlanNumber), ["XQZ8812345"]);
        assert_eq!(found("S/N: A1B2C3D4", PhiCategory::DeviceIdentifier), ["A1B2C3D4"]);
        assert_eq!(found("License No. D1234567", PhiCategory::LicenseNumber), ["D1234567"]);
        let reason = &scan("MRN: 00482913").into_iter().find(|m| m.category == PhiCategory::MedicalRecordNumber).unwrap().reason;
        assert_eq!(reason, "'MRN' context + 8-character identifier");
        assert!(found("ID: CARDIO", PhiCategory::OtherIdentifier).is_empty(), "needs digits");
    }

    #[test]
    fn names_need_a_label_or_the_wristband_layout() {
        assert_eq!(found("Patient: John Smith", PhiCategory::Name), ["John Smith"]);
        assert_eq!(found("SMITH, JOHN", PhiCategory::Name), ["SMITH, JOHN"]);
        assert_eq!(found("Visitor: Mary-Ann O'Neil", PhiCategory::Name), ["Mary-Ann O'Neil"]);
    }

    #[test]
    fn ages_over_89_only() {
        assert_eq!(found("92 y/o female", PhiCategory::Age), ["92 y/o"]);
        assert_eq!(found("Age: 101", PhiCategory::Age), ["Age: 101"]);
        assert!(found("45 y/o male", PhiCategory::Age).is_empty());
    }

    #[test]
    fn ordinary_hospital_text_is_not_phi() {
        for text in ["Happy Halloween from the NICU!", "Cardiology", "Wash your hands", "Open 24 hours", "Room 12", "Class of 2019", "Visiting hours 9-5"] {
            assert!(categories(text).is_empty(), "{text}: {:?}", scan(text));
        }
    }
}
