// Internal: the vendor readers and writers behind Profile::read and Profile::write.
#pragma once

#include <string>
#include <vector>

#include "convert/convert_internal.hpp"
#include "hoks/convert/mapping.hpp"

namespace hoks {

Conversion read_vendor_xml(const Profile& profile, const Model& model, const std::vector<NamedFile>& input);
Conversion read_vendor_csv(const Profile& profile, const Model& model, const std::vector<NamedFile>& input);
Output write_vendor_xml(const Profile& profile, const Model& model, const Json& document);
Output write_vendor_csv(const Profile& profile, const Model& model, const Json& document);

// Converts the vendor text of a plain value (entry e, model type `type`) into its canonical value;
// a value a transform cannot convert gives transform-failed at `where` and stays a string.
Json read_plain(const MappingEntry& e, const ValueType* type, const std::string& text, const Location& where,
                const std::string& pointer, bool decimal_comma, Conversion& out);
// The canonical value of a constant or default given as text (typed by the model type).
Json typed_text(const std::string& text, const ValueType* type, std::uint32_t origin);
// Converts a canonical plain value to vendor text; false (with a transform-failed finding at
// `pointer`; text holds the best effort) when the value cannot be expressed.
bool write_plain(const MappingEntry& e, const Json& v, std::string& text, const std::string& pointer,
                 bool decimal_comma, Output& out);
// Reports canonical members of `object` that no entry maps (information the vendor format loses).
void report_unwritten(const std::vector<MappingEntry>& entries, const Json& object, const std::string& pointer,
                      const Profile& profile, Output& out);
// The severity of unmapped input under the profile.
inline Severity unmapped_severity(const Profile& p) { return p.strict ? Severity::error : Severity::warning; }
// Splits `text` at every occurrence of `separator`.
std::vector<std::string> split_text(const std::string& text, const std::string& separator);

}  // namespace hoks
