// Prints the draft-07 JSON Schema that hoks generates for an operation (default create), so that
// the benchmark feeds ajv, valijson and python-jsonschema exactly the schema hoks emits.
#include <cstdio>
#include <string>

#include "hoks/model/model.hpp"
#include "hoks/maintain/schema_export.hpp"

int main(int argc, char** argv) {
  const auto op = hoks::parse_operation(argc > 1 ? argv[1] : "create");
  if (!op) {
    std::fprintf(stderr, "usage: hoks_bench_schema [create|replace|update|read]\n");
    return 2;
  }
  const std::string schema = hoks::json_schema(hoks::Model::builtin(), *op);
  std::fwrite(schema.data(), 1, schema.size(), stdout);
  return 0;
}
