//! The header's de-identification: DICOM PS3.15 Annex E's Basic Application Level
//! Confidentiality Profile, applied to every attribute it lists from its table
//! (`basic_profile.tsv`, whose head names the source), inside sequences too; private
//! attributes and overlay planes removed; UIDs replaced the same way throughout a run.

use super::uids::UidKey;
use anyhow::{bail, Context, Result};
use dicom_core::header::Header;
use dicom_core::value::{DataSetSequence, Value};
use dicom_core::{DataElement, PrimitiveValue, Tag, VR};
use dicom_object::InMemDicomObject;
use serde::{Deserialize, Serialize};

const BASIC_PROFILE: &str = include_str!("basic_profile.tsv");

/// What is done with one attribute. The table's "a unless conformance needs b" choices are
/// settled here without knowing the object's type requirements: emptying, where allowed,
/// keeps the attribute present (as a Type 2 needs) and its value gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// D: a dummy value of the attribute's kind.
    Dummy,
    /// Z: present with no value.
    Empty,
    /// X: gone.
    Remove,
    /// U: a UID standing for the original, the same for it throughout the run.
    NewUid,
}

impl Action {
    fn from_table(code: &str) -> Result<Self> {
        Ok(match code {
            "D" | "X/D" => Action::Dummy,
            "Z" | "Z/D" | "X/Z" | "X/Z/D" | "X/Z/U*" => Action::Empty,
            "X" => Action::Remove,
            "U" => Action::NewUid,
            other => bail!("unknown action {other:?}"),
        })
    }
}

/// A tag in the table, where a masked digit (`x`) matches any.
#[derive(Debug, Clone, Copy)]
struct TagPattern {
    tag: Tag,
    mask: Tag,
}

impl TagPattern {
    fn parse(text: &str) -> Result<Self> {
        let inner = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')).context("not (gggg,eeee)")?;
        let (group, element) = inner.split_once(',').context("not (gggg,eeee)")?;
        let (group, group_mask) = Self::half(group)?;
        let (element, element_mask) = Self::half(element)?;
        Ok(Self { tag: Tag(group, element), mask: Tag(group_mask, element_mask) })
    }

    fn half(digits: &str) -> Result<(u16, u16)> {
        if digits.len() != 4 {
            bail!("{digits:?} is not four hex digits");
        }
        let value = u16::from_str_radix(&digits.replace('x', "0"), 16).with_context(|| format!("{digits:?} is not hex"))?;
        let mask = digits.chars().fold(0u16, |mask, digit| mask << 4 | if digit == 'x' { 0 } else { 0xF });
        Ok((value, mask))
    }

    fn matches(&self, tag: Tag) -> bool {
        tag.0 & self.mask.0 == self.tag.0 && tag.1 & self.mask.1 == self.tag.1
    }
}

/// How many attributes the profile changed in one object, nested ones included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeCounts {
    pub removed: usize,
    pub emptied: usize,
    pub replaced: usize,
}

pub struct Profile {
    rules: Vec<(TagPattern, Action)>,
}

impl Profile {
    /// The Basic Application Level Confidentiality Profile, from its table.
    pub fn basic() -> Result<Self> {
        let mut rules = Vec::new();
        for (number, line) in BASIC_PROFILE.lines().enumerate().filter(|(_, line)| !line.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(tag), Some(action)) = (fields.next(), fields.next()) else {
                bail!("basic_profile.tsv line {}: not tag<TAB>action", number + 1);
            };
            let rule = (TagPattern::parse(tag)?, Action::from_table(action)?);
            rules.push(rule);
        }
        Ok(Self { rules })
    }

    fn action_for(&self, tag: Tag) -> Option<Action> {
        self.rules.iter().find(|(pattern, _)| pattern.matches(tag)).map(|&(_, action)| action)
    }

    /// `dataset` de-identified: a new object, the original untouched.
    pub fn apply(&self, dataset: &InMemDicomObject, uids: &UidKey, counts: &mut AttributeCounts) -> Result<InMemDicomObject> {
        let mut out = InMemDicomObject::new_empty();
        for element in dataset.iter() {
            let tag = element.tag();
            if is_private(tag) || is_overlay(tag) {
                counts.removed += 1;
                continue;
            }
            if tag.1 == 0 {
                // Group lengths: stale once anything changed, and optional.
                continue;
            }
            match self.action_for(tag) {
                None => {
                    out.put(self.keep(element, uids, counts)?);
                }
                Some(Action::Remove) => counts.removed += 1,
                Some(Action::Empty) => {
                    counts.emptied += 1;
                    out.put(emptied(tag, element.vr()));
                }
                Some(Action::NewUid) => {
                    counts.replaced += 1;
                    out.put(new_uids(element, uids)?);
                }
                Some(Action::Dummy) => {
                    counts.replaced += 1;
                    out.put(if element.vr() == VR::UI { new_uids(element, uids)? } else { dummy(tag, element.vr()) });
                }
            }
        }
        Ok(out)
    }

    /// An attribute the profile keeps: as it is, or for a sequence, its items de-identified.
    fn keep(
        &self,
        element: &DataElement<InMemDicomObject>,
        uids: &UidKey,
        counts: &mut AttributeCounts,
    ) -> Result<DataElement<InMemDicomObject>> {
        match element.value() {
            Value::Sequence(sequence) => {
                let items = sequence.items().iter().map(|item| self.apply(item, uids, counts)).collect::<Result<Vec<_>>>()?;
                Ok(DataElement::new(element.tag(), VR::SQ, DataSetSequence::from(items)))
            }
            _ => Ok(element.clone()),
        }
    }
}

/// Odd groups are private; (0001-0007,xxxx) and (FFFF,xxxx) are not allowed at all.
fn is_private(tag: Tag) -> bool {
    tag.0 % 2 == 1
}

/// Overlay planes (60xx): graphics laid over the pixels, where annotations may be.
fn is_overlay(tag: Tag) -> bool {
    (0x6000..=0x60FF).contains(&tag.0)
}

fn emptied(tag: Tag, vr: VR) -> DataElement<InMemDicomObject> {
    match vr {
        VR::SQ => DataElement::new(tag, VR::SQ, DataSetSequence::<InMemDicomObject>::from(Vec::new())),
        vr => DataElement::new(tag, vr, PrimitiveValue::Empty),
    }
}

/// A value of the attribute's kind that says nothing about anyone.
fn dummy(tag: Tag, vr: VR) -> DataElement<InMemDicomObject> {
    let value = match vr {
        VR::DA => PrimitiveValue::from("19000101"),
        VR::TM => PrimitiveValue::from("000000"),
        VR::DT => PrimitiveValue::from("19000101000000"),
        VR::IS | VR::DS => PrimitiveValue::from("0"),
        VR::AS => PrimitiveValue::from("000Y"),
        VR::AE | VR::CS | VR::SH | VR::LO | VR::ST | VR::LT | VR::UT | VR::UC | VR::PN => PrimitiveValue::from("ANONYMIZED"),
        VR::US => PrimitiveValue::from(0_u16),
        VR::SS => PrimitiveValue::from(0_i16),
        VR::UL => PrimitiveValue::from(0_u32),
        VR::SL => PrimitiveValue::from(0_i32),
        VR::FL => PrimitiveValue::from(0_f32),
        VR::FD => PrimitiveValue::from(0_f64),
        // Binary values, sequences and the rest: no value is the only one that says nothing.
        _ => return emptied(tag, vr),
    };
    DataElement::new(tag, vr, value)
}

fn new_uids(element: &DataElement<InMemDicomObject>, uids: &UidKey) -> Result<DataElement<InMemDicomObject>> {
    let text = element.value().to_str().with_context(|| format!("UID {} is not text", element.tag()))?;
    let replaced: Vec<String> = text.split('\\').map(|uid| uids.replace(uid)).collect();
    Ok(DataElement::new(element.tag(), VR::UI, PrimitiveValue::Strs(replaced.into())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dicom_dictionary_std::tags;

    fn key() -> UidKey {
        UidKey::from_bytes([7; 32])
    }

    #[test]
    fn the_table_reads_whole_and_names_the_usual_identifiers() {
        let profile = Profile::basic().unwrap();
        assert!(profile.rules.len() > 600);
        assert_eq!(profile.action_for(tags::PATIENT_NAME), Some(Action::Empty));
        assert_eq!(profile.action_for(tags::STUDY_INSTANCE_UID), Some(Action::NewUid));
        assert_eq!(profile.action_for(tags::ISSUER_OF_PATIENT_ID), Some(Action::Remove));
        assert_eq!(profile.action_for(Tag(0x5002, 0x3000)), Some(Action::Remove));
        assert_eq!(profile.action_for(tags::ROWS), None);
    }

    #[test]
    fn identifiers_go_nested_ones_too_and_uids_map_the_same_way_everywhere() {
        let study = "1.2.826.0.1.3680043.8.498.1";
        let referenced = InMemDicomObject::from_element_iter([
            DataElement::new(tags::REFERENCED_SOP_INSTANCE_UID, VR::UI, PrimitiveValue::from(study)),
            DataElement::new(tags::PATIENT_NAME, VR::PN, PrimitiveValue::from("Doe^Jane")),
        ]);
        let dataset = InMemDicomObject::from_element_iter([
            DataElement::new(tags::PATIENT_NAME, VR::PN, PrimitiveValue::from("Doe^Jane")),
            DataElement::new(tags::PATIENT_BIRTH_DATE, VR::DA, PrimitiveValue::from("19700101")),
            DataElement::new(tags::ISSUER_OF_PATIENT_ID, VR::LO, PrimitiveValue::from("MERCY-MRN")),
            DataElement::new(tags::STUDY_INSTANCE_UID, VR::UI, PrimitiveValue::from(study)),
            DataElement::new(tags::ROWS, VR::US, PrimitiveValue::from(64_u16)),
            DataElement::new(Tag(0x0029, 0x1010), VR::LO, PrimitiveValue::from("private")),
            DataElement::new(Tag(0x6000, 0x3000), VR::OW, PrimitiveValue::U8(vec![1, 2].into())),
            DataElement::new(tags::CONTRIBUTING_EQUIPMENT_SEQUENCE, VR::SQ, DataSetSequence::from(vec![referenced])),
        ]);
        let mut counts = AttributeCounts::default();
        let out = Profile::basic().unwrap().apply(&dataset, &key(), &mut counts).unwrap();

        assert!(out.get(tags::PATIENT_NAME).unwrap().value().to_str().unwrap().is_empty());
        assert!(out.get(tags::PATIENT_BIRTH_DATE).unwrap().value().to_str().unwrap().is_empty());
        assert!(out.get(tags::ISSUER_OF_PATIENT_ID).is_none());
        assert!(out.get(Tag(0x0029, 0x1010)).is_none() && out.get(Tag(0x6000, 0x3000)).is_none());
        assert_eq!(out.get(tags::ROWS).unwrap().value().to_int::<u16>().unwrap(), 64);
        let new_study = out.get(tags::STUDY_INSTANCE_UID).unwrap().value().to_str().unwrap().to_string();
        assert_ne!(new_study, study);
        assert!(new_study.starts_with("2.25."));
        let Value::Sequence(nested) = out.get(tags::CONTRIBUTING_EQUIPMENT_SEQUENCE).unwrap().value() else { panic!("not a sequence") };
        let item = &nested.items()[0];
        assert_eq!(item.get(tags::REFERENCED_SOP_INSTANCE_UID).unwrap().value().to_str().unwrap(), new_study);
        assert!(item.get(tags::PATIENT_NAME).unwrap().value().to_str().unwrap().is_empty());
        assert_eq!(counts, AttributeCounts { removed: 3, emptied: 3, replaced: 2 });
    }
}
