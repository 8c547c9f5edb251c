#include "protocol.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace holon::runner::protocol {
namespace {

TableData sample_table() {
    TableData t;
    t.name = "series";
    t.columns = {"t", "stock"};
    t.values = {{0, 1, 2}, {10.5, 11.25, -3}};
    return t;
}

TEST(Protocol, JobMessageRoundTripsWithTables) {
    TaskMessage job;
    job.method_id = "sd.simulate";
    job.model_json = R"({"variables":[]})";
    job.params_json = R"({"steps":10})";
    job.source = std::string("bin\0ary", 7);
    job.source_name = "model.xmile";
    job.source_dir = "/data";
    job.scratch_dir = "/tmp/x";
    job.output_bytes = 12345;
    job.tables = {sample_table()};

    TaskMessage back = decode_task(encode(job));
    EXPECT_EQ(back.method_id, job.method_id);
    EXPECT_EQ(back.model_json, job.model_json);
    EXPECT_EQ(back.params_json, job.params_json);
    EXPECT_EQ(back.source, job.source);
    EXPECT_EQ(back.source_name, job.source_name);
    EXPECT_EQ(back.scratch_dir, job.scratch_dir);
    EXPECT_EQ(back.output_bytes, 12345u);
    ASSERT_EQ(back.tables.size(), 1u);
    EXPECT_EQ(back.tables[0].columns, job.tables[0].columns);
    EXPECT_EQ(back.tables[0].values, job.tables[0].values);
}

TEST(Protocol, TablesTravelAsRawDoublesNotJsonText) {
    TableData t;
    t.name = "big";
    t.columns = {"x"};
    t.values = {std::vector<double>(1000, 0.1)};
    std::string payload = encode_table(t);
    // 8 bytes per value plus a short header; JSON text of 0.1 would take far more.
    EXPECT_LT(payload.size(), 1000 * sizeof(double) + 100);
    EXPECT_EQ(decode_table(payload).values, t.values);
}

TEST(Protocol, TruncatedPayloadIsRejected) {
    std::string payload = encode(DoneMessage{HOLON_ERR_FAILED, "", "it broke", "{}"});
    EXPECT_EQ(decode_done(payload).message, "it broke");
    for (size_t cut : {size_t{0}, size_t{3}, payload.size() - 1})
        EXPECT_THROW(decode_done(payload.substr(0, cut)), ProtocolError) << "cut at " << cut;
    EXPECT_THROW(decode_done(payload + "x"), ProtocolError);
}

TEST(Protocol, LyingTableHeaderDoesNotAllocate) {
    Writer w;
    w.str(R"({"name":"t","columns":["a"],"rows":1000000000000})");
    EXPECT_THROW(decode_table(w.take()), ProtocolError);
}

TEST(Protocol, DecoderAssemblesFramesFedByteByByte) {
    std::string stream = frame_header(MessageType::Log, 5) + "hello" + frame_header(MessageType::Cancel, 0);
    FrameDecoder decoder(1024);
    std::vector<Frame> frames;
    for (char c : stream) {
        decoder.feed(&c, 1);
        while (auto f = decoder.next()) frames.push_back(*f);
    }
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0].type, MessageType::Log);
    EXPECT_EQ(frames[0].payload, "hello");
    EXPECT_EQ(frames[1].type, MessageType::Cancel);
    EXPECT_FALSE(decoder.mid_frame());
}

TEST(Protocol, DecoderRejectsOversizedAndUnknownFrames) {
    FrameDecoder small(4);
    std::string big = frame_header(MessageType::ResultJson, 5);
    small.feed(big.data(), big.size());
    EXPECT_THROW(small.next(), ProtocolError);

    FrameDecoder any(1024);
    std::string unknown = frame_header(static_cast<MessageType>(999), 0);
    any.feed(unknown.data(), unknown.size());
    EXPECT_THROW(any.next(), ProtocolError);
}

TEST(Protocol, BlockingReadDetectsPeerDyingMidFrame) {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    std::string partial = frame_header(MessageType::Done, 100) + "only part";
    ASSERT_EQ(write(fds[1], partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
    close(fds[1]);
    EXPECT_THROW(read_frame(fds[0], 1024), ProtocolError);
    close(fds[0]);
}

TEST(Protocol, BlockingWriteAndReadRoundTrip) {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    std::string payload(300000, 'x'); // larger than a socket buffer: needs the reader concurrently
    std::thread writer([&] {
        write_frame(fds[1], MessageType::ResultJson, payload);
        close(fds[1]);
    });
    auto frame = read_frame(fds[0], payload.size());
    writer.join();
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->payload, payload);
    EXPECT_FALSE(read_frame(fds[0], 16).has_value()); // clean end of stream at a frame boundary
    close(fds[0]);
}

} // namespace
} // namespace holon::runner::protocol
