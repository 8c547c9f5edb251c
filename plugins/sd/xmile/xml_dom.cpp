#include "xmile/xml_dom.hpp"

#include "ir/error.hpp"

#include <expat.h>

#include <algorithm>
#include <memory>

namespace holon_sd::xml {

namespace {

std::string_view local_part(std::string_view name) {
    size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

struct Builder {
    XML_Parser parser = nullptr;
    Limits limits;
    Element root;
    std::vector<Element *> stack;
    bool have_root = false;
    std::string refused; // why we stopped the parser ourselves

    void stop(const std::string &why) {
        if (refused.empty()) refused = why;
        XML_StopParser(parser, XML_FALSE);
    }
};

void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs) {
    auto *b = static_cast<Builder *>(data);
    if (static_cast<int>(b->stack.size()) >= b->limits.max_depth) {
        b->stop("elements nested deeper than " + std::to_string(b->limits.max_depth));
        return;
    }
    Element e;
    e.name = name;
    e.local_name = std::string(local_part(e.name));
    e.has_prefix = e.name.size() != e.local_name.size();
    e.line = static_cast<int>(XML_GetCurrentLineNumber(b->parser));
    e.column = static_cast<int>(XML_GetCurrentColumnNumber(b->parser)) + 1;
    for (int i = 0; attrs[i]; i += 2) e.attributes.emplace_back(attrs[i], attrs[i + 1]);
    if (b->stack.empty()) {
        b->root = std::move(e);
        b->have_root = true;
        b->stack.push_back(&b->root);
    } else {
        Element *parent = b->stack.back();
        parent->children.push_back(std::move(e));
        b->stack.push_back(&parent->children.back());
    }
}

void XMLCALL on_end(void *data, const XML_Char *) {
    auto *b = static_cast<Builder *>(data);
    if (!b->stack.empty()) b->stack.pop_back();
}

void XMLCALL on_text(void *data, const XML_Char *s, int len) {
    auto *b = static_cast<Builder *>(data);
    if (!b->stack.empty()) b->stack.back()->text.append(s, static_cast<size_t>(len));
}

void XMLCALL on_doctype(void *data, const XML_Char *, const XML_Char *, const XML_Char *, int) {
    static_cast<Builder *>(data)->stop("DTDs (<!DOCTYPE>) are refused");
}

void XMLCALL on_entity_decl(void *data, const XML_Char *, int, const XML_Char *, int, const XML_Char *,
                            const XML_Char *, const XML_Char *, const XML_Char *) {
    static_cast<Builder *>(data)->stop("entity declarations are refused");
}

} // namespace

const std::string *Element::attribute(std::string_view local) const {
    for (const auto &[k, v] : attributes)
        if (local_part(k) == local) return &v;
    return nullptr;
}

const Element *Element::child(std::string_view local) const {
    for (const auto &c : children)
        if (!c.has_prefix && c.local_name == local) return &c;
    return nullptr;
}

std::vector<const Element *> Element::children_named(std::string_view local) const {
    std::vector<const Element *> out;
    for (const auto &c : children)
        if (!c.has_prefix && c.local_name == local) out.push_back(&c);
    return out;
}

namespace {

// One expat pass. On a mismatched end tag that closes an ancestor, fills `insert_at` and
// `missing` (the end tags to supply, innermost first) instead of throwing.
Element parse_once(std::string_view document, const Limits &limits, size_t *insert_at,
                   std::vector<std::string> *missing) {
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"), XML_ParserFree);
    if (!parser) throw std::bad_alloc();
    Builder b;
    b.parser = parser.get();
    b.limits = limits;
    // The stack holds pointers into children vectors. Only the innermost open element ever gains
    // children, and none of its children is on the stack at that moment, so they stay valid.
    XML_SetUserData(parser.get(), &b);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
    XML_SetEntityDeclHandler(parser.get(), on_entity_decl);
    XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
    if (XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), XML_TRUE) == XML_STATUS_ERROR) {
        int line = static_cast<int>(XML_GetCurrentLineNumber(parser.get()));
        int column = static_cast<int>(XML_GetCurrentColumnNumber(parser.get())) + 1;
        if (missing && b.refused.empty() && XML_GetErrorCode(parser.get()) == XML_ERROR_TAG_MISMATCH) {
            // Expat points at the name of the offending end tag, just after its "</".
            auto at = static_cast<size_t>(XML_GetCurrentByteIndex(parser.get()));
            at = at >= 2 ? at - 2 : at;
            if (at + 2 < document.size() && document.compare(at, 2, "</") == 0) {
                size_t end = document.find_first_of("> \t\r\n", at + 2);
                std::string_view closing = document.substr(at + 2, end == std::string_view::npos ? 0 : end - at - 2);
                auto repairable = [&](const Element *e) {
                    return std::find(limits.repairable.begin(), limits.repairable.end(), e->name) !=
                           limits.repairable.end();
                };
                // stack[k] is the outermost element the end tag would leave unclosed.
                for (size_t k = b.stack.size(); k-- > 1;) {
                    if (!repairable(b.stack[k])) break;
                    if (b.stack[k - 1]->name != closing) continue;
                    for (size_t j = b.stack.size(); j-- > k;) missing->push_back(b.stack[j]->name);
                    *insert_at = at;
                    return {};
                }
            }
        }
        std::string why = b.refused.empty() ? XML_ErrorString(XML_GetErrorCode(parser.get())) : b.refused;
        throw ModelError("XML: " + why + " at line " + std::to_string(line) + ", column " + std::to_string(column),
                         "", line, column);
    }
    if (!b.have_root) throw ModelError("XML: the document has no root element");
    return std::move(b.root);
}

std::pair<int, int> line_and_column(std::string_view text, size_t offset) {
    int line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

} // namespace

Element parse(std::string_view document, const Limits &limits) {
    if (document.size() > limits.max_bytes)
        throw ModelError("XML: document of " + std::to_string(document.size()) + " bytes exceeds the limit of " +
                         std::to_string(limits.max_bytes));
    return parse_once(document, limits, nullptr, nullptr);
}

Document parse_repairing(std::string_view document, const Limits &limits) {
    if (document.size() > limits.max_bytes)
        throw ModelError("XML: document of " + std::to_string(document.size()) + " bytes exceeds the limit of " +
                         std::to_string(limits.max_bytes));
    Document out;
    std::string repaired;
    std::string_view current = document;
    for (int attempt = 0;; ++attempt) {
        size_t insert_at = 0;
        std::vector<std::string> missing;
        Element root = parse_once(current, limits, attempt < limits.max_repairs ? &insert_at : nullptr,
                                  attempt < limits.max_repairs ? &missing : nullptr);
        if (missing.empty()) {
            out.root = std::move(root);
            return out;
        }
        auto [line, column] = line_and_column(current, insert_at);
        std::string tags;
        for (const std::string &name : missing) {
            tags += "</" + name + ">";
            out.repairs.push_back("XML: supplied the missing </" + name + "> before line " + std::to_string(line) +
                                  ", column " + std::to_string(column));
        }
        repaired = std::string(current.substr(0, insert_at)) + tags + std::string(current.substr(insert_at));
        current = repaired;
    }
}

} // namespace holon_sd::xml
