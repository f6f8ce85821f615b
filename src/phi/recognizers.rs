//! The recognizers: one pattern each, with validity rules and context words.

use super::labels::{contains_word, find_field_label, is_money, keyword_alternation};
use super::misread::{correct_misread_digits, correct_misread_letters};
use super::names::NameLists;
use super::person::PersonNames;
use super::policy::TextPolicy;
use super::{PhiCategory, PhiMatch};
use regex::{Captures, Regex};

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
        // number: boxed at the default threshold when read well, and left for review.
        for m in self.long_number.find_iter(found.text) {
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
        for c in self.labelled_name.captures_iter(found.text) {
            let label = &c[1];
            found.add(PhiCategory::Name, c.get(2).unwrap(), 0.85, format!("'{label}:' context + capitalised words"));
        }
        for c in self.introduced_name.captures_iter(found.text) {
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

/// A phone number, web or street address on the same line as one of these words is an
/// organisation's ("Northgate Family Clinic · (555) 555-0100"): below the default `--min-risk`.
const ORGANISATION_WORDS: &str = "hospital|clinic|center|centre|pharmacy|inc|llc|ltd|corp|corporation|company|department|dept|\
    university|institute|laboratory|laboratories|foundation|association|insurance|health|healthcare|pediatrics|pharmaceuticals|made in|\
    manufactured|visiting hours";
/// The word of `text` that names an organisation, if any.
pub(super) fn organisation_named(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    ORGANISATION_WORDS.split('|').find(|word| contains_word(&lower, word))
}

/// Weakens the phone and fax numbers, web and street addresses among `matches` to an
/// organisation's own contact details, found on `organisation` (where that is said).
pub(super) fn as_organisations_contacts(matches: &mut [PhiMatch], organisation: &str) {
    let contacts =
        |m: &&mut PhiMatch| matches!(m.category, PhiCategory::Phone | PhiCategory::Fax | PhiCategory::Url | PhiCategory::Geographic);
    for m in matches.iter_mut().filter(contacts) {
        m.strength = m.strength.min(ORGANISATION_CONTACT_STRENGTH);
        m.reason = format!("{} on {organisation}: its own contact details", m.reason);
    }
}

/// Toll-free numbers belong to organisations, never to a patient.
const TOLL_FREE_AREA_CODES: [&str; 7] = ["800", "833", "844", "855", "866", "877", "888"];
/// Words before an organisation's own number.
const SWITCHBOARD_WORDS: [&str; 5] = ["main", "main line", "switchboard", "operator", "toll free"];
const ORGANISATION_CONTACT_STRENGTH: f32 = 0.45;

/// Labels of numbers that belong to a product, a place or a group, not a person.
const NOT_PERSONAL_NUMBER_WORDS: [&str; 20] = [
    "lot", "ndc", "exp", "batch", "ref", "model", "part", "cat", "sku", "upc", "gtin", "po", "room", "rm", "bed", "page", "group", "grp",
    "bin", "pcn",
];

/// Words before a date that tie it to a person: a birth, an admission, a visit.
const DATE_WORDS: [&str; 11] = ["dob", "d.o.b", "birth", "born", "adm", "admit", "dos", "date", "discharge", "dod", "visit"];
/// Weekdays and the words of a schedule, before a month and day jotted in figures.
const JOTTED_DATE_WORDS: [&str; 33] = [
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
const NOT_A_DATE_WORDS: [&str; 8] = ["pain", "tab", "tabs", "dose", "score", "bp", "ratio", "scale"];

/// Whether a phone number's middle group is an exchange as read: three digits, or two equal
/// ones, which OCR merges from three ("555" as "55"); "617-12-3456" is no phone number.
fn is_exchange(digits: &str) -> bool {
    let digits: Vec<char> = digits.chars().collect();
    digits.len() == 3 || (digits.len() == 2 && digits[0] == digits[1])
}

/// Words that make a number before them a phone number.
const PHONE_WORDS: [&str; 9] = ["tel", "telephone", "phone", "ph", "cell", "mobile", "call", "contact", "fax"];

fn id_category(label: &str) -> PhiCategory {
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

impl Scanner {
    /// Whether `text` ends with a US state, as a name or a code ("Miami, Florida", "N. Y.", "MD").
    fn ends_with_state(&self, text: &str) -> bool {
        self.state_at_end.captures(text).is_some_and(|c| match (c.get(1), c.get(2)) {
            (Some(a), Some(b)) => is_state_code(&format!("{}{}", a.as_str(), b.as_str())),
            _ => true,
        })
    }
}

/// Whether `text` is a US state's code and a ZIP code, as an address line ends (`TX 79905`).
pub fn is_state_and_zip(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    matches!(words[..], [state, zip] if is_state_code(state) && zip.len() == 5 && zip.chars().all(|c| c.is_ascii_digit()))
}

fn is_state_code(word: &str) -> bool {
    const STATES: &str = "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR";
    word.len() == 2 && STATES.split(' ').any(|s| s == word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phi::words::EnglishWords;

    fn scan(text: &str) -> Vec<PhiMatch> {
        Scanner::default().scan(text)
    }

    fn categories(text: &str) -> Vec<PhiCategory> {
        let mut c: Vec<_> = scan(text).into_iter().map(|m| m.category).collect();
        c.sort();
        c.dedup();
        c
    }

    /// The distinct strings found of one category (two rules may find the same one).
    fn found(text: &str, category: PhiCategory) -> Vec<String> {
        let mut matches: Vec<PhiMatch> = scan(text).into_iter().filter(|m| m.category == category).collect();
        matches.sort_by_key(|m| (m.range.start, m.range.end));
        let mut strings: Vec<String> = matches.into_iter().map(|m| text[m.range].to_string()).collect();
        strings.dedup();
        strings
    }

    #[test]
    fn ssns_follow_the_issuing_rules() {
        assert_eq!(found("SSN: 123-45-6789", PhiCategory::Ssn), ["123-45-6789"]);
        assert_eq!(found("ssn 123456789", PhiCategory::Ssn), ["123456789"], "bare digits need the label");
        assert!(found("123456789", PhiCategory::Ssn).is_empty());
        for invalid in ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000", "123-45 6789"] {
            assert!(found(invalid, PhiCategory::Ssn).is_empty(), "{invalid}");
        }
        assert_eq!(found("SSN 912-34-5678", PhiCategory::Ssn), ["912-34-5678"], "its label makes it one whatever the rules");
        for unissued in ["912-34-5678", "666-12-3456", "000-12-3456"] {
            assert_eq!(found(unissued, PhiCategory::OtherIdentifier), [unissued], "still a person's number");
        }
        assert!(found("123-45 6789", PhiCategory::OtherIdentifier).is_empty(), "groups set apart unalike");
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
        assert_eq!(found("10-NOV-1986", PhiCategory::Date), ["10-NOV-1986"]);
        assert_eq!(found("Nov. 4 93 16:33", PhiCategory::Date), ["Nov. 4 93"]);
        assert_eq!(found("JAN301969", PhiCategory::Date), ["JAN301969"], "a stamp read without its spaces");
        assert_eq!(found("RECEIVED SEP 30", PhiCategory::Date), ["SEP 30"], "month and day without a year");
        assert_eq!(found("JAN .19.1995", PhiCategory::Date), ["JAN .19.1995"], "a speck between month and day");
        assert_eq!(found("DOB 28 5ep 2024", PhiCategory::Date), ["28 5ep 2024"], "a month's letter read as a digit");
        assert_eq!(found("DATE_11/4/93", PhiCategory::Date), ["11/4/93"], "a fill-in rule is no letter");
        assert_eq!(found("4EXP06/27/2031", PhiCategory::Date), ["06/27/2031"], "glued to its label");
        assert_eq!(found("Pay period: 06/2323-06/29/23", PhiCategory::Date), ["06/29/23"], "after a misread one");
        assert_eq!(found("1/2/2020-3/4/2021", PhiCategory::Date), ["1/2/2020", "3/4/2021"]);
        assert_eq!(found("0825/2022", PhiCategory::Date), ["0825/2022"], "month and day run together");
        assert_eq!(found("on 324/2024 and", PhiCategory::Date), ["324/2024"]);
        assert_eq!(found("is on 6/12025at 1:15", PhiCategory::Date), ["6/12025"], "day and year run together");
        assert_eq!(found("4ss 02/21/20194bExP06/01/2031", PhiCategory::Date), ["02/21/2019", "06/01/2031"], "a field number glued on");
        assert_eq!(found("17 Feb", PhiCategory::Date), ["17 Feb"], "day before month");
        assert_eq!(found("Tue 3/10", PhiCategory::Date), ["3/10"], "a weekday and a month and day");
        assert_eq!(found("f/u 11-19 w/ Dr. Lee", PhiCategory::Date), ["11-19"], "a follow-up's month and day");
        assert_eq!(found("3/14", PhiCategory::Date), ["3/14"], "a month and day alone, as on a whiteboard");
        for not_a_date in [
            "Class of 2019",
            "13/45/2020",
            "version 1.2.3",
            "lot 123/05/2020",
            "03/14-1962",
            "1200/2000 mL",
            "invoice 4471/2023",
            "12/192555",
            "May the force",
            "1/2 tab twice daily",
            "on 2 marked lines",
            "it 2 may help",
            "due 13/45",
            "BP 120/80 on arrival",
            "Pain 5/10",
            "2/3 assist",
            "Ages 2-12",
        ] {
            assert!(found(not_a_date, PhiCategory::Date).is_empty(), "{not_a_date}");
        }
    }

    #[test]
    fn street_lines_and_city_lines_without_a_label() {
        for street in [
            "26 East 63rd Street",
            "1502 N Greenmount Ave",
            "414 Biscayne Building",
            "1875 EYE STREET NW Suite 800",
            "PO Box 4417",
            "RR 2 Box 158",
            "605 w Chestnut Court Unit 7",
        ] {
            assert_eq!(found(street, PhiCategory::Geographic), [street]);
        }
        assert_eq!(found("Miami, Florida", PhiCategory::Geographic), ["Miami, Florida"]);
        assert_eq!(found("New York, N. Y. 10021", PhiCategory::Geographic), ["New York, N. Y.", "10021"]);
        assert_eq!(found("Baltimore, MD 21213", PhiCategory::Geographic), ["Baltimore, MD", "21213"]);
        assert!(found("Room 412, 4th floor", PhiCategory::Geographic).is_empty());
        assert!(found("Total, XY 12345", PhiCategory::Geographic).is_empty(), "no such state");
        assert_eq!(found("SPRINGFIELD IL 62704", PhiCategory::Geographic), ["SPRINGFIELD", "62704"]);
        assert_eq!(found("Coeur d'Alene, ID 83814", PhiCategory::Geographic), ["Coeur d'Alene, ID", "83814"]);
        assert_eq!(found("Coeur dAlene ID 83814", PhiCategory::Geographic), ["Coeur dAlene", "83814"], "as OCR reads it");
        assert_eq!(found("Breumsvilte, Tx 16103", PhiCategory::Geographic), ["Breumsvilte", "16103"], "the state's letter in lower case");
        assert!(found("Sodium, Na 14000", PhiCategory::Geographic).is_empty(), "no state");
        assert_eq!(found("CH-2003 Neuchâtel", PhiCategory::Geographic), ["CH-2003 Neuchâtel"]);
    }

    #[test]
    fn names_in_any_script_after_a_title_or_in_capitals() {
        assert_eq!(found("with Dr. Lê", PhiCategory::Name), ["Dr. Lê", "Lê"]);
        assert_eq!(found("O'SULLIVAN, SIOBHÁN", PhiCategory::Name), ["O'SULLIVAN, SIOBHÁN"]);
        assert_eq!(found("Records requested for Darko, Kojo - questions?", PhiCategory::Name), ["Darko, Kojo"]);
        assert_eq!(found("PAY TO THE ORDER OF KAYDENCE HARGREAVES-BEKELE", PhiCategory::Name), ["KAYDENCE HARGREAVES-BEKELE"]);
        assert_eq!(found("Prescriber: Dr. Lucía Herrera", PhiCategory::Name), ["Dr. Lucía Herrera"]);
        assert_eq!(found("Lab only - Cardiology - Dr. H. Park", PhiCategory::Name), ["Dr. H. Park"], "an initial before the surname");
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
        assert_eq!(found("(509)55-0172", PhiCategory::Phone), ["(509)55-0172"], "a repeated digit merged by OCR");
        assert!(found("617-12-3456", PhiCategory::Phone).is_empty(), "two unlike digits are no exchange");
        assert_eq!(found("1845-555-0183 thanks", PhiCategory::Phone), ["1845-555-0183"], "the country code glued on");
        assert_eq!(found("956 555 O148 ASAP", PhiCategory::Phone), ["956 555 O148"], "a zero read as O");
        assert_eq!(found("(505> 555-0160 EXT 157", PhiCategory::Phone), ["(505> 555-0160"], "a bracket read as >");
        assert_eq!(found("(O13)555-0194", PhiCategory::Phone), ["(O13)555-0194"], "an area code in brackets, its 9 read as O");
        assert_eq!(found("1-006-555-0196", PhiCategory::Phone), ["1-006-555-0196"], "after the country's 1, its 8 read as 0");
        assert!(found("013 555-0194", PhiCategory::Phone).is_empty(), "bare, no area code starts with 0");
    }

    #[test]
    fn emails_urls_and_ip_addresses() {
        assert_eq!(found("write to jane.roe@example.org.", PhiCategory::Email), ["jane.roe@example.org"]);
        assert_eq!(found("E-mail caoimhemcgi@mailexomplecom", PhiCategory::Email), ["caoimhemcgi@mailexomplecom"], "its dots lost");
        assert!(found("BP 120/80@rest, f/u @ 2 weeks", PhiCategory::Email).is_empty(), "'at' in a note");
        assert_eq!(found("see https://portal.example.org/p/123", PhiCategory::Url), ["https://portal.example.org/p/123"]);
        assert_eq!(found("at portal.example.org/u/jroe now", PhiCategory::Url), ["portal.example.org/u/jroe"]);
        assert_eq!(found("WWWEXAMPLECOM-JROE", PhiCategory::Url), ["WWWEXAMPLECOM-JROE"], "its dots lost");
        assert_eq!(found("go to https//example.org/x", PhiCategory::Url), ["https//example.org/x"]);
        assert!(found("visit example.org today", PhiCategory::Url).is_empty(), "a bare domain is an organisation's");
        assert_eq!(found("host 10.20.30.40 down", PhiCategory::IpAddress), ["10.20.30.40"]);
        assert!(found("999.1.1.1", PhiCategory::IpAddress).is_empty());
    }

    #[test]
    fn geography_below_state_level() {
        assert_eq!(found("Boston, MA 02115", PhiCategory::Geographic), ["Boston, MA", "02115"]);
        assert_eq!(found("El Pas0, TX 79905", PhiCategory::Geographic), ["El Pas0, TX", "79905"], "a letter read as a digit");
        assert_eq!(found("ZIP: 02115-1234", PhiCategory::Geographic), ["02115-1234"]);
        assert_eq!(found("lives at 221 Baker Street", PhiCategory::Geographic), ["221 Baker Street"]);
        assert!(found("Room 12345", PhiCategory::Geographic).is_empty(), "a bare 5-digit number is not a ZIP");
        assert_eq!(found("moved from Carson City, NV last year", PhiCategory::Geographic), ["Carson City, NV"]);
        assert!(found("Smith, JO", PhiCategory::Geographic).is_empty(), "JO is no state");
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
        assert_eq!(found("4d DLN 948-221-507", PhiCategory::LicenseNumber), ["948-221-507"]);
        assert_eq!(found("Rx# 6624108", PhiCategory::OtherIdentifier), ["6624108"]);
        assert_eq!(found("Accession: ACC-24-00917", PhiCategory::OtherIdentifier), ["ACC-24-00917"]);
        assert!(found("Group No. 88120", PhiCategory::HealthPlanNumber).is_empty(), "a group number is the employer's");
    }

    #[test]
    fn an_organisations_contact_details_and_money_are_not_phi() {
        let strongest = |text: &str| scan(text).into_iter().map(|m| m.strength).fold(0.0, f32::max);
        assert!(strongest("Northgate Family Clinic (617) 555-0100 www.northgate-clinic.example.org") < 0.5);
        assert!(strongest("Riverside Hospital, 88 Market Street, Boston, MA 02115") < 0.5);
        assert!(strongest("Home phone (617) 555-0134") >= 0.85, "a person's number");
        assert!(strongest("Questions? Call 1-800-555-0199") < 0.5, "toll-free");
        assert!(strongest("Main (617) 555-0100") < 0.5, "a switchboard");
        assert!(strongest("(800) 555-0169 · Fax 617-555-0102 · www.lakeview.example.org") < 0.5, "beside a toll-free number");
        assert!(
            found("Each capsule holds 20 mg of omeprazole dr. Usual dosage", PhiCategory::Name).is_empty(),
            "'dr.' of a drug's release"
        );
        assert!(scan("Social Security: $1,234.56").is_empty(), "a tax, not an SSN");
    }

    #[test]
    fn unlabelled_identifiers_mixing_letters_and_digits_but_not_product_numbers() {
        assert_eq!(found("A1234567", PhiCategory::OtherIdentifier), ["A1234567"]);
        for product in ["LOT A12345B", "NDC 0093-7146-56", "REF KX-20931", "Room 4B-20331"] {
            assert!(found(product, PhiCategory::OtherIdentifier).is_empty(), "{product}");
        }
    }

    #[test]
    fn a_number_printed_in_groups_is_an_identifier_but_not_a_phone_or_a_table_row() {
        assert_eq!(found("940 675 199", PhiCategory::OtherIdentifier), ["940 675 199"], "a licence's edge");
        assert_eq!(found("531709 560", PhiCategory::OtherIdentifier), ["531709 560"], "two groups run together");
        for not_one in ["800 555 0199", "Qty 100 250", "120 80 72"] {
            assert!(found(not_one, PhiCategory::OtherIdentifier).is_empty(), "{not_one}");
        }
    }

    #[test]
    fn names_need_a_label_or_the_wristband_layout() {
        assert_eq!(found("Patient: John Smith", PhiCategory::Name), ["John Smith"]);
        assert_eq!(found("SMITH, JOHN", PhiCategory::Name), ["SMITH, JOHN"]);
        assert_eq!(found("Visitor: Mary-Ann O'Neil", PhiCategory::Name), ["Mary-Ann O'Neil"]);
        assert_eq!(found("Mom: Keisha", PhiCategory::Name), ["Keisha"], "relatives' names are PHI too");
        assert_eq!(found("RN - Maria", PhiCategory::Name), ["Maria"], "the care team on a whiteboard");
        assert_eq!(found("Pt: R6isín Ní Bhriain", PhiCategory::Name), ["R6isín Ní Bhriain"], "a letter read as a digit");
        assert_eq!(found("Baby Girl Okafor", PhiCategory::Name), ["Okafor"]);
        assert_eq!(found("Hello, my name is Emma", PhiCategory::Name), ["Emma"]);
        assert!(found("Meet our team", PhiCategory::Name).is_empty(), "needs a capitalised name");
    }

    #[test]
    fn a_last_first_layout_needs_a_name_like_word_on_each_side() {
        let english = EnglishWords::from_pairs(&[("city", 5.6), ("state", 5.7), ("please", 5.9), ("call", 5.8), ("smith", 4.6)]);
        let names = NameLists::from_census("SMITH 1.0 1.0 1\n", &[]).with_english(english);
        let scanner = Scanner::new(names, TextPolicy::default());
        let names_in = |text: &str| scanner.scan(text).into_iter().filter(|m| m.category == PhiCategory::Name).count();
        assert!(names_in("SMITH, OYELARAN") > 0, "a surname, and a word rare in English");
        assert_eq!(names_in("CITY, STATE"), 0, "a form's wording");
        assert_eq!(names_in("PAGES, PLEASE CALL"), 0, "words on no list, common in English");
    }

    #[test]
    fn ages_over_89_only() {
        assert_eq!(found("92 y/o female", PhiCategory::Age), ["92 y/o"]);
        assert_eq!(found("Age: 101", PhiCategory::Age), ["Age: 101"]);
        assert!(found("45 y/o male", PhiCategory::Age).is_empty());
    }

    fn with_names(text: &str) -> Vec<String> {
        let names = NameLists::from_census(
            "SMITH 1.006 1.006 1\nJOHNSON 0.810 1.816 2\nDOE 0.004 50.0 2117\nYOUNG 0.193 10.090 28\n",
            &["JOHN 3.271 6.589 2\nDAVID 2.0 8.0 5\nWILL 0.018 84.5 503\n", "JANE 0.2 20.0 40\nHOPE 0.03 72.0 427\n"],
        );
        let scanner = Scanner::new(names, TextPolicy::default());
        scanner.scan(text).into_iter().filter(|m| m.category == PhiCategory::Name).map(|m| text[m.range].to_string()).collect()
    }

    #[test]
    fn census_first_names_and_surnames_make_names_only_when_capitalised_and_paired() {
        assert_eq!(with_names("created by David Johnson and"), ["David Johnson"]);
        assert_eq!(with_names("DOE JANE"), ["DOE JANE"]);
        assert_eq!(with_names("Doe, John"), ["Doe, John"]);
        assert!(with_names("we will grant young people access").is_empty(), "lower-case words");
        assert!(with_names("Hope Smithers").is_empty(), "Smithers is not on the list");
        assert!(with_names("John and David").is_empty(), "two first names");
        assert!(with_names("seen by Dr. Okafor").contains(&"Dr. Okafor".to_string()), "a title makes a name without the lists");
        assert!(with_names("wife Minh +1 (915) 555-0122").contains(&"Minh".to_string()), "a relative jotted down by name");
        assert!(with_names("lives with son and daughter").is_empty(), "relatives unnamed");
    }

    #[test]
    fn vins_need_a_valid_check_digit() {
        assert_eq!(found("VIN 1M8GDM9AXKP042788", PhiCategory::VehicleIdentifier), ["1M8GDM9AXKP042788"]);
        assert_eq!(found("car 11111111111111111 parked", PhiCategory::VehicleIdentifier), Vec::<String>::new(), "digits only");
        assert!(found("1M8GDM9A1KP042788", PhiCategory::VehicleIdentifier).is_empty(), "wrong check digit");
    }

    #[test]
    fn form_values_places_and_local_phone_numbers() {
        assert_eq!(found("Address: 456 Landlord Town", PhiCategory::Geographic), ["456 Landlord Town"]);
        assert_eq!(found("Provider Name please print: ohn Doe", PhiCategory::Name), ["ohn Doe"]);
        assert_eq!(found("Date J033-01-o1", PhiCategory::Date), ["J033-01-o1"], "a date read poorly after its label");
        assert_eq!(found("John lives in New York.", PhiCategory::Geographic), ["New York"]);
        assert_eq!(found("Home phone 414-2285", PhiCategory::Phone), ["414-2285"]);
        assert!(found("Room 414-2285", PhiCategory::Phone).is_empty(), "seven digits need a phone word");
        assert!(found("Telephone No.: (", PhiCategory::Phone).is_empty(), "a label without a value");
        assert!(found("RN phone: ext 4512", PhiCategory::Phone).is_empty(), "a ward's extension");
        assert_eq!(found("Telephone # 6926", PhiCategory::Phone), ["6926"], "an extension alone after a phone word");
        assert!(found("Telephone 6926 for the front desk", PhiCategory::Phone).is_empty(), "a short number mid-sentence");
        assert!(found("Ph 7.4", PhiCategory::Phone).is_empty(), "a pH reading");
    }

    #[test]
    fn ordinary_hospital_text_is_not_phi() {
        for text in [
            "Happy Halloween from the NICU!",
            "Cardiology",
            "Wash your hands",
            "Open 24 hours",
            "Room 12",
            "Class of 2019",
            "Visiting hours 9-5",
            "Name",
            "Date of Birth",
            "Please call the nurse",
        ] {
            assert!(categories(text).is_empty(), "{text}: {:?}", scan(text));
        }
    }

    #[test]
    fn an_address_lines_state_and_zip_is_told_from_other_pairs_of_letters_and_digits() {
        assert!(is_state_and_zip("TX 79905"));
        assert!(is_state_and_zip(" PR  00901 "));
        for other in ["KH 98751", "TX 7990", "TX 79905 1", "TX-79905", "tx 79905"] {
            assert!(!is_state_and_zip(other), "{other}");
        }
    }
}
