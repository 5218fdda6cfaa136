// hoks schema: print the draft-07 JSON Schema of one operation, as the model generates it.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/model/model.hpp"
#include "hoks/maintain/schema_export.hpp"
#include "hoks/model/versions.hpp"

namespace hoks::cli {
namespace {

struct SchemaArgs {
  std::string operation = "create";
  bool manual_entry = false;
  std::string model;
  std::string output;
};

int run_schema(const SchemaArgs& a) {
  const auto op = ::hoks::parse_operation(a.operation);
  if (!op) throw ToolError{"--operation must be create, replace, update or read"};
  const auto& versions = ::hoks::ModelVersions::builtin();
  const std::string version = a.model.empty() ? versions.current().version : a.model;
  if (!versions.find(version))
    throw ToolError{"--model: unknown model version '" + version + "' (known: " + versions.names() + ")"};
  write_output(a.output, ::hoks::json_schema(versions.model(version), *op, a.manual_entry));
  return exit_ok;
}

}  // namespace

std::function<int()> add_schema_command(CLI::App& app) {
  auto a = std::make_shared<SchemaArgs>();
  auto* cmd = app.add_subcommand("schema", "Print the JSON Schema (draft-07) of an operation");
  cmd->add_option("--operation", a->operation, "create (POST), replace (PUT), update (PATCH) or read (GET)")
      ->check(CLI::IsMember({"create", "replace", "update", "read"}));
  cmd->add_flag("--manual-entry", a->manual_entry, "The virkailija (manual entry) variant");
  cmd->add_option("--model", a->model, "Model version (default: the current one; see docs/model-maintenance.md)");
  cmd->add_option("-o,--output", a->output, "Write the schema to this file");
  return [cmd, a]() -> int { return *cmd ? run_schema(*a) : -1; };
}

}  // namespace hoks::cli
