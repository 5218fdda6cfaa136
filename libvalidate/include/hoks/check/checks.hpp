// Value checks of the eHOKS model that are not patterns (ehoks-model.md §0.2, §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hoks {

// A calendar date; comparable, with day arithmetic.
struct Date {
  int year = 0, month = 0, day = 0;
  auto operator<=>(const Date&) const = default;
  // Days since 1970-01-01.
  long days() const;
  static Date from_days(long days);
  // The current date in the local time zone (the default of ValidationOptions::today).
  static Date today();
  Date plus_days(long n) const { return from_days(days() + n); }
  // Java's LocalDate.plusYears: 29 Feb + 1 year = 28 Feb.
  Date plus_years(int n) const;
};

// Parses a strict ISO date YYYY-MM-DD (java.time.LocalDate.parse); nullopt when invalid.
std::optional<Date> parse_date(std::string_view s);
// Formats a date as YYYY-MM-DD.
void format_date(const Date& d, char out[11]);
// True for a lenient ISO-8601 date-time as Joda's dateTimeParser accepts it.
bool is_instant(std::string_view s);
// True when a person or study-right OID (already matching its pattern) has a valid check digit.
bool oid_check_digit_valid(std::string_view oid);
// The check digit an OID's first 10 body digits need, for generators (node 24: IBM 1-3-7, else Luhn).
int oid_check_digit(std::string_view node, std::string_view payload10);
// True when a Y-tunnus (already matching ^[0-9]{7}-[0-9]$) has a valid check digit.
bool y_tunnus_check_digit_valid(std::string_view y);
// The Y-tunnus check digit for 7 digits, or -1 when none exists (remainder 1).
int y_tunnus_check_digit(std::string_view digits7);
// True for a phone number eHOKS accepts (C-P1): at most 256 characters of [-+0-9() ].
bool phone_valid(std::string_view trimmed);
// The string without leading and trailing whitespace (Clojure's trim: Java whitespace).
std::string_view trim(std::string_view s);

}  // namespace hoks
