// Replaces personal data in HOKS documents with synthetic values, so failing examples can be shared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hoks/model/model.hpp"

namespace hoks {

struct AnonymizeOptions {
  std::uint64_t seed = 1;  // the same seed and input give the same output
  bool free_text = false;  // also replace free-text descriptions (kuvaus, tavoitteet, tehtävät ...)
};

// Replaces, in one document, a JSON array of documents or NDJSON: names of people, e-mail
// addresses, phone numbers, learner and study-right OIDs, Y-tunnukset, workplace and organisation
// names, yksilöivät tunnisteet and eid (and free text on request), and every string under a key the
// model does not know. Synthetic values keep each value's verdict: a valid OID or Y-tunnus gets a
// valid one (correct check digit), an invalid one an invalid one; empty strings stay empty; equal
// values stay equal. Everything else (layout, keys, dates, codes, numbers) is kept byte for byte.
// Throws std::invalid_argument "line:col: reason" for input that is not well-formed.
std::string anonymize(std::string_view text, const AnonymizeOptions& options = {},
                      const Model& model = Model::builtin());

}  // namespace hoks
