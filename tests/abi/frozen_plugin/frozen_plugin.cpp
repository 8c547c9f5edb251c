// A plugin compiled against the FROZEN v1.0 headers (tests/abi/sdk-v1.0). The ABI tests load it
// into a host built from the current headers: whatever the current SDK becomes, this binary's view
// of every struct and id must keep working. Each method exercises one part of the contract.
#include <holon/plugin.hpp>

#include <string>

namespace {

constexpr const char *any_object = R"({"type": "object"})";

// Uses every output of the context: progress, log, put_json, put_table (twice, appended), put_blob,
// and reads the inputs: model size, params text, every column of the first input table (so that
// a host lending it columns of another size than 1.0's would be caught).
struct Echo {
    static holon::MethodInfo info() {
        return {"abi_frozen.echo", "Echo", "Echoes its inputs into every kind of output.", any_object, any_object,
                HOLON_METHOD_KIND_ANALYSIS, HOLON_METHOD_FLAG_CONCURRENT};
    }
    void run(holon::Context &ctx) {
        ctx.progress(0.25, "reading");
        double input_sum = 0;
        if (ctx.table_count() > 0 && ctx.table(0).column_count() > 0) {
            const holon::TableView t = ctx.table(0);
            for (uint32_t c = 0; c < t.column_count(); ++c)
                for (uint64_t r = 0; r < t.row_count(); ++r) input_sum += t.column(c)[r];
        }
        ctx.info("echo of " + std::to_string(ctx.model_json().size()) + " model bytes");
        for (int chunk = 0; chunk < 2; ++chunk) {
            holon::Table squares;
            squares.name = "squares";
            std::vector<double> x, x2;
            for (int i = 0; i < 3; ++i) {
                const double v = chunk * 3 + i;
                x.push_back(v);
                x2.push_back(v * v);
            }
            squares.add_column("x", x);
            squares.add_column("x2", x2);
            ctx.put_table(squares);
        }
        ctx.put_blob("note.txt", "text/plain", "frozen v1.0");
        ctx.put_json("{\"model_bytes\": " + std::to_string(ctx.model_json().size()) +
                     ", \"input_sum\": " + std::to_string(input_sum) + ", \"params\": " +
                     std::string(ctx.params_json()) + "}");
        ctx.progress(1.0, "done");
    }
};

struct Fail {
    static holon::MethodInfo info() {
        return {"abi_frozen.fail", "Fail", "Fails with a code, a message and details.", any_object, any_object};
    }
    void run(holon::Context &) {
        throw holon::Error(HOLON_ERR_INVALID_PARAMS, "'x' must be positive", R"({"path": "/x"})");
    }
};

struct Throw {
    static holon::MethodInfo info() {
        return {"abi_frozen.throw", "Throw", "Lets a standard exception reach the boundary.", any_object, any_object};
    }
    void run(holon::Context &) { throw std::logic_error("boom"); }
};

// Polls cancellation as a long computation would, and stops only when cancelled (or after a
// bound, so that a broken host fails the test instead of hanging it).
struct WaitCancel {
    static holon::MethodInfo info() {
        return {"abi_frozen.wait_cancel", "Wait for cancel", "Loops until the run is cancelled.", any_object,
                any_object};
    }
    void run(holon::Context &ctx) {
        for (int i = 0; i < 1000000; ++i) {
            ctx.check_cancelled();
            ctx.progress(i / 1000000.0, "waiting");
        }
        throw holon::Error(HOLON_ERR_TIME_BUDGET, "never cancelled");
    }
};

// Runs abi_frozen.echo through the host's holon.invoke/1 and wraps what came back.
struct Nested {
    static holon::MethodInfo info() {
        return {"abi_frozen.nested", "Nested", "Invokes abi_frozen.echo through the host.", any_object, any_object};
    }
    void run(holon::Context &ctx) {
        holon::InvokeResult r = ctx.invoke("abi_frozen.echo", R"({"from": "nested"})");
        if (!r.ok()) throw holon::Error(HOLON_ERR_INVOKE, "nested echo failed: " + std::string(r.error_message()));
        const holon::TableView squares = r.table("squares");
        ctx.put_json("{\"nested\": " + std::string(r.json()) + ", \"nested_rows\": " +
                     std::to_string(squares.row_count()) + "}");
    }
};

} // namespace

HOLON_PLUGIN("abi_frozen", "1.0.0", Echo, Fail, Throw, WaitCancel, Nested)
