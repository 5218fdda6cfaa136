#include "hoks/model/pattern.hpp"

#include "model/precompiled_patterns.hpp"

#include <algorithm>
#include <bitset>
#include <cstring>
#include <map>
#include <memory>

namespace hoks {
namespace {

using ByteSet = std::bitset<256>;

struct Ast {
  enum Kind { set, cat, alt, repeat } kind;
  ByteSet bytes;
  std::vector<std::unique_ptr<Ast>> children;
  int min = 0, max = 0;  // max < 0: unbounded
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}
  std::unique_ptr<Ast> parse(bool& anchored_start, bool& anchored_end, std::string& error) {
    if (peek('^')) anchored_start = true, ++i_;
    auto ast = alternation();
    if (i_ < s_.size() && s_[i_] == '$' && i_ + 1 == s_.size()) anchored_end = true, ++i_;
    if (!error_.empty() || i_ != s_.size()) {
      error = error_.empty() ? "unsupported syntax at " + std::to_string(i_) : error_;
      return nullptr;
    }
    return ast;
  }

 private:
  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void fail(const std::string& why) {
    if (error_.empty()) error_ = why + " at " + std::to_string(i_);
    i_ = s_.size();
  }
  static std::unique_ptr<Ast> make(Ast::Kind k) {
    auto a = std::make_unique<Ast>();
    a->kind = k;
    return a;
  }
  std::unique_ptr<Ast> alternation() {
    auto first = sequence();
    if (!peek('|')) return first;
    auto a = make(Ast::alt);
    a->children.push_back(std::move(first));
    while (peek('|')) {
      ++i_;
      a->children.push_back(sequence());
    }
    return a;
  }
  std::unique_ptr<Ast> sequence() {
    auto c = make(Ast::cat);
    while (i_ < s_.size() && !peek('|') && !peek(')')) {
      if (peek('$') && i_ + 1 == s_.size()) break;
      auto atom = this->atom();
      if (!atom) return c;
      c->children.push_back(quantified(std::move(atom)));
    }
    return c;
  }
  int number() {
    int n = 0;
    bool any = false;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      if (n <= 1000) n = n * 10 + (s_[i_] - '0');  // stop growing past the limit (no overflow)
      ++i_, any = true;
    }
    if (!any || n > 1000) fail("bad repetition count");
    return n;
  }
  std::unique_ptr<Ast> quantified(std::unique_ptr<Ast> atom) {
    for (;;) {
      int lo, hi;
      if (peek('?')) lo = 0, hi = 1, ++i_;
      else if (peek('*')) lo = 0, hi = -1, ++i_;
      else if (peek('+')) lo = 1, hi = -1, ++i_;
      else if (peek('{')) {
        ++i_;
        lo = hi = number();
        if (peek(',')) {
          ++i_;
          hi = peek('}') ? -1 : number();
        }
        if (!peek('}') || (hi >= 0 && hi < lo)) {
          fail("bad repetition");
          return atom;
        }
        ++i_;
      } else {
        return atom;
      }
      auto r = make(Ast::repeat);
      r->min = lo;
      r->max = hi;
      r->children.push_back(std::move(atom));
      atom = std::move(r);
    }
  }
  ByteSet escape_set(char c) {
    ByteSet b;
    switch (c) {
      case 'd': for (int k = '0'; k <= '9'; ++k) b.set(k); break;
      case 'w':
        for (int k = 0; k < 256; ++k)
          if ((k >= '0' && k <= '9') || (k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z') || k == '_') b.set(k);
        break;
      case 's': for (char k : std::string(" \t\n\r\f\v")) b.set(static_cast<unsigned char>(k)); break;
      case 'n': b.set('\n'); break;
      case 't': b.set('\t'); break;
      case 'r': b.set('\r'); break;
      default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) fail("unsupported escape");
        b.set(static_cast<unsigned char>(c));
    }
    return b;
  }
  std::unique_ptr<Ast> atom() {
    const char c = s_[i_++];
    if (c == '(') {
      if (i_ + 1 < s_.size() && s_[i_] == '?' && s_[i_ + 1] == ':') i_ += 2;
      auto inner = alternation();
      if (!peek(')')) {
        fail("missing )");
        return nullptr;
      }
      ++i_;
      return inner;
    }
    auto a = make(Ast::set);
    if (c == '.') {
      a->bytes.set();
      a->bytes.reset('\n');
      a->bytes.reset('\r');
    } else if (c == '\\') {
      if (i_ >= s_.size()) return fail("dangling \\"), nullptr;
      a->bytes = escape_set(s_[i_++]);
    } else if (c == '[') {
      bool negate = false;
      if (peek('^')) negate = true, ++i_;
      bool first = true;
      while (i_ < s_.size() && (first || s_[i_] != ']')) {
        first = false;
        ByteSet item;
        unsigned char lo = static_cast<unsigned char>(s_[i_++]);
        if (lo == '\\') {
          if (i_ >= s_.size()) break;
          item = escape_set(s_[i_++]);
          a->bytes |= item;
          continue;
        }
        if (peek('-') && i_ + 1 < s_.size() && s_[i_ + 1] != ']') {
          ++i_;
          const unsigned char hi = static_cast<unsigned char>(s_[i_++]);
          if (hi < lo) return fail("bad range"), nullptr;
          for (int k = lo; k <= hi; ++k) a->bytes.set(k);
        } else {
          a->bytes.set(lo);
        }
      }
      if (!peek(']')) return fail("missing ]"), nullptr;
      ++i_;
      if (negate) a->bytes.flip();
    } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ')' || c == '^' || c == '$') {
      return fail("unexpected metacharacter"), nullptr;
    } else {
      a->bytes.set(static_cast<unsigned char>(c));
    }
    return a;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

struct NfaState {
  enum Kind { set, split, match } kind;
  int set_index = -1;
  int out = -1, out1 = -1;
};

class NfaBuilder {
 public:
  static constexpr std::size_t max_states = 100000;  // nested repetitions multiply: a{1000}{1000}
  std::vector<NfaState> states;
  std::vector<ByteSet> sets;
  bool too_large = false;

  int add(NfaState s) {
    if (states.size() >= max_states) too_large = true;
    if (too_large) return 0;
    states.push_back(s);
    return static_cast<int>(states.size()) - 1;
  }
  int set_state(const ByteSet& b, int next) {
    int index = -1;
    for (std::size_t k = 0; k < sets.size(); ++k)
      if (sets[k] == b) index = static_cast<int>(k);
    if (index < 0) sets.push_back(b), index = static_cast<int>(sets.size()) - 1;
    return add({NfaState::set, index, next, -1});
  }
  // Builds states for `a` that continue to `next`; returns the entry state.
  int build(const Ast& a, int next) {
    if (too_large) return next;
    switch (a.kind) {
      case Ast::set: return set_state(a.bytes, next);
      case Ast::cat:
        for (auto it = a.children.rbegin(); it != a.children.rend(); ++it) next = build(**it, next);
        return next;
      case Ast::alt: {
        int entry = build(*a.children.back(), next);
        for (auto it = a.children.rbegin() + 1; it != a.children.rend(); ++it)
          entry = add({NfaState::split, -1, build(**it, next), entry});
        return entry;
      }
      case Ast::repeat: {
        const Ast& child = *a.children[0];
        if (a.max < 0) {
          const int loop = add({NfaState::split, -1, -1, next});
          states[loop].out = build(child, loop);
          next = loop;
        } else {
          for (int k = a.min; k < a.max && !too_large; ++k) next = add({NfaState::split, -1, build(child, next), next});
        }
        for (int k = 0; k < a.min && !too_large; ++k) next = build(child, next);
        return next;
      }
    }
    return next;
  }
};

}  // namespace

std::optional<Pattern> Pattern::compile(std::string_view source, std::string* error) {
  for (std::size_t i = 0; i < detail::precompiled_pattern_count; ++i)
    if (detail::precompiled_patterns[i].source == source) return Pattern(detail::precompiled_patterns[i]);
  return build(source, error);
}

Pattern::Pattern(const detail::PatternTables& t)
    : source_(t.source),
      anchored_end_(t.anchored_end),
      class_count_(t.class_count),
      next_(t.next, t.next + std::size_t{t.states} * t.class_count),
      accepting_(t.accepting, t.accepting + t.states),
      start_(t.start),
      prefix_(t.prefix),
      after_prefix_(t.after_prefix) {
  std::memcpy(classes_, t.classes, sizeof classes_);
}

detail::PatternTables Pattern::tables() const {
  detail::PatternTables t;
  t.source = source_;
  t.anchored_end = anchored_end_;
  t.class_count = class_count_;
  t.states = static_cast<std::uint16_t>(accepting_.size());
  t.start = start_;
  t.after_prefix = after_prefix_;
  t.prefix = prefix_;
  t.classes = classes_;
  t.accepting = accepting_.data();
  t.next = next_.data();
  return t;
}

std::optional<Pattern> Pattern::build(std::string_view source, std::string* error) {
  bool anchored_start = false, anchored_end = false;
  std::string why;
  Parser parser(source);
  auto ast = parser.parse(anchored_start, anchored_end, why);
  if (!ast) {
    if (error) *error = why;
    return std::nullopt;
  }
  NfaBuilder nfa;
  const int match = nfa.add({NfaState::match, -1, -1, -1});
  int start = nfa.build(*ast, match);
  if (!anchored_start) {  // find(): the match may begin anywhere
    ByteSet any;
    any.set();
    const int loop = nfa.add({NfaState::split, -1, -1, start});
    nfa.states[loop].out = nfa.set_state(any, loop);
    start = loop;
  }
  if (nfa.too_large) {
    if (error) *error = "pattern too complex";
    return std::nullopt;
  }

  Pattern p;
  p.source_ = std::string(source);
  p.anchored_end_ = anchored_end;
  // Byte classes: bytes that every set treats alike share a class.
  std::map<std::vector<bool>, std::uint8_t> signature_class;
  for (int b = 0; b < 256; ++b) {
    std::vector<bool> sig;
    for (const auto& s : nfa.sets) sig.push_back(s.test(b));
    auto [it, fresh] = signature_class.emplace(sig, static_cast<std::uint8_t>(signature_class.size()));
    p.classes_[b] = it->second;
  }
  p.class_count_ = static_cast<std::uint16_t>(signature_class.size());
  std::vector<int> class_byte(p.class_count_);
  for (int b = 0; b < 256; ++b) class_byte[p.classes_[b]] = b;

  auto closure = [&](std::vector<int> seeds) {
    std::vector<bool> seen(nfa.states.size());
    std::vector<int> out;
    while (!seeds.empty()) {
      const int s = seeds.back();
      seeds.pop_back();
      if (s < 0 || seen[s]) continue;
      seen[s] = true;
      if (nfa.states[s].kind == NfaState::split) {
        seeds.push_back(nfa.states[s].out1);
        seeds.push_back(nfa.states[s].out);
      } else {
        out.push_back(s);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };

  std::map<std::vector<int>, std::uint16_t> ids;
  std::vector<std::vector<int>> dfa_states{{}};  // state 0: dead
  p.accepting_.assign(1, false);
  p.next_.assign(p.class_count_, 0);
  auto intern = [&](const std::vector<int>& set) -> std::uint16_t {
    if (set.empty()) return 0;
    auto it = ids.find(set);
    if (it != ids.end()) return it->second;
    const auto id = static_cast<std::uint16_t>(dfa_states.size());
    ids.emplace(set, id);
    dfa_states.push_back(set);
    bool acc = false;
    for (int s : set) acc = acc || s == match;
    p.accepting_.push_back(acc);
    p.next_.resize(p.next_.size() + p.class_count_, 0);
    return id;
  };
  p.start_ = intern(closure({start}));
  for (std::size_t d = 1; d < dfa_states.size(); ++d) {
    if (dfa_states.size() > 4000) {
      if (error) *error = "pattern too complex";
      return std::nullopt;
    }
    for (std::uint16_t c = 0; c < p.class_count_; ++c) {
      std::vector<int> seeds;
      for (int s : dfa_states[d])
        if (nfa.states[s].kind == NfaState::set && nfa.sets[nfa.states[s].set_index].test(class_byte[c]))
          seeds.push_back(nfa.states[s].out);
      const std::uint16_t target = intern(closure(seeds));
      p.next_[d * p.class_count_ + c] = target;
    }
  }
  // The literal prefix: while exactly one byte leads on from a non-accepting state, run() compares
  // bytes instead of stepping the automaton (OIDs and code URIs start with long literals).
  p.after_prefix_ = p.start_;
  for (std::uint16_t s = p.start_; s != 0 && !p.accepting_[s] && p.prefix_.size() < 64;) {
    int live_class = -1, live_count = 0;
    for (std::uint16_t c = 0; c < p.class_count_; ++c)
      if (p.next_[s * p.class_count_ + c] != 0) live_class = c, ++live_count;
    if (live_count != 1) break;
    int bytes = 0, byte = 0;
    for (int b = 0; b < 256; ++b)
      if (p.classes_[b] == live_class) ++bytes, byte = b;
    if (bytes != 1) break;
    p.prefix_.push_back(static_cast<char>(byte));
    s = p.next_[s * p.class_count_ + static_cast<std::uint16_t>(live_class)];
    p.after_prefix_ = s;
  }
  return p;
}

namespace {
bool is_final_terminator(std::string_view rest) {
  return rest == "\n" || rest == "\r\n" || rest == "\r" || rest == "\xC2\x85" || rest == "\xE2\x80\xA8" ||
         rest == "\xE2\x80\xA9";
}
}  // namespace

bool Pattern::run(std::string_view text, bool allow_terminator) const {
  std::uint16_t s = start_;
  const std::size_t n = text.size();
  std::size_t i = 0;
  if (!prefix_.empty()) {
    if (n < prefix_.size() || std::memcmp(text.data(), prefix_.data(), prefix_.size()) != 0) return false;
    s = after_prefix_;
    i = prefix_.size();
  }
  if (!anchored_end_) {
    if (accepting_[s]) return true;
    for (; i < n; ++i) {
      s = next_[s * class_count_ + classes_[static_cast<unsigned char>(text[i])]];
      if (s == 0) return false;
      if (accepting_[s]) return true;
    }
    return false;
  }
  // `$` before a final line terminator: a terminator is at most 3 bytes, so look only near the end.
  const std::size_t tail = !allow_terminator ? n : n > 3 ? n - 3 : 0;
  for (; i < n; ++i) {
    if (i >= tail && accepting_[s] && is_final_terminator(text.substr(i))) return true;
    s = next_[s * class_count_ + classes_[static_cast<unsigned char>(text[i])]];
    if (s == 0) return false;
  }
  return accepting_[s];
}

bool Pattern::find(std::string_view text) const { return run(text, true); }

bool Pattern::needs_final_terminator(std::string_view text) const {
  if (!anchored_end_ || text.empty()) return false;
  // The last byte of \n, \r, U+0085, U+2028 or U+2029.
  const unsigned char last = static_cast<unsigned char>(text.back());
  if (last != '\n' && last != '\r' && last != 0x85 && last != 0xA8 && last != 0xA9) return false;
  return run(text, true) && !run(text, false);
}

}  // namespace hoks
