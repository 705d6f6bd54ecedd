//! The calendar the server counts in: days since 1970-01-01 (UTC) and their `YYYY-MM-DD` dates,
//! after Howard Hinnant's `days_from_civil` and `civil_from_days` (no time zone is involved).

use std::time::{SystemTime, UNIX_EPOCH};

/// Today, in days since 1970-01-01 (UTC).
pub fn today() -> i64 {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
    i64::try_from(seconds / 86_400).unwrap_or(0)
}

/// The day `YYYY-MM-DD` names, in days since 1970-01-01; `None` for anything else.
pub fn parse_day(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=days_in_month).contains(&day) {
        return None;
    }
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// `YYYY-MM-DD` of a day counted since 1970-01-01.
pub fn format_day(days: i64) -> String {
    let (year, month, day) = civil(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The first day of the month `months_back` months before the month of `days`.
pub fn month_start(days: i64, months_back: i64) -> i64 {
    let (year, month, _) = civil(days);
    let index = year * 12 + month - 1 - months_back;
    let text = format!("{:04}-{:02}-01", index.div_euclid(12), index.rem_euclid(12) + 1);
    parse_day(&text).unwrap_or(days)
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

/// `YYYY-MM-DD` of a Unix time.
pub fn date_of_unix(seconds: u64) -> String {
    format_day(i64::try_from(seconds / 86_400).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_bad_dates_are_refused() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2026-11-28"), Some(20_785));
        assert_eq!(format_day(20_785), "2026-11-28");
        assert_eq!(format_day(parse_day("2024-02-29").unwrap()), "2024-02-29");
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "26-11-28", "2026-11-28T00", "", "aaaa-bb-cc"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(format_day(month_start(parse_day("2026-11-28").unwrap(), 11)), "2025-12-01");
        assert_eq!(format_day(month_start(parse_day("2026-01-31").unwrap(), 1)), "2025-12-01");
    }

    #[test]
    fn unix_times_to_dates() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(1_709_251_200), "2024-03-01");
        assert_eq!(date_of_unix(4_107_542_399), "2100-02-28");
    }
}
