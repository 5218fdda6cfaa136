// The subcommands of hoks. Each add_* registers its options and returns a runner that returns the
// exit status when its subcommand was chosen, or -1 when it was not.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace hoks::cli {

std::function<int()> add_validate_command(CLI::App& app);
std::function<int()> add_catalog_commands(CLI::App& app);
std::function<int()> add_schema_command(CLI::App& app);
std::function<int()> add_diff_command(CLI::App& app);
std::function<int()> add_apply_command(CLI::App& app);
std::function<int()> add_anonymize_command(CLI::App& app);
std::function<int()> add_docs_command(CLI::App& app);
std::function<int()> add_impact_command(CLI::App& app);
std::function<int()> add_gen_command(CLI::App& app);
std::function<int()> add_convert_commands(CLI::App& app);
std::function<int()> add_serve_command(CLI::App& app);
std::function<int()> add_profile_command(CLI::App& app);

}  // namespace hoks::cli
