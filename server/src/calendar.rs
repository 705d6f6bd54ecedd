//! The one date type of the server, [`Day`] (a day, UTC: `time::Date`), from the dates sources
//! and visitors write to the `YYYY-MM-DD` the contract and the open data carry; no time zone is
//! involved.

use time::{Month, OffsetDateTime};

pub use time::Date as Day;

/// Today (UTC).
pub fn today() -> Day {
    OffsetDateTime::now_utc().date()
}

/// The current time, UTC, as RFC 3339 (what Atom's `updated` is).
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    format!("{}T{:02}:{:02}:{:02}Z", now.date(), now.hour(), now.minute(), now.second())
}

/// The day `YYYY-MM-DD` names; `None` for anything else (`2026-02-29`, `2026-1-01`, a time).
pub fn parse_day(text: &str) -> Option<Day> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        let digits = text.get(range)?;
        digits.bytes().all(|byte| byte.is_ascii_digit()).then(|| digits.parse::<u16>().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Day::from_calendar_date(i32::from(year), month, u8::try_from(day).ok()?).ok()
}

/// The day a source's date or timestamp is of (`2024-03-01`, `2024-03-01T10:00:00Z`,
/// `2024-03-01 10:00:00`): its first ten characters when they are a day and what follows is a
/// time; `None` for anything else, which a source may well send.
pub fn day_of(text: &str) -> Option<Day> {
    let text = text.trim();
    let rest = text.get(10..)?;
    if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
        return None;
    }
    parse_day(text.get(..10)?)
}

/// The day of a Unix time.
pub fn day_of_unix(seconds: u64) -> Day {
    let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(seconds).map_or(Day::MAX, OffsetDateTime::date)
}

/// Days since 1970-01-01: how a day is stored.
pub fn unix_days(day: Day) -> i64 {
    i64::from(day.to_julian_day() - UNIX_EPOCH_JULIAN)
}

/// The day `unix_days` gave (`None` outside the dates `time` knows).
pub fn from_unix_days(days: i64) -> Option<Day> {
    let julian = i32::try_from(days).ok()?.checked_add(UNIX_EPOCH_JULIAN)?;
    Day::from_julian_day(julian).ok()
}

/// The first day of the month `months_back` months before the month of `day`.
pub fn month_start(day: Day, months_back: u32) -> Day {
    first_of_month(day, -i32::try_from(months_back).unwrap_or(i32::MAX))
}

/// The first day of the month after `day`'s.
pub fn next_month(day: Day) -> Day {
    first_of_month(day, 1)
}

/// The first day of the month `months` months after `day`'s (before it when negative).
fn first_of_month(day: Day, months: i32) -> Day {
    let index = (day.year() * 12 + i32::from(u8::from(day.month())) - 1).saturating_add(months);
    let month = u8::try_from(index.rem_euclid(12) + 1).ok().and_then(|month| Month::try_from(month).ok());
    month.and_then(|month| Day::from_calendar_date(index.div_euclid(12), month, 1).ok()).unwrap_or(day)
}

/// `YYYY-MM` of `day`.
pub fn month_of(day: Day) -> String {
    format!("{:04}-{:02}", day.year(), u8::from(day.month()))
}

/// 1970-01-01's Julian day number.
const UNIX_EPOCH_JULIAN: i32 = 2_440_588;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_bad_dates_are_refused() {
        let day = |text| parse_day(text).unwrap();
        assert_eq!(unix_days(day("1970-01-01")), 0);
        assert_eq!(unix_days(day("2026-11-28")), 20_785);
        assert_eq!(from_unix_days(20_785).unwrap().to_string(), "2026-11-28");
        assert_eq!(day("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-11-28",
            "2026-11-28T00",
            "",
            "aaaa-bb-cc",
            "+026-11-28",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(month_start(day("2026-11-28"), 11).to_string(), "2025-12-01");
        assert_eq!(month_start(day("2026-01-31"), 1).to_string(), "2025-12-01");
        assert_eq!(next_month(day("2026-01-31")).to_string(), "2026-02-01");
        assert_eq!(month_of(day("2026-01-31")), "2026-01");
    }

    #[test]
    fn sources_dates_and_timestamps_to_days() {
        assert_eq!(day_of("2024-03-01T10:00:00Z").unwrap().to_string(), "2024-03-01");
        assert_eq!(day_of(" 2024-03-01 10:00:00").unwrap().to_string(), "2024-03-01");
        assert_eq!(day_of("2024-03-01").unwrap().to_string(), "2024-03-01");
        for bad in ["2024-03-0110:00", "2024-02-30T00:00:00Z", "hier", "", "2024-03"] {
            assert_eq!(day_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_times_to_days() {
        assert_eq!(day_of_unix(0).to_string(), "1970-01-01");
        assert_eq!(day_of_unix(1_709_251_200).to_string(), "2024-03-01");
        assert_eq!(day_of_unix(4_107_542_399).to_string(), "2100-02-28");
        assert_eq!(now_rfc3339().len(), "2026-12-05T00:00:00Z".len());
    }
}
