#include "hoks/check/checks.hpp"

#include <ctime>

namespace hoks {
namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int month_days(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}
bool digits(std::string_view s, std::size_t from, std::size_t n, int& value) {
  if (from + n > s.size()) return false;
  value = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

Date Date::today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

long Date::days() const {  // Howard Hinnant's days_from_civil
  const int y = year - (month <= 2);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

Date Date::from_days(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

Date Date::plus_years(int n) const {
  Date d{year + n, month, day};
  if (d.day > month_days(d.year, d.month)) d.day = month_days(d.year, d.month);
  return d;
}

std::optional<Date> parse_date(std::string_view s) {
  Date d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, d.year) || !digits(s, 5, 2, d.month) || !digits(s, 8, 2, d.day)) return std::nullopt;
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > month_days(d.year, d.month)) return std::nullopt;
  return d;
}

void format_date(const Date& d, char out[11]) {
  const int y = ((d.year % 10000) + 10000) % 10000;
  const int parts[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1, d.month / 10 % 10, d.month % 10, -1,
                       d.day / 10 % 10, d.day % 10};
  for (int i = 0; i < 10; ++i) out[i] = parts[i] < 0 ? '-' : static_cast<char>('0' + parts[i]);
  out[10] = '\0';
}

// Joda ISODateTimeFormat.dateTimeParser():
//   date-opt-time = date-element ['T' [time-element] [offset]]  |  'T' time-element [offset]
//   date-element  = yyyy ['-' MM ['-' dd]]  |  yyyy '-' 'W' ww ['-' e]  |  yyyy '-' DDD
//   time-element  = HH [':' mm [':' ss ['.' SSS...]]] (fractions also on HH or mm, with . or ,)
//   offset        = 'Z' | ('+'|'-') HH [':'] [mm]
bool is_instant(std::string_view s) {
  std::size_t i = 0;
  auto num = [&](std::size_t min_len, std::size_t max_len, int& v) {
    std::size_t n = 0;
    v = 0;
    while (i < s.size() && n < max_len && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0'), ++n;
    return n >= min_len;
  };
  auto fraction = [&]() {
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      int v;
      return num(1, 9, v);
    }
    return true;
  };
  auto time = [&]() {
    int hh, mm, ss;
    if (!num(2, 2, hh) || hh > 23) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!num(2, 2, mm) || mm > 59) return false;
      if (i < s.size() && s[i] == ':') {
        ++i;
        if (!num(2, 2, ss) || ss > 59) return false;
      }
    }
    return fraction();
  };
  auto offset = [&]() {
    if (i >= s.size()) return true;
    if (s[i] == 'Z') return ++i, true;
    if (s[i] != '+' && s[i] != '-') return true;
    ++i;
    int hh, mm;
    if (!num(2, 2, hh) || hh > 23) return false;
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size() && s[i] >= '0' && s[i] <= '9' && (!num(2, 2, mm) || mm > 59)) return false;
    return true;
  };
  if (i < s.size() && s[i] == 'T') {
    ++i;
    return time() && offset() && i == s.size();
  }
  int year, month = 1, day = 1;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (!num(4, 9, year)) return false;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (i < s.size() && s[i] == 'W') {
      ++i;
      int week, dow;
      if (!num(2, 2, week) || week < 1 || week > 53) return false;
      if (i < s.size() && s[i] == '-') {
        ++i;
        if (!num(1, 1, dow) || dow < 1 || dow > 7) return false;
      }
    } else {
      const std::size_t start = i;
      int v;
      if (!num(2, 3, v)) return false;
      if (i - start == 3) {
        if (v < 1 || v > (leap(year) ? 366 : 365)) return false;
      } else {
        month = v;
        if (month < 1 || month > 12) return false;
        if (i < s.size() && s[i] == '-') {
          ++i;
          if (!num(2, 2, day) || day < 1 || day > month_days(year, month)) return false;
        }
      }
    }
  }
  if (i < s.size() && s[i] == 'T') {
    ++i;
    if (i < s.size() && s[i] >= '0' && s[i] <= '9' && !time()) return false;
    if (!offset()) return false;
  }
  return i == s.size();
}

int oid_check_digit(std::string_view node, std::string_view payload) {
  int sum = 0;
  if (node == "24") {
    static const int weights[] = {7, 3, 1};
    for (std::size_t k = 0; k < payload.size(); ++k)
      sum += (payload[payload.size() - 1 - k] - '0') * weights[k % 3];
  } else {
    for (std::size_t k = 0; k < payload.size(); ++k) {
      int d = payload[payload.size() - 1 - k] - '0';
      if (k % 2 == 0) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
  }
  return (10 - sum % 10) % 10;
}

bool oid_check_digit_valid(std::string_view oid) {
  while (!oid.empty() && (oid.back() == '\n' || oid.back() == '\r')) oid.remove_suffix(1);
  std::string_view parts[6];
  std::size_t n = 0;
  while (n < 6) {
    const std::size_t dot = oid.find('.');
    parts[n++] = oid.substr(0, dot);
    if (dot == std::string_view::npos) break;
    oid.remove_prefix(dot + 1);
  }
  if (n != 6 || parts[5].size() < 11) return false;
  const std::string_view body = parts[5];
  const std::string_view check = body.substr(10);
  const int expected = oid_check_digit(parts[4], body.substr(0, 10));
  if (check == "10") return expected == 0;
  return check.size() == 1 && check[0] - '0' == expected;
}

int y_tunnus_check_digit(std::string_view d) {
  static const int weights[] = {7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int k = 0; k < 7; ++k) sum += (d[k] - '0') * weights[k];
  const int r = sum % 11;
  if (r == 0) return 0;
  if (r == 1) return -1;
  return 11 - r;
}

bool y_tunnus_check_digit_valid(std::string_view y) {
  if (y.size() < 9) return false;
  return y_tunnus_check_digit(y.substr(0, 7)) == y[8] - '0';
}

bool phone_valid(std::string_view s) {
  std::size_t chars = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '(' || c == ')' || c == ' ')) return false;
  }
  return chars <= 256;
}

namespace {
// Length of a Java whitespace character (Character.isWhitespace) at the start / end of s, or 0.
std::size_t leading_space(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.empty()) return 0;
  const unsigned char c = b(0);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) return 1;
  if (s.size() >= 3 && c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;  // U+1680
  if (s.size() >= 3 && c == 0xE2 && b(1) == 0x80 &&
      ((b(2) >= 0x80 && b(2) <= 0x86) || (b(2) >= 0x88 && b(2) <= 0x8A) || b(2) == 0xA8 || b(2) == 0xA9))
    return 3;  // U+2000..2006, U+2008..200A, U+2028, U+2029
  if (s.size() >= 3 && c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;  // U+205F
  if (s.size() >= 3 && c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;  // U+3000
  return 0;
}
std::size_t trailing_space(std::string_view s) {
  if (s.empty()) return 0;
  if (leading_space(s.substr(s.size() - 1)) == 1) return 1;
  if (s.size() >= 3 && leading_space(s.substr(s.size() - 3)) == 3) return 3;
  return 0;
}
}  // namespace

std::string_view trim(std::string_view s) {
  // clojure.string/trim: Character.isWhitespace at both ends.
  while (std::size_t n = leading_space(s)) s.remove_prefix(n);
  while (std::size_t n = trailing_space(s)) s.remove_suffix(n);
  return s;
}

}  // namespace hoks
