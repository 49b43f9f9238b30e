//! One cache file: a header line (`{"wxpick_cache":VERSION,"key":...,"saved_at":...}`), then the
//! list: numbers as `{"phoneNumbers":[...]}`, each record as the API sent it (as `--output json`
//! writes it), read back by the same parser as the API's replies; locations as
//! `{"locations":[...]}`, each as wxpick keeps it (ID, name, address, calling line number).

use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::key::Key;
use crate::numbers::record::{NumberRecord, parse_page};
use crate::webex::locations::Location;

/// The format of the files this wxpick writes; a file of another version is ignored.
pub const FORMAT_VERSION: u32 = 1;

/// The longest header line read, newline included: a longer one is not looked at (a file
/// whose first line runs on for megabytes is no cache file). A list whose key would make a
/// longer header (a `--phone-number` list of hundreds) is not cached.
pub const HEADER_MAX: usize = 8 << 10;

/// Why a cache file was not used, or not written.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a wxpick cache file ({0})")]
    Corrupt(String),
    #[error("written in cache format {found}, this wxpick reads format {FORMAT_VERSION}")]
    Version { found: u64 },
    #[error("it holds another list")]
    Foreign,
    #[error("it is larger than the cache's bound ({bytes} bytes of at most {limit})")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("there is no cache directory: set WXPICK_CACHE_DIR or HOME")]
    NoDirectory,
    #[error("not using the cache: {0}")]
    Unsafe(String),
}

#[derive(Serialize, Deserialize)]
struct Header {
    wxpick_cache: u64,
    key: String,
    /// Seconds since the Unix epoch.
    saved_at: u64,
    numbers: usize,
}

#[derive(Deserialize)]
struct Locations {
    locations: Vec<Location>,
}

/// A list read from the cache.
#[derive(Debug)]
pub struct Entry<T = NumberRecord> {
    pub records: Vec<T>,
    /// How old the list was when it was read (zero for a clock set back).
    pub age: Duration,
}

/// What a file's items are, under which name its body holds them, and how they are read back.
pub trait Item: Serialize + Sized {
    const FIELD: &'static str;
    fn parse(body: &[u8]) -> Result<Vec<Self>, String>;
}

impl Item for NumberRecord {
    const FIELD: &'static str = "phoneNumbers";
    fn parse(body: &[u8]) -> Result<Vec<Self>, String> {
        parse_page(body).map(|p| p.numbers).map_err(|e| e.to_string())
    }
}

impl Item for Location {
    const FIELD: &'static str = "locations";
    fn parse(body: &[u8]) -> Result<Vec<Self>, String> {
        serde_json::from_slice::<Locations>(body).map(|l| l.locations).map_err(|e| e.to_string())
    }
}

/// Writes the file's content: header line, then the list.
pub fn write<T: Item>(w: &mut impl Write, key: &Key, records: &[T], now: SystemTime) -> Result<(), CacheError> {
    let saved_at = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let header = Header {
        wxpick_cache: u64::from(FORMAT_VERSION),
        key: key.as_str().to_string(),
        saved_at,
        numbers: records.len(),
    };
    let mut line = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
    line.push(b'\n');
    if line.len() > HEADER_MAX {
        return Err(CacheError::Corrupt(format!("a header of {} bytes, longer than {HEADER_MAX}", line.len())));
    }
    w.write_all(&line)?;
    write!(w, "{{\"{}\":", T::FIELD)?;
    serde_json::to_writer(&mut *w, records).map_err(std::io::Error::other)?;
    w.write_all(b"}\n")?;
    Ok(())
}

/// Reads a file's content as `key`'s list.
pub fn read<T: Item>(bytes: &[u8], key: &Key, now: SystemTime) -> Result<Entry<T>, CacheError> {
    let corrupt = |what: String| CacheError::Corrupt(what);
    // Only the first bytes are searched for the header's end, and so parsed.
    let end = memchr::memchr(b'\n', &bytes[..bytes.len().min(HEADER_MAX)])
        .ok_or_else(|| corrupt(format!("no header line in the first {HEADER_MAX} bytes")))?;
    let header: serde_json::Value =
        serde_json::from_slice(&bytes[..end]).map_err(|e| corrupt(format!("header: {e}")))?;
    // The version first: a later format may change the rest of the header.
    let found = header.get("wxpick_cache").and_then(|v| v.as_u64()).ok_or_else(|| corrupt("no version".into()))?;
    if found != u64::from(FORMAT_VERSION) {
        return Err(CacheError::Version { found });
    }
    let header: Header = serde_json::from_value(header).map_err(|e| corrupt(format!("header: {e}")))?;
    if header.key != key.as_str() {
        return Err(CacheError::Foreign);
    }
    let records = T::parse(&bytes[end + 1..]).map_err(corrupt)?;
    if records.len() != header.numbers {
        return Err(corrupt(format!("{} items, the header says {}", records.len(), header.numbers)));
    }
    let saved = UNIX_EPOCH + Duration::from_secs(header.saved_at);
    Ok(Entry { records, age: now.duration_since(saved).unwrap_or_default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::record::State;

    fn key() -> Key {
        Key::for_list("https://x/v1", &reqwest::Url::parse("https://x/v1/l").unwrap())
    }

    fn sample() -> Vec<NumberRecord> {
        let body = br#"{"phoneNumbers":[{"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":false,
            "tollFreeNumber":false,"isServiceNumber":true,"future":{"x":1}},
            {"phoneNumber":"+12056350002","isMainNumber":"false"}]}"#;
        parse_page(body).unwrap().numbers
    }

    #[test]
    fn records_come_back_as_sent_with_their_age() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut out = Vec::new();
        write(&mut out, &key(), &sample(), t0).unwrap();
        let entry: Entry = read(&out, &key(), t0 + Duration::from_secs(180)).unwrap();
        assert_eq!(entry.age, Duration::from_secs(180));
        assert_eq!(entry.records.len(), 2);
        assert_eq!(&*entry.records[0].phone_number, "+12056350001");
        assert_eq!(entry.records[0].state, State::Active);
        assert!(entry.records[0].is_service_number());
        // Unknown fields and a malformed record survive as the API sent them.
        let json = |r: &[NumberRecord]| serde_json::to_string(r).unwrap();
        assert_eq!(json(&entry.records), json(&sample()));
        assert!(json(&entry.records).contains(r#""future":{"x":1}"#));
        assert!(entry.records[1].fault().is_some());
    }

    #[test]
    fn locations_come_back_whole() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut paris = Location::new("L2", "Paris Opéra");
        paris.address = Some("1 rue Scribe, Paris, FR".into());
        paris.calling_line = Some("+33199000100".into());
        let all = vec![Location::new("L1", "Köln"), paris];
        let mut out = Vec::new();
        write(&mut out, &key(), &all, t0).unwrap();
        let entry: Entry<Location> = read(&out, &key(), t0).unwrap();
        assert_eq!(entry.records, all);
        // A numbers file is not a locations file, nor the other way round.
        assert!(read::<NumberRecord>(&out, &key(), t0).is_err());
    }

    #[test]
    fn another_version_another_list_and_garbage_are_refused() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut out = Vec::new();
        write(&mut out, &key(), &sample(), t0).unwrap();
        let other = Key::for_list("https://x/v1", &reqwest::Url::parse("https://x/v1/m").unwrap());
        let read = read::<NumberRecord>;
        assert!(matches!(read(&out, &other, t0), Err(CacheError::Foreign)));
        let text = String::from_utf8(out.clone()).unwrap();
        let v2 = text.replacen(r#"{"wxpick_cache":1,"#, r#"{"wxpick_cache":2,"other":true,"#, 1);
        assert!(matches!(read(v2.as_bytes(), &key(), t0), Err(CacheError::Version { found: 2 })));
        let cut = &out[..out.len() - 20];
        assert!(matches!(read(cut, &key(), t0), Err(CacheError::Corrupt(_))));
        for garbage in [&b""[..], b"\n", b"{}\n{}", b"\xff\xfe\n", b"{\"wxpick_cache\":1}\n{\"phoneNumbers\":[]}"] {
            assert!(matches!(read(garbage, &key(), t0), Err(CacheError::Corrupt(_))), "{garbage:?}");
        }
        // A header line longer than the bound is not parsed, whatever it holds.
        let text = String::from_utf8(out.clone()).unwrap();
        let padded = text.replacen(
            r#"{"wxpick_cache":1,"#,
            &format!(r#"{{"wxpick_cache":1,"pad":"{}","#, "x".repeat(HEADER_MAX)),
            1,
        );
        match read(padded.as_bytes(), &key(), t0) {
            Err(CacheError::Corrupt(why)) => assert!(why.contains("no header line in the first"), "{why}"),
            other => panic!("{:?}", other.map(|e| e.records.len())),
        }
        // Nor is one written.
        let long = Key::for_list(
            "https://x/v1",
            &reqwest::Url::parse(&format!("https://x/v1/l?phoneNumber={}", "1".repeat(HEADER_MAX))).unwrap(),
        );
        assert!(matches!(write(&mut Vec::new(), &long, &sample(), t0), Err(CacheError::Corrupt(_))));
        // A clock set back: age zero, not an error.
        assert_eq!(read(&out, &key(), t0 - Duration::from_secs(60)).unwrap().age, Duration::ZERO);
    }
}
