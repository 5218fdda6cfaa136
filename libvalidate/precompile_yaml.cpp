// Build-time tool: converts the YAML files built into the library into their JSON form
// (src/read/yaml_tree.hpp) and writes them as a C++ source, so the library loads its model, rule
// catalog and code lists at startup without parsing YAML; with them, the automata of the models'
// patterns (every "pattern" value, and the uuid type's), so that no pattern is compiled at startup;
// and from rules.yaml the header of rule ids and facts the checks are registered with
// (check/rule_ids.hpp), so that a misspelt rule id does not compile.
//
//   precompile_yaml OUT.cpp RULE_IDS.hpp SCHEMA_DIR FILE.yaml...   (files named relative to SCHEMA_DIR,
//                                                                   as embedded_file names them)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "hoks/read/json.hpp"
#include "hoks/model/model.hpp"
#include "hoks/model/pattern.hpp"
#include "model/precompiled_patterns.hpp"
#include "read/yaml_tree.hpp"

// This tool compiles every pattern itself.
namespace hoks::detail {
const detail::PatternTables precompiled_patterns[1] = {};
const std::size_t precompiled_pattern_count = 0;
}  // namespace hoks::detail

namespace {

// Adds the string values of "pattern" keys anywhere in the tree.
void collect_patterns(const hoks::JsonValue& v, std::set<std::string>& out) {
  if (v.is_object()) {
    for (auto& m : v) {
      if (m.key().str() == "pattern" && m.value().is_string()) out.insert(std::string(m.value().str()));
      collect_patterns(m.value(), out);
    }
  } else if (v.is_array()) {
    for (auto& item : v) collect_patterns(item.value(), out);
  }
}

template <class T>
std::string numbers(const T* values, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += std::to_string(values[i]);
    out += (i + 1) % 32 == 0 ? ",\n" : ",";
  }
  return out;
}

// The C++ of the automata: arrays, then the table of precompiled_patterns.hpp.
std::string patterns_cpp(const std::set<std::string>& sources) {
  std::string arrays, table;
  std::size_t n = 0;
  for (const auto& source : sources) {
    const auto pattern = hoks::Pattern::build(source);
    if (!pattern) continue;  // compile() reports the error at run time
    const hoks::detail::PatternTables t = pattern->tables();
    const std::string name = "pattern_" + std::to_string(n++);
    arrays += "const std::uint8_t " + name + "_classes[] = {\n" + numbers(t.classes, 256) + "};\n";
    arrays += "const std::uint8_t " + name + "_accepting[] = {\n" + numbers(t.accepting, t.states) + "};\n";
    arrays += "const std::uint16_t " + name + "_next[] = {\n" + numbers(t.next, std::size_t{t.states} * t.class_count) + "};\n";
    table += "    {R\"hoks(" + source + ")hoks\", " + (t.anchored_end ? "true" : "false") + ", " +
             std::to_string(t.class_count) + ", " + std::to_string(t.states) + ", " + std::to_string(t.start) + ", " +
             std::to_string(t.after_prefix) + ", R\"hoks(" + std::string(t.prefix) + ")hoks\", " + name + "_classes, " +
             name + "_accepting, " + name + "_next},\n";
  }
  return "namespace {\n" + arrays + "}  // namespace\n\nconst detail::PatternTables precompiled_patterns[] = {\n" + table +
         "};\n\nconst std::size_t precompiled_pattern_count = " + std::to_string(n) + ";\n";
}

std::string string_of(const hoks::JsonValue& v) { return v.is_string() ? std::string(v.str()) : std::string(); }

// check/rule_ids.hpp: an enumerator per rule of rules.yaml and the facts the engine runs it by.
bool rule_ids_hpp(const hoks::JsonValue& catalog, std::string& out, std::string& error) {
  std::string enumerators, facts;
  for (auto& item : catalog.get("rules")) {
    const hoks::JsonValue r = item.value();
    const std::string id = string_of(r.get("id"));
    std::string name = id;
    for (char& c : name) {
      if (c == '-') c = '_';
      else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        error = "rule id `" + id + "` is not kebab-case";
        return false;
      }
    }
    std::string entities;
    const hoks::JsonValue e = r.get("entity");
    if (e.is_string()) entities = std::string(e.str());
    if (e.is_array())
      for (auto& x : e) entities += (entities.empty() ? "" : " ") + string_of(x.value());
    const std::string attachment = string_of(r.get("attachment")), field = string_of(r.get("field"));
    if (attachment.empty() || (attachment == "field") == field.empty()) {
      error = "rule `" + id + "`: give an attachment, and a field exactly when it is `field`";
      return false;
    }
    const hoks::JsonValue context = r.get("needs-context");
    // The JSON form keeps YAML scalars as strings (read/yaml_tree.hpp).
    const bool needs_context = context.str() == "true";
    const bool ehoks = r.get("ehoks").is_string() && r.get("ehoks").str() != "null" && !r.get("ehoks").str().empty();
    enumerators += "  " + name + ",\n";
    facts += "    {\"" + id + "\", \"" + entities + "\", Attachment::" + attachment + ", \"" + field + "\", " +
             (needs_context ? "true" : "false") + ", " + (ehoks ? "true" : "false") + "},\n";
  }
  out = "// Generated by precompile_yaml from rules.yaml; do not edit.\n#pragma once\n\n#include <cstdint>\n"
        "#include <cstddef>\n#include <string>\n#include <string_view>\n\nnamespace hoks::detail {\n\n"
        "// Every rule of the catalog; a check or a report names its rule by one of these.\n"
        "enum class RuleId : std::uint16_t {\n" + enumerators + "};\n\n"
        "enum class Attachment : std::uint8_t { text, value, field, object, document, report };\n\n"
        "// What rules.yaml says about a rule's evaluation (see its header).\n"
        "struct RuleFacts {\n  std::string_view id;\n  std::string_view entities;  // model entity names, space-separated\n"
        "  Attachment attachment;\n  std::string_view field;     // the key of a field-attached rule\n"
        "  bool needs_context;\n  bool ehoks;                 // a check eHOKS makes\n};\n\n"
        "inline constexpr RuleFacts rule_facts[] = {\n" + facts + "};\n\n"
        "inline constexpr const RuleFacts& facts(RuleId id) { return rule_facts[static_cast<std::size_t>(id)]; }\n"
        "inline constexpr std::string_view name(RuleId id) { return facts(id).id; }\n"
        "inline std::string rule_name(RuleId id) { return std::string(name(id)); }\n\n"
        "// The rule named `id` (for rule names that data gives, such as a model type's `rule`); false when none.\n"
        "inline constexpr bool find_rule(std::string_view id, RuleId& out) {\n"
        "  for (std::size_t i = 0; i < sizeof rule_facts / sizeof rule_facts[0]; ++i)\n"
        "    if (rule_facts[i].id == id) {\n      out = static_cast<RuleId>(i);\n      return true;\n    }\n"
        "  return false;\n}\n\n"
        "}  // namespace hoks::detail\n";
  return true;
}

bool write(const char* path, const std::string& text) {
  std::ofstream o(path, std::ios::binary);
  if (!o || !(o << text)) {
    std::cerr << "precompile_yaml: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: precompile_yaml OUT.cpp RULE_IDS.hpp SCHEMA_DIR FILE.yaml...\n";
    return 2;
  }
  std::string out =
      "// Generated by precompile_yaml from the YAML files built into the library; do not edit.\n"
      "#include \"model/precompiled_patterns.hpp\"\n#include \"read/yaml_tree.hpp\"\n\nnamespace hoks::detail {\n\n"
      "const PrecompiledYaml precompiled_yaml_files[] = {\n";
  std::set<std::string> patterns{std::string(hoks::uuid_pattern)};
  std::string rule_ids;
  for (int i = 4; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "precompile_yaml: cannot read " << argv[i] << "\n";
      return 1;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string yaml = ss.str();
    std::string json;
    try {
      json = hoks::detail::yaml_to_json(yaml);
    } catch (const std::exception& e) {
      std::cerr << argv[i] << ": " << e.what() << "\n";
      return 1;
    }
    hoks::JsonDocument doc;
    if (!doc.parse(json)) {
      std::cerr << argv[i] << ": cannot read its JSON form\n";
      return 1;
    }
    collect_patterns(doc.root(), patterns);
    const std::string name = std::filesystem::path(argv[i]).lexically_relative(argv[3]).generic_string();
    if (name == "rules.yaml") {
      std::string error;
      if (!rule_ids_hpp(doc.root(), rule_ids, error)) {
        std::cerr << argv[i] << ": " << error << "\n";
        return 1;
      }
    }
    // The JSON form as string pieces (compilers limit the length of one literal).
    char head[96];
    std::snprintf(head, sizeof head, "0x%016llxULL, %zu,\n", static_cast<unsigned long long>(hoks::detail::yaml_text_hash(yaml)),
                  yaml.size());
    out += "    {\"" + name + "\", ";
    out += head;
    for (std::size_t p = 0; p < json.size(); p += 2000) out += "     R\"hoks(" + json.substr(p, 2000) + ")hoks\"\n";
    out += "     , " + std::to_string(json.size()) + "},\n";
  }
  out += "};\n\nconst std::size_t precompiled_yaml_count = " + std::to_string(argc - 4) + ";\n\n";
  out += patterns_cpp(patterns);
  out += "\n}  // namespace hoks::detail\n";
  if (rule_ids.empty()) {
    std::cerr << "precompile_yaml: no rules.yaml among the files\n";
    return 1;
  }
  return write(argv[1], out) && write(argv[2], rule_ids) ? 0 : 1;
}
