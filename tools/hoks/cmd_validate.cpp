// hoks validate: check HOKS documents as eHOKS would.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "commands.hpp"
#include "common.hpp"
#include "convert_input.hpp"
#include "hoks/report/baseline.hpp"
#include "hoks/batch/batch.hpp"
#include "hoks/model/catalog.hpp"
#include "hoks/batch/config.hpp"
#include "hoks/model/model.hpp"
#include "hoks/report/report.hpp"
#include "hoks/check/validate.hpp"
#include "hoks/model/versions.hpp"

namespace fs = std::filesystem;

namespace hoks::cli {
namespace {

::hoks::Date today_from_clock() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

struct ValidateArgs {
  std::vector<std::string> paths;
  std::string operation = "create";
  bool manual_entry = false;
  std::string today;
  std::string model;  // --model: a model version (default: the current one)
  std::string from = "json";  // --from: json, xml, csv or PROFILE.yaml
  std::string opiskeluoikeus;
  std::string format = "text";
  std::string output;
  std::string lang = "fi";
  std::string fail_on = "error";
  std::vector<std::string> select, ignore;
  unsigned jobs = 0;
  bool redact = false;
  std::string hints = "first";
  bool statistics = false, quiet = false;
  std::string color = "auto";
  ::hoks::InputLimits limits;  // --max-*: 0 = no limit
  std::uint32_t max_findings = ::hoks::ValidationOptions{}.max_findings;
  // Reports, configuration, baselines, batches.
  std::string config;
  bool no_config = false;
  std::vector<std::string> include, exclude;
  std::string baseline, write_baseline;
  std::size_t max_report_findings = 0;
  std::string progress = "auto";
  // Options given on the command line win over hoks.yaml.
  struct Given {
    CLI::Option *operation, *manual_entry, *format, *lang, *fail_on, *select, *ignore, *redact, *include, *exclude,
        *baseline, *max_report_findings, *max_documents;
  } given{};
};

// ---- inputs ----------------------------------------------------------------------------------------

struct Input {
  std::string path;            // as reported ("-" for standard input)
  std::uintmax_t size = 0;     // bytes, 0 when unknown (standard input)
};

// Files to read: files and "-" as given; folders walked recursively (sorted), keeping the files
// that the include/exclude globs select.
std::vector<Input> collect_inputs(const std::vector<std::string>& paths, const std::vector<std::string>& include,
                                  const std::vector<std::string>& exclude) {
  std::vector<Input> inputs;
  for (const auto& p : paths) {
    if (p == "-") {
      inputs.push_back({p, 0});
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) throw ToolError{p + ": no such file or directory"};
    if (!fs::is_directory(status)) {
      inputs.push_back({p, fs::is_regular_file(status) ? fs::file_size(p, ec) : 0});
      continue;
    }
    std::vector<Input> found;
    for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const std::string shown = it->path().string();
      const std::string relative = it->path().lexically_relative(p).generic_string();
      if (::hoks::path_selected(relative, shown, include, exclude)) found.push_back({shown, it->file_size()});
    }
    if (ec) throw ToolError{p + ": cannot read folder (" + ec.message() + ")"};
    std::sort(found.begin(), found.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
    inputs.insert(inputs.end(), found.begin(), found.end());
  }
  return inputs;
}

// Bytes read from an input. Unlike std::string::resize, growing it does not first clear the
// bytes that read() is about to fill (a megabyte per NDJSON piece, and per small file).
class Bytes {
 public:
  Bytes() = default;
  Bytes(Bytes&& o) noexcept
      : data_(std::move(o.data_)), size_(std::exchange(o.size_, 0)), capacity_(std::exchange(o.capacity_, 0)) {}
  Bytes& operator=(Bytes&& o) noexcept {
    data_ = std::move(o.data_);
    size_ = std::exchange(o.size_, 0);
    capacity_ = std::exchange(o.capacity_, 0);
    return *this;
  }

  std::string_view view() const { return {data_.get(), size_}; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  // Room for n more bytes at the end; commit() then keeps those that were filled.
  char* room(std::size_t n) {
    if (n > capacity_ - size_) {
      const std::size_t capacity = std::max(size_ + n, capacity_ * 2);
      auto fresh = std::make_unique_for_overwrite<char[]>(capacity);
      if (size_ > 0) std::memcpy(fresh.get(), data_.get(), size_);
      data_ = std::move(fresh);
      capacity_ = capacity;
    }
    return data_.get() + size_;
  }
  void commit(std::size_t n) { size_ += n; }
  void truncate(std::size_t n) { size_ = std::min(size_, n); }
  void assign(std::string_view bytes) {
    size_ = 0;
    if (!bytes.empty()) std::memcpy(room(bytes.size()), bytes.data(), bytes.size());
    size_ = bytes.size();
  }
  void clear() { size_ = 0; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, capacity_ = 0;
};

// Reads a file or standard input piece by piece.
class Reader {
 public:
  // `size`: the file's size when known (0: unknown), so that a small file is read in one go into
  // a buffer of its size.
  Reader(const std::string& path, std::uintmax_t size) : path_(path), size_(size) {
    fd_ = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw ToolError{path + ": cannot read file (" + std::strerror(errno) + ")"};
  }
  ~Reader() {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Appends up to n bytes to buf (fewer when the file's size says the rest is shorter: one more
  // byte than the rest, to see the end); false at the end of the input.
  bool read_more(Bytes& buf, std::size_t n) {
    if (eof_) return false;
    if (size_ > 0 && bytes_ <= size_) n = static_cast<std::size_t>(std::min<std::uintmax_t>(n, size_ - bytes_ + 1));
    char* to = buf.room(n);
    ssize_t got;
    do got = ::read(fd_, to, n);
    while (got < 0 && errno == EINTR);
    if (got < 0) throw ToolError{path_ + ": cannot read file (" + std::strerror(errno) + ")"};
    buf.commit(static_cast<std::size_t>(got));
    bytes_ += static_cast<std::size_t>(got);
    if (got == 0) eof_ = true;
    return got > 0;
  }
  bool eof() const { return eof_; }
  std::uintmax_t bytes() const { return bytes_; }

 private:
  std::string path_;
  std::uintmax_t size_;
  int fd_ = -1;
  bool eof_ = false;
  std::uintmax_t bytes_ = 0;
};

// NDJSON is cut into units of about chunk_size bytes of lines. A unit's report can be several
// times its size (a kilobyte of findings for a 200-byte document) and is kept until its turn to
// be written, so units are small: a window of them stays a few megabytes (128 KiB rather than
// 256 KiB: peak RSS on a 96 MiB stream of such documents 14-20 MiB rather than 22-36 MiB, --jobs 2).
constexpr std::size_t read_size = std::size_t{128} << 10;   // bytes asked of the system at a time
constexpr std::size_t chunk_size = std::size_t{128} << 10;

// Buffers kept for reuse, from any thread: long-lived megabyte buffers stay allocated instead of
// being freed among the small blocks of a heap, which would take parts of them and make the heap
// grow (with a heap per thread, each grew to the most its thread ever held).
template <class T>
class Pool {
 public:
  T take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (spare_.empty()) return T{};
    T t = std::move(spare_.back());
    spare_.pop_back();
    return t;
  }
  void give(T&& t) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (spare_.size() < 64) spare_.push_back(std::move(t));
  }

 private:
  std::mutex mutex_;
  std::vector<T> spare_;
};

// The report of a unit, made by a worker thread and kept until the unit's turn to be written.
struct Results {
  std::vector<::hoks::DocumentReport> docs;
  std::vector<::hoks::DocumentExtras> extras;          // one per document
  std::string rendered;                                // the documents rendered (ReportWriter::render) one after another
  std::vector<std::size_t> ends;                       // where each document ends in `rendered`
  std::vector<::hoks::BaselineEntry> recorded;         // --write-baseline: the findings to record

  // About the bytes the results hold until they are written.
  std::size_t bytes() const {
    std::size_t n = docs.size() * (sizeof(docs[0]) + sizeof(extras[0]) + sizeof(ends[0])) +
                    recorded.size() * sizeof(recorded[0]) + rendered.size();
    for (const auto& r : docs) n += r.findings.size() * sizeof(r.findings[0]);
    return n;
  }
  // Empty, keeping the capacity of the buffers for the next unit.
  void clear() {
    docs.clear();
    extras.clear();
    rendered.clear();
    ends.clear();
    recorded.clear();
  }
};

// A piece of work: a whole input, or a run of whole lines of an NDJSON stream.
struct Unit {
  std::size_t input = 0;
  Bytes text;
  bool ndjson = false;
  std::uint32_t first_line = 1;    // NDJSON: line number of the unit's first line
  std::uint32_t first_index = 0;   // NDJSON: index of the unit's first document
  std::uint32_t max_documents = 0; // NDJSON: documents this unit may still hold (0: no limit)
  bool past_limit = false;         // NDJSON: the unit's first document is already past --max-documents
  std::uintmax_t bytes_done = 0;   // progress once this unit is reported: bytes and inputs read
  std::size_t inputs_done = 0;
  Results results;  // from a pool, when processed
};

// Whether a line holds nothing but blanks (as validate_text's NDJSON reading counts lines).
bool blank_line(std::string_view row) {
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
  return row.find_first_not_of(" \t") == std::string_view::npos;
}

// Cuts the inputs into units, in order. NDJSON (by extension, or when the first line is a whole
// JSON value and more follows) is streamed in pieces of whole lines; anything else is read whole.
class UnitSource {
 public:
  UnitSource(const std::vector<Input>& inputs, const ::hoks::InputLimits& limits) : inputs_(inputs), limits_(limits) {}

  // Keeps the text buffer of a unit that is done with it for a later piece of NDJSON (see Pool).
  // Any thread may call it.
  void recycle(Bytes&& text) {
    if (text.capacity() >= chunk_size && text.capacity() <= 2 * chunk_size) spare_.give(std::move(text));
  }

  // The next unit, or false after the last one.
  bool next(Unit& u) {
    for (;;) {
      if (!reader_) {
        if (current_ >= inputs_.size()) return false;
        open();
      }
      if (ndjson_ ? next_lines(u) : next_whole(u)) {
        u.bytes_done = bytes_done();
        u.inputs_done = current_;
        return true;
      }
      reader_.reset();
      ++current_;
    }
  }

 private:
  std::uintmax_t bytes_done() const { return bytes_done_ + (reader_ ? reader_->bytes() - buf_.size() : 0); }

  void open() {
    const Input& in = inputs_[current_];
    reader_ = std::make_unique<Reader>(in.path, in.size);
    buf_.clear();
    line_ = 1;
    documents_ = 0;
    done_ = false;
    const std::string ext = fs::path(in.path).extension().string();
    ndjson_ = ext == ".ndjson" || ext == ".jsonl" || sniff_ndjson();
  }

  // Reads until the first non-blank line is whole and decides whether the input is NDJSON.
  bool sniff_ndjson() {
    std::size_t pos = 0;
    for (;;) {
      const std::string_view text = buf_.view();
      const std::size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) {
        if (!reader_->read_more(buf_, read_size)) break;
        continue;
      }
      if (blank_line(text.substr(pos, nl - pos))) {
        pos = nl + 1;
        continue;
      }
      std::string_view row = text.substr(pos, nl - pos);
      if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
      ::hoks::JsonDocument doc;
      if (!doc.parse(row, limits_.json)) return false;
      // A whole value on the first line: NDJSON when anything but blanks follows.
      for (std::size_t p = nl + 1;;) {
        for (; p < buf_.size(); ++p) {
          const char c = buf_.view()[p];
          if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return true;
        }
        if (!reader_->read_more(buf_, read_size)) return false;
      }
    }
    return false;
  }

  bool next_whole(Unit& u) {
    if (done_) return false;
    while (reader_->read_more(buf_, std::max(read_size, buf_.size()))) {
    }
    u = Unit{};
    u.input = current_;
    u.text = std::move(buf_);
    buf_ = Bytes{};
    bytes_done_ += reader_->bytes();
    done_ = true;
    return true;
  }

  bool next_lines(Unit& u) {
    if (done_) return false;
    // At least chunk_size bytes (what was left of the last line first), cut after the last newline
    // (or everything at the end); the cut-off part of a line starts the next unit.
    Bytes text = spare_.take();
    text.assign(buf_.view());
    buf_.clear();
    while (text.size() < chunk_size && reader_->read_more(text, read_size)) {
    }
    std::size_t cut = text.size();
    if (!reader_->eof()) {
      std::size_t nl = text.view().rfind('\n');
      while (nl == std::string_view::npos) {  // one long line: read on to its end (only the new bytes are searched)
        const std::size_t searched = text.size();
        if (!reader_->read_more(text, read_size)) break;
        nl = text.view().substr(searched).rfind('\n');
        if (nl != std::string_view::npos) nl += searched;
      }
      cut = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    if (cut == 0) {
      bytes_done_ += reader_->bytes();
      return false;
    }
    buf_.assign(text.view().substr(cut));
    text.truncate(cut);
    u = Unit{};
    u.input = current_;
    u.ndjson = true;
    u.text = std::move(text);
    u.first_line = line_;
    u.first_index = documents_;
    // Lines and documents, for the positions of the next unit and --max-documents.
    std::uint32_t lines = 0, documents = 0;
    const std::string_view view = u.text.view();
    for (std::size_t p = 0; p < view.size();) {
      const std::size_t nl = view.find('\n', p);
      const std::size_t end = nl == std::string_view::npos ? view.size() : nl;
      if (!blank_line(view.substr(p, end - p))) ++documents;
      if (nl == std::string_view::npos) break;
      ++lines;
      p = nl + 1;
    }
    line_ += lines;
    documents_ += documents;
    const std::uint32_t limit = limits_.max_documents;
    if (limit > 0 && documents_ > limit) {
      // This unit holds the first document past the limit: it is the last one of the input.
      u.past_limit = u.first_index >= limit;
      u.max_documents = limit - std::min(limit, u.first_index);
      done_ = true;
    }
    if (reader_->eof() && buf_.size() == 0) done_ = true;
    if (done_) bytes_done_ += reader_->bytes();
    return true;
  }

  const std::vector<Input>& inputs_;
  const ::hoks::InputLimits& limits_;
  Pool<Bytes> spare_;  // recycled text buffers
  std::size_t current_ = 0;
  std::unique_ptr<Reader> reader_;
  Bytes buf_;  // read but not yet in a unit
  bool ndjson_ = false, done_ = false;
  std::uint32_t line_ = 1, documents_ = 0;
  std::uintmax_t bytes_done_ = 0;
};

// Runs the units of `source` through `process` on `jobs` threads (this one among them) and hands
// them to `write` one at a time, in input order, so that the report is the same for any --jobs.
// Each thread takes its next unit from the source itself, so reading, validating and writing
// overlap. The first failure (an exception of any of the three) stops the run and is thrown here.
//
// Memory stays flat: a unit is read only while few units are between reading and writing (two
// per thread, and two), or while the results waiting for their turn to be written are small (a
// kilobyte of findings per 200-byte document makes a unit's results megabytes). The second rule
// is for the shared cores: when the thread with the oldest unit is descheduled for a few
// milliseconds, the others go on meanwhile instead of soon waiting for it (with room for two per
// thread they waited up to a quarter of a --jobs 2 run on a busy machine). Units waiting to be
// written hold their results only: process() has given their text back.
template <class Process, class Write>
void run_units(UnitSource& source, unsigned jobs, Process&& process, Write&& write) {
  const std::size_t window = std::size_t{2} * jobs + 2;      // units between reading and writing
  const std::size_t max_window = std::size_t{2} * jobs + 32; // ... while the waiting results are small
  constexpr std::size_t max_waiting_bytes = std::size_t{4} << 20;
  std::mutex reading;              // the source, next_seq and source_done
  std::size_t next_seq = 0;        // sequence number of the next unit read
  bool source_done = false;
  std::mutex state;                // everything below
  std::condition_variable moved;   // written grew (or the run stopped)
  std::size_t written = 0;         // units written
  std::map<std::size_t, std::pair<Unit, std::size_t>> ready;  // processed units waiting for their turn, and their results' bytes()
  std::size_t waiting_bytes = 0;   // the results in `ready`
  bool writing = false;            // a thread is writing units
  std::exception_ptr failure;
  auto room = [&] {
    const std::size_t units = next_seq - written;
    return units < window || (units < max_window && waiting_bytes < max_waiting_bytes);
  };

  auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(state);
    if (!failure) failure = e;
    moved.notify_all();
  };
  auto worker = [&] {
    for (;;) {
      Unit u;
      std::size_t seq;
      {
        std::lock_guard<std::mutex> lock(reading);
        {
          std::unique_lock<std::mutex> lock_state(state);
          moved.wait(lock_state, [&] { return failure || room(); });
          if (failure) return;
        }
        if (source_done) return;
        try {
          if (!source.next(u)) {
            source_done = true;
            return;
          }
        } catch (...) {
          fail(std::current_exception());
          return;
        }
        seq = next_seq++;
      }
      try {
        process(u);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      const std::size_t bytes = u.results.bytes();
      std::unique_lock<std::mutex> lock(state);
      ready.emplace(seq, std::pair{std::move(u), bytes});
      waiting_bytes += bytes;
      if (writing) continue;  // the writing thread takes it in turn
      writing = true;
      while (!failure && !ready.empty() && ready.begin()->first == written) {
        Unit next = std::move(ready.begin()->second.first);
        waiting_bytes -= ready.begin()->second.second;
        ready.erase(ready.begin());
        lock.unlock();
        std::exception_ptr error;
        try {
          write(next);
        } catch (...) {
          error = std::current_exception();
        }
        lock.lock();
        if (error && !failure) failure = error;
        ++written;
        moved.notify_all();
      }
      writing = false;
    }
  };
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < jobs; ++k) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

// ---- progress ----------------------------------------------------------------------------------------

// A progress line on standard error when it is a terminal and the run takes more than a second.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  ~Progress() { clear(); }

  void update(std::uintmax_t bytes, std::uintmax_t total_bytes, std::size_t files, std::size_t total_files,
              std::size_t documents) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::string line = "\r";
    if (total_bytes > 0) {
      const double part = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes));
      const int filled = static_cast<int>(part * 30);
      line += "[" + std::string(filled, '#') + std::string(30 - filled, '.') + "] ";
      line += std::to_string(static_cast<int>(part * 100)) + "% ";
    }
    line += std::to_string(files) + "/" + std::to_string(total_files) + " files, " + std::to_string(documents) +
            " documents\033[K";
    std::cerr << line << std::flush;
    shown_ = true;
  }
  void clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_{};
};

// ---- the run --------------------------------------------------------------------------------------------

std::string read_text_file(const std::string& path, const char* what) {
  try {
    return read_file(path);
  } catch (const ToolError& e) {
    throw ToolError{std::string(what) + ": " + e.message};
  }
}

int run_validate(ValidateArgs a) {
  // Earlier model versions are loaded only when asked for: start-up stays small for the current one.
  const ::hoks::Model* selected = &::hoks::Model::builtin();
  if (!a.model.empty()) {
    const auto& versions = ::hoks::ModelVersions::builtin();
    if (!versions.find(a.model))
      throw ToolError{"--model: unknown model version '" + a.model + "' (known: " + versions.names() + ")"};
    selected = &versions.model(a.model);
  }
  const ::hoks::Model& model = *selected;
  const ::hoks::Catalog& catalog = ::hoks::Catalog::builtin();

  // hoks.yaml: --config FILE, or the nearest one from the working folder up; options given win.
  ::hoks::Config cfg;
  if (!a.no_config) {
    std::optional<fs::path> file;
    if (!a.config.empty()) file = fs::path(a.config);
    else file = ::hoks::find_config(fs::current_path());
    if (file) {
      try {
        cfg = ::hoks::parse_config(read_text_file(file->string(), "--config"), *file, catalog);
      } catch (const ::hoks::ConfigError& e) {
        throw ToolError{e.what()};
      }
    }
  }
  const auto& given = a.given;
  auto from_config = [](CLI::Option* option) { return option == nullptr || option->count() == 0; };
  if (from_config(given.operation) && cfg.operation) a.operation = std::string(::hoks::to_string(*cfg.operation));
  if (from_config(given.manual_entry) && cfg.manual_entry) a.manual_entry = *cfg.manual_entry;
  if (from_config(given.format) && cfg.format) a.format = std::string(::hoks::to_string(*cfg.format));
  if (from_config(given.lang) && cfg.lang) a.lang = std::string(::hoks::to_string(*cfg.lang));
  if (from_config(given.fail_on) && cfg.fail_on) a.fail_on = std::string(::hoks::to_string(*cfg.fail_on));
  if (from_config(given.redact) && cfg.redact) a.redact = *cfg.redact;
  if (from_config(given.include)) a.include = cfg.include;
  if (from_config(given.exclude)) a.exclude = cfg.exclude;
  if (from_config(given.baseline) && cfg.baseline) a.baseline = cfg.baseline->string();
  if (from_config(given.max_report_findings) && cfg.max_findings) a.max_report_findings = *cfg.max_findings;

  ::hoks::ValidationOptions options;
  const auto op = ::hoks::parse_operation(a.operation);
  if (!op || *op == ::hoks::Operation::read) throw ToolError{"--operation must be create, replace or update"};
  options.operation = *op;
  options.manual_entry = a.manual_entry;
  if (a.today.empty()) {
    options.today = today_from_clock();
  } else {
    auto d = ::hoks::parse_date(a.today);
    if (!d) throw ToolError{"--today must be a date YYYY-MM-DD, not '" + a.today + "'"};
    options.today = *d;
  }
  std::optional<::hoks::StudyRight> study_right;
  if (!a.opiskeluoikeus.empty()) {
    std::string error;
    study_right = ::hoks::parse_study_right(read_file(a.opiskeluoikeus), error);
    if (!study_right) throw ToolError{a.opiskeluoikeus + ":" + error};
    options.study_right = &*study_right;
  }
  ::hoks::RuleConfig config = cfg.rules;
  if (!from_config(given.select)) {
    config.select.clear();
    for (const auto& id : a.select) {
      if (!catalog.find(id)) throw ToolError{"--select: unknown rule '" + id + "' (see hoks rules)"};
      config.select.insert(id);
    }
  }
  if (!from_config(given.ignore)) {
    config.ignore.clear();
    for (const auto& id : a.ignore) {
      if (!catalog.find(id)) throw ToolError{"--ignore: unknown rule '" + id + "' (see hoks rules)"};
      config.ignore.insert(id);
    }
  }
  options.config = &config;
  if (!a.model.empty()) ::hoks::ModelVersions::builtin().apply_rule_set(a.model, config);  // the rule set of that version
  options.max_findings = a.max_findings;

  ::hoks::ReportOptions report;
  const auto lang = ::hoks::parse_lang(a.lang);
  if (!lang) throw ToolError{"--lang must be fi, sv or en"};
  report.lang = *lang;
  const auto fail_on = ::hoks::parse_severity(a.fail_on);
  if (!fail_on) throw ToolError{"--fail-on must be error, warning or info"};
  report.fail_on = *fail_on;
  const auto format = ::hoks::parse_report_format(a.format);
  if (!format) throw ToolError{"--format must be text, concise, json, junit, sarif, github, gitlab or html"};
  report.redact = a.redact;
  report.hints = a.hints == "all" ? ::hoks::HintMode::all : a.hints == "none" ? ::hoks::HintMode::none : ::hoks::HintMode::first;
  report.detail = a.quiet ? ::hoks::TextDetail::totals : a.statistics ? ::hoks::TextDetail::statistics : ::hoks::TextDetail::findings;
  report.max_findings = a.max_report_findings;
  report.tool_version = HOKS_VERSION;
  report.ruleset = catalog.version();
  report.color = (*format == ::hoks::ReportFormat::text || *format == ::hoks::ReportFormat::concise) &&
                 (a.color == "always" || (a.color == "auto" && a.output.empty() && isatty(STDOUT_FILENO)));
  const bool html = *format == ::hoks::ReportFormat::html;

  std::optional<::hoks::Baseline> baseline;
  if (!a.baseline.empty()) {
    try {
      baseline = ::hoks::Baseline::parse(read_text_file(a.baseline, "--baseline"));
    } catch (const ::hoks::BaselineError& e) {
      throw ToolError{a.baseline + ":" + e.what()};
    }
  }
  std::vector<::hoks::BaselineEntry> recorded;

  const std::vector<Input> inputs =
      collect_inputs(a.paths.empty() ? std::vector<std::string>{"-"} : a.paths, a.include, a.exclude);
  std::uintmax_t total_bytes = 0;
  bool sizes_known = true;
  for (const auto& in : inputs) {
    total_bytes += in.size;
    if (in.path == "-") sizes_known = false;
  }

  std::ofstream file_out;
  if (!a.output.empty()) {
    file_out.open(a.output, std::ios::binary | std::ios::trunc);
    if (!file_out) throw ToolError{a.output + ": cannot write"};
  }
  std::ostream& out = a.output.empty() ? std::cout : file_out;
  ::hoks::ReportWriter writer(*format, out, catalog, report);
  Progress progress(a.progress == "always" || (a.progress == "auto" && isatty(STDERR_FILENO)));

  const ::hoks::Validator validator(model, catalog);
  if (a.from != "json") {  // XML, CSV or a vendor profile: convert, validate, report at the input's positions
    const ::hoks::Profile profile = load_profile(a.from);
    for (const auto& path : a.paths.empty() ? std::vector<std::string>{"-"} : a.paths)
      for (auto& r : validate_converted(validator, profile, path, options, a.limits)) writer.add(r, {});
    writer.finish();
    out.flush();
    return writer.summary().failed ? exit_findings : exit_ok;
  }
  // NDJSON is read as a stream: memory stays flat, so it has no document-count limit unless given.
  ::hoks::InputLimits stream_limits = a.limits;
  if (a.given.max_documents->count() == 0) stream_limits.max_documents = 0;
  UnitSource units(inputs, stream_limits);
  // Validates one unit (in a worker thread) and makes its part of the report: findings,
  // redaction, baseline, excerpts, the rendered documents.
  Pool<Results> results_pool;
  auto process = [&](Unit& u) {
    u.results = results_pool.take();
    Results& res = u.results;
    const std::string& source = inputs[u.input].path;
    const std::string_view text = u.text.view();
    if (u.past_limit) {
      // The first document of this unit is past --max-documents: the report validate_text gives.
      ::hoks::DocumentReport& r = res.docs.emplace_back();
      r.source = source;
      r.operation = options.operation;
      std::size_t p = 0;
      while (true) {
        const std::size_t nl = text.find('\n', p);
        if (!blank_line(text.substr(p, (nl == std::string_view::npos ? text.size() : nl) - p)) ||
            nl == std::string_view::npos)
          break;
        p = nl + 1;
        ++r.line;
      }
      r.line += u.first_line - 1;
      r.index = u.first_index;
      r.not_checked = 1;
      ::hoks::Finding f;
      f.rule = "syntax";
      f.args = {{"detail", "too_many_documents"}};
      f.location.line = r.line;
      f.location.column = 1;
      r.findings.push_back(std::move(f));
    } else {
      ::hoks::InputLimits limits = a.limits;
      if (u.ndjson) limits.max_documents = u.max_documents;
      ::hoks::validate_text(validator, source, text, options, res.docs,
                            u.ndjson ? ::hoks::InputLayout::ndjson : ::hoks::InputLayout::automatic, limits);
      if (u.ndjson) {
        for (auto& r : res.docs) {
          r.index += u.first_index;
          r.line += u.first_line - 1;
          for (auto& f : r.findings)
            if (f.location.line > 0 && f.location.file.empty()) f.location.line += u.first_line - 1;
        }
      }
    }
    std::string masked;  // the text with personal data masked (html excerpts of --redact)
    if (a.redact && !u.past_limit) {
      const ::hoks::PersonalData personal(text, model);
      for (auto& r : res.docs) personal.redact(r.findings, report.lang);
      if (html) masked = personal.masked_text();
    }
    std::optional<::hoks::SourceLines> lines;
    if (html) lines.emplace(a.redact ? std::string_view(masked) : text, u.ndjson ? u.first_line : 1);
    res.extras.resize(res.docs.size());
    res.ends.reserve(res.docs.size());
    for (std::size_t i = 0; i < res.docs.size(); ++i) {
      ::hoks::DocumentReport& r = res.docs[i];
      ::hoks::DocumentExtras& extras = res.extras[i];
      if (!a.write_baseline.empty()) ::hoks::record_baseline(r, res.recorded);
      extras.in_collection = u.ndjson || res.docs.size() > 1;
      extras.suppressed = baseline ? baseline->apply(r, catalog, &config) : 0;
      if (lines) {
        for (const auto& f : r.findings)
          extras.excerpts.push_back(f.location.line > 0 && f.location.file.empty()
                                        ? lines->excerpt(f.location.line, f.location.column, u.ndjson ? 0 : 2)
                                        : ::hoks::Excerpt{});
      }
      res.rendered += writer.render(r, extras).text;
      res.ends.push_back(res.rendered.size());
    }
    units.recycle(std::move(u.text));  // the report has what it needs of the text
  };
  // Writes one processed unit into the report (one thread at a time, in input order).
  std::size_t documents = 0;
  auto write = [&](Unit& u) {
    Results& res = u.results;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < res.docs.size(); ++i) {
      const std::string_view text = std::string_view(res.rendered).substr(begin, res.ends[i] - begin);
      writer.add(res.docs[i], res.extras[i], text, res.docs[i].findings.size());
      begin = res.ends[i];
    }
    documents += res.docs.size();
    recorded.insert(recorded.end(), std::make_move_iterator(res.recorded.begin()), std::make_move_iterator(res.recorded.end()));
    progress.update(u.bytes_done, sizes_known ? total_bytes : 0, u.inputs_done, inputs.size(), documents);
    res.clear();
    if (res.rendered.capacity() <= std::size_t{16} << 20) results_pool.give(std::move(res));  // not the report of a huge file
  };

  unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  // No more threads than there can be units (a small file: this one only).
  if (sizes_known)
    jobs = static_cast<unsigned>(std::clamp<std::uintmax_t>(inputs.size() + 2 * total_bytes / chunk_size, 1, jobs));
  run_units(units, jobs, process, write);
  progress.clear();
  writer.finish();
  out.flush();
  if (!out) throw ToolError{(a.output.empty() ? std::string("standard output") : a.output) + ": cannot write"};

  if (!a.write_baseline.empty()) {
    std::ofstream b(a.write_baseline, std::ios::binary | std::ios::trunc);
    if (!b || !(b << ::hoks::render_baseline(std::move(recorded), catalog.version())))
      throw ToolError{a.write_baseline + ": cannot write"};
    return exit_ok;  // the current findings are now accepted
  }
  if (writer.summary().not_checked > 0) return exit_tool;  // a limit, not a verdict on the data
  return writer.summary().failed ? exit_findings : exit_ok;
}

}  // namespace

std::function<int()> add_validate_command(CLI::App& app) {
  auto a = std::make_shared<ValidateArgs>();
  auto& g = a->given;
  auto* validate = app.add_subcommand("validate", "Validate HOKS documents (files, directories, - for stdin)");
  validate->add_option("paths", a->paths, "Files, directories or - (standard input)");
  g.operation = validate->add_option("--operation", a->operation, "create (POST), replace (PUT) or update (PATCH)")
                    ->check(CLI::IsMember({"create", "replace", "update"}));
  g.manual_entry =
      validate->add_flag("--manual-entry", a->manual_entry, "Virkailija (manual entry) routes: skip oht-tunniste");
  validate->add_option("--today", a->today, "The date of date-relative rules (YYYY-MM-DD; default: today)");
  validate->add_option("--model", a->model, "Model version (default: the current one; see docs/model-maintenance.md)");
  validate->add_option("--from", a->from, "Input format: json, xml, csv (a directory of tables) or PROFILE.yaml");
  validate->add_option("--opiskeluoikeus", a->opiskeluoikeus, "The student's KOSKI study right (JSON)");
  g.format = validate->add_option("--format", a->format, "text, concise, json, junit, sarif, github, gitlab or html")
                 ->check(CLI::IsMember({"text", "concise", "json", "junit", "sarif", "github", "gitlab", "html"}));
  validate->add_option("-o,--output", a->output, "Write the report to this file");
  g.lang = validate->add_option("--lang", a->lang, "Language of messages and of the html report: fi, sv or en")
               ->check(CLI::IsMember({"fi", "sv", "en"}));
  g.fail_on = validate->add_option("--fail-on", a->fail_on, "Lowest severity that fails the run (exit 1)")
                  ->check(CLI::IsMember({"error", "warning", "info"}));
  g.select = validate->add_option("--select", a->select, "Only these rules (repeatable)")->delimiter(',')->allow_extra_args(false);
  g.ignore = validate->add_option("--ignore", a->ignore, "Not these rules (repeatable)")->delimiter(',')->allow_extra_args(false);
  validate->add_option("-j,--jobs", a->jobs, "Worker threads (default: all cores); the report is the same for any N");
  g.redact = validate->add_flag("--redact", a->redact,
                                "Leave personal data (names, e-mail addresses, phone numbers, OIDs) out of the report");
  validate->add_option("--hints", a->hints, "Text: a rule's fix hint at its first finding (first), at every one (all) or none")
      ->check(CLI::IsMember({"first", "all", "none"}))
      ->capture_default_str();
  validate->add_flag_callback("--no-hints", [a] { a->hints = "none"; }, "Text: leave out the fix hints (--hints none)");
  validate->add_flag("--statistics", a->statistics, "Text: only the per-rule table and the totals");
  validate->add_flag("-q,--quiet", a->quiet, "Text: only the totals line");
  validate->add_option("--color", a->color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_option("--config", a->config, "Settings file (default: hoks.yaml here or in a folder above)");
  validate->add_flag("--no-config", a->no_config, "Do not read hoks.yaml");
  g.include = validate->add_option("--include", a->include, "Globs of files taken from folders (default *.json, *.ndjson, *.jsonl)")
                  ->delimiter(',')
                  ->allow_extra_args(false);
  g.exclude = validate->add_option("--exclude", a->exclude, "Globs of files left out of folders")
                  ->delimiter(',')
                  ->allow_extra_args(false);
  g.baseline = validate->add_option("--baseline", a->baseline, "Hide the findings recorded in this baseline file");
  validate->add_option("--write-baseline", a->write_baseline, "Record the current findings in this baseline file (exit 0)");
  g.max_report_findings =
      validate->add_option("--max-findings", a->max_report_findings, "Show at most N findings; totals stay whole");
  validate->add_option("--progress", a->progress, "Progress on standard error: auto (a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_option("--max-depth", a->limits.json.max_depth, "Limit: nesting depth of a document (0: none)")
      ->capture_default_str();
  validate->add_option("--max-document-size", a->limits.json.max_document_bytes,
                       "Limit: bytes of one document, e.g. 64MiB (0: none up to 4 GiB)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  validate->add_option("--max-string-length", a->limits.json.max_string_bytes, "Limit: bytes of one string (0: none)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  g.max_documents = validate->add_option("--max-documents", a->limits.max_documents,
                                         "Limit: documents in one JSON array; in NDJSON streams none unless given (0: none)")
      ->capture_default_str();
  validate->add_option("--max-findings-per-document", a->max_findings, "Limit: findings reported per document (0: none)")
      ->capture_default_str();
  return [validate, a]() -> int { return *validate ? run_validate(*a) : -1; };
}

}  // namespace hoks::cli
