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
    assert!(strongest("Good Shepherd Medical Group · 3875 Sycamore Ln, El Paso, TX 79901") < 0.5);
    assert!(strongest("Home phone (617) 555-0134") >= 0.85, "a person's number");
    assert!(strongest("Questions? Call 1-800-555-0199") < 0.5, "toll-free");
    assert!(strongest("Main (617) 555-0100") < 0.5, "a switchboard");
    assert!(strongest("(800) 555-0169 · Fax 617-555-0102 · www.lakeview.example.org") < 0.5, "beside a toll-free number");
    assert!(found("Each capsule holds 20 mg of omeprazole dr. Usual dosage", PhiCategory::Name).is_empty(), "'dr.' of a drug's release");
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
fn a_banks_routing_number_is_not_a_persons_but_the_account_beside_it_is() {
    assert!(found("Routing 227077620", PhiCategory::OtherIdentifier).is_empty());
    assert!(found("ABA: 227077620", PhiCategory::OtherIdentifier).is_empty());
    let both = found("Acct 81315579976 Routing 227077620", PhiCategory::AccountNumber);
    assert_eq!(both, ["81315579976"]);
    assert_eq!(found("227077620", PhiCategory::OtherIdentifier), ["227077620"], "no label: anyone's");
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
