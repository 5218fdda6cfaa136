// Regular expressions of the model (Java syntax, `re-find` semantics), compiled once to a DFA.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hoks {

namespace detail {
// The automaton as tables: what precompile_yaml writes into the library for each pattern of the
// built-in models (views of this pattern's data).
struct PatternTables {
  std::string_view source;
  bool anchored_end = false;
  std::uint16_t class_count = 0, states = 0, start = 1, after_prefix = 1;
  std::string_view prefix;
  const std::uint8_t* classes = nullptr;    // 256: byte -> class
  const std::uint8_t* accepting = nullptr;  // per state: 1 when a match ends there
  const std::uint16_t* next = nullptr;      // state * class_count + class -> state (0 = dead)
};
}  // namespace detail

// A compiled pattern. Supports literals, `.`, `\d \w \s \.`-style escapes, [classes], groups with
// `|`, and the quantifiers ? * + {n} {n,} {n,m}; `^` and `$` as anchors. Like Java, `$` also
// matches before a final line terminator. Matching is linear in the input; no backtracking.
class Pattern {
 public:
  // Compiles `source`; returns nullopt and sets `error` when the syntax is not supported. The
  // patterns of the built-in models were compiled when the library was built: those are copied.
  static std::optional<Pattern> compile(std::string_view source, std::string* error = nullptr);
  // Compiles `source` now, without looking among the patterns compiled at build time.
  static std::optional<Pattern> build(std::string_view source, std::string* error = nullptr);

  detail::PatternTables tables() const;  // the automaton as tables (precompile_yaml writes them)

  // True when the pattern is found in `text` (Java's Matcher.find()).
  bool find(std::string_view text) const;
  // True when the match needed Java's "before a final line terminator" rule for `$`.
  bool needs_final_terminator(std::string_view text) const;

  const std::string& source() const { return source_; }

 private:
  Pattern() = default;
  explicit Pattern(const detail::PatternTables& t);
  bool run(std::string_view text, bool allow_terminator) const;

  std::string source_;
  bool anchored_end_ = false;
  std::uint8_t classes_[256] = {};
  std::uint16_t class_count_ = 0;
  std::vector<std::uint16_t> next_;  // state * class_count_ + class -> state (0 = dead)
  std::vector<std::uint8_t> accepting_;  // state -> 1 when accepting
  std::uint16_t start_ = 1;
  std::string prefix_;              // literal bytes every match starts with (anchored patterns)
  std::uint16_t after_prefix_ = 1;  // the state after prefix_
};

}  // namespace hoks
