// The valijson peer of the benchmark: validates every line of an NDJSON corpus with valijson 1.0
// (nlohmann::json adapter) against a JSON Schema, as a C++ program using a general JSON Schema
// engine would. Prints the 1-based numbers of the rejected documents, one per line, and a summary
// (documents, rejected, seconds of the validation loop) on standard error.
//
//   valijson_bench SCHEMA.json CORPUS.ndjson [MAX_DOCUMENTS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: valijson_bench SCHEMA.json CORPUS.ndjson [MAX_DOCUMENTS]\n");
    return 2;
  }
  const long long limit = argc > 3 ? std::atoll(argv[3]) : -1;
  std::ifstream schema_file(argv[1], std::ios::binary);
  std::ifstream corpus(argv[2], std::ios::binary);
  if (!schema_file || !corpus) {
    std::fprintf(stderr, "valijson_bench: cannot read %s\n", !schema_file ? argv[1] : argv[2]);
    return 2;
  }
  std::stringstream schema_text;
  schema_text << schema_file.rdbuf();
  const nlohmann::json schema_doc = nlohmann::json::parse(schema_text.str());
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);

  const auto start = std::chrono::steady_clock::now();
  std::string line, rejected;
  long long documents = 0, invalid = 0;
  valijson::Validator validator;
  while ((limit < 0 || documents < limit) && std::getline(corpus, line)) {
    if (line.empty()) continue;
    ++documents;
    bool ok = false;
    try {
      const nlohmann::json doc = nlohmann::json::parse(line);
      valijson::adapters::NlohmannJsonAdapter target(doc);
      ok = validator.validate(schema, target, nullptr);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok) {
      ++invalid;
      rejected += std::to_string(documents) + "\n";
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fwrite(rejected.data(), 1, rejected.size(), stdout);
  std::fprintf(stderr, "valijson: %lld documents, %lld rejected, %.3f s\n", documents, invalid, seconds);
  return 0;
}
