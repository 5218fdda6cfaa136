// The rule catalog (schema/rules.yaml): metadata and messages of every rule, as data.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoks/report/finding.hpp"

namespace hoks {

enum class Lang : std::uint8_t { fi, sv, en };
std::optional<Lang> parse_lang(std::string_view s);
std::string_view to_string(Lang lang);

// A text in Finnish, Swedish and English.
struct Localized {
  std::string fi, sv, en;
  const std::string& in(Lang lang) const;
};

struct Rule {
  std::string id;
  Severity severity = Severity::error;
  std::string stage;        // syntax | schema | rule | code | context
  std::string ehoks;        // eHOKS reference label, or ""
  std::vector<std::string> entities;  // the model entities it checks (none: any entity or the raw text)
  std::string attachment;   // text | value | field | object | document | report: where eHOKS evaluates it
  std::string field;        // the key a field-attached rule sits on
  std::string basis_kind;   // ehoks | law | recommendation | sanity
  std::string basis_ref;
  std::string law;
  bool interpretation = false;
  bool needs_context = false;
  std::string from, until;  // YYYY-MM-DD or ""
  Localized title, message, hint, rationale;
  // message-cases: other messages for findings whose `case` argument names them.
  std::vector<std::pair<std::string, Localized>> cases;
};

class Catalog {
 public:
  // Loads a catalog from YAML text; throws std::runtime_error on a bad catalog.
  static std::shared_ptr<const Catalog> load(std::string_view yaml_text);
  // The catalog built into the library (schema/rules.yaml).
  static const Catalog& builtin();

  const std::string& version() const { return version_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const Rule* find(std::string_view id) const;
  // The ids a selector names: a rule id, a prefix ending in `*` (`legal-*`), `ehoks` (the checks
  // eHOKS itself makes) or `quality` (the others); empty when it names none.
  std::vector<std::string> select(std::string_view selector) const;
  // "unknown rule 'X' (did you mean 'Y'? see hoks rules)": the message for a selector that names none.
  std::string unknown_rule(std::string_view selector) const;
  // A localized word ("integer", "create", ...) or a syntax detail; the key itself when unknown.
  std::string word(std::string_view key, Lang lang) const;
  std::string syntax_detail(std::string_view key, Lang lang) const;

  // The rule's message with its {placeholders} filled from the finding's arguments.
  std::string message(const Finding& f, Lang lang) const;
  std::string hint(const Finding& f, Lang lang) const;
  // The same, appended to `out` from the template compiled at load (no allocation once `out` has room).
  void append_message(std::string& out, const Finding& f, Lang lang) const;
  // The same for a finding of `rule`, one of this catalog's (as find() gave it).
  void append_message(std::string& out, const Rule& rule, const Finding& f, Lang lang) const;
  void append_hint(std::string& out, const Finding& f, Lang lang) const;
  // The rule's hint when it has no placeholders (the same for every finding), else nullptr.
  const std::string* plain_hint(std::string_view rule, Lang lang) const;

  // What a piece of a template is: its own text, or a placeholder and how its value is shown (as
  // it is, as a catalog word, as a syntax detail, as " Did you mean `value`?").
  enum class PieceKind : std::uint8_t { literal, value, word, syntax_detail, suggestion };
  // A piece of a compiled message: literal text, or a placeholder's name (a view into the rule's text).
  struct MessagePiece {
    std::string_view text;
    PieceKind kind;
  };
  // The pieces of `rule`'s message in `lang` (of its case `c`, parallel to Rule::cases, when c >= 0),
  // as append_message() fills them; `rule` is one of this catalog's.
  std::vector<MessagePiece> message_pieces(const Rule& rule, int c, Lang lang) const;

 private:
  // A message or hint split once into literal runs and {name} placeholders (offsets into the text).
  struct Piece {
    std::uint32_t begin, size;
    PieceKind kind;
  };
  struct Template {
    std::vector<Piece> pieces;
    bool plain = true;
  };
  struct RuleTemplates {
    Template message[3], hint[3];
    std::vector<std::array<Template, 3>> cases;  // parallel to Rule::cases
  };
  static Template compile(std::string_view text);
  void fill(std::string& out, std::string_view text, const Template& t, const Finding& f, Lang lang) const;
  std::string version_;
  std::vector<Rule> rules_;
  std::vector<RuleTemplates> templates_;  // parallel to rules_
  std::map<std::string, Localized, std::less<>> words_, syntax_details_;
  std::uint64_t serial_;  // unique among the catalogs of the process (find()'s cache)

 public:
  Catalog();
  Catalog(const Catalog&) = delete;  // find()'s cache knows a catalog by its serial
  Catalog& operator=(const Catalog&) = delete;
};

namespace detail {
// Replaces {name} in `text` with the values of `args`; unknown names stay as they are.
std::string fill_template(std::string_view text, const std::vector<std::pair<std::string, std::string>>& args);
}  // namespace detail

}  // namespace hoks
