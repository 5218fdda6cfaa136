// hoks convert / roundtrip / xsd: conversions between canonical JSON, canonical XML and CSV, and
// vendor formats described by mapping profiles (docs/mapping.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "convert_input.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/convert/mapping.hpp"
#include "hoks/read/xml.hpp"

namespace hoks::cli {
namespace {

struct ConvertArgs {
  std::string from = "json", to = "json", output, input, lang = "fi";
  std::string via;
  std::vector<std::string> context;  // --context NAME=VALUE for the profile's context
};

// Reads INPUT in format `from` into canonical JSON (findings go to `findings`).
::hoks::Conversion read_any(const std::string& from, const std::string& input, const std::vector<std::string>& context) {
  if (from == "json") {
    ::hoks::Conversion c;
    ::hoks::parse_json_tree(read_file(input), input, c);
    return c;
  }
  if (from == "csv-rows") {
    ::hoks::Conversion c = ::hoks::read_csv_rows(read_file(input), input);
    return c;
  }
  const ::hoks::Profile p = load_profile(from, context);
  return p.read(read_inputs(p, input));
}

::hoks::Output write_any(const std::string& to, const ::hoks::Json& document, const std::vector<std::string>& context) {
  if (to == "csv-rows") throw ToolError{"--to csv-rows is not a format to write; use csv or a profile"};
  return load_profile(to, context).write(document);
}

::hoks::Lang lang_of(const std::string& s) {
  auto l = ::hoks::parse_lang(s);
  if (!l) throw ToolError{"--lang must be fi, sv or en"};
  return *l;
}

// Converts JSON input from the parsed document: no tree is built on the way.
int convert_json(const ConvertArgs& a, ::hoks::Lang lang) {
  const std::string file = read_file(a.input);
  const std::string_view text = file;
  ::hoks::Conversion c;
  if (a.to == "xml") {  // one document at a time, written as it is produced
    const bool ok = write_output_if(a.output, [&](std::ostream& out) { return ::hoks::convert_json_to_xml(text, a.input, out, c); });
    std::cerr << render_findings(c.findings, a.input, lang);
    return ok ? exit_ok : exit_findings;
  }
  if (a.to == "csv") {  // one document at a time, the tables written as they grow
    DirectoryWriter tables(a.output);
    const ::hoks::Output o = ::hoks::convert_json_to_csv(text, a.input, c, tables);
    std::cerr << render_findings(c.findings, a.input, lang) << render_findings(o.findings, a.output, lang);
    if (c.fatal) return exit_findings;
    tables.commit();
    return o.has_errors() ? exit_findings : exit_ok;
  }
  ::hoks::JsonDocument doc;
  if (!::hoks::parse_json(text, a.input, doc, c)) {
    std::cerr << render_findings(c.findings, a.input, lang);
    return exit_findings;
  }
  if (a.to == "json") {  // one file, written as it is produced
    write_output(a.output, [&](std::ostream& out) { ::hoks::write_json(doc.root(), out); });
    return exit_ok;
  }
  if (a.to == "csv-rows") throw ToolError{"--to csv-rows is not a format to write; use csv or a profile"};
  const ::hoks::Output o = load_profile(a.to, a.context).write(doc.root());
  std::cerr << render_findings(o.findings, a.output.empty() ? "-" : a.output, lang);
  write_outputs(o.files, a.output);
  return o.has_errors() ? exit_findings : exit_ok;
}

// Converts input in another format to JSON text as it is read: no tree is built on the way for
// the canonical forms. A fatal error stops the output (standard output may hold a part of it; a
// file is not written).
int convert_to_json(const ConvertArgs& a, ::hoks::Lang lang) {
  const ::hoks::Profile p = load_profile(a.from, a.context);
  const MappedInputs input = map_inputs(p, a.input);
  ::hoks::Conversion c;
  write_output_if(a.output, [&](std::ostream& out) {
    ::hoks::JsonTextWriter json(true, &out);
    c = p.read(input.views, json);
    if (c.fatal) return false;
    json.text().push_back('\n');
    json.flush();
    return true;
  });
  std::cerr << render_findings(c.findings, a.input, lang);
  return c.fatal || c.has_errors() ? exit_findings : exit_ok;
}

int run_convert(const ConvertArgs& a) {
  const ::hoks::Lang lang = lang_of(a.lang);
  if (a.from == "json") return convert_json(a, lang);
  if (a.to == "json" && a.from != "csv-rows") return convert_to_json(a, lang);
  ::hoks::Conversion c = read_any(a.from, a.input, a.context);
  std::cerr << render_findings(c.findings, a.input, lang);
  if (c.fatal) return exit_findings;
  if (a.to == "json" || a.to == "xml") {  // one file, written as it is produced
    write_output(a.output, [&](std::ostream& out) {
      if (a.to == "json") ::hoks::write_json(c.document, out);
      else ::hoks::write_canonical_xml(c.document, out);
    });
    return c.has_errors() ? exit_findings : exit_ok;
  }
  ::hoks::Output o = write_any(a.to, c.document, a.context);
  std::cerr << render_findings(o.findings, a.output.empty() ? "-" : a.output, lang);
  write_outputs(o.files, a.output);
  return c.has_errors() || o.has_errors() ? exit_findings : exit_ok;
}

int run_roundtrip(const ConvertArgs& a) {
  const ::hoks::Lang lang = lang_of(a.lang);
  ::hoks::Conversion first = read_any(a.from, a.input, {});
  std::cerr << render_findings(first.findings, a.input, lang);
  if (first.fatal) return exit_findings;
  const ::hoks::Profile via = load_profile(a.via);
  ::hoks::Output middle = via.write(first.document);
  std::cerr << render_findings(middle.findings, a.via, lang);
  for (auto& f : middle.files)
    if (f.name.empty()) f.name = "roundtrip";
  ::hoks::Conversion back = via.read(middle.files);
  std::cerr << render_findings(back.findings, a.via, lang);
  if (back.fatal) return exit_findings;
  const std::string difference = ::hoks::first_difference(first.document, back.document);
  if (!difference.empty()) {
    std::cout << a.input << ": differs after " << via.name() << ": " << difference << "\n";
    return exit_findings;
  }
  std::cout << a.input << ": same after " << via.name() << "\n";
  return exit_ok;
}

}  // namespace

std::function<int()> add_convert_commands(CLI::App& app) {
  auto a = std::make_shared<ConvertArgs>();
  auto* convert = app.add_subcommand("convert", "Convert between JSON, canonical XML/CSV and vendor formats (profiles)");
  convert->add_option("--from", a->from, "json, xml, csv (a directory), csv-rows (any CSV file) or PROFILE.yaml");
  convert->add_option("--to", a->to, "json, xml, csv (a directory) or PROFILE.yaml");
  convert->add_option("-o,--output", a->output, "Output file (directory for CSV tables); default standard output");
  convert->add_option("--lang", a->lang, "Language of messages: fi, sv or en");
  convert->add_option("--context", a->context, "NAME=VALUE: a value of the profile's context (repeatable)")->allow_extra_args(false);
  convert->add_option("input", a->input, "Input file or directory (- for standard input)")->required();

  auto b = std::make_shared<ConvertArgs>();
  auto* roundtrip = app.add_subcommand("roundtrip", "Convert a document there and back through a format and compare");
  roundtrip->add_option("--via", b->via, "xml, csv or PROFILE.yaml")->required();
  roundtrip->add_option("--from", b->from, "Format of INPUT (default json)");
  roundtrip->add_option("--lang", b->lang, "Language of messages: fi, sv or en");
  roundtrip->add_option("input", b->input, "Input file or directory")->required();

  auto xsd_output = std::make_shared<std::string>();
  auto* xsd = app.add_subcommand("xsd", "Print the XSD of canonical XML (schema/hoks.xsd), generated from the model");
  xsd->add_option("-o,--output", *xsd_output, "Write to this file");

  return [=]() -> int {
    if (*convert) return run_convert(*a);
    if (*roundtrip) return run_roundtrip(*b);
    if (*xsd) {
      write_output(*xsd_output, ::hoks::generate_xsd());
      return exit_ok;
    }
    return -1;
  };
}

}  // namespace hoks::cli
