// The wire protocol between the host and a runner process.
//
// A frame is a 12-byte header (type: u32, payload length: u64, both little-endian) followed by the
// payload. Payloads are built from fixed-width integers, doubles and length-prefixed byte strings.
// Tables travel as a small JSON header (name, columns, rows) plus the raw doubles column by
// column, never as JSON text. Every decoder throws ProtocolError on truncated or malformed input,
// so a runner that dies mid-frame is detected rather than misread.
#pragma once

#include "task_types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holon::runner::protocol {

enum class MessageType : uint32_t {
    // host -> runner
    Describe = 1,
    Job = 2,
    Cancel = 3,
    InvokeResult = 4,
    // runner -> host
    Description = 101,
    Progress = 102,
    Log = 103,
    Error = 104,
    ResultJson = 105,
    ResultTable = 106,
    ResultBlob = 107,
    InvokeRequest = 108,
    Done = 109,
};

const char *message_type_name(MessageType type);

constexpr size_t kHeaderSize = 12;

class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Frame {
    MessageType type{};
    std::string payload;
};

// ---- primitive encoding ---------------------------------------------------------------------

class Writer {
public:
    void u32(uint32_t v);
    void i32(int32_t v);
    void u64(uint64_t v);
    void f64(double v);
    void str(std::string_view s);
    void bytes(const void *data, size_t size); // raw, no length prefix
    std::string &buffer() { return buf_; }
    std::string take() { return std::move(buf_); }

private:
    std::string buf_;
};

class Reader {
public:
    explicit Reader(std::string_view data) : data_(data) {}
    uint32_t u32();
    int32_t i32();
    uint64_t u64();
    double f64();
    std::string str();
    void doubles(double *out, size_t count);
    bool at_end() const { return pos_ == data_.size(); }
    size_t remaining() const { return data_.size() - pos_; }
    // Throws unless the whole payload was consumed (trailing bytes mean a version skew or a bug).
    void expect_end() const;

private:
    std::string_view take(size_t n);
    std::string_view data_;
    size_t pos_ = 0;
};

// ---- tables -----------------------------------------------------------------------------------

// Encodes a borrowed table (as a plugin hands it over, columns stepped by their struct_size, label
// and units read only when struct_size covers them); throws ProtocolError on NULL names or columns
// of differing or too small struct_size.
void write_table(Writer &w, const holon_table_t &table);
void write_table(Writer &w, const TableData &table);
TableData read_table(Reader &r);
// The number of result bytes a table counts against the output limit.
uint64_t table_bytes(const holon_table_t &table);
uint64_t table_bytes(const TableData &table);

// Tables lent to a plugin (its inputs, a nested run's outputs): holon_table_t views over TableData
// with columns of the size the plugin was compiled with (its SDK minor version), so that a plugin
// built against 1.0 can index columns[i]; 1.1 plugins also get labels and units. The TableData
// must outlive the loan and stay where it is.
class LentTables {
public:
    void lend(const std::vector<TableData> &tables, uint32_t plugin_minor);
    const holon_table_t *data() const { return views_.empty() ? nullptr : views_.data(); }
    uint32_t size() const { return static_cast<uint32_t>(views_.size()); }
    const holon_table_t *at(uint32_t i) const { return i < views_.size() ? &views_[i] : nullptr; }

private:
    struct ColumnV1_0 { // holon_column_t as SDK 1.0 laid it out
        uint32_t struct_size;
        const char *name;
        const double *values;
    };
    static_assert(sizeof(ColumnV1_0) == offsetof(holon_column_t, label));
    std::vector<std::vector<holon_column_t>> columns_;
    std::vector<std::vector<ColumnV1_0>> columns_v1_0_;
    std::vector<holon_table_t> views_;
};

// ---- messages -------------------------------------------------------------------------------

struct TaskMessage {
    std::string method_id, model_json, params_json, source, source_name, source_dir, scratch_dir;
    uint64_t output_bytes = 0;
    std::vector<TableData> tables;
    std::vector<std::string> point_params; // a sweep chunk (TaskRequest::point_params)
    std::string outcomes_json;
};

struct ProgressMessage {
    double fraction = 0;
    std::string stage;
};

// A runner-level failure that is not a method's own error: the plugin could not be loaded, its
// ABI does not match, a message made no sense.
struct ErrorMessage {
    int32_t status = HOLON_ERR_FAILED;
    std::string problem;
    std::string message;
};

struct InvokeRequestMessage {
    uint64_t id = 0;
    bool use_callers_model = false;
    InvokeRequest request;
};

struct InvokeResultMessage {
    uint64_t id = 0;
    int32_t status = HOLON_OK;
    std::string message;
    std::string result_json;
    std::vector<TableData> tables;
};

struct DoneMessage {
    int32_t status = HOLON_OK;
    std::string problem; // set by the runner only for "invalid-result"
    std::string message;
    std::string details_json;
};

std::string encode(const TaskMessage &m);
std::string encode(const PluginDescription &m);
std::string encode(const ProgressMessage &m);
std::string encode(const LogLine &m);
std::string encode(const ErrorMessage &m);
std::string encode(const Blob &m);
std::string encode(const InvokeRequestMessage &m);
std::string encode(const InvokeResultMessage &m);
std::string encode(const DoneMessage &m);
std::string encode_table(const TableData &t);

TaskMessage decode_task(std::string_view payload);
PluginDescription decode_description(std::string_view payload);
ProgressMessage decode_progress(std::string_view payload);
LogLine decode_log(std::string_view payload);
ErrorMessage decode_error(std::string_view payload);
Blob decode_blob(std::string_view payload);
InvokeRequestMessage decode_invoke_request(std::string_view payload);
InvokeResultMessage decode_invoke_result(std::string_view payload);
DoneMessage decode_done(std::string_view payload);
TableData decode_table(std::string_view payload);

// ---- framing ----------------------------------------------------------------------------------

std::string frame_header(MessageType type, uint64_t payload_size);

// Blocking: writes header and payload completely (retrying on EINTR, never raising SIGPIPE).
// Throws ProtocolError when the peer is gone.
void write_frame(int fd, MessageType type, std::string_view payload);

// Blocking: writes a RESULT_TABLE frame straight from the plugin's borrowed columns, without
// assembling the payload in memory first (chunks of streamed results can be large).
void write_table_frame(int fd, const holon_table_t &table);

// Blocking: reads one frame. Returns nullopt on a clean end of stream at a frame boundary; throws
// ProtocolError on an end of stream inside a frame or a payload longer than max_payload.
std::optional<Frame> read_frame(int fd, uint64_t max_payload);

// Incremental decoding for a non-blocking reader: feed bytes as they arrive, take whole frames.
class FrameDecoder {
public:
    explicit FrameDecoder(uint64_t max_payload) : max_payload_(max_payload) {}
    void feed(const char *data, size_t size);
    // The next complete frame, or nullopt when more bytes are needed. Throws ProtocolError when a
    // header announces more than max_payload bytes or an unknown type.
    std::optional<Frame> next();
    // True when some bytes of an unfinished frame are buffered.
    bool mid_frame() const { return buf_.size() > pos_; }

private:
    std::string buf_;
    size_t pos_ = 0;
    uint64_t max_payload_;
};

} // namespace holon::runner::protocol
