//! Unix milliseconds as ISO 8601 UTC text (`2019-12-31T19:26:16.771Z`), for the meaning of every
//! timestamp field. No clock is read here: this only formats a number the caller already has.
//!
//! Days become a civil date with Howard Hinnant's `civil_from_days` ("chrono-Compatible Low-Level
//! Date Algorithms", public domain), which is exact for every date of the proleptic Gregorian
//! calendar, so a ULID's largest timestamp (year 10889) prints as correctly as a tweet's.

/// `2019-12-31T19:26:16.771Z` for `unix_ms` milliseconds since 1970-01-01T00:00:00Z (negative:
/// before it). Years beyond 9999 print with five digits.
pub fn format_unix_ms(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let ms_of_day = unix_ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, rest) = (ms_of_day / 3_600_000, ms_of_day % 3_600_000);
    let (min, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
}

/// (year, month 1–12, day 1–31) of the day `z` days after 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::format_unix_ms;

    #[test]
    fn known_instants() {
        let cases = [
            (0, "1970-01-01T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_288_834_974_657, "2010-11-04T01:42:54.657Z"),
            (1_409_529_600_000, "2014-09-01T00:00:00.000Z"),
            (1_645_557_742_000, "2022-02-22T19:22:22.000Z"),
            (281_474_976_710_655, "10889-08-02T05:31:50.655Z"),
        ];
        for (ms, want) in cases {
            assert_eq!(format_unix_ms(ms), want, "{ms}");
        }
    }
}
