//! The recognizers: one pattern each, with validity rules and context words (the words, in
//! `vocabulary`).

mod vocabulary;

use super::labels::{contains_word, find_field_label, is_money, keyword_alternation};
use super::misread::{correct_misread_digits, correct_misread_letters};
use super::names::NameLists;
use super::person::PersonNames;
use super::policy::TextPolicy;
use super::{PhiCategory, PhiMatch};
use regex::{Captures, Regex};
use std::ops::Range;
pub use vocabulary::is_state_and_zip;
use vocabulary::*;
pub(super) use vocabulary::{as_organisations_contacts, is_not_personal_number_label, organisation_named};

/// Compiled recognizers; build once and reuse (compiling the patterns costs milliseconds).
pub struct Scanner {
    pub(super) names: NameLists,
    pub(super) policy: TextPolicy,
    person_names: PersonNames,
    titled_name: Regex,
    form_field: Regex,
    labelled_date_like: Regex,
    local_phone: Regex,
    extension: Regex,
    residence: Regex,
    vin: Regex,
    ssn: Regex,
    numeric_date: Regex,
    iso_date: Regex,
    written_date: Regex,
    month_day: Regex,
    day_month: Regex,
    jotted_date: Regex,
    date_run_together: Regex,
    date_year_joined: Regex,
    date_before_field: Regex,
    phone: Regex,
    email: Regex,
    email_misread: Regex,
    url: Regex,
    ipv4: Regex,
    zip: Regex,
    state_at_end: Regex,
    city_state: Regex,
    city_before_zip: Regex,
    street: Regex,
    po_box: Regex,
    european_town: Regex,
    labelled_id: Regex,
    long_number: Regex,
    grouped_number: Regex,
    mixed_identifier: Regex,
    age: Regex,
    labelled_name: Regex,
    introduced_name: Regex,
    last_comma_first: Regex,
}

/// A capitalised word of a name, in any script ("García", "O'Neil", "NGUYỄN").
const NAME_WORD: &str = r"\p{Lu}[\p{L}\p{M}'’-]*\p{L}";
/// A capitalised word of a name as a reader may return it, a letter read as a digit ("R6isín",
/// "Sm1th"): still a capital first and a letter last.
const NAME_WORD_AS_READ: &str = r"\p{Lu}[\p{L}\p{M}\d'’-]*\p{L}";
/// An upper-case word of a name ("O'SULLIVAN", "SIOBHÁN").
const CAPS_WORD: &str = r"\p{Lu}[\p{Lu}\p{M}'’-]*\p{Lu}";
/// A capitalised word of a place name, in any script ("Coeur", "Ypsilanti", "BISCAYNE").
const PLACE_WORD: &str = r"\p{Lu}[\p{L}\p{M}'’-]+";
/// A lower-case particle inside a place name ("Coeur d'Alene", "Stratford upon Avon"), with
/// what joins it to the next word (the apostrophe OCR often drops).
const PLACE_PARTICLE: &str = r"(?:d|de|du|da|del|la|le|of|on|upon|sur)(?:['’]|\s+)?";
/// Full state names, as they end a city line ("Miami, Florida").
const STATE_NAMES: &str = "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming";
/// The last word of a street address.
const STREET_TYPES: &str = "st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|ter|terrace|pkwy|parkway|hwy|highway|cir|circle|sq|square|plaza|trail|trl|loop|row|pike|aly|alley|crescent|cres|close|building|bldg";
/// A month's name or abbreviation, also with a letter read as the digit it looks like, as OCR
/// reads worn or blurred print ("0CT", "5ep", "N0V").
const MONTHS: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|0ct|5ep|n0v)[a-z]*\.?";
/// A month's name or abbreviation as a whole word, for a day before it: "2 marked" or "3
/// decades" are no dates, nor is "2 may" (the verb) in lower case.
const MONTH_WORD: &str = r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May|MAY)\b\.?";

impl Default for Scanner {
    /// Every recognizer but the census name lists.
    fn default() -> Self {
        Self::new(NameLists::default(), TextPolicy::default())
    }
}

impl Scanner {
    pub fn new(names: NameLists, policy: TextPolicy) -> Self {
        let re = |pattern: &str| Regex::new(pattern).expect("valid recognizer pattern");
        // One to three words of a place's name.
        let place_name = format!(r"{PLACE_WORD}(?:\s+(?:{PLACE_PARTICLE})?{PLACE_WORD}){{0,2}}");
        Self {
            names,
            policy,
            person_names: PersonNames::default(),
            // The surname may follow a first name's initials ("Dr. H. Park").
            titled_name: re(&format!(
                r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|MR|MRS|MS|DR)\.?\s+((?:\p{{Lu}}\.\s?){{0,2}}{NAME_WORD}(?:\s+{NAME_WORD})?)"
            )),
            form_field: re(&format!(r"(?i)\b(?:{})\b[^:\n]{{0,30}}:\s*(\S.*)", keyword_alternation())),
            labelled_date_like: re(r"(?i)\b(?:date|dob|d\.o\.b)\b\s*[:.]?\s*(\S*\d\S*\d\S*)"),
            local_phone: re(r"\b\d{3}[-.]\d{4}\b"),
            // A person's extension, alone after a phone word at the line's end ("Telephone #
            // 6926"), as an office's own people are reached. Not any number after "ext.": a
            // ward's or a department's extension ("RN phone: ext 4512", "Catering: ext. 4410") is
            // no one's own (any number after "ext." put 10 more boxes matching no label on
            // validation, for one more string found on tune).
            extension: re(r"(?i)\b(?:tel|telephone|phone|ph)\b\.?\s*(?:no\.?|#|\*|:)?\s*(\d{3,5})\s*$"),
            vin: re(r"\b[A-HJ-NPR-Z0-9]{17}\b"),
            residence: re(
                r"\b(?i:lives|living|resides|residing|born|moved)\s+(?i:in|at|to)\s+([A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+){0,2})",
            ),
            ssn: re(r"\b(\d{3})([- ]?)(\d{2})([- ]?)(\d{4})\b"),
            // Any character but a digit before (group 1 is the date): OCR glues a date to the
            // label before it ("EXP06/27/2031").
            numeric_date: re(r"(?:^|[^0-9])((\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2}))\b"),
            iso_date: re(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
            written_date: re(&format!(
                r"(?i)\b(?:{MONTHS}[\s.,]*\d{{1,2}}(?:st|nd|rd|th)?[,.]?\s*(?:\d{{4}}|'?\d{{2}})|\d{{1,2}}(?:st|nd|rd|th)?[\s.-]*{MONTHS}[,.-]?\s*(?:\d{{4}}|'?\d{{2}}))\b"
            )),
            month_day: re(&format!(r"(?i)\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b")),
            day_month: re(&format!(r"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_WORD}")),
            // A month and day in figures ("3/14", "11-19"), not part of a longer run of them.
            jotted_date: re(r"(?:^|[^\d/.-])((\d{1,2})[/-](\d{1,2}))(?:$|[^\d/-])"),
            // A date whose reader lost a separator: month and day run together ("0825/2022",
            // "324/2024"), or day and year ("6/12025"); or with an ID card's next field number
            // glued after its year ("02/21/20194bEXP"). The year is of the last two centuries.
            date_run_together: re(r"(?:^|[^\d/.-])((\d{1,2}?)(\d{2})/(?:19|20)\d{2})(?:$|[^\d/])"),
            date_year_joined: re(r"(?:^|[^\d/.-])((\d{1,2})/(\d{1,2})(?:19|20)\d{2})(?:$|[^\d/])"),
            date_before_field: re(r"(?:^|[^0-9])((\d{1,2})[/.-](\d{1,2})[/.-](?:19|20)\d{2})\d[A-Za-z]"),
            // The exchange may be read two digits long: greedy CTC decoding merges a repeated
            // digit with no blank between ("555" read "55"); see `contacts`. An area code in
            // brackets, or after the country's 1, is one even when its first digit was misread
            // as no area code can start ("(O13)", "1-006-").
            phone: re(
                r"(?:\+?1[\s.-]?)?(?:\((\d{3})\)\s?|\b(?:1[\s.-]?)?([2-9]\d{2})[\s.-]|\b1[\s.-]([01]\d{2})[\s.-])(\d{2,3})[\s.-](\d{4})\b",
            ),
            email: re(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b"),
            // An address whose dots the reader lost ("caoimhemcgi@mailexomplecom"): a letter
            // before an `@` and at least three characters after it, one a letter, no space.
            email_misread: re(r"(?i)\b[a-z0-9._%+-]*[a-z][a-z0-9._%+-]*@[a-z0-9.-]*[a-z][a-z0-9.-]{2,}"),
            // With its scheme or "www." (as read: "https//", "www,", "WWWEXAMPLECOM" with its
            // dots lost), or a bare domain with a path, which points at one person's page
            // ("portal.example.org/u/jroe").
            url: re(
                r"(?i)\b(?:h?ttps?:?//?|www[.,]?)[^\s]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|health|io|us|info|co)/[^\s]*[a-z0-9]",
            ),
            ipv4: re(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b"),
            zip: re(r"\b\d{5}(?:-\d{4})?\b"),
            state_at_end: re(&format!(r"(?:\b([A-Z])\.?\s?([A-Z])\b\.?|\b(?:{STATE_NAMES})),?\s*$")),
            city_state: re(&format!(r"\b({place_name})[,.]\s*({STATE_NAMES}|[A-Z]\.?\s?[A-Z]\b\.?)")),
            // The state's second letter may be read in lower case ("Brownsville, Tx 78520").
            city_before_zip: re(&format!(r"\b({place_name})(,?)\s+([A-Z][A-Za-z])\s+(\d{{5}}(?:-\d{{4}})?)\b")),
            // The direction may be read in lower case ("605 w Chestnut Court").
            street: re(&format!(
                r"\b\d{{1,6}}[A-Z]?\s+(?:(?:(?i:[NSEW])\.?|\d{{1,3}}(?i:st|nd|rd|th)|{PLACE_WORD}\.?)\s+){{1,3}}(?i:{STREET_TYPES})\b\.?(?:\s+(?:[NS][EW]|[NSEW])\b)?(?:,?\s+(?i:apt|suite|ste|unit|fl|floor|room|rm|#)\.?\s*#?\s*[A-Z0-9-]+)?"
            )),
            // A box at a post office or on a rural route ("RR 2 Box 96"), where the route's number
            // stands for the street; after an ID card's field number OCR reads no space ("8RR").
            po_box: re(r"(?i)(?:\b|\d)(?:p\.?\s?o\.?|(?:rr|r\.r\.|rural\s+route|hc)\s*\d{1,3},?)\s+box\s+\d+"),
            // A European letter's town after its postcode and country letters ("CH-2003
            // Neuchâtel", "D-80331 München").
            european_town: re(&format!(r"\b(?:A|B|CH|D|DK|E|F|FL|I|L|N|NL|P|S)-\s?\d{{4,5}}\s+{place_name}")),
            labelled_id: re(concat!(
                r"(?i)\b(mrn|medical\s+record(?:\s+(?:number|no\.?))?|med\s*rec|patient\s+id|pt\s+id|acct|account(?:\s+(?:number|no\.?))?",
                r"|member(?:\s+id)?|mbr|subscriber(?:\s+id)?|insured(?:\s+id)?|policy(?:\s+(?:number|no\.?))?|rx|license|lic|dln|dl|dd",
                r"|cert(?:ificate)?|dea|npi|accession|acc|specimen(?:\s+id)?|encounter|enc|fin|visit|claim|case|chart|record|employee|emp",
                r"|serial(?:\s+(?:number|no\.?))?|s/n|device(?:\s+id)?|vin|plate|id|number|no\.)",
                r"\s*(?:#|no\.?|number)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,})"
            )),
            long_number: re(r"\b\d{7,}\b"),
            grouped_number: re(r"\b\d{3,6}(?: \d{3,6})+\b"),
            mixed_identifier: re(r"\b[A-Z0-9]+(?:-[A-Z0-9]+)*\b"),
            age: re(r"(?i)\b(?:age[:\s]+(9\d|1[0-2]\d)\b|(9\d|1[0-2]\d)\s*(?:y/?o|yrs?\b|years?(?:\s+old)?\b))"),
            labelled_name: re(&[
                // The label (group 1), then its name (group 2).
                r"\b((?i:patient|pt|name|visitor|visiting|resident|doctor|nurse|attending|physician|provider",
                r"|mother|father|mom|dad|parent|spouse|guardian|family|caregiver|next of kin|nok|emergency contact",
                r"|to|from|cc|attn|attention|subscriber|member|insured|cardholder|prescriber|employee|contact|sender|recipient",
                r"|written by|prepared by|signed by|requested by|client|dear",
                // The care team, as a whiteboard or a door card lists it ("RN: Maria", "CNA - Joe"):
                // validation 2431 -> 2433, 1 more box matching no label; tune unchanged.
                r"|rn|lpn|lvn|cna|pct|np|pa|md|tech|aide|charge nurse|therapist|case manager|social worker))",
                // After a label, a name's first word may hold a letter read as a digit ("R6isín").
                &format!(
                    r"\s*[:.,\-–]\s*((?:(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+)?{NAME_WORD_AS_READ}(?:,?\s+\p{{Lu}}[\p{{L}}\p{{M}}'’.-]*){{0,3}})"
                ),
            ]
            .concat()),
            // NICU crib cards and door signs ("Baby Girl Garcia", "Hello, my name is Emma"), notes
            // and cheques ("Call back Ngozi Eze", "RE: Kojo Darko", "PAY TO THE ORDER OF ..."),
            // a relative jotted down ("wife Minh +1 (915) 555-0122").
            introduced_name: re(&format!(
                r"\b(?:(?i:baby)\s+(?i:boy|girl)|(?i:my name is|meet|call back|called by|with (?:dr|mr|mrs|ms)\.?|re:|requested for|order of|issued to|wife|husband|partner|spouse|daughter|son|mother|father|mom|dad|sister|brother|niece|nephew|grandson|granddaughter))\s+({NAME_WORD}(?:,?\s+{NAME_WORD}){{0,2}})"
            )),
            last_comma_first: re(&format!(r"\b({CAPS_WORD}(?:\s+{CAPS_WORD})?),\s*({CAPS_WORD}(?:\s+{CAPS_WORD})?)(?:\s+\p{{Lu}}\.?)?")),
        }
    }

    /// Every identifier in `text`, possibly overlapping (callers take the strongest).
    pub fn scan(&self, text: &str) -> Vec<PhiMatch> {
        // Forms read with their fill-in rules as underscores ("DATE_11/4/93"): a rule separates
        // words like a space (the same byte length, so ranges stay valid).
        let text = &text.replace('_', " ");
        let mut found = Found::new(text);
        self.numbers_allowing_misreads(&mut found);
        self.words_allowing_misreads(&mut found);
        found.matches.extend(self.policy.matches(text));
        // Weaker readings of what the rules above may have found already: kept only where
        // nothing of their category was.
        let mut fallbacks = Found::new(text);
        self.form_values(&mut fallbacks);
        let already = |m: &PhiMatch| {
            found.matches.iter().any(|f| f.category == m.category && f.range.start < m.range.end && m.range.start < f.range.end)
        };
        let fresh: Vec<PhiMatch> = fallbacks.matches.into_iter().filter(|m| !already(m)).collect();
        found.matches.extend(fresh);
        found.matches.retain(|m| !is_money(&text[m.range.clone()]));
        // A letterhead's line of contacts: "Northgate Family Clinic · (555) 555-0100", or
        // "(800) 555-0169 · Fax 800-555-0102 · www.lakeview.example.org" with no name in it.
        let organisation = match organisation_named(text) {
            Some(word) => Some(format!("a line naming an organisation ('{word}')")),
            None => found.organisation_number.then(|| "a line with an organisation's toll-free or switchboard number".to_string()),
        };
        if let Some(organisation) = organisation {
            as_organisations_contacts(&mut found.matches, &organisation);
        }
        found.matches
    }

    /// Where `text`, as read or with its misread letters corrected, holds a street address
    /// ("2691 Whispering Pines Pkwy") or a town with its state and ZIP code ("Winston-Salem, NC
    /// 98906"): a name within one is the place's.
    pub(super) fn addresses(&self, text: &str) -> Vec<Range<usize>> {
        let text = text.replace('_', " ");
        let corrected = correct_misread_letters(&text);
        [Some(text.as_str()), corrected.as_deref()].into_iter().flatten().flat_map(|text| self.addresses_as_read(text)).collect()
    }

    fn addresses_as_read<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        let zip_follows = |end: usize| self.zip.find(&text[end..]).is_some_and(|zip| text[end..end + zip.start()].trim().is_empty());
        let streets = self.street.find_iter(text).map(|m| m.range());
        let towns = self.city_state.find_iter(text).filter(move |m| zip_follows(m.end())).map(|m| m.range());
        streets.chain(towns).chain(self.city_before_zip.find_iter(text).map(|m| m.range()))
    }

    fn ssns(&self, found: &mut Found) {
        for c in self.ssn.captures_iter(found.text) {
            let (area, group, serial) = (num(&c, 1), num(&c, 3), num(&c, 5));
            let valid = area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
            let dashed = !c[2].is_empty() && c[2] == c[4];
            let whole = c.get(0).unwrap();
            match (valid, dashed, found.context_before(whole.start(), &["ssn", "social security", "ss#", "soc sec"])) {
                (true, _, Some(word)) => found.add(PhiCategory::Ssn, whole, 0.95, format!("'{word}' context + valid SSN")),
                // Beside its label, a number that breaks the issuing rules is still someone's
                // (a test record, a typo, a made-up number on a sample card).
                (false, _, Some(word)) => found.add(PhiCategory::Ssn, whole, 0.9, format!("'{word}' context + SSN layout")),
                (true, true, None) => found.add(PhiCategory::Ssn, whole, 0.9, "SSN layout ddd-dd-dddd with valid area/group/serial"),
                // Outside the issuing rules, the layout is still a person's number: a taxpayer
                // number (ITIN, area 9xx), or a made-up one on a sample record. Phones, NDCs and
                // part numbers are grouped otherwise.
                (false, true, None) => found.add(
                    PhiCategory::OtherIdentifier,
                    whole,
                    0.8,
                    "SSN layout ddd-dd-dddd outside the issuing rules (an ITIN or a made-up SSN)",
                ),
                _ => {}
            }
        }
    }

    /// Dates other than a bare year; a DOB/admission/visit word before one raises it.
    fn dates(&self, found: &mut Found) {
        let add_date = |found: &mut Found, m: regex::Match, layout: &str| match found.context_before(m.start(), &DATE_WORDS) {
            Some(word) => found.add(PhiCategory::Date, m, 0.95, format!("'{word}' context + {layout}")),
            None => found.add(PhiCategory::Date, m, 0.8, format!("{layout} (a date other than a bare year)")),
        };
        let calendar = |month: u32, day: u32| (1..=12).contains(&month) && (1..=31).contains(&day);
        for c in self.numeric_date.captures_iter(found.text) {
            let (a, b) = (num(&c, 2), num(&c, 4));
            if c[3] == c[5] && (calendar(a, b) || calendar(b, a)) {
                add_date(found, c.get(1).unwrap(), "numeric date");
            }
        }
        for regex in [&self.date_run_together, &self.date_year_joined, &self.date_before_field] {
            for c in regex.captures_iter(found.text) {
                if calendar(num(&c, 2), num(&c, 3)) {
                    add_date(found, c.get(1).unwrap(), "numeric date read with a separator lost or glued on");
                }
            }
        }
        for c in self.iso_date.captures_iter(found.text) {
            if calendar(num(&c, 2), num(&c, 3)) {
                add_date(found, c.get(0).unwrap(), "ISO date");
            }
        }
        let written: Vec<regex::Match> = self.written_date.find_iter(found.text).collect();
        for &m in &written {
            add_date(found, m, "written date");
        }
        // A month and day with no year is still a date other than a year ("SEP 30", "17 Feb").
        for m in self.month_day.find_iter(found.text).chain(self.day_month.find_iter(found.text)) {
            if !written.iter().any(|w| w.start() <= m.start() && m.end() <= w.end()) {
                found.add(PhiCategory::Date, m, 0.7, "month and day");
            }
        }
        // In figures it could as well be a dose, a fraction or a score ("1/2 tab", "2/3 assist",
        // "pain 5/10") or, with a dash, a range ("hours 9-5", "ages 2-12"). A weekday or a
        // scheduling word before it makes it surely one ("Tue 3/10", "f/u 11-19"); alone, as on
        // a whiteboard or a note, one with a slash is still one unless a word follows it or a
        // measure's word comes before it. Boxed alone, validation found 24 more of its 483
        // dates (91.9% -> 96.9%) for 8 more boxes matching no label (52 with dashes too); tune
        // unchanged.
        for c in self.jotted_date.captures_iter(found.text) {
            let m = c.get(1).unwrap();
            if !calendar(num(&c, 2), num(&c, 3)) {
                continue;
            }
            let scheduled = found.context_before(m.start(), &JOTTED_DATE_WORDS).or_else(|| found.context_before(m.start(), &DATE_WORDS));
            let measure = found.context_before(m.start(), &NOT_A_DATE_WORDS).is_some();
            let before_a_word = found.text[m.end()..].trim_start().starts_with(char::is_alphabetic);
            match scheduled {
                Some(word) => found.add(PhiCategory::Date, m, 0.85, format!("'{word}' context + month/day")),
                None if m.as_str().contains('/') && !measure && !before_a_word => {
                    found.add(PhiCategory::Date, m, 0.65, "month/day in figures")
                }
                None => {}
            }
        }
    }

    /// Phone and fax numbers, e-mail and web addresses, IP addresses.
    fn contacts(&self, found: &mut Found) {
        for c in self.phone.captures_iter(found.text) {
            let m = c.get(0).unwrap();
            if !is_exchange(&c[4]) {
                continue;
            }
            let area = c.get(1).or(c.get(2)).or(c.get(3)).map_or("", |a| a.as_str());
            if TOLL_FREE_AREA_CODES.contains(&area) || found.context_before(m.start(), &SWITCHBOARD_WORDS).is_some() {
                found.add(PhiCategory::Phone, m, ORGANISATION_CONTACT_STRENGTH, "toll-free or switchboard number (an organisation's)");
                found.organisation_number = true;
                continue;
            }
            match (found.context_before(m.start(), &["fax"]), found.context_before(m.start(), &PHONE_WORDS)) {
                (Some(_), _) => found.add(PhiCategory::Fax, m, 0.95, "'fax' context + 10-digit number"),
                (None, Some(word)) => found.add(PhiCategory::Phone, m, 0.95, format!("'{word}' context + 10-digit number")),
                (None, None) => found.add(PhiCategory::Phone, m, 0.85, "North American phone number layout"),
            }
        }
        let mut emails = Vec::new();
        for m in self.email.find_iter(found.text) {
            emails.push(m.range());
            found.add(PhiCategory::Email, m, 0.95, "e-mail address");
        }
        for m in self.email_misread.find_iter(found.text) {
            if !emails.iter().any(|email| email.start < m.end() && m.start() < email.end) {
                found.add(PhiCategory::Email, m, 0.8, "an '@' between words: an e-mail address read without its dots");
            }
        }
        for m in self.url.find_iter(found.text) {
            found.add(PhiCategory::Url, m, 0.7, "web address");
        }
        for c in self.ipv4.captures_iter(found.text) {
            if (1..=4).all(|i| num(&c, i) <= 255) {
                found.add(PhiCategory::IpAddress, c.get(0).unwrap(), 0.8, "IPv4 address (four octets 0-255)");
            }
        }
    }

    /// Geography below a state: ZIP codes with a state or a label, street addresses, places
    /// someone lives in.
    fn places(&self, found: &mut Found) {
        for m in self.zip.find_iter(found.text) {
            if self.ends_with_state(&found.text[..m.start()]) {
                found.add(PhiCategory::Geographic, m, 0.85, "ZIP code after a state");
            } else if let Some(word) = found.context_before(m.start(), &["zip", "postal"]) {
                found.add(PhiCategory::Geographic, m, 0.85, format!("'{word}' context + ZIP code"));
            }
        }
        for c in self.city_before_zip.captures_iter(found.text) {
            let (comma, state) = (&c[2], &c[3]);
            let state_code = state.to_ascii_uppercase();
            let state_as_read = state != state_code;
            // A comma and a state in capitals are `city_state`'s and `zip`'s to find.
            if !is_state_code(&state_code) || (!comma.is_empty() && !state_as_read) {
                continue;
            }
            found.add(PhiCategory::Geographic, c.get(1).unwrap(), 0.8, "city before a state and ZIP code");
            if state_as_read {
                found.add(PhiCategory::Geographic, c.get(4).unwrap(), 0.85, "ZIP code after a state");
            }
        }
        for c in self.city_state.captures_iter(found.text) {
            if self.ends_with_state(c.get(0).unwrap().as_str()) {
                found.add(PhiCategory::Geographic, c.get(0).unwrap(), 0.8, "city + state");
            }
        }
        for c in self.residence.captures_iter(found.text) {
            found.add(PhiCategory::Geographic, c.get(1).unwrap(), 0.7, "'lives in' context + place name");
        }
        for m in self.european_town.find_iter(found.text) {
            found.add(PhiCategory::Geographic, m, 0.8, "a town after its postcode");
        }
        for m in self.street.find_iter(found.text).chain(self.po_box.find_iter(found.text)) {
            found.add(PhiCategory::Geographic, m, 0.85, "street address");
        }
    }

    /// Whether `text` ends with a US state, as a name or a code ("Miami, Florida", "N. Y.", "MD").
    fn ends_with_state(&self, text: &str) -> bool {
        self.state_at_end.captures(text).is_some_and(|c| match (c.get(1), c.get(2)) {
            (Some(a), Some(b)) => is_state_code(&format!("{}{}", a.as_str(), b.as_str())),
            _ => true,
        })
    }

    /// Labelled record, account, plan, licence and device numbers; VINs; long digit runs; ages
    /// over 89.
    fn numbers(&self, found: &mut Found) {
        for c in self.labelled_id.captures_iter(found.text) {
            let value = c.get(2).unwrap();
            let of_a_product = found.context_before(c.get(0).unwrap().start() + c[1].len(), &NOT_PERSONAL_NUMBER_WORDS).is_some();
            if value.as_str().chars().filter(char::is_ascii_digit).count() >= 3 && !of_a_product {
                let reason = format!("'{}' context + {}-character identifier", &c[1], value.len());
                found.add(id_category(&c[1].to_lowercase()), value, 0.9, reason);
            }
        }
        for m in self.vin.find_iter(found.text) {
            if vin_check_digit_holds(m.as_str()) {
                found.add(PhiCategory::VehicleIdentifier, m, 0.9, "17-character VIN with a valid check digit");
            }
        }
        // Seven or more digits in a hospital picture are most often a record or account
        // number: boxed at the default threshold when read well, and left for review. After
        // "Routing" they are the bank's.
        let long_numbers: Vec<regex::Match> =
            self.long_number.find_iter(found.text).filter(|m| found.context_before(m.start(), &ROUTING_WORDS).is_none()).collect();
        for m in long_numbers {
            found.add(PhiCategory::OtherIdentifier, m, 0.65, format!("{}-digit number (possible unique identifier)", m.len()));
        }
        // A licence or document number printed in groups ("940 675 199"); two-digit groups
        // make an SSN's layout, found above, and ten digits a phone number's, left to the phone
        // rules (an organisation's own number is no PHI). Two quantities in a row are too short;
        // three of three digits are taken (2 more boxes matching no label on validation).
        for m in self.grouped_number.find_iter(found.text) {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            if digits >= MIN_GROUPED_DIGITS && digits != PHONE_DIGITS {
                found.add(PhiCategory::OtherIdentifier, m, 0.65, format!("{digits} digits in groups (possible unique identifier)"));
            }
        }
        // Record and accession numbers mix letters, digits and dashes ("A1234567", "ACC-24-00123");
        // a product's lot, NDC or part number looks the same, so their labels clear one.
        for m in self.mixed_identifier.find_iter(found.text) {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            let has_letter = m.as_str().chars().any(|c| c.is_ascii_alphabetic());
            if digits >= 5 && has_letter && found.context_before(m.start(), &NOT_PERSONAL_NUMBER_WORDS).is_none() {
                found.add(PhiCategory::OtherIdentifier, m, 0.6, "letters and five or more digits (possible unique identifier)");
            }
        }
        for m in self.age.find_iter(found.text) {
            found.add(PhiCategory::Age, m, 0.8, "age over 89");
        }
    }

    /// Numbers, dates, contacts and places in the text as read, and those that only the text
    /// with the letters misread in its numbers corrected shows.
    fn numbers_allowing_misreads(&self, found: &mut Found) {
        let numbers = |scanner: &Self, found: &mut Found| {
            scanner.ssns(found);
            scanner.dates(found);
            scanner.contacts(found);
            scanner.places(found);
            scanner.numbers(found);
        };
        numbers(self, found);
        if let Some(corrected) = correct_misread_digits(found.text) {
            self.add_fresh(found, &corrected, numbers, "misread digits corrected");
        }
    }

    /// Names in the text as read, and the names and places that only the text with its misread
    /// letters corrected shows ("El Pas0, TX" is a city and state).
    fn words_allowing_misreads(&self, found: &mut Found) {
        self.names(found);
        if let Some(corrected) = correct_misread_letters(found.text) {
            let words = |scanner: &Self, found: &mut Found| {
                scanner.names(found);
                scanner.places(found);
            };
            self.add_fresh(found, &corrected, words, "misread letters corrected");
        }
    }

    /// Adds to `found` what `rules` find in `corrected` (the same text with some characters
    /// swapped, byte for byte) where nothing of the same category was found already.
    fn add_fresh(&self, found: &mut Found, corrected: &str, rules: impl Fn(&Self, &mut Found), note: &str) {
        let mut misread = Found::new(corrected);
        rules(self, &mut misread);
        let seen = |m: &PhiMatch| {
            found.matches.iter().any(|f| f.category == m.category && f.range.start < m.range.end && m.range.start < f.range.end)
        };
        let fresh: Vec<PhiMatch> = misread.matches.into_iter().filter(|m| !seen(m)).collect();
        found.organisation_number |= misread.organisation_number;
        found.matches.extend(fresh.into_iter().map(|m| PhiMatch { reason: format!("{} ({note})", m.reason), ..m }));
    }

    /// Names after a label or a title, in `LAST, FIRST` layout, or on the census lists.
    fn names(&self, found: &mut Found) {
        // Ordinary words on no name list after a label or an introduction are a department or
        // more of the sentence ("NP: Cardiology", "To: Radiology", "RE: PROCESS SERVED"), not
        // a person.
        let wording = |name: &str| self.names.only_ordinary_words(name);
        for c in self.labelled_name.captures_iter(found.text).filter(|c| !wording(&c[2])) {
            let label = &c[1];
            found.add(PhiCategory::Name, c.get(2).unwrap(), 0.85, format!("'{label}:' context + capitalised words"));
        }
        for c in self.introduced_name.captures_iter(found.text).filter(|c| !wording(&c[1])) {
            found.add(PhiCategory::Name, c.get(1).unwrap(), 0.8, "'Baby Boy/Girl' or 'my name is' + capitalised name");
        }
        for c in self.last_comma_first.captures_iter(found.text) {
            // A side of nothing but ordinary words on no name list is a form's or an address's
            // wording in capitals ("CITY, STATE", "TIE PAGES, PLEASE CALL"), not a name
            // (validation: 6 fewer boxes matching no label, no string lost).
            if [&c[1], &c[2]].iter().any(|side| self.names.only_ordinary_words(side)) {
                continue;
            }
            found.add(PhiCategory::Name, c.get(0).unwrap(), 0.7, "'LAST, FIRST' name layout");
        }
        for m in self.titled_name.find_iter(found.text) {
            found.add(PhiCategory::Name, m, 0.8, "title + capitalised name");
        }
        found.matches.extend(self.person_names.find(found.text, &self.names));
    }

    /// Values of form labels in the same line ("Address: 456 Landlord Town", "Date 2022-0l-01"),
    /// 7-digit phone numbers after a phone word, and an extension alone after one.
    fn form_values(&self, found: &mut Found) {
        for c in self.form_field.captures_iter(found.text) {
            let Some(label) = find_field_label(c.get(0).unwrap().as_str()) else {
                continue;
            };
            if label.accepts(&c[1]) {
                found.add(label.category, c.get(1).unwrap(), 0.75, format!("value of the form label '{}'", label.keyword));
            }
        }
        for c in self.labelled_date_like.captures_iter(found.text) {
            found.add(PhiCategory::Date, c.get(1).unwrap(), 0.7, "'date' label + digits (a date read poorly)");
        }
        for m in self.local_phone.find_iter(found.text) {
            if let Some(word) = found.context_before(m.start(), &PHONE_WORDS) {
                found.add(PhiCategory::Phone, m, 0.85, format!("'{word}' context + 7-digit number"));
            }
        }
        for c in self.extension.captures_iter(found.text) {
            found.add(PhiCategory::Phone, c.get(1).unwrap(), 0.8, "an extension alone after a phone word");
        }
    }
}

/// North American VINs: position 9 is a check digit over the transliterated characters.
fn vin_check_digit_holds(vin: &str) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |c: char| match c {
        '0'..='9' => c.to_digit(10),
        'A' | 'J' => Some(1),
        'B' | 'K' | 'S' => Some(2),
        'C' | 'L' | 'T' => Some(3),
        'D' | 'M' | 'U' => Some(4),
        'E' | 'N' | 'V' => Some(5),
        'F' | 'W' => Some(6),
        'G' | 'P' | 'X' => Some(7),
        'H' | 'Y' => Some(8),
        'R' | 'Z' => Some(9),
        _ => None,
    };
    let chars: Vec<char> = vin.chars().collect();
    // A run of digits alone is more likely an account number than a VIN.
    if chars.len() != 17 || chars.iter().all(char::is_ascii_digit) {
        return false;
    }
    let Some(sum) = chars.iter().zip(WEIGHTS).map(|(&c, w)| value(c).map(|v| v * w)).sum::<Option<u32>>() else {
        return false;
    };
    let check = match sum % 11 {
        10 => 'X',
        digit => char::from_digit(digit, 10).unwrap_or('?'),
    };
    chars[8] == check
}

/// Digits a number printed in groups of three or more must hold to be taken for an identifier.
const MIN_GROUPED_DIGITS: usize = 9;
const PHONE_DIGITS: usize = 10;

fn num(c: &Captures, group: usize) -> u32 {
    c.get(group).and_then(|m| m.as_str().parse().ok()).unwrap_or(0)
}

/// The matches found in one text so far.
struct Found<'t> {
    text: &'t str,
    matches: Vec<PhiMatch>,
    /// A toll-free or switchboard number was found: the line is an organisation's contacts.
    organisation_number: bool,
}

impl<'t> Found<'t> {
    fn new(text: &'t str) -> Self {
        Found { text, matches: Vec::new(), organisation_number: false }
    }

    fn add(&mut self, category: PhiCategory, m: regex::Match, strength: f32, reason: impl Into<String>) {
        self.matches.push(PhiMatch { category, range: m.range(), strength, reason: reason.into() });
    }

    /// The first of `words` found (case-insensitively, as a word) in the 24 bytes before `start`.
    fn context_before<'w>(&self, start: usize, words: &[&'w str]) -> Option<&'w str> {
        let mut from = start.saturating_sub(24);
        while !self.text.is_char_boundary(from) {
            from -= 1;
        }
        let window = self.text[from..start].to_lowercase();
        words.iter().copied().find(|word| contains_word(&window, word))
    }
}

/// Whether a phone number's middle group is an exchange as read: three digits, or two equal
/// ones, which OCR merges from three ("555" as "55"); "617-12-3456" is no phone number.
fn is_exchange(digits: &str) -> bool {
    let digits: Vec<char> = digits.chars().collect();
    digits.len() == 3 || (digits.len() == 2 && digits[0] == digits[1])
}

#[cfg(test)]
mod tests;
