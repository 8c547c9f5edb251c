#include "protocol.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <concepts>
#include <type_traits>
#include <cstring>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

namespace holon::runner::protocol {

const char *message_type_name(MessageType type) {
    switch (type) {
    case MessageType::Describe: return "DESCRIBE";
    case MessageType::Job: return "JOB";
    case MessageType::Cancel: return "CANCEL";
    case MessageType::InvokeResult: return "INVOKE_RESULT";
    case MessageType::Description: return "DESCRIPTION";
    case MessageType::Progress: return "PROGRESS";
    case MessageType::Log: return "LOG";
    case MessageType::Error: return "ERROR";
    case MessageType::ResultJson: return "RESULT_JSON";
    case MessageType::ResultTable: return "RESULT_TABLE";
    case MessageType::ResultBlob: return "RESULT_BLOB";
    case MessageType::InvokeRequest: return "INVOKE_REQUEST";
    case MessageType::Done: return "DONE";
    }
    return nullptr;
}

// ---- primitives -------------------------------------------------------------------------------
// Integers are little-endian on the wire; doubles are copied in native order because both ends
// always run on the same machine.

void Writer::u32(uint32_t v) {
    char b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xffu);
    buf_.append(b, 4);
}
void Writer::i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
void Writer::u64(uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xffu);
    buf_.append(b, 8);
}
void Writer::f64(double v) { bytes(&v, sizeof v); }
void Writer::str(std::string_view s) {
    u64(s.size());
    buf_.append(s.data(), s.size());
}
void Writer::bytes(const void *data, size_t size) { buf_.append(static_cast<const char *>(data), size); }

std::string_view Reader::take(size_t n) {
    if (n > data_.size() - pos_) throw ProtocolError("truncated message");
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
}
uint32_t Reader::u32() {
    std::string_view b = take(4);
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[static_cast<size_t>(i)]);
    return v;
}
int32_t Reader::i32() { return static_cast<int32_t>(u32()); }
uint64_t Reader::u64() {
    std::string_view b = take(8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[static_cast<size_t>(i)]);
    return v;
}
double Reader::f64() {
    double v = 0;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
}
std::string Reader::str() {
    uint64_t n = u64();
    if (n > data_.size() - pos_) throw ProtocolError("truncated string");
    return std::string(take(static_cast<size_t>(n)));
}
void Reader::doubles(double *out, size_t count) {
    if (count > (data_.size() - pos_) / sizeof(double)) throw ProtocolError("truncated table values");
    std::string_view b = take(count * sizeof(double));
    if (count) std::memcpy(out, b.data(), b.size());
}
void Reader::expect_end() const {
    if (!at_end()) throw ProtocolError("trailing bytes in message");
}

// ---- tables -----------------------------------------------------------------------------------

namespace {

// Every column of a borrowed table, stepped by its producer's struct_size (a plugin built against
// SDK 1.0 hands over 24-byte columns, a 1.1 one 40-byte columns). Throws ProtocolError when the
// columns do not all have one size that covers the 1.0 fields.
std::vector<const holon_column_t *> borrowed_columns(const holon_table_t &table) {
    std::vector<const holon_column_t *> out;
    if (table.column_count == 0) return out;
    if (!table.columns) throw ProtocolError("table without columns");
    const uint32_t size = table.columns[0].struct_size;
    if (size < offsetof(holon_column_t, values) + sizeof(table.columns[0].values))
        throw ProtocolError("column struct_size too small");
    for (uint32_t c = 0; c < table.column_count; ++c) {
        const holon_column_t *column = HOLON_TABLE_COLUMN(&table, c);
        if (column->struct_size != size) throw ProtocolError("columns of one table differ in struct_size");
        out.push_back(column);
    }
    return out;
}

std::string_view label_of(const holon_column_t *c) {
    return HOLON_HAS_FIELD(c, holon_column_t, label) && c->label ? std::string_view(c->label) : std::string_view();
}

std::string_view units_of(const holon_column_t *c) {
    return HOLON_HAS_FIELD(c, holon_column_t, units) && c->units ? std::string_view(c->units) : std::string_view();
}

bool any_text(const std::vector<std::string_view> &texts) {
    return std::any_of(texts.begin(), texts.end(), [](std::string_view t) { return !t.empty(); });
}

// The JSON header of a table: name, columns, rows, and labels and units only when some column
// has one (so tables without them look as they did before SDK 1.1).
void write_table_header(Writer &w, std::string_view name, const std::vector<std::string_view> &columns,
                        const std::vector<std::string_view> &labels, const std::vector<std::string_view> &units,
                        uint64_t rows) {
    nlohmann::json header;
    header["name"] = name;
    header["columns"] = columns;
    if (any_text(labels)) header["labels"] = labels;
    if (any_text(units)) header["units"] = units;
    header["rows"] = rows;
    w.str(header.dump());
}

void write_table_header(Writer &w, const holon_table_t &table, const std::vector<const holon_column_t *> &cols) {
    if (!table.name) throw ProtocolError("table without a name");
    std::vector<std::string_view> names, labels, units;
    for (const holon_column_t *column : cols) {
        if (!column->name) throw ProtocolError("column without a name");
        names.emplace_back(column->name);
        labels.push_back(label_of(column));
        units.push_back(units_of(column));
    }
    write_table_header(w, table.name, names, labels, units, table.row_count);
}

std::vector<std::string_view> views_of(const std::vector<std::string> &texts) {
    return std::vector<std::string_view>(texts.begin(), texts.end());
}

std::vector<std::string> optional_texts(const nlohmann::json &header, const char *key, size_t count) {
    if (!header.contains(key)) return {};
    auto texts = header.at(key).get<std::vector<std::string>>();
    if (texts.size() != count) throw ProtocolError(std::string("table ") + key + " do not match its columns");
    return texts;
}

} // namespace

void write_table(Writer &w, const holon_table_t &table) {
    const auto cols = borrowed_columns(table);
    write_table_header(w, table, cols);
    for (const holon_column_t *column : cols)
        w.bytes(column->values, static_cast<size_t>(table.row_count) * sizeof(double));
}

void write_table(Writer &w, const TableData &table) {
    if (table.values.size() != table.columns.size()) throw ProtocolError("table values do not match its columns");
    if ((!table.labels.empty() && table.labels.size() != table.columns.size()) ||
        (!table.units.empty() && table.units.size() != table.columns.size()))
        throw ProtocolError("table labels or units do not match its columns");
    uint64_t rows = table.row_count();
    for (const auto &column : table.values)
        if (column.size() != rows) throw ProtocolError("table columns of different lengths");
    write_table_header(w, table.name, views_of(table.columns), views_of(table.labels), views_of(table.units), rows);
    for (const auto &column : table.values) w.bytes(column.data(), column.size() * sizeof(double));
}

TableData read_table(Reader &r) {
    TableData t;
    uint64_t rows = 0;
    try {
        auto header = nlohmann::json::parse(r.str());
        t.name = header.at("name").get<std::string>();
        t.columns = header.at("columns").get<std::vector<std::string>>();
        t.labels = optional_texts(header, "labels", t.columns.size());
        t.units = optional_texts(header, "units", t.columns.size());
        rows = header.at("rows").get<uint64_t>();
    } catch (const nlohmann::json::exception &e) {
        throw ProtocolError(std::string("bad table header: ") + e.what());
    }
    // Checked before allocating, so that a lying header cannot make us allocate terabytes.
    if (!t.columns.empty() && rows > r.remaining() / sizeof(double) / t.columns.size())
        throw ProtocolError("truncated table values");
    t.values.resize(t.columns.size());
    for (auto &column : t.values) {
        column.resize(static_cast<size_t>(rows));
        r.doubles(column.data(), column.size());
    }
    return t;
}

uint64_t table_bytes(const holon_table_t &table) {
    uint64_t bytes = table.name ? std::strlen(table.name) : 0;
    for (const holon_column_t *column : borrowed_columns(table))
        bytes += (column->name ? std::strlen(column->name) : 0) + label_of(column).size() + units_of(column).size() +
                 table.row_count * sizeof(double);
    return bytes;
}

uint64_t table_bytes(const TableData &table) {
    uint64_t bytes = table.name.size();
    for (size_t c = 0; c < table.columns.size(); ++c)
        bytes += table.columns[c].size() + (c < table.values.size() ? table.values[c].size() * sizeof(double) : 0);
    for (const auto &text : table.labels) bytes += text.size();
    for (const auto &text : table.units) bytes += text.size();
    return bytes;
}

void LentTables::lend(const std::vector<TableData> &tables, uint32_t plugin_minor) {
    views_.clear();
    columns_.assign(tables.size(), {});
    columns_v1_0_.assign(tables.size(), {});
    for (size_t i = 0; i < tables.size(); ++i) {
        const TableData &t = tables[i];
        for (size_t c = 0; c < t.columns.size(); ++c) {
            if (plugin_minor == 0) {
                columns_v1_0_[i].push_back({static_cast<uint32_t>(sizeof(ColumnV1_0)), t.columns[c].c_str(), t.values[c].data()});
            } else {
                const char *label = c < t.labels.size() && !t.labels[c].empty() ? t.labels[c].c_str() : nullptr;
                const char *units = c < t.units.size() && !t.units[c].empty() ? t.units[c].c_str() : nullptr;
                columns_[i].push_back(holon_column_t{static_cast<uint32_t>(sizeof(holon_column_t)), t.columns[c].c_str(),
                                                     t.values[c].data(), label, units});
            }
        }
        // A 1.0 plugin indexes columns[i] with the 1.0 size: it gets an array of 1.0-sized columns,
        // whose fields sit where its holon_column_t has them.
        const holon_column_t *first = plugin_minor == 0 ? reinterpret_cast<const holon_column_t *>(columns_v1_0_[i].data()) : columns_[i].data();
        views_.push_back(holon_table_t{static_cast<uint32_t>(sizeof(holon_table_t)), t.name.c_str(), t.row_count(),
                                       static_cast<uint32_t>(t.columns.size()), first});
    }
}

// ---- messages ---------------------------------------------------------------------------------
// Each message's fields are listed once, in wire order, by fields(io, message): `Out` writes them
// and `In` reads them back, so the two directions cannot drift apart. Strings are length-prefixed,
// a bool is a u32 (0 or 1), a list is a u32 count followed by its items, a table is write_table's
// JSON header plus raw doubles.

namespace {

template <class M, class T>
concept MessageOf = std::same_as<std::remove_const_t<M>, T>;

template <class Io, MessageOf<TaskMessage> M>
void fields(Io &io, M &m) {
    io(m.method_id);
    io(m.model_json);
    io(m.params_json);
    io(m.source);
    io(m.source_name);
    io(m.source_dir);
    io(m.scratch_dir);
    io(m.output_bytes);
    io(m.tables);
    io(m.point_params);
    io(m.outcomes_json);
}

template <class Io, MessageOf<MethodDescription> M>
void fields(Io &io, M &m) {
    io(m.id);
    io(m.name);
    io(m.description);
    io(m.params_schema);
    io(m.result_schema);
    io(m.formats);
    io(m.kind);
    io(m.flags);
}

template <class Io, MessageOf<PluginDescription> M>
void fields(Io &io, M &m) {
    io(m.plugin_id);
    io(m.plugin_version);
    io(m.abi_major);
    io(m.abi_minor);
    io(m.abi_patch);
    io(m.methods);
}

template <class Io, MessageOf<ProgressMessage> M>
void fields(Io &io, M &m) {
    io(m.fraction);
    io(m.stage);
}

template <class Io, MessageOf<LogLine> M>
void fields(Io &io, M &m) {
    io(m.level);
    io(m.message);
}

template <class Io, MessageOf<ErrorMessage> M>
void fields(Io &io, M &m) {
    io(m.status);
    io(m.problem);
    io(m.message);
}

template <class Io, MessageOf<Blob> M>
void fields(Io &io, M &m) {
    io(m.name);
    io(m.media_type);
    io(m.data);
}

template <class Io, MessageOf<InvokeRequestMessage> M>
void fields(Io &io, M &m) {
    io(m.id);
    io(m.use_callers_model);
    io(m.request.method_id);
    io(m.request.model_json);
    io(m.request.params_json);
    io(m.request.source);
    io(m.request.source_name);
}

template <class Io, MessageOf<InvokeResultMessage> M>
void fields(Io &io, M &m) {
    io(m.id);
    io(m.status);
    io(m.message);
    io(m.result_json);
    io(m.tables);
}

template <class Io, MessageOf<DoneMessage> M>
void fields(Io &io, M &m) {
    io(m.status);
    io(m.problem);
    io(m.message);
    io(m.details_json);
}

struct Out {
    Writer w;
    void operator()(const std::string &v) { w.str(v); }
    void operator()(uint32_t v) { w.u32(v); }
    void operator()(int32_t v) { w.i32(v); }
    void operator()(uint64_t v) { w.u64(v); }
    void operator()(double v) { w.f64(v); }
    void operator()(bool v) { w.u32(v ? 1u : 0u); }
    void operator()(const TableData &v) { write_table(w, v); }
    template <class T>
    void operator()(const std::vector<T> &items) {
        w.u32(static_cast<uint32_t>(items.size()));
        for (const auto &item : items) (*this)(item);
    }
    template <class T>
    void operator()(const T &message) {
        fields(*this, message);
    }
};

struct In {
    Reader r;
    void operator()(std::string &v) { v = r.str(); }
    void operator()(uint32_t &v) { v = r.u32(); }
    void operator()(int32_t &v) { v = r.i32(); }
    void operator()(uint64_t &v) { v = r.u64(); }
    void operator()(double &v) { v = r.f64(); }
    void operator()(bool &v) { v = r.u32() != 0; }
    void operator()(TableData &v) { v = read_table(r); }
    template <class T>
    void operator()(std::vector<T> &items) {
        const uint32_t n = r.u32();
        items.clear();
        for (uint32_t i = 0; i < n; ++i) (*this)(items.emplace_back());
    }
    template <class T>
    void operator()(T &message) {
        fields(*this, message);
    }
};

template <class M>
std::string write_message(const M &m) {
    Out out;
    out(m);
    return out.w.take();
}

template <class M>
M read_message(std::string_view payload) {
    In in{Reader(payload)};
    M m;
    in(m);
    in.r.expect_end();
    return m;
}

} // namespace

std::string encode(const TaskMessage &m) { return write_message(m); }
std::string encode(const PluginDescription &m) { return write_message(m); }
std::string encode(const ProgressMessage &m) { return write_message(m); }
std::string encode(const LogLine &m) { return write_message(m); }
std::string encode(const ErrorMessage &m) { return write_message(m); }
std::string encode(const Blob &m) { return write_message(m); }
std::string encode(const InvokeRequestMessage &m) { return write_message(m); }
std::string encode(const InvokeResultMessage &m) { return write_message(m); }
std::string encode(const DoneMessage &m) { return write_message(m); }

TaskMessage decode_task(std::string_view payload) { return read_message<TaskMessage>(payload); }
PluginDescription decode_description(std::string_view payload) { return read_message<PluginDescription>(payload); }
ProgressMessage decode_progress(std::string_view payload) { return read_message<ProgressMessage>(payload); }
LogLine decode_log(std::string_view payload) { return read_message<LogLine>(payload); }
ErrorMessage decode_error(std::string_view payload) { return read_message<ErrorMessage>(payload); }
Blob decode_blob(std::string_view payload) { return read_message<Blob>(payload); }
InvokeRequestMessage decode_invoke_request(std::string_view payload) { return read_message<InvokeRequestMessage>(payload); }
InvokeResultMessage decode_invoke_result(std::string_view payload) { return read_message<InvokeResultMessage>(payload); }
DoneMessage decode_done(std::string_view payload) { return read_message<DoneMessage>(payload); }

std::string encode_table(const TableData &t) {
    Writer w;
    write_table(w, t);
    return w.take();
}

TableData decode_table(std::string_view payload) {
    Reader r(payload);
    TableData t = read_table(r);
    r.expect_end();
    return t;
}

// ---- framing ----------------------------------------------------------------------------------

std::string frame_header(MessageType type, uint64_t payload_size) {
    Writer w;
    w.u32(static_cast<uint32_t>(type));
    w.u64(payload_size);
    return w.take();
}

namespace {

// Writes every byte of the pieces with as few system calls as possible (one sendmsg when the
// socket takes it all): a frame's header and payload travel together, which matters when a
// sweep sends thousands of small frames.
void write_all_pieces(int fd, std::vector<iovec> pieces) {
    size_t first = 0;
    while (first < pieces.size()) {
        msghdr message{};
        message.msg_iov = pieces.data() + first;
        message.msg_iovlen = std::min<size_t>(pieces.size() - first, 64);
        ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw ProtocolError(std::string("send failed: ") + std::strerror(errno));
        }
        auto sent = static_cast<size_t>(n);
        while (first < pieces.size() && sent >= pieces[first].iov_len) {
            sent -= pieces[first].iov_len;
            ++first;
        }
        if (first < pieces.size() && sent > 0) {
            pieces[first].iov_base = static_cast<char *>(pieces[first].iov_base) + sent;
            pieces[first].iov_len -= sent;
        }
    }
}

iovec piece(const void *data, size_t size) { return iovec{const_cast<void *>(data), size}; }

// Returns the number of bytes read; less than `size` only at end of stream.
size_t read_all(int fd, char *data, size_t size) {
    size_t got = 0;
    while (got < size) {
        ssize_t n = ::read(fd, data + got, size - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw ProtocolError(std::string("read failed: ") + std::strerror(errno));
        }
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    return got;
}

bool known_type(uint32_t type) {
    return message_type_name(static_cast<MessageType>(type)) != nullptr;
}

} // namespace

void write_frame(int fd, MessageType type, std::string_view payload) {
    std::string header = frame_header(type, payload.size());
    write_all_pieces(fd, {piece(header.data(), header.size()), piece(payload.data(), payload.size())});
}

void write_table_frame(int fd, const holon_table_t &table) {
    const auto cols = borrowed_columns(table);
    Writer header;
    write_table_header(header, table, cols);
    const uint64_t column_bytes = table.row_count * sizeof(double);
    const uint64_t payload_size = header.buffer().size() + column_bytes * table.column_count;
    std::string frame_start = frame_header(MessageType::ResultTable, payload_size) + header.buffer();
    std::vector<iovec> pieces{piece(frame_start.data(), frame_start.size())};
    for (const holon_column_t *column : cols) pieces.push_back(piece(column->values, static_cast<size_t>(column_bytes)));
    write_all_pieces(fd, std::move(pieces));
}

std::optional<Frame> read_frame(int fd, uint64_t max_payload) {
    char header[kHeaderSize];
    size_t got = read_all(fd, header, sizeof header);
    if (got == 0) return std::nullopt;
    if (got < sizeof header) throw ProtocolError("end of stream inside a frame header");
    Reader r(std::string_view(header, sizeof header));
    uint32_t type = r.u32();
    uint64_t length = r.u64();
    if (!known_type(type)) throw ProtocolError("unknown message type " + std::to_string(type));
    if (length > max_payload) throw ProtocolError("frame of " + std::to_string(length) + " bytes is over the limit");
    Frame frame;
    frame.type = static_cast<MessageType>(type);
    frame.payload.resize(static_cast<size_t>(length));
    if (read_all(fd, frame.payload.data(), frame.payload.size()) < frame.payload.size())
        throw ProtocolError("end of stream inside a frame");
    return frame;
}

void FrameDecoder::feed(const char *data, size_t size) {
    // Drop consumed bytes before growing, so the buffer holds at most one partial frame plus input.
    if (pos_ > 0 && pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
    } else if (pos_ > (1u << 20) && pos_ > buf_.size() / 2) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    // Reserve a large frame's full size once, instead of regrowing (and copying) as it arrives.
    if (buf_.size() - pos_ < kHeaderSize && buf_.size() - pos_ + size >= kHeaderSize) {
        std::string header = buf_.substr(pos_) + std::string(data, kHeaderSize - (buf_.size() - pos_));
        Reader r(header);
        r.u32();
        uint64_t length = r.u64();
        if (length <= max_payload_) buf_.reserve(pos_ + kHeaderSize + static_cast<size_t>(length));
    }
    buf_.append(data, size);
}

std::optional<Frame> FrameDecoder::next() {
    if (buf_.size() - pos_ < kHeaderSize) return std::nullopt;
    Reader r(std::string_view(buf_).substr(pos_, kHeaderSize));
    uint32_t type = r.u32();
    uint64_t length = r.u64();
    if (!known_type(type)) throw ProtocolError("unknown message type " + std::to_string(type));
    if (length > max_payload_) throw ProtocolError("frame of " + std::to_string(length) + " bytes is over the limit");
    if (buf_.size() - pos_ - kHeaderSize < length) return std::nullopt;
    Frame frame;
    frame.type = static_cast<MessageType>(type);
    if (pos_ == 0 && buf_.size() == kHeaderSize + length) {
        // The buffer holds exactly this frame: hand it over instead of copying it.
        frame.payload = std::move(buf_);
        frame.payload.erase(0, kHeaderSize);
        buf_.clear();
        return frame;
    }
    frame.payload = buf_.substr(pos_ + kHeaderSize, static_cast<size_t>(length));
    pos_ += kHeaderSize + static_cast<size_t>(length);
    return frame;
}

} // namespace holon::runner::protocol
