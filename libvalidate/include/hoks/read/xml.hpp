// The canonical XML form of the model, its XSD, and safe XML reading (pugixml, no DTD, no entity
// expansion: a document with a DOCTYPE is rejected with a `syntax` finding, xml_dtd_forbidden).
//
// Canonical XML (docs/mapping.md has the full description):
//   - the document element is <hoks>; element names are the JSON keys; element text is the value;
//   - an array field of the model is written as repeated elements, one per item; an empty one as
//     a single element with array="empty"; a value that is not an array in an array field gets
//     array="no";
//   - the model gives each element its JSON type (string, number, boolean, object); a value of
//     another type, or of a key the model does not know (which defaults to string), carries
//     type="number|boolean|null|object|array|string"; the items of such an array are <item>
//     elements;
//   - a key that is not an XML name is written as <_ key="..."> (or key-json="JSON literal" when
//     it holds characters XML cannot carry); a string with such characters is written as a JSON
//     string literal with enc="json"; a carriage return is written as &#13;.
// JSON -> XML -> JSON gives back the same document, member order included.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "hoks/convert/convert.hpp"

namespace hoks {

struct CanonicalXmlOptions {
  int indent = 2;              // spaces per level (0: everything on one line); output is UTF-8
  std::string root = "hoks";   // name of the document element
};

// Writes a document (or a top-level array of documents) as canonical XML.
std::string write_canonical_xml(const Json& document, const CanonicalXmlOptions& options = {},
                                const Model& model = Model::builtin());
// Writes the same XML to `out` in pieces as it is produced (the whole text is never held).
void write_canonical_xml(const Json& document, std::ostream& out, const CanonicalXmlOptions& options = {},
                         const Model& model = Model::builtin());
// The same for a parsed document, without building a tree.
void write_canonical_xml(JsonValue document, std::ostream& out, const CanonicalXmlOptions& options = {},
                         const Model& model = Model::builtin());
// Converts JSON text to canonical XML as it goes: an array of documents is parsed and written one
// document at a time. On a syntax error returns false with a `syntax` finding in `out` (`output`
// may then hold the documents before the one with the error).
bool convert_json_to_xml(std::string_view json, std::string_view source, std::ostream& output, Conversion& out,
                         const CanonicalXmlOptions& options = {}, const Model& model = Model::builtin());
// Reads canonical XML (encoding from its BOM or declaration); `source` names the input in findings.
Conversion read_canonical_xml(std::string_view bytes, std::string_view source,
                              const CanonicalXmlOptions& options = {}, const Model& model = Model::builtin());
// The same, emitting the document into `sink` instead (Conversion::document stays null).
Conversion read_canonical_xml(std::string_view bytes, std::string_view source, JsonSink& sink,
                              const CanonicalXmlOptions& options = {}, const Model& model = Model::builtin());

// The XSD (XML Schema 1.0) of canonical XML documents whose values have the model's types.
std::string generate_xsd(const Model& model = Model::builtin());

// Guesses the encoding of XML bytes: a byte order mark, else the XML declaration's encoding,
// else UTF-8. Returns false (and leaves `encoding` alone) for an encoding hokskit cannot read.
bool detect_xml_encoding(std::string_view bytes, Encoding& encoding);

// True when `name` can be written as an XML element name (NCName, not starting with "xml").
bool is_xml_name(std::string_view name);

}  // namespace hoks
