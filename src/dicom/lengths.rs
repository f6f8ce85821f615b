//! dicom-rs sets aside each element's declared length, zero-filled, before it reads the value:
//! a file of a few hundred bytes that declares a 4 GB value would take 4 GB of memory before it
//! failed. So every element header is walked first, values skipped unread, and a declared
//! length longer than the whole file (for a deflated data set: than it inflates to) is refused
//! before dicom-rs reads anything. The same walk fails a file cut short, which dicom-rs reads
//! as far as it goes when the cut falls in its pixel data's last fragment or delimiter.

use anyhow::{ensure, Context, Result};
use dicom_core::header::Length;
use dicom_core::Tag;
use dicom_encoding::transfer_syntax::Codec;
use dicom_encoding::{TransferSyntax, TransferSyntaxIndex};
use dicom_object::meta::FileMetaTable;
use dicom_parser::dataset::lazy_read::LazyDataSetReader;
use dicom_parser::dataset::LazyDataToken;
use dicom_parser::stateful::decode::StatefulDecode;
use dicom_transfer_syntax_registry::TransferSyntaxRegistry;
use std::io::{Cursor, Read};

/// Where the file meta group starts: after the 128-byte preamble and `DICM`.
const META_START: usize = 132;

/// Fails when any element of the DICOM file `bytes` declares more bytes than the file holds.
pub fn check(bytes: &[u8]) -> Result<()> {
    let limit = bytes.len() as u64;
    let meta_syntax = registered(super::EXPLICIT_VR_LITTLE_ENDIAN).context("no explicit VR little endian")?;
    let meta_group = bytes.get(META_START..).context("the file ends inside its preamble")?;
    let meta_end = walk(meta_group, meta_syntax, limit, |tag| tag.group() != 0x0002)?;

    let meta = FileMetaTable::from_reader(&bytes[META_START - 4..]).context("cannot read the file meta header")?;
    let Some(syntax) = registered(meta.transfer_syntax().trim_end_matches('\0')) else {
        return Ok(()); // unknown: dicom-rs refuses it without reading the data set
    };
    let data_set = usize::try_from(meta_end).ok().and_then(|end| meta_group.get(end..)).unwrap_or_default();
    if matches!(syntax.codec(), Codec::Dataset(_)) {
        // Deflated explicit VR little endian: walked as dicom-rs will read it, inflated.
        let inflated = inflate(data_set)?;
        return walk(&inflated, meta_syntax, limit.max(inflated.len() as u64), |_| false).map(|_| ());
    }
    walk(data_set, syntax, limit, |_| false).map(|_| ())
}

/// A deflated data set, inflated up to the most a decodable object may hold.
fn inflate(deflated: &[u8]) -> Result<Vec<u8>> {
    let mut inflated = Vec::new();
    let most = super::pixels::MAX_DECODED_BYTES + (1 << 20);
    flate2::read::DeflateDecoder::new(deflated).take(most + 1).read_to_end(&mut inflated).context("cannot inflate the data set")?;
    ensure!(inflated.len() as u64 <= most, "the deflated data set inflates to more than {most} bytes");
    Ok(inflated)
}

fn registered(uid: &str) -> Option<&'static TransferSyntax> {
    TransferSyntaxRegistry.get(uid)
}

/// Walks the elements of `data` in `syntax` up to the first whose tag `stops` it, and returns
/// where the last element before it ended. A data set that ends inside a value, a sequence or
/// its pixel data fails: a truncated file, which dicom-rs would read as far as it goes. Any
/// other header the walk cannot read ends it quietly: dicom-rs fails at the same place when it
/// reads, before it reaches anything further.
fn walk(data: &[u8], syntax: &TransferSyntax, limit: u64, stops: impl Fn(Tag) -> bool) -> Result<u64> {
    const TRUNCATED: &str = "the file ends inside a sequence or its pixel data: it is truncated";
    let mut end = 0;
    // Sequences, items and pixel data begun and not yet ended.
    let mut open = 0usize;
    let Ok(mut reader) = LazyDataSetReader::new_with_ts(Cursor::new(data), syntax) else {
        return Ok(end);
    };
    while let Some(next) = reader.advance() {
        let Ok(token) = next else {
            ensure!(open == 0, TRUNCATED);
            break;
        };
        let mut value_end = 0;
        let (tag, declared) = match &token {
            LazyDataToken::ElementHeader(header) => (Some(header.tag), header.len),
            LazyDataToken::SequenceStart { tag, len } => {
                open += 1;
                (Some(*tag), *len)
            }
            LazyDataToken::PixelSequenceStart => {
                open += 1;
                (None, Length::UNDEFINED)
            }
            LazyDataToken::ItemStart { len } => {
                open += 1;
                (None, *len)
            }
            LazyDataToken::SequenceEnd | LazyDataToken::ItemEnd => {
                open = open.saturating_sub(1);
                (None, Length::UNDEFINED)
            }
            LazyDataToken::LazyItemValue { len, decoder } => {
                value_end = decoder.position() + u64::from(*len);
                (None, Length(*len))
            }
            LazyDataToken::LazyValue { header, decoder } => {
                end = decoder.position() + u64::from(header.len.0);
                value_end = end;
                (None, Length::UNDEFINED)
            }
            _ => (None, Length::UNDEFINED),
        };
        if tag.is_some_and(&stops) {
            return Ok(end);
        }
        if let Some(length) = declared.get() {
            ensure!(u64::from(length) <= limit, "an element declares {length} bytes, more than the {limit} bytes of the whole file");
        }
        ensure!(value_end <= data.len() as u64, "the file ends inside an element's value: it is truncated");
        if token.skip().is_err() {
            break;
        }
    }
    ensure!(open == 0, TRUNCATED);
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dicom_core::{DataElement, PrimitiveValue, VR};
    use dicom_dictionary_std::tags;
    use dicom_object::meta::FileMetaTableBuilder;
    use dicom_object::InMemDicomObject;

    const DEFLATED: &str = "1.2.840.10008.1.2.1.99";

    /// A small object whose Patient Name declares `declared` bytes, in `syntax`.
    fn object_declaring(declared: u32, syntax: &str) -> Vec<u8> {
        let object = InMemDicomObject::from_element_iter([
            DataElement::new(tags::SOP_CLASS_UID, VR::UI, PrimitiveValue::from("1.2.840.10008.5.1.4.1.1.7")),
            DataElement::new(tags::PATIENT_NAME, VR::PN, PrimitiveValue::from("DOE^JANE")),
            DataElement::new(tags::PATIENT_ID, VR::LO, PrimitiveValue::from("4471923")),
        ]);
        let meta = FileMetaTableBuilder::new()
            .media_storage_sop_class_uid("1.2.840.10008.5.1.4.1.1.7")
            .media_storage_sop_instance_uid("1.2.3.4")
            .transfer_syntax(syntax)
            .build()
            .unwrap();
        let mut bytes = Vec::new();
        object.with_exact_meta(meta).write_all(&mut bytes).unwrap();
        if syntax != DEFLATED {
            set_name_length(&mut bytes, declared, syntax == "1.2.840.10008.1.2");
            return bytes;
        }
        // Deflated: the length is set in the inflated data set, deflated again.
        let explicit = registered(super::super::EXPLICIT_VR_LITTLE_ENDIAN).unwrap();
        let data_set = META_START + walk(&bytes[META_START..], explicit, u64::MAX, |tag| tag.group() != 2).unwrap() as usize;
        let mut inflated = inflate(&bytes[data_set..]).unwrap();
        set_name_length(&mut inflated, declared, false);
        let mut deflater = flate2::write::DeflateEncoder::new(bytes[..data_set].to_vec(), flate2::Compression::default());
        std::io::Write::write_all(&mut deflater, &inflated).unwrap();
        deflater.finish().unwrap()
    }

    /// Explicit VR: a 2-byte length just before the value; implicit: 4 bytes.
    fn set_name_length(bytes: &mut [u8], declared: u32, implicit: bool) {
        let name = bytes.windows(8).position(|w| w == b"DOE^JANE").unwrap();
        if implicit {
            bytes[name - 4..name].copy_from_slice(&declared.to_le_bytes());
        } else {
            bytes[name - 2..name].copy_from_slice(&(declared as u16).to_le_bytes());
        }
    }

    #[test]
    fn a_length_past_the_end_of_the_file_is_refused_before_it_is_read() {
        let implicit = "1.2.840.10008.1.2";
        check(&object_declaring(8, implicit)).unwrap();
        let error = check(&object_declaring(0xFFFF_FFF0, implicit)).unwrap_err().to_string();
        assert!(error.contains("4294967280 bytes"), "{error}");
        // A length the file could hold, but more than is left of it: the file is cut short.
        let error = check(&object_declaring(40, implicit)).unwrap_err().to_string();
        assert!(error.contains("truncated"), "{error}");
        let explicit = super::super::EXPLICIT_VR_LITTLE_ENDIAN;
        check(&object_declaring(8, explicit)).unwrap();
        check(&object_declaring(60_000, explicit)).unwrap_err();
        check(&object_declaring(8, DEFLATED)).unwrap();
        check(&object_declaring(60_000, DEFLATED)).unwrap_err();
    }

    #[test]
    fn a_file_cut_anywhere_in_its_pixel_data_is_refused() {
        // RLE, made by DCMTK (fuzz/make-seeds.sh): a sequence of fragments and its delimiter.
        let whole = include_bytes!("../../fuzz/seeds/dicom/rgb-rle.dcm");
        check(whole).unwrap();
        for cut in [1, 3, 8, 9, 100] {
            let error = check(&whole[..whole.len() - cut]).unwrap_err().to_string();
            assert!(error.contains("truncated"), "{cut} bytes off: {error}");
        }
    }
}
