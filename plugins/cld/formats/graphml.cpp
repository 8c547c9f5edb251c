#include "formats/graphml.hpp"

#include <expat.h>

#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "drawing/svg_png.hpp"

namespace holon_cld {

std::string write_graphml(const CausalGraph &graph) {
    std::ostringstream out;
    out.precision(17);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
           "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
           "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
           "  <key id=\"polarity\" for=\"edge\" attr.name=\"polarity\" attr.type=\"string\"/>\n"
           "  <key id=\"delay\" for=\"edge\" attr.name=\"delay\" attr.type=\"boolean\"/>\n"
           "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
           "  <graph id=\"cld\" edgedefault=\"directed\">\n";
    for (const Variable &v : graph.variables()) {
        out << "    <node id=\"" << holon_plugins::drawing::xml_escape(v.id) << "\"><data key=\"name\">" << holon_plugins::drawing::xml_escape(v.name) << "</data>";
        if (!v.kind.empty()) out << "<data key=\"kind\">" << holon_plugins::drawing::xml_escape(v.kind) << "</data>";
        out << "</node>\n";
    }
    for (const Link &l : graph.links()) {
        out << "    <edge id=\"" << holon_plugins::drawing::xml_escape(l.id) << "\" source=\"" << holon_plugins::drawing::xml_escape(graph.variables()[l.from].id)
            << "\" target=\"" << holon_plugins::drawing::xml_escape(graph.variables()[l.to].id) << "\"><data key=\"polarity\">"
            << polarity_symbol(l.polarity) << "</data><data key=\"delay\">" << (l.delay ? "true" : "false") << "</data>";
        if (l.weight) out << "<data key=\"weight\">" << *l.weight << "</data>";
        out << "</edge>\n";
    }
    out << "  </graph>\n</graphml>\n";
    return out.str();
}

namespace {

struct Place {
    std::uint64_t line = 0;
    std::uint64_t column = 0;
};

struct PendingNode {
    std::string id;
    std::map<std::string, std::string> data; // attr.name -> text
    Place place;
};

struct PendingEdge {
    std::string id;
    std::string source;
    std::string target;
    bool undirected = false;
    std::map<std::string, std::string> data;
    Place place;
};

struct Key {
    std::string for_what;
    std::string name;
    std::optional<std::string> default_value;
};

std::string_view local_name(const XML_Char *name) {
    std::string_view n(name);
    const auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char *attribute(const XML_Char **attributes, std::string_view wanted) {
    for (std::size_t i = 0; attributes[i]; i += 2)
        if (local_name(attributes[i]) == wanted) return attributes[i + 1];
    return nullptr;
}

class GraphmlReader {
public:
    GraphmlReader(XML_Parser parser, const XmlLimits &limits) : parser_(parser), limits_(limits) {}

    void start(const XML_Char *name, const XML_Char **attributes) {
        if (++depth_ > limits_.max_depth) return fail("elements are nested deeper than " + std::to_string(limits_.max_depth));
        const std::string_view element = local_name(name);
        if (element == "graph") {
            if (++graphs_ > 1) return fail("nested graphs are not supported");
            if (const auto *d = attribute(attributes, "edgedefault")) edges_undirected_ = std::strcmp(d, "undirected") == 0;
        } else if (element == "key") {
            const auto *id = attribute(attributes, "id");
            if (!id) return fail("a <key> has no id");
            Key key;
            if (const auto *f = attribute(attributes, "for")) key.for_what = f;
            if (const auto *n = attribute(attributes, "attr.name")) key.name = n;
            else key.name = id;
            current_key_ = id;
            keys_[id] = key;
        } else if (element == "default") {
            in_default_ = !current_key_.empty();
            text_.clear();
        } else if (element == "node") {
            if (node_) return fail("a <node> inside a <node> is not supported");
            const auto *id = attribute(attributes, "id");
            if (!id) return fail("a <node> has no id");
            node_ = PendingNode{id, {}, here()};
        } else if (element == "edge") {
            const auto *source = attribute(attributes, "source");
            const auto *target = attribute(attributes, "target");
            if (!source || !target) return fail("an <edge> needs a source and a target");
            PendingEdge edge;
            if (const auto *id = attribute(attributes, "id")) edge.id = id;
            edge.source = source;
            edge.target = target;
            edge.undirected = edges_undirected_;
            if (const auto *d = attribute(attributes, "directed")) edge.undirected = std::strcmp(d, "false") == 0;
            edge.place = here();
            edge_ = std::move(edge);
        } else if (element == "hyperedge") {
            return fail("hyperedges are not supported");
        } else if (element == "data") {
            const auto *key = attribute(attributes, "key");
            if (!key) return fail("a <data> has no key");
            data_key_ = key;
            in_data_ = true;
            text_.clear();
        }
    }

    void end(const XML_Char *name) {
        --depth_;
        const std::string_view element = local_name(name);
        if (element == "data" && in_data_) {
            in_data_ = false;
            const auto key = keys_.find(data_key_);
            const std::string attr = key == keys_.end() ? data_key_ : key->second.name;
            if (edge_) edge_->data[attr] = text_;
            else if (node_) node_->data[attr] = text_;
        } else if (element == "default" && in_default_) {
            in_default_ = false;
            keys_[current_key_].default_value = text_;
        } else if (element == "key") {
            current_key_.clear();
        } else if (element == "node" && node_) {
            nodes_.push_back(std::move(*node_));
            node_.reset();
        } else if (element == "edge" && edge_) {
            edges_.push_back(std::move(*edge_));
            edge_.reset();
        }
    }

    void text(const XML_Char *s, int length) {
        if (in_data_ || in_default_) text_.append(s, static_cast<std::size_t>(length));
    }

    void refuse_dtd() { fail("DTDs and entity declarations are not accepted"); }

    const std::optional<ImportError> &error() const { return error_; }

    Imported build() const;

private:
    Place here() const {
        return {static_cast<std::uint64_t>(XML_GetCurrentLineNumber(parser_)),
                static_cast<std::uint64_t>(XML_GetCurrentColumnNumber(parser_)) + 1};
    }
    void fail(const std::string &message) {
        if (!error_) {
            const Place p = here();
            error_.emplace(message, p.line, p.column);
        }
        XML_StopParser(parser_, XML_FALSE);
    }
    std::string value(const std::map<std::string, std::string> &data, std::initializer_list<const char *> names,
                      const char *for_what) const {
        for (const char *n : names)
            if (auto it = data.find(n); it != data.end()) return it->second;
        for (const auto &[id, key] : keys_)
            for (const char *n : names)
                if (key.name == n && key.default_value && (key.for_what == for_what || key.for_what == "all"))
                    return *key.default_value;
        return {};
    }

    XML_Parser parser_;
    XmlLimits limits_;
    std::size_t depth_ = 0;
    int graphs_ = 0;
    bool edges_undirected_ = false;
    std::map<std::string, Key> keys_;
    std::string current_key_;
    std::optional<PendingNode> node_;
    std::optional<PendingEdge> edge_;
    std::vector<PendingNode> nodes_;
    std::vector<PendingEdge> edges_;
    std::string data_key_;
    bool in_data_ = false;
    bool in_default_ = false;
    std::string text_;
    std::optional<ImportError> error_;
};

std::optional<Polarity> polarity_from_text(std::string text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) text.pop_back();
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t')) text.erase(0, 1);
    if (text.empty()) return Polarity::unknown;
    if (auto p = parse_polarity(text)) return p;
    if (text == "positive" || text == "1" || text == "+1") return Polarity::positive;
    if (text == "negative" || text == "-1") return Polarity::negative;
    if (text == "unknown") return Polarity::unknown;
    return std::nullopt;
}

Imported GraphmlReader::build() const {
    Imported result;
    for (const PendingNode &n : nodes_) {
        Variable v{n.id, value(n.data, {"name", "label"}, "node"), value(n.data, {"kind"}, "node"), value(n.data, {"units"}, "node")};
        if (v.name.empty()) v.name = v.id;
        try {
            result.graph.add_variable(std::move(v));
        } catch (const GraphError &e) {
            throw ImportError(e.what(), n.place.line, n.place.column);
        }
    }
    std::size_t number = 0;
    for (const PendingEdge &e : edges_) {
        ++number;
        const std::string polarity_text = value(e.data, {"polarity", "sign"}, "edge");
        const auto polarity = polarity_from_text(polarity_text);
        if (!polarity) throw ImportError("unreadable polarity \"" + polarity_text + "\" (use +, - or ?)", e.place.line, e.place.column);
        const std::string delay_text = value(e.data, {"delay"}, "edge");
        const bool delay = delay_text == "true" || delay_text == "1" || delay_text == "yes";
        std::optional<double> weight;
        if (const std::string w = value(e.data, {"weight"}, "edge"); !w.empty()) {
            try {
                std::size_t used = 0;
                weight = std::stod(w, &used);
                if (used != w.size()) throw std::invalid_argument(w);
            } catch (const std::exception &) {
                throw ImportError("weight \"" + w + "\" is not a number", e.place.line, e.place.column);
            }
        }
        const std::string id = e.id.empty() ? numbered_id("e", number) : e.id;
        if (e.undirected) result.warnings.push_back("edge '" + id + "' is undirected; imported as " + e.source + " -> " + e.target);
        try {
            result.graph.add_link(id, e.source, e.target, *polarity, delay, weight);
        } catch (const GraphError &err) {
            throw ImportError(err.what(), e.place.line, e.place.column);
        }
    }
    return result;
}

void XMLCALL on_start(void *user, const XML_Char *name, const XML_Char **attributes) {
    static_cast<GraphmlReader *>(user)->start(name, attributes);
}
void XMLCALL on_end(void *user, const XML_Char *name) { static_cast<GraphmlReader *>(user)->end(name); }
void XMLCALL on_text(void *user, const XML_Char *s, int length) { static_cast<GraphmlReader *>(user)->text(s, length); }
void XMLCALL on_doctype(void *user, const XML_Char *, const XML_Char *, const XML_Char *, int) {
    static_cast<GraphmlReader *>(user)->refuse_dtd();
}
void XMLCALL on_entity(void *user, const XML_Char *, int, const XML_Char *, int, const XML_Char *, const XML_Char *,
                       const XML_Char *, const XML_Char *) {
    static_cast<GraphmlReader *>(user)->refuse_dtd();
}

struct ParserFree {
    void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

} // namespace

Imported read_graphml(std::string_view xml, const XmlLimits &limits) {
    if (xml.size() > limits.max_bytes)
        throw ImportError("the GraphML document is larger than " + std::to_string(limits.max_bytes) + " bytes");
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree> parser(XML_ParserCreate(nullptr));
    if (!parser) throw std::bad_alloc();
    GraphmlReader reader(parser.get(), limits);
    XML_SetUserData(parser.get(), &reader);
    XML_SetElementHandler(parser.get(), &on_start, &on_end);
    XML_SetCharacterDataHandler(parser.get(), &on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), &on_doctype);
    XML_SetEntityDeclHandler(parser.get(), &on_entity);
    XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
    const XML_Status status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    if (reader.error()) throw *reader.error();
    if (status != XML_STATUS_OK)
        throw ImportError(std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser.get())),
                          static_cast<std::uint64_t>(XML_GetCurrentLineNumber(parser.get())),
                          static_cast<std::uint64_t>(XML_GetCurrentColumnNumber(parser.get())) + 1);
    return reader.build();
}

} // namespace holon_cld
