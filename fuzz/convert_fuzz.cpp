// Fuzzes the conversions that build no tree against the ones that do: JSON to canonical XML and CSV
// one document at a time (first byte even) and canonical XML read into JSON text (first byte odd)
// must fail exactly when the tree conversion fails, and otherwise give the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "hoks/convert/convert.hpp"
#include "hoks/read/xml.hpp"

namespace convert_fuzz {

struct CollectedFiles : hoks::FileSink {
  std::map<std::string, std::string> files;
  void write(std::string_view name, std::string_view bytes) override { files[std::string(name)] += bytes; }
};

void check_json(std::string_view text) {
  hoks::Conversion tree;
  const bool parsed = hoks::parse_json_tree(text, "in.json", tree);
  std::ostringstream xml;
  hoks::Conversion to_xml;
  if (hoks::convert_json_to_xml(text, "in.json", xml, to_xml) != parsed) std::abort();
  if (!parsed) {
    if (to_xml.findings.size() != 1 || to_xml.findings[0].location.line != tree.findings[0].location.line ||
        to_xml.findings[0].location.column != tree.findings[0].location.column)
      std::abort();
    return;
  }
  if (xml.str() != hoks::write_canonical_xml(tree.document)) std::abort();
  CollectedFiles csv;
  hoks::Conversion to_csv;
  hoks::convert_json_to_csv(text, "in.json", to_csv, csv);
  if (to_csv.fatal) std::abort();
  const hoks::Output expected = hoks::write_canonical_csv(tree.document);
  if (csv.files.size() != expected.files.size()) std::abort();
  for (const hoks::NamedFile& f : expected.files)
    if (csv.files[f.name] != f.bytes) std::abort();
}

void check_xml(std::string_view text) {
  const hoks::Conversion tree = hoks::read_canonical_xml(text, "in.xml");
  hoks::JsonTextWriter json;
  const hoks::Conversion streamed = hoks::read_canonical_xml(text, "in.xml", json);
  if (streamed.fatal != tree.fatal || streamed.findings.size() != tree.findings.size()) std::abort();
  if (!tree.fatal && json.text() + "\n" != hoks::write_json(tree.document)) std::abort();
}

}  // namespace convert_fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) convert_fuzz::check_json(text);
  else convert_fuzz::check_xml(text);
  return 0;
}
