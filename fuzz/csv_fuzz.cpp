// Fuzzes the CSV reader in several dialects, and checks that writing what it read and reading
// that again gives back the same values (hoks/csv.hpp's round-trip promise, formulas left as is).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hoks/read/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the dialect; the rest is the input.
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  static constexpr char delimiters[] = {',', ';', '\t', '|'};
  hoks::csv::Dialect dialect;
  dialect.delimiter = delimiters[mode % 4];
  dialect.quote = (mode & 4) ? '\'' : '"';
  dialect.has_header = (mode & 8) != 0;
  dialect.trim = (mode & 16) != 0;
  const hoks::csv::ParseResult first = hoks::csv::parse(text, dialect);
  if (!first) {
    if (first.error->offset > text.size()) std::abort();
    return 0;
  }
  hoks::csv::WriteOptions options;
  options.line_ending = (mode & 32) ? hoks::csv::LineEnding::lf : hoks::csv::LineEnding::crlf;
  options.neutralise_formulas = false;
  const std::string written = hoks::csv::write(first.table, dialect, options);
  const hoks::csv::ParseResult second = hoks::csv::parse(written, dialect);
  if (!second) std::abort();
  if (second.table.header != first.table.header) std::abort();
  if (second.table.rows.size() != first.table.rows.size()) std::abort();
  for (std::size_t r = 0; r < first.table.rows.size(); ++r) {
    const auto& a = first.table.rows[r];
    const auto& b = second.table.rows[r];
    if (a.size() != b.size()) std::abort();
    for (std::size_t c = 0; c < a.size(); ++c)
      if (a[c].value != b[c].value) std::abort();
  }
  hoks::csv::to_objects(first.table);
  return 0;
}
