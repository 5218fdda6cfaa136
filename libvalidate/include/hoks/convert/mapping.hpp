// Mapping profiles: declarative YAML descriptions of how a vendor's XML or CSV export maps to the
// canonical model, used in both directions (vendor -> canonical JSON, canonical JSON -> vendor).
// docs/mapping.md is the reference of the profile language; schema/profiles/ holds the built-in
// profiles (canonical XML, canonical CSV and two example vendor profiles).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/convert/convert.hpp"
#include "hoks/read/xml.hpp"

namespace hoks {

// A profile that cannot be used: the message names the profile file and the YAML line.
struct ProfileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One value transform (docs/mapping.md, "Transforms").
struct Transform {
  enum class Kind { date, boolean, codes, prefix, trim, decimal_comma, number };
  Kind kind = Kind::trim;
  std::string text;                                         // date: pattern; prefix: the prefix; number: thousands separator
  std::string decimal = ".";                                // number: the decimal separator
  std::vector<std::string> trues, falses;                   // boolean: accepted words, first is written
  std::vector<std::pair<std::string, std::string>> codes;   // codes: vendor code -> canonical value

  // Vendor text -> canonical text; false when the value cannot be converted.
  bool read(std::string& value) const;
  // Canonical text -> vendor text; false (the value unchanged) when it cannot be expressed.
  bool write(std::string& value) const;
  // The accepted forms, for messages ("d.M.yyyy", "K, E", "KS, OS").
  std::string describe() const;
};

// One entry of a profile's `fields` list.
struct MappingEntry {
  std::string field;                 // canonical key; "" for a vendor-only entry (fixed/ignore)
  std::string path;                  // XML path or CSV column ("" when nested data shares the context)
  std::vector<Transform> transforms; // applied in order when reading, in reverse when writing
  std::optional<std::string> default_value;  // read: used when the input is empty; write: omitted when equal
  std::optional<std::string> constant;       // read: the canonical value; write: nothing
  std::optional<std::string> fixed;          // vendor-only: written as is; read: must be this
  bool ignore = false;               // vendor-only: read and dropped (not written back)
  bool keep_empty = false;           // arrays: an absent list reads as []
  std::string split;                 // lists of plain values held in one cell or attribute
  // template: "{A} {B}". With `field`: A, B are XML paths or columns joined into the value (split
  // back on writing). Without: the text at `path` holds parts A, B, read by the `fields` whose `part` names them.
  std::vector<std::string> template_texts;  // the literal texts around the placeholders (one more than names)
  std::vector<std::string> template_names;  // the placeholders, in order
  std::string part;                  // a field of a template entry without `field`: the placeholder it reads
  struct Condition {
    std::string path;                 // XML path or CSV column, in the entry's context
    std::vector<std::string> values;  // the entry applies when the text there is one of these
  };
  std::optional<Condition> when;     // constants, objects and lists of objects: only when this holds
  std::vector<MappingEntry> fields;  // objects and arrays of objects
  std::vector<std::string> key;      // CSV: columns whose values tell items (rows) apart
  std::string table;                 // CSV: the file that holds this array's rows
  std::vector<std::string> link;     // CSV: columns of `table` that hold the parent's key values
  const ValueType* type = nullptr;   // the model type of `field`
  int line = 0;                      // line of the entry in the profile
};

class Profile {
 public:
  enum class Format { xml, csv, canonical_xml, canonical_csv };

  // Values given for the profile's `context` (NAME, VALUE), replacing its own.
  using ContextValues = std::vector<std::pair<std::string, std::string>>;
  // Reads a profile from YAML text; throws ProfileError naming `source` and the line (also for a
  // `context` value given that the profile does not have).
  static Profile load(std::string_view yaml_text, std::string_view source = "profile",
                      const Model& model = Model::builtin(), const ContextValues& context = {});
  // The built-in canonical profiles (equal to schema/profiles/canonical-*.yaml).
  static Profile canonical_xml();
  static Profile canonical_csv();

  // Reads vendor input (one XML or CSV file, or the CSV tables of a directory; the first file is
  // the main table) into canonical JSON with a source map and findings.
  Conversion read(const std::vector<NamedFile>& input) const;
  // The same, emitting the document into `sink` (Conversion::document stays null); the canonical
  // formats build no tree on the way.
  Conversion read(const std::vector<FileView>& input, JsonSink& sink) const;
  // Writes canonical JSON (one document or an array of documents) in the vendor format.
  Output write(const Json& document) const;
  // The same for a parsed document; the canonical formats build no tree on the way.
  Output write(JsonValue document) const;

  const std::string& name() const { return name_; }
  Format format() const { return format_; }
  // True when the output is a set of files (a directory) rather than one file.
  bool writes_directory() const;

  // Options (public so tests and tools can inspect what was read).
  std::string description;
  Encoding encoding = Encoding::utf8;
  bool encoding_given = false;       // false: XML input encoding comes from its BOM/declaration
  bool strict = false;               // unmapped input is an error, not a warning
  std::string xml_root;              // XML: the document element
  int xml_indent = 2;
  std::vector<std::pair<std::string, std::string>> xml_fixed;  // XML: root paths with fixed values
  std::vector<std::string> xml_ignore;                         // XML: root paths read and dropped
  std::string xml_namespace, xml_prefix;  // XML writing: every element in this namespace URI, with this prefix ("": the default namespace)
  csv::Dialect dialect{};
  csv::LineEnding line_ending = csv::LineEnding::crlf;
  bool formula_guard = true;
  MappingEntry documents;            // the root: one document per match (XML) or row group (CSV)

 private:
  std::string name_;
  Format format_ = Format::canonical_xml;
  const Model* model_ = &Model::builtin();
};

// A starting profile drafted from a vendor sample (docs/mapping.md, "A draft from a sample").
struct ProfileDraft {
  std::string yaml;               // the profile; empty when the sample could not be read
  std::vector<Finding> findings;  // why the sample could not be read, at its position
};

// Drafts a profile of `format` (xml or csv) from a sample: every element, attribute or column with
// its guessed type, those named like model fields mapped, the rest `ignore` entries marked TODO.
ProfileDraft draft_profile(const NamedFile& sample, Profile::Format format, const Model& model = Model::builtin());

}  // namespace hoks
