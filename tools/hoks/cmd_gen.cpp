// hoks gen: realistic HOKS documents for vendors' own tests and for the benchmark.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "hoks/maintain/generate.hpp"
#include "hoks/check/validate.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {
namespace {

struct GenArgs {
  std::uint64_t seed = 1;
  std::uint64_t count = 1;
  std::uint64_t invalid = 0;
  std::string format = "ndjson";
  std::string output;
  std::string manifest;
  std::string opiskeluoikeus;
  std::string profile = "complete";
};

// Writes to a file or standard output in large blocks.
class Sink {
 public:
  explicit Sink(const std::string& path) {
    if (path.empty() || path == "-") return;
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) throw ToolError{path + ": cannot write"};
    path_ = path;
  }
  ~Sink() {
    if (file_) std::fclose(file_);
  }
  void write(std::string& buffer, bool force = false) {
    if (!force && buffer.size() < (1u << 20)) return;
    std::FILE* f = file_ ? file_ : stdout;
    if (!buffer.empty() && std::fwrite(buffer.data(), 1, buffer.size(), f) != buffer.size())
      throw ToolError{(path_.empty() ? std::string("standard output") : path_) + ": cannot write"};
    buffer.clear();
  }
  void close() {
    std::FILE* f = file_ ? file_ : stdout;
    if (std::fflush(f) != 0) throw ToolError{(path_.empty() ? std::string("standard output") : path_) + ": cannot write"};
  }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
};

int run_gen(const GenArgs& a) {
  ::hoks::GeneratorOptions options;
  options.seed = a.seed;
  options.count = a.count;
  options.invalid = a.invalid;
  options.early = a.profile == "early";
  if (a.invalid > a.count) throw ToolError{"--invalid must not exceed --count"};
  if (!a.opiskeluoikeus.empty()) {
    const ::hoks::StudyRights rights = load_study_rights(a.opiskeluoikeus);
    const ::hoks::StudyRight* sr = rights.only();
    if (!sr) throw ToolError{a.opiskeluoikeus + ": gen needs one study right, not " + std::to_string(rights.size())};
    options.study_right_oid = sr->oid;
    if (!sr->alkamispaiva || !sr->arvioitu_paattymispaiva)
      throw ToolError{a.opiskeluoikeus + ": the study right needs alkamispäivä and arvioituPäättymispäivä"};
    options.study_right_start = *sr->alkamispaiva;
    options.study_right_end = *sr->arvioitu_paattymispaiva;
    if (options.study_right_end.days() - options.study_right_start.days() < 60)
      throw ToolError{a.opiskeluoikeus + ": the study right must last at least 60 days"};
  }
  const ::hoks::HoksGenerator generator(options);

  std::string buffer;
  if (a.format == "files") {
    if (a.output.empty()) throw ToolError{"--format files needs -o DIR"};
    std::error_code ec;
    fs::create_directories(a.output, ec);
    if (ec) throw ToolError{a.output + ": cannot create directory (" + ec.message() + ")"};
    const int width = std::max<int>(6, static_cast<int>(std::to_string(a.count).size()));
    for (std::uint64_t i = 0; i < a.count; ++i) {
      buffer.clear();
      generator.write(i, buffer);
      buffer.push_back('\n');
      std::string name = std::to_string(i + 1);
      name.insert(0, static_cast<std::size_t>(std::max<int>(0, width - static_cast<int>(name.size()))), '0');
      const fs::path path = fs::path(a.output) / ("hoks-" + name + ".json");
      std::ofstream out(path, std::ios::binary);
      if (!out || !out.write(buffer.data(), static_cast<std::streamsize>(buffer.size())))
        throw ToolError{path.string() + ": cannot write"};
    }
  } else {
    Sink sink(a.output);
    const bool array = a.format == "array";
    if (array) buffer += "[\n";
    for (std::uint64_t i = 0; i < a.count; ++i) {
      generator.write(i, buffer);
      if (array && i + 1 < a.count) buffer.push_back(',');
      buffer.push_back('\n');
      sink.write(buffer);
    }
    if (array) buffer += "]\n";
    sink.write(buffer, true);
    sink.close();
  }

  if (!a.manifest.empty()) {
    // One line per invalid document: its 1-based number (= NDJSON line, file number), the defect,
    // the rule hoks reports, and whether a JSON Schema validator rejects it too.
    std::string m = "document\tdefect\trule\tin_json_schema\tneeds_study_right\n";
    for (std::uint64_t i = 0; i < a.count && a.invalid > 0; ++i) {
      const ::hoks::Defect d = generator.defect_of(i);
      if (d == ::hoks::Defect::none) continue;
      const auto& info = ::hoks::defect_info(d);
      m += std::to_string(i + 1) + "\t" + std::string(info.name) + "\t" + std::string(info.rule) + "\t" +
           (info.in_json_schema ? "yes" : "no") + "\t" + (info.needs_study_right ? "yes" : "no") + "\n";
    }
    write_output(a.manifest, m);
  }
  return exit_ok;
}

}  // namespace

std::function<int()> add_gen_command(CLI::App& app) {
  auto a = std::make_shared<GenArgs>();
  auto* gen = app.add_subcommand("gen", "Generate realistic HOKS documents (create) for tests and benchmarks");
  gen->add_option("--seed", a->seed, "Seed: the same seed gives the same documents");
  gen->add_option("--count", a->count, "How many documents")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 32));
  gen->add_option("--invalid", a->invalid, "How many of them carry one known defect each (see --manifest)");
  gen->add_option("--format", a->format, "ndjson (one per line), array (one JSON array) or files (-o DIR)")
      ->check(CLI::IsMember({"ndjson", "array", "files"}));
  gen->add_option("-o,--output", a->output, "Output file (ndjson, array) or directory (files); default standard output");
  gen->add_option("--manifest", a->manifest, "Write the list of invalid documents (TSV) to this file");
  gen->add_option("--opiskeluoikeus", a->opiskeluoikeus,
                  "KOSKI study right (JSON) whose oid the documents name and whose dates the periods keep to (default 2023-08-01..2026-07-31)");
  gen->add_option("--profile", a->profile,
                  "complete (plans that pass every rule) or early (plans in progress: units without "
                  "demonstrations or teaching hours, codes outside the snapshot)")
      ->check(CLI::IsMember({"complete", "early"}));
  return [gen, a]() -> int { return *gen ? run_gen(*a) : -1; };
}

}  // namespace hoks::cli
