#include "hoks/read/json.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>
#endif

namespace hoks {
using detail::JsonNode;
namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

inline std::uint64_t has_zero_byte(std::uint64_t x) { return (x - ones) & ~x & highs; }

// The high bit of each of the 8 bytes (little-endian) that is a quote, a backslash, a control
// character or a non-ASCII byte; the lowest set bit is exact (borrows only run upwards).
inline std::uint64_t attention_mask(std::uint64_t w) {
  const std::uint64_t quote = has_zero_byte(w ^ (ones * '"'));
  const std::uint64_t backslash = has_zero_byte(w ^ (ones * '\\'));
  const std::uint64_t control = (w - ones * 0x20) & ~w & highs;
  return quote | backslash | control | (w & highs);
}

inline bool is_ws(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid.
inline int utf8_sequence(const unsigned char* p, const unsigned char* e) {
  const unsigned char c = p[0];
  auto cont = [&](int k) { return p + k < e && (p[k] & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return (p + 1 < e && p[1] >= 0xA0 && p[1] <= 0xBF && cont(2)) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return (cont(1) && cont(2)) ? 3 : 0;
  if (c == 0xED) return (p + 1 < e && p[1] >= 0x80 && p[1] <= 0x9F && cont(2)) ? 3 : 0;
  if (c == 0xF0) return (p + 1 < e && p[1] >= 0x90 && p[1] <= 0xBF && cont(2) && cont(3)) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return (cont(1) && cont(2) && cont(3)) ? 4 : 0;
  if (c == 0xF4) return (p + 1 < e && p[1] >= 0x80 && p[1] <= 0x8F && cont(2) && cont(3)) ? 4 : 0;
  return 0;
}

inline int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

class JsonParser {
 public:
  JsonParser(JsonDocument& doc, std::string_view text, const JsonLimits& limits)
      : d_(doc),
        base_(reinterpret_cast<const unsigned char*>(text.data())),
        p_(base_),
        end_(base_ + text.size()),
        limits_(limits) {}

  void run();

 private:
  bool fail(JsonErrorKind kind, const unsigned char* at) {
    d_.error_ = kind;
    d_.error_offset_ = static_cast<std::size_t>(at - base_);
    return false;
  }
  void skip_ws() {
    while (p_ < end_ && is_ws(*p_)) ++p_;
  }
  std::uint32_t push(JsonType type, std::uint32_t parent) {
    const auto index = static_cast<std::uint32_t>(d_.nodes_.size());
    d_.nodes_.push_back(JsonNode{type, 0, static_cast<std::uint32_t>(p_ - base_), index + 1, parent, 0, nullptr});
    return index;
  }
  bool parse_scalar(std::uint32_t parent);
  bool parse_string(std::uint32_t parent);
  bool parse_number(std::uint32_t parent);
  bool parse_escaped(JsonNode& node, const unsigned char* start);

  JsonDocument& d_;
  const unsigned char* base_;
  const unsigned char* p_;
  const unsigned char* end_;
  const JsonLimits& limits_;
  std::vector<std::uint32_t> stack_;
};

bool JsonParser::parse_string(std::uint32_t parent) {
  const std::uint32_t index = push(JsonType::string, parent);
  const unsigned char* start = ++p_;
  for (;;) {
    while (end_ - p_ >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p_, 8);
      if (const std::uint64_t mask = attention_mask(w)) {
        p_ += __builtin_ctzll(mask) >> 3;  // straight to the first byte that needs attention
        break;
      }
      p_ += 8;
    }
    if (p_ >= end_) return fail(JsonErrorKind::unexpected_end, end_);
    const unsigned char c = *p_;
    if (c == '"') {
      JsonNode& node = d_.nodes_[index];
      node.data = reinterpret_cast<const char*>(start);
      node.size = static_cast<std::uint32_t>(p_ - start);
      ++p_;
      if (limits_.max_string_bytes && node.size > limits_.max_string_bytes)
        return fail(JsonErrorKind::string_too_long, start - 1);
      return true;
    }
    if (c == '\\') return parse_escaped(d_.nodes_[index], start);
    if (c < 0x20) return fail(c == 0 ? JsonErrorKind::nul_byte : JsonErrorKind::invalid_string_character, p_);
    if (c >= 0x80) {
      const int n = utf8_sequence(p_, end_);
      if (n == 0) return fail(JsonErrorKind::invalid_utf8, p_);
      p_ += n;
    } else {
      ++p_;
    }
  }
}

// Slow path for strings with escapes: decodes into the arena.
bool JsonParser::parse_escaped(JsonNode& node, const unsigned char* start) {
  std::string& arena = d_.arena_;
  if (arena.capacity() < static_cast<std::size_t>(end_ - base_)) arena.reserve(static_cast<std::size_t>(end_ - base_));
  const std::size_t first = arena.size();
  arena.append(reinterpret_cast<const char*>(start), static_cast<std::size_t>(p_ - start));
  const std::uint32_t index = static_cast<std::uint32_t>(&node - d_.nodes_.data());
  for (;;) {
    if (p_ >= end_) return fail(JsonErrorKind::unexpected_end, end_);
    const unsigned char c = *p_;
    if (c == '"') {
      ++p_;
      JsonNode& n = d_.nodes_[index];
      n.data = arena.data() + first;
      n.size = static_cast<std::uint32_t>(arena.size() - first);
      n.flags |= JsonDocument::flag_escaped;
      if (limits_.max_string_bytes && n.size > limits_.max_string_bytes)
        return fail(JsonErrorKind::string_too_long, start - 1);
      return true;
    }
    if (c == '\\') {
      const unsigned char* esc = p_;
      if (++p_ >= end_) return fail(JsonErrorKind::unexpected_end, end_);
      switch (*p_) {
        case '"': arena.push_back('"'); break;
        case '\\': arena.push_back('\\'); break;
        case '/': arena.push_back('/'); break;
        case 'b': arena.push_back('\b'); break;
        case 'f': arena.push_back('\f'); break;
        case 'n': arena.push_back('\n'); break;
        case 'r': arena.push_back('\r'); break;
        case 't': arena.push_back('\t'); break;
        case 'u': {
          auto read4 = [&](const unsigned char* q, std::uint32_t& v) {
            if (end_ - q < 4) return false;
            v = 0;
            for (int k = 0; k < 4; ++k) {
              const int h = hex_value(q[k]);
              if (h < 0) return false;
              v = v * 16 + static_cast<std::uint32_t>(h);
            }
            return true;
          };
          std::uint32_t cp;
          if (!read4(p_ + 1, cp)) return fail(JsonErrorKind::invalid_escape, esc);
          p_ += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low;
            if (end_ - p_ < 7 || p_[1] != '\\' || p_[2] != 'u' || !read4(p_ + 3, low) || low < 0xDC00 || low > 0xDFFF)
              return fail(JsonErrorKind::invalid_unicode_escape, esc);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p_ += 6;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(JsonErrorKind::invalid_unicode_escape, esc);
          }
          append_utf8(arena, cp);
          break;
        }
        default:
          return fail(JsonErrorKind::invalid_escape, esc);
      }
      ++p_;
      continue;
    }
    if (c < 0x20) return fail(c == 0 ? JsonErrorKind::nul_byte : JsonErrorKind::invalid_string_character, p_);
    if (c >= 0x80) {
      const int n = utf8_sequence(p_, end_);
      if (n == 0) return fail(JsonErrorKind::invalid_utf8, p_);
      arena.append(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
      p_ += n;
    } else {
      arena.push_back(static_cast<char>(c));
      ++p_;
    }
  }
}

bool JsonParser::parse_number(std::uint32_t parent) {
  const std::uint32_t index = push(JsonType::number, parent);
  const unsigned char* start = p_;
  if (*p_ == '-') ++p_;
  if (p_ >= end_) return fail(JsonErrorKind::unexpected_end, end_);
  if (*p_ == '0') {
    ++p_;
  } else if (is_digit(*p_)) {
    while (p_ < end_ && is_digit(*p_)) ++p_;
  } else {
    return fail(JsonErrorKind::invalid_number, start);
  }
  bool integral = true;
  bool plain = true;
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    if (p_ >= end_ || !is_digit(*p_)) return fail(p_ >= end_ ? JsonErrorKind::unexpected_end : JsonErrorKind::invalid_number, start);
    while (p_ < end_ && is_digit(*p_)) {
      if (*p_ != '0') integral = false;
      ++p_;
    }
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ >= end_ || !is_digit(*p_)) return fail(p_ >= end_ ? JsonErrorKind::unexpected_end : JsonErrorKind::invalid_number, start);
    while (p_ < end_ && is_digit(*p_)) ++p_;
    plain = false;
  }
  JsonNode& node = d_.nodes_[index];
  node.data = reinterpret_cast<const char*>(start);
  node.size = static_cast<std::uint32_t>(p_ - start);
  if (!plain) {
    double v = 0;
    auto r = std::from_chars(node.data, node.data + node.size, v);
    integral = r.ec == std::errc() && std::isfinite(v) && v == std::floor(v);
  }
  if (integral) node.flags |= JsonDocument::flag_integral;
  return true;
}

bool JsonParser::parse_scalar(std::uint32_t parent) {
  auto literal = [&](const char* word, std::size_t n, JsonType type, std::uint8_t flags) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) {
      // Report the first character that differs.
      const unsigned char* q = p_;
      std::size_t k = 0;
      while (q < end_ && k < n && *q == static_cast<unsigned char>(word[k])) ++q, ++k;
      return fail(q >= end_ ? JsonErrorKind::unexpected_end : JsonErrorKind::invalid_literal, q);
    }
    const std::uint32_t i = push(type, parent);
    d_.nodes_[i].flags = flags;
    d_.nodes_[i].data = reinterpret_cast<const char*>(p_);
    d_.nodes_[i].size = static_cast<std::uint32_t>(n);
    p_ += n;
    return true;
  };
  switch (*p_) {
    case '"': return parse_string(parent);
    case 't': return literal("true", 4, JsonType::boolean, JsonDocument::flag_true);
    case 'f': return literal("false", 5, JsonType::boolean, 0);
    case 'n': return literal("null", 4, JsonType::null, 0);
    default:
      if (*p_ == '-' || is_digit(*p_)) return parse_number(parent);
      if (*p_ == 0) return fail(JsonErrorKind::nul_byte, p_);
      return fail(JsonErrorKind::unexpected_character, p_);
  }
}

void JsonParser::run() {
  d_.nodes_.clear();
  d_.arena_.clear();
  d_.error_ = JsonErrorKind::none;
  d_.error_offset_ = 0;
  // Offsets and sizes are 32-bit: past 4 GiB - 1 a document is too large whatever the limit says.
  const std::size_t bytes = static_cast<std::size_t>(end_ - base_);
  if ((limits_.max_document_bytes && bytes > limits_.max_document_bytes) || bytes > UINT32_MAX) {
    fail(JsonErrorKind::too_large, base_);
    return;
  }
  if (end_ - base_ >= 2 && ((base_[0] == 0xFF && base_[1] == 0xFE) || (base_[0] == 0xFE && base_[1] == 0xFF))) {
    fail(JsonErrorKind::byte_order_mark_utf16, base_);
    return;
  }
  if (end_ - base_ >= 3 && base_[0] == 0xEF && base_[1] == 0xBB && base_[2] == 0xBF) p_ += 3;
  d_.nodes_.reserve(static_cast<std::size_t>(end_ - base_) / 12 + 16);
  // A large document's nodes (twice the text or so) in 2 MiB pages: a fault per 4 KiB was a third of
  // converting 15 MB of JSON.
  detail::prefer_huge_pages(d_.nodes_.data(), d_.nodes_.capacity() * sizeof(d_.nodes_[0]));
  stack_.clear();
  skip_ws();
  if (p_ >= end_) {
    fail(JsonErrorKind::empty_document, p_);
    return;
  }
  std::uint32_t parent = 0;
  // Expect a value at p_.
value:
  if (p_ >= end_) {
    fail(JsonErrorKind::unexpected_end, end_);
    return;
  }
  if (*p_ == '{' || *p_ == '[') {
    const bool object = *p_ == '{';
    const std::uint32_t i = push(object ? JsonType::object : JsonType::array, parent);
    if (stack_.empty()) d_.nodes_[i].parent = i;
    if (limits_.max_depth && stack_.size() >= limits_.max_depth) {
      fail(JsonErrorKind::too_deep, p_);
      return;
    }
    stack_.push_back(i);
    parent = i;
    ++p_;
    skip_ws();
    if (p_ < end_ && *p_ == (object ? '}' : ']')) {
      ++p_;
      goto close;
    }
    if (object) goto key;
    goto value;
  }
  if (!parse_scalar(parent)) return;
  if (stack_.empty()) d_.nodes_[0].parent = 0;
  goto after_value;

key:
  if (p_ >= end_) {
    fail(JsonErrorKind::unexpected_end, end_);
    return;
  }
  if (*p_ != '"') {
    fail(*p_ == 0 ? JsonErrorKind::nul_byte : JsonErrorKind::unexpected_character, p_);
    return;
  }
  if (!parse_string(parent)) return;
  skip_ws();
  if (p_ >= end_) {
    fail(JsonErrorKind::unexpected_end, end_);
    return;
  }
  if (*p_ != ':') {
    fail(*p_ == 0 ? JsonErrorKind::nul_byte : JsonErrorKind::unexpected_character, p_);
    return;
  }
  ++p_;
  skip_ws();
  goto value;

after_value:
  if (stack_.empty()) {
    skip_ws();
    if (p_ != end_) fail(*p_ == 0 ? JsonErrorKind::nul_byte : JsonErrorKind::trailing_content, p_);
    return;
  }
  d_.nodes_[parent].size++;
  skip_ws();
  if (p_ >= end_) {
    fail(JsonErrorKind::unexpected_end, end_);
    return;
  }
  if (*p_ == ',') {
    ++p_;
    skip_ws();
    if (d_.nodes_[parent].type == JsonType::object) goto key;
    goto value;
  }
  if (*p_ == (d_.nodes_[parent].type == JsonType::object ? '}' : ']')) {
    ++p_;
    goto close;
  }
  fail(*p_ == 0 ? JsonErrorKind::nul_byte : JsonErrorKind::unexpected_character, p_);
  return;

close : {
  const std::uint32_t closed = stack_.back();
  stack_.pop_back();
  d_.nodes_[closed].next = static_cast<std::uint32_t>(d_.nodes_.size());
  parent = stack_.empty() ? 0 : stack_.back();
  goto after_value;
}
}

bool JsonDocument::parse(std::string_view text, const JsonLimits& limits) {
  source_ = text;
  JsonParser parser(*this, text, limits);
  parser.run();
  if (!ok()) nodes_.clear();
  return ok();
}

bool detail::split_json_array(std::string_view t, std::vector<std::pair<std::size_t, std::size_t>>& items) {
  static const auto structural = [] {
    std::array<bool, 256> s{};
    for (const unsigned char c : std::string_view("\"[]{},")) s[c] = true;
    return s;
  }();
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t i = t.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < t.size() && space(t[i])) ++i;
  if (i >= t.size() || t[i] != '[') return false;
  ++i;
  for (bool first = true;; first = false) {
    while (i < t.size() && space(t[i])) ++i;
    if (i >= t.size()) return false;
    if (t[i] == ']') {
      if (!first) return false;  // [1,]
      ++i;
      break;
    }
    const std::size_t begin = i;
    std::size_t depth = 0;
    for (; i < t.size(); ++i) {
      while (i < t.size() && !structural[static_cast<unsigned char>(t[i])]) ++i;
      if (i >= t.size()) break;
      const char c = t[i];
      if (c == '"') {
        // The closing quote is the next one not escaped (preceded by an even run of backslashes).
        for (;;) {
          const void* q = std::memchr(t.data() + i + 1, '"', t.size() - i - 1);
          if (!q) return false;
          i = static_cast<std::size_t>(static_cast<const char*>(q) - t.data());
          std::size_t slashes = 0;
          while (t[i - 1 - slashes] == '\\') ++slashes;
          if (slashes % 2 == 0) break;
        }
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (depth == 0) {
          if (c == '}') return false;
          break;
        }
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (i >= t.size() || depth != 0) return false;
    std::size_t end = i;
    while (end > begin && space(t[end - 1])) --end;
    if (end == begin) return false;
    items.emplace_back(begin, end);
    if (t[i++] == ']') break;
  }
  while (i < t.size() && space(t[i])) ++i;
  return i == t.size();
}

JsonValue JsonValue::get(std::string_view key) const {
  if (!is_object()) return {};
  JsonValue found;
  for (auto& m : *this) {
    const JsonNode& k = m.key().node();
    // Length and last byte first: keys of one object often share long prefixes.
    if (k.size == key.size() && (key.empty() || (k.data[key.size() - 1] == key.back() &&
                                                 std::memcmp(k.data, key.data(), key.size()) == 0)))
      found = m.value();
  }
  return found;
}

std::string JsonDocument::pointer(std::uint32_t i, std::uint32_t from) const {
  std::string out;
  pointer_into(out, i, from);
  return out;
}

void JsonDocument::pointer_into(std::string& out, std::uint32_t i, std::uint32_t from) const {
  // The steps from i up to `from`, innermost first: a member (its key node) or an array item (its position).
  struct Step {
    std::uint32_t key;    // the key node of a member, or 0 for an item
    std::uint32_t index;  // the item's position
    bool escaped;         // the key has `~` or `/`
  };
  thread_local std::vector<Step> steps;  // reused
  steps.clear();
  std::size_t size = 0;
  for (; i != from && i != 0 && i < nodes_.size(); i = nodes_[i].parent) {
    const std::uint32_t parent = nodes_[i].parent;
    if (nodes_[parent].type == JsonType::object) {
      const JsonNode& key = nodes_[i - 1];
      const bool escaped = std::memchr(key.data, '~', key.size) || std::memchr(key.data, '/', key.size);
      std::size_t extra = 0;
      if (escaped)
        for (std::uint32_t c = 0; c < key.size; ++c) extra += key.data[c] == '~' || key.data[c] == '/';
      size += 1 + key.size + extra;
      steps.push_back({i - 1, 0, escaped});
    } else {
      std::uint32_t k = 0;
      for (std::uint32_t c = parent + 1; c != i; c = nodes_[c].next) ++k;
      size += 1 + (k < 10 ? 1 : k < 100 ? 2 : k < 1000 ? 3 : 10);
      steps.push_back({0, k, false});
    }
  }
  out.resize(size);
  char* const start = out.data();
  char* p = start;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    *p++ = '/';
    if (it->key == 0) {
      p = std::to_chars(p, start + size, it->index).ptr;
      continue;
    }
    const JsonNode& key = nodes_[it->key];
    if (!it->escaped) {
      std::memcpy(p, key.data, key.size);
      p += key.size;
      continue;
    }
    for (std::uint32_t c = 0; c < key.size; ++c) {
      const char ch = key.data[c];
      if (ch == '~' || ch == '/') {
        *p++ = '~';
        *p++ = ch == '~' ? '0' : '1';
      } else {
        *p++ = ch;
      }
    }
  }
  out.resize(std::size_t(p - start));  // an index past 999 was given ten digits' room
}

std::uint32_t JsonDocument::find(std::string_view ptr) const {
  if (nodes_.empty()) return UINT32_MAX;
  std::uint32_t i = 0;
  while (!ptr.empty()) {
    if (ptr[0] != '/') return UINT32_MAX;
    ptr.remove_prefix(1);
    const std::size_t slash = ptr.find('/');
    std::string seg;
    for (char c : ptr.substr(0, slash)) seg.push_back(c);
    for (std::size_t k = 0; (k = seg.find('~', k)) != std::string::npos; ++k) {
      if (k + 1 < seg.size() && seg[k + 1] == '1') seg.replace(k, 2, "/");
      else if (k + 1 < seg.size() && seg[k + 1] == '0') seg.replace(k, 2, "~");
    }
    ptr = slash == std::string_view::npos ? std::string_view{} : ptr.substr(slash);
    JsonValue v(this, i);
    if (v.is_object()) {
      v = v.get(seg);
      if (!v.valid()) return UINT32_MAX;
      i = v.index();
    } else if (v.is_array()) {
      std::uint32_t n = 0;
      auto [q, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), n);
      if (ec != std::errc() || q != seg.data() + seg.size() || n >= v.size()) return UINT32_MAX;
      std::uint32_t c = i + 1;
      while (n--) c = nodes_[c].next;
      i = c;
    } else {
      return UINT32_MAX;
    }
  }
  return i;
}

namespace {
#if defined(__x86_64__)
// The UTF-8 continuation bytes (0x80..0xBF, below -64 as signed bytes) of `blocks` runs of 32
// bytes, where the CPU has AVX2 (twice SSE2's bytes per instruction), counted in byte lanes
// that are summed before they can overflow.
__attribute__((target("avx2"))) std::size_t continuation_bytes_avx2(const char* p, std::size_t blocks) {
  const __m256i below = _mm256_set1_epi8(static_cast<char>(0xC0));
  std::size_t n = 0;
  while (blocks > 0) {
    const std::size_t run = std::min<std::size_t>(blocks, 255);
    __m256i lanes = _mm256_setzero_si256();
    std::size_t b = 0;
    for (; b + 4 <= run; b += 4, p += 128)  // four blocks per turn of the loop
      for (int k = 0; k < 4; ++k)
        lanes = _mm256_sub_epi8(lanes, _mm256_cmpgt_epi8(below, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k))));
    for (; b < run; ++b, p += 32)
      lanes = _mm256_sub_epi8(lanes, _mm256_cmpgt_epi8(below, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))));
    const __m256i sums = _mm256_sad_epu8(lanes, _mm256_setzero_si256());
    n += static_cast<std::size_t>(_mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) +
                                  _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3));
    blocks -= run;
  }
  return n;
}
bool has_avx2() {
  static const bool yes = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
  return yes;
}
#endif
}  // namespace

TextPosition LineIndex::locate(std::size_t offset) {
  if (starts_.empty() && !one_line_) {
    starts_.push_back(0);
    for (std::size_t i = text_.find('\n'); i != std::string_view::npos; i = text_.find('\n', i + 1))
      starts_.push_back(i + 1);
  }
  if (offset > text_.size()) offset = text_.size();
  std::size_t line = last_.line;
  if (one_line_) {
    line = 1;
  } else if (line != 0 && last_offset_ <= offset) {  // offsets usually increase: look forward from the last line
    while (line < starts_.size() && starts_[line] <= offset) ++line;
  } else {
    line = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
  }
  std::size_t column = 1;
  std::size_t from = one_line_ ? 0 : starts_[line - 1];
  // A UTF-8 byte order mark is not a character of the first line.
  if (line == 1 && offset >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") from = 3;
  if (last_.line == line && from <= last_offset_ && last_offset_ <= offset) {  // resume on the same line
    from = last_offset_;
    column = last_.column;
  }
  std::size_t i = from;
#if defined(__x86_64__)
  if (i + 32 <= offset && has_avx2()) {
    const std::size_t blocks = (offset - i) / 32;
    column += blocks * 32 - continuation_bytes_avx2(text_.data() + i, blocks);
    i += blocks * 32;
  }
#endif
#if defined(__SSE2__)
  // Sixteen bytes at a time: the bytes minus the UTF-8 continuation bytes (0x80..0xBF, below -64
  // as signed bytes), counted in byte lanes that are summed before they can overflow.
  const __m128i below = _mm_set1_epi8(static_cast<char>(0xC0));
  while (i + 16 <= offset) {
    __m128i lanes = _mm_setzero_si128();
    const std::size_t blocks = std::min<std::size_t>((offset - i) / 16, 255);
    for (std::size_t b = 0; b < blocks; ++b, i += 16)
      lanes = _mm_sub_epi8(lanes, _mm_cmplt_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + i)), below));
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    column += blocks * 16 - static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
  }
#endif
  for (; i + 8 <= offset; i += 8) {  // eight bytes at a time: all but the UTF-8 continuation bytes
    std::uint64_t w;
    std::memcpy(&w, text_.data() + i, 8);
    column += 8 - static_cast<std::size_t>((((w & ~(w << 1) & highs) >> 7) * ones) >> 56);  // bytes 10xxxxxx
  }
  for (; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  last_offset_ = offset;
  last_ = {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(column)};
  return last_;
}

std::string_view to_string(JsonErrorKind kind) {
  switch (kind) {
    case JsonErrorKind::none: return "none";
    case JsonErrorKind::empty_document: return "empty_document";
    case JsonErrorKind::unexpected_character: return "unexpected_character";
    case JsonErrorKind::unexpected_end: return "unexpected_end";
    case JsonErrorKind::trailing_content: return "trailing_content";
    case JsonErrorKind::invalid_literal: return "invalid_literal";
    case JsonErrorKind::invalid_number: return "invalid_number";
    case JsonErrorKind::invalid_string_character: return "invalid_string_character";
    case JsonErrorKind::invalid_escape: return "invalid_escape";
    case JsonErrorKind::invalid_unicode_escape: return "invalid_unicode_escape";
    case JsonErrorKind::invalid_utf8: return "invalid_utf8";
    case JsonErrorKind::nul_byte: return "nul_byte";
    case JsonErrorKind::byte_order_mark_utf16: return "byte_order_mark_utf16";
    case JsonErrorKind::too_deep: return "too_deep";
    case JsonErrorKind::too_large: return "too_large";
    case JsonErrorKind::string_too_long: return "string_too_long";
  }
  return "unknown";
}

namespace {
// The index of the first byte at or after i that a JSON string must escape (a control, a quote or
// a backslash), or s.size(): sixteen bytes at a time (SSE2), then eight, then one.
std::size_t next_escape(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i controls = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, controls), v),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (const int m = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(m)));
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {  // the mask's lowest bit is exact (borrows only run upwards)
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t m = has_zero_byte(w ^ (ones * '"')) | has_zero_byte(w ^ (ones * '\\')) | ((w - ones * 0x20) & ~w & highs);
    if (m != 0) return i + static_cast<std::size_t>(__builtin_ctzll(m)) / 8;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return i;
}
}  // namespace

namespace {
// Writes the escape of byte c (one that JSON strings must escape) at p; returns its end.
char* put_escape(char* p, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
    case '"': *p++ = '"'; break;
    case '\\': *p++ = '\\'; break;
    case '\n': *p++ = 'n'; break;
    case '\r': *p++ = 'r'; break;
    case '\t': *p++ = 't'; break;
    case '\b': *p++ = 'b'; break;
    case '\f': *p++ = 'f'; break;
    default:
      std::memcpy(p, "u00", 3);
      p[3] = hex[c >> 4];
      p[4] = hex[c & 15];
      p += 5;
  }
  return p;
}

#if defined(__SSE2__)
// Bit k set where byte k of v must be escaped in a JSON string.
unsigned escape_mask(__m128i v) {
  const __m128i controls = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, controls), v),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif
}  // namespace

void detail::prefer_huge_pages(void* data, std::size_t size) {
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + huge - 1) & ~(huge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + size) & ~(huge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

char* detail::put_json_string(char* p, std::string_view s) {
  *p++ = '"';
  p = put_json_chars(p, s);
  *p++ = '"';
  return p;
}

char* detail::put_json_chars(char* p, std::string_view s) {
  const char* d = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // A short string with nothing to escape (most of a report's), checked at once: two overlapping
  // loads of its first and last four or eight bytes (the mask of the lanes they fill), copied the same way.
  if (n >= 8 && n < 16) {
    std::uint64_t lo, hi;
    std::memcpy(&lo, d, 8);
    std::memcpy(&hi, d + n - 8, 8);
    if (escape_mask(_mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo))) == 0) {
      std::memcpy(p, &lo, 8);
      std::memcpy(p + n - 8, &hi, 8);
      return p + n;
    }
  } else if (n >= 4 && n < 8) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, d, 4);
    std::memcpy(&hi, d + n - 4, 4);
    if ((escape_mask(_mm_set_epi32(0, 0, static_cast<int>(hi), static_cast<int>(lo))) & 0xFF) == 0) {
      std::memcpy(p, &lo, 4);
      std::memcpy(p + n - 4, &hi, 4);
      return p + n;
    }
  }
  // Sixteen bytes copied and checked at once; the room for six bytes per byte covers the copy
  // past an escape, which the next step writes over.
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
    const unsigned m = escape_mask(v);
    if (m == 0) {
      p += 16, i += 16;
      continue;
    }
    const auto k = static_cast<std::size_t>(__builtin_ctz(m));
    p = put_escape(p + k, static_cast<unsigned char>(d[i + k]));
    i += k + 1;
  }
  if (i < n && n >= 16) {  // the rest: the last sixteen bytes, those before i left out of the mask
    const std::size_t back = n - 16;
    unsigned m = escape_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d + back))) >> (i - back);
    while (m != 0) {
      const auto k = static_cast<std::size_t>(__builtin_ctz(m));
      std::memcpy(p, d + i, k);
      p = put_escape(p + k, static_cast<unsigned char>(d[i + k]));
      i += k + 1;
      m >>= k + 1;
    }
    // The bytes left (under sixteen), copied by fixed-size moves that overlap (no call).
    const std::size_t r = n - i;
    if (r >= 8) {
      std::uint64_t a, b;
      std::memcpy(&a, d + i, 8);
      std::memcpy(&b, d + n - 8, 8);
      std::memcpy(p, &a, 8);
      std::memcpy(p + r - 8, &b, 8);
    } else if (r >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, d + i, 4);
      std::memcpy(&b, d + n - 4, 4);
      std::memcpy(p, &a, 4);
      std::memcpy(p + r - 4, &b, 4);
    } else {
      for (std::size_t k = 0; k < r; ++k) p[k] = d[i + k];
    }
    p += r;
    i = n;
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(d[i]);
    if (c < 0x20 || c == '"' || c == '\\') p = put_escape(p, c);
    else *p++ = static_cast<char>(c);
  }
  return p;
}

void detail::append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of characters that need no escape
  for (std::size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, i + 1)) {
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    char escape[6];
    out.append(escape, put_escape(escape, static_cast<unsigned char>(s[i])));
  }
  out.append(s.data() + plain, s.size() - plain);
  out.push_back('"');
}

}  // namespace hoks
