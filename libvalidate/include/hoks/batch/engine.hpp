// The batch engine: many inputs (files, folders, standard input, bytes in memory), cut into units
// (a whole input, or a run of NDJSON lines), validated on worker threads and handed to a sink in
// input order, so that the result is the same for any number of jobs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/batch/batch.hpp"
#include "hoks/check/validate.hpp"

namespace hoks {

// An input that cannot be read (no such file, a folder that cannot be listed, a read error).
struct BatchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One input of a batch.
struct BatchSource {
  std::string name;            // as reported ("-" for standard input)
  std::uintmax_t size = 0;     // bytes when known (0: unknown)
  bool in_memory = false;      // `text` holds the input
  std::string text;
  std::istream* stream = nullptr;  // otherwise read from this stream, or else the file `name` ("-": standard input)

  // A file by path, or "-" for standard input.
  static BatchSource file(std::string path, std::uintmax_t size = 0);
  // Bytes in memory, reported as `name`.
  static BatchSource bytes(std::string name, std::string text);
  // A stream, read as the batch goes (it must outlive run_batch).
  static BatchSource from_stream(std::string name, std::istream& in);
};

// Files and "-" as given; folders walked recursively (sorted), keeping the files that the
// include/exclude globs select (path_selected). Throws BatchError for a path that does not exist.
std::vector<BatchSource> collect_sources(const std::vector<std::string>& paths, const std::vector<std::string>& include = {},
                                         const std::vector<std::string>& exclude = {});

// How far a batch has come, after each unit handed to the sink, and once more at the end.
struct BatchProgress {
  std::uintmax_t bytes = 0, total_bytes = 0;  // total_bytes 0: unknown (standard input)
  std::size_t inputs = 0, total_inputs = 0;
  std::size_t documents = 0;
};

// A unit's reports on their way to the sink.
struct BatchUnit {
  // What a sink computes on a worker thread and keeps until the unit's turn (see BatchSink::process).
  struct Extra {
    virtual ~Extra() = default;
    virtual std::size_t bytes() const { return 0; }  // held until written (bounds the units in flight)
  };
  std::string_view source;           // the input's name
  std::string_view text;             // the unit's bytes: valid in process() only
  bool ndjson = false;
  bool past_limit = false;           // its one report says the input holds more than limits.max_documents
  std::uint32_t first_line = 1;      // line of the unit's first line in its input
  std::size_t seq = 0;               // the unit's place in the batch (the order of write())
  std::vector<DocumentReport> documents;
  std::unique_ptr<Extra> extra;
};

// Receives the units of a batch.
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // On a worker thread, any number at a time, with the unit's text: work on the reports (redact, render).
  virtual void process(BatchUnit& /*unit*/) {}
  // One unit at a time, in input order.
  virtual void write(BatchUnit& unit) = 0;
};

struct BatchOptions {
  ValidationOptions validation;
  InputLimits limits;
  // NDJSON read as a stream keeps memory flat, so limits.max_documents counts there only when asked.
  bool limit_stream_documents = false;
  unsigned jobs = 0;                                      // worker threads (0: usable_cores())
  const std::atomic<bool>* cancel = nullptr;              // set: no further unit is started
  std::function<void(const BatchProgress&)> progress;     // after each unit written (writing thread), and at the end
};

// The cores this process may run on (its CPU affinity, e.g. under taskset), at least 1.
unsigned usable_cores();

// Validates `sources` and hands their units to `sink` in input order; context-missing is kept only
// at the first document of a unit that has it. An exception of the sink or
// a BatchError of reading stops the run and is thrown here. Returns false when cancelled.
bool run_batch(const Validator& validator, const std::vector<BatchSource>& sources, const BatchOptions& options,
               BatchSink& sink);

}  // namespace hoks
