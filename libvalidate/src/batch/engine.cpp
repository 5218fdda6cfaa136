// The batch engine (hoks/batch/engine.hpp): reading, units, the thread pool, the ordered writer.
#include "hoks/batch/engine.hpp"

#include "check/rule_ids.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <istream>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "batch/batch_internal.hpp"
#include "report/finding_pool.hpp"
#include "hoks/batch/config.hpp"

namespace fs = std::filesystem;

namespace hoks {
namespace {

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
  void reserve(std::size_t n) {
    if (n > capacity_) room(n - size_);
  }
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

// Reads a source piece by piece: a file or standard input by its descriptor, a stream, or bytes in memory.
class Reader {
 public:
  explicit Reader(const BatchSource& in) : in_(in), size_(in.in_memory ? in.text.size() : in.size) {
    if (in.in_memory || in.stream) return;
    fd_ = in.name == "-" ? STDIN_FILENO : ::open(in.name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw BatchError(in.name + ": cannot read file (" + std::strerror(errno) + ")");
    struct stat st{};
    if (fd_ != STDIN_FILENO && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) file_size_ = static_cast<std::uintmax_t>(st.st_size);
  }
  ~Reader() {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Appends up to n bytes to buf (fewer when the size says the rest is shorter: one more byte
  // than the rest, to see the end); false at the end of the input. A file truncated meanwhile
  // simply ends sooner (it is read, not mapped).
  bool read_more(Bytes& buf, std::size_t n) {
    if (eof_) return false;
    if (size_ > 0 && bytes_ <= size_) n = static_cast<std::size_t>(std::min<std::uintmax_t>(n, size_ - bytes_ + 1));
    char* to = buf.room(n);
    std::size_t got = 0;
    if (in_.in_memory) {
      got = std::min<std::size_t>(n, in_.text.size() - static_cast<std::size_t>(bytes_));
      if (got > 0) std::memcpy(to, in_.text.data() + bytes_, got);
    } else if (in_.stream) {
      in_.stream->read(to, static_cast<std::streamsize>(n));
      got = static_cast<std::size_t>(in_.stream->gcount());
      if (in_.stream->bad()) throw BatchError(in_.name + ": cannot read");
    } else {
      ssize_t r;
      do r = ::read(fd_, to, n);
      while (r < 0 && errno == EINTR);
      if (r < 0) throw BatchError(in_.name + ": cannot read file (" + std::strerror(errno) + ")");
      got = static_cast<std::size_t>(r);
    }
    buf.commit(got);
    bytes_ += got;
    if (got == 0) eof_ = true;
    return got > 0;
  }
  bool eof() const { return eof_; }
  std::uintmax_t bytes() const { return bytes_; }

  // Whether read_at() can read any part of the input, from any thread: bytes in memory, or a
  // regular file other than standard input (whose reading may not start at its beginning).
  bool random_access() const { return in_.in_memory || file_size_ > 0; }
  // The input's size for read_at() (a file's when it was opened).
  std::uintmax_t random_access_size() const { return in_.in_memory ? in_.text.size() : file_size_; }
  // Appends the up to n bytes at `offset` to buf; fewer at the end (a file truncated meanwhile
  // ends sooner). Any thread may call it.
  std::size_t read_at(std::uintmax_t offset, Bytes& buf, std::size_t n) const {
    char* to = buf.room(n);
    std::size_t got = 0;
    if (in_.in_memory) {
      if (offset < in_.text.size()) got = std::min<std::size_t>(n, in_.text.size() - static_cast<std::size_t>(offset));
      if (got > 0) std::memcpy(to, in_.text.data() + offset, got);
    } else {
      while (got < n) {
        const ssize_t r = ::pread(fd_, to + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) throw BatchError(in_.name + ": cannot read file (" + std::strerror(errno) + ")");
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
      }
    }
    buf.commit(got);
    return got;
  }

 private:
  const BatchSource& in_;
  std::uintmax_t size_;
  int fd_ = -1;
  std::uintmax_t file_size_ = 0;  // a regular file's size when opened (0: not one, or empty)
  bool eof_ = false;
  std::uintmax_t bytes_ = 0;
};

// NDJSON is cut into units of about chunk_size bytes of lines. A unit's report can be several
// times its size (a kilobyte of findings for a 200-byte document) and is kept until its turn to
// be written, so units are small: a window of them stays a few megabytes (128 KiB rather than
// 256 KiB: peak RSS on a 96 MiB stream of such documents 14-20 MiB rather than 22-36 MiB, --jobs 2).
constexpr std::size_t read_size = std::size_t{128} << 10;   // bytes asked of the system at a time
constexpr std::size_t chunk_size = std::size_t{128} << 10;
constexpr std::size_t unit_room = chunk_size + read_size;  // a unit's text: the last line's rest, then a read

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

// A piece of work: a whole input, or a run of whole lines of an NDJSON stream.
struct Unit {
  std::size_t input = 0;
  Bytes text;
  bool ndjson = false;
  std::uint32_t first_line = 1;    // NDJSON: line number of the unit's first line
  std::uint32_t first_index = 0;   // NDJSON: index of the unit's first document
  std::uint32_t max_documents = 0; // NDJSON: documents this unit may still hold (0: no limit)
  bool past_limit = false;         // NDJSON: the unit's first document is already past --max-documents
  struct Row {
    std::uint32_t offset, size, line;  // a non-blank line (without its line break) and its number
  };
  std::vector<Row> rows;           // NDJSON: the unit's documents, found once when it is cut
  std::size_t text_begin = 0;      // NDJSON: where the unit's first line starts in `text`
  // NDJSON cut by position: the unit is the lines whose line break is in the block [range_begin,
  // range_end) of its input, read by the thread that processes it (UnitSource::complete); `claim`
  // orders them.
  std::shared_ptr<const Reader> reader;
  std::uintmax_t range_begin = 0, range_end = 0;
  std::size_t claim = 0;
  bool no_lines = false;           // a block inside a long line (or a tail the last block took): nothing for the sink
  std::uint32_t rest = 0;          // NDJSON past the limit: documents after this unit (counted, not read into units)
  std::uintmax_t bytes_done = 0;   // progress once this unit is reported: bytes and inputs read
  std::size_t inputs_done = 0;
  BatchUnit results;  // when processed
  std::size_t results_bytes = 0;  // about the bytes of `results` (held until the unit is released)
  unsigned producer = 0;  // the thread that processed it
};

// Whether a line holds nothing but blanks (as validate_text's NDJSON reading counts lines).
bool blank_line(std::string_view row) {
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
  return row.find_first_not_of(" \t") == std::string_view::npos;
}

// The documents (non-blank lines, without their line break) of whole NDJSON lines, numbered from
// `first_line`; returns the lines (line breaks) and the documents.
std::pair<std::uint32_t, std::uint32_t> split_rows(std::string_view view, std::uint32_t first_line, std::vector<Unit::Row>& rows) {
  std::uint32_t lines = 0, documents = 0;
  for (std::size_t p = 0; p < view.size();) {
    const std::size_t nl = view.find('\n', p);
    std::size_t end = nl == std::string_view::npos ? view.size() : nl;
    if (!blank_line(view.substr(p, end - p))) {
      ++documents;
      if (end > p && view[end - 1] == '\r') --end;
      rows.push_back({static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(end - p), first_line + lines});
    }
    if (nl == std::string_view::npos) break;
    ++lines;
    p = nl + 1;
  }
  return {lines, documents};
}

// Cuts the inputs into units, in order. NDJSON (by extension, or when the first line is a whole
// JSON value and more follows) is streamed in pieces of whole lines; anything else is read whole.
class UnitSource {
 public:
  UnitSource(const std::vector<BatchSource>& inputs, const InputLimits& limits) : inputs_(inputs), limits_(limits) {}

  // Keeps the text buffer of a unit that is done with it for a later piece of NDJSON (see Pool).
  // Any thread may call it.
  void recycle(Bytes&& text) {
    if (text.capacity() >= unit_room && text.capacity() <= 2 * unit_room) spare_.give(std::move(text));
  }

  // The next unit, or false after the last one.
  bool next(Unit& u) {
    for (;;) {
      if (!reader_) {
        if (current_ >= inputs_.size()) return false;
        open();
      }
      if (parallel_ ? claim_lines(u) : ndjson_ ? next_lines(u) : next_whole(u)) {
        u.bytes_done = bytes_done();
        u.inputs_done = current_;
        return true;
      }
      reader_.reset();
      ++current_;
    }
  }

  // Reads the lines of a unit that claim_lines() gave and numbers them (after the units before it
  // are read: their lines and documents are counted then); nothing for a unit read already. Any
  // thread may call it, any number at a time.
  void complete(Unit& u) {
    if (!u.reader) return;
    std::pair<std::uint32_t, std::uint32_t> counts{0, 0};
    try {
      read_claimed(u);
      counts = split_rows(u.text.view().substr(u.text_begin), 0, u.rows);
    } catch (...) {
      place(u, {0, 0});  // the units after it are numbered all the same
      throw;
    }
    place(u, counts);
    for (Unit::Row& row : u.rows) row.line += u.first_line;
    u.reader.reset();
  }

 private:
  std::uintmax_t bytes_done() const {
    if (parallel_) return bytes_done_ + claimed_;
    return bytes_done_ + (reader_ ? reader_->bytes() - buf_.size() : 0);
  }

  void open() {
    const BatchSource& in = inputs_[current_];
    reader_ = std::make_shared<Reader>(in);
    buf_.clear();
    line_ = 1;
    documents_ = 0;
    done_ = false;
    const std::string ext = fs::path(in.name).extension().string();
    ndjson_ = ext == ".ndjson" || ext == ".jsonl" || sniff_ndjson();
    // NDJSON that can be read anywhere is cut by position: each thread reads its own unit, so
    // that reading is not a thread's turn. (Under a document limit, the input ends at the unit
    // that holds the first document past it: read in turn.)
    // (What the sniffing read must be one block at most: next_lines() would cut it as a whole.)
    parallel_ = ndjson_ && limits_.max_documents == 0 && in.name != "-" && reader_->random_access() &&
                reader_->random_access_size() > 0 && buf_.size() <= chunk_size;
    claimed_ = 0;
    tail_claimed_ = false;
  }

  // The next unit of an input read by position: a block of chunk_size bytes, read by complete();
  // after the last block, the input's tail (see read_claimed).
  bool claim_lines(Unit& u) {
    const std::uintmax_t size = reader_->random_access_size();
    if (tail_claimed_) {
      bytes_done_ += size;
      parallel_ = false;
      return false;
    }
    u = Unit{};
    u.input = current_;
    u.ndjson = true;
    u.reader = reader_;
    u.range_begin = claimed_;
    u.range_end = std::min<std::uintmax_t>(size, claimed_ + chunk_size);
    u.claim = claims_++;
    // (An input shorter than a block has no tail: its block's unit runs to the end.)
    tail_claimed_ = claimed_ == size || size < chunk_size;
    claimed_ = u.range_end;
    return true;
  }

  // Reads a claimed unit: the lines cut as next_lines() cuts them, which reads the input a block
  // of chunk_size bytes at a time and cuts after each block's last line break. A unit is the lines
  // whose line break is in its block: from after the last line break before the block (`first`)
  // to after the block's last. The last block's unit runs to the end when it has no line break or
  // is less than a block from `first` (next_lines() reads on and finds the end); otherwise the
  // rest after its last line break is the tail's unit. A block without a line break (inside a
  // long line), and a tail that the last block took, have no lines.
  void read_claimed(Unit& u) {
    const std::uintmax_t size = u.reader->random_access_size();
    const bool tail = u.range_begin == size;
    // The block (the tail: the last block), and up to 16 KiB before it, where its first line starts.
    const std::uintmax_t block = tail ? (size - 1) / chunk_size * chunk_size : u.range_begin;
    const std::uintmax_t block_end = std::min<std::uintmax_t>(size, block + chunk_size);
    const std::uintmax_t from = block - std::min<std::uintmax_t>(block, 16 << 10);
    Bytes text = spare_.take();
    text.clear();  // a recycled buffer keeps its last unit's size
    text.reserve(unit_room);
    const std::size_t got = u.reader->read_at(from, text, static_cast<std::size_t>(block_end - from));
    const std::size_t at_block = static_cast<std::size_t>(block - from);
    const auto no_lines = [&] {
      u.no_lines = true;
      text.clear();
      recycle(std::move(text));
    };
    if (got <= at_block) return no_lines();  // truncated meanwhile
    const std::size_t last_break = text.view().rfind('\n');
    const bool breaks = last_break != std::string_view::npos && last_break >= at_block;
    const bool last = block_end == size;
    if (!breaks && !last) return no_lines();
    // Where the block's first line starts.
    std::uintmax_t first = 0;
    const std::size_t before = block == 0 ? std::string_view::npos : text.view().substr(0, at_block).rfind('\n');
    if (before != std::string_view::npos) first = from + before + 1;
    else if (from > 0) first = line_start_before(*u.reader, from);
    const bool to_end = !breaks || size - first < chunk_size;
    std::uintmax_t begin = first, end = to_end ? size : from + last_break + 1;
    if (tail) {
      if (to_end || end == size) return no_lines();
      begin = end;
      end = size;
    }
    if (begin >= from) {
      u.text_begin = static_cast<std::size_t>(begin - from);
      text.truncate(std::min<std::size_t>(got, static_cast<std::size_t>(end - from)));
    } else {  // a line longer than 16 KiB runs into the block: read it whole
      text.clear();
      u.reader->read_at(begin, text, static_cast<std::size_t>(end - begin));
      u.text_begin = 0;
    }
    u.text = std::move(text);
  }

  // Where the line that holds the byte before `offset` starts: after the line break before it,
  // searched backwards a growing piece at a time (or the input's start).
  static std::uintmax_t line_start_before(const Reader& reader, std::uintmax_t offset) {
    Bytes piece;
    for (std::size_t n = std::size_t{64} << 10; offset > 0; n *= 2) {
      const std::uintmax_t from = offset - std::min<std::uintmax_t>(offset, n);
      piece.clear();
      const std::size_t got = reader.read_at(from, piece, static_cast<std::size_t>(offset - from));
      const std::size_t nl = piece.view().substr(0, got).rfind('\n');
      if (nl != std::string_view::npos) return from + nl + 1;
      offset = from;
    }
    return 0;
  }

  // The counts of the units claimed before this one have all been placed: the unit's first line
  // and document index follow from theirs (from 1 and 0 at the start of each input).
  void place(Unit& u, std::pair<std::uint32_t, std::uint32_t> counts) {
    std::unique_lock<std::mutex> lock(chain_mutex_);
    chain_.emplace(u.claim, Link{u.input, counts.first, counts.second});
    for (auto it = chain_.find(placed_); it != chain_.end(); it = chain_.find(++placed_)) {
      Link& link = it->second;
      if (link.input != placed_input_) {
        placed_input_ = link.input;
        next_line_ = 1;
        next_index_ = 0;
      }
      link.first_line = next_line_;
      link.first_index = next_index_;
      next_line_ += link.lines;
      next_index_ += link.documents;
    }
    chain_placed_.notify_all();
    chain_placed_.wait(lock, [&] { return placed_ > u.claim; });
    const auto it = chain_.find(u.claim);
    u.first_line = it->second.first_line;
    u.first_index = it->second.first_index;
    chain_.erase(it);
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
      JsonDocument doc;
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
    bytes_done_ += reader_->bytes();
    done_ = true;
    // Empty standard input holds no documents (an empty file is an empty document).
    if (inputs_[current_].name == "-" && !inputs_[current_].in_memory &&
        buf_.view().find_first_not_of(" \t\r\n") == std::string_view::npos)
      return false;
    u = Unit{};
    u.input = current_;
    u.text = std::move(buf_);
    buf_ = Bytes{};
    return true;
  }

  bool next_lines(Unit& u) {
    if (done_) return false;
    // At least chunk_size bytes (what was left of the last line first), cut after the last newline
    // (or everything at the end); the cut-off part of a line starts the next unit.
    Bytes text = spare_.take();
    // Room for a unit from the start: grown from the leftover, a buffer would be made two or three
    // times, each new one's pages faulted in afresh as the file is read into it.
    text.reserve(unit_room);
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
    // The documents (non-blank lines) and the lines, for the positions of the next unit and
    // --max-documents: the one split of the stream into documents.
    const auto [lines, documents] = split_rows(u.text.view(), line_, u.rows);
    line_ += lines;
    documents_ += documents;
    const std::uint32_t limit = limits_.max_documents;
    if (limit > 0 && documents_ > limit) {
      // This unit holds the first document past the limit: it is the last one of the input.
      u.past_limit = u.first_index >= limit;
      u.max_documents = limit - std::min(limit, u.first_index);
      u.rest = count_rest();
      done_ = true;
    }
    if (reader_->eof() && buf_.size() == 0) done_ = true;
    if (done_) bytes_done_ += reader_->bytes();
    return true;
  }

  // The documents (non-blank lines) of the input not yet read, read and counted a piece at a time.
  std::uint32_t count_rest() {
    std::uint32_t n = 0;
    for (bool more = true; more;) {
      more = reader_->read_more(buf_, read_size);
      const std::string_view v = buf_.view();
      std::size_t p = 0;
      for (std::size_t nl; (nl = v.find('\n', p)) != std::string_view::npos; p = nl + 1) n += !blank_line(v.substr(p, nl - p));
      if (!more) {
        n += !blank_line(v.substr(p));
        break;
      }
      Bytes tail;
      tail.assign(v.substr(p));
      buf_ = std::move(tail);
    }
    buf_.clear();
    return n;
  }

  const std::vector<BatchSource>& inputs_;
  const InputLimits& limits_;
  Pool<Bytes> spare_;  // recycled text buffers
  std::size_t current_ = 0;
  std::shared_ptr<Reader> reader_;
  Bytes buf_;  // read but not yet in a unit
  bool ndjson_ = false, done_ = false;
  bool parallel_ = false;       // the input is read by position (claim_lines)
  std::uintmax_t claimed_ = 0;  // ... up to here
  bool tail_claimed_ = false;   // ... and its tail
  std::size_t claims_ = 0;      // units claimed, of all inputs
  // The line and document counts of claimed units, in claim order (complete): placed_ claims are
  // numbered; next_line_ and next_index_ are those of the next one, in input placed_input_.
  struct Link {
    std::size_t input;
    std::uint32_t lines, documents;
    std::uint32_t first_line = 0, first_index = 0;
  };
  std::mutex chain_mutex_;
  std::condition_variable chain_placed_;
  std::map<std::size_t, Link> chain_;
  std::size_t placed_ = 0, placed_input_ = SIZE_MAX;
  std::uint32_t next_line_ = 1, next_index_ = 0;
  std::uint32_t line_ = 1, documents_ = 0;
  std::uintmax_t bytes_done_ = 0;
};

// About the bytes a processed unit holds until it is released.
std::size_t results_bytes(const BatchUnit& u) {
  std::size_t n = u.documents.size() * sizeof(u.documents[0]) + (u.extra ? u.extra->bytes() : 0);
  for (const auto& r : u.documents) n += r.findings.size() * sizeof(r.findings[0]);
  return n;
}

// Runs the units of `source` through `process` on `jobs` threads (this one among them) and hands
// them to `write` one at a time, in input order, so that the report is the same for any --jobs.
// Each thread takes its next unit from the source itself, so reading, validating and writing
// overlap. The first failure (an exception of any of the three) stops the run and is thrown here.
//
// A written unit goes back to the thread that processed it, which frees its results (and keeps
// its findings for its next ones) before it reads again: memory is freed by the thread whose heap
// it came from. (Freed by the writing thread, a --jobs 2 run took the other heap's lock for each
// block, and that heap grew on, a page at a time: a fifth more CPU time than --jobs 1 in malloc,
// free, futex and mprotect on the findings-heavy corpus.)
//
// Memory stays flat: a unit is read only while few units are between reading and release (two
// per thread, and two), or while the results not yet released are small (a kilobyte of findings
// per 200-byte document makes a unit's results megabytes). The second rule is for the shared
// cores: when the thread with the oldest unit is descheduled for a few milliseconds, the others go
// on meanwhile instead of soon waiting for it (with room for two per thread they waited up to a
// quarter of a --jobs 2 run on a busy machine). Units waiting to be written hold their results
// only: process() has given their text back.
//
// Returns false when `cancel` stopped it.
template <class Process, class Write>
bool run_units(UnitSource& source, unsigned jobs, const std::atomic<bool>* cancel, Process&& process, Write&& write) {
  const std::size_t window = std::size_t{2} * jobs + 2;      // units between reading and release
  const std::size_t max_window = std::size_t{2} * jobs + 32; // ... while their results are small
  constexpr std::size_t max_waiting_bytes = std::size_t{4} << 20;
  std::mutex state;                // everything below
  std::condition_variable moved;   // a unit was read, written or released (or the run stopped)
  bool reading = false;            // a thread is taking the next unit from the source
  bool source_done = false, cancelled = false;
  std::size_t next_seq = 0;        // sequence number of the next unit read
  std::size_t written = 0;         // units written
  std::size_t released = 0;        // units written and freed by the thread that processed them
  std::map<std::size_t, Unit> ready;             // processed units waiting for their turn
  std::vector<std::vector<Unit>> written_back(jobs);  // written units, for the thread that processed them
  std::size_t waiting_bytes = 0;   // the results of the units processed and not yet released
  bool writing = false;            // a thread is writing units
  std::exception_ptr failure;
  auto room = [&] {
    const std::size_t units = next_seq - released;
    return units < window || (units < max_window && waiting_bytes < max_waiting_bytes);
  };
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(state);
    if (!failure) failure = e;
    moved.notify_all();
  };
  // Frees written units of this thread (outside the lock), then counts them released.
  auto release = [&](std::vector<Unit>& units, std::unique_lock<std::mutex>& lock) {
    std::size_t bytes = 0;
    lock.unlock();
    for (Unit& u : units) {
      bytes += u.results_bytes;
      detail::recycle_findings(u.results.documents);
    }
    const std::size_t n = units.size();
    units.clear();
    lock.lock();
    released += n;
    waiting_bytes -= bytes;
    moved.notify_all();
  };
  auto worker = [&](unsigned self) {
    std::vector<Unit> mine;  // this thread's written units, being freed
    std::unique_lock<std::mutex> lock(state);
    for (;;) {
      moved.wait(lock, [&] {
        return failure || !written_back[self].empty() || (!reading && (source_done || cancelled || room()));
      });
      if (failure) return;
      if (!written_back[self].empty()) {
        mine.swap(written_back[self]);
        release(mine, lock);
        continue;
      }
      if (source_done || cancelled) {
        if (written == next_seq) return;
        moved.wait(lock, [&] { return failure || !written_back[self].empty() || written == next_seq; });
        continue;  // this thread's last units are freed here too
      }
      if (cancel && cancel->load()) {
        cancelled = true;
        moved.notify_all();
        continue;
      }
      reading = true;
      lock.unlock();
      Unit u;
      bool more = false;
      try {
        more = source.next(u);
      } catch (...) {
        fail(std::current_exception());
        lock.lock();
        reading = false;
        return;
      }
      lock.lock();
      reading = false;
      moved.notify_all();
      if (!more) {
        source_done = true;
        continue;
      }
      const std::size_t seq = next_seq++;
      lock.unlock();
      u.producer = self;
      u.results.seq = seq;
      try {
        source.complete(u);
        process(u);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      u.results_bytes = results_bytes(u.results);
      lock.lock();
      waiting_bytes += u.results_bytes;
      ready.emplace(seq, std::move(u));
      if (writing) continue;  // the writing thread takes it in turn
      writing = true;
      while (!failure && !ready.empty() && ready.begin()->first == written) {
        Unit next = std::move(ready.begin()->second);
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
        written_back[next.producer].push_back(std::move(next));
        moved.notify_all();
      }
      writing = false;
    }
  };
  std::vector<std::thread> threads;
  for (unsigned k = 1; k < jobs; ++k) threads.emplace_back(worker, k);
  worker(0);
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return !cancelled;
}

}  // namespace

unsigned usable_cores() {
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return static_cast<unsigned>(std::max(1, CPU_COUNT(&cpus)));
  return std::max(1u, std::thread::hardware_concurrency());
}

BatchSource BatchSource::file(std::string path, std::uintmax_t size) {
  BatchSource s;
  s.name = std::move(path);
  s.size = size;
  return s;
}

BatchSource BatchSource::bytes(std::string name, std::string text) {
  BatchSource s;
  s.name = std::move(name);
  s.size = text.size();
  s.in_memory = true;
  s.text = std::move(text);
  return s;
}

BatchSource BatchSource::from_stream(std::string name, std::istream& in) {
  BatchSource s;
  s.name = std::move(name);
  s.stream = &in;
  return s;
}

std::vector<BatchSource> collect_sources(const std::vector<std::string>& paths, const std::vector<std::string>& include,
                                         const std::vector<std::string>& exclude) {
  std::vector<BatchSource> inputs;
  for (const auto& p : paths) {
    if (p == "-") {
      inputs.push_back(BatchSource::file(p));
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) throw BatchError(p + ": no such file or directory");
    if (!fs::is_directory(status)) {
      inputs.push_back(BatchSource::file(p, fs::is_regular_file(status) ? fs::file_size(p, ec) : 0));
      continue;
    }
    std::vector<BatchSource> found;
    for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      const std::string shown = it->path().string();
      const std::string relative = it->path().lexically_relative(p).generic_string();
      if (path_selected(relative, shown, include, exclude)) found.push_back(BatchSource::file(shown, it->file_size()));
    }
    if (ec) throw BatchError(p + ": cannot read folder (" + ec.message() + ")");
    std::sort(found.begin(), found.end(), [](const BatchSource& a, const BatchSource& b) { return a.name < b.name; });
    for (auto& f : found) inputs.push_back(std::move(f));
  }
  return inputs;
}

bool run_batch(const Validator& validator, const std::vector<BatchSource>& sources, const BatchOptions& options,
               BatchSink& sink) {
  std::uintmax_t total_bytes = 0;
  bool sizes_known = true;
  for (const auto& in : sources) {
    total_bytes += in.size;
    if (!in.in_memory && (in.stream || in.name == "-")) sizes_known = false;
  }
  InputLimits stream_limits = options.limits;
  if (!options.limit_stream_documents) stream_limits.max_documents = 0;
  UnitSource units(sources, stream_limits);
  const ValidationOptions& vo = options.validation;
  auto process = [&](Unit& u) {
    BatchUnit& res = u.results;
    if (u.no_lines) return;
    res.source = sources[u.input].name;
    res.text = u.text.view().substr(u.text_begin);
    res.ndjson = u.ndjson;
    res.first_line = u.ndjson ? u.first_line : 1;
    res.past_limit = u.past_limit;
    const std::string_view text = res.text;
    if (u.past_limit) {
      // The first document of this unit is past --max-documents: the report validate_text gives.
      const std::uint32_t line = u.rows.empty() ? u.first_line : u.rows.front().line;
      detail::add_too_many_documents(res.documents, res.source, u.first_index, line, vo);
      res.documents.back().not_checked = static_cast<std::uint32_t>(u.rows.size()) + u.rest;
    } else if (u.ndjson) {
      // One per thread for all its units: its nodes and strings keep their room (made afresh per
      // unit, their pages were faulted in again and again).
      thread_local JsonDocument doc;
      // The unit's documents after the first with context-missing do not make it (see below).
      ValidationOptions row_options = vo;
      for (std::size_t i = 0; i < u.rows.size(); ++i) {
        const Unit::Row& row = u.rows[i];
        const std::uint32_t index = u.first_index + static_cast<std::uint32_t>(i);
        if (u.max_documents > 0 && i >= u.max_documents) {  // the first one past --max-documents
          detail::add_too_many_documents(res.documents, res.source, index, row.line, vo);
          res.documents.back().not_checked = static_cast<std::uint32_t>(u.rows.size() - i) + u.rest;
          break;
        }
        detail::validate_ndjson_line(validator, res.source, text.substr(row.offset, row.size), index, row.line,
                                     row_options, options.limits.json, res.documents, doc);
        if (!row_options.context_noted)
          for (const Finding& f : res.documents.back().findings)
            if (f.rule == detail::name(detail::RuleId::context_missing)) row_options.context_noted = true;
      }
      if (text.size() > unit_room * 16) doc = JsonDocument();  // not the room of a huge line kept for the rest of the run
    } else {
      validate_text(validator, res.source, text, vo, res.documents, InputLayout::automatic, options.limits);
    }
    {
      // A run says context-missing once: here at the unit's first document that has it; the
      // report keeps only the run's first (ReportWriter).
      bool noted = false;
      for (auto& r : res.documents) {
        auto& fs = r.findings;
        const auto is_note = [](const Finding& f) { return f.rule == detail::name(detail::RuleId::context_missing); };
        if (noted) fs.erase(std::remove_if(fs.begin(), fs.end(), is_note), fs.end());
        else noted = std::any_of(fs.begin(), fs.end(), is_note);
      }
    }
    sink.process(res);
    res.text = {};
    units.recycle(std::move(u.text));  // the reports have what they need of the text
  };
  BatchProgress progress;
  progress.total_bytes = sizes_known ? total_bytes : 0;
  progress.total_inputs = sources.size();
  auto write = [&](Unit& u) {
    if (!u.no_lines) sink.write(u.results);
    progress.documents += u.results.documents.size();
    progress.bytes = u.bytes_done;
    progress.inputs = u.inputs_done;
    if (options.progress) options.progress(progress);
  };
  unsigned jobs = options.jobs ? options.jobs : usable_cores();
  // No more threads than there can be units (a small file: this one only).
  if (sizes_known)
    jobs = static_cast<unsigned>(std::clamp<std::uintmax_t>(sources.size() + 2 * total_bytes / chunk_size, 1, jobs));
  if (!run_units(units, jobs, options.cancel, process, write)) return false;
  // The end: every byte and input (a unit's figures are taken when it is cut, before the input ends).
  if (sizes_known) progress.bytes = total_bytes;
  progress.inputs = sources.size();
  if (options.progress) options.progress(progress);
  return true;
}

}  // namespace hoks
